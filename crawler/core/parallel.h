#ifndef FORKMAP_PARALLEL_H
#define FORKMAP_PARALLEL_H
/*
 * Run fn(repo, i, payload) for i in [0, n) on `workers` threads (<= 0: the
 * context's, one per core), each with its own handle on the repository at
 * path (libgit2 objects are not shared between threads). fn records per-item
 * failures itself and returns negative only when out of memory, which stops all
 * workers.
 */
#include <git2.h>
#include <forkmap/common.h>

typedef int (*fm_parallel_fn)(git_repository *repo, size_t i, void *payload);

int fm_parallel_run(fm_ctx *ctx, const char *path, size_t n, int workers,
		    fm_parallel_fn fn, void *payload);

/*
 * The same over worker processes (fork), for CPU-bound passes whose
 * results are plain values: libgit2 serialises object reads of one process
 * behind global locks, so threads do not scale there, processes do. fn may
 * write only into memory from fm_shared_calloc(); it must not allocate
 * results on the heap. Items are claimed through shared memory; an item a
 * worker did not finish (it died) is left for the caller to notice and redo.
 * Falls back to fm_parallel_run when processes cannot be made.
 */
int fm_parallel_run_procs(fm_ctx *ctx, const char *path, size_t n,
			  fm_parallel_fn fn, void *payload);

/*
 * The same, reporting progress through the context: report (borrowed; the
 * caller sets its phase, step and unit) gets total = n and done = the items
 * finished, and is passed to fm_progress_report from the calling thread (on
 * the thread fallback, from a worker thread under a lock), once at the start
 * and then about every n/64 items. Workers send their counts to the parent
 * over a pipe, one 8-byte message per n/64 items each, so the work is not
 * slowed. report may be NULL.
 */
int fm_parallel_run_procs_report(fm_ctx *ctx, const char *path, size_t n,
				 fm_parallel_fn fn, void *payload,
				 fm_progress *report);

/* Zeroed memory shared with worker processes; NULL on failure. */
void *fm_shared_calloc(size_t n, size_t size);
void fm_shared_free(void *p, size_t n, size_t size);

#endif
