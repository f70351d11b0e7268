/* A growing string with sticky allocation failure. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textbuf.h"

static int grow(fm_textbuf *b, size_t extra)
{
	size_t want;
	char *p;

	if (b->oom)
		return -1;
	if (extra >= (size_t)-1 / 2 - b->len)
		goto fail;
	want = b->len + extra + 1;
	if (want <= b->alloc)
		return 0;
	if (want < b->alloc * 2)
		want = b->alloc * 2;
	if (want < 256)
		want = 256;
	if (!(p = realloc(b->ptr, want)))
		goto fail;
	b->ptr = p;
	b->alloc = want;
	return 0;
fail:
	b->oom = 1;
	return -1;
}

void fm_textbuf_puts(fm_textbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (grow(b, n) < 0)
		return;
	memcpy(b->ptr + b->len, s, n + 1);
	b->len += n;
}

void fm_textbuf_printf(fm_textbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	if (grow(b, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *fm_textbuf_str(const fm_textbuf *b)
{
	return b->ptr ? b->ptr : "";
}

void fm_textbuf_reset(fm_textbuf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

void fm_textbuf_clear(fm_textbuf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->alloc = 0;
	b->oom = 0;
}
