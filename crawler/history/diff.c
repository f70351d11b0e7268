/* Comparing two census runs fork by fork (see include/forkmap/diff.h). */
#include <stdlib.h>
#include <string.h>

#include <forkmap/diff.h>

static const char *const kind_names[FM_CHANGE_KINDS] = {
	"new",	      "gone",  "moved", "rebased", "gained", "lost",
	"upstreamed", "quiet", "back",	"failing", "fixed",
};

const char *fm_change_kind_name(fm_change_kind kind)
{
	int i;

	for (i = 0; i < FM_CHANGE_KINDS; i++)
		if ((unsigned)kind == 1u << i)
			return kind_names[i];
	return NULL;
}

int64_t fm_diff_census_time(const fm_census *census)
{
	return census->finished ? census->finished : census->started;
}

/* A fork's identity, as the census deduplicates forks. */
static int identity_cmp(const fm_row *x, const fm_row *y)
{
	int c = strcmp(x->name ? x->name : "", y->name ? y->name : "");

	if (c)
		return c;
	if ((c = strcmp(x->branch ? x->branch : "",
			y->branch ? y->branch : "")))
		return c;
	return (int)x->source - (int)y->source;
}

static int row_ptr_cmp(const void *x, const void *y)
{
	return identity_cmp(*(const fm_row *const *)x,
			    *(const fm_row *const *)y);
}

/* The census's rows by identity; NULL (and *out untouched) when OOM. */
static const fm_row **sorted_rows(const fm_census *c)
{
	const fm_row **v = malloc((c->nrows ? c->nrows : 1) * sizeof(*v));
	size_t i;

	if (!v)
		return NULL;
	for (i = 0; i < c->nrows; i++)
		v[i] = &c->rows[i];
	qsort(v, c->nrows, sizeof(*v), row_ptr_cmp);
	return v;
}

/*
 * unique as far as the row knows it, -1 when it does not: a row skipped
 * for "ahead == 0" was never given its patch ids, but nothing ahead means
 * nothing unique (what upstream merging the whole branch leaves).
 */
static long known_unique(const fm_row *r)
{
	if (r->unique >= 0)
		return r->unique;
	return r->ahead == 0 ? 0 : -1;
}

static int quiet_at(const fm_row *r, int64_t when, int days)
{
	return r->head_date.set &&
	       when - r->head_date.time >= (int64_t)days * 86400;
}

static int differs(const char *x, const char *y)
{
	return *x && *y && strcmp(x, y) != 0;
}

static unsigned classify(const fm_row *a, const fm_row *b, int64_t ta,
			 int64_t tb, int days)
{
	unsigned k = 0;
	long ua, ub;

	if (!a)
		return FM_CHANGE_NEW | (b->error ? FM_CHANGE_FAILING : 0);
	if (!b)
		return FM_CHANGE_GONE;
	if (a->error || b->error) {
		if (!a->error)
			return FM_CHANGE_FAILING;
		return b->error ? 0 : FM_CHANGE_FIXED;
	}
	if (differs(a->head, b->head))
		k |= FM_CHANGE_MOVED;
	if (differs(a->merge_base, b->merge_base) ||
	    (!a->skipped && !b->skipped && a->release && b->release &&
	     strcmp(a->release, b->release) != 0))
		k |= FM_CHANGE_REBASED;
	ua = known_unique(a);
	ub = known_unique(b);
	if (ua >= 0 && ub > ua)
		k |= FM_CHANGE_GAINED;
	if (ub >= 0 && ua > ub) {
		k |= FM_CHANGE_LOST;
		if (*a->head && strcmp(a->head, b->head) == 0)
			k |= FM_CHANGE_UPSTREAMED;
	}
	if (a->head_date.set && !quiet_at(a, ta, days) && quiet_at(b, tb, days))
		k |= FM_CHANGE_QUIET;
	if ((k & FM_CHANGE_MOVED) && quiet_at(a, ta, days) &&
	    b->head_date.set && !quiet_at(b, tb, days))
		k |= FM_CHANGE_BACK;
	return k;
}

/* Appends a change when it has a kind; -1 when out of memory. */
static int add_change(fm_change **v, size_t *n, size_t *alloc, const fm_row *a,
		      const fm_row *b, unsigned kinds)
{
	if (!kinds)
		return 0;
	if (*n == *alloc) {
		size_t na = *alloc ? *alloc * 2 : 16;
		fm_change *nv = realloc(*v, na * sizeof(*nv));

		if (!nv)
			return -1;
		*v = nv;
		*alloc = na;
	}
	(*v)[*n].kinds = kinds;
	(*v)[*n].a = a;
	(*v)[*n].b = b;
	(*n)++;
	return 0;
}

int fm_diff_census(fm_ctx *ctx, const fm_census *a, const fm_census *b,
		   const fm_diff_opts *opts, fm_change **out, size_t *n)
{
	const fm_row **ra = NULL, **rb = NULL;
	fm_change *v = NULL;
	size_t i = 0, j = 0, count = 0, alloc = 0;
	int64_t ta = fm_diff_census_time(a), tb = fm_diff_census_time(b);
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = fm_setting_check(ctx, FM_SET_QUIET_DAYS, opts->quiet_days)) <
	    0)
		return rc;
	if (!(ra = sorted_rows(a)) || !(rb = sorted_rows(b)))
		goto nomem;
	/* a merge of the two sorted lists: equal identities are one fork */
	while (i < a->nrows || j < b->nrows) {
		const fm_row *x = i < a->nrows ? ra[i] : NULL;
		const fm_row *y = j < b->nrows ? rb[j] : NULL;
		int c = !x ? 1 : !y ? -1 : identity_cmp(x, y);

		if (c < 0)
			y = NULL;
		else if (c > 0)
			x = NULL;
		i += x != NULL;
		j += y != NULL;
		if (add_change(&v, &count, &alloc, x, y,
			       classify(x, y, ta, tb, opts->quiet_days)) < 0)
			goto nomem;
	}
	*out = count ? v : NULL;
	*n = count;
	if (!count)
		free(v);
	rc = 0;
	goto done;
nomem:
	free(v);
	rc = fm_error_set(ctx, FM_ENOMEM, "out of memory");
done:
	free(ra);
	free(rb);
	return rc;
}
