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

/*
 * Add the legends (size, edge width, date colour bar) as nodes pinned with
 * pos="x,y!" (points) in a row centred on cx whose top edge is at top;
 * text and spacing scaled by k (1: as designed). Every node added is named
 * "legend_..." so tests can tell them apart.
 */
int fm_legend_add(fm_ctx *ctx, Agraph_t *g, const fm_model *m,
		  const fm_theme *theme, double k, double cx, double top);

/* The figure being made: render.c owns it, figure.c and layout.c fill
 * it in. */
typedef struct fm_figure {
	fm_ctx *ctx;
	const fm_model *m;
	const fm_render_opts *opts;
	const fm_theme *theme;
	fm_render_format format;
	Agraph_t *g;
	Agnode_t **nodes; /* one per model node */
	double *x, *y;	  /* positions, points */
	fm_buf buf;	  /* scratch for labels */
} fm_figure;

/* FM_ENOMEM, with the message set. */
int fm_figure_oom(fm_figure *f);

/* Graph, node and edge attributes, then one node per model node and the
 * edges to their parents (figure.c). */
int fm_figure_build(fm_figure *f);

/* The title and subtitle as the graph label, font sizes scaled by k
 * (figure.c). */
int fm_figure_title(fm_figure *f, double k);

/* Lay the figure out in its three passes, title and legends included
 * (layout.c). */
int fm_figure_layout(fm_figure *f, GVC_t *gvc);

#endif
