/*
 * The fork network model: trunk of releases in date order ending at the
 * upstream tip, forks hanging from their release (see render.h for the
 * rule), sizes, edge widths and colours normalised for the figure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/settings.h>
#include <forkmap/util.h>

#include "colormap.h"
#include "model.h"

/* A fork row that passed the filters. */
typedef struct cand {
	const fm_row *row;
	size_t index; /* in census->rows, the last tie-breaker */
	double weight;
	size_t trunk; /* index in the trunk list, FM_MODEL_NONE: tip; once
			 the nodes exist, the node it hangs from */
	int at_point; /* hangs from a fork point */
	size_t seg;   /* its point: the sorted stops [0, seg) are older */
	const char *after, *before; /* its point's label */
	int64_t point_date;	    /* its point's: the earliest merge base */
} cand;

/* A trunk node while the trunk is assembled. */
typedef struct stop {
	const char *tag; /* NULL: the tip */
	fm_date date;
	long tree_lines;
	int derived;  /* named by rows only: its date is a row's */
	int keep;     /* a fork hangs from it or a fork point is next to it */
	size_t index; /* before sorting */
} stop;

typedef struct stops {
	stop *items;
	size_t count;
	size_t alloc;
} stops;

static const char *str(const char *s)
{
	return s ? s : "";
}

static double count(long v)
{
	return v > 0 ? (double)v : 0.0;
}

double fm_model_row_weight(const fm_row *row, fm_render_weight w)
{
	switch (w) {
	case FM_WEIGHT_UNIQUE:
		return count(row->unique);
	case FM_WEIGHT_PATCHES:
		return count(row->patches);
	case FM_WEIGHT_LINES:
		return count(row->insertions) + count(row->deletions);
	case FM_WEIGHT_AHEAD:
	default:
		return count(row->ahead);
	}
}

const char *fm_model_weight_words(fm_render_weight w)
{
	switch (w) {
	case FM_WEIGHT_LINES:
		return "lines changed";
	case FM_WEIGHT_UNIQUE:
		return "unique commits";
	case FM_WEIGHT_PATCHES:
		return "distinct patches";
	case FM_WEIGHT_AHEAD:
	default:
		return "commits ahead";
	}
}

double fm_model_width(double value, double value_max)
{
	double w;

	if (!(value > 0) || !(value_max > 0))
		return FM_NODE_WIDTH_TRUNK;
	/* area proportional to value: diameter grows with its square root */
	w = FM_NODE_WIDTH_MAX * sqrt(value / value_max);
	if (w < FM_NODE_WIDTH_MIN)
		w = FM_NODE_WIDTH_MIN;
	if (w > FM_NODE_WIDTH_MAX)
		w = FM_NODE_WIDTH_MAX;
	return w;
}

double fm_model_penwidth(double weight, double weight_max, double min,
			 double max)
{
	double p;

	if (!(weight > 0) || !(weight_max > 0))
		return min;
	p = max * weight / weight_max;
	if (p < min)
		p = min;
	if (p > max)
		p = max;
	return p;
}

/* Heaviest first; ties by name, branch, then row order: deterministic. */
static int cmp_weight(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	int c;

	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	if ((c = strcmp(str(x->row->name), str(y->row->name))) != 0)
		return c;
	if ((c = strcmp(str(x->row->branch), str(y->row->branch))) != 0)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Forks grouped by the node they hang from, then by name. */
static int cmp_attach(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	int c;

	if (x->trunk != y->trunk)
		return x->trunk < y->trunk ? -1 : 1;
	if ((c = strcmp(str(x->row->name), str(y->row->name))) != 0)
		return c;
	if ((c = strcmp(str(x->row->branch), str(y->row->branch))) != 0)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Dated releases by date, undated ones after them; ties in version order. */
static int cmp_stop(const void *a, const void *b)
{
	const stop *x = a, *y = b;

	if (x->date.set != y->date.set)
		return x->date.set ? -1 : 1;
	if (x->date.set && x->date.time != y->date.time)
		return x->date.time < y->date.time ? -1 : 1;
	return fm_version_cmp(x->tag, y->tag);
}

static size_t stops_find(const stops *s, const char *tag)
{
	size_t i;

	for (i = 0; i < s->count; i++)
		if (!strcmp(s->items[i].tag, tag))
			return i;
	return FM_MODEL_NONE;
}

static int stops_add(stops *s, const char *tag, const fm_date *date,
		     long tree_lines)
{
	stop *st;

	if (s->count == s->alloc) {
		size_t n = s->alloc ? s->alloc * 2 : 16;
		stop *items = realloc(s->items, n * sizeof(*items));

		if (!items)
			return FM_ENOMEM;
		s->items = items;
		s->alloc = n;
	}
	st = &s->items[s->count++];
	memset(st, 0, sizeof(*st));
	st->tag = tag;
	if (date)
		st->date = *date;
	st->tree_lines = tree_lines > 0 ? tree_lines : 0;
	return 0;
}

static const fm_date *later(const fm_date *a, const fm_date *b)
{
	if (!a->set)
		return b;
	if (!b->set)
		return a;
	return b->time > a->time ? b : a;
}

/*
 * The tag a fork hangs from, or NULL for the tip. `have_releases`: the
 * census knows releases at all; without that (a seed CSV) the base tag
 * stands in for the release.
 */
static const char *fork_base(const fm_census *census, const fm_row *row,
			     int have_releases)
{
	if (row->merge_base[0] && census->head[0] &&
	    !strcmp(row->merge_base, census->head))
		return NULL;
	if (row->release && row->release[0])
		return row->release;
	if (!have_releases && row->base_tag && row->base_tag[0])
		return row->base_tag;
	return NULL;
}

/* Find or derive the trunk stop of a fork; *out is FM_MODEL_NONE: tip. */
static int attach(stops *s, const fm_census *census, const fm_row *row,
		  int have_releases, size_t *out)
{
	const char *tag = fork_base(census, row, have_releases);
	const fm_date *date;
	size_t i;
	int error;

	*out = FM_MODEL_NONE;
	if (!tag)
		return 0;
	/* The base tag's date is exact; a release above it is at least as
	 * late as every merge base it contains. */
	date = &row->base_date;
	if (row->base_tag && strcmp(tag, row->base_tag) != 0)
		date = later(&row->base_date, &row->merge_base_date);
	i = stops_find(s, tag);
	if (i == FM_MODEL_NONE) {
		if ((error = stops_add(s, tag, date, 0)) < 0)
			return error;
		i = s->count - 1;
		s->items[i].derived = 1;
	} else if (s->items[i].derived) {
		s->items[i].date = *later(&s->items[i].date, date);
	}
	*out = i;
	return 0;
}

/* Did the fork leave exactly at the release (its merge base is the
 * release's commit)? Without commits, the base tag and dates tell. */
static int leaves_at(const fm_census *census, const fm_row *row,
		     const char *tag)
{
	size_t i;

	for (i = 0; i < census->nreleases; i++) {
		const fm_release *rel = &census->releases[i];

		if (rel->tag && !strcmp(rel->tag, tag) && rel->commit[0] &&
		    row->merge_base[0])
			return !strcmp(rel->commit, row->merge_base);
	}
	return row->base_tag && !strcmp(row->base_tag, tag) &&
	       row->base_date.set &&
	       row->base_date.time == row->merge_base_date.time;
}

static const char *nonempty(const char *s)
{
	return s && s[0] ? s : NULL;
}

static int strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return !a - !b;
	return strcmp(a, b);
}

/* Fork points in trunk order: segment, then label; equal keys are one
 * point (forks that left at nearby points, grouped). */
static int cmp_point_key(const cand *x, const cand *y)
{
	int c;

	if (x->seg != y->seg)
		return x->seg < y->seg ? -1 : 1;
	if ((c = strcmp_null(x->after, y->after)) != 0)
		return c;
	return strcmp_null(x->before, y->before);
}

static int cmp_point(const void *a, const void *b)
{
	const cand *x = *(const cand *const *)a, *y = *(const cand *const *)b;
	int c = cmp_point_key(x, y);

	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Then points in date order within a segment, each one's forks kept
 * together. */
static int cmp_point_date(const void *a, const void *b)
{
	const cand *x = *(const cand *const *)a, *y = *(const cand *const *)b;

	if (x->seg != y->seg)
		return x->seg < y->seg ? -1 : 1;
	if (x->point_date != y->point_date)
		return x->point_date < y->point_date ? -1 : 1;
	return cmp_point(a, b);
}

/* Where on the sorted trunk a merge base dated `mb` falls: the stops
 * [0, seg) are not newer than it. */
static size_t segment_of(const stops *s, const fm_date *mb)
{
	size_t i;

	for (i = 0; i < s->count; i++)
		if (!s->items[i].date.set || s->items[i].date.time > mb->time)
			break;
	return i;
}

static int set_title(fm_model *m, const fm_census *census,
		     const fm_render_opts *opts)
{
	const char *up = census->upstream;
	size_t n;

	if (opts->title) {
		m->title = strdup(opts->title);
	} else if (up && up[0]) {
		n = strlen(up) + sizeof(" forks");
		if ((m->title = malloc(n)) != NULL)
			snprintf(m->title, n, "%s forks", up);
	} else {
		m->title = strdup("Fork network");
	}
	return m->title ? 0 : FM_ENOMEM;
}

static void set_colors(fm_model *m)
{
	size_t i;
	int first = 1;

	for (i = 0; i < m->nnodes; i++) {
		const fm_date *d = &m->nodes[i].date;

		if (!d->set)
			continue;
		if (first || d->time < m->date_min)
			m->date_min = d->time;
		if (first || d->time > m->date_max)
			m->date_max = d->time;
		first = 0;
	}
	m->has_dates = !first;
	for (i = 0; i < m->nnodes; i++) {
		fm_node *n = &m->nodes[i];

		if (!n->date.set) {
			n->t = -1.0;
			n->fill = FM_COLOR_UNKNOWN;
		} else {
			/* one date only: the middle of the scale */
			n->t = m->date_max > m->date_min
				       ? (double)(n->date.time - m->date_min) /
						 (double)(m->date_max -
							  m->date_min)
				       : 0.5;
			n->fill = fm_colormap_viridis(n->t);
		}
		n->text = fm_color_text_on(n->fill);
	}
}

static void set_sizes(fm_model *m)
{
	size_t i, tip_forks = 0;
	int known = 0, unknown = 0;

	for (i = m->ntrunk; i < m->nnodes; i++)
		tip_forks += m->nodes[i].parent == m->tip;
	/* Tree lines are the measure when every trunk node that carries a
	 * fork knows them (a census from the store); a CSV has none. */
	for (i = 0; i < m->ntrunk; i++) {
		const fm_node *n = &m->nodes[i];

		if (n->tree_lines > 0)
			known++;
		else if (n->kind == FM_NODE_RELEASE || tip_forks)
			unknown++;
	}
	m->size_basis =
		known && !unknown ? FM_SIZE_TREE_LINES : FM_SIZE_LINES_CHANGED;
	for (i = 0; i < m->nnodes; i++) {
		fm_node *n = &m->nodes[i];
		const fm_row *r = n->row;
		double v;

		if (n->kind == FM_NODE_POINT) {
			v = 0; /* fixed size, not in the size legend */
		} else if (n->kind != FM_NODE_FORK) {
			v = m->size_basis == FM_SIZE_TREE_LINES
				    ? (double)n->tree_lines
				    : 0.0;
		} else if (m->size_basis == FM_SIZE_TREE_LINES) {
			v = (double)m->nodes[n->parent].tree_lines +
			    count(r->insertions) - count(r->deletions);
		} else {
			v = count(r->insertions) + count(r->deletions);
			if (v == 0)
				v = count(r->ahead);
		}
		if (n->kind == FM_NODE_FORK && v < 1)
			v = 1; /* floored: a fork never vanishes */
		n->value = v;
		if (v > m->value_max)
			m->value_max = v;
	}
	for (i = 0; i < m->nnodes; i++)
		m->nodes[i].width = m->nodes[i].kind == FM_NODE_POINT
					    ? FM_NODE_WIDTH_POINT
					    : fm_model_width(m->nodes[i].value,
							     m->value_max);
}

static double days_between(const fm_date *a, const fm_date *b)
{
	if (!a->set || !b->set)
		return 0.0;
	return fabs((double)(b->time - a->time)) / 86400.0;
}

/* The release (or tip) nearest to trunk node i in direction step (-1:
 * older, +1: newer), fork points skipped; FM_MODEL_NONE when none. */
static size_t trunk_stop(const fm_model *m, size_t i, int step)
{
	for (; i < m->ntrunk; i += (size_t)step)
		if (m->nodes[i].kind != FM_NODE_POINT)
			return i;
	return FM_MODEL_NONE;
}

static void set_edges(fm_model *m)
{
	double max = 0;
	size_t i, prev = FM_MODEL_NONE;

	/* Trunk: lines changed between consecutive releases when every
	 * step has a known, non-zero change; else the time between them.
	 * Fork points split a step without changing its width. */
	m->trunk_basis =
		m->ntrunk > m->npoints + 1 ? FM_TRUNK_LINES : FM_TRUNK_DAYS;
	for (i = 0; i < m->ntrunk; i++) {
		const fm_node *b = &m->nodes[i];

		if (b->kind == FM_NODE_POINT)
			continue;
		if (prev != FM_MODEL_NONE) {
			const fm_node *a = &m->nodes[prev];

			if (a->tree_lines <= 0 || b->tree_lines <= 0 ||
			    a->tree_lines == b->tree_lines)
				m->trunk_basis = FM_TRUNK_DAYS;
		}
		prev = i;
	}
	for (i = 1; i < m->ntrunk; i++) {
		fm_node *b = &m->nodes[i];
		size_t lo = trunk_stop(m, i - 1, -1), hi = trunk_stop(m, i, 1);

		if (m->trunk_basis == FM_TRUNK_LINES && lo != FM_MODEL_NONE &&
		    hi != FM_MODEL_NONE)
			b->weight = fabs((double)m->nodes[hi].tree_lines -
					 (double)m->nodes[lo].tree_lines);
		else
			b->weight =
				days_between(&m->nodes[i - 1].date, &b->date);
		if (b->weight > max)
			max = b->weight;
	}
	for (i = 1; i < m->ntrunk; i++)
		m->nodes[i].penwidth =
			fm_model_penwidth(m->nodes[i].weight, max,
					  FM_PEN_TRUNK_MIN, FM_PEN_TRUNK_MAX);
	m->trunk_weight_max = max;
	for (i = m->ntrunk; i < m->nnodes; i++)
		if (m->nodes[i].weight > m->weight_max)
			m->weight_max = m->nodes[i].weight;
	for (i = m->ntrunk; i < m->nnodes; i++)
		m->nodes[i].penwidth =
			fm_model_penwidth(m->nodes[i].weight, m->weight_max,
					  FM_PEN_FORK_MIN, FM_PEN_FORK_MAX);
}

void fm_model_free(fm_model *model)
{
	if (!model)
		return;
	free(model->nodes);
	free(model->title);
	free(model);
}

int fm_model_build(fm_ctx *ctx, const fm_census *census,
		   const fm_render_opts *opts, fm_model **out)
{
	fm_render_opts defaults = FM_RENDER_OPTS_INIT;
	fm_model *m = NULL;
	cand *cands = NULL, **points = NULL;
	stops trunk = {NULL, 0, 0};
	size_t *sorted = NULL;
	size_t i, j, ncand = 0, ntip = 0, nkept, npoints = 0;
	fm_fate_opts fo = FM_FATE_OPTS_INIT;
	int have_releases, want_tip, error = FM_ENOMEM;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if ((unsigned)opts->weight > FM_WEIGHT_PATCHES)
		return fm_error_set(ctx, FM_EINVAL, "unknown edge weight %d",
				    (int)opts->weight);
	if (!census || (census->nrows && !census->rows))
		return fm_error_set(ctx, FM_EINVAL, "no census to render");
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (census->nrows &&
	     (cands = calloc(census->nrows, sizeof(*cands))) == NULL))
		goto nomem;
	m->tip = FM_MODEL_NONE;
	m->weight = opts->weight;
	fo.now = opts->now ? opts->now : fm_fate_now(ctx, census);
	if (set_title(m, census, opts) < 0)
		goto nomem;

	/* Rows worth drawing, after --since. */
	have_releases = census->nreleases > 0;
	for (i = 0; i < census->nrows; i++) {
		const fm_row *r = &census->rows[i];

		if (r->error || r->skipped)
			continue;
		m->nmeasured++;
		if (r->release && r->release[0])
			have_releases = 1;
		if (opts->since.set && (!r->head_date.set ||
					r->head_date.time < opts->since.time)) {
			m->hidden_since++;
			continue;
		}
		cands[ncand].row = r;
		cands[ncand].index = i;
		cands[ncand].weight = fm_model_row_weight(r, opts->weight);
		ncand++;
	}
	/* --top: the heaviest N */
	if (ncand)
		qsort(cands, ncand, sizeof(*cands), cmp_weight);
	nkept = ncand;
	if (opts->top && opts->top < ncand) {
		m->hidden_top = ncand - opts->top;
		nkept = opts->top;
	} else if (!opts->top && ncand > FM_LIMIT_RENDER_FORKS) {
		/* a huge network: the heaviest, said so (render.c warns) */
		m->hidden_top = ncand - FM_LIMIT_RENDER_FORKS;
		nkept = FM_LIMIT_RENDER_FORKS;
		m->capped = 1;
	}

	/* The trunk: known releases, then those only rows name. */
	for (i = 0; i < census->nreleases; i++) {
		const fm_release *rel = &census->releases[i];

		if (!rel->tag || !rel->tag[0] ||
		    stops_find(&trunk, rel->tag) != FM_MODEL_NONE)
			continue;
		if (stops_add(&trunk, rel->tag, &rel->date, rel->tree_lines) <
		    0)
			goto nomem;
	}
	for (i = 0; i < nkept; i++)
		if ((error = attach(&trunk, census, cands[i].row, have_releases,
				    &cands[i].trunk)) < 0)
			goto nomem;
	for (i = 0; i < trunk.count; i++)
		trunk.items[i].index = i; /* remember, then sort */
	if (trunk.count)
		qsort(trunk.items, trunk.count, sizeof(*trunk.items), cmp_stop);
	if (!(sorted = calloc(trunk.count + 1, sizeof(*sorted))) ||
	    !(points = calloc(nkept + 1, sizeof(*points))))
		goto nomem;
	for (i = 0; i < trunk.count; i++)
		sorted[trunk.items[i].index] = i;

	/* Which forks hang from a release or the tip, and which from a
	 * fork point at their merge base (see render.h). */
	for (i = 0; i < nkept; i++) {
		cand *c = &cands[i];
		const fm_row *r = c->row;
		int at_tip = r->merge_base[0] && census->head[0] &&
			     !strcmp(r->merge_base, census->head);

		if (c->trunk != FM_MODEL_NONE)
			c->trunk = sorted[c->trunk];
		if (at_tip || !r->merge_base_date.set ||
		    (c->trunk != FM_MODEL_NONE &&
		     leaves_at(census, r, trunk.items[c->trunk].tag))) {
			if (c->trunk == FM_MODEL_NONE)
				ntip++;
			else
				trunk.items[c->trunk].keep = 1;
			continue;
		}
		c->seg = segment_of(&trunk, &r->merge_base_date);
		/* a release above the base tag contains the merge base: the
		 * point is before it; a release that is the base tag is
		 * below it: the point is after it (whatever the dates say) */
		if (c->trunk != FM_MODEL_NONE) {
			if (!r->base_tag ||
			    strcmp(r->base_tag, trunk.items[c->trunk].tag)) {
				if (c->seg > c->trunk)
					c->seg = c->trunk;
			} else if (c->seg <= c->trunk) {
				c->seg = c->trunk + 1;
			}
		}
		c->after = nonempty(r->base_tag);
		if (!c->after && c->seg > 0)
			c->after = trunk.items[c->seg - 1].tag;
		if (!c->after && c->seg < trunk.count)
			c->before = trunk.items[c->seg].tag;
		if (!c->after && !c->before) { /* no release at all */
			c->trunk = FM_MODEL_NONE;
			ntip++;
			continue;
		}
		c->at_point = 1;
		points[npoints++] = c;
		if (c->seg > 0)
			trunk.items[c->seg - 1].keep = 1;
		if (c->seg < trunk.count)
			trunk.items[c->seg].keep = 1;
	}
	if (npoints)
		qsort(points, npoints, sizeof(*points), cmp_point);
	for (i = 0; i < npoints; i = j) {
		int64_t first = points[i]->row->merge_base_date.time;

		for (j = i; j < npoints && !cmp_point_key(points[j], points[i]);
		     j++)
			if (points[j]->row->merge_base_date.time < first)
				first = points[j]->row->merge_base_date.time;
		while (i < j)
			points[i++]->point_date = first;
	}
	if (npoints)
		qsort(points, npoints, sizeof(*points), cmp_point_date);
	want_tip = ntip > 0 || census->head[0] || census->head_date.set ||
		   (nkept == 0 && trunk.count == 0);

	if ((m->nodes = calloc(trunk.count + 1 + npoints + nkept,
			       sizeof(*m->nodes))) == NULL)
		goto nomem;
	/* Releases nothing shown hangs from or sits next to are left out
	 * (unless nothing is shown at all: then the trunk alone is the
	 * figure); fork points go between them, in date order. */
	for (i = 0, j = 0; i <= trunk.count; i++) {
		while (j < npoints && points[j]->seg == i) {
			size_t first = j;
			fm_node *n = &m->nodes[m->nnodes];

			n->kind = FM_NODE_POINT;
			n->name = points[j]->after;
			n->branch = points[j]->before;
			n->date = points[j]->row->merge_base_date;
			n->parent = m->nnodes ? m->nnodes - 1 : FM_MODEL_NONE;
			/* sized like the release it comes after */
			n->tree_lines = i > 0 ? trunk.items[i - 1].tree_lines
					: i < trunk.count
						? trunk.items[i].tree_lines
						: 0;
			for (; j < npoints &&
			       !cmp_point_key(points[j], points[first]);
			     j++) {
				points[j]->trunk = m->nnodes;
				if (points[j]->row->merge_base_date.time <
				    n->date.time)
					n->date =
						points[j]->row->merge_base_date;
			}
			m->nnodes++;
			m->npoints++;
		}
		if (i < trunk.count) {
			stop *st = &trunk.items[i];
			fm_node *n;

			st->index = FM_MODEL_NONE;
			if (!st->keep && nkept)
				continue;
			n = &m->nodes[m->nnodes];
			n->kind = FM_NODE_RELEASE;
			n->name = st->tag;
			n->date = st->date;
			n->tree_lines = st->tree_lines;
			n->parent = m->nnodes ? m->nnodes - 1 : FM_MODEL_NONE;
			st->index = m->nnodes++; /* now: its node */
		}
	}
	if (want_tip) {
		fm_node *n = &m->nodes[m->nnodes];

		n->kind = FM_NODE_TIP;
		n->name = census->branch && census->branch[0] ? census->branch
							      : "upstream";
		n->date = census->head_date;
		n->tree_lines = census->head_tree_lines > 0
					? census->head_tree_lines
					: 0;
		n->parent = m->nnodes ? m->nnodes - 1 : FM_MODEL_NONE;
		m->tip = m->nnodes++;
	}
	m->ntrunk = m->nnodes;
	for (i = 0; i < nkept; i++)
		if (!cands[i].at_point)
			cands[i].trunk =
				cands[i].trunk == FM_MODEL_NONE
					? m->tip
					: trunk.items[cands[i].trunk].index;

	if (nkept)
		qsort(cands, nkept, sizeof(*cands), cmp_attach);
	for (j = 0; j < nkept; j++) {
		fm_node *n = &m->nodes[m->nnodes++];
		const fm_row *r = cands[j].row;

		n->kind = FM_NODE_FORK;
		n->name = str(r->name);
		n->branch = r->branch;
		n->row = r;
		n->date = r->head_date;
		n->parent = cands[j].trunk;
		n->weight = cands[j].weight;
		n->fate = fm_fate_of(census, r, &fo);
		m->fates[n->fate]++;
	}
	m->nforks = nkept;

	set_sizes(m);
	set_edges(m);
	set_colors(m);
	*out = m;
	m = NULL;
	error = 0;
	goto done;

nomem:
	error = fm_error_set(ctx, FM_ENOMEM,
			     "out of memory building the "
			     "fork network");
done:
	free(trunk.items);
	free(sorted);
	free(points);
	free(cands);
	fm_model_free(m);
	return error;
}
