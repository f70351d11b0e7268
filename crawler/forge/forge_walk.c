/*
 * The page walker of every forge (see fm_forge_walk in forge_internal.h):
 * GET a list, then each next page as the forge says, until the forge says
 * there is none, a page is empty or the caller has enough. A next page
 * already read (a Link loop) fails the list at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forge/forge_internal.h"
#include "forge/forge_seen.h"

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

/* url as the key of a page: absolute (a first page is a path). */
static char *page_key(fm_forge *forge, const char *url)
{
	if (url[0] != '/')
		return strdup(url);
	return fm_forge_strdupf("%s%s", fm_http_base(forge->http), url);
}

/*
 * 1 when url was read before (a Link loop); else it is remembered and 0;
 * FM_ENOMEM. With also (the URL that answered after redirects), that one
 * too, unless it is url itself.
 */
static int visited(fm_forge *forge, fm_forge_seen *seen, const char *url,
		   const char *also)
{
	char *key = page_key(forge, url), *other = NULL;
	int rc;

	if (!key || (also && !(other = page_key(forge, also)))) {
		free(key);
		return FM_ENOMEM;
	}
	if (other && strcmp(other, key) == 0)
		rc = 1; /* url itself, already added */
	else
		rc = fm_forge_seen_add(seen, other ? other : key);
	free(key);
	free(other);
	return rc < 0 ? rc : !rc;
}

int fm_forge_walk(fm_forge *forge, fm_http_conn *conn, fm_ctx *ctx, char *url,
		  fm_forge_parse_fn parse, char **list_error,
		  fm_forge_walk_fn each, void *payload)
{
	fm_http_resp resp = FM_HTTP_RESP_INIT;
	struct walk w = {each, payload, NULL, 0, 1, 0};
	fm_forge_seen seen = FM_FORGE_SEEN_INIT;
	fm_forge_page page;
	fm_http_err err;
	char *next = NULL, *prev = NULL;
	size_t pages = 0;
	int rc = 0, again;

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
		/* a server whose Link points back at a page already read
		 * would be followed forever: stop at the first repeat */
		if ((again = visited(forge, &seen, url, NULL)) < 0)
			goto nomem;
		if (again) {
			*list_error = fm_forge_strdupf(
				"pagination loop: the next page after GET %s "
				"is %s, a page already read",
				prev ? prev : "?",
				fm_http_short(forge->http, url));
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
		if (resp.url &&
		    (again = visited(forge, &seen, url, resp.url))) {
			if (again < 0)
				goto nomem;
			*list_error = fm_forge_strdupf(
				"pagination loop: GET %s was redirected to %s, "
				"a page already read",
				fm_http_short(forge->http, url),
				fm_http_short(forge->http, resp.url));
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
		free(prev);
		if (!(prev = strdup(page.shown)))
			goto nomem;
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
	free(prev);
	fm_forge_seen_clear(&seen);
	fm_http_resp_clear(&resp);
	return rc;
nomem:
	err.code = FM_ENOMEM;
	snprintf(err.msg, sizeof(err.msg), "out of memory");
	rc = fm_forge_record_fatal(forge, &err);
	goto done;
}
