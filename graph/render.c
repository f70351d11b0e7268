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
#include <time.h>

#include <gvc.h>

#include <forkmap/render.h>

#include "core/output.h"
#include "figure.h"
#include "options.h"

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
	gvc = fm_gv_begin();
	errlevel = agseterr(AGMAX); /* keep messages, print nothing */
	agreseterrors();
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
	if (gvRenderData(gvc, f.g, (char *)gv_format(format), &data, &n) != 0 ||
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
	fm_gv_end();
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
	fm_output o;
	int error;

	if (!path || !path[0])
		return fm_error_set(ctx, FM_EINVAL, "no output file given");
	if (format == FM_FORMAT_AUTO)
		format = fm_render_format_from_path(path);
	if (format == FM_FORMAT_AUTO) {
		const char *base = strrchr(path, '/');
		const char *dot = strrchr(base ? base : path, '.');

		/* "figure" is SVG; "figure.jpg" is a mistake, not an SVG */
		if (dot && dot[1])
			return fm_error_set(ctx, FM_EINVAL,
					    "cannot write a figure as '%s': "
					    "name it .svg, .png, .pdf or .dot, "
					    "or give --format",
					    dot);
		format = FM_FORMAT_SVG;
	}
	if ((error = render(ctx, census, opts, format, &data, &len)) < 0)
		return error;
	/* the one atomic writer: a failed write keeps the previous figure */
	if ((error = fm_output_open(ctx, &o, path, NULL)) < 0)
		goto done;
	if (fwrite(data, 1, len, o.f) != len)
		error = fm_error_set(ctx, FM_EIO, "cannot write '%s': %s", path,
				     strerror(errno));
	error = fm_output_commit(ctx, &o, error);
done:
	free(data);
	return error;
}
