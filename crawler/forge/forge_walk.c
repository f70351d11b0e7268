/*
 * The page walker of every forge (see fm_forge_walk in forge_internal.h):
 * GET a list, then each next page as the forge says, until the forge says
 * there is none, a page is empty or the caller has enough.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forge/forge_internal.h"

#define MAX_PAGES 5000 /* 500,000 entries: a Link loop, not a listing */

struct walk {
	fm_forge_walk_fn each;
	void *payload;
	const fm_forge_page *page;
	size_t index; /* items over all pages */
	int more;     /* 0: the caller has enough */
	int failed;   /* each ran out of memory */
};

static int take_item(const void *item, void *payload)
{
	struct walk *w = payload;
	int r = w->each(item, w->page, w->index++, w->payload);

	if (r < 0)
		w->failed = 1;
	else if (r == 0)
		w->more = 0;
	return r;
}

int fm_forge_walk(fm_forge *forge, fm_http_conn *conn, fm_ctx *ctx, char *url,
		  fm_forge_parse_fn parse, char **list_error,
		  fm_forge_walk_fn each, void *payload)
{
	fm_http_resp resp = FM_HTTP_RESP_INIT;
	struct walk w = {each, payload, NULL, 0, 1, 0};
	fm_forge_page page;
	fm_http_err err;
	char *next = NULL;
	size_t pages = 0;
	int rc = 0;

	if (!url)
		goto nomem;
	while (url && w.more) {
		size_t before = w.index;
		char *why = NULL;

		if (++pages > MAX_PAGES) {
			*list_error = fm_forge_strdupf(
				"GET %s: more than %d pages",
				fm_http_short(forge->http, url), MAX_PAGES);
			goto done;
		}
		if ((rc = fm_forge_get(forge, conn, ctx, url, &resp, &err)) <
		    0) {
			if (fm_http_fatal(rc)) {
				rc = fm_forge_record_fatal(forge, &err);
				goto done;
			}
			*list_error = strdup(err.msg);
			rc = 0;
			goto done;
		}
		page.resp = &resp;
		page.shown = fm_http_short(forge->http, resp.url);
		page.ops = forge->ops;
		w.page = &page;
		rc = parse(&page, take_item, &w, &why);
		if (rc < 0 && (w.failed || rc == FM_ENOMEM)) {
			free(why);
			goto nomem;
		}
		if (rc < 0) {
			*list_error = why;
			rc = 0;
			goto done;
		}
		free(url);
		url = NULL;
		if (forge->ops->next_page(&resp, &next) < 0)
			goto nomem;
		url = next;
		next = NULL;
		fm_http_resp_clear(&resp);
		if (w.index == before)
			break; /* an empty page: do not follow a loop */
	}
done:
	free(url);
	fm_http_resp_clear(&resp);
	return rc;
nomem:
	err.code = FM_ENOMEM;
	snprintf(err.msg, sizeof(err.msg), "out of memory");
	rc = fm_forge_record_fatal(forge, &err);
	goto done;
}
