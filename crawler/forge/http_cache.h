#ifndef FM_FORGE_HTTP_CACHE_H
#define FM_FORGE_HTTP_CACHE_H
/*
 * Inside crawler/forge/http*.c only: conditional requests from the store's
 * HTTP cache (store/cache.h). The ETag and Last-Modified of a cached URL
 * are sent back; a 304 reuses the stored body and Link header. A failing
 * cache costs requests, never the census: it is logged, not fatal.
 * fm_http_cache_put and fm_http_set_cache are in http.h.
 */
#include <curl/curl.h>

#include "store/cache.h"

#include "forge/http_internal.h"

/*
 * The cached answer to url, with at least one validator that may be sent
 * back. FM_ENOTFOUND when there is none (no cache, a miss, a failing
 * cache); free with fm_http_entry_clear.
 */
int fm_http_cache_get(fm_http *h, fm_ctx *ctx, const char *url,
		      fm_http_entry *e);

/* Append If-None-Match / If-Modified-Since for cached; -1: out of memory. */
int fm_http_cache_validators(struct curl_slist **hdrs,
			     const fm_http_entry *cached);

/*
 * Fill resp (status 200, cached 1) from cached, after a 304: copies of the
 * body, Link and validators. FM_ENOMEM, resp cleared, when out of memory.
 */
int fm_http_cache_reuse(const fm_http_entry *cached, fm_http_resp *resp);

#endif
