#ifndef FORKMAP_TESTS_EXPORT_FIXTURE_H
#define FORKMAP_TESTS_EXPORT_FIXTURE_H
/*
 * What the tests of crawler/export share: census rows of each kind, and
 * exporting to or importing from a string. Include after <cmocka.h>.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/export.h>

#include "census_assert.h"

#define OID_A "0123456789abcdef0123456789abcdef01234567"
#define OID_B "89abcdef0123456789abcdef0123456789abcdef"
#define OID_U "fedcba9876543210fedcba9876543210fedcba98"

#define OUR_HEADER                                                            \
	FM_CSV_SEED_HEADER ",source,ref,head,merge_base,behind,"              \
			   "ahead_first_parent,unique,release,files,"         \
			   "head_date_iso,merge_base_date_iso,base_date_iso," \
			   "stars,patches,fate,error,skipped"

static inline fm_census *census_new(size_t nrows)
{
	fm_census *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->upstream = xstrdup("qemu/qemu");
	c->branch = xstrdup("master");
	strcpy(c->head, OID_U);
	c->head_date = mkdate(1709643731, 60);
	c->head_tree_lines = 1000000;
	/* a day after the tip: the fates the exports compute are judged
	 * as of the census's end, not the wall clock */
	c->finished = 1709643731 + 86400;
	c->rows = calloc(nrows, sizeof(*c->rows));
	assert_non_null(c->rows);
	c->nrows = nrows;
	return c;
}

/* A measured row; every number distinct so swaps are caught. */
static inline void row_measured(fm_row *r, const char *name, const char *branch)
{
	r->name = xstrdup(name);
	r->branch = xstrdup(branch);
	r->ref = xstrdup("refs/forkmap/acme/qemu/main");
	r->source = FM_SOURCE_GITHUB;
	strcpy(r->head, OID_A);
	strcpy(r->merge_base, OID_B);
	r->ahead = 12;
	r->behind = 5;
	r->ahead_first_parent = 10;
	r->unique = 8;
	r->base_tag = xstrdup("v8.0.0");
	r->release = xstrdup("v8.0.0");
	r->files = 7;
	r->insertions = 300;
	r->deletions = 20;
	r->head_date = mkdate(1709643731, 60);	       /* 2024-03-05 */
	r->merge_base_date = mkdate(1682000000, -210); /* 2023-04-20 */
	r->base_date = mkdate(1681900000, 330);	       /* 2023-04-19 */
	r->stars = 42;
	r->patches = 6;
}

/* A row whose fork failed: numbers unknown (-1), no dates. */
static inline void row_failed(fm_row *r, const char *name, const char *error)
{
	r->name = xstrdup(name);
	r->branch = xstrdup("main");
	r->ref = xstrdup("refs/heads/forks/x");
	r->source = FM_SOURCE_LOCAL;
	r->error = xstrdup(error);
	r->ahead = r->behind = r->ahead_first_parent = r->unique = -1;
	r->files = r->insertions = r->deletions = -1;
	r->stars = -1;
	r->patches = -1;
	r->base_tag = xstrdup("");
	r->release = xstrdup("");
}

static inline char *export_str(fm_census *c, int include_skipped, int json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	fm_ctx *ctx;

	assert_non_null(f);
	assert_int_equal(fm_ctx_new(&ctx), 0);
	if (json)
		assert_int_equal(fm_export_json(ctx, c, include_skipped, f), 0);
	else
		assert_int_equal(fm_export_csv(ctx, c, include_skipped, f), 0);
	fclose(f);
	fm_ctx_free(ctx);
	return buf;
}

/* Import; on failure returns NULL with *err and the message in msg. */
static inline fm_census *import_str(const char *csv, int *err, char *msg,
				    size_t n)
{
	FILE *f = fmemopen((void *)csv, strlen(csv), "r");
	fm_census *c = NULL;
	fm_ctx *ctx;

	assert_non_null(f);
	assert_int_equal(fm_ctx_new(&ctx), 0);
	*err = fm_import_csv(ctx, f, &c);
	if (msg)
		snprintf(msg, n, "%s", fm_ctx_errmsg(ctx));
	fclose(f);
	fm_ctx_free(ctx);
	if (*err == 0)
		assert_non_null(c);
	else
		assert_null(c);
	return c;
}

/* Export to a full device: FM_EIO with want in the message. */
static inline void expect_write_error(int json, const char *want)
{
	FILE *f = fopen("/dev/full", "w");
	fm_census *c;
	fm_ctx *ctx;

	if (!f)
		skip();
	c = census_new(1);
	row_measured(&c->rows[0], "acme/qemu", "main");
	assert_int_equal(fm_ctx_new(&ctx), 0);
	if (json)
		assert_int_equal(fm_export_json(ctx, c, 0, f), FM_EIO);
	else
		assert_int_equal(fm_export_csv(ctx, c, 0, f), FM_EIO);
	assert_non_null(strstr(fm_ctx_errmsg(ctx), want));
	fclose(f);
	fm_ctx_free(ctx);
	fm_census_free(c);
}

#endif
