/*
 * fm_census_run: the census pipeline as one call, so that every command
 * (census today; diff and show read what it stored) shares one data flow:
 * discover -> fetch -> measure -> store -> export. Each stage lives in its
 * own folder of crawler/; this file only wires them together and owns
 * nothing but the order and the cleanup.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <forkmap/export.h>
#include <forkmap/fetch.h>
#include <forkmap/forge.h>
#include <forkmap/measure.h>
#include <forkmap/pipeline.h>
#include <forkmap/repo.h>
#include <forkmap/runs.h>

#include "core/output.h"
#include "discover/configured.h"
#include "pipeline/listings.h"
#include "pipeline/lock.h"

/* Everything one run holds, freed in one place. */
struct run {
	fm_ctx *ctx;
	const fm_config *cfg;
	const fm_census_run_opts *opts;
	fm_census_result *res;
	fm_listings listings;
	fm_forge *forge;      /* the upstream's, in listings */
	const char *upstream; /* its name on that forge */
	fm_repo *repo;
	fm_store *store;
	fm_fork_list forks;
	fm_output csv, json;
	fm_census_lock lock;
};

static int nomem(fm_ctx *ctx)
{
	return fm_error_set(ctx, FM_ENOMEM, "out of memory");
}

/* The forge listings; the first is the upstream's own. */
static int open_forge(struct run *r)
{
	int rc = fm_listings_open(r->ctx, r->cfg, r->opts, &r->listings);

	if (rc == 0 && r->listings.n) {
		r->forge = r->listings.v[0].forge; /* borrowed */
		r->upstream = r->listings.v[0].up.name;
		r->res->forge = 1;
	}
	return rc;
}

/* The local repository; a first census of a forge upstream clones it. */
static int open_repo(struct run *r)
{
	const char *path = r->cfg->repository ? r->cfg->repository : ".";
	fm_forge_repo up;
	struct stat st;
	int rc;

	if (!r->forge || stat(path, &st) == 0)
		return fm_repo_open(r->ctx, path, &r->repo);
	if ((rc = fm_forge_get_repo(r->ctx, r->forge, r->upstream, &up)) < 0)
		return rc;
	rc = fm_repo_init_bare(r->ctx, path, up.clone_url, up.default_branch,
			       r->cfg->timeout, &r->repo);
	fm_forge_repo_clear(&up);
	return rc;
}

/* The store: census runs, and caches that make the next run cheap. */
static int open_store(struct run *r)
{
	char *path = NULL;
	int rc;

	if (r->opts->no_store || r->store)
		return 0;
	if (r->cfg->db)
		path = strdup(r->cfg->db);
	else if ((rc = fm_repo_store_path(r->ctx, r->repo, &path)) < 0)
		return rc;
	if (!path)
		return nomem(r->ctx);
	r->res->store_path = path;
	/* opened first, so a file that is not a forkmap store is refused
	 * with nothing beside it, then locked before any work */
	if ((rc = fm_store_open(r->ctx, path, &r->store)) < 0 ||
	    (rc = fm_census_lock_take(r->ctx, path, &r->lock)) < 0)
		return rc;
	return 0;
}

static int discover(struct run *r)
{
	const fm_config *cfg = r->cfg;
	fm_forge_discover_opts dopts = FM_FORGE_DISCOVER_OPTS_INIT;
	int rc;

	if ((rc = fm_local_discover(r->ctx, r->repo,
				    (const char *const *)cfg->local.items,
				    cfg->local.count, &r->forks)) < 0 ||
	    (rc = fm_configured_discover(r->ctx, cfg, &r->forks)) < 0)
		return rc;
	if (!r->forge)
		return 0;
	dopts.top = cfg->top;
	dopts.depth = cfg->depth;
	dopts.branches = cfg->branches;
	return fm_listings_discover(r->ctx, &r->listings, r->store, &dopts,
				    &r->forks, r->res);
}

static int measure(struct run *r)
{
	static const char *const no_globs[] = {NULL};
	const fm_config *cfg = r->cfg;
	fm_census_opts opts = FM_CENSUS_OPTS_INIT;
	int rc;

	opts.upstream = cfg->upstream;
	opts.branch = cfg->branch;
	opts.describe = (const char *const *)cfg->describe.items;
	opts.ndescribe = cfg->describe.count;
	opts.release = cfg->release;
	/* an empty skip list means none; NULL would mean the defaults */
	opts.skip = cfg->skip.items ? (const char *const *)cfg->skip.items
				    : no_globs;
	opts.nskip = cfg->skip.count;
	opts.keep_empty = cfg->keep_empty;
	opts.patch_files = cfg->patch_files;
	opts.cache = r->store;
	if ((rc = fm_census_measure(r->ctx, r->repo, &opts, &r->forks,
				    &r->res->census)) < 0)
		return rc;
	if (cfg->branches && !strcmp(cfg->branches, FM_BRANCHES_MOST_ADRIFT))
		rc = fm_census_keep_most_adrift(r->ctx, r->res->census);
	return rc;
}

static int save(struct run *r)
{
	fm_run_stats stats = FM_RUN_STATS_INIT;
	int rc;

	if (!r->store)
		return 0;
	stats.requests = r->res->requests;
	stats.not_modified = r->res->not_modified;
	stats.remaining = r->res->remaining;
	if ((rc = fm_store_save_census(r->ctx, r->store, r->res->census, &stats,
				       &r->res->run_id)) < 0)
		return rc;
	r->res->census->run_id = r->res->run_id; /* for the exports */
	return 0;
}

static int export(struct run *r)
{
	const fm_census *c = r->res->census;
	int skipped = r->opts->include_skipped, rc = 0;

	if (r->csv.f)
		rc = fm_export_csv(r->ctx, c, skipped, r->csv.f);
	if ((rc = fm_output_commit(r->ctx, &r->csv, rc)) < 0)
		return rc;
	if (r->json.f)
		rc = fm_export_json(r->ctx, c, skipped, r->json.f);
	return fm_output_commit(r->ctx, &r->json, rc);
}

/*
 * A run that could not list its forks (or whose forge refused it) is not a
 * census, but the history should say it happened: it is kept as a failed
 * run, with its error and no rows, and never becomes the default run of
 * stale, render or diff. An interrupted run leaves no trace at all.
 */
static void save_failed(struct run *r, int rc, int64_t started)
{
	fm_run_stats stats = FM_RUN_STATS_INIT;
	const char *msg = fm_ctx_errmsg(r->ctx);

	if (!r->store || (rc != FM_ELISTING && rc != FM_ENET &&
			  rc != FM_EAUTH && rc != FM_ERATELIMIT))
		return;
	stats.requests = r->res->requests;
	stats.not_modified = r->res->not_modified;
	stats.remaining = r->res->remaining;
	stats.complete = 0;
	if (fm_store_save_failed_run(NULL, r->store, r->cfg->upstream,
				     r->cfg->branch, started,
				     fm_ctx_now(r->ctx), &stats,
				     *msg ? msg : fm_strerror(rc), NULL) < 0)
		fm_log(r->ctx, FM_LOG_WARN,
		       "the failed run could not be kept in the store");
}

static void count_rows(fm_census_result *res)
{
	size_t i;

	for (i = 0; i < res->census->nrows; i++) {
		const fm_row *row = &res->census->rows[i];

		if (row->error)
			res->failed++;
		else if (row->skipped)
			res->skipped++;
		else
			res->measured++;
	}
}

int fm_census_run(fm_ctx *ctx, const fm_config *cfg,
		  const fm_census_run_opts *opts, fm_census_result **out)
{
	static const fm_census_run_opts defaults = FM_CENSUS_RUN_OPTS_INIT;
	fm_fetch_opts fopts = FM_FETCH_OPTS_INIT;
	int64_t started;
	struct run r;
	int rc;

	*out = NULL;
	memset(&r, 0, sizeof(r));
	r.lock.fd = -1;
	r.ctx = ctx;
	started = fm_ctx_now(ctx);
	r.cfg = cfg;
	r.opts = opts ? opts : &defaults;
	if (!(r.res = calloc(1, sizeof(*r.res))))
		return nomem(ctx);
	r.res->remaining = -1;
	fopts.parallel = cfg->fetch_parallel;
	fopts.timeout = (int)cfg->timeout;
	if (cfg->deadline > 0)
		fm_ctx_set_deadline(ctx, fm_ctx_now(ctx) + cfg->deadline);

	/* outputs first: a bad path fails in a second, having touched
	 * nothing; a store named outright is opened and locked before any
	 * work, the default one (in the repository) once that is open */
	if ((rc = fm_output_open(ctx, &r.csv, cfg->csv, r.opts->stream)) < 0 ||
	    (rc = fm_output_open(ctx, &r.json, cfg->json, r.opts->stream)) <
		    0 ||
	    (cfg->db && (rc = open_store(&r)) < 0) ||
	    (rc = open_forge(&r)) < 0 || (rc = open_repo(&r)) < 0 ||
	    (rc = open_store(&r)) < 0)
		goto done;
	if ((rc = discover(&r)) < 0) {
		save_failed(&r, rc, started);
		goto done;
	}
	if ((rc = fm_fetch_forks(ctx, r.repo, &r.forks, &fopts)) < 0 ||
	    (rc = measure(&r)) < 0 || (rc = save(&r)) < 0 ||
	    (rc = export(&r)) < 0)
		goto done;
	count_rows(r.res);
	*out = r.res;
	r.res = NULL;
done:
	fm_output_abandon(&r.csv);
	fm_output_abandon(&r.json);
	fm_census_result_free(r.res);
	fm_listings_free(&r.listings);
	fm_store_free(r.store);
	fm_fork_list_clear(&r.forks);
	fm_repo_free(r.repo);
	fm_census_lock_release(&r.lock);
	return rc;
}

void fm_census_result_free(fm_census_result *res)
{
	if (!res)
		return;
	fm_census_free(res->census);
	free(res->store_path);
	free(res);
}
