#ifndef FORKMAP_PARALLEL_H
#define FORKMAP_PARALLEL_H
/*
 * Run fn(repo, i, payload) for i in [0, n) on the context's worker threads,
 * each with its own handle on the repository at path (libgit2 objects are
 * not shared between threads). fn records per-item failures itself and
 * returns negative only when out of memory, which stops all workers.
 */
#include <git2.h>
#include <forkmap/common.h>

typedef int (*parallel_fn)(git_repository *repo, size_t i, void *payload);

int parallel_run(fm_ctx *ctx, const char *path, size_t n, parallel_fn fn,
		 void *payload);

#endif
