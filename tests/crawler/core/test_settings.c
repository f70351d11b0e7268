/*
 * The settings table: every entry is self-consistent, the library checks
 * values against it with the option's own words, and the context's
 * worker count stays within the --threads limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <forkmap/settings.h>

static void test_every_default_is_within_its_limits(void **state)
{
	int id;

	(void)state;
	for (id = 0; id < FM_SET_COUNT; id++) {
		const fm_setting_info *s = fm_setting_get((fm_setting)id);

		assert_non_null(s);
		assert_non_null(s->option);
		assert_true(strncmp(s->option, "--", 2) == 0);
		assert_true(s->def == 0 ||
			    (s->min <= s->def && s->def <= s->max));
		assert_true(s->min <= s->max);
	}
	assert_null(fm_setting_get(FM_SET_COUNT));
	assert_null(fm_setting_get((fm_setting)-1));
}

static void test_check_speaks_in_the_options_words(void **state)
{
	const fm_setting_info *s = fm_setting_get(FM_SET_FETCH_PARALLEL);
	fm_ctx *ctx;

	(void)state;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_setting_check(ctx, FM_SET_FETCH_PARALLEL, s->max),
			 0);
	assert_int_equal(
		fm_setting_check(ctx, FM_SET_FETCH_PARALLEL, s->max + 1),
		FM_EINVAL);
	assert_non_null(strstr(fm_ctx_errmsg(ctx), "--fetch-parallel wants"));
	fm_ctx_free(ctx);
}

static void test_threads_are_capped_by_the_table(void **state)
{
	long long max = fm_setting_get(FM_SET_THREADS)->max;
	fm_ctx *ctx;

	(void)state;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	fm_ctx_set_threads(ctx, (int)max + 100);
	assert_int_equal(fm_ctx_threads(ctx), (int)max);
	fm_ctx_set_threads(ctx, 3);
	assert_int_equal(fm_ctx_threads(ctx), 3);
	fm_ctx_set_threads(ctx, 0); /* one per core, still within the cap */
	assert_true(fm_ctx_threads(ctx) >= 1 && fm_ctx_threads(ctx) <= max);
	fm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_default_is_within_its_limits),
		cmocka_unit_test(test_check_speaks_in_the_options_words),
		cmocka_unit_test(test_threads_are_capped_by_the_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
