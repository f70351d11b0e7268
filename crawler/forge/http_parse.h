#ifndef FM_FORGE_HTTP_PARSE_H
#define FM_FORGE_HTTP_PARSE_H
/*
 * Inside libforkmap only: the pure parts of talking HTTP, no connection
 * needed: Link headers, origins, Location resolution, header values.
 */
#include <stddef.h>

/*
 * The URL of rel="next" in a Link header value (any rel order, rel lists
 * such as rel="next last", URLs holding commas), as given. NULL when
 * none; caller frees with free(). *out is NULL on allocation failure too:
 * returns FM_ENOMEM then, else 0.
 */
int fm_http_link_next(const char *link, char **out);

/* 1 when a and b have the same scheme, host and port. */
int fm_http_same_origin(const char *a, const char *b);

/* 1 for an http:// or https:// URL. */
int fm_http_is_absolute(const char *url);

/* location (maybe relative) resolved against url; free(); NULL: unusable */
char *fm_http_resolve_url(const char *url, const char *location);

/* A header value without surrounding white space; free(); NULL: OOM. */
char *fm_http_header_value(const char *v, size_t len);

/*
 * Copy of s into dst with control and non-ASCII bytes as '?', at most max
 * bytes of s: text from a server made safe for a message.
 */
void fm_http_safe_copy(char *dst, size_t size, const char *s, size_t max);

#endif
