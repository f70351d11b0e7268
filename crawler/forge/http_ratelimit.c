/*
 * Rate limits (see http_ratelimit.h): GitHub's primary limit (a budget per
 * hour, x-ratelimit-*), its secondary limits (403/429, retry-after) and
 * the backoff of retries (5xx, transient failures), shared by every connection
 * of a handle.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <forkmap/settings.h>

#include "forge/http_parse.h"
#include "forge/http_ratelimit.h"

#define MAX_RETRIES 3 /* of a 5xx or a transient failure: after 1, 2, 4 s */
#define MAX_LIMITED 6 /* rate-limit refusals of one request */
#define SECONDARY_BACKOFF 60 /* first wait without retry-after (doubles) */

void fm_http_ratelimit_reset(fm_http_conn *c)
{
	c->retry_after = -1;
	c->retry_at = -1;
	c->has_remaining = 0;
	c->rl_remaining = -1;
	c->rl_limit = -1;
	c->rl_reset = 0;
	c->rl_resource[0] = '\0';
}

int fm_http_ratelimit_header(fm_http_conn *c, const char *name, size_t nlen,
			     const char *v)
{
	const char *prefix = c->h->rl_prefix;
	size_t plen = strlen(prefix);
	int64_t n;

	/* every number through fm_http_header_number: a value that is not
	 * one leaves the field unknown, never 0 */
#define IS(s) (nlen == strlen(s) && strncasecmp(name, s, nlen) == 0)
	if (IS("retry-after")) {
		fm_http_retry_after(v, &c->retry_after, &c->retry_at);
		return 1;
	}
	if (nlen <= plen || strncasecmp(name, prefix, plen) != 0)
		return 0;
	name += plen;
	nlen -= plen;
	if (IS("remaining")) {
		c->has_remaining = fm_http_header_number(v, &n) == 0;
		c->rl_remaining = c->has_remaining ? n : -1;
	} else if (IS("limit")) {
		c->rl_limit = fm_http_header_number(v, &n) == 0 ? n : -1;
	} else if (IS("reset")) {
		c->rl_reset = fm_http_header_number(v, &n) == 0 ? n : 0;
	} else if (IS("resource")) {
		fm_http_safe_copy(c->rl_resource, sizeof(c->rl_resource), v,
				  31);
	} else {
		return 0;
	}
#undef IS
	return 1;
}

/*
 * Block every thread until `seconds` from now (primary: until reset + 1).
 * gen is waited_gen when the refused request was sent.
 */
static void block(fm_http *h, fm_ctx *ctx, int kind, int64_t seconds,
		  int64_t reset, unsigned long gen)
{
	int64_t now, until;

	pthread_mutex_lock(&h->gate);
	now = fm_ctx_now(ctx);
	if (kind != FM_HTTP_WAIT_PRIMARY)
		until = now + seconds;
	else if (reset + 1 > now)
		until = reset + 1;
	else if (gen != h->waited_gen)
		until = now; /* refused before another thread's wait ended */
	else
		until = now + 60; /* reset already past: the clocks disagree */
	pthread_mutex_lock(&h->lock);
	if (until > h->blocked_until) {
		h->blocked_until = until;
		h->blocked_kind = kind;
	}
	pthread_mutex_unlock(&h->lock);
	pthread_mutex_unlock(&h->gate);
}

int fm_http_wait_turn(fm_http *h, fm_ctx *ctx, fm_http_err *err,
		      unsigned long *gen)
{
	/* never longer than the settings table allows --max-wait to be,
	 * whatever a server says (and with max_wait < 0: "any") */
	long long cap = fm_setting_get(FM_SET_MAX_WAIT)->max,
		  longest = h->max_wait >= 0 && h->max_wait < cap ? h->max_wait
								  : cap;
	int rc = 0;

	pthread_mutex_lock(&h->gate);
	for (;;) {
		int64_t now, until, wait;
		int kind, fatal;

		pthread_mutex_lock(&h->lock);
		until = h->blocked_until;
		kind = h->blocked_kind;
		fatal = h->fatal;
		pthread_mutex_unlock(&h->lock);
		if (fatal) {
			fm_http_set_err(err, fatal, 0,
					"stopped after an earlier error");
			rc = fatal;
			break;
		}
		if (fm_ctx_interrupted(ctx)) {
			fm_http_set_err(err, FM_EINTERRUPTED, 0, "interrupted");
			rc = FM_EINTERRUPTED;
			break;
		}
		now = fm_ctx_now(ctx);
		if (until <= now)
			break;
		wait = until - now;
		if (kind != FM_HTTP_WAIT_BACKOFF && wait > longest) {
			if (kind == FM_HTTP_WAIT_PRIMARY)
				fm_http_set_err(
					err, FM_ERATELIMIT, 0,
					"%s API rate limit exhausted "
					"(limit %ld): it resets in %" PRId64
					" s, more than the longest allowed "
					"wait of %lld s",
					h->label, h->n.limit, wait, longest);
			else
				fm_http_set_err(
					err, FM_ERATELIMIT, 0,
					"%s asks to wait %" PRId64
					" s (secondary rate limit), more than "
					"the longest allowed wait of %lld s",
					h->label, wait, longest);
			fm_http_stop(h, FM_ERATELIMIT);
			rc = FM_ERATELIMIT;
			break;
		}
		if (kind != FM_HTTP_WAIT_BACKOFF) {
			pthread_mutex_lock(&h->lock);
			h->n.waits++;
			h->n.waited += wait;
			pthread_mutex_unlock(&h->lock);
			if (h->wait_fn)
				h->wait_fn(h->wait_payload, until);
		}
		fm_ctx_sleep(ctx, wait);
		h->waited_gen++;
	}
	*gen = h->waited_gen;
	pthread_mutex_unlock(&h->gate);
	return rc;
}

void fm_http_note_answer(fm_http *h, fm_http_conn *c, long status)
{
	pthread_mutex_lock(&h->lock);
	h->n.requests++;
	if (status == 304)
		h->n.not_modified++;
	if (c->has_remaining &&
	    (!c->rl_resource[0] || strcmp(c->rl_resource, "core") == 0)) {
		h->n.remaining = (long)c->rl_remaining;
		if (c->rl_limit >= 0)
			h->n.limit = (long)c->rl_limit;
		h->n.reset = c->rl_reset;
		/* exhausted: nobody sends until the window resets */
		if (c->rl_remaining == 0 &&
		    c->rl_reset + 1 > h->blocked_until) {
			h->blocked_until = c->rl_reset + 1;
			h->blocked_kind = FM_HTTP_WAIT_PRIMARY;
		}
	}
	pthread_mutex_unlock(&h->lock);
}

static int body_says(const fm_http_conn *c, const char *what)
{
	return c->body.ptr && strcasestr(c->body.ptr, what) != NULL;
}

int fm_http_ratelimit_refused(fm_http *h, fm_ctx *ctx, fm_http_conn *c,
			      long status, int *limited, unsigned long gen)
{
	int64_t asked, least;
	int primary;

	if (status != 403 && status != 429)
		return 0;
	primary = c->has_remaining && c->rl_remaining == 0 &&
		  (status == 429 || body_says(c, "rate limit exceeded"));
	asked = c->retry_after;
	if (asked < 0 && c->retry_at >= 0) {
		int64_t now = fm_ctx_now(ctx);

		asked = c->retry_at > now ? c->retry_at - now : 0;
	}
	if (!(primary || asked >= 0 || status == 429 ||
	      body_says(c, "secondary rate limit")) ||
	    ++*limited > MAX_LIMITED)
		return 0;
	/* at least 1, 2, 4 ... s: "Retry-After: 0" again and again (or a
	 * date in the past) must not become a burst of requests */
	least = (int64_t)1 << (*limited - 1);
	if (primary)
		block(h, ctx, FM_HTTP_WAIT_PRIMARY, 0, c->rl_reset, gen);
	else if (asked >= 0)
		block(h, ctx, FM_HTTP_WAIT_SECONDARY,
		      asked > least ? asked : least, 0, gen);
	else
		block(h, ctx, FM_HTTP_WAIT_SECONDARY,
		      (int64_t)SECONDARY_BACKOFF << (*limited - 1), 0, gen);
	return 1;
}

int fm_http_retry_later(fm_http *h, fm_ctx *ctx, int *fails, unsigned long gen)
{
	if (*fails >= MAX_RETRIES)
		return 0;
	pthread_mutex_lock(&h->lock);
	h->n.retries++;
	pthread_mutex_unlock(&h->lock);
	block(h, ctx, FM_HTTP_WAIT_BACKOFF, (int64_t)1 << *fails, 0, gen);
	(*fails)++;
	return 1;
}

void fm_http_set_wait_cb(fm_http *h, fm_http_wait_fn fn, void *payload)
{
	h->wait_fn = fn;
	h->wait_payload = payload;
}

void fm_http_counters_get(fm_http *h, fm_http_counters *out)
{
	pthread_mutex_lock(&h->lock);
	*out = h->n;
	pthread_mutex_unlock(&h->lock);
}
