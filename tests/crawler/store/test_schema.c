/* The store schema: its version, WAL, and migrations from older versions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_fixture.h"

/* Make the store at path what a forkmap of schema version 1 left. */
static void downgrade_to_version_1(const char *path)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "DROP TABLE diff_stats; "
				      "DROP TABLE row_cache; "
				      "DROP TABLE node_cache; "
				      "PRAGMA user_version = 1",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
}

static void test_schema_version_and_wal(void **state)
{
	struct fixture *fx = *state;
	fm_store *s;
	sqlite3 *db;
	sqlite3_stmt *st;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	fm_store_free(s);
	assert_int_equal(query_int(fx->path, "PRAGMA user_version"), 4);
	assert_int_equal(query_int(fx->path,
				   "SELECT count(*) FROM sqlite_master WHERE "
				   "name IN ('runs', 'rows', 'releases', "
				   "'http_cache', 'blob_lines', 'patch_ids', "
				   "'patch_headers', 'diff_stats')"),
			 8);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(
		sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* A version-1 store (before diff_stats) is migrated on open, runs kept. */
static void test_migrates_version_1(void **state)
{
	struct fixture *fx = *state;
	fm_store *s;
	int64_t v;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_cache_put(fx->ctx, s, "patch_ids", "k", 7),
			 0);
	fm_store_free(s);
	downgrade_to_version_1(fx->path);
	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_cache_get(fx->ctx, s, "patch_ids", "k", &v),
			 0);
	assert_int_equal(v, 7);
	assert_int_equal(
		fm_store_cache_put(fx->ctx, s, "diff_stats", "a..b:f", 3), 0);
	fm_store_free(s);
	assert_int_equal(query_int(fx->path, "PRAGMA user_version"), 4);
}

static void test_newer_schema_refused(void **state)
{
	struct fixture *fx = *state;
	fm_store *s = (fm_store *)&s;
	sqlite3 *db;

	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), FM_ESTORE);
	assert_null(s);
	assert_non_null(strstr(fm_ctx_errmsg(fx->ctx), "version 99 is newer"));
}

/* The runs a version-1 store holds are still there after the migration. */
static void test_migrates_version_1_keeps_runs(void **state)
{
	struct fixture *fx = *state;
	fm_census *c = sample_census("qemu/qemu"), *back;
	fm_store *s;
	int64_t id;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_save_census(fx->ctx, s, c, NULL, &id), 0);
	fm_store_free(s);
	downgrade_to_version_1(fx->path);
	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_load_census(fx->ctx, s, id, &back), 0);
	assert_census_equal(back, c);
	fm_census_free(back);
	fm_store_free(s);
	assert_int_equal(query_int(fx->path, "PRAGMA user_version"), 4);
	assert_int_equal(query_int(fx->path,
				   "SELECT count(*) FROM sqlite_master"
				   " WHERE name = 'diff_stats'"),
			 1);
	fm_census_free(c);
}

/* An empty database file (version 0) gets the whole schema on open. */
static void test_migrates_version_0(void **state)
{
	struct fixture *fx = *state;
	fm_store *s;
	sqlite3 *db;

	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE unrelated (x)", NULL,
				      NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(query_int(fx->path, "PRAGMA user_version"), 0);
	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	fm_store_free(s);
	assert_int_equal(query_int(fx->path, "PRAGMA user_version"), 4);
	assert_int_equal(
		query_int(fx->path,
			  "SELECT count(*) FROM sqlite_master WHERE "
			  "name IN ('runs', 'rows', 'releases', "
			  "'http_cache', 'blob_lines', 'patch_ids', "
			  "'patch_headers', 'diff_stats', 'unrelated')"),
		9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schema_version_and_wal,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrates_version_1, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_migrates_version_1_keeps_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrates_version_0, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
