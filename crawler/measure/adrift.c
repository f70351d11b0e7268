/*
 * `--branches most-adrift` (include/forkmap/census.h): of every fork's
 * branches, the row of the one most adrift from upstream.
 */
#include <stdlib.h>
#include <string.h>

#include <forkmap/census.h>

static int measured(const fm_row *r)
{
	return !r->error && !r->skipped;
}

static long work(const fm_row *r)
{
	return r->patches >= 0 ? r->patches : r->unique;
}

static long lines(const fm_row *r)
{
	return (r->insertions > 0 ? r->insertions : 0) +
	       (r->deletions > 0 ? r->deletions : 0);
}

/* 1 when b is more adrift than a (the best so far). */
static int more_adrift(const fm_row *a, const fm_row *b)
{
	if (measured(a) != measured(b))
		return measured(b);
	if (!measured(b))
		return 0;
	if (work(a) != work(b))
		return work(b) > work(a);
	return lines(b) > lines(a);
}

static int same_fork(const fm_row *a, const fm_row *b)
{
	return a->source == b->source && !strcmp(a->name, b->name);
}

int fm_census_keep_most_adrift(fm_ctx *ctx, fm_census *census)
{
	size_t i, k, kept = 0;
	uint8_t *done = calloc(census->nrows ? census->nrows : 1, 1);

	if (!done)
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	for (i = 0; i < census->nrows; i++) {
		size_t best = i;

		if (done[i])
			continue;
		for (k = i + 1; k < census->nrows; k++)
			if (!done[k] &&
			    same_fork(&census->rows[i], &census->rows[k])) {
				done[k] = 1;
				if (more_adrift(&census->rows[best],
						&census->rows[k]))
					best = k;
			}
		/* the winner takes the place of the fork's first row */
		if (best != i) {
			fm_row t = census->rows[i];

			census->rows[i] = census->rows[best];
			census->rows[best] = t;
		}
		done[i] = 2;
	}
	for (i = 0; i < census->nrows; i++) {
		if (done[i] == 2)
			census->rows[kept++] = census->rows[i];
		else
			fm_row_clear(&census->rows[i]);
	}
	census->nrows = kept;
	free(done);
	return 0;
}
