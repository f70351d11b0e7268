/* Escaping untrusted names for graphviz labels and tooltips. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "label.h"
#include "core/utf8.h"

static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */
static const char ellipsis[] = "\xe2\x80\xa6";	  /* U+2026 */

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
		size_t len = fm_utf8_decode(p, n, &c);

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
		if (fm_char_dangerous(c)) {
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
