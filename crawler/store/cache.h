#ifndef FM_STORE_CACHE_H
#define FM_STORE_CACHE_H
/*
 * Inside libforkmap only: the caches kept in the census store. The HTTP
 * cache (forge responses with their validators) and key/value caches keyed
 * by object id that make a nightly census incremental.
 */
#include <forkmap/runs.h>

/* A cached HTTP response; strings are NULL when absent. */
typedef struct fm_http_entry {
	char *etag;
	char *last_modified;
	char *link; /* the Link header, for paginated lists */
	char *body;
	size_t body_len;
} fm_http_entry;

/*
 * FM_ENOTFOUND when url is not cached (a miss sets no message on ctx). The
 * body comes back NUL-terminated; body_len excludes the NUL. Free with
 * fm_http_entry_clear.
 */
int fm_store_http_get(fm_ctx *ctx, fm_store *store, const char *url,
		      fm_http_entry *out);
int fm_store_http_put(fm_ctx *ctx, fm_store *store, const char *url,
		      const fm_http_entry *entry);
void fm_http_entry_clear(fm_http_entry *e);

/*
 * Key/value caches keyed by object id (hex), committed in batches: blob
 * line counts ("blob_lines"), commit header patch ids ("patch_headers"),
 * commit full patch ids ("patch_ids", the first 64 bits) and the files,
 * insertions and deletions of tree-to-tree diffs ("diff_stats", keyed
 * "OLDTREE..NEWTREE:f", ":i", ":d"). get returns
 * FM_ENOTFOUND for a miss, without setting a message.
 */
int fm_store_cache_get(fm_ctx *ctx, fm_store *store, const char *table,
		       const char *key, int64_t *value);
int fm_store_cache_put(fm_ctx *ctx, fm_store *store, const char *table,
		       const char *key, int64_t value);
/*
 * Reusable census results (rowcache.c), under keys the measure stage makes
 * of everything a value depends on (measure/reuse.c). A row keeps what
 * measuring gave it: skipped ("ahead == 0"), merge_base, the numbers,
 * base_tag, release and the three dates; name, branch, ref, source, stars
 * and head come from the fork list. fm_store_row_get fills those fields of
 * row (replacing its skipped, base_tag and release strings) and leaves the
 * others alone. A node is a commit's date and the text lines of its tree
 * (a release node, the upstream tip). get returns FM_ENOTFOUND for a
 * miss, without setting a message.
 */
int fm_store_row_get(fm_ctx *ctx, fm_store *store, const char *key,
		     fm_row *row);
int fm_store_row_put(fm_ctx *ctx, fm_store *store, const char *key,
		     const fm_row *row);
int fm_store_node_get(fm_ctx *ctx, fm_store *store, const char *key,
		      fm_date *date, long *tree_lines);
int fm_store_node_put(fm_ctx *ctx, fm_store *store, const char *key,
		      const fm_date *date, long tree_lines);

/*
 * The files one patch changes (patchfiles.c), for `forkmap show`: under
 * the key "PARENT_TREE..TREE" of a commit, the records "INS\tDEL\tPATH\0"
 * of `git diff --numstat --no-renames` (binary files 0 and 0). get gives a
 * malloc'd copy (free with free()) and its length; FM_ENOTFOUND for a miss,
 * without a message.
 */
int fm_store_patch_files_get(fm_ctx *ctx, fm_store *store, const char *key,
			     char **out, size_t *len);
int fm_store_patch_files_put(fm_ctx *ctx, fm_store *store, const char *key,
			     const char *files, size_t len);

/* Group many puts into one transaction (begin ... commit). */
int fm_store_begin(fm_ctx *ctx, fm_store *store);
/* A commit that fails is rolled back. */
int fm_store_commit(fm_ctx *ctx, fm_store *store);
/* Abandon the transaction fm_store_begin opened (no-op outside one). */
void fm_store_rollback(fm_store *store);

#endif
