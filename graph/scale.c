/* Legend scales: calendar ticks, round numbers, compact labels. */
#include <math.h>
#include <stdio.h>
#include <time.h>

#include "scale.h"

/* Months since January 1970 of the month holding t (UTC). */
static int64_t month_of(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm))
		return 0;
	return ((int64_t)tm.tm_year - 70) * 12 + tm.tm_mon;
}

static int64_t month_start(int64_t month)
{
	struct tm tm = {0};
	int64_t y = month >= 0 ? month / 12 : -((-month + 11) / 12);

	tm.tm_year = (int)(y + 70);
	tm.tm_mon = (int)(month - y * 12);
	tm.tm_mday = 1;
	return (int64_t)timegm(&tm);
}

/* Floor and ceiling division for possibly negative month numbers. */
static int64_t div_floor(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

size_t fm_scale_date_ticks(int64_t tmin, int64_t tmax, size_t max, int64_t *out)
{
	static const int64_t steps[] = {1,  2,	 3,   4,   6,	 12,  24,
					60, 120, 240, 600, 1200, 2400};
	int64_t first, last, step = 0, a, b, m;
	size_t i, n = 0;

	if (!max || tmax < tmin)
		return 0;
	first = month_of(tmin);
	if (month_start(first) < tmin)
		first++;
	last = month_of(tmax);
	if (last < first)
		return 0;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		step = steps[i];
		a = -div_floor(-first, step); /* ceil(first / step) */
		b = div_floor(last, step);
		if (b - a + 1 <= (int64_t)max)
			break;
	}
	a = -div_floor(-first, step);
	b = div_floor(last, step);
	for (m = a; m <= b && n < max; m++)
		out[n++] = month_start(m * step);
	return n;
}

size_t fm_scale_day_ticks(int64_t tmin, int64_t tmax, size_t max, int64_t *out)
{
	static const int64_t steps[] = {1, 2, 7, 14};
	/* 1970-01-05 was a Monday: weeks are counted from it */
	const int64_t day = 86400, monday = 4;
	int64_t first = 0, last = 0, step = 1, d;
	size_t i, n = 0;

	if (!max || tmax < tmin)
		return 0;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		int64_t off = steps[i] >= 7 ? monday : 0;

		step = steps[i];
		first = -div_floor(-(div_floor(tmin + day - 1, day) - off),
				   step); /* ceil, in steps */
		last = div_floor(div_floor(tmax, day) - off, step);
		if (last - first + 1 <= (int64_t)max)
			break;
	}
	for (d = first; d <= last && n < max; d++)
		out[n++] = (d * step + (step >= 7 ? monday : 0)) * day;
	return n;
}

char *fm_scale_month(int64_t t, char *buf)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) ||
	    !strftime(buf, FM_SCALE_MONTH_MAX, "%Y-%m", &tm))
		buf[0] = '\0';
	return buf;
}

char *fm_scale_day(int64_t t, char *buf)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) ||
	    !strftime(buf, FM_SCALE_DAY_MAX, "%Y-%m-%d", &tm))
		buf[0] = '\0';
	return buf;
}

double fm_scale_nice_floor(double v)
{
	double p;

	if (!(v >= 1))
		return 0;
	p = pow(10, floor(log10(v)));
	/* guard against log10 landing just below an exact power */
	if (p * 10 <= v)
		p *= 10;
	if (v >= 5 * p)
		return 5 * p;
	if (v >= 2 * p)
		return 2 * p;
	return p;
}

char *fm_scale_compact(double v, char *buf, size_t n)
{
	static const struct {
		double base;
		const char *suffix;
	} units[] = {{1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		double x = v / units[i].base;

		if (fabs(v) < units[i].base * 0.9995)
			continue;
		if (fabs(x) < 9.95 && fabs(x - round(x)) > 0.05)
			snprintf(buf, n, "%.1f%s", x, units[i].suffix);
		else
			snprintf(buf, n, "%.0f%s", x, units[i].suffix);
		return buf;
	}
	snprintf(buf, n, "%.0f", v);
	return buf;
}
