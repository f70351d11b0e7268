/*
 * Forgejo and Gitea (API v1: Codeberg, or https://HOST/api/v1) as a
 * forge. Its fork list cannot be sorted by stars: every page is listed
 * and the most starred kept (forge_list.c). Pages are ?page=N&limit=L;
 * L is capped by the server (MAX_RESPONSE_ITEMS, 50 by default), and the
 * fork list sends X-Total-Count but no Link: page until the count is
 * reached or a short page arrives. Branch lists do send Link (entries
 * without a space after the comma, which fm_http_link_next reads). A
 * renamed repository answers 307 with a relative Location (followed by
 * http.c); a blocked or deleted one 404. The token goes as
 * "Authorization: token ...".
 */
#include <stdlib.h>
#include <string.h>

#include "forge/forge_json.h"

#define LIMIT 50 /* MAX_RESPONSE_ITEMS by default */

static const char *const headers[] = {
	"Accept: application/json",
	NULL,
};

static int name_ok(const char *s)
{
	return fm_forge_path_ok(s, 2);
}

static char *repo_url(const char *full_name)
{
	return fm_forge_strdupf("/repos/%s", full_name);
}

static char *forks_url(const char *full_name)
{
	return fm_forge_strdupf("/repos/%s/forks?page=1&limit=%d", full_name,
				LIMIT);
}

static char *branches_url(const char *full_name)
{
	return fm_forge_strdupf("/repos/%s/branches?page=1&limit=%d", full_name,
				LIMIT);
}

/*
 * Link when there is one; else from the page number, the limit asked, the
 * items answered and X-Total-Count. A first page shorter than asked while
 * the total says there is more means the server caps the limit lower: ask
 * that many. Without a total (absent after a 304), a short page ends the
 * list, but for the first, which is followed by one more of its size.
 */
static int next_page(const fm_http_resp *resp, char **out)
{
	long page, per, count, total = -1;
	char *end, *url;

	if (fm_http_link_next(resp->link, out) < 0)
		return FM_ENOMEM;
	if (*out || !resp->url)
		return 0;
	page = fm_forge_url_param(resp->url, "page", 1);
	per = fm_forge_url_param(resp->url, "limit", LIMIT);
	if ((count = fm_forge_page_count(resp)) <= 0 || per <= 0 || page < 1)
		return 0;
	if (resp->total) {
		total = strtol(resp->total, &end, 10);
		if (end == resp->total || *end || total < 0)
			total = -1;
	}
	if (total >= 0) {
		if (page == 1 && count < per && count < total)
			per = count; /* the server's cap */
		if (page * per >= total)
			return 0;
	} else if (count < per) {
		/* no total (a 304, or a proxy dropped it): a short first page
		 * may be a lower cap, not the end; one more page at that size
		 * tells (the walker stops at an empty one) */
		if (page != 1)
			return 0;
		per = count;
	}
	if (!(url = fm_forge_url_with(resp->url, "limit", per)))
		return FM_ENOMEM;
	*out = fm_forge_url_with(url, "page", page + 1);
	free(url);
	return *out ? 0 : FM_ENOMEM;
}

/* Forgejo has no pushed_at; updated_at moves with every push. */
static const struct fm_forge_keys keys = {
	.full_name = "full_name",
	.clone_url = "clone_url",
	.default_branch = "default_branch",
	.stars = "stars_count",
	.forks_count = "forks_count",
	.pushed_at = "updated_at",
	.created_at = "created_at",
};

const struct fm_forge_ops fm_forge_forgejo_ops = {
	.name = "forgejo",
	.title = "Forgejo",
	.source = FM_SOURCE_FORGEJO,
	.default_api = "https://codeberg.org/api/v1",
	.token_env = "FORGEJO_TOKEN",
	.ratelimit_prefix = "x-ratelimit-",
	.headers = headers,
	.auth_name = NULL,
	.auth_scheme = "token",
	.unsorted = 1,
	.not_modified_counts = 0,
	.name_ok = name_ok,
	.repo_url = repo_url,
	.forks_url = forks_url,
	.branches_url = branches_url,
	.next_page = next_page,
	.parse_repo = fm_forge_parse_repo,
	.parse_forks = fm_forge_parse_forks,
	.parse_branches = fm_forge_parse_branches,
	.keys = &keys,
	.get = NULL,
};
