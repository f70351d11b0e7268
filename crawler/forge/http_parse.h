#ifndef FM_FORGE_HTTP_PARSE_H
#define FM_FORGE_HTTP_PARSE_H
/*
 * Inside libforkmap only: the pure parts of talking HTTP, no connection
 * needed: Link headers, origins, Location resolution, header values.
 */
#include <stddef.h>
#include <stdint.h>

/*
 * The URL of rel="next" in a Link header value (any rel order, rel lists
 * such as rel="next last", URLs holding commas), as given. NULL when
 * none; caller frees with free(). *out is NULL on allocation failure too:
 * returns FM_ENOMEM then, else 0.
 */
int fm_http_link_next(const char *link, char **out);

/* 1 when a and b have the same scheme, host and port. */
int fm_http_same_origin(const char *a, const char *b);

/*
 * 1 when url may be asked of the API at base: the same origin (scheme,
 * host, port) and no user information (curl would send it as Basic
 * credentials). A URL from a server (Link, Location) that is not is
 * refused: another host, port, a link-local or loopback address.
 */
int fm_http_on_origin(const char *url, const char *base);

/* 1 for an http:// or https:// URL. */
int fm_http_is_absolute(const char *url);

/* location (maybe relative) resolved against url; free(); NULL: unusable */
char *fm_http_resolve_url(const char *url, const char *location);

/*
 * The largest number forkmap takes from a server (about 31,700 years in
 * seconds): any value above is clamped to it, so that sums of times
 * (reset + 1, now + wait) can never overflow.
 */
#define FM_HTTP_NUMBER_MAX ((int64_t)1000000000000)

/*
 * A number a server sends in a header (x-ratelimit-remaining, -reset,
 * -limit, retry-after): decimal digits with white space around, nothing
 * else (no sign, no fraction, no hex), clamped to FM_HTTP_NUMBER_MAX.
 * 0 with the value in *out; -1 when v is empty or not such a number: the
 * value is unknown (never 0). The one checked way to read them.
 */
int fm_http_header_number(const char *v, int64_t *out);

/*
 * Retry-After (RFC 9110 10.2.3): delta-seconds (0 included) in *seconds,
 * or an HTTP-date, as epoch seconds in *date (the caller subtracts its
 * own now). 0 with one of them set (the other -1); -1 when v is neither.
 */
int fm_http_retry_after(const char *v, int64_t *seconds, int64_t *date);

/* A header value without surrounding white space; free(); NULL: OOM. */
char *fm_http_header_value(const char *v, size_t len);

/*
 * Copy of s into dst with control and non-ASCII bytes as '?', at most max
 * bytes of s: text from a server made safe for a message.
 */
void fm_http_safe_copy(char *dst, size_t size, const char *s, size_t max);

#endif
