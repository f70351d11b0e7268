/* fm_markdown_safe: untrusted names cannot format, link or inject HTML. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <forkmap/util.h>

static void check(const char *in, const char *want)
{
	char *out = fm_markdown_safe(in);

	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void test_markdown_metacharacters_are_escaped(void **state)
{
	(void)state;
	check("acme/qemu", "acme/qemu");
	check(NULL, "");
	check("a|b", "a\\|b");
	check("*bold* _it_ `code`", "\\*bold\\* \\_it\\_ \\`code\\`");
	check("[x](http://e.com)", "\\[x\\]\\(http\\://e\\.com\\)");
	check("# h", "\\# h");
	check("@team :tada: $x$", "\\@team \\:tada\\: \\$x\\$");
	check("back\\slash", "back\\\\slash");
}

static void test_no_raw_html_and_no_controls(void **state)
{
	(void)state;
	check("<script>alert(1)</script>",
	      "&lt;script&gt;alert\\(1\\)&lt;/script&gt;");
	check("&lt;", "&amp;lt;");
	/* ESC as fm_term_safe writes it, its backslash escaped in turn */
	check("\x1b[31mred", "\\\\x1b\\[31mred");
	check("a\nb", "a\\\\x0ab");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markdown_metacharacters_are_escaped),
		cmocka_unit_test(test_no_raw_html_and_no_controls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
