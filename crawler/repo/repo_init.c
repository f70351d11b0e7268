/*
 * A new local repository for a census of an upstream that has no clone
 * yet: a bare repository with the upstream branch and its tags.
 */
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>

#include <forkmap/repo.h>

#include "fetch/refspecs.h"

/* 1 when path is missing, an empty directory or a repository already. */
static int dir_is_empty_or_missing(const char *path)
{
	git_repository *g = NULL;
	struct dirent *de;
	struct stat st;
	int empty = 1;
	DIR *d;

	if (stat(path, &st) != 0)
		return 1;
	if (!S_ISDIR(st.st_mode))
		return 0;
	if (git_repository_open_ext(&g, path, GIT_REPOSITORY_OPEN_NO_SEARCH,
				    NULL) == 0) {
		git_repository_free(g);
		return 1; /* init again is harmless, the fetch updates it */
	}
	if (!(d = opendir(path)))
		return 0;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	return empty;
}

static int remove_entry(const char *path, const struct stat *st, int type,
			struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

int fm_repo_init_bare(fm_ctx *ctx, const char *path, const char *url,
		      const char *branch, long timeout, fm_repo **out)
{
	git_repository *g = NULL;
	git_reference *head = NULL;
	char *specs[2] = {NULL, NULL}, *head_ref = NULL, *why = NULL;
	int rc = 0, interrupted = 0, created;
	struct stat st;

	*out = NULL;
	if (!path || !*path || !url || !*url || !branch || !*branch)
		return fm_error_set(ctx, FM_EINVAL,
				    "fm_repo_init_bare: path, url and branch "
				    "are required");
	git_libgit2_init();
	created = stat(path, &st) != 0;
	if (!dir_is_empty_or_missing(path)) {
		rc = fm_error_set(ctx, FM_EREPO,
				  "cannot create repository '%s': it exists "
				  "and is not an empty directory",
				  path);
		goto done;
	}
	if (asprintf(&head_ref, "refs/heads/%s", branch) < 0 ||
	    asprintf(&specs[0], "+refs/heads/%s:refs/heads/%s", branch,
		     branch) < 0 ||
	    !(specs[1] = strdup("+refs/tags/*:refs/tags/*"))) {
		rc = fm_error_set(ctx, FM_ENOMEM, "out of memory");
		goto done;
	}
	if (git_repository_init(&g, path, 1) < 0) {
		const git_error *e = git_error_last();

		rc = fm_error_set(ctx, FM_EREPO,
				  "cannot create repository '%s': %s", path,
				  e && e->message ? e->message : "unknown");
		goto done;
	}
	if (git_reference_symbolic_create(&head, g, "HEAD", head_ref, 1,
					  "forkmap: init") < 0) {
		const git_error *e = git_error_last();

		rc = fm_error_set(
			ctx, FM_EREPO, "cannot point HEAD of '%s' at '%s': %s",
			path, branch, e && e->message ? e->message : "unknown");
		goto done;
	}
	{
		fm_progress p;

		memset(&p, 0, sizeof(p));
		p.phase = "fetching";
		p.forks_total = 1;
		p.remaining = -1;
		p.current = branch;
		fm_progress_report(ctx, &p);
	}
	if (fm_fetch_refspecs(ctx, g, url, branch, head_ref, specs, 2, timeout,
			      &why, &interrupted) < 0) {
		rc = interrupted
			     ? fm_error_set(ctx, FM_EINTERRUPTED, "interrupted")
			     : fm_error_set(ctx, FM_EGIT, "%s", why);
		goto done;
	}
	git_reference_free(head);
	head = NULL;
	git_repository_free(g);
	g = NULL;
	rc = fm_repo_open(ctx, path, out);
done:
	free(why);
	free(specs[0]);
	free(specs[1]);
	free(head_ref);
	git_reference_free(head);
	git_repository_free(g);
	/* a first clone that failed (timeout, interrupt, no such branch)
	 * leaves nothing behind when it made the directory itself */
	if (rc < 0 && created &&
	    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) < 0)
		fm_log(ctx, FM_LOG_WARN, "cannot remove the half-made '%s'",
		       path);
	git_libgit2_shutdown();
	return rc;
}
