/* Release-tag regexes: the default, custom ones, bad ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <forkmap/settings.h>
#include <forkmap/util.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_release_regex_default),
		cmocka_unit_test(test_release_regex_custom_and_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
