#ifndef FORKMAP_COMMON_H
#define FORKMAP_COMMON_H
/*
 * The context every libforkmap call takes: the error slot, the clock, and the
 * callbacks through which the library reports progress and log lines (the
 * library itself never prints and never exits).
 *
 *	fm_ctx *ctx;
 *	if (fm_ctx_new(&ctx) < 0) ...
 *	if (fm_census_measure(ctx, ...) < 0)
 *		fprintf(stderr, "error: %s\n", fm_ctx_errmsg(ctx));
 *	fm_ctx_free(ctx);
 */
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes: 0 is success, every failure a negative FM_E* value. */
enum {
	FM_OK = 0,
	FM_ERROR = -1,	       /* generic failure */
	FM_ENOMEM = -2,	       /* out of memory */
	FM_EINVAL = -3,	       /* bad argument or input */
	FM_ECONFIG = -4,       /* bad configuration */
	FM_EREPO = -5,	       /* repository missing or unreadable */
	FM_EGIT = -6,	       /* a libgit2 operation failed */
	FM_ESTORE = -7,	       /* the SQLite store failed */
	FM_EHTTP = -8,	       /* an HTTP request failed */
	FM_EAUTH = -9,	       /* bad credentials (401) */
	FM_ERATELIMIT = -10,   /* rate limit wait exceeds the allowed maximum */
	FM_ENOTFOUND = -11,    /* no such object, ref, file or repository */
	FM_EIO = -12,	       /* reading or writing a file failed */
	FM_EJSON = -13,	       /* malformed or truncated JSON */
	FM_EINTERRUPTED = -14, /* stopped by a signal or the caller */
	FM_ENET = -15,	       /* the network or API is unreachable */
	FM_ERENDER = -16,      /* graphviz layout or rendering failed */
	FM_ECSV = -17,	       /* malformed CSV input */
	FM_ELISTING = -18,     /* the upstream's forks could not be listed */
	FM_ELOCKED = -19,      /* another census holds the store */
};

/* A short lowercase description of an FM_E* code ("out of memory"). */
const char *fm_strerror(int code);

typedef struct fm_ctx fm_ctx;

/*
 * The clock, injectable so tests never sleep. now() returns seconds since
 * the epoch; sleep() waits that many seconds (or returns early when the
 * caller wants to stop: check fm_ctx_interrupted afterwards).
 */
typedef struct fm_clock {
	int64_t (*now)(void *payload);
	void (*sleep)(void *payload, int64_t seconds);
	void *payload;
} fm_clock;

/* Progress of a long operation, reported through fm_progress_fn. */
typedef struct fm_progress {
	const char *phase;   /* "listing", "fetching", "measuring", "waiting" */
	size_t forks_listed; /* discovered so far */
	size_t forks_fetched;
	size_t forks_measured;
	size_t forks_total;  /* 0 when unknown */
	long requests;	     /* API requests made so far */
	long remaining;	     /* rate limit remaining, -1 when unknown */
	int64_t wait_until;  /* epoch seconds while waiting, else 0 */
	const char *current; /* the fork being worked on, or NULL */
	/*
	 * The long step of the phase now running ("loading", "walking
	 * history", "header ids", "patch ids", "line counts"), or NULL;
	 * `done` of `total` `unit`s ("forks", "commits", "diffs") are
	 * finished; unit NULL: no counts. total is 0 when unknown (then done
	 * counts up alone). The caller may work out a rate and an ETA from
	 * successive reports of one step. Listing and fetching set unit
	 * (forks) without a step.
	 */
	const char *step;
	const char *unit;
	size_t done;
	size_t total;
} fm_progress;

typedef void (*fm_progress_fn)(void *payload, const fm_progress *p);

enum { FM_LOG_DEBUG = 0, FM_LOG_INFO = 1, FM_LOG_WARN = 2 };
typedef void (*fm_log_fn)(void *payload, int level, const char *msg);

int fm_ctx_new(fm_ctx **out);
void fm_ctx_free(fm_ctx *ctx);

/* The message of the last failure ("" when none); borrowed from ctx. */
const char *fm_ctx_errmsg(const fm_ctx *ctx);
/* The code of the last failure (FM_OK when none). */
int fm_ctx_errcode(const fm_ctx *ctx);
void fm_ctx_clear_error(fm_ctx *ctx);

/*
 * Set the error message and return code. Used where the failure is seen; a
 * message already set is kept (the first, most precise one wins) unless
 * fm_ctx_clear_error was called in between.
 */
int fm_error_set(fm_ctx *ctx, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void fm_ctx_set_clock(fm_ctx *ctx, const fm_clock *clock);
int64_t fm_ctx_now(fm_ctx *ctx);
void fm_ctx_sleep(fm_ctx *ctx, int64_t seconds);

void fm_ctx_set_progress(fm_ctx *ctx, fm_progress_fn fn, void *payload);
void fm_ctx_set_log(fm_ctx *ctx, fm_log_fn fn, void *payload);
void fm_progress_report(fm_ctx *ctx, const fm_progress *p);
void fm_log(fm_ctx *ctx, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Ask running work to stop at the next safe point (signal-safe). */
void fm_ctx_interrupt(fm_ctx *ctx);
/* 1 once interrupted, or once the deadline (if any) has passed. */
int fm_ctx_interrupted(const fm_ctx *ctx);
/*
 * Stop all work at `when` (epoch seconds on the context's clock; 0: no
 * deadline) as an interrupt would: a whole-run limit for cron.
 */
void fm_ctx_set_deadline(fm_ctx *ctx, int64_t when);
/* 1 when work stopped (or would stop) because the deadline passed. */
int fm_ctx_deadline_passed(const fm_ctx *ctx);

/* Worker threads for CPU-bound work (patch ids); 0 means one per core. */
void fm_ctx_set_threads(fm_ctx *ctx, int threads);
int fm_ctx_threads(const fm_ctx *ctx);

/* Version string of the library. */
const char *fm_version(void);

#ifdef __cplusplus
}
#endif
#endif
