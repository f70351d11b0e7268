#ifndef FORKMAP_FORGE_H
#define FORKMAP_FORGE_H
/*
 * Forges: where forks are listed (GitHub today; GitLab and Forgejo/Gitea
 * plug in beside it). Every forge sits behind the same small seam: list a
 * repository's forks page by page, with that forge's pagination, rate-limit
 * and cache policy, and give each fork's clone URL. The census never knows
 * which forge a fork came from beyond its source.
 *
 *	fm_forge_opts fo = FM_FORGE_OPTS_INIT;
 *	fm_forge_discover_opts dopts = FM_FORGE_DISCOVER_OPTS_INIT;
 *	fm_forge *forge;
 *
 *	fo.kind = FM_FORGE_GITHUB;
 *	fo.token = getenv("GITHUB_TOKEN");	(never logged nor stored)
 *	if (fm_forge_new(ctx, &fo, &forge) < 0) ...
 *	fm_forge_set_cache(ctx, forge, store);	(conditional requests)
 *	if (fm_forge_discover(ctx, forge, "qemu/qemu", &dopts, &forks) < 0)
 *		... FM_EAUTH, FM_ENET, FM_ERATELIMIT, FM_EINTERRUPTED ...
 *	fm_forge_free(forge);
 *
 * A fork the forge cannot describe (deleted, blocked, empty, 5xx after
 * retries, a truncated or malformed answer ...) is an fm_fork with an
 * error, never a failure of the call; so is a fork whose own forks cannot
 * be listed (depth > 1). Only the upstream's own list of forks that
 * cannot be read to its end fails the call (FM_ELISTING).
 *
 * Every request fails after `timeout` seconds without progress and is
 * retried when the failure is transient (a 5xx, a connection reset or
 * closed early, an empty reply, the timeout): three times, after 1, 2 and
 * 4 s on the context's clock. An interrupt or the context's deadline
 * stops any request or wait within about a second.
 */
#include "forks.h"

#ifdef __cplusplus
extern "C" {
#endif

struct fm_store;

typedef enum fm_forge_kind {
	FM_FORGE_GITHUB = 1,
} fm_forge_kind;

typedef struct fm_forge fm_forge;

typedef struct fm_forge_opts {
	fm_forge_kind kind;
	const char *api;	/* base URL; NULL: the forge's public API */
	const char *token;	/* NULL or "": anonymous; copied, never
				   logged, stored or shown */
	const char *user_agent; /* NULL: "forkmap/VERSION" */
	struct fm_store *cache; /* borrowed HTTP cache, or NULL */
	int concurrency;	/* parallel API requests; <= 0: 1 */
	long max_wait;		/* longest rate-limit wait in seconds; a
				   longer one stops with FM_ERATELIMIT;
				   < 0: no limit */
	long timeout;		/* seconds a request may go without progress
				   (connect, or a byte of answer); <= 0: 60 */
} fm_forge_opts;

#define FM_FORGE_OPTS_INIT                                          \
	{                                                           \
		FM_FORGE_GITHUB, NULL, NULL, NULL, NULL, 1, 3600, 0 \
	}

int fm_forge_new(fm_ctx *ctx, const fm_forge_opts *opts, fm_forge **out);
void fm_forge_free(fm_forge *forge);

/* "github"; borrowed. */
const char *fm_forge_name(const fm_forge *forge);

/*
 * Use `cache` (borrowed, may be NULL) from now on; what the handle already
 * asked (fm_forge_get_repo before the store existed) is put in it, so the
 * next run revalidates that too. A failing cache is logged, never fatal.
 */
void fm_forge_set_cache(fm_ctx *ctx, fm_forge *forge, struct fm_store *cache);

/* What the forge says of one repository (after following a rename). */
typedef struct fm_forge_repo {
	char *full_name; /* "owner/repo" as the forge spells it now */
	char *clone_url;
	char *default_branch;
	long stars;
	long forks_count;
} fm_forge_repo;

/*
 * Look a repository up ("owner/repo"). FM_ENOTFOUND when the forge has no
 * such repository; FM_EAUTH, FM_ENET, FM_ERATELIMIT as for discover. Free
 * the strings with fm_forge_repo_clear.
 */
int fm_forge_get_repo(fm_ctx *ctx, fm_forge *forge, const char *name,
		      fm_forge_repo *out);
void fm_forge_repo_clear(fm_forge_repo *repo);

typedef struct fm_forge_discover_opts {
	int top;	      /* keep the N most starred forks of each listing;
				 <= 0: all of them */
	int depth;	      /* 1: forks of the upstream; 2: and their forks
				 ...; <= 0: 1 */
	const char *branches; /* NULL or "default": each fork's default
				 branch; "all" or FM_BRANCHES_MOST_ADRIFT:
				 every branch (the census then keeps one per
				 fork); else an fnmatch glob on branch
				 names */
} fm_forge_discover_opts;

/* --branches most-adrift (fm_census_keep_most_adrift, census.h). */
#define FM_BRANCHES_MOST_ADRIFT "most-adrift"

#define FM_FORGE_DISCOVER_OPTS_INIT \
	{                           \
		50, 1, NULL         \
	}

/*
 * Append the forks of `upstream` to `out`, each with its ref (fm_fork_ref),
 * clone URL, source, stars and depth. Fails only with FM_EINVAL (bad name),
 * FM_ENOTFOUND (no such upstream), FM_EAUTH (401), FM_ENET (API
 * unreachable), FM_ERATELIMIT (the wait would exceed max_wait; the HTTP
 * cache keeps what was fetched so a rerun resumes cheaply), FM_ELISTING
 * (the upstream's forks could not be listed to the end after retries:
 * "cannot list the forks of 'up/proj': GET ...: ... (after 3 retries)"),
 * FM_EINTERRUPTED or FM_ENOMEM; `out` then keeps what was found so far.
 * Progress: phase "listing" (and "waiting" with wait_until).
 */
int fm_forge_discover(fm_ctx *ctx, fm_forge *forge, const char *upstream,
		      const fm_forge_discover_opts *opts, fm_fork_list *out);

typedef struct fm_forge_stats {
	long requests;	   /* HTTP requests sent */
	long counted;	   /* of which not answered 304 (what the forge
			      counts against the limit) */
	long not_modified; /* answered 304 from the cache */
	long remaining;	   /* rate limit left, -1 when unknown */
	long waits;	   /* rate-limit waits */
	int64_t waited_seconds;
	long retries; /* 5xx answers and transient failures retried */
} fm_forge_stats;

void fm_forge_stats_get(const fm_forge *forge, fm_forge_stats *out);

#ifdef __cplusplus
}
#endif
#endif
