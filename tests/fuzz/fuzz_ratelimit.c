/*
 * Fuzz target: rate-limit headers. The input is an answer's header block
 * (status line, "name: value" lines), an empty line, then its body. The
 * headers go through fm_http_header_value and fm_http_ratelimit_header as
 * the transport's header callback sends them; the answer is then counted
 * (fm_http_note_answer) and, for a 403 or 429, refused and waited out as
 * fm_http_get does, on a fake clock that never sleeps.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "forge/http_ratelimit.h"

#define START 1700000000

static int64_t fake_now = START;

static int64_t now(void *payload)
{
	(void)payload;
	return fake_now;
}

static void nap(void *payload, int64_t seconds)
{
	(void)payload;
	if (seconds > 0 && seconds < INT64_MAX - fake_now)
		fake_now += seconds;
}

/* A fresh handle: no block, no fatal error, no counters. */
static int handle(fm_ctx *ctx, fm_http **h)
{
	fm_http_opts opts;

	memset(&opts, 0, sizeof(opts));
	opts.base = "https://api.github.com";
	opts.max_wait = 3600;
	return fm_http_new(ctx, &opts, h);
}

/* One header line, as on_header (crawler/forge/http.c) takes it. */
static void header(fm_http_conn *c, const char *line, size_t len, long *status)
{
	const char *colon;
	size_t nlen;
	char *v;

	if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		const char *sp = memchr(line, ' ', len);

		fm_http_ratelimit_reset(c);
		*status = sp ? strtol(sp + 1, NULL, 10) : 0;
		return;
	}
	if (!(colon = memchr(line, ':', len)))
		return;
	nlen = (size_t)(colon - line);
	if (!(v = fm_http_header_value(colon + 1, len - nlen - 1)))
		return;
	fm_http_ratelimit_header(c, line, nlen, v);
	free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const fm_clock clock = {now, nap, NULL};
	static fm_ctx *ctx;
	char *text;
	const char *p, *end;
	fm_http *h = NULL;
	fm_http_conn *c = NULL;
	fm_http_err err;
	unsigned long gen = 0;
	long status = 200;
	int limited = 0, fails = 0, round;

	if (!ctx) {
		if (fm_ctx_new(&ctx) < 0)
			abort();
		fm_ctx_set_clock(ctx, &clock);
	}
	/* NUL-terminated, for the status line's strtol */
	if (!(text = malloc(size + 1)))
		return 0;
	if (size)
		memcpy(text, data, size);
	text[size] = '\0';
	p = text;
	end = text + size;
	if (handle(ctx, &h) < 0)
		abort();
	if (fm_http_conn_new(h, &c) < 0) {
		fm_http_free(h);
		free(text);
		return 0;
	}
	fake_now = START;
	fm_http_ratelimit_reset(c);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (len && p[len - 1] == '\r')
			len--;
		if (len == 0) {
			p = nl ? nl + 1 : end;
			break;
		}
		/* a header line is a C string for the callback's value */
		if (!memchr(p, '\0', len))
			header(c, p, len, &status);
		p = nl ? nl + 1 : end;
	}
	fm_buf_put(&c->body, p, (size_t)(end - p));
	fm_http_note_answer(h, c, status);
	for (round = 0; round < 8; round++) {
		if (fm_http_wait_turn(h, ctx, &err, &gen) < 0)
			break;
		if (!fm_http_ratelimit_refused(h, ctx, c, status, &limited,
					       gen) &&
		    !(status >= 500 &&
		      fm_http_retry_later(h, ctx, &fails, gen)))
			break;
	}
	fm_http_conn_free(c);
	fm_http_free(h);
	free(text);
	return 0;
}
