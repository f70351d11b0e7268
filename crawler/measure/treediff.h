#ifndef FORKMAP_TREEDIFF_H
#define FORKMAP_TREEDIFF_H
/*
 * A lean tree-to-tree comparison: entries are compared by object id and
 * mode, and only subtrees whose ids differ are read. This is what the
 * census runs per commit (hundreds of thousands of times), so it avoids the
 * general git_diff machinery; content is read only where a caller asks.
 *
 * Binary detection is git's (a NUL in the first 8000 bytes), not libgit2's
 * heuristic, so line counts and patch ids match the git CLI.
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

/* Contents of one side of a change: blob data, or git's text for a
 * submodule ("Subproject commit <hex>\n"). Empty for an absent side. */
typedef struct fm_side_data {
	git_blob *blob;
	const char *data;
	size_t len;
	char gitlink[64];
} fm_side_data;

int fm_side_load(git_repository *repo, const git_oid *oid, uint32_t mode,
		 fm_side_data *out);
void fm_side_free(fm_side_data *s);

int fm_buffer_is_binary(const char *data, size_t len);
long fm_count_lines(const char *data, size_t len);

/* Per-blob line counts, shared by a census (thread-safe). */
typedef struct fm_line_cache fm_line_cache;
fm_line_cache *fm_line_cache_new(void);
void fm_line_cache_free(fm_line_cache *lc);
/* Lines of a text blob (0 for binary); <0 when it cannot be read. */
long fm_blob_lines(git_repository *repo, fm_line_cache *lc, const git_oid *oid,
		   uint32_t mode);

/* `git diff --shortstat --no-renames` between two trees. */
int fm_tree_diff_stats(git_repository *repo, fm_line_cache *lc,
		       const git_oid *old_tree, const git_oid *new_tree,
		       long *files, long *insertions, long *deletions);

/* Text lines of a whole tree (insertions of a diff from the empty tree). */
int fm_tree_lines(git_repository *repo, fm_line_cache *lc, const git_oid *tree,
		  long *lines);

#endif
