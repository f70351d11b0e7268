#ifndef FORKMAP_RUNS_H
#define FORKMAP_RUNS_H
/*
 * The census store (SQLite): every census run with its rows and release
 * nodes. It also holds the caches that make nightly runs cheap (HTTP
 * responses with their validators, per-blob line counts, per-commit patch
 * ids), which only the library itself reads and writes (crawler/store/
 * cache.h). The schema is versioned (PRAGMA user_version) and migrated on
 * open by the writer (the census); readers open it read-only and never
 * write it.
 *
 * A census run is written in one transaction: an interrupted run leaves no
 * trace, a finished one is complete.
 *
 *	fm_store *store;
 *	int64_t id;
 *	if (fm_store_open(ctx, "forkmap.db", &store) < 0) ...
 *	fm_store_save_census(ctx, store, census, &stats, &id);
 *	fm_store_free(store);
 */
#include "census.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fm_store fm_store;

/*
 * Open or create the store at path (":memory:" works), migrating an older
 * schema. Refused (FM_ESTORE) and left untouched: an SQLite file that is
 * not a forkmap store (another application id, tables of its own but no
 * schema version), and a schema version that is negative or newer than
 * this forkmap's.
 */
int fm_store_open(fm_ctx *ctx, const char *path, fm_store **out);

/*
 * Open an existing store for reading only (history, stale, render, diff):
 * nothing is ever written, created or migrated, and no file is added
 * beside it, so a store in a directory the reader cannot write is read
 * too. Refused with FM_ESTORE: a missing file, what fm_store_open refuses,
 * and a store of an older schema version ("run 'forkmap census' on it once
 * to migrate"). Writing through the handle fails with FM_ESTORE. A read
 * that overlaps a census writing the store may fail with FM_ESTORE ("changed
 * while it was read"); reading again succeeds.
 */
int fm_store_open_readonly(fm_ctx *ctx, const char *path, fm_store **out);
void fm_store_free(fm_store *store);

/* Facts about a run besides its rows (what the summary prints). */
typedef struct fm_run_stats {
	long requests;	   /* API requests made */
	long not_modified; /* of which answered 304 */
	long remaining;	   /* rate limit remaining at the end, -1 unknown */
	int complete;	   /* 0 when the run stopped early (rate limit) */
} fm_run_stats;
#define FM_RUN_STATS_INIT   \
	{                   \
		0, 0, -1, 1 \
	}

/* Write a census run and its rows in one transaction; *run_id gets its id. */
int fm_store_save_census(fm_ctx *ctx, fm_store *store, const fm_census *census,
			 const fm_run_stats *stats, int64_t *run_id);

/*
 * Record a run that could not be made (its forks could not be listed, the
 * forge refused the token ...): no rows, its error for the history. A
 * failed run never becomes the default run of a reader. error must be a
 * non-empty message (FM_EINVAL otherwise); stats NULL means
 * FM_RUN_STATS_INIT; branch may be NULL.
 */
int fm_store_save_failed_run(fm_ctx *ctx, fm_store *store, const char *upstream,
			     const char *branch, int64_t started,
			     int64_t finished, const fm_run_stats *stats,
			     const char *error, int64_t *run_id);

/*
 * Read a run back (run_id 0: the latest good run). FM_ENOTFOUND when none;
 * a failed run asked for by id is FM_ENOTFOUND too, with its error.
 */
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
	char *error; /* NULL for a census; why the run failed otherwise (the
		      * counts are 0 then) */
} fm_run_info;

/* All runs, newest first. Free with fm_run_info_free(runs, n). */
int fm_store_list_runs(fm_ctx *ctx, fm_store *store, fm_run_info **out,
		       size_t *n);
void fm_run_info_free(fm_run_info *runs, size_t n);

#ifdef __cplusplus
}
#endif
#endif
