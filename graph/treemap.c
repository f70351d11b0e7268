/*
 * The treemap of a show's directories (include/forkmap/show.h), drawn in
 * two passes:
 *
 * 1. graphviz's patchwork lays the boxes out, one node per directory
 *    with area = lines changed (a squarified treemap);
 * 2. a second graph pins every box where patchwork put it (fixed size),
 *    gives it the label that fits it (path and lines, else the path,
 *    else its last component, in the largest font from 14 to 7 points
 *    that fits; none at all for a box too small, whose tooltip still
 *    names it), and adds the title and the colour legend below; "nop"
 *    keeps those positions and the result is rendered.
 *
 * Directories come sorted (most lines first, then by path) and patchwork
 * is deterministic, so the same show gives the same bytes (PDF date and
 * SVG ids fixed as for the fork figure).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gvc.h>

#include <forkmap/show.h>
#include <forkmap/render.h>

#include "core/buf.h"
#include "graph/colormap.h"
#include "graph/gv.h"
#include "graph/label.h"

#define FONT "Helvetica"
#define FONT_BOLD "Helvetica-Bold"
#define CHAR_W 0.6  /* average glyph width, in font sizes */
#define LINE_H 1.25 /* line height, in font sizes */
#define MAP_W 960.0 /* points: the treemap's area is about MAP_W x MAP_H */
#define MAP_H 600.0
#define SWATCHES 6

struct cell {
	const fm_show_dir *d;
	double x, y, w, h; /* centre and size, points */
};

struct treemap {
	fm_ctx *ctx;
	const fm_show *show;
	const fm_treemap_opts *opts;
	struct cell *cells;
	size_t n;
	double vmin, vmax; /* of the colour's value */
	double x0, x1, y0, y1;
	fm_render_format format;
	fm_buf buf;
};

static double lines_of(const fm_show_dir *d)
{
	return (double)d->insertions + (double)d->deletions;
}

static double value_of(const struct treemap *t, const fm_show_dir *d)
{
	if (t->opts->colour == FM_TREEMAP_RECENCY)
		return d->newest.set ? (double)d->newest.time : t->vmin;
	return log1p((double)(d->commits > 0 ? d->commits : 0));
}

static uint32_t fill_of(const struct treemap *t, double v)
{
	return fm_colormap_viridis(
		t->vmax > t->vmin ? (v - t->vmin) / (t->vmax - t->vmin) : 1.0);
}

static int oom(struct treemap *t)
{
	return fm_error_set(t->ctx, FM_ENOMEM, "out of memory");
}

/* Pass 1: patchwork places the boxes. */
static int place(struct treemap *t, GVC_t *gvc)
{
	Agraph_t *g = agopen("treemap", Agundirected, NULL);
	Agnode_t **nodes = NULL;
	double total = 0, k;
	char name[32];
	size_t i;
	int error = 0;

	if (!g)
		return oom(t);
	if (!(nodes = calloc(t->n, sizeof(*nodes)))) {
		error = oom(t);
		goto done;
	}
	for (i = 0; i < t->n && error == 0; i++) {
		snprintf(name, sizeof(name), "d%zu", i);
		if (!(nodes[i] = agnode(g, name, 1)))
			error = oom(t);
		else
			error = fm_gv_set_num(t->ctx, nodes[i], "area", 0,
					      lines_of(t->cells[i].d));
	}
	if (error)
		goto done;
	if (gvLayout(gvc, g, "patchwork") != 0) {
		error = fm_gv_failed(t->ctx, "graphviz treemap layout");
		goto done;
	}
	for (i = 0; i < t->n; i++) {
		struct cell *c = &t->cells[i];

		c->x = ND_coord(nodes[i]).x;
		c->y = ND_coord(nodes[i]).y;
		/* points; ND_width is not updated until output */
		c->w = ND_lw(nodes[i]) + ND_rw(nodes[i]);
		c->h = ND_ht(nodes[i]);
		if (!i || c->x - c->w / 2 < t->x0)
			t->x0 = c->x - c->w / 2;
		if (!i || c->x + c->w / 2 > t->x1)
			t->x1 = c->x + c->w / 2;
		if (!i || c->y - c->h / 2 < t->y0)
			t->y0 = c->y - c->h / 2;
		if (!i || c->y + c->h / 2 > t->y1)
			t->y1 = c->y + c->h / 2;
	}
	gvFreeLayout(gvc, g);
	/* scale to about MAP_W x MAP_H points, whatever patchwork's unit */
	total = (t->x1 - t->x0) * (t->y1 - t->y0);
	k = total > 0 ? sqrt(MAP_W * MAP_H / total) : 1;
	for (i = 0; i < t->n; i++) {
		struct cell *c = &t->cells[i];

		c->x = (c->x - t->x0) * k;
		c->y = (c->y - t->y0) * k;
		c->w *= k;
		c->h *= k;
	}
	t->x1 = (t->x1 - t->x0) * k;
	t->y1 = (t->y1 - t->y0) * k;
	t->x0 = t->y0 = 0;
done:
	free(nodes);
	agclose(g);
	return error;
}

/* Code points of UTF-8 text (a label's width in glyphs). */
static size_t glyphs(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/*
 * The label of a box: the first of (path and lines, path, last
 * component) that fits at the largest font size from 14 to 7 points.
 * Returns 0 with *html NULL when nothing fits.
 */
static int fit_label(struct treemap *t, const struct cell *c, char **html,
		     double *size)
{
	const char *path = c->d->path, *slash = strrchr(path, '/');
	const char *texts[3] = {path, path, slash ? slash + 1 : path};
	char lines[32];
	int fs, k;

	*html = NULL;
	snprintf(lines, sizeof(lines), "%.0f line%s", lines_of(c->d),
		 lines_of(c->d) == 1 ? "" : "s");
	for (fs = 14; fs >= 7; fs--) {
		for (k = 0; k < 3; k++) {
			size_t w = glyphs(texts[k]);
			int rows = k == 0 ? 2 : 1;
			char *text;

			if (k == 0 && glyphs(lines) > w)
				w = glyphs(lines);
			if (w * CHAR_W * fs > c->w - 6 ||
			    rows * LINE_H * fs > c->h - 4)
				continue;
			if (!(text = fm_label_html(texts[k], 0)))
				return oom(t);
			fm_buf_reset(&t->buf);
			fm_buf_printf(&t->buf, "%s%s%s", text,
				      k == 0 ? "<BR/>" : "",
				      k == 0 ? lines : "");
			free(text);
			if (t->buf.oom || !(*html = strdup(t->buf.ptr)))
				return oom(t);
			*size = fs;
			return 0;
		}
	}
	return 0;
}

static int add_box(struct treemap *t, Agraph_t *g, size_t i)
{
	const struct cell *c = &t->cells[i];
	uint32_t fill = fill_of(t, value_of(t, c->d));
	char name[32], hex[FM_COLOR_HEX_MAX], ink[FM_COLOR_HEX_MAX], *html,
		*tip;
	double fs = 7;
	Agnode_t *n;
	int error;

	snprintf(name, sizeof(name), "d%zu", i);
	if (!(n = agnode(g, name, 1)))
		return oom(t);
	if ((error = fit_label(t, c, &html, &fs)) < 0)
		return error;
	if (!(tip = fm_label_tooltip(c->d->path, 0))) {
		free(html);
		return oom(t);
	}
	fm_buf_reset(&t->buf);
	fm_buf_printf(&t->buf, "%s: %ld files, +%ld -%ld, %ld commits", tip,
		      c->d->files, c->d->insertions, c->d->deletions,
		      c->d->commits);
	free(tip);
	if (t->buf.oom) {
		free(html);
		return oom(t);
	}
	if ((error = fm_gv_pin(t->ctx, n, c->x, c->y)) < 0 ||
	    (error = fm_gv_set_num(t->ctx, n, "width", 4, c->w / 72.0)) < 0 ||
	    (error = fm_gv_set_num(t->ctx, n, "height", 4, c->h / 72.0)) < 0 ||
	    (error = fm_gv_set(t->ctx, n, "fillcolor",
			       fm_color_hex(fill, hex))) < 0 ||
	    (error = fm_gv_set(t->ctx, n, "fontcolor",
			       fm_color_hex(fm_color_text_on(fill), ink))) <
		    0 ||
	    (error = fm_gv_set_num(t->ctx, n, "fontsize", 0, fs)) < 0 ||
	    (error = fm_gv_set(t->ctx, n, "tooltip", t->buf.ptr)) < 0)
		goto done;
	error = html ? fm_gv_set_html(t->ctx, g, n, "label", html)
		     : fm_gv_set(t->ctx, n, "label", "");
done:
	free(html);
	return error;
}

/* A text node pinned at (x, y), its HTML label made of safe text. */
static int text(struct treemap *t, Agraph_t *g, const char *name, double x,
		double y, const char *raw, double size, const char *font)
{
	Agnode_t *n = agnode(g, (char *)name, 1);
	char *safe = fm_label_html(raw, 160);
	int error;

	if (!n || !safe) {
		free(safe);
		return oom(t);
	}
	fm_buf_reset(&t->buf);
	fm_buf_puts(&t->buf, safe);
	free(safe);
	if (t->buf.oom)
		return oom(t);
	if ((error = fm_gv_pin(t->ctx, n, x, y)) < 0 ||
	    (error = fm_gv_set(t->ctx, n, "shape", "plaintext")) < 0 ||
	    (error = fm_gv_set(t->ctx, n, "style", "")) < 0 ||
	    (error = fm_gv_set(t->ctx, n, "fixedsize", "false")) < 0 ||
	    (error = fm_gv_set(t->ctx, n, "fontname", font)) < 0 ||
	    (error = fm_gv_set_num(t->ctx, n, "fontsize", 0, size)) < 0)
		return error;
	return fm_gv_set_html(t->ctx, g, n, "label", t->buf.ptr);
}

/* The value at t of the colour scale, as a legend's tick label. */
static void tick(const struct treemap *t, double v, char *buf, size_t size)
{
	if (t->opts->colour == FM_TREEMAP_RECENCY) {
		fm_date d = {(int64_t)v, 0, 1};
		char iso[FM_DATE_ISO_MAX];

		snprintf(buf, size, "%.10s", fm_date_iso(&d, iso));
	} else {
		snprintf(buf, size, "%.0f", expm1(v));
	}
}

/* A swatch's value: commits are whole numbers, coloured as such. */
static double swatch_value(const struct treemap *t, double v)
{
	if (t->opts->colour == FM_TREEMAP_RECENCY)
		return v;
	return log1p(floor(expm1(v) + 0.5));
}

static int legend(struct treemap *t, Agraph_t *g)
{
	double cx = (t->x0 + t->x1) / 2, y = t->y0 - 34, sw = 64;
	char name[32], label[40], prev[40] = "", hex[FM_COLOR_HEX_MAX];
	int i, error;

	if ((error = text(t, g, "legend_area", cx, y,
			  "box area: lines changed (insertions + deletions)",
			  13, FONT)) < 0 ||
	    (error = text(t, g, "legend_colour", cx, y - 22,
			  t->opts->colour == FM_TREEMAP_RECENCY
				  ? "colour: newest unique commit touching "
				    "the directory"
				  : "colour: unique commits touching the "
				    "directory",
			  13, FONT)) < 0)
		return error;
	for (i = 0; i < SWATCHES; i++) {
		double v = swatch_value(t, t->vmin + (t->vmax - t->vmin) * i /
							     (SWATCHES - 1));
		double x = cx + (i - (SWATCHES - 1) / 2.0) * sw;
		Agnode_t *n;

		tick(t, v, label, sizeof(label));
		if (!strcmp(label, prev)) /* few values: one swatch each */
			continue;
		snprintf(prev, sizeof(prev), "%s", label);
		snprintf(name, sizeof(name), "legend_swatch%d", i);
		if (!(n = agnode(g, name, 1)))
			return oom(t);
		if ((error = fm_gv_pin(t->ctx, n, x, y - 50)) < 0 ||
		    (error = fm_gv_set_num(t->ctx, n, "width", 3, sw / 72)) <
			    0 ||
		    (error = fm_gv_set(t->ctx, n, "height", "0.2")) < 0 ||
		    (error = fm_gv_set(t->ctx, n, "label", "")) < 0 ||
		    (error = fm_gv_set(t->ctx, n, "fillcolor",
				       fm_color_hex(fill_of(t, v), hex))) < 0)
			return error;
		snprintf(name, sizeof(name), "legend_tick%d", i);
		if ((error = text(t, g, name, x, y - 70, label, 11, FONT)) < 0)
			return error;
	}
	return 0;
}

static int titles(struct treemap *t, Agraph_t *g)
{
	const fm_row *r = t->show->row;
	double cx = (t->x0 + t->x1) / 2;
	char *title = NULL;
	int error;

	fm_buf_reset(&t->buf);
	if (t->opts->title)
		fm_buf_puts(&t->buf, t->opts->title);
	else
		fm_buf_printf(&t->buf, "%s:%s: where the work lives", r->name,
			      r->branch);
	if (t->buf.oom || !(title = strdup(t->buf.ptr)))
		return oom(t);
	error = text(t, g, "title", cx, t->y1 + 40, title, 24, FONT_BOLD);
	free(title);
	if (error < 0)
		return error;
	fm_buf_reset(&t->buf);
	fm_buf_printf(&t->buf,
		      "%zu directories (depth %d) \xc2\xb7 %ld files, +%ld "
		      "-%ld lines \xc2\xb7 %zu patches in %ld unique commits",
		      t->show->ndirs, t->show->depth, r->files, r->insertions,
		      r->deletions, t->show->total_patches, r->unique);
	if (t->buf.oom || !(title = strdup(t->buf.ptr)))
		return oom(t);
	error = text(t, g, "subtitle", cx, t->y1 + 14, title, 13, FONT);
	free(title);
	return error;
}

/* Pass 2: the drawing. */
static int draw_graph(struct treemap *t, GVC_t *gvc, Agraph_t *g)
{
	size_t i;
	int error;

	if ((error = fm_gv_set(t->ctx, g, "bgcolor", "white")) < 0 ||
	    (error = fm_gv_set(t->ctx, g, "pad", "0.3")) < 0 ||
	    (error = fm_gv_set(t->ctx, g, "fontname", FONT)) < 0 ||
	    (t->format == FM_FORMAT_PNG &&
	     (error = fm_gv_set_num(t->ctx, g, "dpi", 0,
				    t->opts->dpi > 0 ? t->opts->dpi
						     : FM_RENDER_DPI)) < 0) ||
	    /* defaults for every node made below */
	    !agattr(g, AGNODE, "shape", "box") ||
	    !agattr(g, AGNODE, "style", "filled") ||
	    !agattr(g, AGNODE, "fixedsize", "true") ||
	    !agattr(g, AGNODE, "color", "white") ||
	    !agattr(g, AGNODE, "penwidth", "1") ||
	    !agattr(g, AGNODE, "fontname", FONT) ||
	    !agattr(g, AGNODE, "margin", "0.02"))
		return error < 0 ? error : oom(t);
	for (i = 0; i < t->n; i++)
		if ((error = add_box(t, g, i)) < 0)
			return error;
	if (!t->n) {
		t->x0 = t->y0 = 0;
		t->x1 = MAP_W;
		t->y1 = 60;
		if ((error = text(t, g, "empty", MAP_W / 2, 30,
				  "no lines changed since the merge base", 14,
				  FONT)) < 0)
			return error;
	}
	if ((error = titles(t, g)) < 0 || (t->n && (error = legend(t, g)) < 0))
		return error;
	if (gvLayout(gvc, g, "nop") != 0)
		return fm_gv_failed(t->ctx, "graphviz treemap drawing");
	return 0;
}

static int draw(fm_ctx *ctx, void *payload, fm_render_format format, char **out,
		size_t *len)
{
	struct treemap *t = payload;
	Agraph_t *g = NULL;
	GVC_t *gvc;
	char *data = NULL;
	unsigned int n = 0;
	int error, errlevel;

	*out = NULL;
	*len = 0;
	if (format == FM_FORMAT_AUTO)
		format = FM_FORMAT_SVG;
	t->format = format;
	gvc = fm_gv_acquire(&errlevel);
	if (!gvc) {
		error = fm_error_set(ctx, FM_ERENDER, "cannot start graphviz");
		goto done;
	}
	if (t->n && (error = place(t, gvc)) < 0)
		goto done;
	if (!(g = agopen("treemap", Agundirected, NULL))) {
		error = oom(t);
		goto done;
	}
	if ((error = draw_graph(t, gvc, g)) < 0)
		goto done;
	if (gvRenderData(gvc, g, (char *)fm_gv_format(format), &data, &n) !=
		    0 ||
	    !data) {
		error = fm_gv_failed(ctx, "graphviz rendering");
		goto done;
	}
	if (!(*out = malloc((size_t)n + 1))) {
		error = oom(t);
		goto done;
	}
	memcpy(*out, data, n);
	(*out)[n] = '\0';
	*len = n;
	if (format == FM_FORMAT_PDF)
		fm_gv_pdf_date(*out, n, t->show->census->finished);
	if (format == FM_FORMAT_SVG)
		*len = fm_gv_svg_renumber(*out, *len);
	error = 0;
done:
	if (data)
		gvFreeRenderData(data);
	if (g) {
		gvFreeLayout(gvc, g);
		agclose(g);
	}
	fm_gv_release(errlevel);
	return error;
}

/* The boxes (directories with lines changed) and the colour range. */
static int prepare(fm_ctx *ctx, const fm_show *show,
		   const fm_treemap_opts *opts, struct treemap *t)
{
	size_t i;
	int seen = 0;

	memset(t, 0, sizeof(*t));
	t->ctx = ctx;
	t->show = show;
	t->opts = opts;
	if (!(t->cells = calloc(show->ndirs + 1, sizeof(*t->cells))))
		return oom(t);
	for (i = 0; i < show->ndirs; i++) {
		const fm_show_dir *d = &show->dirs[i];
		double v;

		if (!(lines_of(d) > 0))
			continue;
		t->cells[t->n++].d = d;
		v = value_of(t, d);
		if (opts->colour == FM_TREEMAP_RECENCY && !d->newest.set)
			continue;
		if (!seen || v < t->vmin)
			t->vmin = v;
		if (!seen || v > t->vmax)
			t->vmax = v;
		seen = 1;
	}
	if (opts->colour == FM_TREEMAP_COMMITS)
		t->vmin = 0;
	return 0;
}

int fm_show_treemap_buffer(fm_ctx *ctx, const fm_show *show,
			   const fm_treemap_opts *opts, char **out, size_t *len)
{
	fm_treemap_opts defaults = FM_TREEMAP_OPTS_INIT;
	struct treemap t;
	int error;

	if ((error = prepare(ctx, show, opts ? opts : &defaults, &t)) == 0)
		error = draw(ctx, &t,
			     (fm_render_format)(opts ? opts->format : 0), out,
			     len);
	free(t.cells);
	fm_buf_clear(&t.buf);
	return error;
}

int fm_show_treemap_file(fm_ctx *ctx, const fm_show *show,
			 const fm_treemap_opts *opts, const char *path)
{
	fm_treemap_opts defaults = FM_TREEMAP_OPTS_INIT;
	struct treemap t;
	int error;

	if (!opts)
		opts = &defaults;
	if ((error = prepare(ctx, show, opts, &t)) == 0)
		error = fm_gv_write(ctx, path, (fm_render_format)opts->format,
				    draw, &t);
	free(t.cells);
	fm_buf_clear(&t.buf);
	return error;
}
