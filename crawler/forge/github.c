/*
 * GitHub (REST v3, also GitHub Enterprise at https://HOST/api/v3) as a
 * forge: its names, URLs and documents. Everything forge-independent is
 * in forge*.c; the HTTP side in http*.c.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "forge/forge_json.h"

#define PER_PAGE 100

static const char *const headers[] = {
	"Accept: application/vnd.github+json",
	"X-GitHub-Api-Version: 2022-11-28",
	NULL,
};

/* GitHub owner and repository names: letters, digits, '-', '_', '.'. */
static int name_part_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 100 || s[0] == '.')
		return 0;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_' && s[i] != '.')
			return 0;
	return !(len == 2 && s[0] == '.' && s[1] == '.');
}

/* 1 for "owner/repo" made of safe parts (they go into refs and URLs). */
static int name_ok(const char *s)
{
	const char *slash = s ? strchr(s, '/') : NULL;

	return slash && !strchr(slash + 1, '/') &&
	       name_part_ok(s, (size_t)(slash - s)) &&
	       name_part_ok(slash + 1, strlen(slash + 1)) &&
	       !(strlen(slash + 1) > 4 &&
		 strcmp(s + strlen(s) - 5, ".lock") == 0);
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

/* A repository object (of /repos/o/r or of a forks list); dflt_forks when
 * it does not say how many forks it has. */
static void entry_of(const cJSON *o, long dflt_forks, fm_forge_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->full_name = fm_forge_json_str(o, "full_name");
	e->clone_url = fm_forge_json_str(o, "clone_url");
	e->default_branch = fm_forge_json_str(o, "default_branch");
	e->stars = fm_forge_json_long(o, "stargazers_count", -1);
	e->forks_count = fm_forge_json_long(o, "forks_count", dflt_forks);
	e->pushed_at = fm_forge_json_str(o, "pushed_at");
	e->created_at = fm_forge_json_str(o, "created_at");
	e->id = fm_forge_json_long(o, "id", 0);
}

/* The first number of a repository object out of long's range, or NULL. */
static const char *number_out_of_range(const cJSON *o)
{
	static const char *const keys[] = {"id", "stargazers_count",
					   "forks_count"};
	size_t i;
	long n;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (fm_forge_json_number(o, keys[i], 0, &n) < 0)
			return keys[i];
	return NULL;
}

/* *why for an object whose number key is out of range; FM_EJSON. */
static int out_of_range(const fm_forge_page *page, long index, const char *key,
			char **why)
{
	if (index < 0)
		*why = fm_forge_strdupf("unexpected JSON from GET %s: %s is "
					"out of range",
					page->shown, key);
	else
		*why = fm_forge_strdupf("unexpected JSON from GET %s: entry "
					"%ld: %s is out of range",
					page->shown, index, key);
	return *why ? FM_EJSON : FM_ENOMEM;
}

static int parse_repo(const fm_forge_page *page, fm_forge_item_fn each,
		      void *payload, char **why)
{
	const char *bad;
	fm_forge_entry e;
	cJSON *doc;
	int rc;

	if (!(doc = fm_forge_json_parse(page, why)))
		return FM_EJSON;
	if ((bad = number_out_of_range(doc))) {
		rc = out_of_range(page, -1, bad, why);
		cJSON_Delete(doc);
		return rc;
	}
	entry_of(doc, -1, &e);
	rc = each(&e, payload) < 0 ? FM_ENOMEM : 0;
	cJSON_Delete(doc);
	return rc;
}

typedef int (*take_fn)(const cJSON *item, fm_forge_item_fn each, void *payload);

/*
 * Each item of a list page (a JSON array) through take, to each; with
 * repos, an item with a number out of range fails the page.
 */
static int parse_list(const fm_forge_page *page, take_fn take, int repos,
		      fm_forge_item_fn each, void *payload, char **why)
{
	const cJSON *item;
	const char *bad;
	cJSON *doc;
	long index = 0;
	int rc = 0;

	if (!(doc = fm_forge_json_parse(page, why)))
		return FM_EJSON;
	if (!cJSON_IsArray(doc)) {
		cJSON_Delete(doc);
		*why = fm_forge_strdupf(
			"unexpected JSON from GET %s: not a list", page->shown);
		return *why ? FM_EJSON : FM_ENOMEM;
	}
	if (repos)
		cJSON_ArrayForEach(item, doc)
		{
			if ((bad = number_out_of_range(item))) {
				rc = out_of_range(page, index, bad, why);
				cJSON_Delete(doc);
				return rc;
			}
			index++;
		}
	cJSON_ArrayForEach(item, doc)
	{
		int r = take(item, each, payload);

		if (r <= 0) {
			rc = r < 0 ? FM_ENOMEM : 0;
			break;
		}
	}
	cJSON_Delete(doc);
	return rc;
}

static int take_fork(const cJSON *item, fm_forge_item_fn each, void *payload)
{
	fm_forge_entry e;

	entry_of(item, 0, &e);
	return each(&e, payload);
}

static int parse_forks(const fm_forge_page *page, fm_forge_item_fn each,
		       void *payload, char **why)
{
	return parse_list(page, take_fork, 1, each, payload, why);
}

static int take_branch(const cJSON *item, fm_forge_item_fn each, void *payload)
{
	return each(fm_forge_json_str(item, "name"), payload);
}

static int parse_branches(const fm_forge_page *page, fm_forge_item_fn each,
			  void *payload, char **why)
{
	return parse_list(page, take_branch, 0, each, payload, why);
}

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
	.parse_repo = parse_repo,
	.parse_forks = parse_forks,
	.parse_branches = parse_branches,
	.get = NULL,
};
