/*
 * The forge handle of forkmap/forge.h: its HTTP side, its progress and
 * fatal error, and repository lookups (one request per repository and
 * session). The forge itself is its ops table (forge_internal.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <git2.h>

#include "forge/forge_internal.h"

static const struct {
	fm_forge_kind kind;
	const struct fm_forge_ops *ops;
} forges[] = {
	{FM_FORGE_GITHUB, &fm_forge_github_ops},
	{FM_FORGE_GITLAB, &fm_forge_gitlab_ops},
	{FM_FORGE_FORGEJO, &fm_forge_forgejo_ops},
};

char *fm_forge_strdupf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

int fm_forge_clone_url_ok(const char *url)
{
	return url && (!strncasecmp(url, "https://", 8) ||
		       !strncasecmp(url, "http://", 7) ||
		       !strncasecmp(url, "git://", 6));
}

int fm_forge_record_fatal(fm_forge *forge, const fm_http_err *err)
{
	pthread_mutex_lock(&forge->lock);
	if (!forge->fatal) {
		forge->fatal = err->code;
		snprintf(forge->fatal_msg, sizeof(forge->fatal_msg), "%s",
			 err->msg);
	}
	pthread_mutex_unlock(&forge->lock);
	return err->code;
}

int fm_forge_is_fatal(fm_forge *forge, fm_ctx *ctx)
{
	int f;

	pthread_mutex_lock(&forge->lock);
	f = forge->fatal;
	pthread_mutex_unlock(&forge->lock);
	return f || fm_ctx_interrupted(ctx);
}

void fm_forge_report(fm_forge *forge, fm_ctx *ctx, const char *phase,
		     int64_t wait_until, size_t more)
{
	fm_http_counters n;
	fm_progress p;

	memset(&p, 0, sizeof(p));
	pthread_mutex_lock(&forge->lock);
	forge->listed += more;
	fm_http_counters_get(forge->http, &n);
	p.phase = phase;
	p.forks_listed = forge->listed;
	p.requests = n.requests;
	p.remaining = n.remaining;
	p.wait_until = wait_until;
	fm_progress_report(ctx, &p);
	pthread_mutex_unlock(&forge->lock);
}

static void on_wait(void *payload, int64_t until)
{
	fm_forge *forge = payload;

	if (forge->ctx)
		fm_forge_report(forge, forge->ctx, "waiting", until, 0);
}

int fm_forge_get(fm_forge *forge, fm_http_conn *conn, fm_ctx *ctx,
		 const char *url, fm_http_resp *resp, fm_http_err *err)
{
	if (forge->ops->get)
		return forge->ops->get(forge, conn, ctx, url, resp, err);
	return fm_http_get(forge->http, conn, ctx, url, resp, err);
}

/* ---- the handle ---------------------------------------------------------- */

int fm_forge_new_ops(fm_ctx *ctx, const struct fm_forge_ops *ops,
		     const fm_forge_opts *opts, fm_forge **out)
{
	fm_forge_opts dflt = FM_FORGE_OPTS_INIT;
	fm_http_opts hopts;
	fm_forge *forge;
	int rc;

	*out = NULL;
	if (!opts)
		opts = &dflt;
	forge = calloc(1, sizeof(*forge));
	if (!forge)
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	forge->ops = ops;
	pthread_mutex_init(&forge->lock, NULL);
	git_libgit2_init(); /* for ref name checks */
	forge->concurrency = opts->concurrency > 0 ? opts->concurrency : 1;
	if (forge->concurrency > 32)
		forge->concurrency = 32;
	memset(&hopts, 0, sizeof(hopts));
	hopts.base = opts->api && *opts->api ? opts->api : ops->default_api;
	hopts.token = opts->token;
	hopts.user_agent = opts->user_agent;
	hopts.cache = opts->cache;
	hopts.max_wait = opts->max_wait;
	hopts.timeout = opts->timeout;
	hopts.label = ops->title;
	hopts.token_env = ops->token_env;
	hopts.ratelimit_prefix = ops->ratelimit_prefix;
	hopts.headers = ops->headers;
	hopts.auth_name = ops->auth_name;
	hopts.auth_scheme = ops->auth_scheme;
	if ((rc = fm_http_new(ctx, &hopts, &forge->http)) < 0)
		goto fail;
	fm_http_set_wait_cb(forge->http, on_wait, forge);
	if (fm_http_conn_new(forge->http, &forge->conn) < 0) {
		rc = fm_error_set(ctx, FM_ENOMEM, "out of memory");
		goto fail;
	}
	*out = forge;
	return 0;
fail:
	fm_forge_free(forge);
	return rc;
}

int fm_forge_new(fm_ctx *ctx, const fm_forge_opts *opts, fm_forge **out)
{
	fm_forge_kind kind = opts ? opts->kind : FM_FORGE_GITHUB;
	size_t i;

	*out = NULL;
	for (i = 0; i < sizeof(forges) / sizeof(forges[0]); i++)
		if (forges[i].kind == kind)
			return fm_forge_new_ops(ctx, forges[i].ops, opts, out);
	return fm_error_set(ctx, FM_EINVAL, "unknown forge kind %d", (int)kind);
}

const char *fm_forge_default_api(fm_forge_kind kind)
{
	size_t i;

	for (i = 0; i < sizeof(forges) / sizeof(forges[0]); i++)
		if (forges[i].kind == kind)
			return forges[i].ops->default_api;
	return NULL;
}

void fm_forge_free(fm_forge *forge)
{
	size_t i;

	if (!forge)
		return;
	for (i = 0; i < forge->nmemo; i++) {
		free(forge->memo[i].name);
		fm_forge_repo_clear(&forge->memo[i].repo);
		fm_http_resp_clear(&forge->memo[i].raw);
	}
	free(forge->memo);
	fm_http_conn_free(forge->conn);
	fm_http_free(forge->http);
	pthread_mutex_destroy(&forge->lock);
	free(forge);
	git_libgit2_shutdown();
}

const char *fm_forge_name(const fm_forge *forge)
{
	return forge->ops->name;
}

void fm_forge_stats_get(const fm_forge *forge, fm_forge_stats *out)
{
	fm_http_counters n;

	memset(out, 0, sizeof(*out));
	out->remaining = -1;
	if (!forge)
		return;
	fm_http_counters_get(forge->http, &n);
	out->requests = n.requests;
	out->not_modified = n.not_modified;
	/* GitLab's fixed windows count a 304 like any request */
	out->counted = forge->ops->not_modified_counts
			       ? n.requests
			       : n.requests - n.not_modified;
	out->remaining = n.remaining;
	out->waits = n.waits;
	out->waited_seconds = n.waited;
	out->retries = n.retries;
}

void fm_forge_set_cache(fm_ctx *ctx, fm_forge *forge, struct fm_store *cache)
{
	size_t i;

	fm_http_set_cache(forge->http, cache);
	/* what was asked before goes in, so the next run revalidates it */
	for (i = 0; cache && i < forge->nmemo; i++)
		fm_http_cache_put(forge->http, ctx, &forge->memo[i].raw);
}

/* ---- one repository ------------------------------------------------------ */

void fm_forge_repo_clear(fm_forge_repo *repo)
{
	if (!repo)
		return;
	free(repo->full_name);
	free(repo->clone_url);
	free(repo->default_branch);
	memset(repo, 0, sizeof(*repo));
}

static int repo_copy(fm_forge_repo *dst, const fm_forge_repo *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->full_name = strdup(src->full_name);
	dst->clone_url = strdup(src->clone_url);
	dst->default_branch = strdup(src->default_branch);
	dst->stars = src->stars;
	dst->forks_count = src->forks_count;
	if (!dst->full_name || !dst->clone_url || !dst->default_branch) {
		fm_forge_repo_clear(dst);
		return FM_ENOMEM;
	}
	return 0;
}

struct repo_answer {
	const struct fm_forge_ops *ops;
	fm_forge_repo *out;
	int usable; /* 1: copied into out; -1: out of memory */
};

/* The entry of a lookup, copied (it is borrowed from the parsed page). */
static int take_repo(const void *item, void *payload)
{
	const fm_forge_entry *e = item;
	struct repo_answer *a = payload;
	fm_forge_repo got;

	if (!e->full_name || !a->ops->name_ok(e->full_name) ||
	    !fm_forge_clone_url_ok(e->clone_url) || !e->default_branch ||
	    !*e->default_branch)
		return 0;
	got.full_name = (char *)e->full_name;
	got.clone_url = (char *)e->clone_url;
	got.default_branch = (char *)e->default_branch;
	got.stars = e->stars;
	got.forks_count = e->forks_count;
	a->usable = repo_copy(a->out, &got) < 0 ? -1 : 1;
	return a->usable < 0 ? -1 : 0;
}

/* Remember name's answer for this session (allocation failure: forget). */
static void memo_add(fm_forge *forge, const char *name,
		     const fm_forge_repo *got, fm_http_resp *raw)
{
	struct fm_forge_memo *m;

	m = realloc(forge->memo, (forge->nmemo + 1) * sizeof(*m));
	if (!m)
		return;
	forge->memo = m;
	m += forge->nmemo;
	m->name = strdup(name);
	if (m->name && repo_copy(&m->repo, got) == 0) {
		m->raw = *raw; /* moved: the body outlives the parsed page */
		memset(raw, 0, sizeof(*raw));
		forge->nmemo++;
	} else {
		free(m->name);
	}
}

int fm_forge_get_repo(fm_ctx *ctx, fm_forge *forge, const char *name,
		      fm_forge_repo *out)
{
	const struct fm_forge_ops *ops = forge->ops;
	fm_http_resp resp = FM_HTTP_RESP_INIT;
	struct repo_answer a = {ops, out, 0};
	fm_forge_page page;
	fm_http_err err;
	char *url = NULL, *why = NULL;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!name || !ops->name_ok(name))
		return fm_error_set(ctx, FM_EINVAL,
				    "invalid repository name '%s' (expected "
				    "OWNER/REPO)",
				    name ? name : "");
	/* one request per repository and session */
	for (i = 0; i < forge->nmemo; i++)
		if (strcasecmp(forge->memo[i].name, name) == 0) {
			if (repo_copy(out, &forge->memo[i].repo) < 0)
				return fm_error_set(ctx, FM_ENOMEM,
						    "out of memory");
			return 0;
		}
	if (!(url = ops->repo_url(name)))
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	forge->ctx = ctx;
	rc = fm_forge_get(forge, forge->conn, ctx, url, &resp, &err);
	fm_forge_report(forge, ctx, "listing", 0, 0);
	if (rc < 0) {
		if (rc == FM_ENOTFOUND)
			rc = fm_error_set(ctx, FM_ENOTFOUND,
					  "%s has no repository '%s' (%s)",
					  ops->title, name, err.msg);
		else
			rc = fm_error_set(ctx, rc, "%s", err.msg);
		goto done;
	}
	page.resp = &resp;
	page.shown = fm_http_short(forge->http, resp.url);
	page.ops = ops;
	rc = ops->parse_repo(&page, take_repo, &a, &why);
	if (rc == 0 && a.usable < 0)
		rc = FM_ENOMEM;
	if (rc < 0) {
		rc = fm_error_set(ctx, rc, "%s",
				  why && rc != FM_ENOMEM ? why
							 : "out of memory");
		goto done;
	}
	if (!a.usable) {
		rc = fm_error_set(ctx, FM_EJSON,
				  "unexpected JSON from GET %s: no usable "
				  "full_name, clone_url (https, http or git) "
				  "or default_branch",
				  page.shown);
		goto done;
	}
	if (strcasecmp(out->full_name, name) != 0)
		fm_log(ctx, FM_LOG_INFO, "%s repository '%s' is now '%s'",
		       ops->title, name, out->full_name);
	memo_add(forge, name, out, &resp);
done:
	if (rc < 0)
		fm_forge_repo_clear(out);
	free(why);
	free(url);
	fm_http_resp_clear(&resp);
	return rc;
}
