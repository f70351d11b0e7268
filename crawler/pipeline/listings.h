#ifndef FM_PIPELINE_LISTINGS_H
#define FM_PIPELINE_LISTINGS_H
/*
 * Inside libforkmap only: the forge listings of one census. The upstream
 * (upstream.name, --upstream) is the first; its mirrors on other forges
 * (upstream.mirror, --mirror) follow. Each is a forge handle of its own
 * kind, API and token; their forks are combined into one list, a fork
 * listed twice (the same clone URL and branch) kept once, the first time.
 *
 *	fm_listings l;
 *	if (fm_listings_open(ctx, cfg, opts, &l) < 0) ...
 *	... l.v[0].forge, l.v[0].up.name: the upstream ...
 *	fm_listings_discover(ctx, &l, store, &dopts, &forks, &stats);
 *	fm_listings_free(&l);
 */
#include <forkmap/forge.h>
#include <forkmap/pipeline.h>

struct fm_store;

typedef struct fm_listing {
	fm_forge_upstream up;
	fm_forge *forge;
} fm_listing;

typedef struct fm_listings {
	fm_listing *v;
	size_t n;
} fm_listings;

/* One listing per upstream spec of cfg (none when the forge is off). */
int fm_listings_open(fm_ctx *ctx, const fm_config *cfg,
		     const fm_census_run_opts *opts, fm_listings *out);

/*
 * Discover every listing into out (deduplicated), with the HTTP cache of
 * store (may be NULL); requests of all of them summed into res. The first
 * error ends it (out keeps what was found).
 */
int fm_listings_discover(fm_ctx *ctx, fm_listings *l, struct fm_store *store,
			 const fm_forge_discover_opts *dopts, fm_fork_list *out,
			 fm_census_result *res);

void fm_listings_free(fm_listings *l);

#endif
