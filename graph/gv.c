/* graphviz attributes and errors (see gv.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gv.h"

#include <textspan.h>

/* In libgvc, not in its installed headers (common/render.h). */
extern pointf textspan_size(GVC_t *gvc, textspan_t *span);

static pthread_once_t gv_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t gv_lock = PTHREAD_MUTEX_INITIALIZER;
static GVC_t *gv_shared;

static void gv_start(void)
{
	gv_shared = gvContext();
}

GVC_t *fm_gv_begin(void)
{
	pthread_mutex_lock(&gv_lock);
	pthread_once(&gv_once, gv_start);
	return gv_shared;
}

void fm_gv_end(void)
{
	pthread_mutex_unlock(&gv_lock);
}

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
