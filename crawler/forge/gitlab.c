/*
 * GitLab (REST v4: gitlab.com, or a self-managed instance at
 * https://HOST/api/v4) as a forge: its names (paths with subgroups), URLs
 * and documents. A project is looked up by its URL-encoded path
 * (/projects/group%2Fsub%2Fproject); a renamed one answers 301 to
 * /projects/<id>, which http.c follows. Offset pagination gives the next
 * page in Link (rel="next") and x-next-page; above 10,000 items the totals
 * and rel="last" are left out, never rel="next". Rate limits are
 * RateLimit-* with 429 and Retry-After, in fixed windows where a 304
 * counts like any request.
 */
#include <stdlib.h>
#include <string.h>

#include "forge/forge_json.h"

#define MAX_DEPTH 21 /* a namespace nests 20 subgroups at most */

static const char *const headers[] = {
	"Accept: application/json",
	NULL,
};

static int name_ok(const char *s)
{
	return fm_forge_path_ok(s, MAX_DEPTH);
}

/* "group/sub/project" as one path segment: "group%2Fsub%2Fproject". */
static char *encoded(const char *full_name)
{
	size_t n = strlen(full_name), i, k = 0;
	char *out = malloc(3 * n + 1);

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (full_name[i] == '/') {
			memcpy(out + k, "%2F", 3);
			k += 3;
		} else {
			out[k++] = full_name[i];
		}
	}
	out[k] = '\0';
	return out;
}

/* "/projects/ENC" followed by what. */
static char *project_url(const char *full_name, const char *what)
{
	char *enc = encoded(full_name), *url;

	if (!enc)
		return NULL;
	url = fm_forge_strdupf("/projects/%s%s", enc, what);
	free(enc);
	return url;
}

static char *repo_url(const char *full_name)
{
	return project_url(full_name, "");
}

static char *forks_url(const char *full_name)
{
	return project_url(full_name, "/forks?order_by=star_count&sort=desc"
				      "&per_page=100");
}

static char *branches_url(const char *full_name)
{
	return project_url(full_name, "/repository/branches?per_page=100");
}

/*
 * Link rel="next" as given; without a Link (a proxy that drops it), the
 * page x-next-page names (empty on the last page). A 304 gives the cached
 * Link back.
 */
static int next_page(const fm_http_resp *resp, char **out)
{
	char *end;
	long page;

	if (fm_http_link_next(resp->link, out) < 0)
		return FM_ENOMEM;
	if (*out || !resp->next_page || !resp->url)
		return 0;
	page = strtol(resp->next_page, &end, 10);
	if (end == resp->next_page || *end || page < 2)
		return 0;
	*out = fm_forge_url_with(resp->url, "page", page);
	return *out ? 0 : FM_ENOMEM;
}

static const struct fm_forge_keys keys = {
	.full_name = "path_with_namespace",
	.clone_url = "http_url_to_repo",
	.default_branch = "default_branch",
	.stars = "star_count",
	.forks_count = "forks_count",
	.pushed_at = "last_activity_at",
	.created_at = "created_at",
};

const struct fm_forge_ops fm_forge_gitlab_ops = {
	.name = "gitlab",
	.title = "GitLab",
	.source = FM_SOURCE_GITLAB,
	.default_api = "https://gitlab.com/api/v4",
	.token_env = "GITLAB_TOKEN",
	.ratelimit_prefix = "ratelimit-",
	.headers = headers,
	.auth_name = "PRIVATE-TOKEN",
	.auth_scheme = "",
	.not_modified_counts = 1,
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
