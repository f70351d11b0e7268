/* Terminal-safe and UTF-8-sanitized copies of untrusted strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include <forkmap/util.h>

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
		cmocka_unit_test(test_term_safe),
		cmocka_unit_test(test_utf8_sanitize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
