/*
 * graphviz attributes and errors, the process's one graphviz context, and
 * what makes its output repeatable and safely written (see gv.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/output.h"
#include "gv.h"

#include <textspan.h>

/* In libgvc, not in its installed headers (common/render.h). */
extern pointf textspan_size(GVC_t *gvc, textspan_t *span);

static pointf text_size(GVC_t *gvc, const char *font, double size,
			const char *text)
{
	textfont_t tf;
	textspan_t span;
	pointf sz = {0, 0};

	if (!gvc || !text || !text[0])
		return sz;
	memset(&tf, 0, sizeof(tf));
	memset(&span, 0, sizeof(span));
	tf.name = (char *)font;
	tf.size = size;
	span.str = (char *)text;
	span.font = &tf;
	span.just = 'n';
	sz = textspan_size(gvc, &span);
	if (span.free_layout && span.layout)
		span.free_layout(span.layout);
	return sz;
}

double fm_gv_text_width(GVC_t *gvc, const char *font, double size,
			const char *text)
{
	return text_size(gvc, font, size, text).x;
}

double fm_gv_text_height(GVC_t *gvc, const char *font, double size,
			 const char *text)
{
	pointf sz = text_size(gvc, font, size, text);

	return sz.y > 0 ? sz.y : size * 1.2;
}

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

int fm_gv_set_num(fm_ctx *ctx, void *obj, const char *name, int decimals,
		  double v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	return fm_gv_set(ctx, obj, name, buf);
}

int fm_gv_failed(fm_ctx *ctx, const char *what)
{
	char *msg = aglasterr();
	size_t n = msg ? strlen(msg) : 0;

	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	fm_error_set(ctx, FM_ERENDER, "%s failed%s%s", what, n ? ": " : "",
		     n ? msg : "");
	free(msg);
	return FM_ERENDER;
}

/*
 * graphviz numbers SVG gradients (id="l_7", url(#l_7)) with a counter that
 * lives as long as the process, so a second figure drawn in the same
 * process would differ. Renumber from 0, in place (never longer).
 */
size_t fm_gv_svg_renumber(char *svg, size_t len)
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

GVC_t *fm_gv_acquire(int *errlevel)
{
	pthread_mutex_lock(&gv_lock);
	*errlevel = agseterr(AGMAX); /* keep messages, print nothing */
	agreseterrors();
	pthread_once(&gv_once, gv_start);
	return gv_shared;
}

void fm_gv_release(int errlevel)
{
	agseterr(errlevel);
	pthread_mutex_unlock(&gv_lock);
}

/*
 * cairo stamps PDFs with the time of rendering; use the input's time
 * instead so the same input gives the same bytes. Same length, so the
 * PDF's offsets stay right.
 */
void fm_gv_pdf_date(char *pdf, size_t len, int64_t when)
{
	static const char key[] = "/CreationDate (D:";
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

int fm_gv_write(fm_ctx *ctx, const char *path, fm_render_format format,
		fm_gv_draw_fn draw, void *payload)
{
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
	if ((error = draw(ctx, payload, format, &data, &len)) < 0)
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

const char *fm_gv_format(fm_render_format format)
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
