/* The store handle: opening, and transactions (a save is atomic, inside a
 * caller's transaction too). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_fixture.h"

static void test_not_a_database(void **state)
{
	struct fixture *fx = *state;
	char path[400];
	fm_store *s;
	FILE *f;

	snprintf(path, sizeof(path), "%s/not-a-db", fx->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 200; i++)
		fputs("this is not a sqlite database at all\n", f);
	fclose(f);
	assert_int_equal(fm_store_open(fx->ctx, path, &s), FM_ESTORE);
	assert_null(s);
	assert_non_null(strstr(fm_ctx_errmsg(fx->ctx), "not a database"));
}

/* A row that violates the schema halfway: nothing of the run remains. */
static void test_save_is_atomic(void **state)
{
	struct fixture *fx = *state;
	fm_census *good = sample_census("qemu/qemu");
	fm_census *bad = sample_census("qemu/qemu");
	fm_run_info *runs;
	fm_store *s;
	int64_t id = 12345, value = 0;
	size_t n;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_save_census(fx->ctx, s, good, NULL, &id), 0);
	free(bad->rows[2].name);
	bad->rows[2].name = NULL; /* rows 0 and 1 get written first */
	assert_int_equal(fm_store_save_census(fx->ctx, s, bad, NULL, &id),
			 FM_ESTORE);
	assert_true(id == 0);
	assert_non_null(strstr(fm_ctx_errmsg(fx->ctx),
			       "NOT NULL constraint failed: rows.name"));
	fm_ctx_clear_error(fx->ctx);

	/* same inside a caller's transaction (the savepoint path) */
	assert_int_equal(fm_store_begin(fx->ctx, s), 0);
	assert_int_equal(fm_store_cache_put(fx->ctx, s, "blob_lines", OID_A, 7),
			 0);
	assert_int_equal(fm_store_save_census(fx->ctx, s, bad, NULL, &id),
			 FM_ESTORE);
	fm_ctx_clear_error(fx->ctx);
	assert_int_equal(fm_store_commit(fx->ctx, s), 0);
	assert_int_equal(
		fm_store_cache_get(fx->ctx, s, "blob_lines", OID_A, &value), 0);
	assert_true(value == 7);

	assert_int_equal(fm_store_list_runs(fx->ctx, s, &runs, &n), 0);
	assert_int_equal(n, 1);
	fm_run_info_free(runs, n);
	fm_store_free(s);

	/* seen from outside: one run, its four rows, its two releases */
	assert_int_equal(query_int(fx->path, "SELECT count(*) FROM runs"), 1);
	assert_int_equal(query_int(fx->path, "SELECT count(*) FROM rows"), 4);
	assert_int_equal(query_int(fx->path, "SELECT count(*) FROM releases"),
			 2);
	fm_census_free(good);
	fm_census_free(bad);
}

/* fm_store_rollback abandons the puts since fm_store_begin. */
static void test_rollback_discards_puts(void **state)
{
	struct fixture *fx = *state;
	fm_store *s;
	int64_t v;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	fm_store_rollback(s); /* outside a transaction: nothing happens */
	assert_int_equal(
		fm_store_cache_put(fx->ctx, s, "blob_lines", "kept", 1), 0);
	assert_int_equal(fm_store_begin(fx->ctx, s), 0);
	assert_int_equal(
		fm_store_cache_put(fx->ctx, s, "blob_lines", "dropped", 2), 0);
	assert_int_equal(
		fm_store_cache_get(fx->ctx, s, "blob_lines", "dropped", &v), 0);
	fm_store_rollback(s);
	assert_int_equal(
		fm_store_cache_get(fx->ctx, s, "blob_lines", "dropped", &v),
		FM_ENOTFOUND);
	assert_int_equal(
		fm_store_cache_get(fx->ctx, s, "blob_lines", "kept", &v), 0);
	assert_true(v == 1);
	/* and a new transaction can begin */
	assert_int_equal(fm_store_begin(fx->ctx, s), 0);
	assert_int_equal(fm_store_commit(fx->ctx, s), 0);
	fm_store_free(s);
}

/* A COMMIT without a BEGIN is an FM_ESTORE message, the store stays
 * usable. */
static void test_commit_without_begin(void **state)
{
	struct fixture *fx = *state;
	fm_store *s;
	int64_t id;
	fm_census *c = sample_census("qemu/qemu");

	assert_int_equal(fm_store_open(fx->ctx, ":memory:", &s), 0);
	assert_int_equal(fm_store_commit(fx->ctx, s), FM_ESTORE);
	assert_non_null(strstr(fm_ctx_errmsg(fx->ctx), "cannot commit: "));
	fm_ctx_clear_error(fx->ctx);
	assert_int_equal(fm_store_save_census(fx->ctx, s, c, NULL, &id), 0);
	assert_true(id > 0);
	fm_store_free(s);
	fm_census_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_not_a_database, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_save_is_atomic, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rollback_discards_puts,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_without_begin,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
