/*
 * Failed runs in the store: recorded with their error and no rows, listed
 * with it, never the default run of a reader, refused when asked for by id.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_fixture.h"

static const char failure[] = "cannot list the forks of 'qemu/qemu': 401";

static void save_failed(fm_ctx *ctx, fm_store *s, int64_t *id)
{
	fm_run_stats stats = FM_RUN_STATS_INIT;

	stats.requests = 3;
	stats.remaining = 0;
	stats.complete = 0;
	assert_int_equal(fm_store_save_failed_run(ctx, s, "qemu/qemu", "master",
						  1709700000, 1709700005,
						  &stats, failure, id),
			 0);
	assert_true(*id > 0);
}

/* good, failed, failed: the list shows all three, newest first */
static void test_failed_run_listed_with_error(void **state)
{
	struct fixture *fx = *state;
	fm_census *c = sample_census("qemu/qemu");
	fm_run_info *runs;
	fm_store *s;
	int64_t good, bad1, bad2;
	size_t n;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_save_census(fx->ctx, s, c, NULL, &good), 0);
	save_failed(fx->ctx, s, &bad1);
	assert_int_equal(fm_store_save_failed_run(fx->ctx, s, "qemu/qemu", NULL,
						  1, 2, NULL, "timed out",
						  &bad2),
			 0);
	assert_int_equal(fm_store_list_runs(fx->ctx, s, &runs, &n), 0);
	assert_int_equal(n, 3);
	assert_true(runs[0].id == bad2);
	assert_string_equal(runs[0].error, "timed out");
	assert_null(runs[0].branch);
	assert_int_equal(runs[0].stats.remaining, -1); /* NULL stats */
	assert_true(runs[1].id == bad1);
	assert_string_equal(runs[1].error, failure);
	assert_string_equal(runs[1].upstream, "qemu/qemu");
	assert_string_equal(runs[1].branch, "master");
	assert_true(runs[1].started == 1709700000);
	assert_true(runs[1].finished == 1709700005);
	assert_int_equal(runs[1].forks, 0);
	assert_int_equal(runs[1].measured, 0);
	assert_int_equal(runs[1].stats.requests, 3);
	assert_int_equal(runs[1].stats.complete, 0);
	assert_true(runs[2].id == good);
	assert_null(runs[2].error);
	assert_int_equal(runs[2].forks, 4);
	fm_run_info_free(runs, n);
	fm_store_free(s);
	/* no rows or releases of the failed runs */
	assert_int_equal(query_int(fx->path, "SELECT count(*) FROM rows"
					     " WHERE run_id <> (SELECT min(id)"
					     " FROM runs)"),
			 0);
	fm_census_free(c);
}

/* run 0 is the latest run without an error, for every reader */
static void test_latest_good_run_is_the_default(void **state)
{
	struct fixture *fx = *state;
	fm_census *c = sample_census("qemu/qemu"), *back;
	fm_store *s;
	int64_t good, bad;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_save_census(fx->ctx, s, c, NULL, &good), 0);
	save_failed(fx->ctx, s, &bad);
	assert_int_equal(fm_store_load_census(fx->ctx, s, 0, &back), 0);
	assert_census_equal(back, c);
	fm_census_free(back);
	fm_store_free(s);

	assert_int_equal(fm_store_open_readonly(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_load_census(fx->ctx, s, 0, &back), 0);
	assert_census_equal(back, c);
	fm_census_free(back);
	fm_store_free(s);
	fm_census_free(c);
}

/* Asked for by id, a failed run is FM_ENOTFOUND and says why it failed. */
static void test_failed_run_by_id_not_found_with_error(void **state)
{
	struct fixture *fx = *state;
	fm_census *back = (fm_census *)&back;
	fm_store *s;
	int64_t bad;
	char want[200];

	assert_int_equal(fm_store_open(fx->ctx, ":memory:", &s), 0);
	save_failed(fx->ctx, s, &bad);
	assert_int_equal(fm_store_load_census(fx->ctx, s, bad, &back),
			 FM_ENOTFOUND);
	assert_null(back);
	snprintf(want, sizeof(want), "census run %lld failed: %s",
		 (long long)bad, failure);
	assert_string_equal(fm_ctx_errmsg(fx->ctx), want);
	fm_ctx_clear_error(fx->ctx);
	/* only failed runs: no default run either */
	assert_int_equal(fm_store_load_census(fx->ctx, s, 0, &back),
			 FM_ENOTFOUND);
	assert_string_equal(fm_ctx_errmsg(fx->ctx),
			    "no census run in the store");
	fm_store_free(s);
}

static void test_failed_run_needs_an_error(void **state)
{
	struct fixture *fx = *state;
	fm_run_info *runs;
	fm_store *s;
	int64_t id = 9;
	size_t n;

	assert_int_equal(fm_store_open(fx->ctx, ":memory:", &s), 0);
	assert_int_equal(fm_store_save_failed_run(fx->ctx, s, "a/b", "m", 1, 2,
						  NULL, NULL, &id),
			 FM_EINVAL);
	assert_true(id == 0);
	fm_ctx_clear_error(fx->ctx);
	assert_int_equal(fm_store_save_failed_run(fx->ctx, s, "a/b", "m", 1, 2,
						  NULL, "", &id),
			 FM_EINVAL);
	fm_ctx_clear_error(fx->ctx);
	assert_int_equal(fm_store_list_runs(fx->ctx, s, &runs, &n), 0);
	assert_int_equal(n, 0);
	fm_run_info_free(runs, n);
	fm_store_free(s);
}

/* A read-only store cannot take a failed run either. */
static void test_readonly_store_refuses_failed_run(void **state)
{
	struct fixture *fx = *state;
	fm_store *s;
	int64_t id;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	fm_store_free(s);
	assert_int_equal(fm_store_open_readonly(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_save_failed_run(fx->ctx, s, "a/b", "m", 1, 2,
						  NULL, "x", &id),
			 FM_ESTORE);
	assert_non_null(strstr(fm_ctx_errmsg(fx->ctx), "readonly"));
	fm_store_free(s);
	assert_int_equal(query_int(fx->path, "SELECT count(*) FROM runs"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_failed_run_listed_with_error, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_latest_good_run_is_the_default, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_failed_run_by_id_not_found_with_error, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_failed_run_needs_an_error,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_readonly_store_refuses_failed_run, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
