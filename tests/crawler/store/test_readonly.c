/*
 * The read-only open of readers (history, stale, render): it creates
 * nothing, writes nothing, leaves no file beside the store, and refuses a
 * read that a concurrent writer may have changed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/stat.h>

#include <cmocka.h>

#include "store_fixture.h"

static int exists(const char *path, const char *suffix)
{
	char p[400];

	snprintf(p, sizeof(p), "%s%s", path, suffix);
	return access(p, F_OK) == 0;
}

static void make_store(struct fixture *fx, fm_census *c, int64_t *id)
{
	fm_store *s;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_save_census(fx->ctx, s, c, NULL, id), 0);
	fm_store_free(s);
	/* the writer removed its WAL files on close */
	assert_false(exists(fx->path, "-wal"));
	assert_false(exists(fx->path, "-shm"));
}

static void test_missing_store_not_created(void **state)
{
	struct fixture *fx = *state;
	fm_store *s = (fm_store *)&s;

	assert_int_equal(fm_store_open_readonly(fx->ctx, fx->path, &s),
			 FM_ESTORE);
	assert_null(s);
	assert_non_null(strstr(fm_ctx_errmsg(fx->ctx), "no store at"));
	assert_false(exists(fx->path, ""));
	assert_false(exists(fx->path, "-wal"));
}

/* Reading leaves the file as it was and adds no -wal or -shm beside it. */
static void test_read_leaves_no_trace(void **state)
{
	struct fixture *fx = *state;
	fm_census *c = sample_census("qemu/qemu"), *back;
	fm_run_info *runs;
	struct stat before, after;
	fm_store *s;
	int64_t id;
	size_t n;

	make_store(fx, c, &id);
	assert_int_equal(stat(fx->path, &before), 0);
	assert_int_equal(fm_store_open_readonly(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_list_runs(fx->ctx, s, &runs, &n), 0);
	assert_int_equal(n, 1);
	fm_run_info_free(runs, n);
	assert_int_equal(fm_store_load_census(fx->ctx, s, id, &back), 0);
	assert_census_equal(back, c);
	fm_census_free(back);
	assert_false(exists(fx->path, "-wal"));
	assert_false(exists(fx->path, "-shm"));
	fm_store_free(s);
	assert_int_equal(stat(fx->path, &after), 0);
	assert_true(before.st_size == after.st_size);
	assert_true(before.st_mtim.tv_sec == after.st_mtim.tv_sec &&
		    before.st_mtim.tv_nsec == after.st_mtim.tv_nsec);
	assert_false(exists(fx->path, "-wal"));
	assert_false(exists(fx->path, "-shm"));
	fm_census_free(c);
}

static void test_writes_refused(void **state)
{
	struct fixture *fx = *state;
	fm_census *c = sample_census("qemu/qemu");
	fm_store *s;
	int64_t id;

	make_store(fx, c, &id);
	assert_int_equal(fm_store_open_readonly(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_save_census(fx->ctx, s, c, NULL, &id),
			 FM_ESTORE);
	fm_ctx_clear_error(fx->ctx);
	assert_int_equal(fm_store_cache_put(fx->ctx, s, "blob_lines", "k", 1),
			 FM_ESTORE);
	fm_store_free(s);
	assert_int_equal(query_int(fx->path, "SELECT count(*) FROM runs"), 1);
	assert_int_equal(query_int(fx->path, "SELECT count(*) FROM blob_lines"),
			 0);
	fm_census_free(c);
}

/*
 * A census that starts writing while a reader holds the store open: the
 * reader sees the whole file change under it and refuses the read rather
 * than return what it may have read torn; opened again, it reads both runs.
 */
static void test_change_while_reading_refused(void **state)
{
	struct fixture *fx = *state;
	fm_census *c = sample_census("qemu/qemu"), *back;
	fm_run_info *runs;
	fm_store *r, *w;
	int64_t id;
	size_t n;

	make_store(fx, c, &id);
	assert_int_equal(fm_store_open_readonly(fx->ctx, fx->path, &r), 0);
	assert_int_equal(fm_store_open(fx->ctx, fx->path, &w), 0);
	assert_int_equal(fm_store_save_census(fx->ctx, w, c, NULL, &id), 0);
	fm_store_free(w); /* checkpoints into the file, removes the WAL */
	assert_int_equal(fm_store_list_runs(fx->ctx, r, &runs, &n), FM_ESTORE);
	assert_non_null(
		strstr(fm_ctx_errmsg(fx->ctx), "changed while it was read"));
	fm_ctx_clear_error(fx->ctx);
	assert_int_equal(fm_store_load_census(fx->ctx, r, 0, &back), FM_ESTORE);
	assert_null(back);
	fm_ctx_clear_error(fx->ctx);
	fm_store_free(r);

	assert_int_equal(fm_store_open_readonly(fx->ctx, fx->path, &r), 0);
	assert_int_equal(fm_store_list_runs(fx->ctx, r, &runs, &n), 0);
	assert_int_equal(n, 2);
	fm_run_info_free(runs, n);
	fm_store_free(r);
	fm_census_free(c);
}

/*
 * While a writer has the store open (its -wal and -shm are there), the
 * reader reads through the WAL: committed runs are seen, no error.
 */
static void test_reads_beside_an_open_writer(void **state)
{
	struct fixture *fx = *state;
	fm_census *c = sample_census("qemu/qemu"), *back;
	fm_store *r, *w;
	int64_t id, id2;

	make_store(fx, c, &id);
	assert_int_equal(fm_store_open(fx->ctx, fx->path, &w), 0);
	assert_int_equal(fm_store_save_census(fx->ctx, w, c, NULL, &id2), 0);
	assert_true(exists(fx->path, "-wal"));
	assert_int_equal(fm_store_open_readonly(fx->ctx, fx->path, &r), 0);
	assert_int_equal(fm_store_load_census(fx->ctx, r, 0, &back), 0);
	assert_census_equal(back, c);
	fm_census_free(back);
	/* a writer's open transaction does not block or confuse it */
	assert_int_equal(fm_store_begin(fx->ctx, w), 0);
	assert_int_equal(fm_store_cache_put(fx->ctx, w, "blob_lines", "k", 1),
			 0);
	assert_int_equal(fm_store_load_census(fx->ctx, r, id2, &back), 0);
	fm_census_free(back);
	assert_int_equal(fm_store_commit(fx->ctx, w), 0);
	fm_store_free(r);
	fm_store_free(w);
	fm_census_free(c);
}

/* Paths SQLite would read as URI syntax are escaped in immutable mode. */
static void test_path_with_uri_characters(void **state)
{
	struct fixture *fx = *state;
	fm_census *c = sample_census("qemu/qemu"), *back;
	char path[400];
	fm_store *s;
	int64_t id;

	snprintf(path, sizeof(path), "%s/a?b#c%%20 d", fx->dir);
	assert_int_equal(fm_store_open(fx->ctx, path, &s), 0);
	assert_int_equal(fm_store_save_census(fx->ctx, s, c, NULL, &id), 0);
	fm_store_free(s);
	assert_int_equal(fm_store_open_readonly(fx->ctx, path, &s), 0);
	assert_int_equal(fm_store_load_census(fx->ctx, s, id, &back), 0);
	assert_census_equal(back, c);
	fm_census_free(back);
	fm_store_free(s);
	unlink(path);
	fm_census_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_missing_store_not_created,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_leaves_no_trace,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_writes_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_change_while_reading_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_reads_beside_an_open_writer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_with_uri_characters,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
