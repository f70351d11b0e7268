/*
 * Legends under the network, as pinned nodes (they render the same in SVG,
 * PNG and PDF): reference circles for node area, sample strokes for edge
 * width, the date colour bar with calendar ticks, and a swatch for nodes
 * without a date.
 *
 * Text and spacing grow with the scale k, so a big network shrunk onto a
 * slide keeps a readable legend; the reference circles and strokes never
 * do, since they must compare with the nodes and edges they explain.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colormap.h"
#include "figure.h"
#include "label.h"
#include "scale.h"

/* Lengths in points at k = 1. */
#define GAP 48.0       /* between legend blocks */
#define CAPTION_H 22.0 /* caption line */
#define BAR_W 260.0    /* colour bar */
#define BAR_H 14.0
#define BAR_SEGMENTS 16	  /* gradients approximating viridis */
#define BAR_MARGIN 28.0	  /* room for tick labels past the ends */
#define TICK_SPACING 58.0 /* least distance between tick labels */
#define TICK_FONTSIZE 11.0
#define SAMPLE_LEN 56.0 /* edge sample length */
#define MAX_REFS 3

typedef struct legend {
	fm_figure *f;
	fm_ctx *ctx;
	Agraph_t *g;
	const fm_model *m;
	const fm_theme *theme;
	double k; /* scale of text and spacing */
	int dry;  /* measure only, add nothing */
} legend;

/* Text width as graphviz lays it out (the box it will draw). */
static double text_w(const legend *l, const char *s, double size)
{
	return fm_gv_text_width(l->f->gvc, FM_FONT, size * l->k, s) + 4;
}

static Agnode_t *new_node(legend *l, const char *kind)
{
	char id[48];
	Agnode_t *n;

	snprintf(id, sizeof(id), "legend_%s_%d", kind, l->f->serial++);
	if (!(n = agnode(l->g, id, 1)))
		fm_error_set(l->ctx, FM_ENOMEM,
			     "out of memory drawing legends");
	return n;
}

/* A line of text centred at (x, y). */
static int text(legend *l, const char *s, double size, const char *color,
		double x, double y)
{
	char *esc = fm_label_html(s, 0);
	fm_buf b = FM_BUF_INIT;
	int error = 0;

	if (!esc)
		return fm_figure_oom(l->f);
	fm_buf_printf(&b, "<FONT POINT-SIZE=\"%.2f\" COLOR=\"%s\">%s</FONT>",
		      size * l->k, color, esc);
	free(esc);
	if (b.oom)
		error = fm_figure_oom(l->f);
	else if (!fm_figure_text_node(l->f, "text", fm_buf_str(&b), x, y))
		error = FM_ENOMEM;
	fm_buf_clear(&b);
	return error;
}

static int caption(legend *l, const char *s, double x, double width, double top)
{
	return text(l, s, FM_FONTSIZE_LEGEND, l->theme->muted, x + width / 2,
		    top - l->k * CAPTION_H / 2);
}

/* A shape pinned with its centre at (x, y), w x h points. */
static Agnode_t *shape(legend *l, const char *kind, const char *shape, double x,
		       double y, double w, double h)
{
	Agnode_t *n = new_node(l, kind);

	if (!n)
		return NULL;
	if (fm_gv_set(l->ctx, n, "shape", shape) < 0 ||
	    fm_gv_set(l->ctx, n, "fixedsize", "true") < 0 ||
	    fm_gv_set_num(l->ctx, n, "width", 4, w / 72.0) < 0 ||
	    fm_gv_set_num(l->ctx, n, "height", 4, h / 72.0) < 0 ||
	    fm_gv_pin(l->ctx, n, x, y) < 0)
		return NULL;
	return n;
}

static int circle(legend *l, double diameter, const char *fill, double x,
		  double y)
{
	Agnode_t *n = shape(l, "size", "circle", x, y, diameter, diameter);
	int error;

	if (!n)
		return FM_ENOMEM;
	if ((error = fm_gv_set(l->ctx, n, "fillcolor", fill)) < 0 ||
	    (error = fm_gv_set(l->ctx, n, "color", l->theme->fork_border)) < 0)
		return error;
	return 0;
}

/* A line from (x0, y0) to (x1, y1) between invisible pinned points. */
static int stroke(legend *l, double pen, double x0, double y0, double x1,
		  double y1, const char *color)
{
	Agnode_t *a = new_node(l, "edge_end"), *b = new_node(l, "edge_end");
	Agedge_t *e;
	int error;

	if (!a || !b)
		return FM_ENOMEM;
	if ((error = fm_gv_set(l->ctx, a, "shape", "point")) < 0 ||
	    (error = fm_gv_set(l->ctx, a, "style", "invis")) < 0 ||
	    (error = fm_gv_set(l->ctx, a, "width", "0.01")) < 0 ||
	    (error = fm_gv_set(l->ctx, b, "shape", "point")) < 0 ||
	    (error = fm_gv_set(l->ctx, b, "style", "invis")) < 0 ||
	    (error = fm_gv_set(l->ctx, b, "width", "0.01")) < 0 ||
	    (error = fm_gv_pin(l->ctx, a, x0, y0)) < 0 ||
	    (error = fm_gv_pin(l->ctx, b, x1, y1)) < 0)
		return error;
	if (!(e = agedge(l->g, a, b, NULL, 1)))
		return fm_error_set(l->ctx, FM_ENOMEM,
				    "out of memory drawing legends");
	if ((error = fm_gv_set_num(l->ctx, e, "penwidth", 4, pen)) < 0)
		return error;
	return color ? fm_gv_set(l->ctx, e, "color", color) : 0;
}

int fm_figure_line(fm_figure *f, double pen, double x0, double y0, double x1,
		   double y1, const char *color)
{
	legend l;

	memset(&l, 0, sizeof(l));
	l.f = f;
	l.ctx = f->ctx;
	l.g = f->g;
	return stroke(&l, pen, x0, y0, x1, y1, color);
}

/* Up to MAX_REFS round values up to max, each visibly smaller. */
static size_t refs(double max, double *out,
		   double (*size)(double v, double max), double min_size)
{
	double v = fm_scale_nice_floor(max);
	size_t n = 0;

	while (v >= 1 && n < MAX_REFS) {
		if (n && size(v, max) <= min_size + 1e-6)
			break;
		if (!n || v < out[n - 1])
			out[n++] = v;
		v = fm_scale_nice_floor(v / 4);
	}
	return n;
}

static double width_of(double v, double max)
{
	return fm_model_width(v, max);
}

static double pen_of(double v, double max)
{
	return fm_model_penwidth(v, max, FM_PEN_FORK_MIN, FM_PEN_FORK_MAX);
}

/* Node area: reference circles side by side, bottoms aligned. */
static int size_block(legend *l, double x, double top, double *width)
{
	const fm_model *m = l->m;
	const char *title = m->size_basis == FM_SIZE_TREE_LINES
				    ? "node area: lines of code"
				    : "node area: lines changed";
	double v[MAX_REFS], w[MAX_REFS], slot[MAX_REFS], total = 0;
	double gap = 18 * l->k, cx, base;
	char num[MAX_REFS][32];
	size_t i, n;
	int error;

	*width = 0;
	if (!(n = refs(m->value_max, v, width_of, FM_NODE_WIDTH_MIN)))
		return 0;
	for (i = 0; i < n; i++) {
		w[i] = fm_model_width(v[i], m->value_max) * 72.0;
		fm_scale_compact(v[i], num[i], sizeof(num[i]));
		/* a label wider than its circle widens the slot */
		slot[i] = fmax(w[i], text_w(l, num[i], FM_FONTSIZE_LEGEND - 1));
		total += slot[i] + (i ? gap : 0);
	}
	*width = fmax(total, text_w(l, title, FM_FONTSIZE_LEGEND));
	if (l->dry)
		return 0;
	if ((error = caption(l, title, x, *width, top)) < 0)
		return error;
	base = top - l->k * (CAPTION_H + 4) - w[0];
	cx = x + (*width - total) / 2;
	for (i = 0; i < n; i++) {
		double c = cx + slot[i] / 2;

		if ((error = circle(l, w[i], l->theme->legend_fill, c,
				    base + w[i] / 2)) < 0 ||
		    (error = text(l, num[i], FM_FONTSIZE_LEGEND - 1,
				  l->theme->fg, c, base - 12 * l->k)) < 0)
			return error;
		cx += slot[i] + gap;
	}
	return 0;
}

/* Edge width: sample strokes, thickest on top. */
static int edge_block(legend *l, double x, double top, double *width)
{
	const fm_model *m = l->m;
	char title[64];
	double v[MAX_REFS], y, labels = 0, inner, len = SAMPLE_LEN * l->k;
	char num[MAX_REFS][32];
	size_t i, n;
	int error;

	snprintf(title, sizeof(title), "edge width: %s",
		 fm_model_weight_words(m->weight));
	*width = 0;
	if (!(n = refs(m->weight_max, v, pen_of, FM_PEN_FORK_MIN)))
		return 0;
	for (i = 0; i < n; i++) {
		fm_scale_compact(v[i], num[i], sizeof(num[i]));
		labels =
			fmax(labels, text_w(l, num[i], FM_FONTSIZE_LEGEND - 1));
	}
	inner = len + 10 * l->k + labels;
	*width = fmax(inner, text_w(l, title, FM_FONTSIZE_LEGEND));
	if (l->dry)
		return 0;
	if ((error = caption(l, title, x, *width, top)) < 0)
		return error;
	x += (*width - inner) / 2;
	y = top - l->k * (CAPTION_H + 12);
	for (i = 0; i < n; i++, y -= 22 * l->k) {
		double tw = text_w(l, num[i], FM_FONTSIZE_LEGEND - 1);

		if ((error = stroke(l, pen_of(v[i], m->weight_max), x, y,
				    x + len, y, NULL)) < 0 ||
		    (error = text(l, num[i], FM_FONTSIZE_LEGEND - 1,
				  l->theme->fg, x + len + 10 * l->k + tw / 2,
				  y)) < 0)
			return error;
	}
	return 0;
}

typedef struct tick {
	double f; /* where on the bar, [0, 1] */
	char text[FM_SCALE_DAY_MAX];
} tick;

static double bar_f(const fm_model *m, int64_t t)
{
	return (double)(t - m->date_min) / (double)(m->date_max - m->date_min);
}

static size_t bar_ticks(const fm_model *m, tick *out)
{
	/* fraction of the bar between two labels */
	const double spacing = TICK_SPACING / BAR_W;
	int64_t t[8];
	size_t max, i, n = 0;

	if (m->date_max <= m->date_min) { /* one date: in the middle */
		out[0].f = 0.5;
		fm_scale_day(m->date_min, out[0].text);
		return 1;
	}
	/* as many calendar ticks as fit without labels colliding */
	for (max = (size_t)(1 / spacing) + 1; max >= 2; max--) {
		n = fm_scale_date_ticks(m->date_min, m->date_max, max, t);
		for (i = 1; i < n; i++)
			if (bar_f(m, t[i]) - bar_f(m, t[i - 1]) < spacing)
				break;
		if (i >= n)
			break;
	}
	if (n < 2) { /* under two months: calendar days or weeks */
		for (max = (size_t)(1 / spacing) + 1; max >= 2; max--) {
			n = fm_scale_day_ticks(m->date_min, m->date_max, max,
					       t);
			for (i = 1; i < n; i++)
				if (bar_f(m, t[i]) - bar_f(m, t[i - 1]) <
				    spacing * 1.6) /* day labels are longer */
					break;
			if (i >= n)
				break;
		}
		for (i = 0; i < n; i++) {
			out[i].f = bar_f(m, t[i]);
			fm_scale_day(t[i], out[i].text);
		}
		return n;
	}
	for (i = 0; i < n; i++) {
		out[i].f = bar_f(m, t[i]);
		fm_scale_month(t[i], out[i].text);
	}
	return n;
}

/*
 * The date colour bar: viridis as gradient segments that overlap a little
 * (no hairline seams between them in PNG), under a thin frame that hides
 * the anti-aliased edges, with calendar ticks below.
 */
static int color_block(legend *l, double x, double top, double *width)
{
	const fm_model *m = l->m;
	const char *title = "colour: date of the last commit";
	double bw = BAR_W * l->k, bh = BAR_H * l->k, seg = bw / BAR_SEGMENTS;
	double x0, yc, ybot;
	char fill[2 * FM_COLOR_HEX_MAX + 1], a[FM_COLOR_HEX_MAX],
		b[FM_COLOR_HEX_MAX];
	tick ticks[8];
	size_t nt, i;
	Agnode_t *n;
	int error;

	*width = 0;
	if (!m->has_dates)
		return 0;
	*width = fmax(bw + 2 * BAR_MARGIN * l->k,
		      text_w(l, title, FM_FONTSIZE_LEGEND));
	if (l->dry)
		return 0;
	x0 = x + (*width - bw) / 2;
	yc = top - l->k * (CAPTION_H + 4) - bh / 2;
	ybot = yc - bh / 2;
	if ((error = caption(l, title, x, *width, top)) < 0)
		return error;
	for (i = 0; i < BAR_SEGMENTS; i++) {
		fm_color_hex(fm_colormap_viridis((double)i / BAR_SEGMENTS), a);
		fm_color_hex(
			fm_colormap_viridis((double)(i + 1) / BAR_SEGMENTS), b);
		snprintf(fill, sizeof(fill), "%s:%s", a, b);
		/* 1pt into the next segment, which is drawn over it */
		if (!(n = shape(l, "colorbar", "box",
				x0 + (i + 0.5) * seg +
					(i + 1 < BAR_SEGMENTS ? 0.5 : 0),
				yc, seg + (i + 1 < BAR_SEGMENTS ? 1 : 0), bh)))
			return FM_ENOMEM;
		if ((error = fm_gv_set(l->ctx, n, "fillcolor", fill)) < 0 ||
		    (error = fm_gv_set(l->ctx, n, "color", "transparent")) <
			    0 ||
		    (error = fm_gv_set(l->ctx, n, "penwidth", "0")) < 0)
			return error;
	}
	if (!(n = shape(l, "colorbar_frame", "box", x0 + bw / 2, yc, bw, bh)))
		return FM_ENOMEM;
	if ((error = fm_gv_set(l->ctx, n, "style", "solid")) < 0 ||
	    (error = fm_gv_set(l->ctx, n, "color", l->theme->muted)) < 0 ||
	    (error = fm_gv_set_num(l->ctx, n, "penwidth", 4, 0.8 * l->k)) < 0)
		return error;
	nt = bar_ticks(m, ticks);
	for (i = 0; i < nt; i++) {
		double tx = x0 + ticks[i].f * bw;

		if ((error = stroke(l, l->k, tx, ybot, tx, ybot - 5 * l->k,
				    l->theme->muted)) < 0 ||
		    (error = text(l, ticks[i].text, TICK_FONTSIZE, l->theme->fg,
				  tx, ybot - 15 * l->k)) < 0)
			return error;
	}
	return 0;
}

/* "no date": the grey of nodes without one, when there are such. */
static int unknown_block(legend *l, double x, double top, double *width)
{
	const char *title = "no date";
	double d = 20 * l->k, tw = text_w(l, title, FM_FONTSIZE_LEGEND - 1);
	double y = top - l->k * (CAPTION_H + 4 + BAR_H / 2);
	size_t i;
	int error;
	char grey[FM_COLOR_HEX_MAX];

	*width = 0;
	for (i = 0; i < l->m->nnodes; i++)
		if (!l->m->nodes[i].date.set)
			break;
	if (i == l->m->nnodes)
		return 0;
	*width = d + 6 * l->k + tw;
	if (l->dry)
		return 0;
	if ((error = circle(l, d, fm_color_hex(FM_COLOR_UNKNOWN, grey),
			    x + d / 2, y)) < 0 ||
	    (error = text(l, title, FM_FONTSIZE_LEGEND - 1, l->theme->fg,
			  x + d + 6 * l->k + tw / 2, y)) < 0)
		return error;
	return 0;
}

/* The trunk: a sample of its thickest and thinnest strokes. */
static int trunk_block(legend *l, double x, double top, double *width)
{
	const fm_model *m = l->m;
	const char *title = "trunk: releases in date order";
	const char *what = m->trunk_basis == FM_TRUNK_LINES
				   ? "width: lines changed"
				   : "width: time between";
	double len = SAMPLE_LEN * l->k, y, inner;
	int error;

	*width = 0;
	if (m->ntrunk < 2)
		return 0;
	inner = len + 10 * l->k + text_w(l, what, FM_FONTSIZE_LEGEND - 1);
	*width = fmax(inner, text_w(l, title, FM_FONTSIZE_LEGEND));
	if (l->dry)
		return 0;
	if ((error = caption(l, title, x, *width, top)) < 0)
		return error;
	x += (*width - inner) / 2;
	y = top - l->k * (CAPTION_H + 12);
	if ((error = stroke(l, FM_PEN_TRUNK_MAX, x, y, x + len, y,
			    l->theme->trunk_edge)) < 0 ||
	    (error = stroke(l, FM_PEN_TRUNK_MIN, x, y - 22 * l->k, x + len,
			    y - 22 * l->k, l->theme->trunk_edge)) < 0 ||
	    (error = text(l, what, FM_FONTSIZE_LEGEND - 1, l->theme->fg,
			  x + inner -
				  text_w(l, what, FM_FONTSIZE_LEGEND - 1) / 2,
			  y - 11 * l->k)) < 0)
		return error;
	return 0;
}

/* Fates: a sample node outlined as each fate shown is. */
static int fate_block(legend *l, double x, double top, double *width)
{
	static const fm_fate order[] = {FM_FATE_ACTIVE, FM_FATE_HARD_FORK,
					FM_FATE_QUIET, FM_FATE_MERGED};
	const char *title = "outline: fate";
	double d = 18 * l->k, y = top - l->k * (CAPTION_H + 12), row = 0;
	size_t i;
	int error;

	*width = 0;
	for (i = 0; i < 4; i++)
		if (l->m->fates[order[i]])
			row = fmax(row,
				   d + 6 * l->k +
					   text_w(l, fm_fate_label(order[i]),
						  FM_FONTSIZE_LEGEND - 1));
	if (row == 0)
		return 0;
	*width = fmax(row, text_w(l, title, FM_FONTSIZE_LEGEND));
	if (l->dry)
		return 0;
	if ((error = caption(l, title, x, *width, top)) < 0)
		return error;
	x += (*width - row) / 2;
	for (i = 0; i < 4; i++) {
		fm_fate_style st = fm_fate_style_of(order[i], l->theme);
		const char *label = fm_fate_label(order[i]);
		double tw = text_w(l, label, FM_FONTSIZE_LEGEND - 1);
		Agnode_t *n;

		if (!l->m->fates[order[i]])
			continue;
		if (!(n = shape(l, "fate", "circle", x + d / 2, y, d, d)))
			return FM_ENOMEM;
		if ((error = fm_gv_set(l->ctx, n, "style", st.style)) < 0 ||
		    (error = fm_gv_set(l->ctx, n, "fillcolor",
				       l->theme->legend_fill)) < 0 ||
		    (error = fm_gv_set(l->ctx, n, "color", st.color)) < 0 ||
		    (error = fm_gv_set_num(l->ctx, n, "penwidth", 1,
					   st.penwidth)) < 0 ||
		    (error = text(l, label, FM_FONTSIZE_LEGEND - 1,
				  l->theme->fg, x + d + 6 * l->k + tw / 2, y)) <
			    0)
			return error;
		y -= d + 6 * l->k;
	}
	return 0;
}

typedef int (*block_fn)(legend *l, double x, double top, double *width);

int fm_legend_add(fm_figure *f, double k, double cx, double top)
{
	static const block_fn blocks[] = {size_block,	 edge_block,
					  trunk_block,	 color_block,
					  unknown_block, fate_block};
	const size_t nblocks = sizeof(blocks) / sizeof(blocks[0]);
	legend l;
	double w, total = 0, x;
	size_t i;
	int error;

	memset(&l, 0, sizeof(l));
	l.f = f;
	l.ctx = f->ctx;
	l.g = f->g;
	l.m = f->m;
	l.theme = f->theme;
	l.k = k > 0 ? k : 1;
	/* measure first, to centre the row under the network */
	l.dry = 1;
	for (i = 0; i < nblocks; i++) {
		if ((error = blocks[i](&l, 0, 0, &w)) < 0)
			return error;
		if (w > 0)
			total += w + (total > 0 ? GAP * l.k : 0);
	}
	l.dry = 0;
	x = cx - total / 2;
	for (i = 0; i < nblocks; i++) {
		if ((error = blocks[i](&l, x, top, &w)) < 0)
			return error;
		if (w > 0)
			x += w + GAP * l.k;
	}
	return 0;
}
