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
 * After a graphviz call failed: FM_ERENDER with "WHAT failed: " and the
 * last message graphviz kept (agseterr(AGMAX) keeps them instead of
 * printing them) set on the context.
 */
int fm_gv_failed(fm_ctx *ctx, const char *what);

#endif
