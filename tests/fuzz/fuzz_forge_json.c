/*
 * Fuzz target: a forge's JSON answers. The input is the body of a page,
 * read by each forge (GitHub, GitLab, Forgejo) as its forks list, its
 * repository lookup and its branch list (crawler/forge/<forge>.c over
 * forge_parse.c and forge_json.c), each entry then checked the way the
 * walker checks it (name, clone URL).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "forge/forge_internal.h"

static const struct fm_forge_ops *taker; /* the forge being read */

static int take(const void *item, void *payload)
{
	const fm_forge_entry *e = item;
	size_t *n = payload;

	if (e->full_name)
		*n += (size_t)taker->name_ok(e->full_name);
	if (e->clone_url)
		*n += (size_t)fm_forge_clone_url_ok(e->clone_url);
	*n += e->default_branch ? strlen(e->default_branch) : 0;
	*n += e->pushed_at ? strlen(e->pushed_at) : 0;
	*n += e->created_at ? strlen(e->created_at) : 0;
	/* the numbers used, in unsigned arithmetic (no overflow) */
	*n += (size_t)e->stars + (size_t)e->forks_count;
	return 1;
}

static int take_branch(const void *item, void *payload)
{
	size_t *n = payload;

	*n += item ? strlen(item) : 0;
	return 1;
}

static void parse(fm_forge_parse_fn fn, fm_forge_item_fn each,
		  const fm_forge_page *page)
{
	size_t n = 0;
	char *why = NULL;

	fn(page, each, &n, &why);
	free(why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fm_forge_ops *const forges[] = {
		&fm_forge_github_ops, &fm_forge_gitlab_ops,
		&fm_forge_forgejo_ops};
	fm_http_resp resp = FM_HTTP_RESP_INIT;
	fm_forge_page page;
	size_t i;

	/* a body comes NUL-terminated from the transport (fm_http_resp) */
	if (!(resp.body = malloc(size + 1)))
		return 0;
	if (size)
		memcpy(resp.body, data, size);
	resp.body[size] = '\0';
	resp.len = size;
	resp.status = 200;
	for (i = 0; i < sizeof(forges) / sizeof(forges[0]); i++) {
		memset(&page, 0, sizeof(page));
		page.resp = &resp;
		page.shown = "/repos/o/r/forks";
		page.ops = taker = forges[i];
		parse(taker->parse_forks, take, &page);
		parse(taker->parse_repo, take, &page);
		parse(taker->parse_branches, take_branch, &page);
	}
	free(resp.body);
	return 0;
}
