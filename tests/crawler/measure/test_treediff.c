/*
 * crawler/measure/treediff.c: the changes between two trees are exactly
 * `git diff-tree -r --no-renames` (paths, modes, ids, order), including a
 * file <-> directory type change (a deletion and additions) and submodule
 * (gitlink) entries; from the empty tree every leaf is an addition; equal
 * trees have no change; a callback's non-zero return stops the walk.
 */
#include "treefix.h"

#include "measure/treediff.h"

struct collect {
	char text[16384];
	size_t len;
	int calls;
	int stop_after;
};

/* One line per change, as git diff-tree prints it (status dropped). */
static int collect(const fm_tree_change *c, void *payload)
{
	struct collect *out = payload;
	char a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1];

	git_oid_tostr(a, sizeof(a), c->old_oid);
	git_oid_tostr(b, sizeof(b), c->new_oid);
	assert_int_equal(strlen(c->path), c->pathlen);
	out->len += (size_t)snprintf(
		out->text + out->len, sizeof(out->text) - out->len,
		"%s:%06o %06o %s %s %s", out->len ? "\n" : "",
		(unsigned)c->old_mode, (unsigned)c->new_mode, a, b, c->path);
	out->calls++;
	return out->stop_after && out->calls == out->stop_after ? 42 : 0;
}

/* The changes from tag a to tag b. */
static void diff_ab(struct collect *got)
{
	git_oid a, b;

	treefix_tree(&a, "a");
	treefix_tree(&b, "b");
	assert_int_equal(fm_tree_diff(gitfix_repo, &a, &b, collect, got), 0);
}

static void git_changes(char *out, size_t size, const char *from,
			const char *to)
{
	gitfix_out(out, size,
		   "git diff-tree -r --no-renames %s %s | "
		   "sed -E 's/ [A-Z][0-9]*\t/ /'",
		   from, to);
}

static void test_changes_equal_git_diff_tree(void **state)
{
	struct collect got = {0};
	char want[16384];
	git_oid a, b;

	(void)state;
	treefix_tree(&a, "a");
	treefix_tree(&b, "b");
	assert_int_equal(fm_tree_diff(gitfix_repo, &a, &b, collect, &got), 0);
	git_changes(want, sizeof(want), "a", "b");
	assert_string_equal(got.text, want);
	/* And backwards. */
	memset(&got, 0, sizeof(got));
	assert_int_equal(fm_tree_diff(gitfix_repo, &b, &a, collect, &got), 0);
	git_changes(want, sizeof(want), "b", "a");
	assert_string_equal(got.text, want);
}

static void test_type_change_is_a_deletion_and_additions(void **state)
{
	struct collect got = {0};

	(void)state;
	diff_ab(&got);
	assert_non_null(strstr(got.text, ":100644 000000 "));
	assert_non_null(strstr(got.text,
			       " 0000000000000000000000000000000000000000 "
			       "file2dir\n"));
	assert_non_null(strstr(got.text, " file2dir/y"));
	assert_non_null(strstr(got.text, " dir2file/inner\n"));
	assert_non_null(strstr(got.text, ":000000 100644 "));
}

static void test_gitlinks_are_leaves(void **state)
{
	struct collect got = {0};

	(void)state;
	diff_ab(&got);
	assert_non_null(strstr(got.text,
			       ":160000 160000 "
			       "1111111111111111111111111111111111111111 "
			       "2222222222222222222222222222222222222222 sub"));
	assert_non_null(strstr(got.text, ":000000 160000 "));
	assert_non_null(strstr(
		got.text, "3333333333333333333333333333333333333333 sub2"));
}

static void test_from_the_empty_tree_every_leaf_is_added(void **state)
{
	struct collect got = {0};
	char want[16384];
	git_oid b;

	(void)state;
	treefix_tree(&b, "b");
	assert_int_equal(fm_tree_diff(gitfix_repo, NULL, &b, collect, &got), 0);
	git_changes(want, sizeof(want),
		    "4b825dc642cb6eb9a060e54bf8d69288fbee4904", "b");
	assert_string_equal(got.text, want);
}

static void test_equal_trees_have_no_changes(void **state)
{
	struct collect got = {0};
	git_oid a;

	(void)state;
	treefix_tree(&a, "a");
	assert_int_equal(fm_tree_diff(gitfix_repo, &a, &a, collect, &got), 0);
	assert_int_equal(got.calls, 0);
}

static void test_callback_value_stops_the_walk(void **state)
{
	struct collect got = {0};
	git_oid a, b;

	(void)state;
	got.stop_after = 2;
	treefix_tree(&a, "a");
	treefix_tree(&b, "b");
	assert_int_equal(fm_tree_diff(gitfix_repo, &a, &b, collect, &got), 42);
	assert_int_equal(got.calls, 2);
}

static void test_unreadable_tree_is_an_error(void **state)
{
	struct collect got = {0};
	git_oid a, ghost, blob;

	(void)state;
	treefix_tree(&a, "a");
	assert_int_equal(
		git_oid_fromstr(&ghost,
				"4444444444444444444444444444444444444444"),
		0);
	assert_true(fm_tree_diff(gitfix_repo, &a, &ghost, collect, &got) < 0);
	gitfix_oid(&blob, "a:t.txt"); /* not a tree */
	assert_true(fm_tree_diff(gitfix_repo, &a, &blob, collect, &got) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changes_equal_git_diff_tree),
		cmocka_unit_test(test_type_change_is_a_deletion_and_additions),
		cmocka_unit_test(test_gitlinks_are_leaves),
		cmocka_unit_test(test_from_the_empty_tree_every_leaf_is_added),
		cmocka_unit_test(test_equal_trees_have_no_changes),
		cmocka_unit_test(test_callback_value_stops_the_walk),
		cmocka_unit_test(test_unreadable_tree_is_an_error),
	};

	return cmocka_run_group_tests(tests, treefix_setup, gitfix_teardown);
}
