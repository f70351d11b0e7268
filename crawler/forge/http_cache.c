/*
 * Conditional requests from the HTTP cache (see http_cache.h): what makes a
 * nightly run over an unchanged network cost (almost) nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forge/http_cache.h"

/* A validator is sent back verbatim: refuse anything but visible ASCII. */
static int header_safe(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

/*
 * A failing cache costs requests, not the census: its error is logged and
 * taken back off the context (unless an error was there before).
 */
static void cache_failed(fm_ctx *ctx, int had_error)
{
	fm_log(ctx, FM_LOG_WARN, "HTTP cache: %s", fm_ctx_errmsg(ctx));
	if (!had_error)
		fm_ctx_clear_error(ctx);
}

int fm_http_cache_get(fm_http *h, fm_ctx *ctx, const char *url,
		      fm_http_entry *e)
{
	int rc, had;

	memset(e, 0, sizeof(*e));
	if (!h->cache)
		return FM_ENOTFOUND;
	pthread_mutex_lock(&h->lock);
	had = fm_ctx_errcode(ctx) != FM_OK;
	rc = fm_store_http_get(ctx, h->cache, url, e);
	if (rc == FM_ENOTFOUND && !had)
		fm_ctx_clear_error(ctx);
	else if (rc < 0)
		cache_failed(ctx, had);
	pthread_mutex_unlock(&h->lock);
	if (rc == 0 && (!e->body || !(header_safe(e->etag) ||
				      header_safe(e->last_modified)))) {
		fm_http_entry_clear(e);
		rc = FM_ENOTFOUND;
	}
	return rc;
}

void fm_http_cache_put(fm_http *h, fm_ctx *ctx, const fm_http_resp *r)
{
	fm_http_entry e;
	int had;

	if (!h->cache || !r->url ||
	    !(header_safe(r->etag) || header_safe(r->last_modified)))
		return;
	memset(&e, 0, sizeof(e));
	e.etag = header_safe(r->etag) ? r->etag : NULL;
	e.last_modified =
		header_safe(r->last_modified) ? r->last_modified : NULL;
	e.link = r->link;
	e.body = r->body;
	e.body_len = r->len;
	pthread_mutex_lock(&h->lock);
	had = fm_ctx_errcode(ctx) != FM_OK;
	if (fm_store_http_put(ctx, h->cache, r->url, &e) < 0)
		cache_failed(ctx, had);
	pthread_mutex_unlock(&h->lock);
}

void fm_http_set_cache(fm_http *h, struct fm_store *cache)
{
	pthread_mutex_lock(&h->lock);
	h->cache = cache;
	pthread_mutex_unlock(&h->lock);
}

int fm_http_cache_validators(struct curl_slist **hdrs,
			     const fm_http_entry *cached)
{
	const char *names[2] = {"If-None-Match", "If-Modified-Since"};
	const char *values[2] = {cached->etag, cached->last_modified};
	struct curl_slist *t;
	char line[512];
	int i;

	for (i = 0; i < 2; i++) {
		if (!header_safe(values[i]))
			continue;
		snprintf(line, sizeof(line), "%s: %s", names[i], values[i]);
		if (!(t = curl_slist_append(*hdrs, line)))
			return -1;
		*hdrs = t;
	}
	return 0;
}

int fm_http_cache_reuse(const fm_http_entry *cached, fm_http_resp *resp)
{
	resp->status = 200;
	resp->cached = 1;
	resp->body = malloc(cached->body_len + 1);
	if (resp->body) {
		memcpy(resp->body, cached->body, cached->body_len);
		resp->body[cached->body_len] = '\0';
	}
	resp->len = cached->body_len;
	resp->link = cached->link ? strdup(cached->link) : NULL;
	resp->etag = cached->etag ? strdup(cached->etag) : NULL;
	resp->last_modified =
		cached->last_modified ? strdup(cached->last_modified) : NULL;
	if (!resp->body || (cached->link && !resp->link) ||
	    (cached->etag && !resp->etag) ||
	    (cached->last_modified && !resp->last_modified)) {
		fm_http_resp_clear(resp);
		return FM_ENOMEM;
	}
	return 0;
}
