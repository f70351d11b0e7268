/*
 * GET requests to the GitHub REST API over libcurl: shared connections,
 * hand-followed redirects that keep the token on the API's origin,
 * conditional requests from the HTTP cache, rate-limit waits. See http.h.
 */
#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include <forkmap/runs.h>

#include "store/cache.h"

#include "forge/http.h"

#ifndef FORKMAP_VERSION
#define FORKMAP_VERSION "0"
#endif

#define MAX_BODY (64u << 20) /* a forks page is ~0.5 MB; refuse monsters */
#define MAX_HOPS 5	     /* redirects followed for one request */
#define MAX_5XX 3	     /* retries of a 5xx answer: after 1, 2, 4 s */
#define MAX_LIMITED 6	     /* rate-limit refusals of one request */
#define SECONDARY_BACKOFF 60 /* first wait without retry-after (doubles) */

enum { WAIT_BACKOFF = 0, WAIT_PRIMARY = 1, WAIT_SECONDARY = 2 };

struct fm_http {
	char *base;	   /* no trailing slash */
	char *auth_header; /* "Authorization: Bearer ...", NULL: anonymous */
	char *user_agent;
	fm_store *cache;
	long max_wait;
	long timeout;
	CURLSH *share;
	pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];
	pthread_mutex_t lock; /* counters, the block, the cache, ctx errors */
	pthread_mutex_t gate; /* waits and the clock: one thread at a time */
	int64_t blocked_until; /* send nothing before this (epoch seconds) */
	int blocked_kind;      /* WAIT_* of that block */
	unsigned long waited_gen; /* completed waits, to spot stale refusals */
	int fatal;	       /* a fatal error happened: stop everything */
	fm_http_counters n;
	fm_http_wait_fn wait_fn;
	void *wait_payload;
};

struct buf {
	char *data;
	size_t len;
	size_t alloc;
};

struct fm_http_conn {
	fm_http *h;
	CURL *curl;
	char errbuf[CURL_ERROR_SIZE];
	/* the answer being read */
	struct buf body;
	int too_big;
	char *etag;
	char *last_modified;
	char *link;
	char *location;
	long retry_after; /* -1: none */
	int has_remaining;
	long rl_remaining;
	long rl_limit;
	int64_t rl_reset;
	char rl_resource[32];
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void set_err(fm_http_err *err, int code, long status, const char *fmt,
		    ...) __attribute__((format(printf, 4, 5)));

static void set_err(fm_http_err *err, int code, long status, const char *fmt,
		    ...)
{
	va_list ap;

	err->code = code;
	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

int fm_http_fatal(int code)
{
	return code == FM_EAUTH || code == FM_ENET || code == FM_ERATELIMIT ||
	       code == FM_EINTERRUPTED || code == FM_ENOMEM;
}

/* Copy of s with control and non-ASCII bytes as '?', at most max bytes. */
static void safe_copy(char *dst, size_t size, const char *s, size_t max)
{
	size_t i, n = 0;

	for (i = 0; s && s[i] && n + 1 < size && i < max; i++)
		dst[n++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	dst[n] = '\0';
}

/* ---- URLs ------------------------------------------------------------ */

static int origin_of(const char *url, char **scheme, char **host, long *port)
{
	CURLU *u = curl_url();
	char *p = NULL;
	int rc = -1;

	*scheme = *host = NULL;
	if (!u)
		return -1;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) !=
		    CURLUE_OK)
		goto done;
	*port = strtol(p, NULL, 10);
	rc = 0;
done:
	if (rc < 0) {
		curl_free(*scheme);
		curl_free(*host);
		*scheme = *host = NULL;
	}
	curl_free(p);
	curl_url_cleanup(u);
	return rc;
}

int fm_http_same_origin(const char *a, const char *b)
{
	char *sa, *ha, *sb, *hb;
	long pa = 0, pb = 0;
	int same = 0;

	if (origin_of(a, &sa, &ha, &pa) < 0)
		return 0;
	if (origin_of(b, &sb, &hb, &pb) == 0) {
		same = strcasecmp(sa, sb) == 0 && strcasecmp(ha, hb) == 0 &&
		       pa == pb;
		curl_free(sb);
		curl_free(hb);
	}
	curl_free(sa);
	curl_free(ha);
	return same;
}

/* location resolved against url (Location may be relative). */
static char *resolve_url(const char *url, const char *location)
{
	CURLU *u = curl_url();
	char *s = NULL, *out = NULL;

	if (!u)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, location, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
		out = strdup(s);
	curl_free(s);
	curl_url_cleanup(u);
	return out;
}

static int is_absolute(const char *url)
{
	return strncasecmp(url, "http://", 7) == 0 ||
	       strncasecmp(url, "https://", 8) == 0;
}

static char *absolute_url(const fm_http *h, const char *url)
{
	char *s;

	if (is_absolute(url))
		return strdup(url);
	if (asprintf(&s, "%s%s%s", h->base, url[0] == '/' ? "" : "/", url) <
	    0)
		return NULL;
	return s;
}

const char *fm_http_short(const fm_http *h, const char *url)
{
	size_t n = strlen(h->base);

	if (strncmp(url, h->base, n) == 0 && url[n] == '/')
		return url + n;
	return url;
}

const char *fm_http_base(const fm_http *h)
{
	return h->base;
}

/* ---- Link header --------------------------------------------------------- */

/* Does the rel parameter value (quoted or not) list "next"? */
static int rel_has_next(const char *v, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t start;

		while (i < len && (isspace((unsigned char)v[i]) || v[i] == '"'))
			i++;
		start = i;
		while (i < len && !isspace((unsigned char)v[i]) && v[i] != '"')
			i++;
		if (i - start == 4 && strncasecmp(v + start, "next", 4) == 0)
			return 1;
	}
	return 0;
}

int fm_http_link_next(const char *link, char **out)
{
	const char *p = link;

	*out = NULL;
	while (p && *p) {
		const char *lt, *gt, *q;
		int next = 0;

		lt = strchr(p, '<');
		if (!lt)
			break;
		gt = strchr(lt + 1, '>');
		if (!gt)
			break;
		/* parameters run to the next ',' (outside <...>) */
		q = gt + 1;
		while (*q && *q != ',') {
			const char *name, *val;
			size_t nlen, vlen;

			while (*q == ';' || isspace((unsigned char)*q))
				q++;
			name = q;
			while (*q && *q != '=' && *q != ';' && *q != ',')
				q++;
			nlen = (size_t)(q - name);
			while (nlen && isspace((unsigned char)name[nlen - 1]))
				nlen--;
			if (*q != '=')
				continue;
			q++;
			while (isspace((unsigned char)*q))
				q++;
			val = q;
			if (*q == '"') {
				q = strchr(q + 1, '"');
				q = q ? q + 1 : val + strlen(val);
			} else {
				while (*q && *q != ';' && *q != ',')
					q++;
			}
			vlen = (size_t)(q - val);
			if (nlen == 3 && strncasecmp(name, "rel", 3) == 0 &&
			    rel_has_next(val, vlen))
				next = 1;
		}
		if (next) {
			*out = strndup(lt + 1, (size_t)(gt - lt - 1));
			return *out ? 0 : FM_ENOMEM;
		}
		p = *q ? q + 1 : q;
	}
	return 0;
}

/* ---- the handle ------------------------------------------------------- */

static void share_lock(CURL *curl, curl_lock_data data,
		       curl_lock_access access, void *payload)
{
	fm_http *h = payload;

	(void)curl;
	(void)access;
	pthread_mutex_lock(&h->share_locks[data]);
}

static void share_unlock(CURL *curl, curl_lock_data data, void *payload)
{
	fm_http *h = payload;

	(void)curl;
	pthread_mutex_unlock(&h->share_locks[data]);
}

int fm_http_new(fm_ctx *ctx, const fm_http_opts *opts, fm_http **out)
{
	fm_http *h;
	size_t len;
	int i;

	*out = NULL;
	pthread_once(&curl_once, curl_init);
	if (curl_init_rc != CURLE_OK)
		return fm_error_set(ctx, FM_ENET,
				    "cannot initialise libcurl: %s",
				    curl_easy_strerror(curl_init_rc));
	if (!opts->base || !is_absolute(opts->base))
		return fm_error_set(ctx, FM_EINVAL,
				    "API URL '%s' is not an http(s) URL",
				    opts->base ? opts->base : "");
	h = calloc(1, sizeof(*h));
	if (!h)
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	pthread_mutex_init(&h->lock, NULL);
	pthread_mutex_init(&h->gate, NULL);
	for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_init(&h->share_locks[i], NULL);
	h->n.remaining = -1;
	h->n.limit = -1;
	h->cache = opts->cache;
	h->max_wait = opts->max_wait;
	h->timeout = opts->timeout > 0 ? opts->timeout : 60;
	h->base = strdup(opts->base);
	if (!h->base)
		goto nomem;
	len = strlen(h->base);
	while (len > 0 && h->base[len - 1] == '/')
		h->base[--len] = '\0';
	if (opts->user_agent && *opts->user_agent)
		h->user_agent = strdup(opts->user_agent);
	else
		h->user_agent = strdup("forkmap/" FORKMAP_VERSION);
	if (!h->user_agent)
		goto nomem;
	if (opts->token && *opts->token) {
		if (strpbrk(opts->token, "\r\n")) {
			fm_http_free(h);
			return fm_error_set(ctx, FM_EAUTH,
					    "the GitHub token holds a line "
					    "break");
		}
		if (asprintf(&h->auth_header, "Authorization: Bearer %s",
			     opts->token) < 0) {
			h->auth_header = NULL;
			goto nomem;
		}
	}
	h->share = curl_share_init();
	if (!h->share)
		goto nomem;
	curl_share_setopt(h->share, CURLSHOPT_LOCKFUNC, share_lock);
	curl_share_setopt(h->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
	curl_share_setopt(h->share, CURLSHOPT_USERDATA, h);
	curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(h->share, CURLSHOPT_SHARE,
			  CURL_LOCK_DATA_SSL_SESSION);
	curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	*out = h;
	return 0;
nomem:
	fm_http_free(h);
	return fm_error_set(ctx, FM_ENOMEM, "out of memory");
}

void fm_http_free(fm_http *h)
{
	int i;

	if (!h)
		return;
	if (h->share)
		curl_share_cleanup(h->share);
	if (h->auth_header) {
		/* the token must not linger in freed memory */
		explicit_bzero(h->auth_header, strlen(h->auth_header));
		free(h->auth_header);
	}
	free(h->base);
	free(h->user_agent);
	for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_destroy(&h->share_locks[i]);
	pthread_mutex_destroy(&h->lock);
	pthread_mutex_destroy(&h->gate);
	free(h);
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

/* ---- one connection -------------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t n, void *payload)
{
	fm_http_conn *c = payload;
	struct buf *b = &c->body;
	size_t len = size * n;

	if (b->len + len + 1 > MAX_BODY) {
		c->too_big = 1;
		return 0;
	}
	if (b->len + len + 1 > b->alloc) {
		size_t alloc = b->alloc ? b->alloc : 16384;
		char *p;

		while (alloc < b->len + len + 1)
			alloc *= 2;
		p = realloc(b->data, alloc);
		if (!p)
			return 0;
		b->data = p;
		b->alloc = alloc;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return len;
}

static void reset_answer(fm_http_conn *c)
{
	free(c->etag);
	free(c->last_modified);
	free(c->link);
	free(c->location);
	c->etag = c->last_modified = c->link = c->location = NULL;
	c->retry_after = -1;
	c->has_remaining = 0;
	c->rl_remaining = -1;
	c->rl_limit = -1;
	c->rl_reset = 0;
	c->rl_resource[0] = '\0';
	c->body.len = 0;
	if (c->body.data)
		c->body.data[0] = '\0';
	c->too_big = 0;
}

/* Header value without surrounding white space, NUL-terminated copy. */
static char *header_value(const char *v, size_t len)
{
	while (len && isspace((unsigned char)*v)) {
		v++;
		len--;
	}
	while (len && isspace((unsigned char)v[len - 1]))
		len--;
	return strndup(v, len);
}

static size_t on_header(char *data, size_t size, size_t n, void *payload)
{
	fm_http_conn *c = payload;
	size_t len = size * n, nlen;
	const char *colon;
	char *v;

	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* a new answer (interim 1xx answers come first) */
		struct buf keep = c->body;

		reset_answer(c);
		c->body = keep;
		return len;
	}
	colon = memchr(data, ':', len);
	if (!colon)
		return len;
	nlen = (size_t)(colon - data);
	v = header_value(colon + 1, len - nlen - 1);
	if (!v)
		return 0;
#define IS(name) (nlen == strlen(name) && strncasecmp(data, name, nlen) == 0)
	if (IS("etag")) {
		free(c->etag);
		c->etag = v;
		v = NULL;
	} else if (IS("last-modified")) {
		free(c->last_modified);
		c->last_modified = v;
		v = NULL;
	} else if (IS("link")) {
		free(c->link);
		c->link = v;
		v = NULL;
	} else if (IS("location")) {
		free(c->location);
		c->location = v;
		v = NULL;
	} else if (IS("retry-after")) {
		char *end;
		long s = strtol(v, &end, 10);

		/* seconds; an HTTP date is not what GitHub sends */
		if (end != v && s >= 0)
			c->retry_after = s;
	} else if (IS("x-ratelimit-remaining")) {
		c->rl_remaining = strtol(v, NULL, 10);
		c->has_remaining = 1;
	} else if (IS("x-ratelimit-limit")) {
		c->rl_limit = strtol(v, NULL, 10);
	} else if (IS("x-ratelimit-reset")) {
		c->rl_reset = strtoll(v, NULL, 10);
	} else if (IS("x-ratelimit-resource")) {
		safe_copy(c->rl_resource, sizeof(c->rl_resource), v, 31);
	}
#undef IS
	free(v);
	return len;
}

int fm_http_conn_new(fm_http *h, fm_http_conn **out)
{
	fm_http_conn *c;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return FM_ENOMEM;
	c->h = h;
	c->retry_after = -1;
	c->curl = curl_easy_init();
	if (!c->curl) {
		free(c);
		return FM_ENOMEM;
	}
	curl_easy_setopt(c->curl, CURLOPT_SHARE, h->share);
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(c->curl, CURLOPT_USERAGENT, h->user_agent);
	curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c->curl, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, h->timeout);
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT,
			 h->timeout < 30 ? h->timeout : 30L);
	curl_easy_setopt(c->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, c);
	*out = c;
	return 0;
}

void fm_http_conn_free(fm_http_conn *c)
{
	if (!c)
		return;
	reset_answer(c);
	free(c->body.data);
	if (c->curl)
		curl_easy_cleanup(c->curl);
	free(c);
}

void fm_http_resp_clear(fm_http_resp *r)
{
	if (!r)
		return;
	free(r->body);
	free(r->link);
	free(r->url);
	free(r->etag);
	free(r->last_modified);
	memset(r, 0, sizeof(*r));
}

/* ---- the cache ----------------------------------------------------------- */

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
static void cache_failed(fm_http *h, fm_ctx *ctx, int had_error)
{
	fm_log(ctx, FM_LOG_WARN, "HTTP cache: %s", fm_ctx_errmsg(ctx));
	if (!had_error)
		fm_ctx_clear_error(ctx);
	(void)h;
}

static int cache_get(fm_http *h, fm_ctx *ctx, const char *url,
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
		cache_failed(h, ctx, had);
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

	if (!h->cache || !r->url || !(header_safe(r->etag) ||
				      header_safe(r->last_modified)))
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
		cache_failed(h, ctx, had);
	pthread_mutex_unlock(&h->lock);
}

void fm_http_set_cache(fm_http *h, struct fm_store *cache)
{
	pthread_mutex_lock(&h->lock);
	h->cache = cache;
	pthread_mutex_unlock(&h->lock);
}

/* ---- waiting ----------------------------------------------------------- */

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
	if (kind != WAIT_PRIMARY)
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

/* Wait out any block; 0 when a request may be sent (*gen: waits so far). */
static int wait_turn(fm_http *h, fm_ctx *ctx, fm_http_err *err,
		     unsigned long *gen)
{
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
			set_err(err, fatal, 0,
				"stopped after an earlier error");
			rc = fatal;
			break;
		}
		if (fm_ctx_interrupted(ctx)) {
			set_err(err, FM_EINTERRUPTED, 0, "interrupted");
			rc = FM_EINTERRUPTED;
			break;
		}
		now = fm_ctx_now(ctx);
		if (until <= now)
			break;
		wait = until - now;
		if (kind != WAIT_BACKOFF && h->max_wait >= 0 &&
		    wait > h->max_wait) {
			if (kind == WAIT_PRIMARY)
				set_err(err, FM_ERATELIMIT, 0,
					"GitHub API rate limit exhausted "
					"(limit %ld): it resets in %" PRId64
					" s, more than the longest allowed "
					"wait of %ld s",
					h->n.limit, wait, h->max_wait);
			else
				set_err(err, FM_ERATELIMIT, 0,
					"GitHub asks to wait %" PRId64
					" s (secondary rate limit), more than "
					"the longest allowed wait of %ld s",
					wait, h->max_wait);
			pthread_mutex_lock(&h->lock);
			h->fatal = FM_ERATELIMIT;
			pthread_mutex_unlock(&h->lock);
			rc = FM_ERATELIMIT;
			break;
		}
		if (kind != WAIT_BACKOFF) {
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

/* ---- one request ----------------------------------------------------- */

static const char *reason(long status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 451: return "Unavailable For Legal Reasons";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "unexpected answer";
	}
}

/* GitHub's "message" (and block reason) from an error body, sanitised. */
static void error_text(const fm_http_conn *c, long status, char *out,
		       size_t size)
{
	cJSON *doc = NULL;
	const cJSON *msg, *block, *why;
	char m[160], r[40];

	snprintf(out, size, "%s", reason(status));
	if (c->body.len)
		doc = cJSON_ParseWithLength(c->body.data, c->body.len);
	msg = cJSON_GetObjectItemCaseSensitive(doc, "message");
	if (cJSON_IsString(msg) && msg->valuestring[0]) {
		safe_copy(m, sizeof(m), msg->valuestring, sizeof(m) - 1);
		block = cJSON_GetObjectItemCaseSensitive(doc, "block");
		why = cJSON_GetObjectItemCaseSensitive(block, "reason");
		if (cJSON_IsString(why)) {
			safe_copy(r, sizeof(r), why->valuestring,
				  sizeof(r) - 1);
			snprintf(out, size, "%s (%s)", m, r);
		} else {
			snprintf(out, size, "%s", m);
		}
	}
	cJSON_Delete(doc);
}

static int body_says(const fm_http_conn *c, const char *what)
{
	return c->body.data && strcasestr(c->body.data, what) != NULL;
}

static int is_unreachable(CURLcode cc)
{
	return cc == CURLE_COULDNT_RESOLVE_HOST ||
	       cc == CURLE_COULDNT_RESOLVE_PROXY ||
	       cc == CURLE_COULDNT_CONNECT || cc == CURLE_SSL_CONNECT_ERROR ||
	       cc == CURLE_PEER_FAILED_VERIFICATION ||
	       cc == CURLE_UNSUPPORTED_PROTOCOL;
}

/* curl's progress callback: a non-zero return aborts the transfer, so an
 * interrupt does not wait for a slow answer to finish. */
static int abort_if_interrupted(void *payload, curl_off_t dltotal,
				curl_off_t dlnow, curl_off_t ultotal,
				curl_off_t ulnow)
{
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return fm_ctx_interrupted(payload);
}

/* Send one GET; the answer is in c. Returns the curl code. */
static CURLcode send_get(fm_http_conn *c, fm_ctx *ctx, const char *url,
			 int auth, const fm_http_entry *cached, long *status)
{
	struct curl_slist *hdrs = NULL, *t;
	char line[512];
	CURLcode cc = CURLE_OUT_OF_MEMORY;

	*status = 0;
	reset_answer(c);
	c->errbuf[0] = '\0';
#define ADD(s)                                                                 \
	do {                                                                   \
		if (!(t = curl_slist_append(hdrs, (s))))                       \
			goto done;                                             \
		hdrs = t;                                                      \
	} while (0)
	ADD("Accept: application/vnd.github+json");
	ADD("X-GitHub-Api-Version: 2022-11-28");
	if (auth && c->h->auth_header)
		ADD(c->h->auth_header);
	if (cached && header_safe(cached->etag)) {
		snprintf(line, sizeof(line), "If-None-Match: %s", cached->etag);
		ADD(line);
	}
	if (cached && header_safe(cached->last_modified)) {
		snprintf(line, sizeof(line), "If-Modified-Since: %s",
			 cached->last_modified);
		ADD(line);
	}
#undef ADD
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c->curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c->curl, CURLOPT_XFERINFOFUNCTION,
			 abort_if_interrupted);
	curl_easy_setopt(c->curl, CURLOPT_XFERINFODATA, ctx);
	cc = curl_easy_perform(c->curl);
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, status);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
done:
	if (hdrs && auth && c->h->auth_header) {
		/* wipe our copy of the token inside the list */
		for (t = hdrs; t; t = t->next)
			if (strncmp(t->data, "Authorization:", 14) == 0)
				explicit_bzero(t->data, strlen(t->data));
	}
	curl_slist_free_all(hdrs);
	return cc;
}

static void note_answer(fm_http *h, fm_http_conn *c, long status)
{
	pthread_mutex_lock(&h->lock);
	h->n.requests++;
	if (status == 304)
		h->n.not_modified++;
	if (c->has_remaining &&
	    (!c->rl_resource[0] || strcmp(c->rl_resource, "core") == 0)) {
		h->n.remaining = c->rl_remaining;
		if (c->rl_limit >= 0)
			h->n.limit = c->rl_limit;
		h->n.reset = c->rl_reset;
		/* exhausted: nobody sends until the window resets */
		if (c->rl_remaining == 0 &&
		    c->rl_reset + 1 > h->blocked_until) {
			h->blocked_until = c->rl_reset + 1;
			h->blocked_kind = WAIT_PRIMARY;
		}
	}
	pthread_mutex_unlock(&h->lock);
}

static int take_answer(fm_http_conn *c, const char *url,
		       const fm_http_entry *cached, fm_http_resp *resp)
{
	memset(resp, 0, sizeof(*resp));
	resp->url = strdup(url);
	if (cached) {
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
		resp->last_modified = cached->last_modified
					      ? strdup(cached->last_modified)
					      : NULL;
		if ((cached->link && !resp->link) ||
		    (cached->etag && !resp->etag) ||
		    (cached->last_modified && !resp->last_modified))
			goto nomem;
	} else {
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE,
				  &resp->status);
		resp->body = c->body.data;
		resp->len = c->body.len;
		c->body.data = NULL;
		c->body.len = c->body.alloc = 0;
		if (!resp->body)
			resp->body = calloc(1, 1);
		resp->link = c->link;
		resp->etag = c->etag;
		resp->last_modified = c->last_modified;
		c->link = c->etag = c->last_modified = NULL;
	}
	if (!resp->url || !resp->body)
		goto nomem;
	return 0;
nomem:
	fm_http_resp_clear(resp);
	return FM_ENOMEM;
}

int fm_http_get(fm_http *h, fm_http_conn *c, fm_ctx *ctx, const char *url,
		fm_http_resp *resp, fm_http_err *err)
{
	fm_http_entry entry;
	char *cur = NULL, text[256];
	const char *shown;
	int has_entry = 0, hops = 0, fails = 0, limited = 0, rc = 0;
	unsigned long gen = 0;
	long status = 0;

	memset(resp, 0, sizeof(*resp));
	memset(&entry, 0, sizeof(entry));
	err->code = 0;
	err->status = 0;
	err->msg[0] = '\0';
	cur = absolute_url(h, url);
	if (!cur) {
		set_err(err, FM_ENOMEM, 0, "out of memory");
		return FM_ENOMEM;
	}
	has_entry = cache_get(h, ctx, cur, &entry) == 0;
	for (;;) {
		CURLcode cc;
		char *next;

		shown = fm_http_short(h, cur);
		if ((rc = wait_turn(h, ctx, err, &gen)) < 0)
			goto done;
		cc = send_get(c, ctx, cur, fm_http_same_origin(cur, h->base),
			      has_entry ? &entry : NULL, &status);
		if (cc == CURLE_ABORTED_BY_CALLBACK) {
			set_err(err, FM_EINTERRUPTED, 0, "interrupted");
			rc = err->code;
			goto done;
		}
		if (cc != CURLE_OK && status == 0) {
			if (cc == CURLE_OUT_OF_MEMORY) {
				set_err(err, FM_ENOMEM, 0, "out of memory");
			} else if (is_unreachable(cc)) {
				set_err(err, FM_ENET, 0,
					"cannot reach the GitHub API at %s: %s",
					h->base,
					c->errbuf[0] ? c->errbuf
						     : curl_easy_strerror(cc));
				pthread_mutex_lock(&h->lock);
				h->fatal = FM_ENET;
				pthread_mutex_unlock(&h->lock);
			} else if (cc == CURLE_OPERATION_TIMEDOUT) {
				set_err(err, FM_EHTTP, 0,
					"GET %s: no answer within %ld s", shown,
					h->timeout);
			} else {
				set_err(err, FM_EHTTP, 0, "GET %s: %s", shown,
					c->errbuf[0] ? c->errbuf
						     : curl_easy_strerror(cc));
			}
			rc = err->code;
			goto done;
		}
		note_answer(h, c, status);
		if (cc != CURLE_OK) {
			/* an answer began but did not complete */
			if (c->too_big)
				set_err(err, FM_EHTTP, status,
					"GET %s: answer larger than %u MB",
					shown, MAX_BODY >> 20);
			else if (cc == CURLE_OPERATION_TIMEDOUT)
				set_err(err, FM_EHTTP, status,
					"GET %s: answer not complete within "
					"%ld s",
					shown, h->timeout);
			else
				set_err(err, FM_EHTTP, status,
					"truncated answer to GET %s: %s", shown,
					c->errbuf[0] ? c->errbuf
						     : curl_easy_strerror(cc));
			rc = err->code;
			goto done;
		}
		if (status == 304 && has_entry) {
			rc = take_answer(c, cur, &entry, resp);
			goto answered;
		}
		if (status >= 200 && status < 300) {
			rc = take_answer(c, cur, NULL, resp);
			if (rc == 0)
				fm_http_cache_put(h, ctx, resp);
			goto answered;
		}
		if ((status == 301 || status == 302 || status == 303 ||
		     status == 307 || status == 308) &&
		    c->location) {
			if (++hops > MAX_HOPS) {
				set_err(err, FM_EHTTP, status,
					"GET %s: more than %d redirects", shown,
					MAX_HOPS);
				rc = err->code;
				goto done;
			}
			next = resolve_url(cur, c->location);
			if (!next || !is_absolute(next)) {
				set_err(err, FM_EHTTP, status,
					"GET %s: %ld with an unusable Location",
					shown, status);
				free(next);
				rc = err->code;
				goto done;
			}
			pthread_mutex_lock(&h->lock); /* one log line at once */
			fm_log(ctx, FM_LOG_DEBUG, "GET %s: %ld to %s", shown,
			       status, fm_http_short(h, next));
			pthread_mutex_unlock(&h->lock);
			free(cur);
			cur = next;
			if (has_entry)
				fm_http_entry_clear(&entry);
			has_entry = cache_get(h, ctx, cur, &entry) == 0;
			continue;
		}
		if (status == 401) {
			if (h->auth_header && fm_http_same_origin(cur, h->base))
				set_err(err, FM_EAUTH, status,
					"GitHub rejected the token (401 bad "
					"credentials)");
			else
				set_err(err, FM_EAUTH, status,
					"GET %s: GitHub asks for a token "
					"(401); set GITHUB_TOKEN",
					shown);
			pthread_mutex_lock(&h->lock);
			h->fatal = FM_EAUTH;
			pthread_mutex_unlock(&h->lock);
			rc = FM_EAUTH;
			goto done;
		}
		if (status == 403 || status == 429) {
			int primary = c->has_remaining &&
				      c->rl_remaining == 0 &&
				      (status == 429 ||
				       body_says(c, "rate limit exceeded"));

			if ((primary || c->retry_after >= 0 ||
			     status == 429 ||
			     body_says(c, "secondary rate limit")) &&
			    ++limited <= MAX_LIMITED) {
				if (primary)
					block(h, ctx, WAIT_PRIMARY, 0,
					      c->rl_reset, gen);
				else if (c->retry_after >= 0)
					block(h, ctx, WAIT_SECONDARY,
					      c->retry_after, 0, gen);
				else
					block(h, ctx, WAIT_SECONDARY,
					      (int64_t)SECONDARY_BACKOFF
						      << (limited - 1),
					      0, gen);
				continue;
			}
		}
		if (status >= 500 && status < 600 && fails < MAX_5XX) {
			pthread_mutex_lock(&h->lock);
			h->n.retries++;
			pthread_mutex_unlock(&h->lock);
			block(h, ctx, WAIT_BACKOFF, (int64_t)1 << fails, 0,
			      gen);
			fails++;
			continue;
		}
		error_text(c, status, text, sizeof(text));
		if (status >= 500 && fails)
			set_err(err, FM_EHTTP, status,
				"GET %s: %ld %s (after %d retries)", shown,
				status, text, fails);
		else
			set_err(err, status == 404 ? FM_ENOTFOUND : FM_EHTTP,
				status, "GET %s: %ld %s", shown, status, text);
		rc = err->code;
		goto done;
	}
answered:
	if (rc < 0)
		set_err(err, rc, 0, "out of memory");
done:
	if (has_entry)
		fm_http_entry_clear(&entry);
	free(cur);
	return rc;
}
