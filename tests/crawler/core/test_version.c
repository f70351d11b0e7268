/* Version order: the same as git tag --sort=v:refname. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <forkmap/util.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_order_matches_git),
		cmocka_unit_test(test_version_order_matches_strverscmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
