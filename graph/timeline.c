/*
 * --layout timeline: x is the date. Trunk nodes sit on a horizontal axis
 * at their dates, forks at their head dates, stacked in rows above and
 * below the axis so that no two boxes (node or label, whichever is wider)
 * overlap; date ticks are drawn under the axis. Nodes without a date go
 * to the right end.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "figure.h"
#include "scale.h"

#define AXIS_LEN 14.0 * 72 /* points from the oldest to the newest date */
#define ROW_GAP 10.0	   /* between stacked boxes, points */
#define MAX_ROWS 4096

/* The width and height of a node's box, points (label included). */
static void box_of(fm_figure *f, size_t i, double *w, double *h)
{
	Agnode_t *n = f->nodes[i];

	*w = ND_width(n) * 72.0;
	*h = ND_height(n) * 72.0;
	if (ND_label(n) && ND_label(n)->dimen.x > *w)
		*w = ND_label(n)->dimen.x;
	if (ND_label(n) && ND_label(n)->dimen.y > *h)
		*h = ND_label(n)->dimen.y;
}

static int by_x(const void *a, const void *b, void *payload)
{
	const double *x = payload;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (x[i] != x[j])
		return x[i] < x[j] ? -1 : 1;
	return i < j ? -1 : i > j;
}

/* Rows 0, 1, 2, 3 ... sit at 0, +1, -1, +2, -2 ... row heights. */
static double row_y(size_t r, double row_h)
{
	double k = (double)((r + 1) / 2);

	return (r % 2 ? 1.0 : -1.0) * k * (row_h + ROW_GAP);
}

static void place(fm_figure *f, const size_t *order, size_t n, const double *w,
		  double row_h, double *row_end, size_t *nrows, int trunk)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t j = order[i], r;
		double left = f->x[j] - w[j] / 2;

		if ((f->m->nodes[j].kind != FM_NODE_FORK) != trunk)
			continue;
		for (r = trunk ? 0 : 1; r < *nrows; r++)
			if (row_end[r] + ROW_GAP <= left)
				break;
		if (r >= *nrows) {
			if (*nrows == MAX_ROWS)
				r = *nrows - 1; /* crowded beyond reason */
			else
				r = (*nrows)++;
		}
		row_end[r] = f->x[j] + w[j] / 2;
		f->y[j] = row_y(r, row_h);
	}
}

int fm_figure_timeline(fm_figure *f, GVC_t *gvc)
{
	const fm_model *m = f->m;
	double span = (double)(m->date_max - m->date_min), row_h = 0;
	double *w = NULL, *h = NULL, *row_end = NULL;
	size_t *order = NULL, i, nrows = 0;
	int error = 0;

	/* graphviz measures the labels (a layout that keeps positions);
	 * the positions are ours */
	for (i = 0; i < m->nnodes; i++)
		if ((error = fm_gv_pin(f->ctx, f->nodes[i], 0, 0)) < 0)
			return error;
	if (gvLayout(gvc, f->g, "nop") != 0)
		return fm_gv_failed(f->ctx, "graphviz layout");
	if (!(w = calloc(m->nnodes + 1, sizeof(*w))) ||
	    !(h = calloc(m->nnodes + 1, sizeof(*h))) ||
	    !(order = calloc(m->nnodes + 1, sizeof(*order))) ||
	    !(row_end = calloc(MAX_ROWS, sizeof(*row_end)))) {
		error = fm_figure_oom(f);
		goto done;
	}
	for (i = 0; i < m->nnodes; i++) {
		const fm_node *n = &m->nodes[i];

		box_of(f, i, &w[i], &h[i]);
		if (h[i] > row_h)
			row_h = h[i];
		f->x[i] =
			!n->date.set ? AXIS_LEN + 72
			: span > 0
				? AXIS_LEN *
					  (double)(n->date.time - m->date_min) /
					  span
				: AXIS_LEN / 2;
		f->y[i] = 0;
		order[i] = i;
	}
	for (i = 0; i < MAX_ROWS; i++)
		row_end[i] = -1e300;
	nrows = 1; /* the axis row */
	/* oldest first, each into the lowest row (alternating above and
	 * below the axis) whose last box ends left of it: the trunk first,
	 * on the axis where it fits, then the forks, off the axis */
	qsort_r(order, m->nnodes, sizeof(*order), by_x, f->x);
	place(f, order, m->nnodes, w, row_h, row_end, &nrows, 1);
	place(f, order, m->nnodes, w, row_h, row_end, &nrows, 0);
done:
	free(w);
	free(h);
	free(order);
	free(row_end);
	return error;
}

int fm_figure_axis(fm_figure *f, double k, double top, double *bottom)
{
	const fm_model *m = f->m;
	double span = (double)(m->date_max - m->date_min), y = top - 8 * k;
	int64_t ticks[12];
	char label[FM_SCALE_DAY_MAX];
	size_t i, n;
	int error;

	*bottom = top;
	if (!m->has_dates)
		return 0;
	if ((error = fm_figure_line(f, 1.2 * k, -10, y, AXIS_LEN + 10, y,
				    f->theme->muted)) < 0)
		return error;
	n = span > 0 ? fm_scale_date_ticks(m->date_min, m->date_max, 10, ticks)
		     : 0;
	if (!n) { /* one month or less: the ends, to the day */
		ticks[0] = m->date_min;
		ticks[1] = m->date_max;
		n = span > 0 ? 2 : 1;
	}
	for (i = 0; i < n; i++) {
		double x = span > 0 ? AXIS_LEN *
					      (double)(ticks[i] - m->date_min) /
					      span
				    : AXIS_LEN / 2;
		char html[64];

		if (span > 0 && fm_scale_date_ticks(m->date_min, m->date_max,
						    10, ticks) >= 2)
			fm_scale_month(ticks[i], label);
		else
			fm_scale_day(ticks[i], label);
		snprintf(html, sizeof(html),
			 "<FONT POINT-SIZE=\"%.2f\">%s</FONT>", 11 * k, label);
		if ((error = fm_figure_line(f, k, x, y, x, y - 6 * k,
					    f->theme->muted)) < 0)
			return error;
		if (!fm_figure_text_node(f, "axis", html, x, y - 18 * k))
			return FM_ENOMEM;
	}
	*bottom = y - 30 * k;
	return 0;
}
