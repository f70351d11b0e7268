/* Dates, version order, globs, release regexes, terminal-safe strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <forkmap/settings.h>
#include <forkmap/util.h>

static fm_date mkdate(int64_t t, int offset)
{
	fm_date d = {t, offset, 1};

	return d;
}

/*
 * Expected strings are what git 2.39 prints with --format=%cI for a commit
 * made with GIT_COMMITTER_DATE="@TIME OFFSET".
 */
static const struct {
	int64_t time;
	int offset;
	const char *iso;
	const char *dmy;
} git_dates[] = {
	{1709643731, 60, "2024-03-05T14:02:11+01:00", "05/03/2024"},
	{1709643731, 330, "2024-03-05T18:32:11+05:30", "05/03/2024"},
	{1709643731, -210, "2024-03-05T09:32:11-03:30", "05/03/2024"},
	{1709643731, 0, "2024-03-05T13:02:11+00:00", "05/03/2024"},
	{0, 0, "1970-01-01T00:00:00+00:00", "01/01/1970"},
	{100000, -60, "1970-01-02T02:46:40-01:00", "02/01/1970"},
	{4102444800, 840, "2100-01-01T14:00:00+14:00", "01/01/2100"},
	{4102444800, -720, "2099-12-31T12:00:00-12:00", "31/12/2099"},
	{1709683200, -60, "2024-03-05T23:00:00-01:00", "05/03/2024"},
	{1709683200, 60, "2024-03-06T01:00:00+01:00", "06/03/2024"},
	{1709164800, 0, "2024-02-29T00:00:00+00:00", "29/02/2024"},
	{951782400, 345, "2000-02-29T05:45:00+05:45", "29/02/2000"},
};

static void test_date_iso_matches_git(void **state)
{
	char buf[FM_DATE_ISO_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(git_dates) / sizeof(git_dates[0]); i++) {
		fm_date d = mkdate(git_dates[i].time, git_dates[i].offset);

		assert_string_equal(fm_date_iso(&d, buf), git_dates[i].iso);
		assert_string_equal(fm_date_dmy(&d, buf), git_dates[i].dmy);
	}
}

static void test_date_unset_is_empty(void **state)
{
	char buf[FM_DATE_ISO_MAX] = "junk";
	fm_date d = {12345, 60, 0};

	(void)state;
	assert_string_equal(fm_date_iso(&d, buf), "");
	strcpy(buf, "junk");
	assert_string_equal(fm_date_dmy(&d, buf), "");
}

/* git cannot store these (timestamps are unsigned), libgit2 can. */
static void test_date_before_1970(void **state)
{
	char buf[FM_DATE_ISO_MAX];
	fm_date d = mkdate(-1, 0), back;

	(void)state;
	assert_string_equal(fm_date_iso(&d, buf), "1969-12-31T23:59:59+00:00");
	d = mkdate(1, -60);
	assert_string_equal(fm_date_iso(&d, buf), "1969-12-31T23:00:01-01:00");
	d = mkdate(-2208988800LL, 0);
	assert_string_equal(fm_date_iso(&d, buf), "1900-01-01T00:00:00+00:00");
	assert_string_equal(fm_date_dmy(&d, buf), "01/01/1900");
	assert_int_equal(fm_date_parse("1900-01-01T00:00:00+00:00", &back), 0);
	assert_true(back.time == -2208988800LL);
}

static void test_date_parse_round_trip(void **state)
{
	char buf[FM_DATE_ISO_MAX];
	fm_date d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(git_dates) / sizeof(git_dates[0]); i++) {
		assert_int_equal(fm_date_parse(git_dates[i].iso, &d), 0);
		assert_int_equal(d.set, 1);
		assert_true(d.time == git_dates[i].time);
		assert_int_equal(d.offset, git_dates[i].offset);
		assert_string_equal(fm_date_iso(&d, buf), git_dates[i].iso);
	}
}

static void test_date_parse_forms(void **state)
{
	fm_date d;

	(void)state;
	/* git >= 2.45 and GitHub write UTC as Z */
	assert_int_equal(fm_date_parse("2024-03-05T13:02:11Z", &d), 0);
	assert_true(d.time == 1709643731);
	assert_int_equal(d.offset, 0);
	/* git's %ci */
	assert_int_equal(fm_date_parse("2024-03-05 14:02:11 +0100", &d), 0);
	assert_true(d.time == 1709643731);
	assert_int_equal(d.offset, 60);
	/* plain date and dd/mm/YYYY: UTC midnight */
	assert_int_equal(fm_date_parse("2024-03-05", &d), 0);
	assert_true(d.time == 1709596800);
	assert_int_equal(d.offset, 0);
	assert_int_equal(fm_date_parse("05/03/2024", &d), 0);
	assert_true(d.time == 1709596800);
	assert_int_equal(d.set, 1);
	assert_int_equal(fm_date_parse(" 5/3/2024 ", &d), 0);
	assert_true(d.time == 1709596800);
	assert_int_equal(fm_date_parse("29/02/2024", &d), 0);
	/* empty: unset, not an error */
	d.set = 1;
	assert_int_equal(fm_date_parse("", &d), 0);
	assert_int_equal(d.set, 0);
	assert_int_equal(fm_date_parse(NULL, &d), 0);
	assert_int_equal(d.set, 0);
}

static void test_date_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"garbage",
		"2024-13-01",
		"2024-02-30",
		"2023-02-29",
		"31/02/2024",
		"2024-03-05T14:02:11", /* no offset: whose local time? */
		"2024-03-05T25:00:00Z",
		"2024-03-05T14:60:00Z",
		"2024-03-05T14:02:11+01:60",
		"2024-03-05T14:02:11+1",
		"2024-03-05T14:02:11Zjunk",
		"2024-3-5",
		"05/03/24",
		"05-03-2024",
	};
	fm_date d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d.set = 1;
		assert_int_equal(fm_date_parse(bad[i], &d), FM_EINVAL);
		assert_int_equal(d.set, 0);
	}
}

/*
 * The order printed by git 2.39:
 *   git tag --sort=v:refname
 * in a repository with these tags, run with HOME pointing to an empty
 * directory and GIT_CONFIG_NOSYSTEM=1 (so no versionsort.suffix applies).
 */
static const char *const git_version_order[] = {
	"1.0",	      "1.0a",	    "1.2.3",	   "1.9.0",	  "1.10.0",
	"2.0.0",      "7.0.15",	    "7.2.0",	   "7.2.0-rc1",	  "7.2.4",
	"a009",	      "a00",	    "a01",	   "a09",	  "a0",
	"a1",	      "a9",	    "a10",	   "v001",	  "v01",
	"v0",	      "v0.09",	    "v0.0",	   "v0.9",	  "v0.10",
	"v1",	      "v1.000",	    "v1.002",	   "v1.00",	  "v1.01",
	"v1.010",     "v1.02",	    "v1.0",	   "v1.1",	  "v1.2-3",
	"v1.2.003",   "v1.2.03",    "v1.2.3",	   "v1.2.3-beta", "v1.2.3.rc1",
	"v1.2.10",    "v1.2_3",	    "v1.9.0",	   "v1.10.0",	  "v2.0.0",
	"v2.0.0-rc1", "v2.0.0-rc2", "v2.0.0-rc10", "v2.0.0.1",	  "v2.0.0a",
	"v9",	      "v10",	    "v10.1.0",	   "x1.0",
};
#define NVERSIONS (sizeof(git_version_order) / sizeof(git_version_order[0]))

static int version_qsort(const void *a, const void *b)
{
	return fm_version_cmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_version_order_matches_git(void **state)
{
	const char *v[NVERSIONS];
	size_t i, j;

	(void)state;
	/* scrambled: reversed, then rotated */
	for (i = 0; i < NVERSIONS; i++)
		v[i] = git_version_order[(NVERSIONS - 1 - i + 17) % NVERSIONS];
	qsort(v, NVERSIONS, sizeof(v[0]), version_qsort);
	for (i = 0; i < NVERSIONS; i++)
		assert_string_equal(v[i], git_version_order[i]);
	/* every pair, both ways: a strict total order */
	for (i = 0; i < NVERSIONS; i++)
		for (j = 0; j < NVERSIONS; j++) {
			int c = fm_version_cmp(git_version_order[i],
					       git_version_order[j]);

			if (i < j)
				assert_true(c < 0);
			else if (i > j)
				assert_true(c > 0);
			else
				assert_int_equal(c, 0);
		}
}

/* glibc's strverscmp implements the same algorithm: check we agree. */
static void test_version_order_matches_strverscmp(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < NVERSIONS; i++)
		for (j = 0; j < NVERSIONS; j++) {
			int a = fm_version_cmp(git_version_order[i],
					       git_version_order[j]);
			int b = strverscmp(git_version_order[i],
					   git_version_order[j]);

			assert_int_equal(a < 0, b < 0);
			assert_int_equal(a > 0, b > 0);
		}
}

static void test_release_regex_default(void **state)
{
	fm_release_re *re;
	fm_ctx *ctx;

	(void)state;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_release_re_new(ctx, FM_DEFAULT_RELEASE_REGEX, &re),
			 0);
	assert_true(fm_release_re_match(re, "v10.1.0"));
	assert_true(fm_release_re_match(re, "7.2.4"));
	assert_true(fm_release_re_match(re, "v1.10.0"));
	assert_false(fm_release_re_match(re, "v2.0.0-rc1"));
	assert_false(fm_release_re_match(re, "v1.2"));
	assert_false(fm_release_re_match(re, "redis-7.2.4"));
	assert_false(fm_release_re_match(re, "v1.2.3.4"));
	assert_false(fm_release_re_match(re, "V1.2.3"));
	assert_false(fm_release_re_match(re, NULL));
	fm_release_re_free(re);

	/* NULL: the default */
	assert_int_equal(fm_release_re_new(ctx, NULL, &re), 0);
	assert_true(fm_release_re_match(re, "v1.2.3"));
	assert_false(fm_release_re_match(re, "v1.2.3-rc1"));
	fm_release_re_free(re);
	fm_release_re_free(NULL);
	fm_ctx_free(ctx);
}

static void test_release_regex_custom_and_bad(void **state)
{
	fm_release_re *re = (fm_release_re *)&re;
	fm_ctx *ctx;

	(void)state;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_release_re_new(ctx, "^redis-[0-9.]+$", &re), 0);
	assert_true(fm_release_re_match(re, "redis-7.2.4"));
	assert_false(fm_release_re_match(re, "7.2.4"));
	fm_release_re_free(re);

	assert_int_equal(fm_release_re_new(ctx, "v[0-9", &re), FM_ECONFIG);
	assert_null(re);
	assert_int_equal(fm_ctx_errcode(ctx), FM_ECONFIG);
	assert_true(strncmp(fm_ctx_errmsg(ctx), "bad release regex 'v[0-9': ",
			    strlen("bad release regex 'v[0-9': ")) == 0);
	/* the regerror text follows */
	assert_true(strlen(fm_ctx_errmsg(ctx)) >
		    strlen("bad release regex 'v[0-9': "));
	fm_ctx_free(ctx);
}

static void test_glob_any(void **state)
{
	static const char *const skip[] = {"staging", "*-next"};
	static const char *const refs[] = {"refs/heads/forks/*"};

	(void)state;
	assert_true(fm_glob_any(skip, 2, "staging"));
	assert_true(fm_glob_any(skip, 2, "linux-next"));
	assert_true(fm_glob_any(skip, 2, "-next"));
	assert_false(fm_glob_any(skip, 2, "next"));
	assert_false(fm_glob_any(skip, 2, "staging2"));
	assert_false(fm_glob_any(skip, 2, "Staging"));
	assert_false(fm_glob_any(skip, 0, "staging"));
	assert_false(fm_glob_any(skip, 2, NULL));
	/* flags 0: '*' crosses '/' */
	assert_true(fm_glob_any(refs, 1, "refs/heads/forks/acme"));
	assert_true(fm_glob_any(refs, 1, "refs/heads/forks/acme/stable"));
	assert_false(fm_glob_any(refs, 1, "refs/heads/main"));
}

static void check_safe(const char *in, const char *want)
{
	char *out = fm_term_safe(in);

	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void test_term_safe(void **state)
{
	(void)state;
	check_safe("plain/name-1.0", "plain/name-1.0");
	check_safe("", "");
	check_safe(NULL, "");
	/* escape sequences: ESC itself is escaped, the rest is inert */
	check_safe("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m");
	check_safe("\x1b]0;title\x07", "\\x1b]0;title\\x07");
	check_safe("a\tb\nc\rd", "a\\x09b\\x0ac\\x0dd");
	check_safe("del\x7f", "del\\x7f");
	/* valid UTF-8 passes */
	check_safe("h\xc3\xa9llo \xe6\x97\xa5\xe6\x9c\xac",
		   "h\xc3\xa9llo \xe6\x97\xa5\xe6\x9c\xac");
	check_safe("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");
	/* C1 controls (CSI as one code point) and bidi overrides */
	check_safe("\xc2\x9b"
		   "31m",
		   "\\xc2\\x9b"
		   "31m");
	check_safe("a\xe2\x80\xae"
		   "b",
		   "a\\xe2\\x80\\xae"
		   "b");
	check_safe("\xe2\x81\xa6x", "\\xe2\\x81\\xa6x");
	/* invalid UTF-8: stray, overlong, truncated, surrogate, > U+10FFFF */
	check_safe("a\xff"
		   "b",
		   "a\\xff"
		   "b");
	check_safe("\xc0\xaf", "\\xc0\\xaf");
	check_safe("\xe2\x82", "\\xe2\\x82");
	check_safe("\xe2\x82z", "\\xe2\\x82z");
	check_safe("\xed\xa0\x80", "\\xed\\xa0\\x80");
	check_safe("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
}

static void test_utf8_sanitize(void **state)
{
	char *out;

	(void)state;
	out = fm_utf8_sanitize("a\xff"
			       "b\xc3\xa9");
	assert_non_null(out);
	assert_string_equal(out, "a\xef\xbf\xbd"
				 "b\xc3\xa9");
	free(out);
	out = fm_utf8_sanitize("\x1b ok");
	assert_string_equal(out, "\x1b ok"); /* only encoding is fixed */
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_iso_matches_git),
		cmocka_unit_test(test_date_unset_is_empty),
		cmocka_unit_test(test_date_before_1970),
		cmocka_unit_test(test_date_parse_round_trip),
		cmocka_unit_test(test_date_parse_forms),
		cmocka_unit_test(test_date_parse_rejects),
		cmocka_unit_test(test_version_order_matches_git),
		cmocka_unit_test(test_version_order_matches_strverscmp),
		cmocka_unit_test(test_release_regex_default),
		cmocka_unit_test(test_release_regex_custom_and_bad),
		cmocka_unit_test(test_glob_any),
		cmocka_unit_test(test_term_safe),
		cmocka_unit_test(test_utf8_sanitize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
