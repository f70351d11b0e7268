#ifndef FORKMAP_REPO_INTERNAL_H
#define FORKMAP_REPO_INTERNAL_H
/* Inside libforkmap only: the libgit2 handle behind an fm_repo, and the one
 * place libgit2 errors are turned into forkmap errors. */
#include <git2.h>
#include <forkmap/measure.h>

/* Borrowed; valid while repo lives. Use from one thread at a time. */
git_repository *fm_repo_git(fm_repo *repo);

/*
 * Set ctx's error from libgit2's last error: "<what>: <libgit2 message>".
 * Returns code (FM_ENOTFOUND for GIT_ENOTFOUND when code is FM_EGIT).
 */
int fm_git_error(fm_ctx *ctx, int code, int git_rc, const char *what);

/* "<what>: <libgit2 message>" in a malloc'd string (for fork rows). */
char *fm_git_errstr(const char *what);

#endif
