/*
 * crawler/measure/patchid.c: full patch ids have git's equality. The same
 * change on different bases gets the same id, whitespace-only differences
 * do not count, a different change, a mode change or another binary gets
 * another id; over a set of commits the classes of equal ids are those of
 * `git patch-id --stable`. Header ids tell paths and modes apart and read
 * no content.
 */
#include "gitfix.h"

#include "measure/patchid.h"

enum {
	SAME1,
	SAME2,
	SPACES,
	OTHER,
	MODE,
	BIN1,
	BIN2,
	BIN3,
	ADD,
	DEL,
	ROOT,
	NCOMMITS
};
static const char *const names[NCOMMITS] = {"same1", "same2", "spaces", "other",
					    "mode",  "bin1",  "bin2",	"bin3",
					    "add",   "del",   "root"};

static int group_setup(void **state)
{
	(void)state;
	if (gitfix_init("patchid") < 0)
		return -1;
	gitfix_sh("seq 1 20 > f && echo g > g && git add f g");
	gitfix_commit("base");
	gitfix_sh("git tag base");
	/* same1: line 5 changed on base. */
	gitfix_sh("sed -i 's/^5$/five/' f && git commit -qam same1 && "
		  "git tag same1 && git reset -q --hard base");
	/* same2: the same change on a base that differs far away. */
	gitfix_sh("sed -i 's/^20$/twenty/' f && git commit -qam other-base && "
		  "sed -i 's/^5$/five/' f && git commit -qam same2 && "
		  "git tag same2 && git reset -q --hard base");
	/* spaces: the same change, with whitespace moved about. */
	gitfix_sh("sed -i 's/^5$/ fi  ve\t/' f && git commit -qam spaces && "
		  "git tag spaces && git reset -q --hard base");
	gitfix_sh("sed -i 's/^5$/FIVE/' f && git commit -qam other && "
		  "git tag other && git reset -q --hard base");
	gitfix_sh("chmod +x f && git commit -qam mode && git tag mode && "
		  "git reset -q --hard base");
	gitfix_sh("printf 'a\\000b' > b.bin && git add b.bin && "
		  "git commit -qm bin1 && git tag bin1 && "
		  "git reset -q --hard base");
	gitfix_sh("sed -i 's/^20$/twenty/' f && git commit -qam base2 && "
		  "printf 'a\\000b' > b.bin && git add b.bin && "
		  "git commit -qm bin2 && git tag bin2 && "
		  "git reset -q --hard base");
	gitfix_sh("printf 'a\\000c' > b.bin && git add b.bin && "
		  "git commit -qm bin3 && git tag bin3 && "
		  "git reset -q --hard base");
	gitfix_sh("echo new > n && git add n && git commit -qm add && "
		  "git tag add && git reset -q --hard base");
	gitfix_sh("git rm -q g && git commit -qm del && git tag del && "
		  "git reset -q --hard base");
	gitfix_sh("git tag root base");
	gitfix_repo = gitfix_open();
	return 0;
}

/* Trees of a commit and of its parent (NULL for a root commit). */
static const git_oid *trees(const char *name, git_oid *old, git_oid *new)
{
	char spec[64];
	int root = !strcmp(name, "root");

	snprintf(spec, sizeof(spec), "%s^{tree}", name);
	gitfix_oid(new, spec);
	if (root)
		return NULL;
	snprintf(spec, sizeof(spec), "%s~1^{tree}", name);
	gitfix_oid(old, spec);
	return old;
}

static void full_id(const char *name, git_oid *out)
{
	git_oid a, b;
	const git_oid *old = trees(name, &a, &b);

	assert_int_equal(fm_patch_full_id(gitfix_repo, old, &b, out), 0);
}

static uint64_t header_id(const char *name)
{
	git_oid a, b;
	const git_oid *old = trees(name, &a, &b);
	uint64_t id;

	assert_int_equal(fm_patch_header_id(gitfix_repo, old, &b, &id), 0);
	return id;
}

static void git_patch_id(const char *name, char *out, size_t size)
{
	gitfix_out(out, size,
		   "git diff-tree -p --no-renames --root %s | "
		   "git patch-id --stable | cut -d' ' -f1",
		   name);
}

static void test_same_change_on_another_base_has_the_same_id(void **state)
{
	git_oid a, b;

	(void)state;
	full_id("same1", &a);
	full_id("same2", &b);
	assert_true(git_oid_equal(&a, &b));
	full_id("bin1", &a);
	full_id("bin2", &b);
	assert_true(git_oid_equal(&a, &b));
}

static void test_whitespace_does_not_count(void **state)
{
	git_oid a, b;

	(void)state;
	full_id("same1", &a);
	full_id("spaces", &b);
	assert_true(git_oid_equal(&a, &b));
}

static void test_another_change_has_another_id(void **state)
{
	git_oid a, b;

	(void)state;
	full_id("same1", &a);
	full_id("other", &b);
	assert_false(git_oid_equal(&a, &b));
	full_id("bin1", &a);
	full_id("bin3", &b);
	assert_false(git_oid_equal(&a, &b));
}

static void test_equal_ids_are_git_patch_id_classes(void **state)
{
	char git[NCOMMITS][64];
	git_oid mine[NCOMMITS];
	int i, j;

	(void)state;
	for (i = 0; i < NCOMMITS; i++) {
		full_id(names[i], &mine[i]);
		git_patch_id(names[i], git[i], sizeof(git[i]));
		assert_int_equal(strlen(git[i]), GIT_OID_HEXSZ);
	}
	for (i = 0; i < NCOMMITS; i++)
		for (j = 0; j < NCOMMITS; j++)
			assert_int_equal(git_oid_equal(&mine[i], &mine[j]),
					 !strcmp(git[i], git[j]));
}

static void test_header_id_tells_paths_and_modes_apart(void **state)
{
	(void)state;
	/* Same path and modes: one header, whatever the content. */
	assert_true(header_id("same1") == header_id("other"));
	assert_true(header_id("same1") == header_id("same2"));
	/* Another mode, another path, an addition or a deletion: not. */
	assert_true(header_id("same1") != header_id("mode"));
	assert_true(header_id("same1") != header_id("del"));
	assert_true(header_id("add") != header_id("bin1"));
	assert_true(header_id("add") != header_id("del"));
	assert_true(header_id("bin1") == header_id("bin3"));
}

static void test_missing_blob_is_an_error(void **state)
{
	char tree[64], blob[64];
	git_oid old, new, id;

	(void)state;
	/* A tree naming a blob the object store does not have. */
	snprintf(blob, sizeof(blob), "%s",
		 "6666666666666666666666666666666666666666");
	gitfix_out(tree, sizeof(tree),
		   "printf '100644 blob %s\\tf\\n' | git mktree --missing",
		   blob);
	assert_int_equal(git_oid_fromstr(&new, tree), 0);
	gitfix_oid(&old, "base^{tree}");
	assert_true(fm_patch_full_id(gitfix_repo, &old, &new, &id) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_same_change_on_another_base_has_the_same_id),
		cmocka_unit_test(test_whitespace_does_not_count),
		cmocka_unit_test(test_another_change_has_another_id),
		cmocka_unit_test(test_equal_ids_are_git_patch_id_classes),
		cmocka_unit_test(test_header_id_tells_paths_and_modes_apart),
		cmocka_unit_test(test_missing_blob_is_an_error),
	};

	return cmocka_run_group_tests(tests, group_setup, gitfix_teardown);
}
