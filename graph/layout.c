/*
 * Laying the figure out, in three passes:
 *
 * 1. neato (sfdp for big networks) places the nodes, overlaps allowed;
 * 2. the layout is turned so its long axis is horizontal and the trunk
 *    runs left (old) to right (new), then graphviz's "nop" engine removes
 *    overlaps (prism) around those positions: turning after overlap
 *    removal would let the horizontal label boxes collide again;
 * 3. the legends are pinned below the network and "nop2" routes the edges.
 */
#include <math.h>
#include <stdio.h>

#include "figure.h"

/* Above this many nodes, edges are straight lines (spline routing is
 * slow and a crowded figure gains nothing from it). */
#define SPLINES_MAX 400

static void read_positions(fm_figure *f)
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
static void orient(fm_figure *f)
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

static int set_positions(fm_figure *f, int pinned)
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
 * would be gigabytes). SVG and PDF are never limited. `w` x `h` inches.
 */
static void cap_png(fm_figure *f, double w, double h)
{
	double side = fmax(w, h), dpi = GD_drawing(f->g)->dpi;

	if (side <= 0 || side * dpi <= FM_RENDER_PNG_MAX)
		return;
	GD_drawing(f->g)->dpi = floor(FM_RENDER_PNG_MAX / side);
	fm_log(f->ctx, FM_LOG_WARN,
	       "figure is %.1f x %.1f in: PNG resolution lowered from %.0f to "
	       "%.0f dpi (use SVG or PDF for full detail)",
	       w, h, dpi, GD_drawing(f->g)->dpi);
}

/*
 * --width/--height: the canvas is exactly that, in every format. The
 * laid-out figure (bounding box bb, points) is fitted with a margin and
 * centred: the box graphviz draws (its bb, which the background fills) is
 * widened to the canvas's shape around it, and the drawing is scaled to
 * fill the page exactly, with no pad or device margin outside it. One side
 * alone: the other follows the figure's shape.
 */
static int fit_canvas(fm_figure *f, double *win, double *hin)
{
	const fm_render_opts *o = f->opts;
	const double margin = 0.25 * 72;
	boxf bb = GD_bb(f->g);
	double bw = fmax(bb.UR.x - bb.LL.x, 1), bh = fmax(bb.UR.y - bb.LL.y, 1);
	double W, H, z, cw, ch, cx, cy;
	int error;

	if (!(o->width > 0) && !(o->height > 0)) {
		*win = bw / 72 + 0.8; /* pad 0.4 in each side */
		*hin = bh / 72 + 0.8;
		return 0;
	}
	W = o->width * 72;
	H = o->height * 72;
	if (!(o->width > 0))
		W = bw * (H - 2 * margin) / bh + 2 * margin;
	if (!(o->height > 0))
		H = bh * (W - 2 * margin) / bw + 2 * margin;
	/* canvas points per graph point */
	z = fmin(fmax(W - 2 * margin, 1) / bw, fmax(H - 2 * margin, 1) / bh);
	cw = W / z;
	ch = H / z;
	cx = (bb.LL.x + bb.UR.x) / 2;
	cy = (bb.LL.y + bb.UR.y) / 2;
	bb.LL.x = cx - cw / 2;
	bb.UR.x = cx + cw / 2;
	bb.LL.y = cy - ch / 2;
	bb.UR.y = cy + ch / 2;
	GD_bb(f->g) = bb;
	/* read when rendering: "size" was read by the layout, so set the
	 * drawing's size itself, to be filled ("!") */
	GD_drawing(f->g)->size.x = W;
	GD_drawing(f->g)->size.y = H;
	GD_drawing(f->g)->filled = 1;
	if ((error = fm_gv_set(f->ctx, f->g, "pad", "0")) < 0 ||
	    (error = fm_gv_set(f->ctx, f->g, "margin", "0")) < 0)
		return error;
	*win = W / 72;
	*hin = H / 72;
	return 0;
}

/* The network's extent, labels included. */
static void network_extent(fm_figure *f, double *x0, double *x1, double *y0,
			   double *y1)
{
	size_t i;

	*x0 = *x1 = *y0 = *y1 = 0;
	for (i = 0; i < f->m->nnodes; i++) {
		Agnode_t *n = f->nodes[i];
		double hw = ND_width(n) * 36.0, hh = ND_height(n) * 36.0;

		if (ND_label(n) && ND_label(n)->dimen.x / 2 > hw)
			hw = ND_label(n)->dimen.x / 2;
		if (ND_label(n) && ND_label(n)->dimen.y / 2 > hh)
			hh = ND_label(n)->dimen.y / 2;
		if (!i || f->x[i] - hw < *x0)
			*x0 = f->x[i] - hw;
		if (!i || f->x[i] + hw > *x1)
			*x1 = f->x[i] + hw;
		if (!i || f->y[i] - hh < *y0)
			*y0 = f->y[i] - hh;
		if (!i || f->y[i] + hh > *y1)
			*y1 = f->y[i] + hh;
	}
}

int fm_figure_layout(fm_figure *f, GVC_t *gvc)
{
	double x0, x1, y0, y1, k, w = 0, h = 0, bottom;
	const char *engine =
		f->m->nnodes > FM_RENDER_NEATO_MAX ? "sfdp" : "neato";
	int error;
	int splines = f->m->nnodes <= SPLINES_MAX;

	if (f->opts->layout == FM_LAYOUT_TIMELINE) {
		if ((error = fm_figure_timeline(f, gvc)) < 0)
			return error;
	} else {
		if (gvLayout(gvc, f->g, (char *)engine) != 0)
			return fm_gv_failed(f->ctx, "graphviz layout");
		read_positions(f);
		gvFreeLayout(gvc, f->g);
		orient(f);

		if ((error = set_positions(f, 0)) < 0 ||
		    (error = fm_gv_set(f->ctx, f->g, "overlap", "prism")) < 0 ||
		    /* start prism from a layout scaled to twice the average
		     * label (graphviz's default of 4 leaves slides half
		     * empty) */
		    (error = fm_gv_set(f->ctx, f->g, "overlap_scaling", "-2")) <
			    0)
			return error;
		if (gvLayout(gvc, f->g, "nop") != 0)
			return fm_gv_failed(f->ctx, "graphviz overlap removal");
		read_positions(f);
	}
	network_extent(f, &x0, &x1, &y0, &y1);
	gvFreeLayout(gvc, f->g);

	/* Text around a big network grows with it, so it stays readable
	 * once the figure is shrunk onto a 13.33 x 7.5 in slide. */
	k = fmax(x1 - x0, (y1 - y0) * 16 / 9) / (14 * 72.0);
	k = k < 1 ? 1 : k > 8 ? 8 : k;
	/* the title wraps to the network's width (never under 6 in at
	 * k = 1), so a long one never widens the figure and shrinks the
	 * network on a fixed canvas */
	bottom = y0 - 12 * k;
	if ((error = set_positions(f, 1)) < 0 ||
	    (error = fm_figure_title(f, k, (x0 + x1) / 2, y1 + 18 * k,
				     fmax(x1 - x0, 6 * 72.0 * k))) < 0 ||
	    (f->opts->layout == FM_LAYOUT_TIMELINE &&
	     (error = fm_figure_axis(f, k, bottom, &bottom)) < 0) ||
	    (error = fm_legend_add(f, k, (x0 + x1) / 2, bottom - 28 * k)) < 0)
		return error;
	if (splines && (error = fm_gv_set(f->ctx, f->g, "splines", "true")) < 0)
		return error;
	if (gvLayout(gvc, f->g, "nop2") != 0)
		return fm_gv_failed(f->ctx, "graphviz edge routing");
	if ((error = fit_canvas(f, &w, &h)) < 0)
		return error;
	if (f->format == FM_FORMAT_PNG)
		cap_png(f, w, h);
	return 0;
}
