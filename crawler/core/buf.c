/* The growable byte buffer of core/buf.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

int fm_buf_grow(fm_buf *b, size_t extra)
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

int fm_buf_put_slow(fm_buf *b, const void *data, size_t n)
{
	if (fm_buf_grow(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int fm_buf_puts(fm_buf *b, const char *s)
{
	return fm_buf_put(b, s, strlen(s));
}

int fm_buf_printf(fm_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return -1;
	}
	if (fm_buf_grow(b, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

const char *fm_buf_str(const fm_buf *b)
{
	return b->ptr ? b->ptr : "";
}

int fm_buf_detach(fm_buf *b, char **out, size_t *len)
{
	if (!b->oom && !b->ptr)
		fm_buf_grow(b, 0);
	if (b->oom) {
		fm_buf_clear(b);
		*out = NULL;
		if (len)
			*len = 0;
		return -1;
	}
	b->ptr[b->len] = '\0';
	*out = b->ptr;
	if (len)
		*len = b->len;
	b->ptr = NULL;
	b->len = b->alloc = 0;
	return 0;
}

void fm_buf_reset(fm_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

void fm_buf_clear(fm_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->alloc = 0;
	b->oom = 0;
}
