#ifndef FM_CORE_BUF_H
#define FM_CORE_BUF_H
/*
 * Inside libforkmap only: the one growable byte buffer (labels, HTTP
 * bodies, patch text, CSV fields). Always NUL-terminated once anything was
 * added, so ptr can be read as a string when the data is text. Allocation
 * failure is sticky: append freely, check `oom` once at
 * the end.
 *
 *	fm_buf b = FM_BUF_INIT;
 *	fm_buf_printf(&b, "<TD>%s</TD>", escaped);
 *	fm_buf_put(&b, data, len);
 *	if (b.oom) ...
 *	use(fm_buf_str(&b), b.len);
 *	fm_buf_clear(&b);
 */
#include <stddef.h>
#include <string.h>

typedef struct fm_buf {
	char *ptr;
	size_t len;
	size_t alloc;
	int oom;
} fm_buf;

#define FM_BUF_INIT           \
	{                     \
		NULL, 0, 0, 0 \
	}

/* Each returns 0, or -1 (and sets oom) when memory ran out. */
int fm_buf_put_slow(fm_buf *b, const void *data, size_t n);
int fm_buf_puts(fm_buf *b, const char *s);
int fm_buf_printf(fm_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Room for n more bytes (for a writer that fills ptr + len itself). */
int fm_buf_grow(fm_buf *b, size_t n);

/*
 * The common case inline: patch ids put every word of every changed line
 * (hundreds of millions of calls on a big network), and a call into buf.c
 * for each made the patch-id pass 5% slower than the private buffer it
 * replaced (measured on bench/run.sh's network).
 */
static inline int fm_buf_put(fm_buf *b, const void *data, size_t n)
{
	if (b->alloc && n < b->alloc - b->len) {
		memcpy(b->ptr + b->len, data, n);
		b->len += n;
		b->ptr[b->len] = '\0';
		return 0;
	}
	return fm_buf_put_slow(b, data, n);
}

static inline int fm_buf_putc(fm_buf *b, char c)
{
	if (b->alloc && b->len + 1 < b->alloc) {
		b->ptr[b->len++] = c;
		b->ptr[b->len] = '\0';
		return 0;
	}
	return fm_buf_put_slow(b, &c, 1);
}
/* The text so far ("" when empty); borrowed. */
const char *fm_buf_str(const fm_buf *b);
/*
 * Hand the data over: *out gets the malloc'd, NUL-terminated data (an empty
 * string when nothing was added), the buffer is left empty. -1 when out of
 * memory (then nothing is handed over and the buffer is cleared).
 */
int fm_buf_detach(fm_buf *b, char **out, size_t *len);
void fm_buf_reset(fm_buf *b); /* empty, keeps the memory */
void fm_buf_clear(fm_buf *b); /* frees */

#endif
