#ifndef FM_CORE_UTF8_H
#define FM_CORE_UTF8_H
/*
 * Inside libforkmap only: the one UTF-8 decoder, and the one set of code
 * points that must not reach a terminal or a figure as they are. Names
 * from forges are untrusted; every escaper (fm_term_safe,
 * fm_utf8_sanitize, graph labels) reads them through these two.
 *
 *	uint32_t cp;
 *	size_t len = fm_utf8_decode(p, end - p, &cp);
 *
 *	if (!len)
 *		... one bad byte: replace it, go on after it ...
 *	else if (fm_char_dangerous(cp))
 *		... escape the len bytes ...
 */
#include <stddef.h>
#include <stdint.h>

/*
 * Length (1..4) of the well-formed UTF-8 sequence at s, n bytes readable
 * (n >= 1), and its code point in *cp; 0 when the bytes there are not one:
 * a stray or invalid lead byte, a missing continuation byte or fewer than
 * the sequence needs before n (truncated), overlong forms, surrogates
 * (U+D800..U+DFFF), code points past U+10FFFF. *cp is untouched then.
 * For a NUL-terminated string, n may be its remaining strlen: the NUL
 * stops a sequence like any other non-continuation byte.
 */
size_t fm_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/*
 * 1 for a code point a terminal or renderer acts on rather than shows:
 * C0 controls (escape included), DEL, C1 controls, the left-to-right and
 * right-to-left marks, the line and paragraph separators, and the
 * bidirectional embeddings, overrides and isolates that reorder what
 * follows them (the "trojan source" characters).
 */
int fm_char_dangerous(uint32_t cp);

#endif
