/*
 * The figure's graph before layout: theme, default attributes, one node
 * per model node with its label pill and tooltip, the edges, the title.
 * Names from forges reach it only through fm_label_html/fm_label_tooltip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colormap.h"
#include "figure.h"
#include "label.h"
#include "scale.h"

/* Fork names longer than this are cut with an ellipsis. */
#define NAME_MAX_CHARS 40

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

int fm_figure_oom(fm_figure *f)
{
	return fm_error_set(f->ctx, FM_ENOMEM,
			    "out of memory drawing the fork network");
}

static int declare(fm_figure *f, int kind, const char *name, const char *value)
{
	if (!agattr(f->g, kind, (char *)name, (char *)value))
		return fm_figure_oom(f);
	return 0;
}

static int set_defaults(fm_figure *f)
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

static void subtitle(fm_figure *f, fm_buf *b)
{
	const fm_model *m = f->m;
	char day[FM_SCALE_DAY_MAX];

	fm_buf_printf(b, "%zu fork%s", m->nforks, m->nforks == 1 ? "" : "s");
	if (m->nforks != m->nmeasured)
		fm_buf_printf(b, " of %zu", m->nmeasured);
	if (m->hidden_top)
		fm_buf_printf(b, " \xc2\xb7 the %zu with most %s", m->nforks,
			      fm_model_weight_words(m->weight));
	if (f->opts->since.set)
		fm_buf_printf(b, " \xc2\xb7 active since %s",
			      fm_scale_day(f->opts->since.time, day));
}

int fm_figure_title(fm_figure *f, double k)
{
	fm_buf *b = &f->buf;
	char *title = fm_label_html(f->m->title, 120);
	int error;

	if (!title)
		return fm_figure_oom(f);
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
		return fm_figure_oom(f);
	error = fm_gv_set_html(f->ctx, f->g, f->g, "label", fm_buf_str(b));
	return error;
}

/* The label text of a node, escaped for an HTML-like label. */
static int node_text(fm_figure *f, const fm_node *n, fm_buf *b)
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
		return fm_figure_oom(f);
	if (mode == FM_LABEL_BOTH &&
	    !(c = fm_label_html(branch, NAME_MAX_CHARS))) {
		free(a);
		return fm_figure_oom(f);
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
static int node_tooltip(fm_figure *f, const fm_node *n, fm_buf *b)
{
	char day[FM_SCALE_DAY_MAX], num[32];
	char *name = fm_label_tooltip(n->name, 0), *extra = NULL;
	const fm_row *r = n->row;

	if (!name)
		return fm_figure_oom(f);
	fm_buf_puts(b, name);
	if (r) {
		if (n->branch && n->branch[0]) {
			if (!(extra = fm_label_tooltip(n->branch, 0))) {
				free(name);
				return fm_figure_oom(f);
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
		fm_buf_printf(b, " \xc2\xb7 %s %s", r ? "last commit" : "dated",
			      fm_scale_day(n->date.time, day));
	free(name);
	free(extra);
	return b->oom ? fm_figure_oom(f) : 0;
}

static int add_node(fm_figure *f, size_t i)
{
	const fm_node *n = &f->m->nodes[i];
	fm_buf *b = &f->buf;
	char id[32], fill[FM_COLOR_HEX_MAX], text[FM_COLOR_HEX_MAX];
	Agnode_t *gn;
	int error, has_text;

	snprintf(id, sizeof(id), "%s%zu",
		 n->kind == FM_NODE_FORK ? "fork" : "trunk", i);
	if (!(gn = agnode(f->g, id, 1)))
		return fm_figure_oom(f);
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
			return fm_figure_oom(f);
		fm_buf_reset(b);
		fm_buf_printf(b,
			      "<TABLE BORDER=\"0\" CELLBORDER=\"0\" "
			      "CELLSPACING=\"0\" CELLPADDING=\"3\" "
			      "BGCOLOR=\"%s\" STYLE=\"rounded\"><TR><TD>%s"
			      "</TD></TR></TABLE>",
			      fill, inner);
		free(inner);
		if (b->oom)
			return fm_figure_oom(f);
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
	    (error = fm_gv_set_num(f->ctx, gn, "width", 3, n->width)) < 0 ||
	    (error = fm_gv_set_num(f->ctx, gn, "height", 3, n->width)) < 0)
		return error;
	if (n->kind == FM_NODE_FORK)
		return 0;
	/* trunk nodes: bold tag, strong outline; the tip doubled */
	if ((error = fm_gv_set(f->ctx, gn, "fontname", FM_FONT_BOLD)) < 0 ||
	    (error = fm_gv_set_num(f->ctx, gn, "fontsize", 0,
				   FM_FONTSIZE_RELEASE)) < 0 ||
	    (error = fm_gv_set(f->ctx, gn, "color", f->theme->fg)) < 0 ||
	    (error = fm_gv_set(f->ctx, gn, "penwidth", "2.5")) < 0)
		return error;
	if (n->kind == FM_NODE_TIP &&
	    (error = fm_gv_set(f->ctx, gn, "shape", "doublecircle")) < 0)
		return error;
	return 0;
}

static int add_edge(fm_figure *f, size_t i)
{
	const fm_node *n = &f->m->nodes[i];
	const fm_node *p = &f->m->nodes[n->parent];
	int trunk = n->kind != FM_NODE_FORK;
	Agedge_t *e;
	int error;

	if (!(e = agedge(f->g, f->nodes[n->parent], f->nodes[i], NULL, 1)))
		return fm_figure_oom(f);
	if ((error = fm_gv_set_num(f->ctx, e, "penwidth", 2, n->penwidth)) <
		    0 ||
	    (error = fm_gv_set_num(f->ctx, e, "len", 2,
				   (n->width + p->width) / 2 +
					   (trunk ? 0.6 : 0.45))) < 0)
		return error;
	if (trunk && ((error = fm_gv_set(f->ctx, e, "color",
					 f->theme->trunk_edge)) < 0 ||
		      (error = fm_gv_set(f->ctx, e, "weight", "4")) < 0))
		return error;
	return 0;
}

int fm_figure_build(fm_figure *f)
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
