/*
 * The store schema: its version, WAL, migrations from older versions, and
 * what an open refuses (foreign databases, versions out of bounds) without
 * touching it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_fixture.h"

static void exec_on(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* Make the store at path what a forkmap of schema version 1 left. */
static void downgrade_to_version_1(const char *path)
{
	exec_on(path, "DROP TABLE diff_stats; "
		      "DROP TABLE row_cache; DROP TABLE node_cache; "
		      "ALTER TABLE rows DROP COLUMN patches; "
		      "DROP TABLE patch_files; "
		      "ALTER TABLE runs DROP COLUMN error; "
		      "PRAGMA application_id = 0; "
		      "PRAGMA user_version = 1");
}

/* Make the store at path what a forkmap of schema version 2 left. */
static void downgrade_to_version_2(const char *path)
{
	exec_on(path, "DROP TABLE row_cache; DROP TABLE node_cache; "
		      "ALTER TABLE rows DROP COLUMN patches; "
		      "DROP TABLE patch_files; "
		      "ALTER TABLE runs DROP COLUMN error; "
		      "PRAGMA application_id = 0; "
		      "PRAGMA user_version = 2");
}

/* Make the store at path what a forkmap of schema version 4 left. */
static void downgrade_to_version_4(const char *path)
{
	exec_on(path, "ALTER TABLE rows DROP COLUMN patches; "
		      "ALTER TABLE row_cache DROP COLUMN patches; "
		      "DROP TABLE patch_files; "
		      "PRAGMA user_version = 4");
}

/* The store at path has this forkmap's schema: version, id, every table. */
static void assert_current_schema(const char *path)
{
	assert_int_equal(query_int(path, "PRAGMA user_version"), 5);
	assert_int_equal(query_int(path, "PRAGMA application_id"), 1718316400);
	assert_int_equal(query_int(path, "SELECT count(*) FROM "
					 "pragma_table_info('rows') WHERE "
					 "name = 'patches'"),
			 1);
	assert_int_equal(query_int(path,
				   "SELECT count(*) FROM sqlite_master WHERE "
				   "name IN ('runs', 'rows', 'releases', "
				   "'http_cache', 'blob_lines', 'patch_ids', "
				   "'patch_headers', 'diff_stats', "
				   "'row_cache', 'node_cache', 'patch_files')"),
			 11);
}

/* The whole file, to compare before and after an open that must refuse. */
static char *slurp(const char *path, long *len)
{
	FILE *f = fopen(path, "rb");
	char *data;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	*len = ftell(f);
	rewind(f);
	data = malloc((size_t)*len + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)*len, f), (size_t)*len);
	fclose(f);
	return data;
}

/*
 * Both opens refuse the file at path with a message holding want, and
 * leave it byte for byte as it was, with no file beside it.
 */
static void assert_refused_untouched(struct fixture *fx, const char *want)
{
	long len0, len1;
	char *before = slurp(fx->path, &len0), *after, p[400];
	fm_store *s = (fm_store *)&s;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), FM_ESTORE);
	assert_null(s);
	assert_non_null(strstr(fm_ctx_errmsg(fx->ctx), want));
	fm_ctx_clear_error(fx->ctx);
	s = (fm_store *)&s;
	assert_int_equal(fm_store_open_readonly(fx->ctx, fx->path, &s),
			 FM_ESTORE);
	assert_null(s);
	assert_non_null(strstr(fm_ctx_errmsg(fx->ctx), want));
	fm_ctx_clear_error(fx->ctx);
	after = slurp(fx->path, &len1);
	assert_int_equal(len0, len1);
	assert_memory_equal(before, after, (size_t)len0);
	snprintf(p, sizeof(p), "%s-wal", fx->path);
	assert_int_equal(access(p, F_OK), -1);
	snprintf(p, sizeof(p), "%s-shm", fx->path);
	assert_int_equal(access(p, F_OK), -1);
	free(before);
	free(after);
}

static void test_schema_version_and_wal(void **state)
{
	struct fixture *fx = *state;
	fm_store *s;
	sqlite3 *db;
	sqlite3_stmt *st;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	fm_store_free(s);
	assert_current_schema(fx->path);
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
	assert_int_equal(query_int(fx->path, "PRAGMA user_version"), 5);
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

/*
 * A version-4 store (before patches) is migrated on open: its rows are
 * kept, their patches unknown (-1), and a new run keeps its patches.
 */
static void test_migrates_version_4(void **state)
{
	struct fixture *fx = *state;
	fm_census *c = sample_census("qemu/qemu"), *back;
	fm_store *s;
	int64_t id, id2;
	size_t i;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_save_census(fx->ctx, s, c, NULL, &id), 0);
	fm_store_free(s);
	downgrade_to_version_4(fx->path);
	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_save_census(fx->ctx, s, c, NULL, &id2), 0);
	assert_int_equal(fm_store_load_census(fx->ctx, s, id2, &back), 0);
	assert_census_equal(back, c);
	fm_census_free(back);
	assert_int_equal(fm_store_load_census(fx->ctx, s, id, &back), 0);
	for (i = 0; i < c->nrows; i++) {
		assert_true(c->rows[i].patches >= 0);
		c->rows[i].patches = -1;
	}
	assert_census_equal(back, c);
	fm_census_free(back);
	fm_store_free(s);
	assert_current_schema(fx->path);
	fm_census_free(c);
}

/* The runs a version-1 store holds are still there after the migration. */
static void test_migrates_version_1_keeps_runs(void **state)
{
	struct fixture *fx = *state;
	fm_census *c = sample_census("qemu/qemu"), *back;
	fm_store *s;
	int64_t id;
	size_t i;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_save_census(fx->ctx, s, c, NULL, &id), 0);
	fm_store_free(s);
	downgrade_to_version_1(fx->path);
	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_load_census(fx->ctx, s, id, &back), 0);
	for (i = 0; i < c->nrows; i++) /* counted after version 1 */
		c->rows[i].patches = -1;
	assert_census_equal(back, c);
	fm_census_free(back);
	fm_store_free(s);
	assert_int_equal(query_int(fx->path, "PRAGMA user_version"), 5);
	assert_int_equal(query_int(fx->path,
				   "SELECT count(*) FROM sqlite_master"
				   " WHERE name = 'diff_stats'"),
			 1);
	fm_census_free(c);
}

/* An empty database file (version 0, no tables) gets the whole schema. */
static void test_migrates_version_0(void **state)
{
	struct fixture *fx = *state;
	fm_store *s;
	FILE *f = fopen(fx->path, "w");

	assert_non_null(f);
	fclose(f);
	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	fm_store_free(s);
	assert_current_schema(fx->path);
}

/*
 * A database with tables of its own and no schema version is someone
 * else's (it used to get our tables added): refused, untouched.
 */
static void test_foreign_database_untouched(void **state)
{
	struct fixture *fx = *state;

	exec_on(fx->path, "CREATE TABLE unrelated (x); "
			  "INSERT INTO unrelated VALUES (1)");
	assert_refused_untouched(fx, "not a forkmap store");
}

/* Another application's id, even with a runs table and a version. */
static void test_foreign_application_id_untouched(void **state)
{
	struct fixture *fx = *state;

	exec_on(fx->path, "CREATE TABLE runs (x); "
			  "PRAGMA application_id = 42; "
			  "PRAGMA user_version = 2");
	assert_refused_untouched(fx, "another application id");
}

/* A version but no runs table: not ours either. */
static void test_version_without_runs_untouched(void **state)
{
	struct fixture *fx = *state;

	exec_on(fx->path, "CREATE TABLE t (x); PRAGMA user_version = 1");
	assert_refused_untouched(fx, "no runs table");
}

/* A negative version used to index the migrations out of bounds. */
static void test_negative_version_untouched(void **state)
{
	struct fixture *fx = *state;
	fm_store *s;
	FILE *f;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	fm_store_free(s);
	exec_on(fx->path, "PRAGMA user_version = -1");
	assert_refused_untouched(fx, "invalid schema version -1");
	/* INT_MIN, written into the header (offset 60, big-endian) since
	 * the pragma does not take it */
	f = fopen(fx->path, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, 60, SEEK_SET), 0);
	assert_int_equal(fwrite("\x80\0\0\0", 1, 4, f), 4);
	fclose(f);
	assert_refused_untouched(fx, "invalid schema version -2147483648");
}

static void test_future_version_untouched(void **state)
{
	struct fixture *fx = *state;
	fm_store *s;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	fm_store_free(s);
	exec_on(fx->path, "PRAGMA user_version = 4000");
	assert_refused_untouched(fx, "schema version 4000 is newer than "
				     "this forkmap's (5)");
}

/*
 * A version-2 store: a reader refuses it with the way out, the writer
 * migrates it (error column, application id), after which it reads.
 */
static void test_version_2_reader_refuses_writer_migrates(void **state)
{
	struct fixture *fx = *state;
	fm_census *c = sample_census("qemu/qemu"), *back;
	fm_store *s;
	int64_t id;
	char want[600];
	size_t i;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_save_census(fx->ctx, s, c, NULL, &id), 0);
	fm_store_free(s);
	downgrade_to_version_2(fx->path);
	snprintf(want, sizeof(want),
		 "store '%s' has schema version 2, this forkmap reads 5: "
		 "run 'forkmap census' on it once to migrate",
		 fx->path);
	assert_int_equal(fm_store_open_readonly(fx->ctx, fx->path, &s),
			 FM_ESTORE);
	assert_string_equal(fm_ctx_errmsg(fx->ctx), want);
	fm_ctx_clear_error(fx->ctx);
	assert_int_equal(query_int(fx->path, "PRAGMA user_version"), 2);

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	fm_store_free(s);
	assert_int_equal(query_int(fx->path, "PRAGMA user_version"), 5);
	assert_int_equal(query_int(fx->path, "PRAGMA application_id"),
			 1718316400);
	assert_int_equal(query_int(fx->path, "SELECT count(*) FROM runs"
					     " WHERE error IS NULL"),
			 1);
	assert_int_equal(fm_store_open_readonly(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_load_census(fx->ctx, s, id, &back), 0);
	for (i = 0; i < c->nrows; i++) /* counted after version 2 */
		c->rows[i].patches = -1;
	assert_census_equal(back, c);
	fm_census_free(back);
	fm_store_free(s);
	fm_census_free(c);
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
		cmocka_unit_test_setup_teardown(test_migrates_version_4, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_migrates_version_0, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_foreign_database_untouched,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_foreign_application_id_untouched, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_version_without_runs_untouched, setup, teardown),
		cmocka_unit_test_setup_teardown(test_negative_version_untouched,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_future_version_untouched,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_version_2_reader_refuses_writer_migrates, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
