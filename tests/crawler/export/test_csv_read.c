/* CSV import: what the export wrote, the seed format, malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <forkmap/util.h>

#include "export_fixture.h"

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
	/* what comes back is what went out, cleaned of what a CSV must not
	 * carry (the escape sequence's ESC becomes U+FFFD) */
	for (i = 0; i < c->nrows; i++) {
		char **texts[] = {&c->rows[i].name, &c->rows[i].branch,
				  &c->rows[i].base_tag};
		size_t k;

		for (k = 0; k < 3; k++) {
			char *clean = fm_text_clean(*texts[k]);

			free(*texts[k]);
			*texts[k] = clean;
		}
		assert_row_equal(&back->rows[i], &c->rows[i]);
	}
	assert_string_equal(back->rows[13].name, "\xef\xbf\xbd[31mred");
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
	assert_int_equal(c->rows[0].patches, -1);
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
	expect_csv_error(
		"repo name,source\na,sourceforge\n",
		"line 2: column 'source': unknown source 'sourceforge'");
	expect_csv_error("repo name,head\na,abc\n",
			 "line 2: column 'head': bad object id 'abc'");
	expect_csv_error("repo name,branch\n,main\n",
			 "line 2: empty repo name");
	/* hostile text in a message is made terminal-safe */
	expect_csv_error("repo name,commits ahead\na,\x1b[2J\n",
			 "line 2: column 'commits ahead': bad number "
			 "'\\x1b[2J'");
}

/* Reverse the comma-separated fields of every line (no quoted fields). */
static char *reverse_columns(const char *csv)
{
	char *out = calloc(1, strlen(csv) + 1), *copy = xstrdup(csv);
	char *line, *save = NULL;

	assert_non_null(out);
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *end = line + strlen(line), *p;

		/* from the last field to the first */
		for (p = end; p >= line; p--) {
			if (p == line || p[-1] == ',') {
				strncat(out, p, (size_t)(end - p));
				if (p != line)
					strcat(out, ",");
				end = p - 1;
			}
		}
		strcat(out, "\n");
	}
	free(copy);
	return out;
}

/*
 * The reader finds every column the writer wrote by its name, not its
 * place: the export with its columns in reverse order reads back the same
 * rows, every field of them.
 */
static void test_csv_columns_read_by_name(void **state)
{
	fm_census *c = census_new(3), *back;
	char *out, *reversed, msg[256];
	size_t i;
	int err;

	(void)state;
	row_measured(&c->rows[0], "acme/qemu", "main");
	free(c->rows[0].release);
	c->rows[0].release = xstrdup("v8.1.0"); /* not the base tag */
	row_failed(&c->rows[1], "broken", "no common history");
	row_measured(&c->rows[2], "idle", "dev");
	c->rows[2].skipped = xstrdup("ahead == 0");
	c->rows[2].source = FM_SOURCE_CONFIG;
	out = export_str(c, 1, 0);
	reversed = reverse_columns(out);
	assert_string_not_equal(reversed, out);
	assert_true(strncmp(reversed, "skipped,error,fate,patches,stars,",
			    33) == 0);
	back = import_str(reversed, &err, msg, sizeof(msg));
	assert_int_equal(err, 0);
	assert_int_equal(back->nrows, c->nrows);
	for (i = 0; i < c->nrows; i++)
		assert_row_equal(&back->rows[i], &c->rows[i]);
	fm_census_free(back);
	free(reversed);
	free(out);
	fm_census_free(c);
}

/* A NUL byte inside a quoted field is refused with its line. */
static void test_import_nul_in_quoted_field(void **state)
{
	static const char csv[] = "repo name,branch\n\"a\0b\",c\n";
	FILE *f = fmemopen((void *)csv, sizeof(csv) - 1, "r");
	fm_census *c = NULL;
	fm_ctx *ctx;

	(void)state;
	assert_non_null(f);
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_import_csv(ctx, f, &c), FM_ECSV);
	assert_null(c);
	assert_string_equal(fm_ctx_errmsg(ctx), "line 2: NUL byte in field");
	fclose(f);
	fm_ctx_free(ctx);
}

/* An input larger than the reader's first 64 KiB is read whole. */
static void test_import_large_input(void **state)
{
	char *csv = NULL, msg[256];
	size_t len = 0;
	FILE *f = open_memstream(&csv, &len);
	fm_census *c;
	int i, err;

	(void)state;
	assert_non_null(f);
	fputs("repo name,commits ahead\n", f);
	for (i = 0; i < 5000; i++)
		fprintf(f, "owner-%04d/a-long-enough-repository-name,%d\n", i,
			i);
	fclose(f);
	assert_true(len > 3 * 65536);
	c = import_str(csv, &err, msg, sizeof(msg));
	assert_int_equal(err, 0);
	assert_int_equal(c->nrows, 5000);
	assert_string_equal(c->rows[4999].name,
			    "owner-4999/a-long-enough-repository-name");
	assert_int_equal(c->rows[4999].ahead, 4999);
	fm_census_free(c);
	free(csv);
}

/* A NUL byte anywhere is refused, never a row break (one line, two forks). */
static void test_import_nul_never_breaks_a_row(void **state)
{
	static const char plain[] = "repo name,branch\na\0b,c\n";
	static const char after_quote[] = "repo name,branch\n\"a\"\0,c\n";
	const char *const inputs[] = {plain, after_quote};
	const size_t lens[] = {sizeof(plain) - 1, sizeof(after_quote) - 1};
	const char *const why[] = {"line 2: NUL byte in field",
				   "line 2: text after closing quote"};
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		FILE *f = fmemopen((void *)inputs[i], lens[i], "r");
		fm_census *c = NULL;
		fm_ctx *ctx;

		assert_non_null(f);
		assert_int_equal(fm_ctx_new(&ctx), 0);
		assert_int_equal(fm_import_csv(ctx, f, &c), FM_ECSV);
		assert_null(c);
		assert_string_equal(fm_ctx_errmsg(ctx), why[i]);
		fclose(f);
		fm_ctx_free(ctx);
	}
}

/* An endless input (--csv /dev/zero) stops at the size limit, not at OOM. */
static void test_import_endless_input_stops_at_the_limit(void **state)
{
	FILE *f = fopen("/dev/zero", "r");
	fm_census *c = NULL;
	fm_ctx *ctx;

	(void)state;
	assert_non_null(f);
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_import_csv(ctx, f, &c), FM_ECSV);
	assert_null(c);
	assert_string_equal(fm_ctx_errmsg(ctx),
			    "csv input larger than 256 MiB");
	fclose(f);
	fm_ctx_free(ctx);
}

/*
 * Release nodes of a big CSV with many distinct releases (this was
 * quadratic: 80k rows took 21 s): one node per release, dated by its own
 * row when one is based exactly on it, else by the latest base date.
 */
static void test_import_many_releases(void **state)
{
	char *csv = NULL, msg[256];
	size_t len = 0, i;
	FILE *f = open_memstream(&csv, &len);
	fm_census *c;
	int err;

	(void)state;
	assert_non_null(f);
	fputs("repo name,branch,base tag,base date,commits ahead\n", f);
	/* release r<k> for k < 100000: rows 2k (inexact, later date) and
	 * 2k+1 (exact, earlier date), interleaved across the file */
	for (i = 0; i < 200000; i++) {
		size_t k = i % 100000;
		int exact = i >= 100000;

		fprintf(f, "o%zu/r,main,%s%zu,%02zu/01/20%02d,1\n", i,
			exact ? "r" : "x", k, 1 + k % 28, exact ? 10 : 20);
	}
	fclose(f);
	c = import_str(csv, &err, msg, sizeof(msg));
	assert_int_equal(err, 0);
	assert_int_equal(c->nrows, 200000);
	/* seed CSV: the base tag is the release node: 100000 r + 100000 x */
	assert_int_equal(c->nreleases, 200000);
	for (i = 1; i < c->nreleases; i++)
		assert_true(c->releases[i - 1].date.time <=
			    c->releases[i].date.time);
	fm_census_free(c);
	free(csv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_round_trip),
		cmocka_unit_test(test_import_seed_csv),
		cmocka_unit_test(test_import_columns_by_name),
		cmocka_unit_test(test_import_malformed),
		cmocka_unit_test(test_csv_columns_read_by_name),
		cmocka_unit_test(test_import_nul_in_quoted_field),
		cmocka_unit_test(test_import_large_input),
		cmocka_unit_test(test_import_nul_never_breaks_a_row),
		cmocka_unit_test(test_import_endless_input_stops_at_the_limit),
		cmocka_unit_test(test_import_many_releases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
