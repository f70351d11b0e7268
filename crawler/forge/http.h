#ifndef FORKMAP_HTTP_H
#define FORKMAP_HTTP_H
/*
 * Inside libforkmap only: GET requests to a forge's REST API over libcurl,
 * with what GitHub asks of a well-behaved client (the others ask less):
 *
 * - one connection cache shared by every handle (CURLSH), keep-alive;
 * - the API's origin only (scheme, host, port; fm_http_on_origin): a URL,
 *   Link or redirect that leaves it is refused, never asked, so the token
 *   and trust in rate-limit headers and 401s stay there; redirects within
 *   it are followed by hand, at most 5;
 * - conditional requests from a borrowed HTTP cache (fm_store): the ETag
 *   and Last-Modified of every cached URL are sent, a 304 reuses the stored
 *   body and Link header;
 * - rate limits: the x-ratelimit-* headers are read; no request is sent
 *   while the primary limit is exhausted or a secondary limit asks to
 *   wait (retry-after, else 60 s doubling);
 * - limits: a request fails after `timeout` seconds without progress
 *   (connecting, or under 64 bytes/s of the answer: a trickle too), after
 *   10 x `timeout` in all, past 64 MB of (decoded) body, and at once on
 *   an interrupt or the deadline (fm_ctx_interrupted);
 * - retries: a 5xx answer, and a transient failure (connection reset,
 *   closed before the answer ended, an empty reply, the timeout) are sent
 *   again after 1, 2, 4 s, then reported "(after 3 retries)".
 * Every wait goes through fm_ctx_sleep (the injectable clock) and one
 * thread at a time.
 *
 * The transport is http.c, the rate limits http_ratelimit.c, the cache
 * glue http_cache.c, the pure header parsing http_parse.c.
 *
 * Errors of one request are returned in an fm_http_err, not on the
 * context: the caller decides whether they make a fork row (404, 451,
 * malformed body ...) or stop everything (fm_http_fatal: bad credentials,
 * unreachable API, rate-limit wait too long, interruption).
 *
 *	fm_http *h;
 *	fm_http_conn *c;
 *	fm_http_resp resp = FM_HTTP_RESP_INIT;
 *	fm_http_err err;
 *
 *	fm_http_new(ctx, &opts, &h);
 *	fm_http_conn_new(h, &c);	(one per thread)
 *	if (fm_http_get(h, c, ctx, "/repos/o/r", &resp, &err) < 0)
 *		... err.code, err.msg ...
 *	fm_http_resp_clear(&resp);
 *	fm_http_conn_free(c);
 *	fm_http_free(h);
 */
#include <forkmap/common.h>

#include "forge/http_parse.h"

struct fm_store;

typedef struct fm_http fm_http;
typedef struct fm_http_conn fm_http_conn;

typedef struct fm_http_opts {
	const char *base;	/* API base URL, e.g. https://api.github.com */
	const char *token;	/* NULL: anonymous; copied, wiped on free */
	const char *user_agent; /* NULL: "forkmap/VERSION" */
	struct fm_store *cache; /* borrowed, may be NULL */
	long max_wait;		/* longest allowed wait (s); < 0: any */
	long timeout;		/* seconds without progress; <= 0: 60 */
	/* the forge's dialect; each NULL: GitHub's */
	const char *label;	      /* in messages: "GitHub" */
	const char *token_env;	      /* in the 401 hint: "GITHUB_TOKEN" */
	const char *ratelimit_prefix; /* "x-ratelimit-" */
	const char *const *headers;   /* sent with every request ("Accept:
					 ..."), NULL-terminated; NULL:
					 none; copied */
	const char *auth_name;	      /* the token's header: NULL for
					 "Authorization" (GitLab: "PRIVATE-TOKEN") */
	const char *auth_scheme;      /* before the token: NULL for "Bearer"
					 ("token" for Forgejo; "" for none) */
} fm_http_opts;

typedef struct fm_http_resp {
	long status; /* 200 ... (304 answers come back as cached) */
	char *body;  /* NUL-terminated */
	size_t len;
	char *link; /* the Link header, NULL when none */
	char *url;  /* the URL finally answered (after redirects) */
	int cached; /* 1: the server said 304, body is from the cache */
	char *etag; /* validators, NULL when absent */
	char *last_modified;
	/* GitLab's x-next-page, Forgejo's x-total-count (GitLab's x-total);
	 * NULL when absent, and always after a 304 (not cached) */
	char *next_page;
	char *total;
} fm_http_resp;

#define FM_HTTP_RESP_INIT                                         \
	{                                                         \
		0, NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL \
	}

typedef struct fm_http_err {
	int code;      /* FM_E* */
	long status;   /* the HTTP status that failed, 0 when none */
	char msg[512]; /* "GET /repos/o/r/branches: 404 Not Found" */
} fm_http_err;

/* Counters, for fm_forge_stats and the progress line. */
typedef struct fm_http_counters {
	long requests;	   /* requests sent (redirects and retries too) */
	long not_modified; /* of which answered 304 */
	long remaining;	   /* last x-ratelimit-remaining, -1: none */
	long limit;	   /* x-ratelimit-limit last seen, -1 unknown */
	int64_t reset;	   /* x-ratelimit-reset last seen, 0 unknown */
	long waits;	   /* rate-limit waits (primary and secondary) */
	int64_t waited;	   /* seconds spent in them */
	long retries;	   /* 5xx and transfer failures retried */
} fm_http_counters;

/* Called (one thread at a time) before a rate-limit wait. */
typedef void (*fm_http_wait_fn)(void *payload, int64_t until);

int fm_http_new(fm_ctx *ctx, const fm_http_opts *opts, fm_http **out);
void fm_http_free(fm_http *h);
void fm_http_set_wait_cb(fm_http *h, fm_http_wait_fn fn, void *payload);

/* A curl handle for one thread; all share h's connections. */
int fm_http_conn_new(fm_http *h, fm_http_conn **out);
void fm_http_conn_free(fm_http_conn *c);

/*
 * GET url (absolute, or a path such as "/repos/o/r" under the base URL).
 * 0 and a 2xx (or cached) answer in *resp; otherwise a negative FM_E*
 * code, also in err->code, with err->msg. ctx gives the clock and the
 * interrupt flag; it is not used for errors, except that a failing cache
 * is reported through fm_log (and not fatal).
 */
int fm_http_get(fm_http *h, fm_http_conn *c, fm_ctx *ctx, const char *url,
		fm_http_resp *resp, fm_http_err *err);
void fm_http_resp_clear(fm_http_resp *r);

/* 1 for the errors after which no further request makes sense. */
int fm_http_fatal(int code);

void fm_http_counters_get(fm_http *h, fm_http_counters *out);

/* Use (another) cache from now on; borrowed, may be NULL. */
void fm_http_set_cache(fm_http *h, struct fm_store *cache);
/* Keep a 2xx answer in the cache (when it has a validator). */
void fm_http_cache_put(fm_http *h, fm_ctx *ctx, const fm_http_resp *r);

/* The base URL (no trailing slash); borrowed. */
const char *fm_http_base(const fm_http *h);

/*
 * The path and query of url when it is under the base URL, else url
 * itself; for messages ("GET /repos/o/r"). Borrowed from url.
 */
const char *fm_http_short(const fm_http *h, const char *url);

#endif
