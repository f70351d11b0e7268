/* fm_repo: a local repository opened with libgit2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/settings.h>

#include "core/scrub.h"
#include "repo/repo_internal.h"

struct fm_repo {
	git_repository *git;
};

static const char *git_message(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

/* Every libgit2 message may quote a URL: scrubbed where it is read. */
int fm_git_error(fm_ctx *ctx, int code, int git_rc, const char *what)
{
	char msg[1024];

	if (git_rc == GIT_ENOTFOUND && code == FM_EGIT)
		code = FM_ENOTFOUND;
	fm_scrub_buf(msg, sizeof(msg), git_message(), NULL);
	return fm_error_set(ctx, code, "%s: %s", what, msg);
}

char *fm_git_errstr(const char *what)
{
	char *msg = fm_scrub(git_message(), NULL), *s = NULL;
	size_t len;

	if (!msg)
		return NULL;
	len = strlen(what) + strlen(msg) + 3;
	if ((s = malloc(len)))
		snprintf(s, len, "%s: %s", what, msg);
	free(msg);
	return s;
}

/*
 * libgit2 caches only small trees by default (4 KiB), and no blobs; a
 * census reads the same trees over and over (every commit's root tree is
 * its neighbours' too) and each blob of a changed file twice (old and new
 * side of consecutive commits), so both are worth keeping.
 */
static void tune_libgit2(void)
{
	/* Objects come from the local object store, whose hashes git checked
	 * when they arrived; rehashing every read costs a tenth of a census. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE,
			 (size_t)1 << 20);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_BLOB,
			 (size_t)64 << 10);
	/* Commits are read once each, into the census's own graph: caching
	 * them would only fill the (process-wide) cache that worker processes
	 * inherit, leaving no room for the trees and blobs they reuse. */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT,
			 (size_t)0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)128 << 20);
	/* Map at most 1 GiB of the packs at once (default: 8 GiB), so
	 * peak memory does not grow with the size of the repository. */
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)1 << 30);
}

int fm_repo_open(fm_ctx *ctx, const char *path, fm_repo **out)
{
	fm_repo *repo;
	int rc;

	*out = NULL;
	repo = calloc(1, sizeof(*repo));
	if (!repo)
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	git_libgit2_init();
	tune_libgit2();
	rc = git_repository_open_ext(&repo->git, path,
				     GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (rc < 0) {
		char msg[1024];

		fm_scrub_buf(msg, sizeof(msg), git_message(), NULL);
		fm_error_set(ctx, FM_EREPO, "cannot open repository '%s': %s",
			     path, msg);
		free(repo);
		git_libgit2_shutdown();
		return FM_EREPO;
	}
	*out = repo;
	return 0;
}

void fm_repo_free(fm_repo *repo)
{
	if (!repo)
		return;
	git_repository_free(repo->git);
	free(repo);
	git_libgit2_shutdown();
}

git_repository *fm_repo_git(fm_repo *repo)
{
	return repo->git;
}

const char *fm_repo_path(const fm_repo *repo)
{
	return git_repository_path(repo->git);
}

int fm_repo_head_branch(fm_ctx *ctx, fm_repo *repo, char **out)
{
	git_reference *head = NULL;
	const char *target;
	int rc;

	*out = NULL;
	rc = git_reference_lookup(&head, repo->git, "HEAD");
	if (rc < 0)
		return fm_git_error(ctx, FM_EREPO, rc, "cannot read HEAD");
	if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) {
		git_reference_free(head);
		return fm_error_set(ctx, FM_ENOTFOUND,
				    "HEAD is detached: name the upstream "
				    "branch with --branch");
	}
	target = git_reference_symbolic_target(head);
	if (strncmp(target, "refs/heads/", 11) == 0)
		target += 11;
	*out = strdup(target);
	git_reference_free(head);
	return *out ? 0 : fm_error_set(ctx, FM_ENOMEM, "out of memory");
}

int fm_repo_store_path(fm_ctx *ctx, const fm_repo *repo, char **out)
{
	const char *dir = fm_repo_path(repo);
	size_t n = strlen(dir);

	if (asprintf(out, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/",
		     FM_DEFAULT_STORE_NAME) < 0) {
		*out = NULL;
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	}
	return 0;
}
