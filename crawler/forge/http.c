/*
 * The transport of http.h: GET requests to a forge's REST API over
 * libcurl, on connections shared by every handle of one fm_http, with
 * redirects followed by hand so that the token never leaves the API's
 * origin. Rate limits are in http_ratelimit.c, conditional requests in
 * http_cache.c, the pure header parsing in http_parse.c.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include <forkmap/runs.h>

#include "core/scrub.h"
#include "forge/http_cache.h"
#include "forge/http_parse.h"
#include "forge/http_ratelimit.h"

#ifndef FORKMAP_VERSION
#define FORKMAP_VERSION "0"
#endif

/*
 * A forks page is ~0.5 MB: refuse monsters. The limit is on the bytes
 * the write callback gets, which libcurl has already decoded, so a gzip
 * bomb stops at it too; CURLOPT_MAXFILESIZE refuses an announced
 * Content-Length above it before any byte.
 */
#define MAX_BODY (64u << 20)
#define MIN_SPEED 64   /* bytes/s: slower for `timeout` s is a stall */
#define TOTAL_TIMES 10 /* a request ends after 10 x timeout in all */
#define MAX_HOPS 5     /* redirects followed for one request */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void fm_http_set_err(fm_http_err *err, int code, long status, const char *fmt,
		     ...)
{
	va_list ap;
	char *full = NULL;
	int n;

	err->code = code;
	err->status = status;
	va_start(ap, fmt);
	n = vasprintf(&full, fmt, ap);
	va_end(ap);
	/* URLs from a server (Location, Link) or curl's errors may carry
	 * user information: never in a message. Scrubbed whole, then cut:
	 * a cut first could split a URL before its '@' and keep part of a
	 * password. */
	if (n >= 0 && full)
		fm_scrub_buf(err->msg, sizeof(err->msg), full, NULL);
	else
		snprintf(err->msg, sizeof(err->msg), "out of memory");
	free(full);
}

void fm_http_stop(fm_http *h, int code)
{
	pthread_mutex_lock(&h->lock);
	h->fatal = code;
	pthread_mutex_unlock(&h->lock);
}

int fm_http_fatal(int code)
{
	return code == FM_EAUTH || code == FM_ENET || code == FM_ERATELIMIT ||
	       code == FM_EINTERRUPTED || code == FM_ENOMEM;
}

/* ---- URLs under the base ---------------------------------------- */

static char *absolute_url(const fm_http *h, const char *url)
{
	char *s;

	if (fm_http_is_absolute(url))
		return strdup(url);
	if (asprintf(&s, "%s%s%s", h->base, url[0] == '/' ? "" : "/", url) < 0)
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

/* ---- the handle ------------------------------------------------------- */

static void share_lock(CURL *curl, curl_lock_data data, curl_lock_access access,
		       void *payload)
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

/* s, or dflt when s is NULL or empty, copied; NULL when out of memory. */
static char *dup_or(const char *s, const char *dflt)
{
	return strdup(s && *s ? s : dflt);
}

static int copy_headers(fm_http *h, const char *const *headers)
{
	size_t i, n = 0;

	while (headers && headers[n])
		n++;
	if (!(h->headers = calloc(n + 1, sizeof(*h->headers))))
		return FM_ENOMEM;
	for (i = 0; i < n; i++)
		if (!(h->headers[i] = strdup(headers[i])))
			return FM_ENOMEM;
	return 0;
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
	if (!opts->base || !fm_http_is_absolute(opts->base))
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
	h->user_agent = dup_or(opts->user_agent, "forkmap/" FORKMAP_VERSION);
	h->label = dup_or(opts->label, "GitHub");
	h->token_env = dup_or(opts->token_env, "GITHUB_TOKEN");
	h->rl_prefix = dup_or(opts->ratelimit_prefix, "x-ratelimit-");
	if (!h->user_agent || !h->label || !h->token_env || !h->rl_prefix ||
	    copy_headers(h, opts->headers) < 0)
		goto nomem;
	if (opts->token && *opts->token) {
		if (strpbrk(opts->token, "\r\n")) {
			fm_http_free(h);
			return fm_error_set(ctx, FM_EAUTH,
					    "the %s token holds a line break",
					    opts->label ? opts->label
							: "GitHub");
		}
		const char *name =
			opts->auth_name ? opts->auth_name : "Authorization";
		const char *scheme =
			opts->auth_scheme ? opts->auth_scheme : "Bearer";

		h->auth_name_len = strlen(name);
		if (asprintf(&h->auth_header, "%s: %s%s%s", name, scheme,
			     *scheme ? " " : "", opts->token) < 0) {
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
	free(h->label);
	free(h->token_env);
	free(h->rl_prefix);
	for (i = 0; h->headers && h->headers[i]; i++)
		free(h->headers[i]);
	free(h->headers);
	for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_destroy(&h->share_locks[i]);
	pthread_mutex_destroy(&h->lock);
	pthread_mutex_destroy(&h->gate);
	free(h);
}

/* ---- one connection -------------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t n, void *payload)
{
	fm_http_conn *c = payload;
	size_t len = size * n;

	if (c->body.len + len + 1 > MAX_BODY) {
		c->too_big = 1;
		return 0;
	}
	/* a short count makes curl fail the transfer: "truncated answer" */
	return fm_buf_put(&c->body, data, len) < 0 ? 0 : len;
}

/* Forget the headers of the previous answer (the body is kept). */
static void reset_headers(fm_http_conn *c)
{
	free(c->etag);
	free(c->last_modified);
	free(c->link);
	free(c->location);
	free(c->next_page);
	free(c->total);
	c->etag = c->last_modified = c->link = c->location = NULL;
	c->next_page = c->total = NULL;
	fm_http_ratelimit_reset(c);
}

static void reset_answer(fm_http_conn *c)
{
	reset_headers(c);
	if (c->body.oom) /* start again from nothing */
		fm_buf_clear(&c->body);
	else
		fm_buf_reset(&c->body);
	c->too_big = 0;
}

/* Where on c the value of a header the transport keeps goes, or NULL. */
static char **header_slot(fm_http_conn *c, const char *name, size_t nlen)
{
	static const char *const names[] = {
		"etag",	       "last-modified", "link",	  "location",
		"x-next-page", "x-total-count", "x-total"};
	char **slots[] = {&c->etag,	&c->last_modified, &c->link,
			  &c->location, &c->next_page,	   &c->total,
			  &c->total};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (nlen == strlen(names[i]) &&
		    strncasecmp(name, names[i], nlen) == 0)
			return slots[i];
	return NULL;
}

static size_t on_header(char *data, size_t size, size_t n, void *payload)
{
	fm_http_conn *c = payload;
	size_t len = size * n, nlen;
	const char *colon;
	char **slot, *v;

	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* a new answer (interim 1xx answers come first) */
		reset_headers(c);
		return len;
	}
	colon = memchr(data, ':', len);
	if (!colon)
		return len;
	nlen = (size_t)(colon - data);
	v = fm_http_header_value(colon + 1, len - nlen - 1);
	if (!v)
		return 0;
	if ((slot = header_slot(c, data, nlen))) {
		free(*slot);
		*slot = v;
		return len;
	}
	fm_http_ratelimit_header(c, data, nlen, v);
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
	/*
	 * A limit on silence, not on the whole request: a large page over a
	 * slow link is fine as long as bytes keep coming. The connect (and
	 * TLS handshake) has the same limit; a wait for the first byte of
	 * the answer counts as silence too.
	 */
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT, h->timeout);
	curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_LIMIT, (long)MIN_SPEED);
	curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_TIME, h->timeout);
	/* a server trickling bytes just fast enough must still end */
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, TOTAL_TIMES * h->timeout);
	curl_easy_setopt(c->curl, CURLOPT_MAXFILESIZE_LARGE,
			 (curl_off_t)MAX_BODY);
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
	fm_buf_clear(&c->body);
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
	free(r->next_page);
	free(r->total);
	memset(r, 0, sizeof(*r));
}

/* ---- one request ----------------------------------------------------- */

static const char *reason(long status)
{
	switch (status) {
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 409:
		return "Conflict";
	case 410:
		return "Gone";
	case 422:
		return "Unprocessable Entity";
	case 429:
		return "Too Many Requests";
	case 451:
		return "Unavailable For Legal Reasons";
	case 500:
		return "Internal Server Error";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	case 504:
		return "Gateway Timeout";
	default:
		return "unexpected answer";
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
		doc = cJSON_ParseWithLength(c->body.ptr, c->body.len);
	msg = cJSON_GetObjectItemCaseSensitive(doc, "message");
	if (cJSON_IsString(msg) && msg->valuestring[0]) {
		fm_http_safe_copy(m, sizeof(m), msg->valuestring,
				  sizeof(m) - 1);
		block = cJSON_GetObjectItemCaseSensitive(doc, "block");
		why = cJSON_GetObjectItemCaseSensitive(block, "reason");
		if (cJSON_IsString(why)) {
			fm_http_safe_copy(r, sizeof(r), why->valuestring,
					  sizeof(r) - 1);
			snprintf(out, size, "%s (%s)", m, r);
		} else {
			snprintf(out, size, "%s", m);
		}
	}
	cJSON_Delete(doc);
}

static int is_unreachable(CURLcode cc)
{
	return cc == CURLE_COULDNT_RESOLVE_HOST ||
	       cc == CURLE_COULDNT_RESOLVE_PROXY ||
	       cc == CURLE_COULDNT_CONNECT || cc == CURLE_SSL_CONNECT_ERROR ||
	       cc == CURLE_PEER_FAILED_VERIFICATION ||
	       cc == CURLE_UNSUPPORTED_PROTOCOL;
}

/*
 * Failures of the way, not of the request: a connection reset or closed
 * before the answer ended, nothing answered, or silence past the timeout.
 * Sent again after a backoff, like a 5xx.
 */
static int is_transient(CURLcode cc)
{
	return cc == CURLE_RECV_ERROR || cc == CURLE_SEND_ERROR ||
	       cc == CURLE_GOT_NOTHING || cc == CURLE_PARTIAL_FILE ||
	       cc == CURLE_OPERATION_TIMEDOUT || cc == CURLE_HTTP2 ||
	       cc == CURLE_HTTP2_STREAM;
}

/* " (after N retries)" at the end of err's message, when there were. */
static void note_retries(fm_http_err *err, int fails)
{
	size_t n = strlen(err->msg);

	if (fails > 0 && n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - n,
			 " (after %d retries)", fails);
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
	CURLcode cc = CURLE_OUT_OF_MEMORY;
	size_t i;

	*status = 0;
	reset_answer(c);
	c->errbuf[0] = '\0';
#define ADD(s)                                           \
	do {                                             \
		if (!(t = curl_slist_append(hdrs, (s)))) \
			goto done;                       \
		hdrs = t;                                \
	} while (0)
	for (i = 0; c->h->headers[i]; i++)
		ADD(c->h->headers[i]);
	if (auth && c->h->auth_header)
		ADD(c->h->auth_header);
#undef ADD
	if (cached && fm_http_cache_validators(&hdrs, cached) < 0)
		goto done;
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
			if (strncmp(t->data, c->h->auth_header,
				    c->h->auth_name_len + 1) == 0)
				explicit_bzero(t->data, strlen(t->data));
	}
	curl_slist_free_all(hdrs);
	return cc;
}

static int take_answer(fm_http_conn *c, const char *url,
		       const fm_http_entry *cached, fm_http_resp *resp)
{
	int rc = 0;

	memset(resp, 0, sizeof(*resp));
	if (cached) {
		rc = fm_http_cache_reuse(cached, resp);
	} else {
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE,
				  &resp->status);
		rc = fm_buf_detach(&c->body, &resp->body, &resp->len) < 0
			     ? FM_ENOMEM
			     : 0;
		resp->link = c->link;
		resp->etag = c->etag;
		resp->last_modified = c->last_modified;
		resp->next_page = c->next_page;
		resp->total = c->total;
		c->link = c->etag = c->last_modified = NULL;
		c->next_page = c->total = NULL;
	}
	if (rc == 0 && !(resp->url = strdup(url)))
		rc = FM_ENOMEM;
	if (rc < 0)
		fm_http_resp_clear(resp);
	return rc;
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
		fm_http_set_err(err, FM_ENOMEM, 0, "out of memory");
		return FM_ENOMEM;
	}
	/* a Link (or a caller) pointing away from the API: not asked */
	if (!fm_http_on_origin(cur, h->base)) {
		char shown_url[160];

		fm_http_safe_copy(shown_url, sizeof(shown_url), cur,
				  sizeof(shown_url) - 1);
		fm_http_set_err(err, FM_EHTTP, 0,
				"GET %s refused: not on the %s API's origin %s",
				shown_url, h->label, h->base);
		free(cur);
		return FM_EHTTP;
	}
	has_entry = fm_http_cache_get(h, ctx, cur, &entry) == 0;
	for (;;) {
		CURLcode cc;
		char *next;

		shown = fm_http_short(h, cur);
		if ((rc = fm_http_wait_turn(h, ctx, err, &gen)) < 0)
			goto done;
		cc = send_get(c, ctx, cur, fm_http_same_origin(cur, h->base),
			      has_entry ? &entry : NULL, &status);
		if (cc == CURLE_ABORTED_BY_CALLBACK) {
			fm_http_set_err(err, FM_EINTERRUPTED, 0, "interrupted");
			rc = err->code;
			goto done;
		}
		if (cc != CURLE_OK && status == 0) {
			if (cc == CURLE_OUT_OF_MEMORY) {
				fm_http_set_err(err, FM_ENOMEM, 0,
						"out of memory");
				rc = err->code;
				goto done;
			}
			if (is_unreachable(cc)) {
				fm_http_set_err(
					err, FM_ENET, 0,
					"cannot reach the %s API at %s: %s",
					h->label, h->base,
					c->errbuf[0] ? c->errbuf
						     : curl_easy_strerror(cc));
				fm_http_stop(h, FM_ENET);
				rc = err->code;
				goto done;
			}
			if (cc == CURLE_OPERATION_TIMEDOUT)
				fm_http_set_err(
					err, FM_EHTTP, 0,
					"GET %s: no answer within %ld s", shown,
					h->timeout);
			else
				fm_http_set_err(
					err, FM_EHTTP, 0, "GET %s: %s", shown,
					c->errbuf[0] ? c->errbuf
						     : curl_easy_strerror(cc));
			goto failed;
		}
		fm_http_note_answer(h, c, status);
		if (cc != CURLE_OK) {
			/* an answer began but did not complete */
			if (c->too_big || cc == CURLE_FILESIZE_EXCEEDED) {
				fm_http_set_err(
					err, FM_EHTTP, status,
					"GET %s: answer larger than %u MB",
					shown, MAX_BODY >> 20);
				rc = err->code;
				goto done;
			}
			if (cc == CURLE_OPERATION_TIMEDOUT)
				fm_http_set_err(err, FM_EHTTP, status,
						"GET %s: the answer stalled "
						"(under %d bytes/s for %ld s, "
						"or over %ld s in all)",
						shown, MIN_SPEED, h->timeout,
						TOTAL_TIMES * h->timeout);
			else
				fm_http_set_err(
					err, FM_EHTTP, status,
					"truncated answer to GET %s: %s", shown,
					c->errbuf[0] ? c->errbuf
						     : curl_easy_strerror(cc));
			goto failed;
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
				fm_http_set_err(
					err, FM_EHTTP, status,
					"GET %s: more than %d redirects", shown,
					MAX_HOPS);
				rc = err->code;
				goto done;
			}
			next = fm_http_resolve_url(cur, c->location);
			if (!next || !fm_http_is_absolute(next)) {
				fm_http_set_err(
					err, FM_EHTTP, status,
					"GET %s: %ld with an unusable Location",
					shown, status);
				free(next);
				rc = err->code;
				goto done;
			}
			/*
			 * GitHub moves a renamed or transferred repository
			 * to /repositories/ID on its own host: a redirect is
			 * followed only within the API's origin, so neither
			 * the token nor trust in rate-limit headers and 401s
			 * ever reach another host, port or address.
			 */
			if (!fm_http_on_origin(next, h->base)) {
				char where[160];

				fm_http_safe_copy(where, sizeof(where), next,
						  sizeof(where) - 1);
				fm_http_set_err(
					err, FM_EHTTP, status,
					"GET %s: %ld to %s refused: it leaves "
					"the %s API (%s)",
					shown, status, where, h->label,
					h->base);
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
			has_entry = fm_http_cache_get(h, ctx, cur, &entry) == 0;
			continue;
		}
		if (status == 401) {
			if (h->auth_header && fm_http_same_origin(cur, h->base))
				fm_http_set_err(
					err, FM_EAUTH, status,
					"%s rejected the token (401 bad "
					"credentials)",
					h->label);
			else
				fm_http_set_err(err, FM_EAUTH, status,
						"GET %s: %s asks for a token "
						"(401); set %s",
						shown, h->label, h->token_env);
			fm_http_stop(h, FM_EAUTH);
			rc = FM_EAUTH;
			goto done;
		}
		if (fm_http_ratelimit_refused(h, ctx, c, status, &limited,
					      gen) ||
		    (status >= 500 && status < 600 &&
		     fm_http_retry_later(h, ctx, &fails, gen)))
			continue;
		error_text(c, status, text, sizeof(text));
		fm_http_set_err(err, status == 404 ? FM_ENOTFOUND : FM_EHTTP,
				status, "GET %s: %ld %s", shown, status, text);
		note_retries(err, fails);
		rc = err->code;
		goto done;
	failed:
		/* err says what went wrong on the way */
		if (is_transient(cc) &&
		    fm_http_retry_later(h, ctx, &fails, gen))
			continue;
		note_retries(err, fails);
		rc = err->code;
		goto done;
	}
answered:
	if (rc < 0)
		fm_http_set_err(err, rc, 0, "out of memory");
done:
	if (has_entry)
		fm_http_entry_clear(&entry);
	free(cur);
	return rc;
}
