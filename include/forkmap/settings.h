#ifndef FORKMAP_SETTINGS_H
#define FORKMAP_SETTINGS_H
/*
 * The one table of forkmap's defaults and limits. The command-line parser,
 * the config file reader, the library and `--help` all read it, so a limit
 * cannot be accepted in one place and capped silently in another. The
 * numeric defaults are the FM_DEFAULT_* macros below, which the table and
 * the library's *_OPTS_INIT macros share.
 *
 *	const fm_setting_info *s = fm_setting_get(FM_SET_TOP);
 *	printf("  %s N   default %lld\n", s->option, s->def);
 *	if (fm_setting_check(ctx, FM_SET_TOP, n) < 0) ...   (FM_EINVAL)
 */
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fm_setting {
	FM_SET_TOP = 0,	       /* forks kept per listing, most starred first */
	FM_SET_DEPTH,	       /* levels of forks of forks */
	FM_SET_MAX_WAIT,       /* longest rate-limit wait, seconds */
	FM_SET_CONCURRENCY,    /* parallel API requests */
	FM_SET_FETCH_PARALLEL, /* concurrent git fetches */
	FM_SET_THREADS,	       /* measuring workers; 0: one per core */
	FM_SET_TIMEOUT,	    /* seconds without progress: API request, fetch */
	FM_SET_DEADLINE,    /* whole-run limit, seconds; 0: none */
	FM_SET_RUN,	    /* a census run id */
	FM_SET_RENDER_TOP,  /* forks drawn, heaviest first; 0: all */
	FM_SET_DPI,	    /* PNG resolution */
	FM_SET_SEED,	    /* layout seed */
	FM_SET_IDLE_MONTHS, /* stale: quiet after N months */
	FM_SET_BASE_MONTHS, /* stale: merge base N months behind; 0: never */
	FM_SET_QUIET_DAYS,  /* diff: quiet after N days without a commit */
	FM_SET_SHOW_DEPTH,  /* show: directory depth */
	FM_SET_SHOW_LIMIT,  /* show: patches listed; 0: all */
	FM_SET_COUNT
} fm_setting;

typedef struct fm_setting_info {
	const char *option; /* "--top" */
	const char *key;    /* "github.top" in forkmap.conf, NULL: none */
	long long def;	    /* within [min, max], or 0: "none"/"automatic" */
	long long min;
	long long max;
} fm_setting_info;

/* The entry of one setting; NULL for an id out of range. */
const fm_setting_info *fm_setting_get(fm_setting id);

/*
 * FM_EINVAL with "--top wants a whole number from 1 to 100000, not 0"
 * (the option's words: the library and the CLI say the same) when v is
 * outside the setting's limits, else 0.
 */
int fm_setting_check(fm_ctx *ctx, fm_setting id, long long v);

/* Numeric defaults (the table's `def`). */
#define FM_DEFAULT_TOP 50
#define FM_DEFAULT_DEPTH 1
#define FM_DEFAULT_MAX_WAIT 3600
#define FM_DEFAULT_CONCURRENCY 1
#define FM_DEFAULT_FETCH_PARALLEL 4
#define FM_DEFAULT_TIMEOUT 120
#define FM_DEFAULT_DPI 150
#define FM_DEFAULT_SEED 1
#define FM_DEFAULT_IDLE_MONTHS 6
#define FM_DEFAULT_BASE_MONTHS 24
#define FM_DEFAULT_QUIET_DAYS 90
#define FM_DEFAULT_SHOW_DEPTH 2

/* Defaults that are not numbers. */
#define FM_DEFAULT_RELEASE_REGEX "^v?[0-9]+\\.[0-9]+\\.[0-9]+$"
#define FM_DEFAULT_DESCRIBE         \
	{                           \
		"v[0-9]*", "[0-9]*" \
	}
#define FM_DEFAULT_SKIP             \
	{                           \
		"staging", "*-next" \
	}
#define FM_DEFAULT_LOCAL "refs/heads/forks/*"
#define FM_DEFAULT_GITHUB_API "https://api.github.com"
#define FM_DEFAULT_BRANCHES "default"
#define FM_DEFAULT_STORE_NAME "forkmap.db" /* in the repository's git dir */

/* Limits that are not options. */
#define FM_LIMIT_CSV_BYTES (256 << 20) /* a census CSV read by render */
/* Forks a figure draws without --top: the heaviest this many (render
 * warns and the subtitle says how many were left out). Past it a figure
 * is unreadable on any slide and graphviz's time and memory grow fast. */
#define FM_LIMIT_RENDER_FORKS 2000

#ifdef __cplusplus
}
#endif
#endif
