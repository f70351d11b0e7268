/*
 * GitHub (REST v3, also GitHub Enterprise at https://HOST/api/v3) as a
 * forge: its names, URLs and documents. Everything forge-independent is
 * in forge*.c; the HTTP side in http*.c.
 */
#include <stdlib.h>
#include <string.h>

#include "forge/forge_json.h"

#define PER_PAGE 100

static const char *const headers[] = {
	"Accept: application/vnd.github+json",
	"X-GitHub-Api-Version: 2022-11-28",
	NULL,
};

/* "owner/repo" of letters, digits, '-', '_', '.' (they go into refs and
 * URLs). */
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
	return fm_forge_strdupf("/repos/%s/forks?sort=stargazers&per_page=%d",
				full_name, PER_PAGE);
}

static char *branches_url(const char *full_name)
{
	return fm_forge_strdupf("/repos/%s/branches?per_page=%d", full_name,
				PER_PAGE);
}

/* GitHub paginates with Link: <...>; rel="next", to be followed as given. */
static int next_page(const fm_http_resp *resp, char **out)
{
	return fm_http_link_next(resp->link, out);
}

static const struct fm_forge_keys keys = {
	.full_name = "full_name",
	.clone_url = "clone_url",
	.default_branch = "default_branch",
	.stars = "stargazers_count",
	.forks_count = "forks_count",
	.pushed_at = "pushed_at",
	.created_at = "created_at",
};

const struct fm_forge_ops fm_forge_github_ops = {
	.name = "github",
	.title = "GitHub",
	.source = FM_SOURCE_GITHUB,
	.default_api = "https://api.github.com",
	.token_env = "GITHUB_TOKEN",
	.ratelimit_prefix = "x-ratelimit-",
	.headers = headers,
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
