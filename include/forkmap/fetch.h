#ifndef FORKMAP_FETCH_H
#define FORKMAP_FETCH_H
/*
 * Fetching fork heads into the local repository (libgit2), several at a
 * time; only new objects are transferred.
 *
 *	fm_fetch_opts fopts = FM_FETCH_OPTS_INIT;
 *	fm_fetch_forks(ctx, repo, &forks, &fopts);
 */
#include "forks.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Options of fm_fetch_forks. */
typedef struct fm_fetch_opts {
	int parallel; /* concurrent fetches; 0: the fetch.parallel default */
	int timeout;  /* seconds without progress before a fetch fails */
} fm_fetch_opts;
#define FM_FETCH_OPTS_INIT \
	{                  \
		0, 0       \
	}

/*
 * Fetch every fork that has a url and no error: url's refs/heads/<branch>
 * into the fork's ref (forced: forks rewrite history). A failure becomes
 * that fork's error; the call itself fails only on interruption, on a
 * `parallel` outside the fetch.parallel limits (FM_EINVAL), or when the
 * repository cannot be used at all.
 */
int fm_fetch_forks(fm_ctx *ctx, fm_repo *repo, fm_fork_list *list,
		   const fm_fetch_opts *opts);

#ifdef __cplusplus
}
#endif
#endif
