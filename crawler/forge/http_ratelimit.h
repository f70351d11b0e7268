#ifndef FM_FORGE_HTTP_RATELIMIT_H
#define FM_FORGE_HTTP_RATELIMIT_H
/*
 * Inside crawler/forge/http*.c only: rate limits. The x-ratelimit-*
 * headers of every answer are read; no request is sent while the primary
 * limit is exhausted or a secondary limit asks to wait (retry-after, else
 * 60 s doubling); 5xx answers and transient failures are retried after 1,
 * 2, 4 s. Every wait goes
 * through fm_ctx_sleep (the injectable clock), one thread at a time.
 */
#include "forge/http_internal.h"

/* Forget the rate-limit headers of the previous answer on c. */
void fm_http_ratelimit_reset(fm_http_conn *c);

/*
 * Take the header name: value (name not NUL-terminated, nlen bytes) when
 * it is one of the rate-limit headers; 1 when it was.
 */
int fm_http_ratelimit_header(fm_http_conn *c, const char *name, size_t nlen,
			     const char *value);

/*
 * Wait out any block; 0 when a request may be sent, *gen then counts the
 * waits so far. A wait longer than max_wait, an interrupt or an earlier
 * fatal error: the FM_E* code, also in err.
 */
int fm_http_wait_turn(fm_http *h, fm_ctx *ctx, fm_http_err *err,
		      unsigned long *gen);

/* Count the answer on c and read its rate-limit headers (under h->lock). */
void fm_http_note_answer(fm_http *h, fm_http_conn *c, long status);

/*
 * A 403 or 429 on c that is a rate-limit refusal: blocks every thread for
 * as long as asked and returns 1 (send again), at most 6 times for one
 * request (*limited counts them). 0: a plain refusal.
 */
int fm_http_ratelimit_refused(fm_http *h, fm_ctx *ctx, fm_http_conn *c,
			      long status, int *limited, unsigned long gen);

/*
 * A 5xx or a transient failure (reset, closed early, no answer, silence
 * past the timeout): blocks 1, 2, 4 s and returns 1 (send again) while
 * *fails < 3, counting it in *fails; 0: give up. The block is a wait of
 * fm_http_wait_turn, so it goes through the injectable clock and an
 * interrupt ends it.
 */
int fm_http_retry_later(fm_http *h, fm_ctx *ctx, int *fails, unsigned long gen);

#endif
