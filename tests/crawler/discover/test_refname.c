/*
 * fm_fork_ref: the one builder of refs/forkmap/... names. Sources never
 * share a namespace, a name is always one component (no D/F clash between
 * forks), and what comes out is a ref git accepts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <forkmap/forks.h>

static char *ref_of(fm_source src, const char *name, const char *branch)
{
	char *ref = NULL;

	assert_int_equal(fm_fork_ref(NULL, src, name, branch, &ref), 0);
	assert_non_null(ref);
	return ref;
}

/* git itself is the judge of what a valid ref is. */
static int git_accepts(const char *ref)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "git check-ref-format '%s'", ref);
	return system(cmd) == 0;
}

static void test_github_fork_gets_its_own_namespace(void **state)
{
	char *ref = ref_of(FM_SOURCE_GITHUB, "acme/qemu", "stable");

	(void)state;
	assert_string_equal(ref, "refs/forkmap/github/acme%2Fqemu/stable");
	free(ref);
}

static void test_owner_named_config_does_not_meet_configured_fork(void **s)
{
	/* formerly refs/forkmap/config/x/main for both */
	char *gh = ref_of(FM_SOURCE_GITHUB, "config/x", "main");
	char *cf = ref_of(FM_SOURCE_CONFIG, "x", "main");

	(void)s;
	assert_string_not_equal(gh, cf);
	assert_int_not_equal(strncmp(gh, cf, strlen(cf)), 0);
	free(gh);
	free(cf);
}

static void test_slashed_names_cannot_nest_in_each_other(void **state)
{
	/* name "a" branch "b/c" against name "a/b" branch "c" */
	char *one = ref_of(FM_SOURCE_CONFIG, "a", "b/c");
	char *two = ref_of(FM_SOURCE_CONFIG, "a/b", "c");

	(void)state;
	assert_string_not_equal(one, two);
	assert_string_equal(one, "refs/forkmap/config/a/b/c");
	assert_string_equal(two, "refs/forkmap/config/a%2Fb/c");
	free(one);
	free(two);
}

static void test_percent_is_escaped_so_escapes_cannot_collide(void **state)
{
	char *lit = ref_of(FM_SOURCE_CONFIG, "a%2Fb", "c");
	char *esc = ref_of(FM_SOURCE_CONFIG, "a/b", "c");

	(void)state;
	assert_string_not_equal(lit, esc);
	assert_string_equal(lit, "refs/forkmap/config/a%252Fb/c");
	free(lit);
	free(esc);
}

static void test_hostile_names_make_refs_git_accepts(void **state)
{
	static const char *const names[] = {
		".hidden", "a..b",	  "end.",   "x.lock",
		"sp ace",  "til~de",	  "ca^ret", "co:lon",
		"q?*[",	   "back\\slash", "at@{1}", "@",
		"-dash",   "tab\there",	  "ünï",    "new\nline",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *ref = ref_of(FM_SOURCE_CONFIG, names[i], "main");

		assert_true(git_accepts(ref));
		assert_null(strchr(ref, '\''));
		free(ref);
	}
}

static void test_invalid_branch_is_an_error_not_a_ref(void **state)
{
	static const char *const branches[] = {"a..b",	 "x.lock", "end/",
					       "sp ace", "",	   "a//b"};
	size_t i;
	char *ref;

	(void)state;
	for (i = 0; i < sizeof(branches) / sizeof(branches[0]); i++) {
		ref = (char *)1;
		assert_int_equal(fm_fork_ref(NULL, FM_SOURCE_GITHUB, "o/r",
					     branches[i], &ref),
				 FM_EINVAL);
		assert_null(ref);
	}
	assert_int_equal(fm_fork_ref(NULL, FM_SOURCE_GITHUB, "", "main", &ref),
			 FM_EINVAL);
}

static void test_error_message_names_the_branch(void **state)
{
	fm_ctx *ctx;
	char *ref;

	(void)state;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(
		fm_fork_ref(ctx, FM_SOURCE_GITHUB, "o/r", "x..y", &ref),
		FM_EINVAL);
	assert_non_null(strstr(fm_ctx_errmsg(ctx), "'x..y'"));
	fm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_github_fork_gets_its_own_namespace),
		cmocka_unit_test(
			test_owner_named_config_does_not_meet_configured_fork),
		cmocka_unit_test(test_slashed_names_cannot_nest_in_each_other),
		cmocka_unit_test(
			test_percent_is_escaped_so_escapes_cannot_collide),
		cmocka_unit_test(test_hostile_names_make_refs_git_accepts),
		cmocka_unit_test(test_invalid_branch_is_an_error_not_a_ref),
		cmocka_unit_test(test_error_message_names_the_branch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
