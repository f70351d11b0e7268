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
#include <forkmap/render.h>

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
 * The size (points) of one line of text as graphviz lays it out: through
 * its text layout plugin (pango/cairo, the fonts the PNG and PDF are drawn
 * with) when installed, else graphviz's own estimate -- the same numbers
 * graphviz sizes node labels with. `text` is plain (no escapes, no
 * markup). Call between fm_gv_acquire and fm_gv_release.
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

/*
 * The process's one graphviz context, locked for the caller (graphviz is
 * not thread-safe, and 2.42 cannot free a context safely: it lives until
 * the process ends), with graphviz's messages kept instead of printed.
 * NULL when graphviz cannot start (the lock is held all the same). Every
 * acquire is followed by one release with the errlevel it gave.
 */
GVC_t *fm_gv_acquire(int *errlevel);
void fm_gv_release(int errlevel);

/* graphviz's output format for ours ("svg", "png:cairo", ...). */
const char *fm_gv_format(fm_render_format format);

/* Make output repeatable: the PDF's creation date set to `when` (epoch
 * seconds); SVG gradient ids renumbered from 0 (returns the new length). */
void fm_gv_pdf_date(char *pdf, size_t len, int64_t when);
size_t fm_gv_svg_renumber(char *svg, size_t len);

/*
 * Write a figure to path: the format (FM_FORMAT_AUTO: from the path's
 * extension, SVG without one, an error for another extension) drawn into
 * memory by draw, then written through the atomic output writer.
 */
typedef int (*fm_gv_draw_fn)(fm_ctx *ctx, void *payload,
			     fm_render_format format, char **out, size_t *len);
int fm_gv_write(fm_ctx *ctx, const char *path, fm_render_format format,
		fm_gv_draw_fn draw, void *payload);

#endif
