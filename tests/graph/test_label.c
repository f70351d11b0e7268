/* Escaping untrusted names for graphviz labels and tooltips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "graph/label.h"

#define FFFD "\xef\xbf\xbd"

static void check(char *(*fn)(const char *, size_t), const char *in, size_t max,
		  const char *want)
{
	char *got = fn(in, max);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_markup_becomes_entities(void **state)
{
	(void)state;
	check(fm_label_html, "a<b>&\"'c", 0, "a&lt;b&gt;&amp;&quot;&#39;c");
	check(fm_label_html, "<TABLE><TR><TD>x</TD></TR></TABLE>", 0,
	      "&lt;TABLE&gt;&lt;TR&gt;&lt;TD&gt;x&lt;/TD&gt;&lt;/TR&gt;&lt;/"
	      "TABLE&gt;");
	/* an entity in a name is text, not an entity */
	check(fm_label_html, "a&lt;b", 0, "a&amp;lt;b");
	check(fm_label_tooltip, "<script>&amp;", 0, "&lt;script&gt;&amp;amp;");
}

static void test_graphviz_escapes_are_not_expanded(void **state)
{
	(void)state;
	/* \N would become the node id, \G the graph name, \n a newline */
	check(fm_label_html, "a\\N\\G\\n\\", 0, "a\\\\N\\\\G\\\\n\\\\");
	check(fm_label_tooltip, "\\N", 0, "\\\\\\\\N");
}

static void test_control_and_invalid_bytes_are_replaced(void **state)
{
	(void)state;
	check(fm_label_html, "a\nb\rc\td\x7f", 0,
	      "a" FFFD "b" FFFD "c" FFFD "d" FFFD);
	check(fm_label_html, "\xff\xc3", 0, FFFD FFFD);
	check(fm_label_html, "\xc0\xaf", 0, FFFD FFFD); /* overlong '/' */
	check(fm_label_html, "\xed\xa0\x80", 0, FFFD FFFD FFFD); /* surrogate */
	check(fm_label_html, "\xc2\x85", 0, FFFD);		 /* C1 NEL */
	/* right-to-left override: would make a name read differently */
	check(fm_label_html,
	      "abc\xe2\x80\xae"
	      "def",
	      0, "abc" FFFD "def");
	check(fm_label_html, "l\xe2\x80\xa8x", 0, "l" FFFD "x");
}

static void test_valid_utf8_is_kept(void **state)
{
	(void)state;
	check(fm_label_html, "h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x98\x80", 0,
	      "h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x98\x80");
	check(fm_label_html, NULL, 0, "");
	check(fm_label_html, "", 0, "");
}

static void test_long_names_are_cut(void **state)
{
	(void)state;
	check(fm_label_html, "abcdefghij", 5, "abcd\xe2\x80\xa6");
	check(fm_label_html, "abcde", 5, "abcde");
	check(fm_label_html, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3,
	      "\xc3\xa9\xc3\xa9\xe2\x80\xa6");
	/* the cut counts characters, and escapes do not count extra */
	check(fm_label_html, "<<<<<<", 3, "&lt;&lt;\xe2\x80\xa6");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markup_becomes_entities),
		cmocka_unit_test(test_graphviz_escapes_are_not_expanded),
		cmocka_unit_test(test_control_and_invalid_bytes_are_replaced),
		cmocka_unit_test(test_valid_utf8_is_kept),
		cmocka_unit_test(test_long_names_are_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
