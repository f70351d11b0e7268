#ifndef FM_GRAPH_TEXTBUF_H
#define FM_GRAPH_TEXTBUF_H
/*
 * A growing string for building labels. Allocation failure is sticky:
 * append freely, check `oom` once at the end.
 *
 *	fm_textbuf b = FM_TEXTBUF_INIT;
 *	fm_textbuf_printf(&b, "<TD>%s</TD>", escaped);
 *	if (b.oom) ...
 *	use(fm_textbuf_str(&b));
 *	fm_textbuf_clear(&b);
 */
#include <stddef.h>

typedef struct fm_textbuf {
	char *ptr;
	size_t len;
	size_t alloc;
	int oom;
} fm_textbuf;

#define FM_TEXTBUF_INIT       \
	{                     \
		NULL, 0, 0, 0 \
	}

void fm_textbuf_puts(fm_textbuf *b, const char *s);
void fm_textbuf_printf(fm_textbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The text so far ("" when empty); borrowed. */
const char *fm_textbuf_str(const fm_textbuf *b);
void fm_textbuf_reset(fm_textbuf *b); /* empty, keeps the memory */
void fm_textbuf_clear(fm_textbuf *b); /* frees */

#endif
