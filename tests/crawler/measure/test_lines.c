/*
 * crawler/measure/lines.c: the shortstat of two trees equals
 * `git diff --shortstat --no-renames` (whichever way round, and from the
 * empty tree, which is tree_lines), git's binary rule (a NUL in the first
 * 8000 bytes, no later), line counting with and without a final newline,
 * a submodule's one "Subproject commit" line, and the blob line cache.
 */
#include "treefix.h"

#include "measure/lines.h"

#define EMPTY_TREE "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

/* The number before `what` in a shortstat line, 0 when git left it out. */
static long stat_field(const char *line, const char *what)
{
	const char *p = strstr(line, what);

	if (!p)
		return 0;
	while (p > line && p[-1] == ' ')
		p--;
	while (p > line && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return atol(p);
}

static void check_shortstat(fm_line_cache *lc, const char *from, const char *to)
{
	char line[256];
	git_oid a, b;
	long files, ins, del;

	gitfix_out(line, sizeof(line),
		   "git diff --shortstat --no-renames %s %s", from, to);
	if (strcmp(from, EMPTY_TREE))
		treefix_tree(&a, from);
	treefix_tree(&b, to);
	assert_int_equal(
		fm_tree_diff_stats(gitfix_repo, lc,
				   strcmp(from, EMPTY_TREE) ? &a : NULL, &b,
				   &files, &ins, &del),
		0);
	assert_int_equal(files, stat_field(line, "file"));
	assert_int_equal(ins, stat_field(line, "insertion"));
	assert_int_equal(del, stat_field(line, "deletion"));
	assert_true(files > 0);
}

static void test_shortstat_equals_git_diff_shortstat(void **state)
{
	fm_line_cache *lc = fm_line_cache_new();

	(void)state;
	assert_non_null(lc);
	check_shortstat(NULL, "a", "b");
	check_shortstat(NULL, "b", "a");
	/* A second time from the cache: the same numbers. */
	check_shortstat(lc, "a", "b");
	check_shortstat(lc, "a", "b");
	check_shortstat(lc, EMPTY_TREE, "b");
	fm_line_cache_free(lc);
}

static void test_tree_lines_are_insertions_from_the_empty_tree(void **state)
{
	char line[256];
	git_oid b;
	long lines = -1;

	(void)state;
	gitfix_out(line, sizeof(line), "git diff-tree --shortstat %s b",
		   EMPTY_TREE);
	treefix_tree(&b, "b");
	assert_int_equal(fm_tree_lines(gitfix_repo, NULL, &b, &lines), 0);
	assert_int_equal(lines, stat_field(line, "insertion"));
}

static void test_binary_is_a_nul_in_the_first_8000_bytes(void **state)
{
	char buf[9000];

	(void)state;
	memset(buf, 'a', sizeof(buf));
	assert_false(fm_buffer_is_binary(buf, sizeof(buf)));
	assert_false(fm_buffer_is_binary(buf, 0));
	buf[7999] = '\0';
	assert_true(fm_buffer_is_binary(buf, sizeof(buf)));
	buf[7999] = 'a';
	buf[8000] = '\0';
	assert_false(fm_buffer_is_binary(buf, sizeof(buf)));
	assert_true(fm_buffer_is_binary("\0", 1));
}

static void test_blob_lines_follow_git(void **state)
{
	git_oid oid;

	(void)state;
	gitfix_oid(&oid, "a:bin.dat");
	assert_int_equal(fm_blob_lines(gitfix_repo, NULL, &oid, 0100644), 0);
	gitfix_oid(&oid, "a:late.dat"); /* NUL after 8000 bytes: text */
	assert_int_equal(fm_blob_lines(gitfix_repo, NULL, &oid, 0100644), 3);
	gitfix_oid(&oid, "a:nonl.txt");
	assert_int_equal(fm_blob_lines(gitfix_repo, NULL, &oid, 0100644), 1);
	gitfix_oid(&oid, "b:t.txt");
	assert_int_equal(fm_blob_lines(gitfix_repo, NULL, &oid, 0100644), 4);
	gitfix_oid(&oid, "b:sub");
	assert_int_equal(fm_blob_lines(gitfix_repo, NULL, &oid, 0160000), 1);
}

static void test_count_lines_counts_a_last_line_without_newline(void **state)
{
	(void)state;
	assert_int_equal(fm_count_lines("", 0), 0);
	assert_int_equal(fm_count_lines("a\n", 2), 1);
	assert_int_equal(fm_count_lines("a\nb", 3), 2);
	assert_int_equal(fm_count_lines("\n\n\n", 3), 3);
}

static void test_gitlink_side_is_a_subproject_line(void **state)
{
	fm_side_data s;
	git_oid oid;

	(void)state;
	gitfix_oid(&oid, "b:sub");
	assert_int_equal(fm_side_load(gitfix_repo, &oid, 0160000, &s), 0);
	assert_int_equal(s.len, strlen(s.data));
	assert_string_equal(
		s.data,
		"Subproject commit 2222222222222222222222222222222222222222\n");
	fm_side_free(&s);
	assert_int_equal(fm_side_load(gitfix_repo, &oid, 0, &s),
			 0); /* absent */
	assert_int_equal(s.len, 0);
	fm_side_free(&s);
}

static void
test_cache_gives_the_same_count_and_unreadable_blobs_fail(void **state)
{
	fm_line_cache *lc = fm_line_cache_new();
	git_oid oid, ghost;

	(void)state;
	assert_non_null(lc);
	gitfix_oid(&oid, "b:t.txt");
	assert_int_equal(fm_blob_lines(gitfix_repo, lc, &oid, 0100644), 4);
	assert_int_equal(fm_blob_lines(gitfix_repo, lc, &oid, 0100644), 4);
	assert_int_equal(
		git_oid_fromstr(&ghost,
				"5555555555555555555555555555555555555555"),
		0);
	assert_true(fm_blob_lines(gitfix_repo, lc, &ghost, 0100644) < 0);
	fm_line_cache_free(lc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shortstat_equals_git_diff_shortstat),
		cmocka_unit_test(
			test_tree_lines_are_insertions_from_the_empty_tree),
		cmocka_unit_test(test_binary_is_a_nul_in_the_first_8000_bytes),
		cmocka_unit_test(test_blob_lines_follow_git),
		cmocka_unit_test(
			test_count_lines_counts_a_last_line_without_newline),
		cmocka_unit_test(test_gitlink_side_is_a_subproject_line),
		cmocka_unit_test(
			test_cache_gives_the_same_count_and_unreadable_blobs_fail),
	};

	return cmocka_run_group_tests(tests, treefix_setup, gitfix_teardown);
}
