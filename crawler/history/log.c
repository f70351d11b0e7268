/*
 * The store's history: its good runs, and one fork followed across them
 * (see include/forkmap/history.h).
 */
#include <stdlib.h>
#include <string.h>

#include <forkmap/diff.h>
#include <forkmap/history.h>

#include "history/names.h"

#include "core/buf.h"

int fm_history_good_runs(fm_ctx *ctx, fm_store *store, fm_run_info **out,
			 size_t *n)
{
	fm_run_info *runs;
	size_t count, i, kept = 0;
	int rc;

	if ((rc = fm_store_list_runs(ctx, store, &runs, &count)) < 0)
		return rc;
	for (i = 0; i < count; i++) {
		if (runs[i].error) { /* a failed run is never a default */
			free(runs[i].upstream);
			free(runs[i].branch);
			free(runs[i].error);
			continue;
		}
		runs[kept++] = runs[i];
	}
	*out = runs;
	*n = kept;
	return 0;
}

int fm_history_names_row(const char *fork, const fm_row *r)
{
	size_t ln = strlen(r->name);

	if (strcmp(fork, r->name) == 0)
		return 1;
	return strncmp(fork, r->name, ln) == 0 &&
	       (fork[ln] == ':' || fork[ln] == '/') &&
	       strcmp(fork + ln + 1, r->branch) == 0;
}

static int same_fork(const fm_row *x, const fm_row *y)
{
	return x->source == y->source && strcmp(x->name, y->name) == 0 &&
	       strcmp(x->branch, y->branch) == 0;
}

/* Moves row r (its strings) to the end of h's rows; r is left empty. */
static int take_row(fm_history *h, size_t *alloc, int64_t run_id, int64_t when,
		    fm_row *r)
{
	fm_census *c = h->rows_;

	if (c->nrows == *alloc) {
		size_t na = *alloc ? *alloc * 2 : 16;
		fm_row *rows = realloc(c->rows, na * sizeof(*rows));
		fm_history_entry *e =
			realloc(h->entries, na * sizeof(*h->entries));

		if (rows)
			c->rows = rows;
		if (e)
			h->entries = e;
		if (!rows || !e)
			return -1;
		*alloc = na;
	}
	c->rows[c->nrows++] = *r;
	memset(r, 0, sizeof(*r));
	h->entries[h->n].run_id = run_id;
	h->entries[h->n].when = when;
	h->n++;
	return 0;
}

/* FM_EINVAL naming each fork fork matches once. */
static int ambiguous(fm_ctx *ctx, const char *fork, const fm_history *h)
{
	const fm_census *c = h->rows_;
	fm_buf b = FM_BUF_INIT;
	size_t i, k;
	int rc;

	for (i = 0; i < c->nrows; i++) {
		for (k = 0; k < i && !same_fork(&c->rows[k], &c->rows[i]); k++)
			;
		if (k < i)
			continue;
		fm_buf_printf(&b, "%s%s:%s (%s)", b.len ? ", " : "",
			      c->rows[i].name, c->rows[i].branch,
			      fm_source_name(c->rows[i].source));
	}
	if (b.oom)
		rc = fm_error_set(ctx, FM_ENOMEM, "out of memory");
	else
		rc = fm_error_set(ctx, FM_EINVAL,
				  "fork '%s' names several forks: %s (give "
				  "NAME:BRANCH)",
				  fork, fm_buf_str(&b));
	fm_buf_clear(&b);
	return rc;
}

int fm_history_fork(fm_ctx *ctx, fm_store *store, const char *fork,
		    fm_history **out)
{
	fm_run_info *runs = NULL;
	fm_census *census = NULL;
	fm_history *h;
	size_t nruns = 0, alloc = 0, i, k;
	int rc;

	*out = NULL;
	if (!(h = calloc(1, sizeof(*h))) ||
	    !(h->rows_ = calloc(1, sizeof(*h->rows_)))) {
		free(h);
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	}
	if ((rc = fm_history_good_runs(ctx, store, &runs, &nruns)) < 0)
		goto done;
	if (!nruns) {
		rc = fm_error_set(ctx, FM_ENOTFOUND,
				  "no census run in the store yet");
		goto done;
	}
	/* runs come newest first; the history reads oldest first */
	for (i = nruns; i-- > 0;) {
		if ((rc = fm_store_load_census(ctx, store, runs[i].id,
					       &census)) < 0)
			goto done;
		for (k = 0; k < census->nrows; k++) {
			if (!fm_history_names_row(fork, &census->rows[k]))
				continue;
			if (take_row(h, &alloc, runs[i].id,
				     fm_diff_census_time(census),
				     &census->rows[k]) < 0) {
				rc = fm_error_set(ctx, FM_ENOMEM,
						  "out of memory");
				goto done;
			}
		}
		fm_census_free(census);
		census = NULL;
	}
	if (!h->n) {
		rc = fm_error_set(ctx, FM_EINVAL,
				  "fork '%s' is in no census run (give NAME, "
				  "NAME:BRANCH or NAME/BRANCH)",
				  fork);
		goto done;
	}
	for (i = 1; i < h->n; i++)
		if (!same_fork(&h->rows_->rows[0], &h->rows_->rows[i])) {
			rc = ambiguous(ctx, fork, h);
			goto done;
		}
	/* the rows array has stopped moving: point into it */
	for (i = 0; i < h->n; i++)
		h->entries[i].row = &h->rows_->rows[i];
	*out = h;
	h = NULL;
	rc = 0;
done:
	fm_census_free(census);
	fm_run_info_free(runs, nruns);
	fm_history_free(h);
	return rc;
}

void fm_history_free(fm_history *history)
{
	if (!history)
		return;
	fm_census_free(history->rows_);
	free(history->entries);
	free(history);
}
