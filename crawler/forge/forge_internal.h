#ifndef FM_FORGE_INTERNAL_H
#define FM_FORGE_INTERNAL_H
/*
 * Inside libforkmap only: what is behind include/forkmap/forge.h.
 *
 * A forge is an ops table (struct fm_forge_ops): its names, its request
 * URLs, how to read one page of its answers and where the next page is,
 * and its HTTP dialect (headers, rate-limit headers). Everything else is
 * written once, for every forge: the handle and its repository lookups
 * (forge.c), the page walker (forge_walk.c), the tree of repositories
 * found (forge_node.c), listing forks and branches (forge_list.c), the
 * bounded parallel jobs (forge_jobs.c), the fork rows (forge_rows.c) and
 * the discovery itself: depth, top N, branch selection (forge_discover.c).
 * GitHub (github.c) is the first ops table.
 *
 * GitLab (gitlab.c) and Forgejo/Gitea (forgejo.c) are the others. They
 * differ in what the ops table says: names with subgroups (GitLab), the
 * next page (Link; x-next-page; X-Total-Count or a short page), the token
 * header (PRIVATE-TOKEN, "Authorization: token"), rate-limit headers
 * (x-ratelimit-*, RateLimit-*), whether the forks come most starred first
 * (Forgejo has no such sort: every page is listed and the most starred
 * kept) and whether a 304 costs a request of the limit (GitLab: yes).
 * Every forge gets what the shared part refuses of a server: a Link
 * loop and duplicate entries (forge_walk.c, forge_list.c, forge_rows.c),
 * and, in http*.c, the origin check, the checked header numbers and the
 * size and time limits.
 */
#include <pthread.h>

#include <cjson/cJSON.h>

#include <forkmap/forge.h>

#include "forge/http.h"

/*
 * One repository as a forge's answer describes it (a fork in a listing,
 * or the answer of a lookup). Strings borrowed from the parsed page, NULL
 * when absent.
 */
typedef struct fm_forge_entry {
	const char *full_name; /* "owner/repo" */
	const char *clone_url;
	const char *default_branch;
	long stars;	       /* -1: unknown */
	long forks_count;      /* in a listing 0 when unknown (then its forks
				  are not listed); in a lookup -1 */
	const char *pushed_at; /* ISO 8601 (GitLab: last_activity_at,
				  Forgejo: updated_at); not later than
				  created_at: never pushed, cannot be ahead */
	const char *created_at;
	long id; /* the forge's repository id, its identity; 0: unknown.
		    Last, so that a parser that does not know it can leave
		    it zeroed (memset the entry) */
} fm_forge_entry;

/*
 * The member names of a forge's repository object, as fm_forge_entry
 * holds them ("full_name" on GitHub, "path_with_namespace" on GitLab).
 */
struct fm_forge_keys {
	const char *full_name, *clone_url, *default_branch, *stars,
		*forks_count, *pushed_at, *created_at;
};

/* One page of answer, for a parse function. */
typedef struct fm_forge_page {
	const fm_http_resp *resp;	/* body, Link header, URL answered */
	const char *shown;		/* the short URL, for messages */
	const struct fm_forge_ops *ops; /* of the forge that answered */
} fm_forge_page;

/*
 * Takes one item of a page: a const fm_forge_entry * (repositories) or a
 * const char * (branch names). 1: go on, 0: enough (stop the whole
 * walk), < 0: out of memory.
 */
typedef int (*fm_forge_item_fn)(const void *item, void *payload);

/*
 * Read a page and give each item, in order, to each (stop when it returns
 * 0 or less). 0; FM_ENOMEM (also when each failed); FM_EJSON (or another
 * FM_E*) with a malloc'd message in *why ("malformed JSON from GET
 * /repos/o/r/forks at byte 12").
 */
typedef int (*fm_forge_parse_fn)(const fm_forge_page *page,
				 fm_forge_item_fn each, void *payload,
				 char **why);

struct fm_forge_ops {
	const char *name;  /* "github": fm_forge_name */
	const char *title; /* "GitHub": messages */
	fm_source source;  /* of every fork found */
	const char *default_api;
	/* the HTTP dialect (fm_http_opts) */
	const char *token_env;	      /* "GITHUB_TOKEN", in the 401 hint */
	const char *ratelimit_prefix; /* "x-ratelimit-" */
	const char *const *headers;   /* sent with every request */
	const char *auth_name;	      /* NULL: "Authorization" */
	const char *auth_scheme;      /* NULL: "Bearer" */
	int unsorted; /* 1: forks_url cannot list the most starred first */
	int not_modified_counts; /* 1: a 304 counts against the limit */

	/* 1 for a repository name the forge could hold, safe in a URL */
	int (*name_ok)(const char *full_name);
	/* the first page of each request, malloc'd (NULL: out of memory) */
	char *(*repo_url)(const char *full_name);
	char *(*forks_url)(const char *full_name); /* most starred first */
	char *(*branches_url)(const char *full_name);
	/*
	 * The URL of the page after resp, malloc'd, or NULL in *out when
	 * resp is the last; FM_ENOMEM or 0.
	 */
	int (*next_page)(const fm_http_resp *resp, char **out);
	fm_forge_parse_fn parse_repo;	  /* one fm_forge_entry */
	fm_forge_parse_fn parse_forks;	  /* fm_forge_entry each */
	fm_forge_parse_fn parse_branches; /* branch names */
	/* the members of a repository object, for the parse functions below */
	const struct fm_forge_keys *keys;

	/*
	 * Optional: answer a GET otherwise than with fm_http_get (a forge
	 * reached by other means; the tests' fake forge). Same contract as
	 * fm_http_get.
	 */
	int (*get)(fm_forge *forge, fm_http_conn *conn, fm_ctx *ctx,
		   const char *url, fm_http_resp *resp, fm_http_err *err);
};

/* The forges there are. */
extern const struct fm_forge_ops fm_forge_github_ops;
extern const struct fm_forge_ops fm_forge_gitlab_ops;
extern const struct fm_forge_ops fm_forge_forgejo_ops;

/*
 * Parse functions for forges that answer a repository as one JSON object
 * (its members named by page->ops->keys), a list as a JSON array of such
 * objects, and branches as an array of {"name": ...} (forge_parse.c).
 */
int fm_forge_parse_repo(const fm_forge_page *page, fm_forge_item_fn each,
			void *payload, char **why);
int fm_forge_parse_forks(const fm_forge_page *page, fm_forge_item_fn each,
			 void *payload, char **why);
int fm_forge_parse_branches(const fm_forge_page *page, fm_forge_item_fn each,
			    void *payload, char **why);

/*
 * For forges that page with ?page=N: url with its parameter name set to
 * value (added when absent), malloc'd; NULL when out of memory. The value
 * of parameter name in url's query, or dflt when absent or not a number.
 */
char *fm_forge_url_with(const char *url, const char *name, long value);
long fm_forge_url_param(const char *url, const char *name, long dflt);
/*
 * 1 for a repository path of 2 to max_parts parts ("owner/repo",
 * "group/sub/project") made of letters, digits, '-', '_' and '.', no part
 * starting with '.' or '-', not ending in ".lock": safe in refs and URLs.
 */
int fm_forge_path_ok(const char *s, int max_parts);
/* The number of items of a page that is a JSON array; -1 when it is not. */
long fm_forge_page_count(const fm_http_resp *resp);

/* A repository fm_forge_get_repo already answered, for this session. */
struct fm_forge_memo {
	char *name;
	fm_forge_repo repo;
	fm_http_resp raw; /* for a cache given later (fm_forge_set_cache) */
};

struct fm_forge {
	const struct fm_forge_ops *ops;
	fm_http *http;
	fm_http_conn *conn; /* the calling thread's */
	int concurrency;
	pthread_mutex_t lock; /* progress, the fatal error */
	fm_ctx *ctx;	      /* of the call in progress (for progress) */
	size_t listed;
	size_t expect; /* forks the listing should find, 0 when unknown */
	int fatal;
	char fatal_msg[512];
	struct fm_forge_memo *memo;
	size_t nmemo;
};

/* fm_forge_new with the forge given by its ops table (borrowed, static). */
int fm_forge_new_ops(fm_ctx *ctx, const struct fm_forge_ops *ops,
		     const fm_forge_opts *opts, fm_forge **out);

/* GET url through the forge (ops->get, else fm_http_get). */
int fm_forge_get(fm_forge *forge, fm_http_conn *conn, fm_ctx *ctx,
		 const char *url, fm_http_resp *resp, fm_http_err *err);

/* Keep the first fatal error (its code is returned); later ones are lost. */
int fm_forge_record_fatal(fm_forge *forge, const fm_http_err *err);
/* 1 once a fatal error was recorded or the context is interrupted. */
int fm_forge_is_fatal(fm_forge *forge, fm_ctx *ctx);

/* Report progress (phase "listing" or "waiting"), more forks listed. */
void fm_forge_report(fm_forge *forge, fm_ctx *ctx, const char *phase,
		     int64_t wait_until, size_t more);

/* A malloc'd printf, NULL when out of memory. */
char *fm_forge_strdupf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/*
 * 1 for a clone URL forkmap may fetch: https, http or git. A server (or a
 * man in the middle of a self-hosted setup) must not point the census at
 * file://, a local path or ssh.
 */
int fm_forge_clone_url_ok(const char *url);

/*
 * Walk a paginated list: GET url (taken over, freed; NULL: out of memory),
 * parse each page with parse, then the next page as ops->next_page says,
 * until there is none, an empty page, or each says enough.
 * each(item, page, index, payload): index counts items over all pages;
 * returns as fm_forge_item_fn. A list that cannot be read sets
 * *list_error (malloc'd) and returns 0; < 0 only for fatal errors,
 * recorded on the forge (fm_forge_record_fatal).
 */
typedef int (*fm_forge_walk_fn)(const void *item, const fm_forge_page *page,
				size_t index, void *payload);

int fm_forge_walk(fm_forge *forge, fm_http_conn *conn, fm_ctx *ctx, char *url,
		  fm_forge_parse_fn parse, char **list_error,
		  fm_forge_walk_fn each, void *payload);

#endif
