/*
 * Reading the pages of forges that answer in JSON (see forge_internal.h):
 * a repository object, a list of them, a list of branches, and the page
 * numbers of forges that page with ?page=N. What a repository object
 * holds is the forge's own entry_of.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "forge/forge_json.h"

/*
 * Every forge forkmap knows names a repository's id "id" (GitHub's
 * repository id, GitLab's project id, Forgejo's repository id).
 */
#define ID_KEY "id"

/* A repository object; dflt_forks when it does not say how many forks. */
static void entry_of(const struct fm_forge_keys *k, const cJSON *o,
		     long dflt_forks, fm_forge_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->id = fm_forge_json_long(o, ID_KEY, 0);
	e->full_name = fm_forge_json_str(o, k->full_name);
	e->clone_url = fm_forge_json_str(o, k->clone_url);
	e->default_branch = fm_forge_json_str(o, k->default_branch);
	e->stars = fm_forge_json_long(o, k->stars, -1);
	e->forks_count = fm_forge_json_long(o, k->forks_count, dflt_forks);
	e->pushed_at = fm_forge_json_str(o, k->pushed_at);
	e->created_at = fm_forge_json_str(o, k->created_at);
}

/* The first number of a repository object out of long's range, or NULL. */
static const char *number_out_of_range(const struct fm_forge_keys *k,
				       const cJSON *o)
{
	const char *const keys[] = {ID_KEY, k->stars, k->forks_count};
	size_t i;
	long n;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i] && fm_forge_json_number(o, keys[i], 0, &n) < 0)
			return keys[i];
	return NULL;
}

/*
 * 0, or FM_EJSON with *why when the object (entry index of a list, or
 * the document when index < 0) holds a number out of range.
 */
static int numbers_ok(const fm_forge_page *page, const cJSON *o, long index,
		      char **why)
{
	const char *bad = number_out_of_range(page->ops->keys, o);

	if (!bad)
		return 0;
	if (index < 0)
		*why = fm_forge_strdupf("unexpected JSON from GET %s: %s is "
					"out of range",
					page->shown, bad);
	else
		*why = fm_forge_strdupf("unexpected JSON from GET %s: entry "
					"%ld: %s is out of range",
					page->shown, index, bad);
	return *why ? FM_EJSON : FM_ENOMEM;
}

int fm_forge_parse_repo(const fm_forge_page *page, fm_forge_item_fn each,
			void *payload, char **why)
{
	fm_forge_entry e;
	cJSON *doc;
	int rc;

	if (!(doc = fm_forge_json_parse(page, why)))
		return FM_EJSON;
	if ((rc = numbers_ok(page, doc, -1, why)) < 0) {
		cJSON_Delete(doc);
		return rc;
	}
	entry_of(page->ops->keys, doc, -1, &e);
	rc = each(&e, payload) < 0 ? FM_ENOMEM : 0;
	cJSON_Delete(doc);
	return rc;
}

typedef int (*take_fn)(const fm_forge_page *page, const cJSON *item,
		       fm_forge_item_fn each, void *payload);

/*
 * Each item of a list page (a JSON array) through take, to each; with
 * repos, an item with a number out of range fails the whole page first.
 */
static int parse_list(const fm_forge_page *page, take_fn take, int repos,
		      fm_forge_item_fn each, void *payload, char **why)
{
	const cJSON *item;
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
			if ((rc = numbers_ok(page, item, index++, why)) < 0) {
				cJSON_Delete(doc);
				return rc;
			}
		}
	cJSON_ArrayForEach(item, doc)
	{
		int r = take(page, item, each, payload);

		if (r <= 0) {
			rc = r < 0 ? FM_ENOMEM : 0;
			break;
		}
	}
	cJSON_Delete(doc);
	return rc;
}

static int take_fork(const fm_forge_page *page, const cJSON *item,
		     fm_forge_item_fn each, void *payload)
{
	fm_forge_entry e;

	entry_of(page->ops->keys, item, 0, &e);
	return each(&e, payload);
}

int fm_forge_parse_forks(const fm_forge_page *page, fm_forge_item_fn each,
			 void *payload, char **why)
{
	return parse_list(page, take_fork, 1, each, payload, why);
}

static int take_branch(const fm_forge_page *page, const cJSON *item,
		       fm_forge_item_fn each, void *payload)
{
	(void)page;
	return each(fm_forge_json_str(item, "name"), payload);
}

int fm_forge_parse_branches(const fm_forge_page *page, fm_forge_item_fn each,
			    void *payload, char **why)
{
	return parse_list(page, take_branch, 0, each, payload, why);
}

/* ---- names ------------------------------------------------------------- */

/* One part of a name: letters, digits, '-', '_', '.'; not "." or "..". */
static int part_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 100 || s[0] == '.' || s[0] == '-')
		return 0;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_' && s[i] != '.')
			return 0;
	return 1;
}

int fm_forge_path_ok(const char *s, int max_parts)
{
	const char *p = s, *slash;
	size_t len;
	int parts = 0;

	if (!s)
		return 0;
	for (;;) {
		slash = strchr(p, '/');
		len = slash ? (size_t)(slash - p) : strlen(p);
		if (!part_ok(p, len) || ++parts > max_parts)
			return 0;
		if (!slash)
			break;
		p = slash + 1;
	}
	len = strlen(p);
	return parts >= 2 && !(len > 4 && strcmp(p + len - 5, ".lock") == 0);
}

/* ---- ?page=N ------------------------------------------------------------- */

/* Where parameter name starts in url's query (its "name="), or NULL. */
static const char *find_param(const char *url, const char *name)
{
	const char *p = strchr(url, '?');
	size_t n = strlen(name);

	while (p) {
		p++;
		if (strncmp(p, name, n) == 0 && p[n] == '=')
			return p;
		p = strchr(p, '&');
	}
	return NULL;
}

long fm_forge_url_param(const char *url, const char *name, long dflt)
{
	const char *p = url ? find_param(url, name) : NULL;
	char *end;
	long v;

	if (!p)
		return dflt;
	p += strlen(name) + 1;
	v = strtol(p, &end, 10);
	return end == p || (*end && *end != '&' && *end != '#') || v < 0 ? dflt
									 : v;
}

char *fm_forge_url_with(const char *url, const char *name, long value)
{
	const char *p = find_param(url, name), *rest;

	if (!p)
		return fm_forge_strdupf("%s%c%s=%ld", url,
					strchr(url, '?') ? '&' : '?', name,
					value);
	rest = strchr(p, '&');
	return fm_forge_strdupf("%.*s%s=%ld%s", (int)(p - url), url, name,
				value, rest ? rest : "");
}

long fm_forge_page_count(const fm_http_resp *resp)
{
	cJSON *doc = resp->body ? cJSON_ParseWithLength(resp->body, resp->len)
				: NULL;
	long n = cJSON_IsArray(doc) ? (long)cJSON_GetArraySize(doc) : -1;

	cJSON_Delete(doc);
	return n;
}
