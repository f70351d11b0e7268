/* The forge listings of a census (see listings.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/scrub.h"
#include "pipeline/listings.h"

static int nomem(fm_ctx *ctx)
{
	return fm_error_set(ctx, FM_ENOMEM, "out of memory");
}

/*
 * The token of one listing: the host's own (FORKMAP_TOKEN_<HOST>, through
 * token_for) first; else the forge's variable (GITHUB_TOKEN, ...), but
 * only where that forge's API is: the upstream's listing, which the user
 * named, a mirror on the forge's public API or on the API configured for
 * it (github.api), not a mirror whose own URL names another host (a config
 * file can name any host): that one gets a token only from its host's own.
 */
static const char *token_of(fm_ctx *ctx, const fm_census_run_opts *opts,
			    fm_forge_kind kind, const char *api, int own)
{
	const char *t, *dflt = fm_forge_default_api(kind);

	if (opts->token_for &&
	    (t = opts->token_for(opts->token_payload, (int)kind,
				 api ? api : dflt)) &&
	    *t)
		return t;
	if (!own && api && dflt && strcmp(api, dflt) != 0) {
		char *shown = fm_scrub_url(api);

		fm_log(ctx, FM_LOG_WARN,
		       "no token for the mirror listing at %s: the %s token "
		       "goes only to its own API and the upstream's; set "
		       "FORKMAP_TOKEN_<HOST> for this host",
		       shown ? shown : "", fm_forge_kind_title(kind));
		free(shown);
		return NULL;
	}
	switch (kind) {
	case FM_FORGE_GITLAB:
		return opts->gitlab_token;
	case FM_FORGE_FORGEJO:
		return opts->forgejo_token;
	default:
		return opts->token;
	}
}

static int open_one(fm_ctx *ctx, const fm_config *cfg,
		    const fm_census_run_opts *opts, const char *spec,
		    fm_listings *l)
{
	fm_forge_opts fopts = FM_FORGE_OPTS_INIT;
	fm_listing *it;
	int rc;

	it = realloc(l->v, (l->n + 1) * sizeof(*it));
	if (!it)
		return nomem(ctx);
	l->v = it;
	it += l->n;
	memset(it, 0, sizeof(*it));
	if ((rc = fm_forge_upstream_parse(ctx, spec, &it->up)) < 0)
		return rc;
	l->n++;
	fopts.kind = it->up.kind;
	/* github.api (--api) is GitHub's; a URL names its own API */
	fopts.api = it->up.api			     ? it->up.api
		    : it->up.kind == FM_FORGE_GITHUB ? cfg->api
						     : NULL;
	fopts.token = token_of(ctx, opts, it->up.kind, fopts.api,
			       l->n == 1 || !it->up.api);
	fopts.concurrency = cfg->concurrency;
	fopts.max_wait = cfg->max_wait;
	fopts.timeout = cfg->timeout;
	if ((!fopts.token || !*fopts.token) && it->up.kind == FM_FORGE_GITHUB)
		fm_log(ctx, FM_LOG_WARN,
		       "no GITHUB_TOKEN or GH_TOKEN: GitHub answers 60 API "
		       "requests an hour without a token");
	return fm_forge_new(ctx, &fopts, &it->forge);
}

int fm_listings_open(fm_ctx *ctx, const fm_config *cfg,
		     const fm_census_run_opts *opts, fm_listings *out)
{
	size_t i;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!cfg->upstream || !cfg->github)
		return 0;
	rc = open_one(ctx, cfg, opts, cfg->upstream, out);
	for (i = 0; rc == 0 && i < cfg->mirrors.count; i++)
		rc = open_one(ctx, cfg, opts, cfg->mirrors.items[i], out);
	return rc;
}

void fm_listings_free(fm_listings *l)
{
	size_t i;

	for (i = 0; l && i < l->n; i++) {
		fm_forge_free(l->v[i].forge);
		fm_forge_upstream_clear(&l->v[i].up);
	}
	if (l) {
		free(l->v);
		memset(l, 0, sizeof(*l));
	}
}

/*
 * A fork's identity: its clone URL without scheme, user, trailing
 * slashes or ".git", compared without case, and its branch; a row
 * without a URL (a failed listing) by source and name.
 */
static char *identity(const fm_fork *f)
{
	const char *u = f->url, *p, *slash;
	size_t len, i;
	char *id;

	if (!u) {
		if (asprintf(&id, "%d\n%s\n%s", (int)f->source, f->name,
			     f->branch) < 0)
			return NULL;
		return id;
	}
	if ((p = strstr(u, "://")))
		u = p + 3;
	slash = strchr(u, '/');
	if ((p = strchr(u, '@')) && (!slash || p < slash))
		u = p + 1;
	len = strlen(u);
	while (len && u[len - 1] == '/')
		len--;
	if (len > 4 && strncasecmp(u + len - 4, ".git", 4) == 0)
		len -= 4;
	if (asprintf(&id, "%.*s\n%s", (int)len, u, f->branch) < 0)
		return NULL;
	for (i = 0; i < len; i++)
		id[i] = (char)tolower((unsigned char)id[i]);
	return id;
}

/* The identities seen, an open-addressing set (FNV-1a). */
struct seen {
	char **slot;
	size_t cap, n;
};

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* 1: id was new and is kept (taken over); 0: seen before (freed). */
static int seen_add(struct seen *t, char *id)
{
	size_t i;

	if (2 * (t->n + 1) > t->cap) {
		struct seen bigger = {NULL, t->cap ? 2 * t->cap : 64, 0};

		if (!(bigger.slot = calloc(bigger.cap, sizeof(char *)))) {
			free(id);
			return -1;
		}
		for (i = 0; i < t->cap; i++)
			if (t->slot[i])
				seen_add(&bigger, t->slot[i]);
		free(t->slot);
		*t = bigger;
	}
	for (i = hash(id) & (t->cap - 1); t->slot[i];
	     i = (i + 1) & (t->cap - 1))
		if (strcmp(t->slot[i], id) == 0) {
			free(id);
			return 0;
		}
	t->slot[i] = id;
	t->n++;
	return 1;
}

static void seen_clear(struct seen *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		free(t->slot[i]);
	free(t->slot);
}

/*
 * Two forks that are not the same (another host of the same forge: the
 * upstream on gitlab.com, a mirror on a self-managed GitLab, both with an
 * alice/proj) would be fetched into one ref and measured as one. The first
 * keeps the ref; a later one becomes a row with an error, not a wrong
 * number. 0 when f may keep its ref (or has none), -1 when out of memory.
 */
static int ref_unique(struct seen *refs, fm_fork *f)
{
	char *ref;
	int fresh;

	if (!f->ref || !*f->ref || f->error)
		return 0;
	if (!(ref = strdup(f->ref)) || (fresh = seen_add(refs, ref)) < 0)
		return -1;
	if (!fresh && fm_fork_set_error(f,
					"another listing has a different "
					"fork with this name and branch (%s); "
					"not measured",
					f->ref) < 0)
		return -1;
	return 0;
}

/* Move f into out (its strings taken over). */
static int take(fm_fork_list *out, fm_fork *f)
{
	fm_fork *dst;
	int rc;

	if ((rc = fm_fork_list_add(out, f->name, f->branch, f->ref, f->url,
				   f->source, &dst)) < 0)
		return rc;
	dst->stars = f->stars;
	dst->depth = f->depth;
	dst->error = f->error;
	dst->skipped = f->skipped;
	f->error = f->skipped = NULL;
	return 0;
}

int fm_listings_discover(fm_ctx *ctx, fm_listings *l, struct fm_store *store,
			 const fm_forge_discover_opts *dopts, fm_fork_list *out,
			 fm_census_result *res)
{
	struct seen seen = {NULL, 0, 0}, refs = {NULL, 0, 0};
	size_t i, k, dropped = 0;
	int rc = 0;

	for (i = 0; rc == 0 && i < l->n; i++) {
		fm_fork_list got = FM_FORK_LIST_INIT;
		fm_forge_stats st;

		if (store) /* conditional requests from now on */
			fm_forge_set_cache(ctx, l->v[i].forge, store);
		rc = fm_forge_discover(ctx, l->v[i].forge, l->v[i].up.name,
				       dopts, &got);
		fm_forge_stats_get(l->v[i].forge, &st);
		res->requests += st.requests;
		res->not_modified += st.not_modified;
		res->counted += st.counted;
		if (i == 0)
			res->remaining = st.remaining;
		for (k = 0; k < got.count; k++) {
			char *id = identity(&got.items[k]);
			int fresh = id ? seen_add(&seen, id) : -1;

			if (fresh > 0 && ref_unique(&refs, &got.items[k]) < 0)
				fresh = -1;
			if (fresh < 0 ||
			    (fresh && take(out, &got.items[k]) < 0)) {
				if (rc == 0)
					rc = nomem(ctx);
				break;
			}
			dropped += !fresh;
		}
		fm_fork_list_clear(&got);
	}
	if (dropped)
		fm_log(ctx, FM_LOG_INFO,
		       "%zu forks listed more than once, kept once", dropped);
	seen_clear(&seen);
	seen_clear(&refs);
	return rc;
}
