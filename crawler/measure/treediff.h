#ifndef FORKMAP_TREEDIFF_H
#define FORKMAP_TREEDIFF_H
/*
 * A lean tree-to-tree comparison: entries are compared by object id and
 * mode, and only subtrees whose ids differ are read. This is what the
 * census runs per commit (hundreds of thousands of times), so it avoids the
 * general git_diff machinery; content is read only where a caller asks
 * (lines.h). Modes are git's canonical ones (100664 reads as 100644).
 */
#include <stdint.h>
#include <git2.h>

/* A changed leaf: absent side has a zero oid and mode 0. */
typedef struct fm_tree_change {
	const char *path; /* full path, NUL-terminated, borrowed */
	size_t pathlen;
	const git_oid *old_oid;
	uint32_t old_mode;
	const git_oid *new_oid;
	uint32_t new_mode;
} fm_tree_change;

/* Return non-zero from the callback to stop (that value is returned). */
typedef int (*fm_tree_change_cb)(const fm_tree_change *c, void *payload);

/*
 * Call cb for every changed leaf between old_tree (NULL: the empty tree)
 * and new_tree, in git's tree order. A type change (file <-> directory)
 * shows as a deletion and additions, as git diff --no-renames shows it.
 * Returns a negative libgit2 code when a tree cannot be read.
 */
int fm_tree_diff(git_repository *repo, const git_oid *old_tree,
		 const git_oid *new_tree, fm_tree_change_cb cb, void *payload);

#endif
