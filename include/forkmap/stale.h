#ifndef FORKMAP_STALE_H
#define FORKMAP_STALE_H
/*
 * The stale report: forks that carry real unmerged work (unique > 0) but
 * have gone quiet -- the downstreams worth a maintainer's call before their
 * work is lost -- and, reported apart from them, the hard forks: alive, but
 * based far behind upstream (fate.h has the rules; the report uses them).
 *
 *	fm_stale_opts opts = FM_STALE_OPTS_INIT;
 *	fm_stale *list;
 *	size_t n;
 *
 *	opts.now = time(NULL);
 *	fm_stale_find(ctx, census, &opts, &list, &n);
 *	... list[i].row, list[i].idle_days ...
 *	free(list);   (rows are borrowed from the census)
 */
#include "census.h"
#include "fate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What "most unmerged work" counts when ranking. */
typedef enum fm_stale_rank {
	FM_STALE_RANK_UNIQUE = 0,  /* unique commits (git cherry's '+') */
	FM_STALE_RANK_PATCHES = 1, /* distinct patches among them: a
				      merging-rebase fork counts each once;
				      rows without the count (older runs)
				      rank by unique */
} fm_stale_rank;

typedef struct fm_stale_opts {
	int64_t now;	 /* "today", epoch seconds (injectable for tests) */
	int idle_months; /* quiet: last commit older than this (6) */
	int base_months; /* far behind: merge base this much older than the
			    upstream tip (24); 0 disables the rule */
	fm_stale_rank rank;
} fm_stale_opts;

#define FM_STALE_OPTS_INIT                                         \
	{                                                          \
		0, FM_DEFAULT_IDLE_MONTHS, FM_DEFAULT_BASE_MONTHS, \
			FM_STALE_RANK_UNIQUE                       \
	}

enum {
	FM_STALE_QUIET = 1,  /* no commit for idle_months */
	FM_STALE_BEHIND = 2, /* based far behind upstream */
};

typedef struct fm_stale {
	const fm_row *row; /* borrowed from the census */
	fm_fate fate;	   /* FM_FATE_QUIET or FM_FATE_HARD_FORK */
	int reasons;	   /* FM_STALE_* bits */
	long idle_days;	   /* now - head_date */
	long base_days;	   /* upstream tip date - merge_base_date */
	long work;	   /* what it was ranked by (opts->rank) */
} fm_stale;

/*
 * The measured rows with unique > 0 whose fate is quiet (abandoned), then
 * those whose fate is hard fork; each group most unmerged work first
 * (opts->rank; ties: more unique, then longest idle). A quiet fork based far
 * behind has both reason bits. *out is one malloc'd array (free with
 * free()), NULL when n is 0.
 */
int fm_stale_find(fm_ctx *ctx, const fm_census *census,
		  const fm_stale_opts *opts, fm_stale **out, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
