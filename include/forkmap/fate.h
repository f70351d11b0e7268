#ifndef FORKMAP_FATE_H
#define FORKMAP_FATE_H
/*
 * A fork's fate: what became of it, at a glance. Computed from a census
 * row's stored fields and "now" (never stored), once, here; the stale
 * report, the figure, CSV and JSON all ask this module.
 *
 *	fm_fate_opts o = FM_FATE_OPTS_INIT;
 *
 *	o.now = fm_fate_now(ctx, census);   (the census time, else the clock)
 *	for (i = 0; i < census->nrows; i++)
 *		puts(fm_fate_name(fm_fate_of(census, &census->rows[i], &o)));
 *
 * The rules, in order ("work" is `unique`, or `ahead` when unique is
 * unknown, as in a seed CSV):
 * - none: the row has an error or a skip reason;
 * - merged: no work left (everything it carried is upstream);
 * - quiet: work, and the last commit is idle_months or more before now
 *   (abandoned downstreams: the stale report's list);
 * - hard fork: work, recent commits, but the merge base is base_months or
 *   more older than the upstream tip (it left and lives on its own, like
 *   OpenTofu; base_months 0 disables the rule);
 * - active: work, recent commits, tracking upstream.
 * A row without a head date is never quiet; without a merge base date
 * (its base_date stands in) or an upstream tip date, never a hard fork.
 * Months are average Gregorian months (30.4375 days), whole days counted.
 */
#include "census.h"
#include "settings.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fm_fate {
	FM_FATE_NONE = 0, /* error or skipped: no fate */
	FM_FATE_ACTIVE = 1,
	FM_FATE_HARD_FORK = 2,
	FM_FATE_QUIET = 3,
	FM_FATE_MERGED = 4,
} fm_fate;

#define FM_FATE_COUNT 5

typedef struct fm_fate_opts {
	int64_t now;	 /* "today", epoch seconds */
	int idle_months; /* quiet after this many months (--months) */
	int base_months; /* hard fork: merge base this far behind the tip
			    (--base-months); 0: never */
} fm_fate_opts;

#define FM_FATE_OPTS_INIT                                         \
	{                                                         \
		0, FM_DEFAULT_IDLE_MONTHS, FM_DEFAULT_BASE_MONTHS \
	}

/* The fate of one row of `census` (which gives the upstream tip date). */
fm_fate fm_fate_of(const fm_census *census, const fm_row *row,
		   const fm_fate_opts *opts);

/* "active", "hard_fork", "quiet", "merged"; "" for none (CSV, JSON). */
const char *fm_fate_name(fm_fate fate);
/* "active", "hard fork", ... for people (legends, tables). */
const char *fm_fate_label(fm_fate fate);

/* Whole days from `from` to `to` (negative when to is earlier). */
long fm_fate_days(int64_t from, int64_t to);
/* A number of months as whole days, as the rules count them. */
long fm_fate_months_days(int months);

/*
 * The "now" fates of a stored census are judged at: the time the census
 * finished (so a stored run reads the same tomorrow), else the context's
 * clock.
 */
int64_t fm_fate_now(fm_ctx *ctx, const fm_census *census);

#ifdef __cplusplus
}
#endif
#endif
