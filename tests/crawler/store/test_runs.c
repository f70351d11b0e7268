/* The SQLite census store: runs, rows, releases and the caches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "census_assert.h"
#include <sqlite3.h>

#include <forkmap/runs.h>

#include "store/cache.h"

#define OID_A "0123456789abcdef0123456789abcdef01234567"
#define OID_B "89abcdef0123456789abcdef0123456789abcdef"
#define OID_U "fedcba9876543210fedcba9876543210fedcba98"

struct fixture {
	char dir[256];
	char path[300];
	fm_ctx *ctx;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	const char *tmp = getenv("TMPDIR");

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "%s/fm-store-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(fx->dir) || fm_ctx_new(&fx->ctx) < 0) {
		free(fx);
		return -1;
	}
	snprintf(fx->path, sizeof(fx->path), "%s/census.db", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char p[400];

	/* the store and its WAL files */
	snprintf(p, sizeof(p), "%s-wal", fx->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", fx->path);
	unlink(p);
	unlink(fx->path);
	snprintf(p, sizeof(p), "%s/not-a-db", fx->dir);
	unlink(p);
	rmdir(fx->dir);
	fm_ctx_free(fx->ctx);
	free(fx);
	return 0;
}

static char *xstrdup(const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	assert_non_null(d);
	return d;
}

static fm_date mkdate(int64_t t, int offset)
{
	fm_date d = {t, offset, 1};

	return d;
}

/*
 * Four rows: measured (with hostile text), failed, skipped, and one with
 * NULL strings and unset dates; two releases.
 */
static fm_census *sample_census(const char *upstream)
{
	fm_census *c = calloc(1, sizeof(*c));
	fm_row *r;
	size_t i;

	assert_non_null(c);
	c->upstream = xstrdup(upstream);
	c->branch = xstrdup("master");
	strcpy(c->head, OID_U);
	c->head_date = mkdate(1709643731, -210);
	c->head_tree_lines = 2345678;
	c->started = 1709640000;
	c->finished = 1709643000;
	c->rows = calloc(4, sizeof(*c->rows));
	assert_non_null(c->rows);
	c->nrows = 4;
	for (i = 0; i < 4; i++) {
		r = &c->rows[i];
		r->ahead = 10 + (long)i;
		r->behind = 20 + (long)i;
		r->ahead_first_parent = 30 + (long)i;
		r->unique = 40 + (long)i;
		r->files = 50 + (long)i;
		r->insertions = 60 + (long)i;
		r->deletions = 70 + (long)i;
		r->stars = 80 + (long)i;
	}
	r = &c->rows[0];
	r->name = xstrdup("acme/qemu'); DROP TABLE runs; --");
	r->branch = xstrdup("main\n\"quoted\"");
	r->ref = xstrdup("refs/forkmap/acme/qemu/main");
	r->source = FM_SOURCE_GITHUB;
	strcpy(r->head, OID_A);
	strcpy(r->merge_base, OID_B);
	r->base_tag = xstrdup("v8.0.0");
	r->release = xstrdup("v8.0.1");
	r->head_date = mkdate(1709643731, 330);
	r->merge_base_date = mkdate(1682000000, -210);
	r->base_date = mkdate(-100, 0);

	r = &c->rows[1];
	r->name = xstrdup("broken");
	r->branch = xstrdup("main");
	r->ref = xstrdup("refs/heads/forks/broken");
	r->source = FM_SOURCE_LOCAL;
	r->error = xstrdup("no common history with upstream");
	r->base_tag = xstrdup("");
	r->release = xstrdup("");
	r->ahead = r->behind = r->stars = -1;

	r = &c->rows[2];
	r->name = xstrdup("idle");
	r->branch = xstrdup("main");
	r->ref = xstrdup("refs/forkmap/idle/qemu/main");
	r->source = FM_SOURCE_CONFIG;
	r->skipped = xstrdup("ahead == 0");
	r->base_tag = xstrdup("v7.2.0");
	r->release = xstrdup("v7.2.0");
	r->head_date = mkdate(1600000000, 0);

	r = &c->rows[3];
	r->name = xstrdup("h\xc3\xa9llo \xff bytes");
	r->source = FM_SOURCE_GITHUB; /* branch, ref, tags NULL */

	c->releases = calloc(2, sizeof(*c->releases));
	assert_non_null(c->releases);
	c->nreleases = 2;
	c->releases[0].tag = xstrdup("v7.2.0");
	strcpy(c->releases[0].commit, OID_B);
	c->releases[0].date = mkdate(1671580800, 60);
	c->releases[0].tree_lines = 1900000;
	c->releases[1].tag = xstrdup("v8.0.1");
	c->releases[1].tree_lines = 0; /* unknown, and no date */
	return c;
}

static void assert_census_equal(const fm_census *a, const fm_census *b)
{
	size_t i;

	assert_str_or_null_equal(a->upstream, b->upstream);
	assert_str_or_null_equal(a->branch, b->branch);
	assert_string_equal(a->head, b->head);
	assert_date_equal(&a->head_date, &b->head_date);
	assert_int_equal(a->head_tree_lines, b->head_tree_lines);
	assert_true(a->started == b->started);
	assert_true(a->finished == b->finished);
	assert_int_equal(a->nrows, b->nrows);
	for (i = 0; i < a->nrows; i++)
		assert_row_equal(&a->rows[i], &b->rows[i]);
	assert_int_equal(a->nreleases, b->nreleases);
	for (i = 0; i < a->nreleases; i++) {
		assert_string_equal(a->releases[i].tag, b->releases[i].tag);
		assert_string_equal(a->releases[i].commit,
				    b->releases[i].commit);
		assert_date_equal(&a->releases[i].date, &b->releases[i].date);
		assert_int_equal(a->releases[i].tree_lines,
				 b->releases[i].tree_lines);
	}
}

static void round_trip(fm_ctx *ctx, const char *path)
{
	fm_census *c = sample_census("qemu/qemu"), *back = NULL;
	fm_store *s;
	int64_t id = 0;

	assert_int_equal(fm_store_open(ctx, path, &s), 0);
	assert_int_equal(fm_store_save_census(ctx, s, c, NULL, &id), 0);
	assert_true(id > 0);
	assert_int_equal(fm_store_load_census(ctx, s, id, &back), 0);
	assert_census_equal(back, c);
	fm_census_free(back);
	/* 0: the latest */
	assert_int_equal(fm_store_load_census(ctx, s, 0, &back), 0);
	assert_census_equal(back, c);
	fm_census_free(back);
	fm_store_free(s);
	fm_census_free(c);
}

static void test_round_trip_memory(void **state)
{
	struct fixture *fx = *state;

	round_trip(fx->ctx, ":memory:");
	assert_int_equal(fm_ctx_errcode(fx->ctx), FM_OK);
}

static void test_round_trip_file_and_reopen(void **state)
{
	struct fixture *fx = *state;
	fm_census *c = sample_census("qemu/qemu"), *back;
	fm_store *s;

	round_trip(fx->ctx, fx->path);
	/* a second open finds the run, migrates nothing */
	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_load_census(fx->ctx, s, 0, &back), 0);
	assert_census_equal(back, c);
	fm_census_free(back);
	fm_store_free(s);
	fm_census_free(c);
}

static long long query_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void test_schema_version_and_wal(void **state)
{
	struct fixture *fx = *state;
	fm_store *s;
	sqlite3 *db;
	sqlite3_stmt *st;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	fm_store_free(s);
	assert_int_equal(query_int(fx->path, "PRAGMA user_version"), 2);
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
	sqlite3 *db;
	int64_t v;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_cache_put(fx->ctx, s, "patch_ids", "k", 7), 0);
	fm_store_free(s);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE diff_stats; "
					  "PRAGMA user_version = 1",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_cache_get(fx->ctx, s, "patch_ids", "k", &v),
			 0);
	assert_int_equal(v, 7);
	assert_int_equal(fm_store_cache_put(fx->ctx, s, "diff_stats", "a..b:f",
					    3),
			 0);
	fm_store_free(s);
	assert_int_equal(query_int(fx->path, "PRAGMA user_version"), 2);
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

static void test_list_runs_and_counts(void **state)
{
	struct fixture *fx = *state;
	fm_run_stats stats = FM_RUN_STATS_INIT;
	fm_census *a = sample_census("qemu/qemu");
	fm_census *b = sample_census("redis/redis");
	fm_run_info *runs;
	fm_store *s;
	int64_t ida, idb;
	size_t n;

	assert_int_equal(fm_store_open(fx->ctx, ":memory:", &s), 0);
	assert_int_equal(fm_store_list_runs(fx->ctx, s, &runs, &n), 0);
	assert_int_equal(n, 0);
	fm_run_info_free(runs, n);

	stats.requests = 17;
	stats.not_modified = 15;
	stats.remaining = 4983;
	stats.complete = 0;
	assert_int_equal(fm_store_save_census(fx->ctx, s, a, &stats, &ida), 0);
	b->started = a->started + 86400;
	free(b->rows[1].error); /* b: 3 measured, 1 skipped, 0 failed */
	b->rows[1].error = NULL;
	assert_int_equal(fm_store_save_census(fx->ctx, s, b, NULL, &idb), 0);
	assert_true(idb > ida);

	assert_int_equal(fm_store_list_runs(fx->ctx, s, &runs, &n), 0);
	assert_int_equal(n, 2);
	/* newest first */
	assert_true(runs[0].id == idb);
	assert_string_equal(runs[0].upstream, "redis/redis");
	assert_string_equal(runs[0].branch, "master");
	assert_true(runs[0].started == b->started);
	assert_int_equal(runs[0].forks, 4);
	assert_int_equal(runs[0].measured, 3);
	assert_int_equal(runs[0].skipped, 1);
	assert_int_equal(runs[0].failed, 0);
	assert_int_equal(runs[0].stats.requests, 0); /* FM_RUN_STATS_INIT */
	assert_int_equal(runs[0].stats.remaining, -1);
	assert_int_equal(runs[0].stats.complete, 1);

	assert_true(runs[1].id == ida);
	assert_string_equal(runs[1].upstream, "qemu/qemu");
	assert_true(runs[1].started == a->started);
	assert_true(runs[1].finished == a->finished);
	assert_int_equal(runs[1].forks, 4);
	assert_int_equal(runs[1].measured, 2);
	assert_int_equal(runs[1].skipped, 1);
	assert_int_equal(runs[1].failed, 1);
	assert_int_equal(runs[1].stats.requests, 17);
	assert_int_equal(runs[1].stats.not_modified, 15);
	assert_int_equal(runs[1].stats.remaining, 4983);
	assert_int_equal(runs[1].stats.complete, 0);
	fm_run_info_free(runs, n);
	fm_run_info_free(NULL, 0);

	fm_store_free(s);
	fm_census_free(a);
	fm_census_free(b);
}

static void test_load_missing_run(void **state)
{
	struct fixture *fx = *state;
	fm_census *c = (fm_census *)&c;
	fm_store *s;

	assert_int_equal(fm_store_open(fx->ctx, ":memory:", &s), 0);
	assert_int_equal(fm_store_load_census(fx->ctx, s, 0, &c), FM_ENOTFOUND);
	assert_null(c);
	assert_string_equal(fm_ctx_errmsg(fx->ctx),
			    "no census run in the store");
	fm_ctx_clear_error(fx->ctx);
	assert_int_equal(fm_store_load_census(fx->ctx, s, 42, &c),
			 FM_ENOTFOUND);
	assert_string_equal(fm_ctx_errmsg(fx->ctx),
			    "no census run 42 in the store");
	fm_store_free(s);
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

static void test_http_cache(void **state)
{
	struct fixture *fx = *state;
	static const char body[] = "[{\"id\": 1}]\0binary\xff";
	const char *url = "https://api.github.com/repos/o/r/forks?page=2";
	fm_http_entry e = {NULL, NULL, NULL, NULL, 0}, got;
	fm_store *s;

	assert_int_equal(fm_store_open(fx->ctx, ":memory:", &s), 0);
	/* a miss sets no error */
	assert_int_equal(fm_store_http_get(fx->ctx, s, url, &got),
			 FM_ENOTFOUND);
	assert_int_equal(fm_ctx_errcode(fx->ctx), FM_OK);

	e.etag = "W/\"abc\"";
	e.last_modified = "Tue, 05 Mar 2024 13:02:11 GMT";
	e.link = "<https://api.github.com/x?page=3>; rel=\"next\"";
	e.body = (char *)body;
	e.body_len = sizeof(body) - 1;
	assert_int_equal(fm_store_http_put(fx->ctx, s, url, &e), 0);
	assert_int_equal(fm_store_http_get(fx->ctx, s, url, &got), 0);
	assert_string_equal(got.etag, e.etag);
	assert_string_equal(got.last_modified, e.last_modified);
	assert_string_equal(got.link, e.link);
	assert_int_equal(got.body_len, sizeof(body) - 1);
	assert_memory_equal(got.body, body, sizeof(body) - 1);
	assert_int_equal(got.body[got.body_len], '\0');
	fm_http_entry_clear(&got);
	assert_null(got.body);

	/* overwrite: absent validators become NULL */
	e.etag = "\"def\"";
	e.last_modified = NULL;
	e.link = NULL;
	e.body = "[]";
	e.body_len = 2;
	assert_int_equal(fm_store_http_put(fx->ctx, s, url, &e), 0);
	assert_int_equal(fm_store_http_get(fx->ctx, s, url, &got), 0);
	assert_string_equal(got.etag, "\"def\"");
	assert_null(got.last_modified);
	assert_null(got.link);
	assert_string_equal(got.body, "[]");
	fm_http_entry_clear(&got);

	/* no body at all */
	e.body = NULL;
	e.body_len = 0;
	assert_int_equal(fm_store_http_put(fx->ctx, s, "u2", &e), 0);
	assert_int_equal(fm_store_http_get(fx->ctx, s, "u2", &got), 0);
	assert_null(got.body);
	assert_int_equal(got.body_len, 0);
	fm_http_entry_clear(&got);
	fm_store_free(s);
}

static void test_kv_caches(void **state)
{
	struct fixture *fx = *state;
	int64_t v = -5;
	fm_store *s;
	char key[41];
	int i;

	assert_int_equal(fm_store_open(fx->ctx, ":memory:", &s), 0);
	assert_int_equal(
		fm_store_cache_get(fx->ctx, s, "blob_lines", OID_A, &v),
		FM_ENOTFOUND);
	assert_true(v == -5);
	assert_int_equal(fm_ctx_errcode(fx->ctx), FM_OK);
	assert_int_equal(
		fm_store_cache_put(fx->ctx, s, "blob_lines", OID_A, 1234), 0);
	assert_int_equal(fm_store_cache_put(fx->ctx, s, "patch_ids", OID_A,
					    INT64_MIN + 1),
			 0);
	assert_int_equal(
		fm_store_cache_get(fx->ctx, s, "blob_lines", OID_A, &v), 0);
	assert_true(v == 1234);
	assert_int_equal(fm_store_cache_get(fx->ctx, s, "patch_ids", OID_A, &v),
			 0);
	assert_true(v == INT64_MIN + 1);
	/* overwrite */
	assert_int_equal(
		fm_store_cache_put(fx->ctx, s, "blob_lines", OID_A, 99), 0);
	assert_int_equal(
		fm_store_cache_get(fx->ctx, s, "blob_lines", OID_A, &v), 0);
	assert_true(v == 99);
	assert_int_equal(fm_store_cache_get(fx->ctx, s, "patch_ids", OID_B, &v),
			 FM_ENOTFOUND);

	/* a batch in one transaction */
	assert_int_equal(fm_store_begin(fx->ctx, s), 0);
	for (i = 0; i < 500; i++) {
		snprintf(key, sizeof(key), "%040d", i);
		assert_int_equal(
			fm_store_cache_put(fx->ctx, s, "patch_ids", key, i * 3),
			0);
	}
	assert_int_equal(fm_store_commit(fx->ctx, s), 0);
	snprintf(key, sizeof(key), "%040d", 321);
	assert_int_equal(fm_store_cache_get(fx->ctx, s, "patch_ids", key, &v),
			 0);
	assert_true(v == 963);
	fm_store_free(s);
}

static void test_cache_table_restricted(void **state)
{
	struct fixture *fx = *state;
	int64_t v;
	fm_store *s;

	assert_int_equal(fm_store_open(fx->ctx, ":memory:", &s), 0);
	assert_int_equal(fm_store_cache_put(fx->ctx, s, "runs", "k", 1),
			 FM_EINVAL);
	assert_string_equal(fm_ctx_errmsg(fx->ctx),
			    "unknown cache table 'runs'");
	fm_ctx_clear_error(fx->ctx);
	assert_int_equal(fm_store_cache_get(fx->ctx, s,
					    "blob_lines; DROP TABLE runs", "k",
					    &v),
			 FM_EINVAL);
	fm_ctx_clear_error(fx->ctx);
	assert_int_equal(fm_store_cache_get(fx->ctx, s, NULL, "k", &v),
			 FM_EINVAL);
	assert_int_equal(fm_store_cache_put(fx->ctx, s, "BLOB_LINES", "k", 1),
			 FM_EINVAL);
	fm_store_free(s);
}

struct worker {
	fm_store *store;
	int id;
	int failures;
};

static void *hammer(void *arg)
{
	struct worker *w = arg;
	fm_ctx *ctx;
	char key[41];
	int64_t v;
	int i;

	if (fm_ctx_new(&ctx) < 0) {
		w->failures++;
		return NULL;
	}
	for (i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), "%02d%038d", w->id, i);
		if (fm_store_cache_put(ctx, w->store, "patch_ids", key,
				       w->id * 1000 + i) < 0 ||
		    fm_store_cache_get(ctx, w->store, "patch_ids", key, &v) <
			    0 ||
		    v != w->id * 1000 + i)
			w->failures++;
	}
	fm_ctx_free(ctx);
	return NULL;
}

/* The patch-id workers share one store. */
static void test_cache_threads(void **state)
{
	struct fixture *fx = *state;
	struct worker w[4];
	pthread_t t[4];
	fm_store *s;
	int i;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_begin(fx->ctx, s), 0);
	for (i = 0; i < 4; i++) {
		w[i].store = s;
		w[i].id = i;
		w[i].failures = 0;
		assert_int_equal(pthread_create(&t[i], NULL, hammer, &w[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].failures, 0);
	}
	assert_int_equal(fm_store_commit(fx->ctx, s), 0);
	fm_store_free(s);
	assert_int_equal(query_int(fx->path, "SELECT count(*) FROM patch_ids"),
			 800);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip_memory, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_file_and_reopen,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_version_and_wal,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrates_version_1, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_database, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_list_runs_and_counts,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_missing_run, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_save_is_atomic, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_http_cache, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_kv_caches, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cache_table_restricted,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_threads, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
