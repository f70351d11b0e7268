#ifndef FORKMAP_MEASURE_LINES_H
#define FORKMAP_MEASURE_LINES_H
/*
 * The contents of a tree change and their lines, as the git CLI counts
 * them: binary detection is git's (a NUL in the first 8000 bytes), not
 * libgit2's heuristic, so line counts and patch ids match git's; a
 * submodule reads as git's "Subproject commit <hex>" line.
 */
#include <stdint.h>
#include <git2.h>

#include "measure/treediff.h"

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

/*
 * `git diff --numstat --no-renames` between two trees: cb gets every
 * changed file with its inserted and deleted lines (0 and 0 for a binary
 * file, as --shortstat counts it), in git's path order. A non-zero return
 * from cb stops the walk and is returned.
 */
typedef int (*fm_file_stat_cb)(const fm_tree_change *c, long insertions,
			       long deletions, void *payload);
int fm_tree_diff_each(git_repository *repo, fm_line_cache *lc,
		      const git_oid *old_tree, const git_oid *new_tree,
		      fm_file_stat_cb cb, void *payload);

/* `git diff --shortstat --no-renames` between two trees. */
int fm_tree_diff_stats(git_repository *repo, fm_line_cache *lc,
		       const git_oid *old_tree, const git_oid *new_tree,
		       long *files, long *insertions, long *deletions);

/* Text lines of a whole tree (insertions of a diff from the empty tree). */
int fm_tree_lines(git_repository *repo, fm_line_cache *lc, const git_oid *tree,
		  long *lines);

#endif
