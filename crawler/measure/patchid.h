#ifndef FORKMAP_PATCHID_H
#define FORKMAP_PATCHID_H
/*
 * Patch ids with git's equality: two commits get the same id exactly when
 * `git patch-id` (as `git cherry` computes it) would say so. As git does,
 * a cheap header id (the changed paths and their modes, from a tree
 * comparison that reads no blobs) is computed for every commit, and the full
 * id (content diff with whitespace removed) only for commits whose header id
 * collides with one on the other side.
 */
#include <stdint.h>
#include <git2.h>

/* old_tree NULL: a root commit, compared with the empty tree. */
int fm_patch_header_id(git_repository *repo, const git_oid *old_tree,
		       const git_oid *new_tree, uint64_t *out);
int fm_patch_full_id(git_repository *repo, const git_oid *old_tree,
		     const git_oid *new_tree, git_oid *out);

#endif
