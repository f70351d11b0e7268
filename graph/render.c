/*
 * The figure: a graphviz graph built from the model, laid out in three
 * passes, then rendered.
 *
 * 1. neato (sfdp for big networks) places the nodes, overlaps allowed;
 * 2. the layout is turned so its long axis is horizontal and the trunk
 *    runs left (old) to right (new), then graphviz's "nop" engine removes
 *    overlaps (prism) around those positions: turning after overlap
 *    removal would let the horizontal label boxes collide again;
 * 3. the legends are pinned below the network and "nop2" routes the edges.
 *
 * graphviz reports problems through a process-wide handler; while we run,
 * messages are kept (agseterr(AGMAX)) instead of printed, and the last one
 * becomes the error message. gvRenderFilename is not used: graphviz exits
 * the process when it cannot open an output file.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gvc.h>

#include <forkmap/render.h>

#include "colormap.h"
#include "figure.h"
#include "label.h"
#include "model.h"
#include "scale.h"
#include "core/buf.h"

/* Fork names longer than this are cut with an ellipsis. */
#define NAME_MAX_CHARS 40
/* Above this many nodes, edges are straight lines (spline routing is
 * slow and a crowded figure gains nothing from it). */
#define SPLINES_MAX 400

static const fm_theme themes[] = {
	/* bg, fg, muted, trunk, fork edge, fork border, legend fill */
	{"#ffffff", "#1f2328", "#57606a", "#4a4f55", "#9198a1", "#2d333b",
	 "#d5d9de"},
	{"#16181d", "#e6e8eb", "#a2a9b3", "#c9cdd3", "#6b737d", "#16181d",
	 "#48505b"},
};

const fm_theme *fm_theme_get(fm_render_theme theme)
{
	return &themes[theme == FM_THEME_DARK ? 1 : 0];
}

static const char *const format_names[] = {"auto", "svg", "png", "pdf", "dot"};
static const char *const weight_names[] = {"ahead", "unique", "lines"};
static const char *const label_names[] = {"name", "branch", "both", "none"};
static const char *const theme_names[] = {"light", "dark"};

static int parse_name(const char *name, const char *const *names, size_t n,
		      int *out)
{
	size_t i;

	for (i = 0; name && i < n; i++) {
		if (!strcmp(name, names[i])) {
			*out = (int)i;
			return 0;
		}
	}
	return FM_EINVAL;
}

#define NAMES(a) (a), (sizeof(a) / sizeof((a)[0]))

int fm_render_format_parse(const char *name, fm_render_format *out)
{
	int v;

	if (name && !strcmp(name, "gv"))
		name = "dot";
	if (parse_name(name, NAMES(format_names), &v) < 0 || v == 0)
		return FM_EINVAL;
	*out = (fm_render_format)v;
	return 0;
}

int fm_render_weight_parse(const char *name, fm_render_weight *out)
{
	int v;

	if (parse_name(name, NAMES(weight_names), &v) < 0)
		return FM_EINVAL;
	*out = (fm_render_weight)v;
	return 0;
}

int fm_render_label_parse(const char *name, fm_render_label *out)
{
	int v;

	if (parse_name(name, NAMES(label_names), &v) < 0)
		return FM_EINVAL;
	*out = (fm_render_label)v;
	return 0;
}

int fm_render_theme_parse(const char *name, fm_render_theme *out)
{
	int v;

	if (parse_name(name, NAMES(theme_names), &v) < 0)
		return FM_EINVAL;
	*out = (fm_render_theme)v;
	return 0;
}

const char *fm_render_format_name(fm_render_format f)
{
	return (unsigned)f < 5 ? format_names[f] : NULL;
}

const char *fm_render_weight_name(fm_render_weight w)
{
	return (unsigned)w < 3 ? weight_names[w] : NULL;
}

fm_render_format fm_render_format_from_path(const char *path)
{
	const char *slash, *dot;
	fm_render_format f;

	if (!path)
		return FM_FORMAT_AUTO;
	slash = strrchr(path, '/');
	dot = strrchr(slash ? slash : path, '.');
	if (!dot || dot[1] == '\0')
		return FM_FORMAT_AUTO;
	{
		char ext[8];
		size_t i;

		for (i = 0; dot[1 + i] && i < sizeof(ext) - 1; i++)
			ext[i] = (char)(dot[1 + i] >= 'A' && dot[1 + i] <= 'Z'
						? dot[1 + i] - 'A' + 'a'
						: dot[1 + i]);
		ext[i] = '\0';
		if (dot[1 + i])
			return FM_FORMAT_AUTO;
		if (fm_render_format_parse(ext, &f) < 0)
			return FM_FORMAT_AUTO;
	}
	return f;
}

/* graphviz plumbing shared with legend.c */

int fm_gv_set(fm_ctx *ctx, void *obj, const char *name, const char *value)
{
	if (agsafeset(obj, (char *)name, (char *)value, "") != 0)
		return fm_error_set(ctx, FM_ENOMEM,
				    "cannot set graphviz attribute %s", name);
	return 0;
}

int fm_gv_set_html(fm_ctx *ctx, Agraph_t *g, void *obj, const char *name,
		   const char *html)
{
	char *h = agstrdup_html(g, (char *)html);
	int error;

	if (!h)
		return fm_error_set(ctx, FM_ENOMEM,
				    "cannot set graphviz attribute %s", name);
	error = fm_gv_set(ctx, obj, name, h);
	agstrfree(g, h);
	return error;
}

int fm_gv_pin(fm_ctx *ctx, Agnode_t *n, double x, double y)
{
	char pos[64];

	snprintf(pos, sizeof(pos), "%.2f,%.2f!", x, y);
	return fm_gv_set(ctx, n, "pos", pos);
}

/* A number attribute with that many decimals. */
static int set_num(fm_ctx *ctx, void *obj, const char *name, int decimals,
		   double v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	return fm_gv_set(ctx, obj, name, buf);
}

/* The figure being made. */
typedef struct figure {
	fm_ctx *ctx;
	const fm_model *m;
	const fm_render_opts *opts;
	const fm_theme *theme;
	fm_render_format format;
	Agraph_t *g;
	Agnode_t **nodes; /* one per model node */
	double *x, *y;	  /* positions, points */
	fm_buf buf;
} figure;

static int oom(figure *f)
{
	return fm_error_set(f->ctx, FM_ENOMEM,
			    "out of memory drawing the fork network");
}

static int declare(figure *f, int kind, const char *name, const char *value)
{
	if (!agattr(f->g, kind, (char *)name, (char *)value))
		return oom(f);
	return 0;
}

static int set_defaults(figure *f)
{
	const fm_theme *th = f->theme;
	const fm_render_opts *o = f->opts;
	char seed[32];
	int error = 0;

	snprintf(seed, sizeof(seed), "%lu", o->seed ? o->seed : 1UL);
	if ((error = declare(f, AGRAPH, "start", seed)) < 0 ||
	    (error = declare(f, AGRAPH, "overlap", "true")) < 0 ||
	    (error = declare(f, AGRAPH, "sep", "+10")) < 0 ||
	    /* edges are routed once, in the last pass */
	    (error = declare(f, AGRAPH, "splines", "line")) < 0 ||
	    (error = declare(f, AGRAPH, "outputorder", "edgesfirst")) < 0 ||
	    (error = declare(f, AGRAPH, "bgcolor",
			     o->transparent ? "transparent" : th->bg)) < 0 ||
	    (error = declare(f, AGRAPH, "pad", "0.4")) < 0 ||
	    (error = declare(f, AGRAPH, "fontname", FM_FONT)) < 0 ||
	    (error = declare(f, AGRAPH, "fontcolor", th->fg)) < 0 ||
	    (error = declare(f, AGRAPH, "labelloc", "t")) < 0 ||
	    (error = declare(f, AGRAPH, "labeljust", "c")) < 0)
		return error;
	if ((error = declare(f, AGNODE, "shape", "circle")) < 0 ||
	    (error = declare(f, AGNODE, "style", "filled")) < 0 ||
	    (error = declare(f, AGNODE, "fixedsize", "shape")) < 0 ||
	    (error = declare(f, AGNODE, "fontname", FM_FONT)) < 0 ||
	    (error = declare(f, AGNODE, "fontsize", "12")) < 0 ||
	    (error = declare(f, AGNODE, "fontcolor", th->fg)) < 0 ||
	    (error = declare(f, AGNODE, "color", th->fork_border)) < 0 ||
	    (error = declare(f, AGNODE, "penwidth", "0.8")) < 0 ||
	    (error = declare(f, AGNODE, "margin", "0")) < 0 ||
	    /* not "": agwrite drops empty defaults, and a DOT reader
	     * would then label every node with its id */
	    (error = declare(f, AGNODE, "label", " ")) < 0)
		return error;
	if ((error = declare(f, AGEDGE, "color", th->fork_edge)) < 0 ||
	    (error = declare(f, AGEDGE, "penwidth", "1")) < 0 ||
	    (error = declare(f, AGEDGE, "arrowhead", "none")) < 0)
		return error;
	/* read by the layout, so set before it */
	if (f->format == FM_FORMAT_PNG) {
		char dpi[32];

		snprintf(dpi, sizeof(dpi), "%.0f",
			 o->dpi > 0 ? o->dpi : FM_RENDER_DPI);
		if ((error = declare(f, AGRAPH, "dpi", dpi)) < 0)
			return error;
	}
	/* --width/--height: fit into that box, growing or shrinking */
	if (o->width > 0 || o->height > 0) {
		char size[64];

		snprintf(size, sizeof(size), "%.3f,%.3f!",
			 o->width > 0 ? o->width : 1000.0,
			 o->height > 0 ? o->height : 1000.0);
		if ((error = declare(f, AGRAPH, "size", size)) < 0)
			return error;
	}
	return 0;
}

static void subtitle(figure *f, fm_buf *b)
{
	const fm_model *m = f->m;
	char day[FM_SCALE_DAY_MAX];

	fm_buf_printf(b, "%zu fork%s", m->nforks,
			  m->nforks == 1 ? "" : "s");
	if (m->nforks != m->nmeasured)
		fm_buf_printf(b, " of %zu", m->nmeasured);
	if (m->hidden_top)
		fm_buf_printf(
			b, " \xc2\xb7 the %zu with most %s", m->nforks,
			m->weight == FM_WEIGHT_LINES	? "lines changed"
			: m->weight == FM_WEIGHT_UNIQUE ? "unique commits"
							: "commits ahead");
	if (f->opts->since.set)
		fm_buf_printf(b, " \xc2\xb7 active since %s",
				  fm_scale_day(f->opts->since.time, day));
}

/* The title and subtitle, font sizes scaled by k. */
static int set_title(figure *f, double k)
{
	fm_buf *b = &f->buf;
	char *title = fm_label_html(f->m->title, 120);
	int error;

	if (!title)
		return oom(f);
	fm_buf_reset(b);
	fm_buf_printf(b,
			  "<TABLE BORDER=\"0\" CELLSPACING=\"0\" "
			  "CELLPADDING=\"2\"><TR><TD><FONT POINT-SIZE=\"%.0f\" "
			  "FACE=\"%s\">%s</FONT></TD></TR><TR><TD><FONT "
			  "POINT-SIZE=\"%.0f\" COLOR=\"%s\">",
			  FM_FONTSIZE_TITLE * k, FM_FONT_BOLD, title,
			  FM_FONTSIZE_SUBTITLE * k, f->theme->muted);
	subtitle(f, b);
	fm_buf_puts(b, "</FONT></TD></TR></TABLE>");
	free(title);
	if (b->oom)
		return oom(f);
	error = fm_gv_set_html(f->ctx, f->g, f->g, "label", fm_buf_str(b));
	return error;
}

/* The label text of a node, escaped for an HTML-like label. */
static int node_text(figure *f, const fm_node *n, fm_buf *b)
{
	fm_render_label mode = f->opts->label;
	const char *branch = n->branch && n->branch[0] ? n->branch : NULL;
	char *a = NULL, *c = NULL;

	if (n->kind != FM_NODE_FORK)
		mode = FM_LABEL_NAME;
	if (mode == FM_LABEL_NONE)
		return 0;
	if (mode == FM_LABEL_BRANCH && !branch)
		mode = FM_LABEL_NAME;
	if (mode == FM_LABEL_BOTH && !branch)
		mode = FM_LABEL_NAME;
	if (!(a = fm_label_html(mode == FM_LABEL_BRANCH ? branch : n->name,
				NAME_MAX_CHARS)))
		return oom(f);
	if (mode == FM_LABEL_BOTH &&
	    !(c = fm_label_html(branch, NAME_MAX_CHARS))) {
		free(a);
		return oom(f);
	}
	fm_buf_puts(b, a);
	if (c)
		fm_buf_printf(b, "<BR/><FONT POINT-SIZE=\"%.0f\">%s</FONT>",
				  FM_FONTSIZE_FORK - 2, c);
	free(a);
	free(c);
	return 1;
}

/* The hover text of a node in SVG viewers. */
static int node_tooltip(figure *f, const fm_node *n, fm_buf *b)
{
	char day[FM_SCALE_DAY_MAX], num[32];
	char *name = fm_label_tooltip(n->name, 0), *extra = NULL;
	const fm_row *r = n->row;

	if (!name)
		return oom(f);
	fm_buf_puts(b, name);
	if (r) {
		if (n->branch && n->branch[0]) {
			if (!(extra = fm_label_tooltip(n->branch, 0))) {
				free(name);
				return oom(f);
			}
			fm_buf_printf(b, " (%s)", extra);
		}
		fm_buf_printf(b, " \xc2\xb7 %ld ahead", r->ahead);
		if (r->unique > 0)
			fm_buf_printf(b, ", %ld unique", r->unique);
		fm_buf_printf(b, " \xc2\xb7 +%ld -%ld lines", r->insertions,
				  r->deletions);
	} else if (n->tree_lines > 0) {
		fm_buf_printf(b, " \xc2\xb7 %s lines",
				  fm_scale_compact((double)n->tree_lines, num,
						   sizeof(num)));
	}
	if (n->date.set)
		fm_buf_printf(b, " \xc2\xb7 %s %s",
				  r ? "last commit" : "dated",
				  fm_scale_day(n->date.time, day));
	free(name);
	free(extra);
	return b->oom ? oom(f) : 0;
}

static int add_node(figure *f, size_t i)
{
	const fm_node *n = &f->m->nodes[i];
	fm_buf *b = &f->buf;
	char id[32], fill[FM_COLOR_HEX_MAX], text[FM_COLOR_HEX_MAX];
	Agnode_t *gn;
	int error, has_text;

	snprintf(id, sizeof(id), "%s%zu",
		 n->kind == FM_NODE_FORK ? "fork" : "trunk", i);
	if (!(gn = agnode(f->g, id, 1)))
		return oom(f);
	f->nodes[i] = gn;
	fm_color_hex(n->fill, fill);
	fm_color_hex(n->text, text);

	fm_buf_reset(b);
	if ((has_text = node_text(f, n, b)) < 0)
		return has_text;
	if (has_text) {
		/* A pill in the node's own colour: a label wider than a
		 * small node stays readable, in the contrast colour. */
		char *inner = strdup(fm_buf_str(b));

		if (!inner)
			return oom(f);
		fm_buf_reset(b);
		fm_buf_printf(b,
				  "<TABLE BORDER=\"0\" CELLBORDER=\"0\" "
				  "CELLSPACING=\"0\" CELLPADDING=\"3\" "
				  "BGCOLOR=\"%s\" STYLE=\"rounded\"><TR><TD>%s"
				  "</TD></TR></TABLE>",
				  fill, inner);
		free(inner);
		if (b->oom)
			return oom(f);
		if ((error = fm_gv_set_html(f->ctx, f->g, gn, "label",
					    fm_buf_str(b))) < 0)
			return error;
	} else if ((error = fm_gv_set(f->ctx, gn, "fixedsize", "true")) < 0) {
		return error;
	}
	fm_buf_reset(b);
	if ((error = node_tooltip(f, n, b)) < 0 ||
	    (error = fm_gv_set(f->ctx, gn, "tooltip", fm_buf_str(b))) < 0 ||
	    (error = fm_gv_set(f->ctx, gn, "fillcolor", fill)) < 0 ||
	    (error = fm_gv_set(f->ctx, gn, "fontcolor", text)) < 0 ||
	    (error = set_num(f->ctx, gn, "width", 3, n->width)) < 0 ||
	    (error = set_num(f->ctx, gn, "height", 3, n->width)) < 0)
		return error;
	if (n->kind == FM_NODE_FORK)
		return 0;
	/* trunk nodes: bold tag, strong outline; the tip doubled */
	if ((error = fm_gv_set(f->ctx, gn, "fontname", FM_FONT_BOLD)) < 0 ||
	    (error = set_num(f->ctx, gn, "fontsize", 0, FM_FONTSIZE_RELEASE)) <
		    0 ||
	    (error = fm_gv_set(f->ctx, gn, "color", f->theme->fg)) < 0 ||
	    (error = fm_gv_set(f->ctx, gn, "penwidth", "2.5")) < 0)
		return error;
	if (n->kind == FM_NODE_TIP &&
	    (error = fm_gv_set(f->ctx, gn, "shape", "doublecircle")) < 0)
		return error;
	return 0;
}

static int add_edge(figure *f, size_t i)
{
	const fm_node *n = &f->m->nodes[i];
	const fm_node *p = &f->m->nodes[n->parent];
	int trunk = n->kind != FM_NODE_FORK;
	Agedge_t *e;
	int error;

	if (!(e = agedge(f->g, f->nodes[n->parent], f->nodes[i], NULL, 1)))
		return oom(f);
	if ((error = set_num(f->ctx, e, "penwidth", 2, n->penwidth)) < 0 ||
	    (error = set_num(f->ctx, e, "len", 2,
			     (n->width + p->width) / 2 +
				     (trunk ? 0.6 : 0.45))) < 0)
		return error;
	if (trunk && ((error = fm_gv_set(f->ctx, e, "color",
					 f->theme->trunk_edge)) < 0 ||
		      (error = fm_gv_set(f->ctx, e, "weight", "4")) < 0))
		return error;
	return 0;
}

static int build(figure *f)
{
	size_t i;
	int error;

	if ((error = set_defaults(f)) < 0)
		return error;
	for (i = 0; i < f->m->nnodes; i++)
		if ((error = add_node(f, i)) < 0)
			return error;
	for (i = 0; i < f->m->nnodes; i++)
		if (f->m->nodes[i].parent != FM_MODEL_NONE &&
		    (error = add_edge(f, i)) < 0)
			return error;
	return 0;
}

/* The last message graphviz kept, for an error. */
static int gv_failed(figure *f, const char *what)
{
	char *msg = aglasterr();
	size_t n = msg ? strlen(msg) : 0;

	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	fm_error_set(f->ctx, FM_ERENDER, "%s failed%s%s", what, n ? ": " : "",
		     n ? msg : "");
	free(msg);
	return FM_ERENDER;
}

static void read_positions(figure *f)
{
	size_t i;

	for (i = 0; i < f->m->nnodes; i++) {
		f->x[i] = ND_coord(f->nodes[i]).x;
		f->y[i] = ND_coord(f->nodes[i]).y;
	}
}

/*
 * Turn the layout so its principal axis is horizontal (a wide figure fits
 * slides) and mirror it so the trunk runs from old (left) to new (right).
 */
static void orient(figure *f)
{
	size_t i, n = f->m->nnodes;
	double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0, a, c, s;

	if (!n)
		return;
	for (i = 0; i < n; i++) {
		mx += f->x[i];
		my += f->y[i];
	}
	mx /= n;
	my /= n;
	for (i = 0; i < n; i++) {
		double dx = f->x[i] - mx, dy = f->y[i] - my;

		sxx += dx * dx;
		syy += dy * dy;
		sxy += dx * dy;
	}
	a = 0.5 * atan2(2 * sxy, sxx - syy);
	c = cos(a);
	s = sin(a);
	for (i = 0; i < n; i++) {
		double dx = f->x[i] - mx, dy = f->y[i] - my;

		f->x[i] = dx * c + dy * s;
		f->y[i] = -dx * s + dy * c;
	}
	if (f->m->ntrunk > 1 && f->x[f->m->ntrunk - 1] < f->x[0])
		for (i = 0; i < n; i++)
			f->x[i] = -f->x[i];
}

static int set_positions(figure *f, int pinned)
{
	char pos[64];
	size_t i;
	int error;

	for (i = 0; i < f->m->nnodes; i++) {
		snprintf(pos, sizeof(pos), "%.2f,%.2f%s", f->x[i], f->y[i],
			 pinned ? "!" : "");
		if ((error = fm_gv_set(f->ctx, f->nodes[i], "pos", pos)) < 0)
			return error;
	}
	return 0;
}

/*
 * Keep a PNG under FM_RENDER_PNG_MAX pixels a side by lowering its
 * resolution: cairo needs the whole image in memory (5000 forks at 150 dpi
 * would be gigabytes). SVG and PDF are never limited.
 */
static void cap_png(figure *f)
{
	boxf bb = GD_bb(f->g);
	double w = (bb.UR.x - bb.LL.x) / 72.0 + 0.8, h, z, side, dpi;
	const fm_render_opts *o = f->opts;

	h = (bb.UR.y - bb.LL.y) / 72.0 + 0.8; /* pad 0.4 in each side */
	if (o->width > 0 || o->height > 0) {
		z = fmin(o->width > 0 ? o->width / w : 1e9,
			 o->height > 0 ? o->height / h : 1e9);
		w *= z;
		h *= z;
	}
	side = fmax(w, h);
	dpi = GD_drawing(f->g)->dpi;
	if (side <= 0 || side * dpi <= FM_RENDER_PNG_MAX)
		return;
	GD_drawing(f->g)->dpi = floor(FM_RENDER_PNG_MAX / side);
	fm_log(f->ctx, FM_LOG_WARN,
	       "figure is %.0f x %.0f in: PNG resolution lowered from %.0f to "
	       "%.0f dpi (use SVG or PDF for full detail)",
	       w, h, dpi, GD_drawing(f->g)->dpi);
}

static int layout(figure *f, GVC_t *gvc)
{
	double x0 = 0, x1 = 0, y0 = 0, y1 = 0, k;
	const char *engine =
		f->m->nnodes > FM_RENDER_NEATO_MAX ? "sfdp" : "neato";
	size_t i;
	int error;

	if (gvLayout(gvc, f->g, (char *)engine) != 0)
		return gv_failed(f, "graphviz layout");
	read_positions(f);
	gvFreeLayout(gvc, f->g);
	orient(f);

	if ((error = set_positions(f, 0)) < 0 ||
	    (error = fm_gv_set(f->ctx, f->g, "overlap", "prism")) < 0 ||
	    /* start prism from a layout scaled to twice the average label
	     * (graphviz's default of 4 leaves slides half empty) */
	    (error = fm_gv_set(f->ctx, f->g, "overlap_scaling", "-2")) < 0)
		return error;
	if (gvLayout(gvc, f->g, "nop") != 0)
		return gv_failed(f, "graphviz overlap removal");
	read_positions(f);
	/* the network's extent, labels included, for the legends */
	for (i = 0; i < f->m->nnodes; i++) {
		Agnode_t *n = f->nodes[i];
		double hw = ND_width(n) * 36.0, hh = ND_height(n) * 36.0;

		if (ND_label(n) && ND_label(n)->dimen.x / 2 > hw)
			hw = ND_label(n)->dimen.x / 2;
		if (ND_label(n) && ND_label(n)->dimen.y / 2 > hh)
			hh = ND_label(n)->dimen.y / 2;
		if (!i || f->x[i] - hw < x0)
			x0 = f->x[i] - hw;
		if (!i || f->x[i] + hw > x1)
			x1 = f->x[i] + hw;
		if (!i || f->y[i] - hh < y0)
			y0 = f->y[i] - hh;
		if (!i || f->y[i] + hh > y1)
			y1 = f->y[i] + hh;
	}
	gvFreeLayout(gvc, f->g);

	/* Text around a big network grows with it, so it stays readable
	 * once the figure is shrunk onto a 13.33 x 7.5 in slide. */
	k = fmax(x1 - x0, (y1 - y0) * 16 / 9) / (14 * 72.0);
	k = k < 1 ? 1 : k > 8 ? 8 : k;
	if ((error = set_positions(f, 1)) < 0 ||
	    (f->m->nnodes <= SPLINES_MAX &&
	     (error = fm_gv_set(f->ctx, f->g, "splines", "true")) < 0) ||
	    (error = set_title(f, k)) < 0 ||
	    (error = fm_legend_add(f->ctx, f->g, f->m, f->theme, k,
				   (x0 + x1) / 2, y0 - 40 * k)) < 0)
		return error;
	if (gvLayout(gvc, f->g, "nop2") != 0)
		return gv_failed(f, "graphviz edge routing");
	if (f->format == FM_FORMAT_PNG)
		cap_png(f);
	return 0;
}

static const char *gv_format(fm_render_format format)
{
	switch (format) {
	case FM_FORMAT_PNG:
		return "png:cairo";
	case FM_FORMAT_PDF:
		return "pdf:cairo";
	case FM_FORMAT_DOT:
		return "dot";
	case FM_FORMAT_SVG:
	case FM_FORMAT_AUTO:
	default:
		return "svg";
	}
}

/*
 * cairo stamps PDFs with the time of rendering; use the census's time (the
 * newest date in the figure for a CSV) so the same input gives the same
 * bytes. Same length, so the PDF's offsets stay right.
 */
static void pdf_fix_date(char *pdf, size_t len, const fm_census *census,
			 const fm_model *m)
{
	static const char key[] = "/CreationDate (D:";
	int64_t when = census->finished > 0 ? census->finished
		       : m->has_dates	    ? m->date_max
					    : 0;
	char *p = memmem(pdf, len, key, sizeof(key) - 1), stamp[32];
	time_t t = (time_t)when;
	struct tm tm;
	size_t i;

	if (!p || (size_t)(p - pdf) + sizeof(key) - 1 + 14 > len)
		return;
	p += sizeof(key) - 1;
	for (i = 0; i < 14; i++)
		if (p[i] < '0' || p[i] > '9')
			return;
	if (!gmtime_r(&t, &tm) ||
	    strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm) != 14)
		return;
	memcpy(p, stamp, 14);
}

/*
 * graphviz numbers SVG gradients (id="l_7", url(#l_7)) with a counter that
 * lives as long as the process, so a second figure drawn in the same
 * process would differ. Renumber from 0, in place (never longer).
 */
static size_t svg_renumber_gradients(char *svg, size_t len)
{
	static const char *const marks[] = {"id=\"l_", "url(#l_", "id=\"r_",
					    "url(#r_"};
	long base = -1;
	size_t i, o = 0, m;

	for (i = 0; i < len;) {
		for (m = 0; m < 4; m++) {
			size_t ml = strlen(marks[m]);

			if (len - i > ml && !memcmp(svg + i, marks[m], ml) &&
			    svg[i + ml] >= '0' && svg[i + ml] <= '9')
				break;
		}
		if (m == 4) {
			svg[o++] = svg[i++];
			continue;
		}
		{
			size_t ml = strlen(marks[m]);
			char *end;
			long n = strtol(svg + i + ml, &end, 10);
			char num[24];
			int nl;

			if (base < 0)
				base = n;
			memmove(svg + o, svg + i, ml);
			o += ml;
			nl = snprintf(num, sizeof(num), "%ld",
				      n >= base ? n - base : n);
			i = (size_t)(end - svg);
			memcpy(svg + o, num, (size_t)nl); /* no longer than n */
			o += (size_t)nl;
		}
	}
	svg[o] = '\0';
	return o;
}

static int check_opts(fm_ctx *ctx, const fm_render_opts *o)
{
	if ((unsigned)o->format > FM_FORMAT_DOT)
		return fm_error_set(ctx, FM_EINVAL, "unknown output format %d",
				    (int)o->format);
	if ((unsigned)o->weight > FM_WEIGHT_LINES)
		return fm_error_set(ctx, FM_EINVAL, "unknown edge weight %d",
				    (int)o->weight);
	if ((unsigned)o->label > FM_LABEL_NONE)
		return fm_error_set(ctx, FM_EINVAL, "unknown label mode %d",
				    (int)o->label);
	if ((unsigned)o->theme > FM_THEME_DARK)
		return fm_error_set(ctx, FM_EINVAL, "unknown theme %d",
				    (int)o->theme);
	if (!(o->width >= 0 && o->width <= 1000) ||
	    !(o->height >= 0 && o->height <= 1000))
		return fm_error_set(ctx, FM_EINVAL,
				    "figure size must be 0 to 1000 inches");
	if (!(o->dpi >= 0 && o->dpi <= 2400))
		return fm_error_set(ctx, FM_EINVAL, "dpi must be 0 to 2400");
	return 0;
}

/*
 * One graphviz context for the whole process, made on first use and kept:
 * graphviz 2.42's pango plugin caches a pointer into the context's font
 * table in a static variable, so a second context would read freed memory.
 * graphviz is not thread-safe either (cgraph's error state is global), so
 * renders take turns.
 */
static pthread_once_t gv_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t gv_lock = PTHREAD_MUTEX_INITIALIZER;
static GVC_t *gv_shared;

static void gv_start(void)
{
	gv_shared = gvContext();
}

static int render(fm_ctx *ctx, const fm_census *census,
		  const fm_render_opts *opts, fm_render_format format,
		  char **out, size_t *len)
{
	fm_render_opts defaults = FM_RENDER_OPTS_INIT;
	figure f;
	fm_model *m = NULL;
	GVC_t *gvc = NULL;
	char *data = NULL;
	unsigned int n = 0;
	int error, errlevel;

	*out = NULL;
	*len = 0;
	if (!opts)
		opts = &defaults;
	if ((error = check_opts(ctx, opts)) < 0 ||
	    (error = fm_model_build(ctx, census, opts, &m)) < 0)
		return error;

	memset(&f, 0, sizeof(f));
	f.ctx = ctx;
	f.m = m;
	f.opts = opts;
	f.theme = fm_theme_get(opts->theme);
	f.format = format;
	pthread_mutex_lock(&gv_lock);
	errlevel = agseterr(AGMAX); /* keep messages, print nothing */
	agreseterrors();
	if (!(f.nodes = calloc(m->nnodes + 1, sizeof(*f.nodes))) ||
	    !(f.x = calloc(m->nnodes + 1, sizeof(*f.x))) ||
	    !(f.y = calloc(m->nnodes + 1, sizeof(*f.y)))) {
		error = oom(&f);
		goto done;
	}
	pthread_once(&gv_once, gv_start);
	if (!(gvc = gv_shared)) {
		error = fm_error_set(ctx, FM_ERENDER, "cannot start graphviz");
		goto done;
	}
	if (!(f.g = agopen("forkmap", Agundirected, NULL))) {
		error = oom(&f);
		goto done;
	}
	if ((error = build(&f)) < 0 || (error = layout(&f, gvc)) < 0)
		goto done;
	if (gvRenderData(gvc, f.g, (char *)gv_format(format), &data, &n) != 0 ||
	    !data) {
		error = gv_failed(&f, "graphviz rendering");
		goto done;
	}
	if (!(*out = malloc((size_t)n + 1))) {
		error = oom(&f);
		goto done;
	}
	memcpy(*out, data, n);
	(*out)[n] = '\0';
	*len = n;
	if (format == FM_FORMAT_PDF)
		pdf_fix_date(*out, n, census, m);
	if (format == FM_FORMAT_SVG)
		*len = svg_renumber_gradients(*out, *len);
	error = 0;

done:
	if (data)
		gvFreeRenderData(data);
	if (gvc && f.g)
		gvFreeLayout(gvc, f.g);
	if (f.g)
		agclose(f.g);
	agseterr(errlevel);
	pthread_mutex_unlock(&gv_lock);
	fm_buf_clear(&f.buf);
	free(f.nodes);
	free(f.x);
	free(f.y);
	fm_model_free(m);
	return error;
}

int fm_render_buffer(fm_ctx *ctx, const fm_census *census,
		     const fm_render_opts *opts, char **out, size_t *len)
{
	fm_render_format format = opts ? opts->format : FM_FORMAT_AUTO;

	return render(ctx, census, opts,
		      format == FM_FORMAT_AUTO ? FM_FORMAT_SVG : format, out,
		      len);
}

int fm_render_file(fm_ctx *ctx, const fm_census *census,
		   const fm_render_opts *opts, const char *path)
{
	fm_render_format format = opts ? opts->format : FM_FORMAT_AUTO;
	char *data = NULL;
	size_t len = 0;
	FILE *fp;
	int error;

	if (!path || !path[0])
		return fm_error_set(ctx, FM_EINVAL, "no output file given");
	if (format == FM_FORMAT_AUTO)
		format = fm_render_format_from_path(path);
	if (format == FM_FORMAT_AUTO)
		format = FM_FORMAT_SVG;
	if ((error = render(ctx, census, opts, format, &data, &len)) < 0)
		return error;
	if (!(fp = fopen(path, "wb"))) {
		error = fm_error_set(ctx, FM_EIO, "cannot write '%s': %s", path,
				     strerror(errno));
		goto done;
	}
	if (fwrite(data, 1, len, fp) != len) {
		error = fm_error_set(ctx, FM_EIO, "cannot write '%s': %s", path,
				     strerror(errno));
		fclose(fp);
		goto done;
	}
	if (fclose(fp) != 0) {
		error = fm_error_set(ctx, FM_EIO, "cannot write '%s': %s", path,
				     strerror(errno));
		goto done;
	}
	error = 0;
done:
	free(data);
	return error;
}
