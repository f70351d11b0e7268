/* CSV export: the field escaping, the header, the rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "export_fixture.h"

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
	/* blanks before a formula do not hide it */
	check_field(" =cmd()", "' =cmd()");
	check_field("  +1", "'  +1");
	/* what other CSV readers choke on becomes U+FFFD; TAB/CR/LF stay */
	check_field("esc\x1b[31m", "esc\xef\xbf\xbd[31m");
	check_field("bidi\xe2\x80\xae"
		    "evil",
		    "bidi\xef\xbf\xbd"
		    "evil");
	check_field("bad\xff\xfeutf8", "bad\xef\xbf\xbd\xef\xbf\xbdutf8");
	check_field("a\tb", "a\tb");
	/* a quote already in front of a formula gets one more */
	check_field("'=x", "''=x");
	check_field("'plain", "'plain");
	check_field("a=b", "a=b");
}

/* Long fields with many quotes: each quote doubled, nothing lost. */
static void test_csv_field_long(void **state)
{
	char in[3001], want[6004], *out;
	size_t i, n = 0;

	(void)state;
	want[n++] = '"';
	for (i = 0; i < 3000; i++) {
		in[i] = i % 3 ? 'x' : '"';
		if (in[i] == '"')
			want[n++] = '"';
		want[n++] = in[i];
	}
	in[3000] = '\0';
	want[n++] = '"';
	want[n] = '\0';
	out = fm_csv_field(in);
	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
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
			   "2023-04-19T15:56:40+05:30,42,6,active,,\n"
			   "broken,main,,,,,,,local,refs/heads/forks/x,,,,,,,"
			   ",,,,,,,no common history with upstream,\n");
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

static void test_csv_write_error(void **state)
{
	(void)state;
	expect_write_error(0, "cannot write csv");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_field_escaping),
		cmocka_unit_test(test_csv_field_long),
		cmocka_unit_test(test_csv_header_exact),
		cmocka_unit_test(test_csv_row_text),
		cmocka_unit_test(test_csv_skipped_rows),
		cmocka_unit_test(test_csv_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
