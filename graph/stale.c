/* The stale report (see include/forkmap/stale.h), from the forks' fates. */
#include <stdlib.h>

#include <forkmap/stale.h>

/* The work a row is ranked by: patches when asked and known. */
static long work(const fm_row *r, fm_stale_rank rank)
{
	return rank == FM_STALE_RANK_PATCHES && r->patches >= 0 ? r->patches
								: r->unique;
}

/* Abandoned (quiet) forks first, then hard forks; within each, most
 * unmerged work (opts->rank), then more unique, then longest idle. */
static int by_fate_work_idle(const void *a, const void *b)
{
	const fm_stale *x = a, *y = b;

	if (x->fate != y->fate)
		return x->fate == FM_FATE_QUIET ? -1 : 1;
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
	fm_fate_opts fo = FM_FATE_OPTS_INIT;
	long base_limit;
	fm_stale *list;
	size_t i, k = 0;

	*out = NULL;
	*n = 0;
	if (opts->idle_months < 0 || opts->base_months < 0)
		return fm_error_set(ctx, FM_EINVAL,
				    "stale: months must not be negative");
	fo.now = opts->now;
	fo.idle_months = opts->idle_months;
	fo.base_months = opts->base_months;
	base_limit = fm_fate_months_days(opts->base_months);
	list = calloc(census->nrows ? census->nrows : 1, sizeof(*list));
	if (!list)
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	for (i = 0; i < census->nrows; i++) {
		const fm_row *r = &census->rows[i];
		fm_stale s = {r,  fm_fate_of(census, r, &fo), 0, -1,
			      -1, work(r, opts->rank)};

		/* the report is about unmerged work: unique, not ahead */
		if (r->unique <= 0 ||
		    (s.fate != FM_FATE_QUIET && s.fate != FM_FATE_HARD_FORK))
			continue;
		if (r->head_date.set)
			s.idle_days =
				fm_fate_days(r->head_date.time, opts->now);
		if (r->merge_base_date.set && census->head_date.set)
			s.base_days = fm_fate_days(r->merge_base_date.time,
						   census->head_date.time);
		if (s.fate == FM_FATE_QUIET)
			s.reasons |= FM_STALE_QUIET;
		if (s.fate == FM_FATE_HARD_FORK ||
		    (opts->base_months && s.base_days >= base_limit))
			s.reasons |= FM_STALE_BEHIND;
		list[k++] = s;
	}
	if (!k) {
		free(list);
		return 0;
	}
	qsort(list, k, sizeof(*list), by_fate_work_idle);
	*out = list;
	*n = k;
	return 0;
}
