#ifndef FM_GRAPH_GV_H
#define FM_GRAPH_GV_H
/*
 * Internal to graph/: setting graphviz attributes and reading graphviz's
 * errors, each turned into forkmap's error on the context once, here.
 *
 *	if ((error = fm_gv_set(ctx, n, "shape", "circle")) < 0 ||
 *	    (error = fm_gv_set_num(ctx, n, "width", 3, 0.5)) < 0)
 *		return error;
 *	if (gvLayout(gvc, g, "neato") != 0)
 *		return fm_gv_failed(ctx, "graphviz layout");
 */
#include <gvc.h>

#include <forkmap/common.h>

/* Set an attribute on a graph object (the default for new attributes is
 * ""); FM_ENOMEM from cgraph failures, with the message set. */
int fm_gv_set(fm_ctx *ctx, void *obj, const char *name, const char *value);
/* The same with an HTML-like label value (<...>), taken verbatim. */
int fm_gv_set_html(fm_ctx *ctx, Agraph_t *g, void *obj, const char *name,
		   const char *html);
/* A number with that many decimals ("%.*f"). */
int fm_gv_set_num(fm_ctx *ctx, void *obj, const char *name, int decimals,
		  double v);
/* Pin a node at (x, y) points. */
int fm_gv_pin(fm_ctx *ctx, Agnode_t *n, double x, double y);

/*
 * The one graphviz context of the process, taken for exclusive use (NULL
 * when graphviz cannot start; fm_gv_end must still be called). graphviz
 * 2.42's pango plugin caches a pointer into the context's font table in a
 * static variable, so a second context would read freed memory; and
 * graphviz is not thread-safe (cgraph's error state is global), so users
 * take turns.
 */
GVC_t *fm_gv_begin(void);
void fm_gv_end(void);

/*
 * The size (points) of one line of text as graphviz lays it out: through
 * its text layout plugin (pango/cairo, the fonts the PNG and PDF are drawn
 * with) when installed, else graphviz's own estimate -- the same numbers
 * graphviz sizes node labels with. `text` is plain (no escapes, no
 * markup). Call between fm_gv_begin and fm_gv_end.
 */
double fm_gv_text_width(GVC_t *gvc, const char *font, double size,
			const char *text);
double fm_gv_text_height(GVC_t *gvc, const char *font, double size,
			 const char *text);

/*
 * After a graphviz call failed: FM_ERENDER with "WHAT failed: " and the
 * last message graphviz kept (agseterr(AGMAX) keeps them instead of
 * printing them) set on the context.
 */
int fm_gv_failed(fm_ctx *ctx, const char *what);

#endif
