/*
 * Naming an upstream listing (see fm_forge_upstream_parse in
 * forkmap/forge.h): "OWNER/REPO", a forge prefix ("gitlab:g/p"), or the
 * repository's web URL, which says the forge by its host and the API by
 * its origin.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "forge/forge_internal.h"

static const struct forge_kind {
	fm_forge_kind kind;
	const char *prefix; /* "gitlab:" */
	const char *title;
	const char *host;     /* the public instance */
	const char *api_path; /* under a self-managed origin */
	const char *const *tokens;
} kinds[] = {
	{FM_FORGE_GITHUB, "github:", "GitHub", "github.com", "/api/v3",
	 (const char *const[]){"GITHUB_TOKEN", "GH_TOKEN", NULL}},
	{FM_FORGE_GITLAB, "gitlab:", "GitLab", "gitlab.com", "/api/v4",
	 (const char *const[]){"GITLAB_TOKEN", NULL}},
	{FM_FORGE_FORGEJO, "forgejo:", "Forgejo", "codeberg.org", "/api/v1",
	 (const char *const[]){"FORGEJO_TOKEN", "GITEA_TOKEN", NULL}},
	{FM_FORGE_FORGEJO, "gitea:", "Forgejo", "codeberg.org", "/api/v1",
	 (const char *const[]){"FORGEJO_TOKEN", "GITEA_TOKEN", NULL}},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static const struct forge_kind *kind_of(fm_forge_kind kind)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (kinds[i].kind == kind)
			return &kinds[i];
	return NULL;
}

const char *const *fm_forge_token_vars(fm_forge_kind kind)
{
	const struct forge_kind *k = kind_of(kind);
	static const char *const none[] = {NULL};

	return k ? k->tokens : none;
}

const char *fm_forge_kind_title(fm_forge_kind kind)
{
	const struct forge_kind *k = kind_of(kind);

	return k ? k->title : "forge";
}

void fm_forge_upstream_clear(fm_forge_upstream *u)
{
	if (!u)
		return;
	free(u->name);
	free(u->api);
	memset(u, 0, sizeof(*u));
}

/* The forge a host name says, or 0 when it says none. */
static fm_forge_kind kind_of_host(const char *host, size_t len)
{
	char h[256];
	size_t i;

	if (len >= sizeof(h))
		return 0;
	for (i = 0; i < len; i++)
		h[i] = (char)(host[i] >= 'A' && host[i] <= 'Z' ? host[i] + 32
							       : host[i]);
	h[len] = '\0';
	if (strchr(h, ':'))
		*strchr(h, ':') = '\0';
	for (i = 0; i < NKINDS; i++)
		if (strcmp(h, kinds[i].host) == 0 ||
		    (strncmp(h, "www.", 4) == 0 &&
		     strcmp(h + 4, kinds[i].host) == 0))
			return kinds[i].kind;
	if (strstr(h, "gitlab"))
		return FM_FORGE_GITLAB;
	if (strstr(h, "forgejo") || strstr(h, "gitea"))
		return FM_FORGE_FORGEJO;
	if (strstr(h, "github"))
		return FM_FORGE_GITHUB;
	return 0;
}

static int bad(fm_ctx *ctx, const char *spec, const char *why)
{
	return fm_error_set(ctx, FM_EINVAL, "invalid upstream '%s': %s", spec,
			    why);
}

/*
 * A web URL: scheme://host[:port]/path. The API is the origin plus the
 * forge's API path, except on the public instances (their default API).
 */
static int parse_url(fm_ctx *ctx, const char *spec, const char *url,
		     fm_forge_kind kind, fm_forge_upstream *out)
{
	const char *host = strstr(url, "://") + 3, *path, *at;
	fm_forge_kind by_host;
	size_t len, hlen;
	char *name;

	path = strchr(host, '/');
	if (!path || path == host)
		return bad(ctx, spec, "no repository path in the URL");
	at = memchr(host, '@', (size_t)(path - host));
	if (at)
		return bad(ctx, spec,
			   "a URL with a user name or password is refused "
			   "(tokens come from the environment)");
	by_host = kind_of_host(host, (size_t)(path - host));
	if (!kind)
		kind = by_host;
	if (!kind)
		return bad(ctx, spec,
			   "cannot tell the forge from the host: prefix it "
			   "with github:, gitlab: or forgejo:");
	if (!(name = strdup(path + 1)))
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	if (strchr(name, '?'))
		*strchr(name, '?') = '\0';
	if (strchr(name, '#'))
		*strchr(name, '#') = '\0';
	/* "https://gitlab.com/g/p/-/tree/main": the project is before "/-/" */
	if (strstr(name, "/-/"))
		*strstr(name, "/-/") = '\0';
	len = strlen(name);
	while (len && name[len - 1] == '/')
		name[--len] = '\0';
	if (len > 4 && strcmp(name + len - 4, ".git") == 0)
		name[len -= 4] = '\0';
	out->kind = kind;
	out->name = name;
	hlen = strlen(kind_of(kind)->host);
	if (strncasecmp(url, "https://", 8) == 0 &&
	    (size_t)(path - host) == hlen &&
	    strncasecmp(host, kind_of(kind)->host, hlen) == 0)
		return 0; /* the public instance: its default API */
	/* self-managed (or a test server): the API at its origin */
	out->api = fm_forge_strdupf("%.*s%s", (int)(path - url), url,
				    kind_of(kind)->api_path);
	if (!out->api) {
		fm_forge_upstream_clear(out);
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	}
	return 0;
}

int fm_forge_upstream_parse(fm_ctx *ctx, const char *spec,
			    fm_forge_upstream *out)
{
	const char *rest = spec;
	fm_forge_kind kind = 0;
	size_t i;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!spec || !*spec)
		return bad(ctx, spec ? spec : "", "empty");
	for (i = 0; i < NKINDS; i++)
		if (strncasecmp(spec, kinds[i].prefix,
				strlen(kinds[i].prefix)) == 0) {
			kind = kinds[i].kind;
			rest = spec + strlen(kinds[i].prefix);
			break;
		}
	if (fm_http_is_absolute(rest))
		rc = parse_url(ctx, spec, rest, kind, out);
	else if (!(out->name = strdup(rest)))
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	else
		out->kind = kind ? kind : FM_FORGE_GITHUB;
	if (rc < 0)
		return rc;
	if (!(out->kind == FM_FORGE_GITLAB ? fm_forge_path_ok(out->name, 21)
					   : fm_forge_path_ok(out->name, 2))) {
		rc = bad(ctx, spec,
			 out->kind == FM_FORGE_GITLAB
				 ? "expected GROUP[/SUBGROUP...]/PROJECT"
				 : "expected OWNER/REPO");
		fm_forge_upstream_clear(out);
	}
	return rc;
}
