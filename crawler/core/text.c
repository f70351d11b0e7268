/*
 * Copies of untrusted strings (names from forges) safe to print on a
 * terminal, or at least valid UTF-8 for JSON and graphviz.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/util.h>

#include "utf8.h"

char *fm_term_safe(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), i, n, o = 0;
	uint32_t cp;
	char *out;

	if (!(out = malloc(len * 4 + 1)))
		return NULL;
	for (i = 0; i < len; i += n) {
		n = fm_utf8_decode(p + i, len - i, &cp);
		if (n > 0 && !fm_char_dangerous(cp)) {
			memcpy(out + o, p + i, n);
			o += n;
			continue;
		}
		if (n == 0)
			n = 1; /* invalid: escape one byte, resync after it */
		for (size_t k = 0; k < n; k++) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[p[i + k] >> 4];
			out[o++] = hex[p[i + k] & 0xf];
		}
	}
	out[o] = '\0';
	return out;
}

char *fm_utf8_sanitize(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), i, n, o = 0;
	uint32_t cp;
	char *out;

	/* each bad byte becomes the three bytes of U+FFFD */
	if (!(out = malloc(len * 3 + 1)))
		return NULL;
	for (i = 0; i < len; i += n) {
		if ((n = fm_utf8_decode(p + i, len - i, &cp)) > 0) {
			memcpy(out + o, p + i, n);
			o += n;
		} else {
			n = 1;
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
		}
	}
	out[o] = '\0';
	return out;
}
