#ifndef FM_GRAPH_FIGURE_H
#define FM_GRAPH_FIGURE_H
/*
 * What render.c and legend.c share: the theme, fonts and the legend
 * builder. Internal to graph/ (graphviz types are fine here, never in
 * include/forkmap/).
 */
#include <gvc.h>

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

/* Set an attribute on a graph object (the default for new attributes is
 * ""); FM_ENOMEM from cgraph failures, with the message set. */
int fm_gv_set(fm_ctx *ctx, void *obj, const char *name, const char *value);
/* The same with an HTML-like label value (<...>), taken verbatim. */
int fm_gv_set_html(fm_ctx *ctx, Agraph_t *g, void *obj, const char *name,
		   const char *html);
/* Pin a node at (x, y) points. */
int fm_gv_pin(fm_ctx *ctx, Agnode_t *n, double x, double y);

#endif
