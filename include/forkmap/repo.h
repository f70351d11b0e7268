#ifndef FORKMAP_REPO_H
#define FORKMAP_REPO_H
/*
 * The local git repository (bare or not) every fork is fetched into and
 * measured in, so that all metrics come from one object store.
 *
 *	fm_repo *repo;
 *	if (fm_repo_open(ctx, "qemu.git", &repo) < 0) ...
 *	fm_repo_free(repo);
 */
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fm_repo fm_repo;

int fm_repo_open(fm_ctx *ctx, const char *path, fm_repo **out);
void fm_repo_free(fm_repo *repo);
/* The path libgit2 opened (the .git dir for non-bare); borrowed. */
const char *fm_repo_path(const fm_repo *repo);
/*
 * The short name of the branch HEAD points at ("master"); caller frees with
 * free(). FM_ENOTFOUND when HEAD is detached or unborn.
 */
int fm_repo_head_branch(fm_ctx *ctx, fm_repo *repo, char **out);

/*
 * Where the census store lives by default: FM_DEFAULT_STORE_NAME
 * ("forkmap.db") in the repository's git directory. Caller frees *out.
 */
int fm_repo_store_path(fm_ctx *ctx, const fm_repo *repo, char **out);

/*
 * For a census of an upstream that has no local clone yet: creates a bare
 * repository at `path` (which must be missing, an empty directory, or a
 * repository already), fetches url's refs/heads/<branch> into
 * refs/heads/<branch> and every tag into refs/tags/, points HEAD at the
 * branch and opens it into *out (free with fm_repo_free). With a forge:
 * url and branch are the upstream's clone URL and default branch. The
 * fetch fails (FM_EGIT, "no progress for N s") when one connect, read or
 * write waits `timeout` seconds (<= 0: no limit), and stops with
 * FM_EINTERRUPTED within a second of an interrupt or the deadline.
 */
int fm_repo_init_bare(fm_ctx *ctx, const char *path, const char *url,
		      const char *branch, long timeout, fm_repo **out);

#ifdef __cplusplus
}
#endif
#endif
