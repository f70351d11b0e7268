/* CSV and JSON export, CSV import. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "census_assert.h"
#include <cjson/cJSON.h>

#include <forkmap/export.h>
#include <forkmap/util.h>

#define OID_A "0123456789abcdef0123456789abcdef01234567"
#define OID_B "89abcdef0123456789abcdef0123456789abcdef"
#define OID_U "fedcba9876543210fedcba9876543210fedcba98"

#define OUR_HEADER                                                            \
	FM_CSV_SEED_HEADER ",source,ref,head,merge_base,behind,"              \
			   "ahead_first_parent,unique,release,files,"         \
			   "head_date_iso,merge_base_date_iso,base_date_iso," \
			   "stars,error,skipped"

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

static fm_census *census_new(size_t nrows)
{
	fm_census *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->upstream = xstrdup("qemu/qemu");
	c->branch = xstrdup("master");
	strcpy(c->head, OID_U);
	c->head_date = mkdate(1709643731, 60);
	c->head_tree_lines = 1000000;
	c->rows = calloc(nrows, sizeof(*c->rows));
	assert_non_null(c->rows);
	c->nrows = nrows;
	return c;
}

/* A measured row; every number distinct so swaps are caught. */
static void row_measured(fm_row *r, const char *name, const char *branch)
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
}

/* A row whose fork failed: numbers unknown (-1), no dates. */
static void row_failed(fm_row *r, const char *name, const char *error)
{
	r->name = xstrdup(name);
	r->branch = xstrdup("main");
	r->ref = xstrdup("refs/heads/forks/x");
	r->source = FM_SOURCE_LOCAL;
	r->error = xstrdup(error);
	r->ahead = r->behind = r->ahead_first_parent = r->unique = -1;
	r->files = r->insertions = r->deletions = -1;
	r->stars = -1;
	r->base_tag = xstrdup("");
	r->release = xstrdup("");
}

static char *export_str(fm_census *c, int include_skipped, int json)
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
static fm_census *import_str(const char *csv, int *err, char *msg, size_t n)
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

static void check_field(const char *in, const char *want)
{
	char *out = fm_csv_field(in);

	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void test_csv_field_escaping(void **state)
{
	(void)state;
	check_field("plain", "plain");
	check_field(NULL, "");
	check_field("", "");
	check_field("a,b", "\"a,b\"");
	check_field("say \"hi\"", "\"say \"\"hi\"\"\"");
	check_field("line\nbreak", "\"line\nbreak\"");
	check_field("cr\rlf", "\"cr\rlf\"");
	/* formula injection */
	check_field("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"");
	check_field("=1+1", "'=1+1");
	check_field("+1", "'+1");
	check_field("-x", "'-x");
	check_field("@SUM(A1)", "'@SUM(A1)");
	check_field("\tx", "'\tx");
	check_field("\rx", "\"'\rx\"");
	check_field("=a,b", "\"'=a,b\"");
	/* a quote already in front of a formula gets one more */
	check_field("'=x", "''=x");
	check_field("'plain", "'plain");
	check_field("a=b", "a=b");
}

static void test_csv_header_exact(void **state)
{
	fm_census *c = census_new(0);
	char *out = export_str(c, 0, 0);

	(void)state;
	assert_string_equal(out, OUR_HEADER "\n");
	assert_true(strncmp(out,
			    "repo name,branch,base tag,base date,commits "
			    "ahead,head date,lines added,lines deleted,",
			    strlen(FM_CSV_SEED_HEADER) + 1) == 0);
	free(out);
	fm_census_free(c);
}

static void test_csv_row_text(void **state)
{
	fm_census *c = census_new(2);
	char *out;

	(void)state;
	row_measured(&c->rows[0], "acme/qemu", "main");
	row_failed(&c->rows[1], "broken", "no common history with upstream");
	out = export_str(c, 0, 0);
	assert_string_equal(
		out,
		OUR_HEADER "\n"
			   "acme/qemu,main,v8.0.0,19/04/2023,12,05/03/2024,300,"
			   "20,github,refs/forkmap/acme/qemu/main," OID_A
			   "," OID_B ",5,10,8,v8.0.0,7,"
			   "2024-03-05T14:02:11+01:00,"
			   "2023-04-20T10:43:20-03:30,"
			   "2023-04-19T15:56:40+05:30,42,,\n"
			   "broken,main,,,,,,,local,refs/heads/forks/x,,,,,,,"
			   ",,,,,no common history with upstream,\n");
	free(out);
	fm_census_free(c);
}

static void test_csv_skipped_rows(void **state)
{
	fm_census *c = census_new(2);
	char *out;

	(void)state;
	row_measured(&c->rows[0], "kept", "main");
	row_measured(&c->rows[1], "empty-fork", "main");
	c->rows[1].skipped = xstrdup("ahead == 0");
	out = export_str(c, 0, 0);
	assert_non_null(strstr(out, "\nkept,"));
	assert_null(strstr(out, "empty-fork"));
	free(out);
	out = export_str(c, 1, 0);
	assert_non_null(strstr(out, "\nempty-fork,"));
	free(out);
	fm_census_free(c);
}

/* Names a forge or a ref could hold, and a spreadsheet would mangle. */
static const char *const hostile[] = {
	"acme/qemu",
	"comma,name",
	"quote\"name\"",
	"multi\nline\r\nname",
	"=HYPERLINK(\"http://evil\",\"x\")",
	"+cmd",
	"-cmd",
	"@cmd",
	"\tcmd",
	"'=already",
	"''=twice",
	"'plain",
	"h\xc3\xa9llo \xe6\x97\xa5\xe6\x9c\xac",
	"\x1b[31mred",
	" spaced ",
};
#define NHOSTILE (sizeof(hostile) / sizeof(hostile[0]))

static void test_csv_round_trip(void **state)
{
	fm_census *c = census_new(NHOSTILE + 2), *back;
	char *out, msg[256];
	size_t i;
	int err;

	(void)state;
	for (i = 0; i < NHOSTILE; i++) {
		row_measured(&c->rows[i], hostile[i],
			     hostile[NHOSTILE - 1 - i]);
		c->rows[i].ahead = (long)i;
		c->rows[i].stars = (long)(i * 1000);
		c->rows[i].head_date = mkdate(1700000000 + (int64_t)i * 86399,
					      (int)(i * 45) - 300);
	}
	/* release differs from base tag; one date unset */
	free(c->rows[1].release);
	c->rows[1].release = xstrdup("v8.1.0");
	c->rows[2].merge_base_date.set = 0;
	c->rows[3].source = FM_SOURCE_CONFIG;
	row_failed(&c->rows[NHOSTILE], "failed,one", "fetch failed: \"404\"");
	row_failed(&c->rows[NHOSTILE + 1], "=failed", "-error\nline two");

	out = export_str(c, 0, 0);
	back = import_str(out, &err, msg, sizeof(msg));
	assert_int_equal(err, 0);
	assert_int_equal(back->nrows, c->nrows);
	for (i = 0; i < c->nrows; i++)
		assert_row_equal(&back->rows[i], &c->rows[i]);
	/* releases derived from the rows: v8.0.0 (exact date), v8.1.0 */
	assert_int_equal(back->nreleases, 2);
	assert_string_equal(back->releases[0].tag, "v8.0.0");
	assert_date_equal(&back->releases[0].date, &c->rows[0].base_date);
	assert_int_equal(back->releases[0].tree_lines, -1); /* unknown */
	assert_string_equal(back->releases[1].tag, "v8.1.0");
	free(out);
	fm_census_free(back);
	fm_census_free(c);
}

static void test_import_seed_csv(void **state)
{
	/* columns as the seed notebooks write them, plus one unknown */
	static const char csv[] =
		"\xef\xbb\xbfrepo name,branch,base tag,base date,commits ahead,"
		"head date,lines added,lines deleted,notes\r\n"
		"acme/qemu,master,v7.2.0,21/12/2022,120,05/03/2024,5000,300,"
		"x\r\n"
		"\"beta, inc/qemu\",stable-8,v8.0.0,19/04/2023,3,"
		"01/02/2024,10,2,\"multi\r\nline\"\r\n"
		"old/qemu,master,v7.2.0,21/12/2022,,,,,\r\n"
		"\r\n";
	fm_census *c;
	char msg[256];
	int err;

	(void)state;
	c = import_str(csv, &err, msg, sizeof(msg));
	assert_int_equal(err, 0);
	assert_int_equal(c->nrows, 3);
	assert_string_equal(c->rows[0].name, "acme/qemu");
	assert_string_equal(c->rows[0].branch, "master");
	assert_string_equal(c->rows[0].base_tag, "v7.2.0");
	/* no release column: the base tag is the release node */
	assert_string_equal(c->rows[0].release, "v7.2.0");
	assert_int_equal(c->rows[0].ahead, 120);
	assert_int_equal(c->rows[0].insertions, 5000);
	assert_int_equal(c->rows[0].deletions, 300);
	/* dd/mm/YYYY: UTC midnight */
	assert_int_equal(c->rows[0].base_date.set, 1);
	assert_true(c->rows[0].base_date.time == 1671580800);
	assert_int_equal(c->rows[0].base_date.offset, 0);
	assert_true(c->rows[0].head_date.time == 1709596800);
	assert_int_equal(c->rows[0].merge_base_date.set, 0);
	/* columns the seed has not: unknown */
	assert_int_equal(c->rows[0].behind, -1);
	assert_int_equal(c->rows[0].unique, -1);
	assert_int_equal(c->rows[0].files, -1);
	assert_int_equal(c->rows[0].stars, -1);
	assert_string_equal(c->rows[0].head, "");
	assert_null(c->rows[0].error);
	assert_null(c->rows[0].skipped);
	assert_string_equal(c->rows[1].name, "beta, inc/qemu");
	assert_int_equal(c->rows[2].ahead, -1);
	assert_int_equal(c->rows[2].head_date.set, 0);
	/* release nodes in date order, dated by their base date */
	assert_int_equal(c->nreleases, 2);
	assert_string_equal(c->releases[0].tag, "v7.2.0");
	assert_true(c->releases[0].date.time == 1671580800);
	assert_string_equal(c->releases[1].tag, "v8.0.0");
	assert_true(c->releases[1].date.time == 1681862400);
	assert_non_null(c->upstream);
	assert_non_null(c->branch);
	fm_census_free(c);
}

static void test_import_columns_by_name(void **state)
{
	static const char csv[] = "lines added,Repo Name , commits ahead\n"
				  "7,reordered,3\n";
	fm_census *c;
	int err;

	(void)state;
	c = import_str(csv, &err, NULL, 0);
	assert_int_equal(err, 0);
	assert_int_equal(c->nrows, 1);
	assert_string_equal(c->rows[0].name, "reordered");
	assert_int_equal(c->rows[0].ahead, 3);
	assert_int_equal(c->rows[0].insertions, 7);
	assert_int_equal(c->rows[0].deletions, -1);
	fm_census_free(c);
}

static void expect_csv_error(const char *csv, const char *want)
{
	char msg[256];
	int err;

	assert_null(import_str(csv, &err, msg, sizeof(msg)));
	assert_int_equal(err, FM_ECSV);
	assert_string_equal(msg, want);
}

static void test_import_malformed(void **state)
{
	(void)state;
	expect_csv_error("repo name,branch\n\"open,b\n",
			 "line 2: unterminated quoted field");
	/* line numbers count the newlines inside quoted fields */
	expect_csv_error("repo name,branch\n\"x\ny\",b\nc,d\n\"bad,b\n",
			 "line 5: unterminated quoted field");
	expect_csv_error("repo name,branch\na,\"b\"x\n",
			 "line 2: text after closing quote");
	expect_csv_error("repo name,branch\na,b,c\n",
			 "line 2: expected 2 fields, got 3");
	expect_csv_error("acme/qemu,main,v1.0.0\n",
			 "line 1: missing column 'repo name' (header "
			 "expected)");
	expect_csv_error("", "line 1: empty input, header expected");
	expect_csv_error("repo name,commits ahead\na,12x\n",
			 "line 2: column 'commits ahead': bad number '12x'");
	expect_csv_error("repo name,commits ahead\na,-1\n",
			 "line 2: column 'commits ahead': bad number '-1'");
	expect_csv_error("repo name,head date\na,31/02/2024\n",
			 "line 2: column 'head date': bad date '31/02/2024'");
	expect_csv_error("repo name,source\na,gitlab\n",
			 "line 2: column 'source': unknown source 'gitlab'");
	expect_csv_error("repo name,head\na,abc\n",
			 "line 2: column 'head': bad object id 'abc'");
	expect_csv_error("repo name,branch\n,main\n",
			 "line 2: empty repo name");
	/* hostile text in a message is made terminal-safe */
	expect_csv_error("repo name,commits ahead\na,\x1b[2J\n",
			 "line 2: column 'commits ahead': bad number "
			 "'\\x1b[2J'");
}

static const cJSON *get(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_non_null(v);
	return v;
}

static void assert_json_str(const cJSON *o, const char *key, const char *want)
{
	const cJSON *v = get(o, key);

	assert_true(cJSON_IsString(v));
	assert_string_equal(v->valuestring, want);
}

static void assert_json_num(const cJSON *o, const char *key, double want)
{
	const cJSON *v = get(o, key);

	assert_true(cJSON_IsNumber(v));
	assert_true(v->valuedouble == want);
}

static void assert_json_null(const cJSON *o, const char *key)
{
	assert_true(cJSON_IsNull(get(o, key)));
}

static void test_json_fields(void **state)
{
	static const char *const fork_keys[] = {
		"name",
		"branch",
		"ref",
		"source",
		"error",
		"skipped",
		"head",
		"merge_base",
		"ahead",
		"behind",
		"ahead_first_parent",
		"unique",
		"base_tag",
		"release",
		"files",
		"insertions",
		"deletions",
		"head_date",
		"merge_base_date",
		"base_date",
		"stars",
	};
	fm_census *c = census_new(4);
	const cJSON *forks, *f, *rel, *item;
	cJSON *doc;
	char *out;
	size_t i;

	(void)state;
	c->releases = calloc(1, sizeof(*c->releases));
	assert_non_null(c->releases);
	c->nreleases = 1;
	c->releases[0].tag = xstrdup("v8.0.0");
	strcpy(c->releases[0].commit, OID_B);
	c->releases[0].date = mkdate(1681900000, 330);
	c->releases[0].tree_lines = 123456;
	row_measured(&c->rows[0], "acme/qemu", "main");
	row_failed(&c->rows[1], "quote\"d\n\x01", "cannot fetch: 404");
	free(c->rows[1].base_tag);
	c->rows[1].base_tag = NULL; /* written as "" */
	row_measured(&c->rows[2], "skipped-one", "main");
	c->rows[2].skipped = xstrdup("ahead == 0");
	row_measured(&c->rows[3],
		     "bad\xff"
		     "utf8",
		     "main");

	out = export_str(c, 0, 1);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	assert_json_str(doc, "upstream", "qemu/qemu");
	assert_json_str(doc, "branch", "master");
	assert_json_str(doc, "head", OID_U);
	assert_json_str(doc, "head_date", "2024-03-05T14:02:11+01:00");
	rel = cJSON_GetArrayItem(get(doc, "releases"), 0);
	assert_non_null(rel);
	assert_json_str(rel, "tag", "v8.0.0");
	assert_json_str(rel, "commit", OID_B);
	assert_json_str(rel, "date", "2023-04-19T15:56:40+05:30");
	assert_json_num(rel, "tree_lines", 123456);

	forks = get(doc, "forks");
	assert_int_equal(cJSON_GetArraySize(forks), 3); /* skipped left out */
	f = cJSON_GetArrayItem(forks, 0);
	/* exactly the documented keys, in order */
	i = 0;
	cJSON_ArrayForEach(item, f)
	{
		assert_true(i < sizeof(fork_keys) / sizeof(fork_keys[0]));
		assert_string_equal(item->string, fork_keys[i]);
		i++;
	}
	assert_int_equal(i, sizeof(fork_keys) / sizeof(fork_keys[0]));
	assert_json_str(f, "name", "acme/qemu");
	assert_json_str(f, "branch", "main");
	assert_json_str(f, "ref", "refs/forkmap/acme/qemu/main");
	assert_json_str(f, "source", "github");
	assert_json_null(f, "error");
	assert_json_null(f, "skipped");
	assert_json_str(f, "head", OID_A);
	assert_json_str(f, "merge_base", OID_B);
	assert_json_num(f, "ahead", 12);
	assert_json_num(f, "behind", 5);
	assert_json_num(f, "ahead_first_parent", 10);
	assert_json_num(f, "unique", 8);
	assert_json_str(f, "base_tag", "v8.0.0");
	assert_json_str(f, "release", "v8.0.0");
	assert_json_num(f, "files", 7);
	assert_json_num(f, "insertions", 300);
	assert_json_num(f, "deletions", 20);
	assert_json_str(f, "head_date", "2024-03-05T14:02:11+01:00");
	assert_json_str(f, "merge_base_date", "2023-04-20T10:43:20-03:30");
	assert_json_str(f, "base_date", "2023-04-19T15:56:40+05:30");
	assert_json_num(f, "stars", 42);

	f = cJSON_GetArrayItem(forks, 1);
	assert_json_str(f, "name", "quote\"d\n\x01");
	assert_json_str(f, "source", "local");
	assert_json_str(f, "error", "cannot fetch: 404");
	assert_json_null(f, "head");
	assert_json_null(f, "merge_base");
	assert_json_null(f, "ahead");
	assert_json_null(f, "unique");
	assert_json_null(f, "deletions");
	assert_json_str(f, "base_tag", "");
	assert_json_str(f, "release", "");
	assert_json_null(f, "head_date");
	assert_json_null(f, "merge_base_date");
	assert_json_null(f, "base_date");
	assert_json_null(f, "stars");

	/* JSON must be UTF-8: the stray byte became U+FFFD */
	f = cJSON_GetArrayItem(forks, 2);
	assert_json_str(f, "name", "bad\xef\xbf\xbdutf8");
	cJSON_Delete(doc);
	free(out);

	out = export_str(c, 1, 1);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	forks = get(doc, "forks");
	assert_int_equal(cJSON_GetArraySize(forks), 4);
	assert_json_str(cJSON_GetArrayItem(forks, 2), "skipped", "ahead == 0");
	cJSON_Delete(doc);
	free(out);
	fm_census_free(c);
}

static void test_export_write_error(void **state)
{
	fm_census *c = census_new(1);
	FILE *f = fopen("/dev/full", "w");
	fm_ctx *ctx;

	(void)state;
	if (!f) {
		fm_census_free(c);
		skip();
	}
	row_measured(&c->rows[0], "acme/qemu", "main");
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_export_csv(ctx, c, 0, f), FM_EIO);
	assert_non_null(strstr(fm_ctx_errmsg(ctx), "cannot write csv"));
	fm_ctx_clear_error(ctx);
	clearerr(f);
	assert_int_equal(fm_export_json(ctx, c, 0, f), FM_EIO);
	assert_non_null(strstr(fm_ctx_errmsg(ctx), "cannot write json"));
	fclose(f);
	fm_ctx_free(ctx);
	fm_census_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_field_escaping),
		cmocka_unit_test(test_csv_header_exact),
		cmocka_unit_test(test_csv_row_text),
		cmocka_unit_test(test_csv_skipped_rows),
		cmocka_unit_test(test_csv_round_trip),
		cmocka_unit_test(test_import_seed_csv),
		cmocka_unit_test(test_import_columns_by_name),
		cmocka_unit_test(test_import_malformed),
		cmocka_unit_test(test_json_fields),
		cmocka_unit_test(test_export_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
