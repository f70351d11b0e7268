#ifndef FM_GRAPH_FIGURE_H
#define FM_GRAPH_FIGURE_H
/*
 * What the files that draw the figure share (render.c, figure.c,
 * layout.c, legend.c): the theme, fonts, the figure being made and the
 * legend builder. Internal to graph/ (graphviz types are fine here, never in
 * include/forkmap/).
 */
#include <gvc.h>

#include "core/buf.h"
#include "gv.h"
#include "model.h"

#define FM_FONT "Helvetica"
#define FM_FONT_BOLD "Helvetica-Bold"
#define FM_FONTSIZE_TITLE 30.0
#define FM_FONTSIZE_SUBTITLE 15.0
#define FM_FONTSIZE_RELEASE 14.0
#define FM_FONTSIZE_FORK 12.0
#define FM_FONTSIZE_LEGEND 13.0

typedef struct fm_theme {
	const char *bg;	   /* background */
	const char *fg;	   /* titles, legend text, release borders */
	const char *muted; /* subtitles and captions */
	const char *trunk_edge;
	const char *fork_edge;
	const char *fork_border; /* thin outline of fork nodes */
	const char *legend_fill; /* size legend circles */
} fm_theme;

const fm_theme *fm_theme_get(fm_render_theme theme);

/* How a fork node's outline shows its fate (the figure and its legend). */
typedef struct fm_fate_style {
	const char *style; /* graphviz node style */
	const char *color; /* outline colour */
	double penwidth;
} fm_fate_style;

fm_fate_style fm_fate_style_of(fm_fate fate, const fm_theme *theme);

/* The figure being made: render.c owns it, figure.c and layout.c fill
 * it in. */
typedef struct fm_figure {
	fm_ctx *ctx;
	const fm_census *census;
	const fm_model *m;
	const fm_render_opts *opts;
	const fm_theme *theme;
	fm_render_format format;
	GVC_t *gvc; /* for measuring text */
	Agraph_t *g;
	Agnode_t **nodes; /* one per model node */
	double *x, *y;	  /* positions, points */
	fm_buf buf;	  /* scratch for labels */
	int serial;	  /* numbers the legend_* nodes */
} fm_figure;

/* FM_ENOMEM, with the message set. */
int fm_figure_oom(fm_figure *f);

/* Graph, node and edge attributes, then one node per model node and the
 * edges to their parents (figure.c). */
int fm_figure_build(fm_figure *f);

/*
 * Text nodes: a box drawn with a transparent outline around the text as
 * graphviz measures it (so the SVG shows each text's bounding box), pinned
 * with its centre at (x, y) points. `html` is an HTML-like label. Named
 * "legend_<kind>_<n>" so tests can tell them apart (figure.c).
 */
Agnode_t *fm_figure_text_node(fm_figure *f, const char *kind, const char *html,
			      double x, double y);

/*
 * Append `text` (plain, untrusted) to b escaped for an HTML-like label,
 * broken at spaces into lines of at most maxw points in that font and
 * size (a single longer word stays whole), joined by <BR/>. Returns the
 * number of lines, or FM_ENOMEM (figure.c).
 */
int fm_figure_wrap(fm_figure *f, fm_buf *b, const char *text, const char *font,
		   double size, double maxw);

/*
 * The title and subtitle as one text node centred on cx whose bottom is
 * at `bottom`, wrapped to maxw points, font sizes scaled by k (figure.c).
 */
int fm_figure_title(fm_figure *f, double k, double cx, double bottom,
		    double maxw);

/*
 * Add the legends (size, edge widths of forks and trunk, date colour bar,
 * fates) as nodes pinned with pos="x,y!" (points) in a row centred on cx
 * whose top edge is at top; text and spacing scaled by k (1: as designed),
 * text measured by graphviz. Every node added is named "legend_..."
 * (legend.c).
 */
int fm_legend_add(fm_figure *f, double k, double cx, double top);

/* --layout timeline: x is the date; positions into f->x, f->y
 * (timeline.c). */
int fm_figure_timeline(fm_figure *f, GVC_t *gvc);

/* Timeline: the date axis with calendar ticks at y = top (points) and
 * below; *bottom is where it ends (timeline.c). */
int fm_figure_axis(fm_figure *f, double k, double top, double *bottom);

/* A line (pen points, colour) between two invisible pinned points
 * (legend.c). */
int fm_figure_line(fm_figure *f, double pen, double x0, double y0, double x1,
		   double y1, const char *color);

/* Lay the figure out in its three passes, title and legends included
 * (layout.c). */
int fm_figure_layout(fm_figure *f, GVC_t *gvc);

#endif
