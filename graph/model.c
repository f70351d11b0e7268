/*
 * The fork network model: trunk of releases in date order ending at the
 * upstream tip, forks hanging from their release (see render.h for the
 * rule), sizes, edge widths and colours normalised for the figure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/util.h>

#include "colormap.h"
#include "model.h"

/* A fork row that passed the filters. */
typedef struct cand {
	const fm_row *row;
	size_t index; /* in census->rows, the last tie-breaker */
	double weight;
	size_t trunk; /* index in the trunk list, FM_MODEL_NONE: tip */
} cand;

/* A trunk node while the trunk is assembled. */
typedef struct stop {
	const char *tag; /* NULL: the tip */
	fm_date date;
	long tree_lines;
	size_t nforks;
	int derived;  /* named by rows only: its date is a row's */
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

		if (n->kind != FM_NODE_FORK) {
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
		m->nodes[i].width =
			fm_model_width(m->nodes[i].value, m->value_max);
}

static double days_between(const fm_date *a, const fm_date *b)
{
	if (!a->set || !b->set)
		return 0.0;
	return fabs((double)(b->time - a->time)) / 86400.0;
}

static void set_edges(fm_model *m)
{
	double max = 0;
	size_t i;

	/* Trunk: lines changed between consecutive nodes when every step
	 * has a known, non-zero change; else the time between them. */
	m->trunk_basis = m->ntrunk > 1 ? FM_TRUNK_LINES : FM_TRUNK_DAYS;
	for (i = 1; i < m->ntrunk; i++) {
		const fm_node *a = &m->nodes[i - 1], *b = &m->nodes[i];

		if (a->tree_lines <= 0 || b->tree_lines <= 0 ||
		    a->tree_lines == b->tree_lines)
			m->trunk_basis = FM_TRUNK_DAYS;
	}
	for (i = 1; i < m->ntrunk; i++) {
		fm_node *a = &m->nodes[i - 1], *b = &m->nodes[i];

		b->weight = m->trunk_basis == FM_TRUNK_LINES
				    ? fabs((double)b->tree_lines -
					   (double)a->tree_lines)
				    : days_between(&a->date, &b->date);
		if (b->weight > max)
			max = b->weight;
	}
	for (i = 1; i < m->ntrunk; i++)
		m->nodes[i].penwidth =
			fm_model_penwidth(m->nodes[i].weight, max,
					  FM_PEN_TRUNK_MIN, FM_PEN_TRUNK_MAX);
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
	cand *cands = NULL;
	stops trunk = {NULL, 0, 0};
	size_t i, j, ncand = 0, ntip = 0, nkept;
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
	for (i = 0; i < nkept; i++) {
		if ((error = attach(&trunk, census, cands[i].row, have_releases,
				    &cands[i].trunk)) < 0)
			goto nomem;
		if (cands[i].trunk == FM_MODEL_NONE)
			ntip++;
		else
			trunk.items[cands[i].trunk].nforks++;
	}
	/* Releases nothing shown hangs from are left out (unless nothing
	 * is shown at all: then the trunk alone is the figure). */
	for (i = 0; i < trunk.count; i++)
		trunk.items[i].index = i; /* remember, then sort */
	if (trunk.count)
		qsort(trunk.items, trunk.count, sizeof(*trunk.items), cmp_stop);
	want_tip = ntip > 0 || census->head[0] || census->head_date.set ||
		   (nkept == 0 && trunk.count == 0);

	if ((m->nodes = calloc(trunk.count + 1 + nkept, sizeof(*m->nodes))) ==
	    NULL)
		goto nomem;
	{
		/* old trunk index -> node index (FM_MODEL_NONE: pruned) */
		size_t *map = calloc(trunk.count + 1, sizeof(*map));

		if (!map)
			goto nomem;
		for (i = 0; i < trunk.count; i++) {
			const stop *st = &trunk.items[i];
			fm_node *n;

			map[st->index] = FM_MODEL_NONE;
			if (!st->nforks && nkept)
				continue;
			n = &m->nodes[m->nnodes];
			n->kind = FM_NODE_RELEASE;
			n->name = st->tag;
			n->date = st->date;
			n->tree_lines = st->tree_lines;
			n->parent = m->nnodes ? m->nnodes - 1 : FM_MODEL_NONE;
			map[st->index] = m->nnodes++;
		}
		if (want_tip) {
			fm_node *n = &m->nodes[m->nnodes];

			n->kind = FM_NODE_TIP;
			n->name = census->branch && census->branch[0]
					  ? census->branch
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
			cands[i].trunk = cands[i].trunk == FM_MODEL_NONE
						 ? m->tip
						 : map[cands[i].trunk];
		free(map);
	}

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
	free(cands);
	fm_model_free(m);
	return error;
}
