/*
 * Copies of untrusted strings (names from forges) safe to print on a
 * terminal, or at least valid UTF-8 for JSON and graphviz.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/util.h>

#include "utf8.h"

/* What happens to the bytes a copy must not keep as they are. */
enum mode {
	ESCAPE,	 /* "\xNN" for each: invalid bytes and dangerous characters */
	REPLACE, /* U+FFFD for each invalid byte; characters all kept */
	CLEAN,	 /* U+FFFD for each invalid byte and dangerous character
		    but TAB, CR and LF (which CSV quotes) */
};

/*
 * The one walk over untrusted text both copies share. An invalid byte is
 * handled alone and the walk resyncs after it; a dangerous character
 * (ESCAPE only) is escaped byte by byte.
 */
static char *copy_safe(const char *s, enum mode mode)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), i, k, n, o = 0;
	uint32_t cp;
	char *out;

	/* worst case per byte: "\xNN" (4) or U+FFFD (3) */
	if (!(out = malloc(len * (mode == ESCAPE ? 4 : 3) + 1)))
		return NULL;
	for (i = 0; i < len; i += n) {
		n = fm_utf8_decode(p + i, len - i, &cp);
		if (n > 0 && (mode == REPLACE || !fm_char_dangerous(cp) ||
			      (mode == CLEAN && strchr("\t\r\n", (int)cp)))) {
			memcpy(out + o, p + i, n);
			o += n;
			continue;
		}
		if (n == 0)
			n = 1;
		if (mode != ESCAPE) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			continue;
		}
		for (k = 0; k < n; k++) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[p[i + k] >> 4];
			out[o++] = hex[p[i + k] & 0xf];
		}
	}
	out[o] = '\0';
	return out;
}

char *fm_term_safe(const char *s)
{
	return copy_safe(s, ESCAPE);
}

char *fm_utf8_sanitize(const char *s)
{
	return copy_safe(s, REPLACE);
}

char *fm_text_clean(const char *s)
{
	return copy_safe(s, CLEAN);
}

size_t fm_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, row[64], prev, cur;

	/* names, not texts: longer ones are never "close" */
	if (la >= 63 || lb >= 63)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t del = row[j] + 1, ins = row[j - 1] + 1,
			       sub = prev + (a[i - 1] != b[j - 1]);

			cur = del < ins ? del : ins;
			cur = cur < sub ? cur : sub;
			prev = row[j];
			row[j] = cur;
		}
	}
	return row[lb];
}
