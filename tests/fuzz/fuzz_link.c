/*
 * Fuzz target: the Link header and the URLs a server hands back. The
 * input is "BASE\nLINK": the URL the page came from, then the Link
 * header's value (crawler/forge/http_parse.c). The next page found is
 * resolved against the base and compared with its origin, as the
 * transport does before following it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "forge/http_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *nl, *link, *next = NULL, *value, *url;
	const char *base;
	char safe[64];

	if (!(text = malloc(size + 1)))
		return 0;
	if (size)
		memcpy(text, data, size);
	text[size] = '\0';
	nl = strchr(text, '\n');
	if (nl) {
		*nl = '\0';
		base = text;
		link = nl + 1;
	} else {
		base = "https://api.github.com/repos/o/r/forks";
		link = text;
	}
	/* the transport trims the raw header value first */
	value = fm_http_header_value(link, strlen(link));
	if (value && fm_http_link_next(value, &next) == 0 && next) {
		(void)fm_http_is_absolute(next);
		if ((url = fm_http_resolve_url(base, next))) {
			(void)fm_http_same_origin(base, url);
			fm_http_safe_copy(safe, sizeof(safe), url, 40);
			free(url);
		}
		free(next);
	}
	(void)fm_http_same_origin(base, link);
	if ((url = fm_http_resolve_url(base, link)))
		free(url);
	free(value);
	free(text);
	return 0;
}
