/* Name globs: the skip and local-branch patterns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <forkmap/util.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glob_any),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
