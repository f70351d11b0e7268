/*
 * The figure rendered: the model built, the graph drawn and laid out
 * (figure.c, layout.c), then graphviz's output made repeatable and handed
 * back in memory or written to a file.
 *
 * graphviz reports problems through a process-wide handler; while we run,
 * messages are kept (agseterr(AGMAX)) instead of printed, and the last one
 * becomes the error message. gvRenderFilename is not used: graphviz exits
 * the process when it cannot open an output file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gvc.h>

#include <forkmap/render.h>

#include "figure.h"
#include "options.h"

/* The census's time (the newest date in the figure for a CSV). */
static int64_t figure_time(const fm_census *census, const fm_model *m)
{
	return census->finished > 0 ? census->finished
	       : m->has_dates	    ? m->date_max
				    : 0;
}

static int render(fm_ctx *ctx, const fm_census *census,
		  const fm_render_opts *opts, fm_render_format format,
		  char **out, size_t *len)
{
	fm_render_opts defaults = FM_RENDER_OPTS_INIT;
	fm_figure f;
	fm_model *m = NULL;
	GVC_t *gvc = NULL;
	char *data = NULL;
	unsigned int n = 0;
	int error, errlevel;

	*out = NULL;
	*len = 0;
	if (!opts)
		opts = &defaults;
	if ((error = fm_render_opts_check(ctx, opts)) < 0 ||
	    (error = fm_model_build(ctx, census, opts, &m)) < 0)
		return error;

	if (m->capped)
		fm_log(ctx, FM_LOG_WARN,
		       "%zu forks are too many for one figure: drawing the %zu "
		       "with most %s, %zu left out (--top N to choose)",
		       m->nforks + m->hidden_top, m->nforks,
		       fm_model_weight_words(m->weight), m->hidden_top);
	memset(&f, 0, sizeof(f));
	f.ctx = ctx;
	f.census = census;
	f.m = m;
	f.opts = opts;
	f.theme = fm_theme_get(opts->theme);
	f.format = format;
	gvc = fm_gv_acquire(&errlevel);
	if (!(f.nodes = calloc(m->nnodes + 1, sizeof(*f.nodes))) ||
	    !(f.x = calloc(m->nnodes + 1, sizeof(*f.x))) ||
	    !(f.y = calloc(m->nnodes + 1, sizeof(*f.y)))) {
		error = fm_figure_oom(&f);
		goto done;
	}
	f.gvc = gvc;
	if (!gvc) {
		error = fm_error_set(ctx, FM_ERENDER, "cannot start graphviz");
		goto done;
	}
	if (!(f.g = agopen("forkmap", Agundirected, NULL))) {
		error = fm_figure_oom(&f);
		goto done;
	}
	if ((error = fm_figure_build(&f)) < 0 ||
	    (error = fm_figure_layout(&f, gvc)) < 0)
		goto done;
	if (gvRenderData(gvc, f.g, (char *)fm_gv_format(format), &data, &n) !=
		    0 ||
	    !data) {
		error = fm_gv_failed(ctx, "graphviz rendering");
		goto done;
	}
	if (!(*out = malloc((size_t)n + 1))) {
		error = fm_figure_oom(&f);
		goto done;
	}
	memcpy(*out, data, n);
	(*out)[n] = '\0';
	*len = n;
	if (format == FM_FORMAT_PDF)
		fm_gv_pdf_date(*out, n, figure_time(census, m));
	if (format == FM_FORMAT_SVG)
		*len = fm_gv_svg_renumber(*out, *len);
	error = 0;

done:
	if (data)
		gvFreeRenderData(data);
	if (gvc && f.g)
		gvFreeLayout(gvc, f.g);
	if (f.g)
		agclose(f.g);
	fm_gv_release(errlevel);
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

struct draw_census {
	const fm_census *census;
	const fm_render_opts *opts;
};

static int draw_census(fm_ctx *ctx, void *payload, fm_render_format format,
		       char **out, size_t *len)
{
	struct draw_census *d = payload;

	return render(ctx, d->census, d->opts, format, out, len);
}

int fm_render_file(fm_ctx *ctx, const fm_census *census,
		   const fm_render_opts *opts, const char *path)
{
	struct draw_census d = {census, opts};

	return fm_gv_write(ctx, path, opts ? opts->format : FM_FORMAT_AUTO,
			   draw_census, &d);
}
