/* Escaping untrusted names for graphviz labels and tooltips. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "label.h"

static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */
static const char ellipsis[] = "\xe2\x80\xa6";	  /* U+2026 */

/*
 * Decode one UTF-8 sequence at s (n bytes left). Returns its length and
 * the code point in *cp, or 0 when the bytes are not valid UTF-8 (overlong
 * forms and surrogates included).
 */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Characters that must not reach a label as they are. */
static int unsafe(uint32_t c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
	       c == 0x2028 || c == 0x2029 || (c >= 0x200e && c <= 0x200f) ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

static char *put(char *o, const char *s)
{
	size_t n = strlen(s);

	memcpy(o, s, n);
	return o + n;
}

static char *escape(const char *s, size_t max_chars, int backslashes)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p), chars = 0;
	char *out, *o;

	/* worst case per input byte: "&quot;" or "\\\\" or U+FFFD */
	if (n > (SIZE_MAX - 16) / 6 || !(out = malloc(n * 6 + 16)))
		return NULL;
	o = out;
	while (n) {
		uint32_t c = 0;
		size_t len = utf8_decode(p, n, &c);

		/* the last place left and more to come: the ellipsis */
		if (max_chars && chars + 1 == max_chars &&
		    n > (len ? len : 1)) {
			o = put(o, ellipsis);
			break;
		}
		chars++;
		if (!len) {
			o = put(o, replacement);
			p++;
			n--;
			continue;
		}
		if (unsafe(c)) {
			o = put(o, replacement);
		} else if (c == '&') {
			o = put(o, "&amp;");
		} else if (c == '<') {
			o = put(o, "&lt;");
		} else if (c == '>') {
			o = put(o, "&gt;");
		} else if (c == '"') {
			o = put(o, "&quot;");
		} else if (c == '\'') {
			o = put(o, "&#39;");
		} else if (c == '\\') {
			int i;

			for (i = 0; i < backslashes; i++)
				*o++ = '\\';
		} else {
			memcpy(o, p, len);
			o += len;
		}
		p += len;
		n -= len;
	}
	*o = '\0';
	return out;
}

char *fm_label_html(const char *s, size_t max_chars)
{
	return escape(s, max_chars, 2);
}

char *fm_label_tooltip(const char *s, size_t max_chars)
{
	return escape(s, max_chars, 4);
}
