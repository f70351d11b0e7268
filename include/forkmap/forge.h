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
	FM_FORGE_GITHUB = 1,  /* REST v3: github.com, GitHub Enterprise */
	FM_FORGE_GITLAB = 2,  /* REST v4: gitlab.com, self-managed */
	FM_FORGE_FORGEJO = 3, /* API v1: Forgejo, Gitea, Codeberg */
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

/* "github", "gitlab", "forgejo"; borrowed. */
const char *fm_forge_name(const fm_forge *forge);

/*
 * An upstream listing as the command line or the config file names it:
 *   OWNER/REPO                        GitHub (github.api / --api)
 *   github:OWNER/REPO                 the same
 *   gitlab:GROUP[/SUB...]/PROJECT     gitlab.com
 *   forgejo:OWNER/REPO                codeberg.org (also gitea:)
 *   https://github.com/OWNER/REPO     by host: github.com, gitlab.com,
 *   https://gitlab.com/GROUP/PROJECT  codeberg.org, or a host whose name
 *   https://codeberg.org/OWNER/REPO   holds "gitlab", "forgejo", "gitea"
 *   gitlab:https://HOST/GROUP/PROJECT a self-managed instance (its API
 *   forgejo:https://HOST/OWNER/REPO   under /api/v4 or /api/v1)
 * A URL may not carry a user name or password. api is NULL when the
 * forge's default (or --api, for GitHub) applies.
 */
typedef struct fm_forge_upstream {
	fm_forge_kind kind;
	char *name; /* "owner/repo", "group/sub/project" */
	char *api;  /* "https://gitlab.example.com/api/v4", or NULL */
} fm_forge_upstream;

/* FM_EINVAL (with a message) for a spec that names no repository. */
int fm_forge_upstream_parse(fm_ctx *ctx, const char *spec,
			    fm_forge_upstream *out);
void fm_forge_upstream_clear(fm_forge_upstream *u);

/* The environment variables holding a forge's token, in order of
 * preference, NULL-terminated (GITHUB_TOKEN, GH_TOKEN; GITLAB_TOKEN;
 * FORGEJO_TOKEN, GITEA_TOKEN); borrowed. */
const char *const *fm_forge_token_vars(fm_forge_kind kind);
/* "GitHub", "GitLab", "Forgejo"; borrowed. */
const char *fm_forge_kind_title(fm_forge_kind kind);
/* The public API of a forge ("https://gitlab.com/api/v4"); borrowed. */
const char *fm_forge_default_api(fm_forge_kind kind);

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
	int top;	      /* keep the N most starred forks of each listing
				 that can carry work (a fork never pushed
				 since it was created is a skipped row
				 "never pushed", not counted); <= 0: all */
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
