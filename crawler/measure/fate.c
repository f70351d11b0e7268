/* Fates of forks (see include/forkmap/fate.h). */
#include <forkmap/fate.h>

#define DAY 86400L
#define MONTH_DAYS 30.4375 /* the average Gregorian month */

static const char *const names[FM_FATE_COUNT] = {
	[FM_FATE_NONE] = "",
	[FM_FATE_ACTIVE] = "active",
	[FM_FATE_HARD_FORK] = "hard_fork",
	[FM_FATE_QUIET] = "quiet",
	[FM_FATE_MERGED] = "merged",
};

static const char *const labels[FM_FATE_COUNT] = {
	[FM_FATE_NONE] = "",
	[FM_FATE_ACTIVE] = "active",
	[FM_FATE_HARD_FORK] = "hard fork",
	[FM_FATE_QUIET] = "quiet",
	[FM_FATE_MERGED] = "merged",
};

const char *fm_fate_name(fm_fate fate)
{
	return (unsigned)fate < FM_FATE_COUNT ? names[fate] : "";
}

const char *fm_fate_label(fm_fate fate)
{
	return (unsigned)fate < FM_FATE_COUNT ? labels[fate] : "";
}

long fm_fate_days(int64_t from, int64_t to)
{
	return (long)((to - from) / DAY);
}

long fm_fate_months_days(int months)
{
	return (long)(months * MONTH_DAYS);
}

int64_t fm_fate_now(fm_ctx *ctx, const fm_census *census)
{
	if (census && census->finished > 0)
		return census->finished;
	return fm_ctx_now(ctx);
}

fm_fate fm_fate_of(const fm_census *census, const fm_row *row,
		   const fm_fate_opts *opts)
{
	const fm_date *base;
	long work;

	if (row->error || row->skipped)
		return FM_FATE_NONE;
	work = row->unique >= 0 ? row->unique : row->ahead;
	if (work <= 0)
		return FM_FATE_MERGED;
	if (row->head_date.set &&
	    fm_fate_days(row->head_date.time, opts->now) >=
		    fm_fate_months_days(opts->idle_months))
		return FM_FATE_QUIET;
	base = row->merge_base_date.set ? &row->merge_base_date
					: &row->base_date;
	if (opts->base_months > 0 && base->set && census &&
	    census->head_date.set &&
	    fm_fate_days(base->time, census->head_date.time) >=
		    fm_fate_months_days(opts->base_months))
		return FM_FATE_HARD_FORK;
	return FM_FATE_ACTIVE;
}
