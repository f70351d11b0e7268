/* The one UTF-8 decoder and dangerous-character set (see utf8.h). */
#include "utf8.h"

size_t fm_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	/* 0xc0, 0xc1 could only start overlong forms; past 0xf4, > U+10FFFF */
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

int fm_char_dangerous(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || /* C0, DEL, C1 */
	       c == 0x200e || c == 0x200f ||	       /* LRM, RLM */
	       (c >= 0x2028 && c <= 0x202e) ||	       /* LS, PS, LRE..RLO */
	       (c >= 0x2066 && c <= 0x2069);	       /* LRI..PDI */
}
