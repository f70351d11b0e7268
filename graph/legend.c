/*
 * Legends under the network, as pinned nodes (they render the same in SVG,
 * PNG and PDF): reference circles for node area, sample strokes for edge
 * width, and the date colour bar (an HTML-like table of viridis cells with
 * year-month ticks).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colormap.h"
#include "figure.h"
#include "scale.h"
#include "textbuf.h"

#define GAP 48.0	    /* between legend blocks, points */
#define CAPTION_H 22.0	    /* caption line height */
#define CHAR_W 0.56	    /* average glyph width / font size */
#define BAR_CELLS 72	    /* colour bar cells */
#define BAR_CELL_W 4	    /* points */
#define BAR_H 16	    /* points */
#define TICK_HALF 8	    /* tick label half width, in cells */
#define TICK_FONTSIZE 11.0
#define SAMPLE_LEN 56.0	    /* edge sample length, points */
#define MAX_REFS 3

typedef struct legend {
	fm_ctx *ctx;
	Agraph_t *g;
	const fm_model *m;
	const fm_theme *theme;
	fm_textbuf buf;
	int serial;
} legend;

static double text_w(const char *s, double size)
{
	return (double)strlen(s) * size * CHAR_W;
}

static Agnode_t *new_node(legend *l, const char *kind)
{
	char id[48];
	Agnode_t *n;

	snprintf(id, sizeof(id), "legend_%s_%d", kind, l->serial++);
	if (!(n = agnode(l->g, id, 1)))
		fm_error_set(l->ctx, FM_ENOMEM, "out of memory drawing legends");
	return n;
}

/* A line of text centred at (x, y); text is ours, never a forge's. */
static int text(legend *l, const char *kind, const char *s, double size,
		const char *color, double x, double y)
{
	Agnode_t *n = new_node(l, kind);
	char fs[16];
	int error;

	if (!n)
		return FM_ENOMEM;
	snprintf(fs, sizeof(fs), "%.0f", size);
	if ((error = fm_gv_set(l->ctx, n, "shape", "plaintext")) < 0 ||
	    (error = fm_gv_set(l->ctx, n, "style", "solid")) < 0 ||
	    (error = fm_gv_set(l->ctx, n, "fixedsize", "false")) < 0 ||
	    (error = fm_gv_set(l->ctx, n, "width", "0.01")) < 0 ||
	    (error = fm_gv_set(l->ctx, n, "height", "0.01")) < 0 ||
	    (error = fm_gv_set(l->ctx, n, "label", s)) < 0 ||
	    (error = fm_gv_set(l->ctx, n, "fontsize", fs)) < 0 ||
	    (error = fm_gv_set(l->ctx, n, "fontcolor", color)) < 0 ||
	    (error = fm_gv_pin(l->ctx, n, x, y)) < 0)
		return error;
	return 0;
}

static int circle(legend *l, double diameter_pt, const char *fill,
		  double x, double y)
{
	Agnode_t *n = new_node(l, "size");
	char w[32];
	int error;

	if (!n)
		return FM_ENOMEM;
	snprintf(w, sizeof(w), "%.3f", diameter_pt / 72.0);
	if ((error = fm_gv_set(l->ctx, n, "fixedsize", "true")) < 0 ||
	    (error = fm_gv_set(l->ctx, n, "width", w)) < 0 ||
	    (error = fm_gv_set(l->ctx, n, "height", w)) < 0 ||
	    (error = fm_gv_set(l->ctx, n, "fillcolor", fill)) < 0 ||
	    (error = fm_gv_set(l->ctx, n, "color", l->theme->fork_border)) < 0 ||
	    (error = fm_gv_pin(l->ctx, n, x, y)) < 0)
		return error;
	return 0;
}

/* Up to MAX_REFS round values below max, each visibly smaller. */
static size_t refs(double max, double divisor, double *out,
		   double (*size)(double v, double max), double min_size)
{
	double v = fm_scale_nice_floor(max);
	size_t n = 0;

	while (v >= 1 && n < MAX_REFS) {
		if (n && size(v, max) <= min_size + 1e-6)
			break;
		if (!n || v < out[n - 1])
			out[n++] = v;
		v = fm_scale_nice_floor(v / divisor);
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
	const char *caption = m->size_basis == FM_SIZE_TREE_LINES
				      ? "node area: lines of code"
				      : "node area: lines changed";
	double v[MAX_REFS], w[MAX_REFS], total = 0, cx, base;
	size_t i, n;
	int error;

	*width = 0;
	n = refs(m->value_max, 4, v, width_of, FM_NODE_WIDTH_MIN);
	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		w[i] = fm_model_width(v[i], m->value_max) * 72.0;
		total += w[i] + (i ? 18 : 0);
	}
	*width = fmax(total, text_w(caption, FM_FONTSIZE_LEGEND));
	if ((error = text(l, "caption", caption, FM_FONTSIZE_LEGEND,
			  l->theme->muted, x + *width / 2,
			  top - CAPTION_H / 2)) < 0)
		return error;
	base = top - CAPTION_H - 4 - w[0];
	cx = x + (*width - total) / 2;
	for (i = 0; i < n; i++) {
		char num[32];

		if ((error = circle(l, w[i], l->theme->legend_fill,
				    cx + w[i] / 2, base + w[i] / 2)) < 0 ||
		    (error = text(l, "label",
				  fm_scale_compact(v[i], num, sizeof(num)),
				  FM_FONTSIZE_LEGEND - 1, l->theme->fg,
				  cx + w[i] / 2, base - 12)) < 0)
			return error;
		cx += w[i] + 18;
	}
	return 0;
}

static int stroke(legend *l, double pen, double x, double y)
{
	Agnode_t *a = new_node(l, "edge_end"), *b = new_node(l, "edge_end");
	Agedge_t *e;
	char pw[32];
	int error;

	if (!a || !b)
		return FM_ENOMEM;
	if ((error = fm_gv_set(l->ctx, a, "shape", "point")) < 0 ||
	    (error = fm_gv_set(l->ctx, a, "style", "invis")) < 0 ||
	    (error = fm_gv_set(l->ctx, a, "width", "0.01")) < 0 ||
	    (error = fm_gv_set(l->ctx, b, "shape", "point")) < 0 ||
	    (error = fm_gv_set(l->ctx, b, "style", "invis")) < 0 ||
	    (error = fm_gv_set(l->ctx, b, "width", "0.01")) < 0 ||
	    (error = fm_gv_pin(l->ctx, a, x, y)) < 0 ||
	    (error = fm_gv_pin(l->ctx, b, x + SAMPLE_LEN, y)) < 0)
		return error;
	if (!(e = agedge(l->g, a, b, "legend_edge", 1)))
		return fm_error_set(l->ctx, FM_ENOMEM,
				    "out of memory drawing legends");
	snprintf(pw, sizeof(pw), "%.2f", pen);
	return fm_gv_set(l->ctx, e, "penwidth", pw);
}

/* Edge width: sample strokes, thickest on top. */
static int edge_block(legend *l, double x, double top, double *width)
{
	const fm_model *m = l->m;
	const char *caption = m->weight == FM_WEIGHT_LINES
				      ? "edge width: lines changed"
				      : m->weight == FM_WEIGHT_UNIQUE
						? "edge width: unique commits"
						: "edge width: commits ahead";
	double v[MAX_REFS], y, labels = 0, inner;
	char num[MAX_REFS][32];
	size_t i, n;
	int error;

	*width = 0;
	n = refs(m->weight_max, 4, v, pen_of, FM_PEN_FORK_MIN);
	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		fm_scale_compact(v[i], num[i], sizeof(num[i]));
		labels = fmax(labels, text_w(num[i], FM_FONTSIZE_LEGEND - 1));
	}
	inner = SAMPLE_LEN + 10 + labels;
	*width = fmax(inner, text_w(caption, FM_FONTSIZE_LEGEND));
	if ((error = text(l, "caption", caption, FM_FONTSIZE_LEGEND,
			  l->theme->muted, x + *width / 2,
			  top - CAPTION_H / 2)) < 0)
		return error;
	x += (*width - inner) / 2;
	y = top - CAPTION_H - 12;
	for (i = 0; i < n; i++, y -= 22) {
		if ((error = stroke(l, pen_of(v[i], m->weight_max), x, y)) <
			    0 ||
		    (error = text(l, "label", num[i], FM_FONTSIZE_LEGEND - 1,
				  l->theme->fg,
				  x + SAMPLE_LEN + 10 +
					  text_w(num[i],
						 FM_FONTSIZE_LEGEND - 1) / 2,
				  y)) < 0)
			return error;
	}
	return 0;
}

/* Empty cells spanning n columns of the colour bar table. */
static void gap_cells(fm_textbuf *b, int n, int height)
{
	if (n > 0)
		fm_textbuf_printf(b,
				  "<TD COLSPAN=\"%d\" WIDTH=\"%d\" "
				  "HEIGHT=\"%d\" FIXEDSIZE=\"TRUE\"></TD>",
				  n, n * BAR_CELL_W, height);
}

typedef struct tick {
	int col;     /* column boundary in the table the tick marks */
	char text[FM_SCALE_DAY_MAX];
} tick;

static size_t bar_ticks(const fm_model *m, tick *out, size_t max)
{
	int64_t t[8];
	double span = (double)(m->date_max - m->date_min);
	size_t i, n, kept = 0;
	int last = -1000;

	if (span <= 0) { /* one date: in the middle */
		out[0].col = TICK_HALF + BAR_CELLS / 2;
		fm_scale_day(m->date_min, out[0].text);
		return 1;
	}
	n = fm_scale_date_ticks(m->date_min, m->date_max, max, t);
	if (n < 2) { /* under two months: the ends, to the day */
		out[0].col = TICK_HALF;
		fm_scale_day(m->date_min, out[0].text);
		out[1].col = TICK_HALF + BAR_CELLS;
		fm_scale_day(m->date_max, out[1].text);
		return 2;
	}
	for (i = 0; i < n; i++) {
		int col = TICK_HALF +
			  (int)lround((double)(t[i] - m->date_min) / span *
				      BAR_CELLS);

		if (col - last < 2 * TICK_HALF)
			continue; /* would collide with the previous label */
		out[kept].col = col;
		fm_scale_month(t[i], out[kept].text);
		last = col;
		kept++;
	}
	return kept;
}

/* The date colour bar: one node with an HTML-like table. */
static int color_block(legend *l, double x, double top, double *width)
{
	const fm_model *m = l->m;
	const char *caption = "colour: date of the last commit";
	fm_textbuf *b = &l->buf;
	int cols = BAR_CELLS + 2 * TICK_HALF, c, i, at;
	tick ticks[8];
	size_t nt, k;
	Agnode_t *n;
	char hex[FM_COLOR_HEX_MAX];
	int error;
	double h;

	*width = 0;
	if (!m->has_dates)
		return 0;
	nt = bar_ticks(m, ticks, 6);
	fm_textbuf_reset(b);
	fm_textbuf_printf(b,
			  "<TABLE BORDER=\"0\" CELLBORDER=\"0\" "
			  "CELLSPACING=\"0\" CELLPADDING=\"0\">"
			  "<TR><TD COLSPAN=\"%d\" HEIGHT=\"%.0f\" "
			  "VALIGN=\"TOP\"><FONT POINT-SIZE=\"%.0f\" "
			  "COLOR=\"%s\">%s</FONT></TD></TR><TR>",
			  cols, CAPTION_H, FM_FONTSIZE_LEGEND,
			  l->theme->muted, caption);
	gap_cells(b, TICK_HALF, BAR_H);
	for (c = 0; c < BAR_CELLS; c++)
		fm_textbuf_printf(
			b,
			"<TD BGCOLOR=\"%s\" WIDTH=\"%d\" HEIGHT=\"%d\" "
			"FIXEDSIZE=\"TRUE\"></TD>",
			fm_color_hex(fm_colormap_viridis(
					     (c + 0.5) / BAR_CELLS),
				     hex),
			BAR_CELL_W, BAR_H);
	gap_cells(b, TICK_HALF, BAR_H);
	/* tick marks: the left border of the cell after each boundary */
	fm_textbuf_puts(b, "</TR><TR>");
	at = 0;
	for (k = 0; k < nt; k++) {
		gap_cells(b, ticks[k].col - at, 5);
		fm_textbuf_printf(b,
				  "<TD WIDTH=\"%d\" HEIGHT=\"5\" "
				  "FIXEDSIZE=\"TRUE\" BORDER=\"1\" SIDES=\"L\" "
				  "COLOR=\"%s\"></TD>",
				  BAR_CELL_W, l->theme->fg);
		at = ticks[k].col + 1;
	}
	gap_cells(b, cols - at, 5);
	/* tick labels centred on their boundary */
	fm_textbuf_puts(b, "</TR><TR>");
	at = 0;
	for (k = 0; k < nt; k++) {
		i = ticks[k].col - TICK_HALF;
		gap_cells(b, i - at, 18);
		fm_textbuf_printf(b,
				  "<TD COLSPAN=\"%d\" WIDTH=\"%d\" "
				  "HEIGHT=\"18\" FIXEDSIZE=\"TRUE\">"
				  "<FONT POINT-SIZE=\"%.0f\" COLOR=\"%s\">%s"
				  "</FONT></TD>",
				  2 * TICK_HALF, 2 * TICK_HALF * BAR_CELL_W,
				  TICK_FONTSIZE, l->theme->fg, ticks[k].text);
		at = i + 2 * TICK_HALF;
	}
	gap_cells(b, cols - at, 18);
	fm_textbuf_puts(b, "</TR></TABLE>");
	if (b->oom)
		return fm_error_set(l->ctx, FM_ENOMEM,
				    "out of memory drawing legends");

	*width = cols * BAR_CELL_W;
	h = CAPTION_H + BAR_H + 5 + 18;
	if (!(n = new_node(l, "colorbar")))
		return FM_ENOMEM;
	if ((error = fm_gv_set(l->ctx, n, "shape", "plaintext")) < 0 ||
	    (error = fm_gv_set(l->ctx, n, "style", "solid")) < 0 ||
	    (error = fm_gv_set(l->ctx, n, "fixedsize", "false")) < 0 ||
	    (error = fm_gv_set(l->ctx, n, "width", "0.01")) < 0 ||
	    (error = fm_gv_set(l->ctx, n, "height", "0.01")) < 0 ||
	    (error = fm_gv_set_html(l->ctx, l->g, n, "label",
				    fm_textbuf_str(b))) < 0 ||
	    (error = fm_gv_pin(l->ctx, n, x + *width / 2, top - h / 2)) < 0)
		return error;
	return 0;
}

/* "no date": the grey of nodes without one, when there are such. */
static int unknown_block(legend *l, double x, double top, double *width)
{
	const char *caption = "no date";
	size_t i;
	int error;

	*width = 0;
	for (i = 0; i < l->m->nnodes; i++)
		if (!l->m->nodes[i].date.set)
			break;
	if (i == l->m->nnodes)
		return 0;
	*width = 20 + 6 + text_w(caption, FM_FONTSIZE_LEGEND - 1);
	if ((error = circle(l, 20, "#9e9e9e", x + 10,
			    top - CAPTION_H - BAR_H / 2)) < 0 ||
	    (error = text(l, "label", caption, FM_FONTSIZE_LEGEND - 1,
			  l->theme->fg,
			  x + 26 + text_w(caption, FM_FONTSIZE_LEGEND - 1) / 2,
			  top - CAPTION_H - BAR_H / 2)) < 0)
		return error;
	return 0;
}

typedef int (*block_fn)(legend *l, double x, double top, double *width);

int fm_legend_add(fm_ctx *ctx, Agraph_t *g, const fm_model *m,
		  const fm_theme *theme, double cx, double top)
{
	static const block_fn blocks[] = {size_block, edge_block, color_block,
					  unknown_block};
	legend l;
	double widths[4], total = 0, x;
	size_t i, nblocks = sizeof(blocks) / sizeof(blocks[0]);
	int error = 0;

	memset(&l, 0, sizeof(l));
	l.ctx = ctx;
	l.g = g;
	l.m = m;
	l.theme = theme;
	/* Lay the blocks out once at 0 to learn their widths, then for
	 * real: a block's width depends only on the model. */
	{
		Agraph_t *scratch = agopen("legend", Agundirected, NULL);
		legend probe = l;

		if (!scratch)
			return fm_error_set(ctx, FM_ENOMEM,
					    "out of memory drawing legends");
		probe.g = scratch;
		for (i = 0; i < nblocks && !error; i++) {
			error = blocks[i](&probe, 0, 0, &widths[i]);
			if (widths[i] > 0)
				total += widths[i] + (total > 0 ? GAP : 0);
		}
		fm_textbuf_clear(&probe.buf);
		agclose(scratch);
		if (error < 0)
			return error;
	}
	x = cx - total / 2;
	for (i = 0; i < nblocks; i++) {
		double w;

		if ((error = blocks[i](&l, x, top, &w)) < 0)
			break;
		if (w > 0)
			x += w + GAP;
	}
	fm_textbuf_clear(&l.buf);
	return error;
}
