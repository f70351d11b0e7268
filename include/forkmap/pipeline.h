#ifndef FORKMAP_PIPELINE_H
#define FORKMAP_PIPELINE_H
/*
 * The census pipeline, from start to end, as one call:
 *
 *   discover (local branches, configured forks, the forge)
 *     -> fetch (fork heads into the local repository)
 *     -> measure (libgit2, the metric contract)
 *     -> store (the run, in one SQLite transaction)
 *     -> export (CSV/JSON, written atomically)
 *
 *	fm_config cfg;
 *	fm_census_run_opts opts = FM_CENSUS_RUN_OPTS_INIT;
 *	fm_census_result *res;
 *
 *	fm_config_init(&cfg);
 *	fm_config_load(ctx, "forkmap.conf", &cfg);   (and overrides)
 *	fm_ctx_set_progress(ctx, on_progress, payload);
 *	opts.token = getenv("GITHUB_TOKEN");
 *	if (fm_census_run(ctx, &cfg, &opts, &res) < 0)
 *		... fm_ctx_errmsg(ctx), fm_ctx_errcode(ctx) ...
 *	... res->census->rows, res->failed, res->run_id ...
 *	fm_census_result_free(res);
 *
 * Progress reaches the caller through the context's progress callback
 * (phases "listing", "waiting", "fetching", "measuring"); the library never
 * prints. Output files are opened before the census starts (a bad path
 * fails at once) and replaced only when the whole run succeeded.
 */
#include <stdio.h>

#include "census.h"
#include "config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the config file cannot say. */
typedef struct fm_census_run_opts {
	const char *token;   /* GitHub token; NULL or "": anonymous. Only ever
				sent to the forge's API origin; never logged,
				stored or shown */
	int no_store;	     /* 1: keep no run in the store */
	int include_skipped; /* 1: CSV/JSON list skipped forks with reasons */
	FILE *stream;	     /* where an output named "-" goes (the caller's
				stdout); borrowed */
	const char *gitlab_token;  /* the same, for GitLab listings */
	const char *forgejo_token; /* and for Forgejo/Gitea listings */
	/*
	 * Optional: the token of one listing, by its forge and API base URL
	 * ("https://gitlab.example.org/api/v4"); NULL or "" falls back to
	 * the fields above. Tokens are per host: the CLI reads
	 * FORKMAP_TOKEN_<HOST> first. Borrowed; never logged nor stored.
	 */
	const char *(*token_for)(void *payload, int kind, const char *api);
	void *token_payload;
} fm_census_run_opts;

#define FM_CENSUS_RUN_OPTS_INIT                          \
	{                                                \
		NULL, 0, 0, NULL, NULL, NULL, NULL, NULL \
	}

typedef struct fm_census_result {
	fm_census *census;
	int64_t run_id;	   /* 0: not stored */
	char *store_path;  /* the store the run went to, NULL when none */
	int forge;	   /* 1: forks were listed on a forge */
	long requests;	   /* forge API requests sent (every listing) */
	long not_modified; /* of which answered 304 */
	long counted;	   /* of which the forges count against their
			      limits (GitLab counts a 304 too) */
	long remaining;	   /* rate limit left, -1 when unknown */
	size_t measured, skipped, failed; /* rows by outcome */
} fm_census_result;

/*
 * Run a census of cfg->repository (created bare from the forge's upstream
 * when it does not exist yet) against cfg->branch, with forks from
 * cfg->local, cfg->forks and, when cfg->upstream is set and cfg->github is
 * on, the forge; keep it in cfg->db (default: fm_repo_store_path) and write
 * cfg->csv and cfg->json. Per-fork failures are rows with an error (counted
 * in failed); the call fails only when the run as a whole cannot be made
 * (FM_ECONFIG, FM_EREPO, FM_ESTORE, FM_EIO, FM_EAUTH, FM_ENET,
 * FM_ERATELIMIT, FM_EINTERRUPTED, FM_ENOMEM ...), and then leaves the
 * store and every output file as they were.
 */
int fm_census_run(fm_ctx *ctx, const fm_config *cfg,
		  const fm_census_run_opts *opts, fm_census_result **out);
void fm_census_result_free(fm_census_result *res);

#ifdef __cplusplus
}
#endif
#endif
