#ifndef FM_GRAPH_SCALE_H
#define FM_GRAPH_SCALE_H
/*
 * Numbers for legends: date ticks on the colour bar, round reference values
 * for the size and edge legends, and their compact labels.
 *
 *	int64_t ticks[8];
 *	char label[FM_SCALE_MONTH_MAX];
 *	size_t i, n = fm_scale_date_ticks(tmin, tmax, 6, ticks);
 *
 *	for (i = 0; i < n; i++)
 *		puts(fm_scale_month(ticks[i], label));	// "2024-03"
 */
#include <stddef.h>
#include <stdint.h>

#define FM_SCALE_MONTH_MAX 16
#define FM_SCALE_DAY_MAX 16

/*
 * First days of months (00:00 UTC) in [tmin, tmax], every 1, 2, 3, 4 or 6
 * months or 1, 2, 5, 10... years (the smallest step that gives at most max
 * ticks), aligned to the calendar (years start in January, 6-month steps
 * in January and July). Writes up to max ticks into out; returns how many.
 * A range within one month gives 0 or 1.
 */
size_t fm_scale_date_ticks(int64_t tmin, int64_t tmax, size_t max,
			   int64_t *out);

/*
 * Midnights (UTC) in [tmin, tmax] every 1, 2, 7 or 14 days (weeks start on
 * Monday), the smallest step that gives at most max ticks: calendar ticks
 * for a range too short for months. Returns how many (up to max).
 */
size_t fm_scale_day_ticks(int64_t tmin, int64_t tmax, size_t max, int64_t *out);

/* "2024-03" (UTC) into buf (FM_SCALE_MONTH_MAX); returns buf. */
char *fm_scale_month(int64_t t, char *buf);
/* "2024-03-05" (UTC) into buf (FM_SCALE_DAY_MAX); returns buf. */
char *fm_scale_day(int64_t t, char *buf);

/* The largest 1, 2 or 5 x 10^k not above v; 0 for v < 1. */
double fm_scale_nice_floor(double v);

/* "950", "12k", "2.5M", "1.2G" into buf (n bytes); returns buf. */
char *fm_scale_compact(double v, char *buf, size_t n);

#endif
