#ifndef FM_TEST_TREEFIX_H
#define FM_TEST_TREEFIX_H
/*
 * Two commits, "a" and "b" (tags), whose trees differ in every way a tree
 * can: text edits, additions, deletions, a binary file (NUL within the
 * first 8000 bytes), a text file with a NUL after them, a mode change, a
 * symlink, a file that becomes a directory and one the other way round, a
 * submodule (gitlink) that moves and one that appears, a file without a
 * final newline, and an unchanged subtree. For test_treediff and
 * test_lines.
 */
#include "gitfix.h"

static void treefix_make(void)
{
	gitfix_sh("printf 'one\\ntwo\\nthree\\n' > t.txt && "
		  "printf 'x\\000y\\n' > bin.dat && "
		  "head -c 8000 /dev/zero | tr '\\000' 'a' > late.dat && "
		  "printf '\\nend\\000\\nmore\\n' >> late.dat && "
		  "printf 'no newline' > nonl.txt && "
		  "mkdir -p keep dir2file && echo same > keep/k && "
		  "echo inner > dir2file/inner && echo f > file2dir && "
		  "echo gone > gone.txt && echo m > mode.sh && "
		  "ln -s t.txt link && git add -A && "
		  "git update-index --add --cacheinfo "
		  "160000,1111111111111111111111111111111111111111,sub");
	gitfix_commit("a");
	gitfix_sh("git tag a");
	gitfix_sh(
		"printf 'one\\nTWO\\nthree\\nfour\\n' > t.txt && "
		"printf 'x\\000z\\n' > bin.dat && "
		"printf 'more\\n' >> late.dat && "
		"printf 'no newline\\nnow' > nonl.txt && "
		"git rm -q -r dir2file gone.txt file2dir && "
		"echo d > dir2file && mkdir file2dir && echo y > file2dir/y && "
		"chmod +x mode.sh && rm link && ln -s nonl.txt link && "
		"echo new > new.txt && git add -A && "
		"git update-index --add --cacheinfo "
		"160000,2222222222222222222222222222222222222222,sub && "
		"git update-index --add --cacheinfo "
		"160000,3333333333333333333333333333333333333333,sub2");
	gitfix_commit("b");
	gitfix_sh("git tag b");
}

/* Group setup: the two commits, in gitfix_repo. */
static int treefix_setup(void **state)
{
	(void)state;
	if (gitfix_init("trees") < 0)
		return -1;
	treefix_make();
	gitfix_repo = gitfix_open();
	return 0;
}

static void treefix_tree(git_oid *tree, const char *commit)
{
	char spec[64];

	snprintf(spec, sizeof(spec), "%s^{tree}", commit);
	gitfix_oid(tree, spec);
}

#endif
