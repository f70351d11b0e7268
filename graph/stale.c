/* The stale report (see include/forkmap/stale.h). */
#include <stdlib.h>

#include <forkmap/stale.h>

#define DAY 86400L
#define MONTH_DAYS 30.4375 /* the average Gregorian month */

/* The work a row is ranked by: patches when asked and known. */
static long work(const fm_row *r, fm_stale_rank rank)
{
	return rank == FM_STALE_RANK_PATCHES && r->patches >= 0 ? r->patches
								: r->unique;
}

static int by_work_then_idle(const void *a, const void *b)
{
	const fm_stale *x = a, *y = b;

	if (x->work != y->work)
		return x->work > y->work ? -1 : 1;
	if (x->row->unique != y->row->unique)
		return x->row->unique > y->row->unique ? -1 : 1;
	if (x->idle_days != y->idle_days)
		return x->idle_days > y->idle_days ? -1 : 1;
	return 0;
}

int fm_stale_find(fm_ctx *ctx, const fm_census *census,
		  const fm_stale_opts *opts, fm_stale **out, size_t *n)
{
	long idle_limit = (long)(opts->idle_months * MONTH_DAYS);
	long base_limit = (long)(opts->base_months * MONTH_DAYS);
	fm_stale *list;
	size_t i, k = 0;

	*out = NULL;
	*n = 0;
	if (opts->idle_months < 0 || opts->base_months < 0)
		return fm_error_set(ctx, FM_EINVAL,
				    "stale: months must not be negative");
	list = calloc(census->nrows ? census->nrows : 1, sizeof(*list));
	if (!list)
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	for (i = 0; i < census->nrows; i++) {
		const fm_row *r = &census->rows[i];
		fm_stale s = {r, 0, -1, -1, work(r, opts->rank)};

		if (r->error || r->skipped || r->unique <= 0)
			continue;
		if (r->head_date.set) {
			s.idle_days =
				(long)((opts->now - r->head_date.time) / DAY);
			if (s.idle_days >= idle_limit)
				s.reasons |= FM_STALE_QUIET;
		}
		if (r->merge_base_date.set && census->head_date.set) {
			s.base_days = (long)((census->head_date.time -
					      r->merge_base_date.time) /
					     DAY);
			if (opts->base_months && s.base_days >= base_limit)
				s.reasons |= FM_STALE_BEHIND;
		}
		if (s.reasons)
			list[k++] = s;
	}
	if (!k) {
		free(list);
		return 0;
	}
	qsort(list, k, sizeof(*list), by_work_then_idle);
	*out = list;
	*n = k;
	return 0;
}
