/*
 * forkmap-github-driver: runs fm_forge_discover on GitHub (and optionally
 * fm_repo_init_bare + fm_fetch_forks) against an API, for the python tests
 * in tests/crawler/forge/test_github_*.py. Not a test by itself.
 *
 * With --emu-clock the context's clock is the emulator's virtual clock:
 * now() asks GET /_emu/time and sleep(s) sends POST /_emu/advance?seconds=s
 * instead of sleeping, so a test proves from the emulator's log that no
 * request was sent during a wait, without waiting.
 *
 * Prints one JSON document on stdout:
 *	{"rc": 0, "code": 0, "error": null, "forks": [...], "stats": {...},
 *	 "waits": [{"until": N, "requests": N}], "phases": [...],
 *	 "repo": {...}}
 * and exits 0 when rc is 0, else 1. --measure FILE then measures the
 * forks with fm_census_measure (as forkmap census would) and writes the
 * census JSON (skipped rows included) to FILE. --summary leaves "forks"
 * empty and says only how many there are ("nforks"), so that the memory
 * of a huge listing can be measured without the document's own. --forge
 *gitlab|forgejo talks to that forge instead (test_gitlab_*.py,
 *test_forgejo_*.py). The token comes from the forge's variables (GITHUB_TOKEN
 *or GH_TOKEN, GITLAB_TOKEN, FORGEJO_TOKEN or GITEA_TOKEN), as for forkmap
 *itself.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include <forkmap/census.h>
#include <forkmap/fetch.h>
#include <forkmap/measure.h>
#include <forkmap/repo.h>
#include <forkmap/common.h>
#include <forkmap/export.h>
#include <forkmap/forge.h>
#include <forkmap/runs.h>

struct emu_clock {
	const char *api;
	CURL *curl;
	pthread_mutex_t lock;
	char buf[4096];
	size_t len;
	int failed;
};

static size_t on_data(char *data, size_t size, size_t n, void *payload)
{
	struct emu_clock *c = payload;
	size_t len = size * n;

	if (c->len + len >= sizeof(c->buf))
		return 0;
	memcpy(c->buf + c->len, data, len);
	c->len += len;
	c->buf[c->len] = '\0';
	return len;
}

/* One admin call; the "now" it answers, -1 on failure. */
static int64_t emu_call(struct emu_clock *c, const char *path, int post)
{
	char url[1024];
	cJSON *doc, *now;
	int64_t t = -1;

	pthread_mutex_lock(&c->lock);
	snprintf(url, sizeof(url), "%s%s", c->api, path);
	c->len = 0;
	c->buf[0] = '\0';
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	if (post) {
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, "");
	} else {
		curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	}
	if (curl_easy_perform(c->curl) == CURLE_OK &&
	    (doc = cJSON_Parse(c->buf))) {
		now = cJSON_GetObjectItem(doc, "now");
		if (cJSON_IsNumber(now))
			t = (int64_t)now->valuedouble;
		cJSON_Delete(doc);
	}
	if (t < 0)
		c->failed = 1;
	pthread_mutex_unlock(&c->lock);
	return t;
}

static int64_t emu_now(void *payload)
{
	return emu_call(payload, "/_emu/time", 0);
}

static void emu_sleep(void *payload, int64_t seconds)
{
	char path[64];

	snprintf(path, sizeof(path), "/_emu/advance?seconds=%lld",
		 (long long)seconds);
	emu_call(payload, path, 1);
}

struct record {
	pthread_mutex_t lock;
	cJSON *waits;
	cJSON *phases;
	size_t max_listed;
	size_t max_fetched;
};

static void on_progress(void *payload, const fm_progress *p)
{
	struct record *r = payload;
	cJSON *it;
	int seen = 0;

	pthread_mutex_lock(&r->lock);
	cJSON_ArrayForEach(
		it, r->phases) if (p->phase &&
				   !strcmp(it->valuestring, p->phase)) seen = 1;
	if (!seen && p->phase)
		cJSON_AddItemToArray(r->phases, cJSON_CreateString(p->phase));
	if (p->phase && !strcmp(p->phase, "waiting")) {
		cJSON *w = cJSON_CreateObject();

		cJSON_AddNumberToObject(w, "until", (double)p->wait_until);
		cJSON_AddNumberToObject(w, "requests", (double)p->requests);
		cJSON_AddNumberToObject(w, "remaining", (double)p->remaining);
		cJSON_AddItemToArray(r->waits, w);
	}
	if (p->forks_listed > r->max_listed)
		r->max_listed = p->forks_listed;
	if (p->forks_fetched > r->max_fetched)
		r->max_fetched = p->forks_fetched;
	pthread_mutex_unlock(&r->lock);
}

static cJSON *str_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static void usage(void)
{
	fputs("usage: forkmap-github-driver --api URL --upstream O/R\n"
	      "  [--top N]\n"
	      "  [--depth N] [--branches WHICH] [--db FILE] [--max-wait S]\n"
	      "  [--concurrency N] [--timeout S] [--fetch-timeout S]\n"
	      "  [--emu-clock]\n"
	      "  [--repo PATH [--init] [--parallel N]] [--no-discover]\n"
	      "  [--measure FILE [--keep-empty] [--no-skip]] [--summary]\n"
	      "  [--forge github|gitlab|forgejo]\n",
	      stderr);
}

int main(int argc, char **argv)
{
	static const char *const no_skip[] = {NULL};
	static const struct option longopts[] = {
		{"api", required_argument, NULL, 'a'},
		{"upstream", required_argument, NULL, 'u'},
		{"top", required_argument, NULL, 't'},
		{"depth", required_argument, NULL, 'd'},
		{"branches", required_argument, NULL, 'b'},
		{"db", required_argument, NULL, 'D'},
		{"max-wait", required_argument, NULL, 'w'},
		{"concurrency", required_argument, NULL, 'c'},
		{"timeout", required_argument, NULL, 'T'},
		{"fetch-timeout", required_argument, NULL, 'F'},
		{"emu-clock", no_argument, NULL, 'E'},
		{"repo", required_argument, NULL, 'r'},
		{"init", no_argument, NULL, 'i'},
		{"parallel", required_argument, NULL, 'p'},
		{"no-discover", no_argument, NULL, 'n'},
		{"measure", required_argument, NULL, 'm'},
		{"keep-empty", no_argument, NULL, 'k'},
		{"no-skip", no_argument, NULL, 's'},
		{"summary", no_argument, NULL, 'S'},
		{"forge", required_argument, NULL, 'g'},
		{NULL, 0, NULL, 0},
	};
	fm_forge_opts gopts = FM_FORGE_OPTS_INIT;
	fm_forge_discover_opts dopts = FM_FORGE_DISCOVER_OPTS_INIT;
	fm_fetch_opts fopts = FM_FETCH_OPTS_INIT;
	fm_fork_list forks = FM_FORK_LIST_INIT;
	fm_census_opts copts = FM_CENSUS_OPTS_INIT;
	fm_census *census = NULL;
	const char *measure = NULL;
	fm_forge_repo info;
	fm_forge_stats st;
	struct emu_clock clk;
	struct record rec;
	fm_ctx *ctx = NULL;
	fm_forge *forge = NULL;
	fm_store *store = NULL;
	fm_repo *repo = NULL;
	const char *upstream = NULL, *db = NULL, *repo_path = NULL;
	int emu = 0, init = 0, discover = 1, summary = 0, rc = 0, opt;
	cJSON *out, *arr;
	char *text;
	size_t i;

	memset(&info, 0, sizeof(info));
	memset(&clk, 0, sizeof(clk));
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			gopts.api = optarg;
			break;
		case 'u':
			upstream = optarg;
			break;
		case 't':
			dopts.top = atoi(optarg);
			break;
		case 'd':
			dopts.depth = atoi(optarg);
			break;
		case 'b':
			dopts.branches = optarg;
			break;
		case 'D':
			db = optarg;
			break;
		case 'w':
			gopts.max_wait = atol(optarg);
			break;
		case 'c':
			gopts.concurrency = atoi(optarg);
			break;
		case 'T':
			gopts.timeout = atol(optarg);
			break;
		case 'F':
			fopts.timeout = atoi(optarg);
			break;
		case 'E':
			emu = 1;
			break;
		case 'r':
			repo_path = optarg;
			break;
		case 'i':
			init = 1;
			break;
		case 'p':
			fopts.parallel = atoi(optarg);
			break;
		case 'n':
			discover = 0;
			break;
		case 'm':
			measure = optarg;
			break;
		case 'k':
			copts.keep_empty = 1;
			break;
		case 's':
			copts.skip = no_skip;
			copts.nskip = 0;
			break;
		case 'S':
			summary = 1;
			break;
		case 'g':
			gopts.kind = !strcmp(optarg, "gitlab") ? FM_FORGE_GITLAB
				     : !strcmp(optarg, "forgejo")
					     ? FM_FORGE_FORGEJO
					     : FM_FORGE_GITHUB;
			break;
		default:
			usage();
			return 2;
		}
	}
	if (!gopts.api || !upstream) {
		usage();
		return 2;
	}
	{
		const char *const *v = fm_forge_token_vars(gopts.kind);

		for (gopts.token = NULL; *v && !gopts.token; v++)
			if ((gopts.token = getenv(*v)) && !*gopts.token)
				gopts.token = NULL;
	}

	memset(&rec, 0, sizeof(rec));
	pthread_mutex_init(&rec.lock, NULL);
	rec.waits = cJSON_CreateArray();
	rec.phases = cJSON_CreateArray();
	if (fm_ctx_new(&ctx) < 0)
		return 3;
	fm_ctx_set_progress(ctx, on_progress, &rec);
	if (emu) {
		fm_clock c;

		curl_global_init(CURL_GLOBAL_DEFAULT);
		clk.api = gopts.api;
		clk.curl = curl_easy_init();
		pthread_mutex_init(&clk.lock, NULL);
		curl_easy_setopt(clk.curl, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(clk.curl, CURLOPT_WRITEDATA, &clk);
		curl_easy_setopt(clk.curl, CURLOPT_TIMEOUT, 10L);
		c.now = emu_now;
		c.sleep = emu_sleep;
		c.payload = &clk;
		fm_ctx_set_clock(ctx, &c);
	}
	/*
	 * As forkmap census does it: with --init the store (in the new
	 * repository, by default) only exists after fm_repo_init_bare, so the
	 * cache comes through fm_forge_set_cache; otherwise in the options.
	 */
	if (db && !init && (rc = fm_store_open(ctx, db, &store)) < 0)
		goto report;
	gopts.cache = store;
	if ((rc = fm_forge_new(ctx, &gopts, &forge)) < 0)
		goto report;
	if (repo_path && init) {
		if ((rc = fm_forge_get_repo(ctx, forge, upstream, &info)) < 0 ||
		    (rc = fm_repo_init_bare(ctx, repo_path, info.clone_url,
					    info.default_branch, fopts.timeout,
					    &repo)) < 0)
			goto report;
		if (db) {
			if ((rc = fm_store_open(ctx, db, &store)) < 0)
				goto report;
			fm_forge_set_cache(ctx, forge, store);
		}
	} else if (repo_path) {
		if ((rc = fm_repo_open(ctx, repo_path, &repo)) < 0)
			goto report;
	}
	if (discover &&
	    (rc = fm_forge_discover(ctx, forge, upstream, &dopts, &forks)) < 0)
		goto report;
	if (repo && (rc = fm_fetch_forks(ctx, repo, &forks, &fopts)) < 0)
		goto report;
	if (repo && measure) {
		FILE *f;

		copts.upstream = upstream;
		if ((rc = fm_census_measure(ctx, repo, &copts, &forks,
					    &census)) < 0)
			goto report;
		if (!(f = fopen(measure, "w"))) {
			rc = fm_error_set(ctx, FM_EIO, "cannot write %s",
					  measure);
			goto report;
		}
		rc = fm_export_json(ctx, census, 1, f);
		if (fclose(f) != 0 && rc == 0)
			rc = fm_error_set(ctx, FM_EIO, "cannot write %s",
					  measure);
	}
report:
	out = cJSON_CreateObject();
	cJSON_AddNumberToObject(out, "rc", rc);
	cJSON_AddNumberToObject(out, "code", fm_ctx_errcode(ctx));
	cJSON_AddItemToObject(out, "error",
			      rc < 0 ? cJSON_CreateString(fm_ctx_errmsg(ctx))
				     : cJSON_CreateNull());
	arr = cJSON_AddArrayToObject(out, "forks");
	cJSON_AddNumberToObject(out, "nforks", (double)forks.count);
	for (i = 0; i < forks.count && !summary; i++) {
		const fm_fork *f = &forks.items[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddItemToObject(o, "name", str_or_null(f->name));
		cJSON_AddItemToObject(o, "branch", str_or_null(f->branch));
		cJSON_AddItemToObject(o, "ref", str_or_null(f->ref));
		cJSON_AddItemToObject(o, "url", str_or_null(f->url));
		cJSON_AddItemToObject(o, "source",
				      str_or_null(fm_source_name(f->source)));
		cJSON_AddItemToObject(o, "error", str_or_null(f->error));
		cJSON_AddItemToObject(o, "skipped", str_or_null(f->skipped));
		cJSON_AddNumberToObject(o, "stars", (double)f->stars);
		cJSON_AddNumberToObject(o, "depth", f->depth);
		cJSON_AddItemToArray(arr, o);
	}
	fm_forge_stats_get(forge, &st);
	{
		cJSON *s = cJSON_AddObjectToObject(out, "stats");

		cJSON_AddNumberToObject(s, "requests", (double)st.requests);
		cJSON_AddNumberToObject(s, "counted", (double)st.counted);
		cJSON_AddNumberToObject(s, "not_modified",
					(double)st.not_modified);
		cJSON_AddNumberToObject(s, "remaining", (double)st.remaining);
		cJSON_AddNumberToObject(s, "waits", (double)st.waits);
		cJSON_AddNumberToObject(s, "waited_seconds",
					(double)st.waited_seconds);
		cJSON_AddNumberToObject(s, "retries", (double)st.retries);
		cJSON_AddNumberToObject(s, "max_listed",
					(double)rec.max_listed);
		cJSON_AddNumberToObject(s, "max_fetched",
					(double)rec.max_fetched);
	}
	cJSON_AddItemToObject(out, "waits", rec.waits);
	cJSON_AddItemToObject(out, "phases", rec.phases);
	if (info.full_name) {
		cJSON *r = cJSON_AddObjectToObject(out, "repo");

		cJSON_AddStringToObject(r, "full_name", info.full_name);
		cJSON_AddStringToObject(r, "clone_url", info.clone_url);
		cJSON_AddStringToObject(r, "default_branch",
					info.default_branch);
	}
	cJSON_AddBoolToObject(out, "clock_failed", clk.failed);
	text = cJSON_Print(out);
	if (text)
		puts(text);
	free(text);
	cJSON_Delete(out);

	fm_census_free(census);
	fm_forge_repo_clear(&info);
	fm_fork_list_clear(&forks);
	fm_forge_free(forge);
	fm_repo_free(repo);
	fm_store_free(store);
	fm_ctx_free(ctx);
	if (clk.curl) {
		curl_easy_cleanup(clk.curl);
		pthread_mutex_destroy(&clk.lock);
	}
	pthread_mutex_destroy(&rec.lock);
	return rc < 0 ? 1 : 0;
}
