/* graphviz attributes and errors (see gv.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gv.h"

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
