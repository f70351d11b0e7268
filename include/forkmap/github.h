#ifndef FORKMAP_GITHUB_H
#define FORKMAP_GITHUB_H
/*
 * Fork discovery on GitHub (or GitHub Enterprise, or a test server) through
 * the REST API, gentle with its rate limits and cheap on nightly reruns
 * (conditional requests against the store's HTTP cache).
 *
 * Deprecated: a thin wrapper over forkmap/forge.h (fm_forge_* with kind
 * FM_FORGE_GITHUB), kept until the CLI speaks fm_forge_*; new code uses
 * forge.h. Each fm_github_* call behaves as its fm_forge_* counterpart.
 *
 *	fm_github_opts gopts = FM_GITHUB_OPTS_INIT;
 *	fm_github_discover_opts dopts = FM_GITHUB_DISCOVER_OPTS_INIT;
 *	fm_github *gh;
 *	fm_github_stats st;
 *
 *	gopts.token = getenv("GITHUB_TOKEN");	(never logged nor stored)
 *	gopts.cache = store;			(or NULL)
 *	if (fm_github_new(ctx, &gopts, &gh) < 0) ...
 *	if (fm_github_discover(ctx, gh, "qemu/qemu", &dopts, &forks) < 0)
 *		... FM_EAUTH, FM_ENET, FM_ERATELIMIT, FM_EINTERRUPTED ...
 *	fm_fetch_forks(ctx, repo, &forks, &fetch_opts);
 *	fm_github_stats_get(gh, &st);
 *	fm_github_free(gh);
 *
 * Every fork found becomes an fm_fork: name "owner/repo", its branch, ref
 * fm_fork_ref's (refs/forkmap/github/<owner>%2F<repo>/<branch>), url = the
 * repository's clone_url, source FM_SOURCE_GITHUB, stars, depth. A fork
 * GitHub cannot describe (404 deleted, 451 blocked, 409 empty, 5xx after
 * retries, a truncated or malformed answer ...) is an fm_fork with an
 * error, never a failure of the call. A listing that fails is a row named
 * after the repository whose forks could not be listed, with an empty
 * branch and ref and the error.
 */
#include "census.h"

#ifdef __cplusplus
extern "C" {
#endif

struct fm_store;

typedef struct fm_github fm_github;

typedef struct fm_github_opts {
	const char *api;	/* base URL; NULL: https://api.github.com
				   (GHE: https://HOST/api/v3) */
	const char *token;	/* NULL or "": anonymous (60 requests/hour);
				   copied, never logged, stored or shown */
	const char *user_agent; /* NULL: "forkmap/VERSION" */
	struct fm_store *cache; /* borrowed HTTP cache, or NULL */
	int concurrency;	/* parallel API requests; <= 0: 1 (serial) */
	long max_wait;		/* longest rate-limit wait in seconds; a
				   longer one stops with FM_ERATELIMIT;
				   < 0: no limit */
	long timeout;		/* seconds per request; <= 0: 60 */
} fm_github_opts;

#define FM_GITHUB_OPTS_INIT                         \
	{                                           \
		NULL, NULL, NULL, NULL, 1, 3600, 60 \
	}

int fm_github_new(fm_ctx *ctx, const fm_github_opts *opts, fm_github **out);
void fm_github_free(fm_github *gh);

/*
 * Use `cache` (borrowed, may be NULL) from now on, as if given in the
 * options; what the handle already asked (fm_github_get_repo before the
 * local repository, and so the store, existed) is put in it, so the next
 * run revalidates that too. A failing cache is logged, never fatal.
 */
void fm_github_set_cache(fm_ctx *ctx, fm_github *gh, struct fm_store *cache);

/* What GET /repos/{owner}/{repo} says (after following a rename). */
typedef struct fm_github_repo {
	char *full_name; /* "owner/repo" as GitHub spells it now */
	char *clone_url;
	char *default_branch;
	long stars;
	long forks_count;
} fm_github_repo;

/*
 * Look a repository up ("owner/repo"). FM_ENOTFOUND when GitHub has no
 * such repository; FM_EAUTH, FM_ENET, FM_ERATELIMIT as for discover.
 * Free the strings with fm_github_repo_clear.
 */
int fm_github_get_repo(fm_ctx *ctx, fm_github *gh, const char *name,
		       fm_github_repo *out);
void fm_github_repo_clear(fm_github_repo *repo);

typedef struct fm_github_discover_opts {
	int top;   /* keep the N most starred forks of each listing;
		      <= 0: all of them */
	int depth; /* 1: forks of the upstream; 2: and their forks ...;
		      <= 0: 1 */
	const char *branches; /* NULL or "default": each fork's default
				 branch; "all": every branch; else an
				 fnmatch glob on branch names */
} fm_github_discover_opts;

#define FM_GITHUB_DISCOVER_OPTS_INIT \
	{                            \
		50, 1, NULL          \
	}

/*
 * Append the forks of `upstream` ("owner/repo") to `out`. Costs one request
 * for the upstream, ceil(top/100) for its forks list, one per listed fork
 * with forks of its own (depth > 1), and one (or more pages) per fork for
 * branches other than the default. Fails only with FM_EINVAL (bad name),
 * FM_ENOTFOUND (no such upstream), FM_EAUTH (401), FM_ENET (API
 * unreachable), FM_ERATELIMIT (the wait would exceed max_wait; the HTTP
 * cache keeps what was fetched so a rerun resumes cheaply),
 * FM_EINTERRUPTED or FM_ENOMEM; `out` then keeps what was found so far,
 * and the handle sends nothing more (free it).
 * Progress: phase "listing" (and "waiting" with wait_until) through
 * fm_progress_report.
 */
int fm_github_discover(fm_ctx *ctx, fm_github *gh, const char *upstream,
		       const fm_github_discover_opts *opts, fm_fork_list *out);

typedef struct fm_github_stats {
	long requests;	   /* HTTP requests sent */
	long counted;	   /* of which not answered 304 (what GitHub
			      counts against the limit) */
	long not_modified; /* answered 304 from the cache */
	long remaining;	   /* rate limit left, -1 when unknown */
	long waits;	   /* rate-limit waits */
	int64_t waited_seconds;
	long retries; /* 5xx answers retried */
} fm_github_stats;

void fm_github_stats_get(const fm_github *gh, fm_github_stats *out);

#ifdef __cplusplus
}
#endif
#endif
