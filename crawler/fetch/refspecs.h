#ifndef FM_FETCH_REFSPECS_H
#define FM_FETCH_REFSPECS_H
/*
 * Inside libforkmap only: one fetch from a URL, shared by fm_fetch_forks
 * (a fork's branch) and fm_repo_init_bare (the upstream's first clone).
 */
#include <git2.h>
#include <forkmap/common.h>

/*
 * Fetch url's refs/heads/<branch> with the given refspecs (the first one
 * names the branch's destination `ref`) from an anonymous remote, without
 * tags unless a refspec asks, no pruning. 0, or an error message through
 * *why (malloc'd, one line) and -1. *interrupted is set when stopped by
 * the context; timeout is seconds without progress (0: none).
 */
int fm_fetch_refspecs(fm_ctx *ctx, git_repository *g, const char *url,
		      const char *branch, const char *ref, char **specs,
		      size_t nspecs, long timeout, char **why,
		      int *interrupted);

#endif
