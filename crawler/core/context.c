/* The context: error slot, clock, progress and log callbacks. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <forkmap/common.h>
#include <forkmap/settings.h>

struct fm_ctx {
	int code;
	char msg[1024];
	fm_clock clock;
	fm_progress_fn progress;
	void *progress_payload;
	fm_log_fn log;
	void *log_payload;
	volatile sig_atomic_t interrupted;
	int64_t deadline; /* epoch seconds; 0: none */
	int threads;
};

/* One table, so codes and messages cannot drift apart. */
static const struct {
	int code;
	const char *text;
} error_texts[] = {
	{FM_OK, "success"},
	{FM_ERROR, "failed"},
	{FM_ENOMEM, "out of memory"},
	{FM_EINVAL, "invalid argument"},
	{FM_ECONFIG, "bad configuration"},
	{FM_EREPO, "repository not usable"},
	{FM_EGIT, "git operation failed"},
	{FM_ESTORE, "store failed"},
	{FM_EHTTP, "http request failed"},
	{FM_EAUTH, "bad credentials"},
	{FM_ERATELIMIT, "rate limit exhausted"},
	{FM_ENOTFOUND, "not found"},
	{FM_EIO, "i/o error"},
	{FM_EJSON, "malformed json"},
	{FM_EINTERRUPTED, "interrupted"},
	{FM_ENET, "network unreachable"},
	{FM_ERENDER, "rendering failed"},
	{FM_ECSV, "malformed csv"},
	{FM_ELISTING, "the forks could not be listed"},
	{FM_ELOCKED, "another census holds the store"},
};

const char *fm_strerror(int code)
{
	size_t i;

	for (i = 0; i < sizeof(error_texts) / sizeof(error_texts[0]); i++)
		if (error_texts[i].code == code)
			return error_texts[i].text;
	return "unknown error";
}

const char *fm_version(void)
{
	return FORKMAP_VERSION;
}

static int64_t system_now(void *payload)
{
	(void)payload;
	return (int64_t)time(NULL);
}

/* Sleep in slices so an interrupt ends the wait within a second. */
static void system_sleep(void *payload, int64_t seconds)
{
	fm_ctx *ctx = payload;

	while (seconds > 0 && !fm_ctx_interrupted(ctx)) {
		sleep(1);
		seconds--;
	}
}

int fm_ctx_new(fm_ctx **out)
{
	fm_ctx *ctx = calloc(1, sizeof(*ctx));

	*out = NULL;
	if (!ctx)
		return FM_ENOMEM;
	ctx->clock.now = system_now;
	ctx->clock.sleep = system_sleep;
	ctx->clock.payload = ctx;
	*out = ctx;
	return 0;
}

void fm_ctx_free(fm_ctx *ctx)
{
	free(ctx);
}

const char *fm_ctx_errmsg(const fm_ctx *ctx)
{
	return ctx ? ctx->msg : "";
}

int fm_ctx_errcode(const fm_ctx *ctx)
{
	return ctx ? ctx->code : FM_OK;
}

void fm_ctx_clear_error(fm_ctx *ctx)
{
	ctx->code = FM_OK;
	ctx->msg[0] = '\0';
}

int fm_error_set(fm_ctx *ctx, int code, const char *fmt, ...)
{
	va_list ap;

	if (!ctx || ctx->code != FM_OK)
		return code;
	ctx->code = code;
	va_start(ap, fmt);
	vsnprintf(ctx->msg, sizeof(ctx->msg), fmt, ap);
	va_end(ap);
	return code;
}

void fm_ctx_set_clock(fm_ctx *ctx, const fm_clock *clock)
{
	ctx->clock = *clock;
}

int64_t fm_ctx_now(fm_ctx *ctx)
{
	return ctx->clock.now(ctx->clock.payload);
}

void fm_ctx_sleep(fm_ctx *ctx, int64_t seconds)
{
	if (seconds > 0)
		ctx->clock.sleep(ctx->clock.payload, seconds);
}

void fm_ctx_set_progress(fm_ctx *ctx, fm_progress_fn fn, void *payload)
{
	ctx->progress = fn;
	ctx->progress_payload = payload;
}

void fm_ctx_set_log(fm_ctx *ctx, fm_log_fn fn, void *payload)
{
	ctx->log = fn;
	ctx->log_payload = payload;
}

void fm_progress_report(fm_ctx *ctx, const fm_progress *p)
{
	if (ctx && ctx->progress)
		ctx->progress(ctx->progress_payload, p);
}

void fm_log(fm_ctx *ctx, int level, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	if (!ctx || !ctx->log)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ctx->log(ctx->log_payload, level, buf);
}

void fm_ctx_interrupt(fm_ctx *ctx)
{
	ctx->interrupted = 1;
}

int fm_ctx_interrupted(const fm_ctx *ctx)
{
	return ctx && (ctx->interrupted || fm_ctx_deadline_passed(ctx));
}

void fm_ctx_set_deadline(fm_ctx *ctx, int64_t when)
{
	ctx->deadline = when;
}

int fm_ctx_deadline_passed(const fm_ctx *ctx)
{
	return ctx && ctx->deadline &&
	       ctx->clock.now(ctx->clock.payload) >= ctx->deadline;
}

void fm_ctx_set_threads(fm_ctx *ctx, int threads)
{
	long long max = fm_setting_get(FM_SET_THREADS)->max;

	ctx->threads = threads > max ? (int)max : threads;
}

int fm_ctx_threads(const fm_ctx *ctx)
{
	long n, max;

	if (ctx->threads > 0)
		return ctx->threads;
	/* one per core, within the --threads limit of the settings table */
	max = fm_setting_get(FM_SET_THREADS)->max;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)(n > max ? max : n) : 1;
}
