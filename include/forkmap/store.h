#ifndef FORKMAP_STORE_H
#define FORKMAP_STORE_H
/*
 * The census store (SQLite): every census run with its rows and release
 * nodes, and the caches that make nightly runs cheap (HTTP responses with
 * their validators, per-blob line counts, per-commit patch ids). The schema
 * is versioned (PRAGMA user_version) and migrated on open.
 *
 * A census run is written in one transaction: an interrupted run leaves no
 * trace, a finished one is complete.
 */
#include "census.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fm_store fm_store;

/* Open or create the store at path (":memory:" works). */
int fm_store_open(fm_ctx *ctx, const char *path, fm_store **out);
void fm_store_free(fm_store *store);

/* Facts about a run besides its rows (what the summary prints). */
typedef struct fm_run_stats {
	long requests;	   /* API requests made */
	long not_modified; /* of which answered 304 */
	long remaining;	   /* rate limit remaining at the end, -1 unknown */
	int complete;	   /* 0 when the run stopped early (rate limit) */
} fm_run_stats;
#define FM_RUN_STATS_INIT {0, 0, -1, 1}

/* Write a census run and its rows in one transaction; *run_id gets its id. */
int fm_store_save_census(fm_ctx *ctx, fm_store *store,
			 const fm_census *census, const fm_run_stats *stats,
			 int64_t *run_id);

/* Read a run back (run_id 0: the latest). FM_ENOTFOUND when none. */
int fm_store_load_census(fm_ctx *ctx, fm_store *store, int64_t run_id,
			 fm_census **out);

typedef struct fm_run_info {
	int64_t id;
	char *upstream;
	char *branch;
	int64_t started;
	int64_t finished;
	long forks, measured, skipped, failed;
	fm_run_stats stats;
} fm_run_info;

/* All runs, newest first. Free with fm_run_info_free(runs, n). */
int fm_store_list_runs(fm_ctx *ctx, fm_store *store, fm_run_info **out,
		       size_t *n);
void fm_run_info_free(fm_run_info *runs, size_t n);

/* A cached HTTP response; strings are NULL when absent. */
typedef struct fm_http_entry {
	char *etag;
	char *last_modified;
	char *link;	/* the Link header, for paginated lists */
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
/* Group many puts into one transaction (begin ... commit). */
int fm_store_begin(fm_ctx *ctx, fm_store *store);
/* A commit that fails is rolled back. */
int fm_store_commit(fm_ctx *ctx, fm_store *store);
/* Abandon the transaction fm_store_begin opened (no-op outside one). */
void fm_store_rollback(fm_store *store);

#ifdef __cplusplus
}
#endif
#endif
