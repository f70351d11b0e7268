/*
 * Fork discovery through the GitHub REST API: the upstream, its forks by
 * stars (Link pagination, stopping once the top N are known), forks of
 * forks, branches. The HTTP side (rate limits, cache, redirects) is in
 * http.c; this file knows GitHub's documents.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <git2.h>

#include <forkmap/github.h>

#include "forge/http.h"

#define DEFAULT_API "https://api.github.com"
#define PER_PAGE 100
#define MAX_PAGES 5000 /* 500,000 entries: a Link loop, not a listing */

static const char *const github_headers[] = {
	"Accept: application/vnd.github+json",
	"X-GitHub-Api-Version: 2022-11-28", NULL};

typedef struct node node;

typedef struct nodes {
	node **v;
	size_t n;
	size_t alloc;
} nodes;

/* A repository found on GitHub, before it becomes fork rows. */
struct node {
	char *full_name;
	char *branch;	/* default branch */
	char *clone_url;
	long stars;
	long forks_count;
	int depth;
	char *error;	    /* the entry itself is unusable */
	char *list_error;   /* listing its forks failed */
	char *branch_error; /* listing its branches failed */
	char **branches;    /* with branches "all" or a glob */
	size_t nbranches;
	nodes kids;	    /* its forks (depth + 1) */
};

struct memo {
	char *name;
	fm_github_repo repo;
	fm_http_resp raw; /* for a cache given later (fm_github_set_cache) */
};

struct fm_github {
	fm_http *http;
	fm_http_conn *conn; /* the calling thread's */
	int concurrency;
	pthread_mutex_t lock; /* progress, the fatal error */
	fm_ctx *ctx;	      /* of the call in progress (for progress) */
	size_t listed;
	int fatal;
	char fatal_msg[512];
	struct memo *memo;
	size_t nmemo;
};

/* ---- small helpers ---------------------------------------------------- */

static void node_free(node *nd)
{
	size_t i;

	if (!nd)
		return;
	free(nd->full_name);
	free(nd->branch);
	free(nd->clone_url);
	free(nd->error);
	free(nd->list_error);
	free(nd->branch_error);
	for (i = 0; i < nd->nbranches; i++)
		free(nd->branches[i]);
	free(nd->branches);
	for (i = 0; i < nd->kids.n; i++)
		node_free(nd->kids.v[i]);
	free(nd->kids.v);
	free(nd);
}

static int nodes_push(nodes *l, node *nd)
{
	if (l->n == l->alloc) {
		size_t alloc = l->alloc ? l->alloc * 2 : 64;
		node **v = realloc(l->v, alloc * sizeof(*v));

		if (!v)
			return FM_ENOMEM;
		l->v = v;
		l->alloc = alloc;
	}
	l->v[l->n++] = nd;
	return 0;
}

static int push_str(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return FM_ENOMEM;
	*v = nv;
	if (!(nv[*n] = strdup(s)))
		return FM_ENOMEM;
	(*n)++;
	return 0;
}

static char *xasprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

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
static int full_name_ok(const char *s)
{
	const char *slash = s ? strchr(s, '/') : NULL;

	return slash && !strchr(slash + 1, '/') &&
	       name_part_ok(s, (size_t)(slash - s)) &&
	       name_part_ok(slash + 1, strlen(slash + 1)) &&
	       !(strlen(slash + 1) > 4 &&
		 strcmp(s + strlen(s) - 5, ".lock") == 0);
}

static int record_fatal(fm_github *gh, const fm_http_err *err)
{
	pthread_mutex_lock(&gh->lock);
	if (!gh->fatal) {
		gh->fatal = err->code;
		snprintf(gh->fatal_msg, sizeof(gh->fatal_msg), "%s", err->msg);
	}
	pthread_mutex_unlock(&gh->lock);
	return err->code;
}

static int is_fatal(fm_github *gh, fm_ctx *ctx)
{
	int f;

	pthread_mutex_lock(&gh->lock);
	f = gh->fatal;
	pthread_mutex_unlock(&gh->lock);
	return f || fm_ctx_interrupted(ctx);
}

static void report(fm_github *gh, fm_ctx *ctx, const char *phase,
		   int64_t wait_until, size_t more)
{
	fm_http_counters n;
	fm_progress p;

	memset(&p, 0, sizeof(p));
	pthread_mutex_lock(&gh->lock);
	gh->listed += more;
	fm_http_counters_get(gh->http, &n);
	p.phase = phase;
	p.forks_listed = gh->listed;
	p.requests = n.requests;
	p.remaining = n.remaining;
	p.wait_until = wait_until;
	fm_progress_report(ctx, &p);
	pthread_mutex_unlock(&gh->lock);
}

static void on_wait(void *payload, int64_t until)
{
	fm_github *gh = payload;

	if (gh->ctx)
		report(gh, gh->ctx, "waiting", until, 0);
}

/*
 * 1 when body ends inside a string or with brackets left open while the
 * brackets before are well nested: a document cut short, not a bad one.
 */
static int cut_short(const char *body, size_t len)
{
	size_t i, depth = 0;
	int in_string = 0;

	for (i = 0; i < len; i++) {
		char ch = body[i];

		if (in_string) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_string = 0;
		} else if (ch == '"') {
			in_string = 1;
		} else if (ch == '[' || ch == '{') {
			depth++;
		} else if (ch == ']' || ch == '}') {
			if (depth == 0)
				return 0;
			depth--;
		}
	}
	return in_string || depth > 0;
}

/*
 * Parse a JSON answer; on failure *why says what was wrong and where
 * ("malformed JSON from GET /repos/x/y/branches at byte 1234").
 */
static cJSON *parse_json(fm_github *gh, const fm_http_resp *r, char **why)
{
	const char *end = NULL, *shown = fm_http_short(gh->http, r->url);
	cJSON *doc;

	*why = NULL;
	doc = cJSON_ParseWithLengthOpts(r->body, r->len, &end, 0);
	if (doc)
		return doc;
	if (r->len == 0) {
		*why = xasprintf("empty answer to GET %s (JSON expected)",
				 shown);
	} else {
		size_t at = end && end >= r->body ? (size_t)(end - r->body)
						  : 0;

		if (at + 1 >= r->len || cut_short(r->body, r->len))
			*why = xasprintf("truncated JSON from GET %s: it ends "
					 "inside a value at byte %zu",
					 shown, r->len);
		else
			*why = xasprintf("malformed JSON from GET %s at byte "
					 "%zu",
					 shown, at);
	}
	if (!*why)
		*why = strdup("out of memory");
	return NULL;
}

static const char *json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static long json_long(const cJSON *o, const char *key, long dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? (long)v->valuedouble : dflt;
}

/* ---- the handle ---------------------------------------------------------- */

int fm_github_new(fm_ctx *ctx, const fm_github_opts *opts, fm_github **out)
{
	fm_github_opts dflt = FM_GITHUB_OPTS_INIT;
	fm_http_opts hopts;
	fm_github *gh;
	int rc;

	*out = NULL;
	if (!opts)
		opts = &dflt;
	gh = calloc(1, sizeof(*gh));
	if (!gh)
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	pthread_mutex_init(&gh->lock, NULL);
	git_libgit2_init(); /* for ref name checks */
	gh->concurrency = opts->concurrency > 0 ? opts->concurrency : 1;
	if (gh->concurrency > 32)
		gh->concurrency = 32;
	memset(&hopts, 0, sizeof(hopts));
	hopts.base = opts->api && *opts->api ? opts->api : DEFAULT_API;
	hopts.token = opts->token;
	hopts.user_agent = opts->user_agent;
	hopts.cache = opts->cache;
	hopts.max_wait = opts->max_wait;
	hopts.timeout = opts->timeout;
	hopts.headers = github_headers;
	if ((rc = fm_http_new(ctx, &hopts, &gh->http)) < 0)
		goto fail;
	fm_http_set_wait_cb(gh->http, on_wait, gh);
	if (fm_http_conn_new(gh->http, &gh->conn) < 0) {
		rc = fm_error_set(ctx, FM_ENOMEM, "out of memory");
		goto fail;
	}
	*out = gh;
	return 0;
fail:
	fm_github_free(gh);
	return rc;
}

void fm_github_free(fm_github *gh)
{
	size_t i;

	if (!gh)
		return;
	for (i = 0; i < gh->nmemo; i++) {
		free(gh->memo[i].name);
		fm_github_repo_clear(&gh->memo[i].repo);
		fm_http_resp_clear(&gh->memo[i].raw);
	}
	free(gh->memo);
	fm_http_conn_free(gh->conn);
	fm_http_free(gh->http);
	pthread_mutex_destroy(&gh->lock);
	free(gh);
	git_libgit2_shutdown();
}

void fm_github_stats_get(const fm_github *gh, fm_github_stats *out)
{
	fm_http_counters n;

	memset(out, 0, sizeof(*out));
	out->remaining = -1;
	if (!gh)
		return;
	fm_http_counters_get(((fm_github *)gh)->http, &n);
	out->requests = n.requests;
	out->not_modified = n.not_modified;
	out->counted = n.requests - n.not_modified;
	out->remaining = n.remaining;
	out->waits = n.waits;
	out->waited_seconds = n.waited;
	out->retries = n.retries;
}

void fm_github_set_cache(fm_ctx *ctx, fm_github *gh, struct fm_store *cache)
{
	size_t i;

	fm_http_set_cache(gh->http, cache);
	/* what was asked before goes in, so the next run revalidates it */
	for (i = 0; cache && i < gh->nmemo; i++)
		fm_http_cache_put(gh->http, ctx, &gh->memo[i].raw);
}

void fm_github_repo_clear(fm_github_repo *repo)
{
	if (!repo)
		return;
	free(repo->full_name);
	free(repo->clone_url);
	free(repo->default_branch);
	memset(repo, 0, sizeof(*repo));
}

static int repo_copy(fm_github_repo *dst, const fm_github_repo *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->full_name = strdup(src->full_name);
	dst->clone_url = strdup(src->clone_url);
	dst->default_branch = strdup(src->default_branch);
	dst->stars = src->stars;
	dst->forks_count = src->forks_count;
	if (!dst->full_name || !dst->clone_url || !dst->default_branch) {
		fm_github_repo_clear(dst);
		return FM_ENOMEM;
	}
	return 0;
}

/*
 * A clone_url is fetched into the census repository, so only network
 * transports are accepted: a server (or a man in the middle of a GHE
 * setup) must not point forkmap at file://, a local path or ssh.
 */
static int clone_url_ok(const char *url)
{
	return url && (!strncasecmp(url, "https://", 8) ||
		       !strncasecmp(url, "http://", 7) ||
		       !strncasecmp(url, "git://", 6));
}

/* ---- one repository ------------------------------------------------------ */

int fm_github_get_repo(fm_ctx *ctx, fm_github *gh, const char *name,
		       fm_github_repo *out)
{
	fm_http_resp resp = FM_HTTP_RESP_INIT;
	fm_github_repo got;
	fm_http_err err;
	cJSON *doc = NULL;
	char *path = NULL, *why = NULL;
	const char *full, *url, *branch;
	struct memo *m;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&got, 0, sizeof(got));
	if (!full_name_ok(name))
		return fm_error_set(ctx, FM_EINVAL,
				    "invalid repository name '%s' (expected "
				    "OWNER/REPO)",
				    name ? name : "");
	/* one request per repository and session */
	for (i = 0; i < gh->nmemo; i++)
		if (strcasecmp(gh->memo[i].name, name) == 0) {
			if (repo_copy(out, &gh->memo[i].repo) < 0)
				return fm_error_set(ctx, FM_ENOMEM,
						    "out of memory");
			return 0;
		}
	if (!(path = xasprintf("/repos/%s", name)))
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	gh->ctx = ctx;
	rc = fm_http_get(gh->http, gh->conn, ctx, path, &resp, &err);
	report(gh, ctx, "listing", 0, 0);
	if (rc < 0) {
		if (rc == FM_ENOTFOUND)
			rc = fm_error_set(ctx, FM_ENOTFOUND,
					  "GitHub has no repository '%s' (%s)",
					  name, err.msg);
		else
			rc = fm_error_set(ctx, rc, "%s", err.msg);
		goto done;
	}
	if (!(doc = parse_json(gh, &resp, &why))) {
		rc = fm_error_set(ctx, FM_EJSON, "%s", why);
		goto done;
	}
	full = json_str(doc, "full_name");
	url = json_str(doc, "clone_url");
	branch = json_str(doc, "default_branch");
	if (!full_name_ok(full) || !clone_url_ok(url) || !branch ||
	    !*branch) {
		rc = fm_error_set(ctx, FM_EJSON,
				  "unexpected JSON from GET %s: no usable "
				  "full_name, clone_url (https, http or git) "
				  "or default_branch",
				  fm_http_short(gh->http, resp.url));
		goto done;
	}
	if (strcasecmp(full, name) != 0)
		fm_log(ctx, FM_LOG_INFO,
		       "GitHub repository '%s' is now '%s'", name, full);
	got.full_name = (char *)full;
	got.clone_url = (char *)url;
	got.default_branch = (char *)branch;
	got.stars = json_long(doc, "stargazers_count", -1);
	got.forks_count = json_long(doc, "forks_count", -1);
	if (repo_copy(out, &got) < 0) {
		rc = fm_error_set(ctx, FM_ENOMEM, "out of memory");
		goto done;
	}
	m = realloc(gh->memo, (gh->nmemo + 1) * sizeof(*m));
	if (m) {
		gh->memo = m;
		m += gh->nmemo;
		m->name = strdup(name);
		if (m->name && repo_copy(&m->repo, &got) == 0) {
			m->raw = resp; /* moved: the body outlives doc */
			memset(&resp, 0, sizeof(resp));
			gh->nmemo++;
		} else {
			free(m->name);
		}
	}
	rc = 0;
done:
	cJSON_Delete(doc);
	free(why);
	free(path);
	fm_http_resp_clear(&resp);
	return rc;
}

/* ---- listings ------------------------------------------------------------ */


/* A node from one entry of a forks list; NULL on allocation failure. */
static node *node_from_item(const cJSON *item, int depth, const char *where,
			    size_t index)
{
	node *nd = calloc(1, sizeof(*nd));
	const char *full, *url, *branch;

	if (!nd)
		return NULL;
	nd->depth = depth;
	full = json_str(item, "full_name");
	url = json_str(item, "clone_url");
	branch = json_str(item, "default_branch");
	nd->stars = json_long(item, "stargazers_count", -1);
	nd->forks_count = json_long(item, "forks_count", 0);
	if (!full_name_ok(full)) {
		nd->full_name = NULL;
		nd->error = xasprintf("unexpected JSON from GET %s: entry %zu "
				      "has no usable full_name",
				      where, index);
		if (!nd->error)
			goto nomem;
		return nd;
	}
	if (!(nd->full_name = strdup(full)))
		goto nomem;
	if (branch && *branch && !(nd->branch = strdup(branch)))
		goto nomem;
	if (url && *url && !(nd->clone_url = strdup(url)))
		goto nomem;
	if (nd->clone_url && !clone_url_ok(nd->clone_url)) {
		nd->error = xasprintf("GET %s: entry %zu ('%s') has a "
				      "clone_url that is not https, http or "
				      "git: refused",
				      where, index, full);
		if (!nd->error)
			goto nomem;
		return nd;
	}
	if (!nd->branch || !nd->clone_url) {
		nd->error = xasprintf("unexpected JSON from GET %s: entry %zu "
				      "('%s') has no %s",
				      where, index, full,
				      nd->branch ? "clone_url"
						 : "default_branch");
		if (!nd->error)
			goto nomem;
	}
	return nd;
nomem:
	node_free(nd);
	return NULL;
}

/*
 * One paginated list: GET url, then every Link rel="next" exactly as given.
 * each(item, shown, index, payload) takes one array item (shown: the short
 * URL of its page, for messages); it returns 1 to take the next item, 0 to
 * stop the whole list (enough items), < 0 when out of memory. A list that
 * cannot be read sets *list_error; the return is < 0 only for fatal errors
 * (recorded on gh).
 */
typedef int (*page_item_fn)(cJSON *item, const char *shown, size_t index,
			    void *payload);

static int paginate(fm_github *gh, fm_http_conn *conn, fm_ctx *ctx,
		    char *url, char **list_error, page_item_fn each,
		    void *payload)
{
	fm_http_resp resp = FM_HTTP_RESP_INIT;
	fm_http_err err;
	char *next = NULL, *why = NULL;
	size_t pages = 0, index = 0;
	int rc = 0, more = 1;

	if (!url)
		goto nomem;
	while (url && more) {
		cJSON *doc, *item;
		const char *shown;
		size_t before = index;

		if (++pages > MAX_PAGES) {
			*list_error = xasprintf("GET %s: more than %d pages",
						fm_http_short(gh->http, url),
						MAX_PAGES);
			goto done;
		}
		if ((rc = fm_http_get(gh->http, conn, ctx, url, &resp, &err)) <
		    0) {
			if (fm_http_fatal(rc)) {
				rc = record_fatal(gh, &err);
				goto done;
			}
			*list_error = strdup(err.msg);
			rc = 0;
			goto done;
		}
		shown = fm_http_short(gh->http, resp.url);
		if (!(doc = parse_json(gh, &resp, &why))) {
			*list_error = why;
			why = NULL;
			goto done;
		}
		if (!cJSON_IsArray(doc)) {
			cJSON_Delete(doc);
			*list_error = xasprintf(
				"unexpected JSON from GET %s: not a list",
				shown);
			goto done;
		}
		cJSON_ArrayForEach(item, doc)
		{
			int r = each(item, shown, index++, payload);

			if (r < 0) {
				cJSON_Delete(doc);
				goto nomem;
			}
			if (r == 0) {
				more = 0;
				break;
			}
		}
		cJSON_Delete(doc);
		free(url);
		url = NULL;
		if (fm_http_link_next(resp.link, &next) < 0)
			goto nomem;
		url = next;
		next = NULL;
		fm_http_resp_clear(&resp);
		if (index == before)
			break; /* an empty page: do not follow a loop */
	}
done:
	free(why);
	free(url);
	fm_http_resp_clear(&resp);
	return rc;
nomem:
	err.code = FM_ENOMEM;
	snprintf(err.msg, sizeof(err.msg), "out of memory");
	rc = record_fatal(gh, &err);
	goto done;
}

struct fork_page {
	fm_github *gh;
	fm_ctx *ctx;
	node *parent;
	int top;
	size_t got;
};

static int take_fork(cJSON *item, const char *shown, size_t index,
		     void *payload)
{
	struct fork_page *fp = payload;
	node *nd;

	if (fp->top > 0 && fp->got >= (size_t)fp->top)
		return 0;
	nd = node_from_item(item, fp->parent->depth + 1, shown, index);
	if (!nd || nodes_push(&fp->parent->kids, nd) < 0) {
		node_free(nd);
		return -1;
	}
	fp->got++;
	report(fp->gh, fp->ctx, "listing", 0, 1);
	/* Sorted by stars: once the top N are known, stop paging. */
	return fp->top <= 0 || fp->got < (size_t)fp->top;
}

/*
 * List the forks of `parent` by stars, keeping the first `top` (<= 0: all),
 * into parent->kids; a failed listing sets parent->list_error. Returns < 0
 * only for fatal errors (recorded on gh).
 */
static int list_forks(fm_github *gh, fm_http_conn *conn, fm_ctx *ctx,
		      node *parent, int top)
{
	struct fork_page fp = {gh, ctx, parent, top, 0};

	return paginate(gh, conn, ctx,
			xasprintf("/repos/%s/forks?sort=stargazers&per_page=%d",
				  parent->full_name, PER_PAGE),
			&parent->list_error, take_fork, &fp);
}

struct branch_page {
	node *nd;
	const char *glob;
};

static int take_branch(cJSON *item, const char *shown, size_t index,
		       void *payload)
{
	struct branch_page *bp = payload;
	const char *name = json_str(item, "name");

	(void)shown;
	(void)index;
	if (!name || !*name || (bp->glob && fnmatch(bp->glob, name, 0) != 0))
		return 1;
	return push_str(&bp->nd->branches, &bp->nd->nbranches, name) < 0 ? -1
									  : 1;
}

/* Every branch of nd matching glob (NULL: all) into nd->branches. */
static int list_branches(fm_github *gh, fm_http_conn *conn, fm_ctx *ctx,
			 node *nd, const char *glob)
{
	struct branch_page bp = {nd, glob};

	return paginate(gh, conn, ctx,
			xasprintf("/repos/%s/branches?per_page=%d",
				  nd->full_name, PER_PAGE),
			&nd->branch_error, take_branch, &bp);
}

/* ---- bounded parallel jobs --------------------------------------------- */

enum { JOB_FORKS, JOB_BRANCHES };

struct jobs {
	fm_github *gh;
	fm_ctx *ctx;
	int kind;
	int top;
	const char *glob;
	node **v;
	size_t n;
	size_t next;
	pthread_mutex_t lock;
};

static void run_one(struct jobs *j, fm_http_conn *conn, node *nd)
{
	if (j->kind == JOB_FORKS)
		list_forks(j->gh, conn, j->ctx, nd, j->top);
	else
		list_branches(j->gh, conn, j->ctx, nd, j->glob);
}

static void *worker(void *payload)
{
	struct jobs *j = payload;
	fm_http_conn *conn = NULL;

	if (fm_http_conn_new(j->gh->http, &conn) < 0) {
		fm_http_err err = {FM_ENOMEM, 0, "out of memory"};

		record_fatal(j->gh, &err);
		return NULL;
	}
	for (;;) {
		node *nd;

		if (is_fatal(j->gh, j->ctx))
			break;
		pthread_mutex_lock(&j->lock);
		nd = j->next < j->n ? j->v[j->next++] : NULL;
		pthread_mutex_unlock(&j->lock);
		if (!nd)
			break;
		run_one(j, conn, nd);
	}
	fm_http_conn_free(conn);
	return NULL;
}

/* Run the jobs over v[0..n) with up to gh->concurrency threads. */
static void run_jobs(struct jobs *j)
{
	pthread_t threads[32];
	size_t i, nthreads = (size_t)j->gh->concurrency;

	if (nthreads > j->n)
		nthreads = j->n;
	if (nthreads <= 1) {
		for (i = 0; i < j->n && !is_fatal(j->gh, j->ctx); i++)
			run_one(j, j->gh->conn, j->v[i]);
		return;
	}
	pthread_mutex_init(&j->lock, NULL);
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&threads[i], NULL, worker, j) != 0)
			break;
	nthreads = i;
	if (nthreads == 0) /* no threads to be had: do it here */
		for (i = 0; i < j->n && !is_fatal(j->gh, j->ctx); i++)
			run_one(j, j->gh->conn, j->v[i]);
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	pthread_mutex_destroy(&j->lock);
}

/* ---- rows -------------------------------------------------------------- */

static int add_row(fm_fork_list *out, const node *nd, const char *branch,
		   const char *error)
{
	char *ref = NULL;
	fm_fork *f;
	int valid = 1, rc;

	if (branch && *branch) {
		/* a NULL context: an invalid name becomes the row's error */
		rc = fm_fork_ref(NULL, FM_SOURCE_GITHUB, nd->full_name, branch,
				 &ref);
		if (rc == FM_ENOMEM)
			return rc;
		valid = rc == 0;
	}
	rc = fm_fork_list_add(out, nd->full_name, branch ? branch : "",
			      ref ? ref : "", nd->clone_url, FM_SOURCE_GITHUB,
			      &f);
	free(ref);
	if (rc < 0)
		return rc;
	f->stars = nd->stars;
	f->depth = nd->depth;
	if (error)
		rc = fm_fork_set_error(f, "%s", error);
	else if (branch && *branch && !valid)
		rc = fm_fork_set_error(f,
				       "branch name '%s' of '%s' does not make "
				       "a valid ref",
				       branch, nd->full_name);
	else if (!branch || !*branch)
		rc = fm_fork_set_error(f, "no branch to measure");
	return rc;
}

static int add_rows(fm_fork_list *out, const node *nd, int all_branches)
{
	size_t i;
	int rc = 0;

	if (!nd->full_name) /* an entry without a name */
		return 0;
	if (nd->error)
		return add_row(out, nd, nd->branch, nd->error);
	if (!all_branches)
		return add_row(out, nd, nd->branch, NULL);
	if (nd->branch_error)
		return add_row(out, nd, nd->branch, nd->branch_error);
	for (i = 0; i < nd->nbranches && rc == 0; i++)
		rc = add_row(out, nd, nd->branches[i], NULL);
	return rc;
}

/* A row for a listing that failed, named after the listed repository. */
static int add_list_error(fm_fork_list *out, const char *name,
			  const char *why)
{
	fm_fork *f;
	int rc;

	rc = fm_fork_list_add(out, name, "", "", NULL, FM_SOURCE_GITHUB, &f);
	if (rc < 0)
		return rc;
	return fm_fork_set_error(f, "cannot list forks of '%s': %s", name,
				 why);
}

/* ---- discovery --------------------------------------------------------- */

int fm_github_discover(fm_ctx *ctx, fm_github *gh, const char *upstream,
		       const fm_github_discover_opts *opts,
		       fm_fork_list *out)
{
	fm_github_discover_opts dflt = FM_GITHUB_DISCOVER_OPTS_INIT;
	fm_github_repo up;
	nodes all = {NULL, 0, 0}, level = {NULL, 0, 0};
	node *root = NULL;
	const char *glob = NULL;
	int all_branches = 0, depth, d, rc;
	size_t i, k;

	memset(&up, 0, sizeof(up));
	if (!opts)
		opts = &dflt;
	depth = opts->depth > 0 ? opts->depth : 1;
	if (opts->branches && *opts->branches &&
	    strcmp(opts->branches, "default") != 0) {
		all_branches = 1;
		if (strcmp(opts->branches, "all") != 0)
			glob = opts->branches;
	}
	if ((rc = fm_github_get_repo(ctx, gh, upstream, &up)) < 0)
		return rc;
	gh->ctx = ctx;
	pthread_mutex_lock(&gh->lock);
	gh->listed = 0;
	pthread_mutex_unlock(&gh->lock);

	root = calloc(1, sizeof(*root));
	if (!root || !(root->full_name = strdup(up.full_name)))
		goto nomem;
	root->depth = 0;
	root->forks_count = up.forks_count;
	if (nodes_push(&level, root) < 0)
		goto nomem;
	for (d = 1; d <= depth && level.n; d++) {
		struct jobs j;
		nodes parents = {NULL, 0, 0};

		/* only repositories with forks of their own cost a request */
		for (i = 0; i < level.n; i++)
			if (!level.v[i]->error &&
			    level.v[i]->forks_count != 0 &&
			    nodes_push(&parents, level.v[i]) < 0) {
				free(parents.v);
				goto nomem;
			}
		memset(&j, 0, sizeof(j));
		j.gh = gh;
		j.ctx = ctx;
		j.kind = JOB_FORKS;
		j.top = opts->top;
		j.v = parents.v;
		j.n = parents.n;
		run_jobs(&j);
		level.n = 0;
		for (i = 0; i < j.n; i++)
			for (k = 0; k < j.v[i]->kids.n; k++)
				if (nodes_push(&level, j.v[i]->kids.v[k]) < 0 ||
				    nodes_push(&all, j.v[i]->kids.v[k]) < 0) {
					free(parents.v);
					goto nomem;
				}
		free(parents.v);
		if (is_fatal(gh, ctx))
			break;
	}
	if (all_branches && !is_fatal(gh, ctx)) {
		struct jobs j;
		nodes todo = {NULL, 0, 0};

		for (i = 0; i < all.n; i++)
			if (all.v[i]->full_name && !all.v[i]->error &&
			    nodes_push(&todo, all.v[i]) < 0) {
				free(todo.v);
				goto nomem;
			}
		memset(&j, 0, sizeof(j));
		j.gh = gh;
		j.ctx = ctx;
		j.kind = JOB_BRANCHES;
		j.glob = glob;
		j.v = todo.v;
		j.n = todo.n;
		run_jobs(&j);
		free(todo.v);
	}

	/* rows: forks level by level (stars first), then failed listings */
	for (i = 0; i < all.n; i++)
		if ((rc = add_rows(out, all.v[i], all_branches)) < 0)
			goto nomem;
	if (root->list_error &&
	    add_list_error(out, root->full_name, root->list_error) < 0)
		goto nomem;
	for (i = 0; i < all.n; i++) {
		if (all.v[i]->list_error &&
		    add_list_error(out, all.v[i]->full_name,
				   all.v[i]->list_error) < 0)
			goto nomem;
		if (!all.v[i]->full_name && all.v[i]->error) {
			fm_fork *f;

			if (fm_fork_list_add(out, "?", "", "", NULL,
					     FM_SOURCE_GITHUB, &f) < 0 ||
			    fm_fork_set_error(f, "%s", all.v[i]->error) < 0)
				goto nomem;
		}
	}
	report(gh, ctx, "listing", 0, 0);
	rc = 0;
done:
	pthread_mutex_lock(&gh->lock);
	if (gh->fatal && rc == 0)
		rc = fm_error_set(ctx, gh->fatal, "%s", gh->fatal_msg);
	pthread_mutex_unlock(&gh->lock);
	if (rc == 0 && fm_ctx_interrupted(ctx))
		rc = fm_error_set(ctx, FM_EINTERRUPTED, "interrupted");
	free(all.v);
	free(level.v);
	node_free(root); /* frees every node through kids */
	fm_github_repo_clear(&up);
	gh->ctx = NULL;
	return rc;
nomem:
	rc = fm_error_set(ctx, FM_ENOMEM, "out of memory");
	goto done;
}
