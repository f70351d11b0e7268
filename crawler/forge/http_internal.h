#ifndef FM_FORGE_HTTP_INTERNAL_H
#define FM_FORGE_HTTP_INTERNAL_H
/*
 * Inside crawler/forge/http*.c only: the handle and the connection, which
 * the transport (http.c), the rate limits (http_ratelimit.c) and the cache
 * glue (http_cache.c) all read. Everyone else goes through http.h.
 */
#include <pthread.h>

#include <curl/curl.h>

#include "core/buf.h"
#include "forge/http.h"

/* What a block of every request waits for. */
enum {
	FM_HTTP_WAIT_BACKOFF = 0,   /* a 5xx retry: not a rate-limit wait */
	FM_HTTP_WAIT_PRIMARY = 1,   /* the window resets (x-ratelimit-reset) */
	FM_HTTP_WAIT_SECONDARY = 2, /* retry-after, or 60 s doubling */
};

struct fm_http {
	char *base;	      /* no trailing slash */
	char *auth_header;    /* "Authorization: Bearer ...", NULL: anonymous */
	size_t auth_name_len; /* "Authorization" or "PRIVATE-TOKEN" */
	char *user_agent;
	char *label;	 /* "GitHub", in messages */
	char *token_env; /* "GITHUB_TOKEN", in the 401 hint */
	char *rl_prefix; /* "x-ratelimit-" */
	char **headers;	 /* sent with every request, NULL-terminated */
	struct fm_store *cache;
	long max_wait;
	long timeout;
	CURLSH *share;
	pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];
	pthread_mutex_t lock;  /* counters, the block, the cache, ctx errors */
	pthread_mutex_t gate;  /* waits and the clock: one thread at a time */
	int64_t blocked_until; /* send nothing before this (epoch s) */
	int blocked_kind;      /* FM_HTTP_WAIT_* of that block */
	unsigned long waited_gen; /* completed waits, to spot stale refusals */
	int fatal;		  /* a fatal error happened: stop everything */
	fm_http_counters n;
	fm_http_wait_fn wait_fn;
	void *wait_payload;
};

struct fm_http_conn {
	fm_http *h;
	CURL *curl;
	char errbuf[CURL_ERROR_SIZE];
	/* the answer being read */
	fm_buf body;
	int too_big; /* the body passed its limit */
	char *etag;
	char *last_modified;
	char *link;
	char *location;
	char *next_page; /* x-next-page */
	char *total;	 /* x-total-count, x-total */
	/* its rate-limit headers (http_ratelimit.c) */
	int64_t retry_after; /* seconds; -1: none */
	int64_t retry_at;    /* an HTTP-date, epoch seconds; -1: none */
	int has_remaining;   /* 0: absent, empty or not a number (unknown) */
	int64_t rl_remaining;
	int64_t rl_limit; /* -1: unknown */
	int64_t rl_reset; /* 0: unknown */
	char rl_resource[32];
};

void fm_http_set_err(fm_http_err *err, int code, long status, const char *fmt,
		     ...) __attribute__((format(printf, 4, 5)));

/* Stop every request of h from now on with code (a fatal FM_E*). */
void fm_http_stop(fm_http *h, int code);

#endif
