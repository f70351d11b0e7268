#ifndef FORKMAP_MEASURE_H
#define FORKMAP_MEASURE_H
/*
 * Measuring: every fork of a list against one upstream branch of the local
 * repository, with libgit2, into a census.
 *
 *	fm_census_opts opts = FM_CENSUS_OPTS_INIT;
 *	fm_census *census;
 *
 *	fm_local_discover(ctx, repo, globs, nglobs, &forks);
 *	fm_census_measure(ctx, repo, &opts, &forks, &census);
 *	... census->rows[i] ...
 *	fm_census_free(census);
 */
#include "census.h"
#include "repo.h"

#ifdef __cplusplus
extern "C" {
#endif

struct fm_store;

/*
 * Options of fm_census_measure. Pattern arrays are borrowed; a NULL array
 * means the default of DESIGN.md, a non-NULL array with count 0 means none.
 */
typedef struct fm_census_opts {
	const char *upstream; /* display name; default: repository dir name */
	const char *branch;   /* upstream branch; default: HEAD's branch */
	const char *const *describe; /* tags.describe globs */
	size_t ndescribe;
	const char *release; /* tags.release POSIX extended regex */
	const char *const
		*skip; /* branch-name globs skipped ("staging", "*-next") */
	size_t nskip;
	int keep_empty;		/* 1: do not skip forks with ahead == 0 */
	struct fm_store *cache; /* borrowed store for blob-line and patch-id
				   caches (nightly runs reuse them), or NULL */
	int patch_files; /* 1: keep each new patch's files in the store for
			    `show` (a numstat per patch: costly on a cold
			    store, then only new patches) */
} fm_census_opts;

#define FM_CENSUS_OPTS_INIT                                    \
	{                                                      \
		NULL, NULL, NULL, 0, NULL, NULL, 0, 0, NULL, 1 \
	}

#define FM_DEFAULT_RELEASE_REGEX "^v?[0-9]+\\.[0-9]+\\.[0-9]+$"

/*
 * Measure every fork of `list` against the upstream branch. Per-fork
 * failures become rows with an error; the call fails only when the
 * repository, the upstream branch or the options are unusable, or on
 * interruption.
 */
int fm_census_measure(fm_ctx *ctx, fm_repo *repo, const fm_census_opts *opts,
		      const fm_fork_list *list, fm_census **out);

#ifdef __cplusplus
}
#endif
#endif
