/*
 * The fm_github_* API of forkmap/github.h, kept while callers move to
 * forkmap/forge.h: each call is the fm_forge_* one with kind
 * FM_FORGE_GITHUB. Remove with github.h once nothing includes it.
 */
#include <stdlib.h>
#include <string.h>

#include <forkmap/github.h>

#include "forge/forge_internal.h"

struct fm_github {
	fm_forge *forge;
};

int fm_github_new(fm_ctx *ctx, const fm_github_opts *opts, fm_github **out)
{
	fm_github_opts dflt = FM_GITHUB_OPTS_INIT;
	fm_forge_opts fo = FM_FORGE_OPTS_INIT;
	fm_github *gh;
	int rc;

	*out = NULL;
	if (!opts)
		opts = &dflt;
	fo.kind = FM_FORGE_GITHUB;
	fo.api = opts->api;
	fo.token = opts->token;
	fo.user_agent = opts->user_agent;
	fo.cache = opts->cache;
	fo.concurrency = opts->concurrency;
	fo.max_wait = opts->max_wait;
	fo.timeout = opts->timeout;
	if (!(gh = calloc(1, sizeof(*gh))))
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	if ((rc = fm_forge_new(ctx, &fo, &gh->forge)) < 0) {
		free(gh);
		return rc;
	}
	*out = gh;
	return 0;
}

void fm_github_free(fm_github *gh)
{
	if (!gh)
		return;
	fm_forge_free(gh->forge);
	free(gh);
}

void fm_github_set_cache(fm_ctx *ctx, fm_github *gh, struct fm_store *cache)
{
	fm_forge_set_cache(ctx, gh->forge, cache);
}

int fm_github_get_repo(fm_ctx *ctx, fm_github *gh, const char *name,
		       fm_github_repo *out)
{
	fm_forge_repo r;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = fm_forge_get_repo(ctx, gh->forge, name, &r)) < 0)
		return rc;
	out->full_name = r.full_name;
	out->clone_url = r.clone_url;
	out->default_branch = r.default_branch;
	out->stars = r.stars;
	out->forks_count = r.forks_count;
	return 0;
}

void fm_github_repo_clear(fm_github_repo *repo)
{
	fm_forge_repo r;

	if (!repo)
		return;
	r.full_name = repo->full_name;
	r.clone_url = repo->clone_url;
	r.default_branch = repo->default_branch;
	fm_forge_repo_clear(&r);
	memset(repo, 0, sizeof(*repo));
}

int fm_github_discover(fm_ctx *ctx, fm_github *gh, const char *upstream,
		       const fm_github_discover_opts *opts, fm_fork_list *out)
{
	fm_forge_discover_opts fo = FM_FORGE_DISCOVER_OPTS_INIT;

	if (opts) {
		fo.top = opts->top;
		fo.depth = opts->depth;
		fo.branches = opts->branches;
	}
	return fm_forge_discover(ctx, gh->forge, upstream, &fo, out);
}

void fm_github_stats_get(const fm_github *gh, fm_github_stats *out)
{
	fm_forge_stats st;

	fm_forge_stats_get(gh ? gh->forge : NULL, &st);
	out->requests = st.requests;
	out->counted = st.counted;
	out->not_modified = st.not_modified;
	out->remaining = st.remaining;
	out->waits = st.waits;
	out->waited_seconds = st.waited_seconds;
	out->retries = st.retries;
}
