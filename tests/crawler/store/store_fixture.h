#ifndef FORKMAP_TESTS_STORE_FIXTURE_H
#define FORKMAP_TESTS_STORE_FIXTURE_H
/*
 * What the tests of crawler/store share: a fresh directory with a store
 * path per test (setup/teardown), a census with every kind of row, and a
 * look into the database file from outside. Include after <cmocka.h>.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include <forkmap/runs.h>

#include "store/cache.h"

#include "census_assert.h"

#define OID_A "0123456789abcdef0123456789abcdef01234567"
#define OID_B "89abcdef0123456789abcdef0123456789abcdef"
#define OID_U "fedcba9876543210fedcba9876543210fedcba98"

struct fixture {
	char dir[256];
	char path[300];
	fm_ctx *ctx;
};

static inline int setup(void **state)
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

static inline int teardown(void **state)
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

/*
 * Four rows: measured (with hostile text), failed, skipped, and one with
 * NULL strings and unset dates; two releases.
 */
static inline fm_census *sample_census(const char *upstream)
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
		r->patches = 30 + (long)i;
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

static inline void assert_census_equal(const fm_census *a, const fm_census *b)
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

static inline long long query_int(const char *path, const char *sql)
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

#endif
