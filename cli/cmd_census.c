/* forkmap census: discover forks, fetch them, measure them, keep the run. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <forkmap/census.h>
#include <forkmap/config.h>
#include <forkmap/export.h>
#include <forkmap/fetch.h>
#include <forkmap/github.h>
#include <forkmap/measure.h>
#include <forkmap/repo.h>
#include <forkmap/runs.h>
#include <forkmap/util.h>

#include "cli.h"
#include "progress.h"

static const char census_usage[] =
	"usage: forkmap census [options]\n"
	"\n"
	"Measure every fork of the upstream branch of a local repository and\n"
	"keep the run in the store. Forks come from local branches (--local),\n"
	"from [fork \"NAME\"] sections of the config file (fetched by URL),\n"
	"and from GitHub (--upstream OWNER/REPO).\n"
	"\n"
	"repository and upstream:\n"
	"  -C PATH              local repository, bare or not (default: .)\n"
	"  --config FILE        config file (default: ./forkmap.conf if present)\n"
	"  --branch BRANCH      upstream branch (default: the repository's HEAD)\n"
	"  --upstream O/R       upstream on GitHub; enables GitHub discovery\n"
	"forks:\n"
	"  --local GLOB         local fork refs (repeatable; default\n"
	"                       refs/heads/forks/*)\n"
	"  --no-local           no local fork refs\n"
	"  --skip GLOB          also skip branches matching GLOB (repeatable;\n"
	"                       'staging' and '*-next' are skipped by default)\n"
	"  --no-skip            drop the default/configured skip globs\n"
	"  --keep-empty         measure forks with nothing ahead too\n"
	"  --include-skipped    list skipped forks in CSV/JSON with the reason\n"
	"tags:\n"
	"  --describe GLOB      base tag patterns (repeatable; default 'v[0-9]*'\n"
	"                       and '[0-9]*')\n"
	"  --release REGEX      release tags (default ^v?[0-9]+\\.[0-9]+\\.[0-9]+$)\n"
	"GitHub:\n"
	"  --api URL            API base (default https://api.github.com)\n"
	"  --top N              measure the N most starred forks (default 50)\n"
	"  --depth N            also forks of forks, N levels (default 1)\n"
	"  --branches WHICH     default | all | GLOB (default: default branch)\n"
	"  --max-wait SECONDS   longest rate-limit wait before stopping (3600)\n"
	"  --concurrency N      parallel API requests (default 1)\n"
	"  --no-github          do not talk to GitHub\n"
	"                       token: GITHUB_TOKEN or GH_TOKEN (never stored)\n"
	"work:\n"
	"  --fetch-parallel N   concurrent fetches (default 4)\n"
	"  --threads N          worker threads for measuring (default: cores)\n"
	"output:\n"
	"  --db FILE            store (default: forkmap.db in the git dir)\n"
	"  --no-db              do not store the run\n"
	"  --csv FILE|-         write CSV (seed-compatible first 8 columns)\n"
	"  --json FILE|-        write JSON\n"
	"  -q, --quiet          no progress, no table\n"
	"  -v, --verbose        timings and details of each phase\n"
	"  -h, --help           this help\n"
	"\n"
	"A table is printed on stdout unless CSV or JSON goes there. Exit codes:\n"
	"0 done, 1 done but some forks have errors, 2 usage, 3 config,\n"
	"4 repository, 5 store/output, 6 auth, 7 network, 8 rate limit,\n"
	"9 interrupted.\n";

enum {
	OPT_CONFIG = 256,
	OPT_BRANCH,
	OPT_UPSTREAM,
	OPT_LOCAL,
	OPT_NO_LOCAL,
	OPT_SKIP,
	OPT_NO_SKIP,
	OPT_KEEP_EMPTY,
	OPT_INCLUDE_SKIPPED,
	OPT_DESCRIBE,
	OPT_RELEASE,
	OPT_API,
	OPT_TOP,
	OPT_DEPTH,
	OPT_BRANCHES,
	OPT_MAX_WAIT,
	OPT_CONCURRENCY,
	OPT_NO_GITHUB,
	OPT_FETCH_PARALLEL,
	OPT_THREADS,
	OPT_DB,
	OPT_NO_DB,
	OPT_CSV,
	OPT_JSON,
};

static const struct option census_options[] = {
	{"config", required_argument, NULL, OPT_CONFIG},
	{"branch", required_argument, NULL, OPT_BRANCH},
	{"upstream", required_argument, NULL, OPT_UPSTREAM},
	{"local", required_argument, NULL, OPT_LOCAL},
	{"no-local", no_argument, NULL, OPT_NO_LOCAL},
	{"skip", required_argument, NULL, OPT_SKIP},
	{"no-skip", no_argument, NULL, OPT_NO_SKIP},
	{"keep-empty", no_argument, NULL, OPT_KEEP_EMPTY},
	{"include-skipped", no_argument, NULL, OPT_INCLUDE_SKIPPED},
	{"describe", required_argument, NULL, OPT_DESCRIBE},
	{"release", required_argument, NULL, OPT_RELEASE},
	{"api", required_argument, NULL, OPT_API},
	{"top", required_argument, NULL, OPT_TOP},
	{"depth", required_argument, NULL, OPT_DEPTH},
	{"branches", required_argument, NULL, OPT_BRANCHES},
	{"max-wait", required_argument, NULL, OPT_MAX_WAIT},
	{"concurrency", required_argument, NULL, OPT_CONCURRENCY},
	{"no-github", no_argument, NULL, OPT_NO_GITHUB},
	{"fetch-parallel", required_argument, NULL, OPT_FETCH_PARALLEL},
	{"threads", required_argument, NULL, OPT_THREADS},
	{"db", required_argument, NULL, OPT_DB},
	{"no-db", no_argument, NULL, OPT_NO_DB},
	{"csv", required_argument, NULL, OPT_CSV},
	{"json", required_argument, NULL, OPT_JSON},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* What the command line says; NULL/-1 where it is silent. */
struct census_args {
	const char *repo;
	const char *config;
	const char *branch;
	const char *upstream;
	fm_strlist local;
	int no_local;
	fm_strlist skip;
	int no_skip;
	int keep_empty;
	int include_skipped;
	fm_strlist describe;
	const char *release;
	const char *api;
	long top, depth, max_wait, concurrency, fetch_parallel, threads;
	const char *branches;
	int no_github;
	const char *db;
	int no_db;
	const char *csv;
	const char *json;
	int quiet;
	int verbose;
};

static fm_ctx *interrupt_ctx;
static const char *const no_globs[] = {NULL};

static void on_signal(int sig)
{
	(void)sig;
	if (interrupt_ctx)
		fm_ctx_interrupt(interrupt_ctx);
}

/* A long option value within [min, max] (see cli_parse_number). */
static int parse_long(const char *opt, const char *s, long min, long max,
		      long *out)
{
	long long v;

	if (cli_parse_number(opt, s, min, max, &v) < 0)
		return -1;
	*out = (long)v;
	return 0;
}

/* Returns -1 when the command line is bad, 1 for --help, 0 to go on. */
static int parse_args(int argc, char **argv, struct census_args *a)
{
	int c;

	memset(a, 0, sizeof(*a));
	a->top = a->depth = a->max_wait = a->concurrency = -1;
	a->fetch_parallel = a->threads = -1;
	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "C:qvh", census_options, NULL)) !=
	       -1) {
		switch (c) {
		case 'C': a->repo = optarg; break;
		case 'q': a->quiet = 1; break;
		case 'v': a->verbose = 1; break;
		case 'h': return 1;
		case OPT_CONFIG: a->config = optarg; break;
		case OPT_BRANCH: a->branch = optarg; break;
		case OPT_UPSTREAM: a->upstream = optarg; break;
		case OPT_LOCAL:
			if (fm_strlist_add(&a->local, optarg) < 0)
				return -1;
			break;
		case OPT_NO_LOCAL: a->no_local = 1; break;
		case OPT_SKIP:
			if (fm_strlist_add(&a->skip, optarg) < 0)
				return -1;
			break;
		case OPT_NO_SKIP: a->no_skip = 1; break;
		case OPT_KEEP_EMPTY: a->keep_empty = 1; break;
		case OPT_INCLUDE_SKIPPED: a->include_skipped = 1; break;
		case OPT_DESCRIBE:
			if (fm_strlist_add(&a->describe, optarg) < 0)
				return -1;
			break;
		case OPT_RELEASE: a->release = optarg; break;
		case OPT_API: a->api = optarg; break;
		case OPT_TOP:
			if (parse_long("--top", optarg, 1, 100000, &a->top) < 0)
				return -1;
			break;
		case OPT_DEPTH:
			if (parse_long("--depth", optarg, 1, 10, &a->depth) < 0)
				return -1;
			break;
		case OPT_BRANCHES: a->branches = optarg; break;
		case OPT_MAX_WAIT:
			if (parse_long("--max-wait", optarg, 0, 7 * 86400,
				       &a->max_wait) < 0)
				return -1;
			break;
		case OPT_CONCURRENCY:
			if (parse_long("--concurrency", optarg, 1, 16,
				       &a->concurrency) < 0)
				return -1;
			break;
		case OPT_NO_GITHUB: a->no_github = 1; break;
		case OPT_FETCH_PARALLEL:
			if (parse_long("--fetch-parallel", optarg, 1, 64,
				       &a->fetch_parallel) < 0)
				return -1;
			break;
		case OPT_THREADS:
			if (parse_long("--threads", optarg, 1, 256,
				       &a->threads) < 0)
				return -1;
			break;
		case OPT_DB: a->db = optarg; break;
		case OPT_NO_DB: a->no_db = 1; break;
		case OPT_CSV: a->csv = optarg; break;
		case OPT_JSON: a->json = optarg; break;
		default: return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "error: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	if (a->csv && a->json && !strcmp(a->csv, "-") &&
	    !strcmp(a->json, "-")) {
		fprintf(stderr, "error: --csv - and --json - both want stdout\n");
		return -1;
	}
	return 0;
}

static void args_clear(struct census_args *a)
{
	fm_strlist_clear(&a->local);
	fm_strlist_clear(&a->skip);
	fm_strlist_clear(&a->describe);
}

/* --config FILE, else ./forkmap.conf when it exists, else defaults. */
static int load_config(fm_ctx *ctx, const struct census_args *a,
		       fm_config *cfg)
{
	const char *path = cli_config_path(a->config);

	fm_config_init(cfg);
	return path ? fm_config_load(ctx, path, cfg) : 0;
}

/* Configured forks: fetched into refs/forkmap/config/<name>/<branch>. */
static int add_config_forks(fm_ctx *ctx, const fm_config *cfg,
			    fm_fork_list *forks)
{
	size_t i;

	for (i = 0; i < cfg->nforks; i++) {
		const fm_config_fork *f = &cfg->forks[i];
		const char *branch = f->branch ? f->branch : "master";
		char *ref;
		int rc;

		if ((rc = fm_fork_ref(ctx, FM_SOURCE_CONFIG, f->name, branch,
				      &ref)) < 0)
			return rc;
		rc = fm_fork_list_add(forks, f->name, branch, ref, f->url,
				      FM_SOURCE_CONFIG, NULL);
		free(ref);
		if (rc < 0)
			return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	}
	return 0;
}

/*
 * An output file is written to a temporary file beside it, opened before
 * the census so a bad path fails in a second, not after an hour of work,
 * and renamed over the old file only when complete: a failed run keeps
 * the previous output. Only regular files get that treatment: a device or
 * a pipe (/dev/null, /dev/stdout, a FIFO) is written in place.
 */
struct output {
	const char *path; /* "-" is stdout */
	char *tmp;
	FILE *f;
};

static int output_open(fm_ctx *ctx, struct output *o, const char *path)
{
	struct stat st;
	size_t len;
	int fd;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (!path)
		return 0;
	if (!strcmp(path, "-")) {
		o->f = stdout;
		return 0;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (!(o->f = fopen(path, "w")))
			return fm_error_set(ctx, FM_EIO, "cannot write '%s': %s",
					    path, strerror(errno));
		return 0;
	}
	len = strlen(path) + sizeof(".tmp-XXXXXX");
	if (!(o->tmp = malloc(len)))
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	snprintf(o->tmp, len, "%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(o->tmp)) < 0 || !(o->f = fdopen(fd, "w"))) {
		int err = errno;

		if (fd >= 0)
			close(fd);
		free(o->tmp);
		o->tmp = NULL;
		return fm_error_set(ctx, FM_EIO, "cannot write '%s': %s", path,
				    strerror(err));
	}
	fchmod(fd, 0644);
	return 0;
}

static int output_write(fm_ctx *ctx, struct output *o, const fm_census *c,
			int include_skipped,
			int (*fn)(fm_ctx *, const fm_census *, int, FILE *))
{
	int rc;

	if (!o->f)
		return 0;
	rc = fn(ctx, c, include_skipped, o->f);
	if (o->f == stdout) {
		if (fflush(stdout) != 0 && rc == 0)
			rc = fm_error_set(ctx, FM_EIO, "cannot write to stdout");
		o->f = NULL;
		return rc;
	}
	if (fclose(o->f) != 0 && rc == 0)
		rc = fm_error_set(ctx, FM_EIO, "cannot write '%s': %s", o->path,
				  strerror(errno));
	o->f = NULL;
	if (!o->tmp) /* written in place */
		return rc;
	if (rc == 0 && rename(o->tmp, o->path) != 0)
		rc = fm_error_set(ctx, FM_EIO, "cannot write '%s': %s", o->path,
				  strerror(errno));
	if (rc < 0)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	return rc;
}

/* Drop an output that was never written (the census failed). */
static void output_abandon(struct output *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	if (o->tmp) {
		unlink(o->tmp);
		free(o->tmp);
	}
	memset(o, 0, sizeof(*o));
}

static void print_num(long v, int width)
{
	if (v < 0)
		printf(" %*s", width, "-");
	else
		printf(" %*ld", width, v);
}

/* The readable table: every untrusted string made terminal-safe. */
static void print_table(const fm_census *c)
{
	size_t i, w = 4;
	char *up = fm_term_safe(c->upstream), *br = fm_term_safe(c->branch);

	for (i = 0; i < c->nrows; i++) {
		size_t len = strlen(c->rows[i].name);

		if (!c->rows[i].skipped && len > w)
			w = len > 40 ? 40 : len;
	}
	printf("%s %s at %.12s\n", up ? up : "", br ? br : "", c->head);
	printf("%-*s %-12s %-10s %6s %6s %6s %8s %8s %-10s\n", (int)w, "fork",
	       "base tag", "release", "ahead", "behind", "unique", "+lines",
	       "-lines", "last commit");
	for (i = 0; i < c->nrows; i++) {
		const fm_row *r = &c->rows[i];
		char *name, *tag, *rel, date[FM_DATE_ISO_MAX];

		if (r->skipped)
			continue;
		name = fm_term_safe(r->name);
		tag = fm_term_safe(r->base_tag);
		rel = fm_term_safe(r->release);
		printf("%-*.*s", (int)w, (int)w, name ? name : "");
		if (r->error) {
			char *err = fm_term_safe(r->error);

			printf(" error: %s\n", err ? err : "");
			free(err);
		} else {
			printf(" %-12.12s %-10.10s", tag ? tag : "",
			       rel ? rel : "");
			print_num(r->ahead, 6);
			print_num(r->behind, 6);
			print_num(r->unique, 6);
			print_num(r->insertions, 8);
			print_num(r->deletions, 8);
			fm_date_iso(&r->head_date, date);
			printf(" %.10s\n", date);
		}
		free(name);
		free(tag);
		free(rel);
	}
	free(up);
	free(br);
}

struct counts {
	size_t measured, skipped, failed;
};

static struct counts count_rows(const fm_census *c)
{
	struct counts n = {0, 0, 0};
	size_t i;

	for (i = 0; i < c->nrows; i++) {
		if (c->rows[i].error)
			n.failed++;
		else if (c->rows[i].skipped)
			n.skipped++;
		else
			n.measured++;
	}
	return n;
}

int cmd_census(int argc, char **argv)
{
	struct census_args a;
	fm_config cfg;
	fm_ctx *ctx = NULL;
	fm_repo *repo = NULL;
	fm_store *store = NULL;
	fm_census *census = NULL;
	fm_fork_list forks = FM_FORK_LIST_INIT;
	fm_census_opts opts = FM_CENSUS_OPTS_INIT;
	fm_fetch_opts fopts = FM_FETCH_OPTS_INIT;
	fm_run_stats stats = FM_RUN_STATS_INIT;
	cli_progress progress;
	const char *const *local;
	size_t nlocal;
	char *db_path = NULL;
	int rc, exit_code = EXIT_OK, stdout_used;
	int64_t run_id = 0;
	struct counts n;
	size_t i;
	fm_github *gh = NULL;
	fm_github_opts gopts = FM_GITHUB_OPTS_INIT;
	fm_github_discover_opts dopts = FM_GITHUB_DISCOVER_OPTS_INIT;
	fm_github_stats gst;
	struct output csv_out = {NULL, NULL, NULL}, json_out = {NULL, NULL, NULL};
	const char *upstream, *repo_path;
	struct stat st;

	fm_config_init(&cfg);
	rc = parse_args(argc, argv, &a);
	if (rc) {
		args_clear(&a);
		fm_config_clear(&cfg);
		if (rc > 0) {
			fputs(census_usage, stdout);
			return EXIT_OK;
		}
		fputs("try 'forkmap census --help'\n", stderr);
		return EXIT_USAGE;
	}
	if (fm_ctx_new(&ctx) < 0) {
		fputs("error: out of memory\n", stderr);
		return EXIT_FAILURE_OTHER;
	}
	cli_progress_init(&progress, a.quiet);
	progress.verbose = a.verbose;
	fm_ctx_set_progress(ctx, cli_progress_cb, &progress);
	fm_ctx_set_log(ctx, cli_log_cb, &progress);
	interrupt_ctx = ctx;
	{
		/* No SA_RESTART: a wait for workers must see the signal. */
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}

	fm_config_clear(&cfg);
	if ((rc = load_config(ctx, &a, &cfg)) < 0) {
		exit_code = rc == FM_ENOTFOUND ? EXIT_CONFIG : cli_exit_code(rc);
		goto fail;
	}
	if (a.threads > 0)
		fm_ctx_set_threads(ctx, (int)a.threads);
	upstream = a.upstream ? a.upstream : cfg.upstream;
	repo_path = a.repo ? a.repo : cfg.repository ? cfg.repository : ".";
	if (upstream && !a.no_github && cfg.github) {
		const char *token = getenv("GITHUB_TOKEN");

		if (!token || !*token)
			token = getenv("GH_TOKEN");
		gopts.api = a.api ? a.api : cfg.api;
		gopts.token = token;
		gopts.concurrency = (int)(a.concurrency > 0 ? a.concurrency
							    : cfg.concurrency);
		gopts.max_wait = a.max_wait >= 0 ? a.max_wait : cfg.max_wait;
		if ((rc = fm_github_new(ctx, &gopts, &gh)) < 0)
			goto fail_rc;
	}
	if (gh && stat(repo_path, &st) != 0) {
		fm_github_repo up;

		if ((rc = fm_github_get_repo(ctx, gh, upstream, &up)) < 0)
			goto fail_rc;
		rc = fm_repo_init_bare(ctx, repo_path, up.clone_url,
				       up.default_branch, &repo);
		fm_github_repo_clear(&up);
		if (rc < 0)
			goto fail_rc;
	} else if ((rc = fm_repo_open(ctx, repo_path, &repo)) < 0) {
		goto fail_rc;
	}

	if ((rc = output_open(ctx, &csv_out, a.csv ? a.csv : cfg.csv)) < 0 ||
	    (rc = output_open(ctx, &json_out, a.json ? a.json : cfg.json)) < 0)
		goto fail_rc;

	/* The store: census runs, and caches that make the next run cheap. */
	if (!a.no_db) {
		const char *db = a.db ? a.db : cfg.db;

		if (!db && !(db = db_path = cli_default_db_path(repo))) {
			rc = fm_error_set(ctx, FM_ENOMEM, "out of memory");
			goto fail_rc;
		}
		if ((rc = fm_store_open(ctx, db, &store)) < 0)
			goto fail_rc;
	}
	if (gh)
		fm_github_set_cache(ctx, gh, store);

	/* Forks: local branches, configured URLs. */
	local = (const char *const *)(a.local.count ? a.local.items
						    : cfg.local.items);
	nlocal = a.local.count ? a.local.count : cfg.local.count;
	if (!a.no_local &&
	    (rc = fm_local_discover(ctx, repo, local, nlocal, &forks)) < 0)
		goto fail_rc;
	if ((rc = add_config_forks(ctx, &cfg, &forks)) < 0)
		goto fail_rc;
	if (gh) {
		dopts.top = (int)(a.top > 0 ? a.top : cfg.top);
		dopts.depth = (int)(a.depth > 0 ? a.depth : cfg.depth);
		dopts.branches = a.branches ? a.branches : cfg.branches;
		rc = fm_github_discover(ctx, gh, upstream, &dopts, &forks);
		fm_github_stats_get(gh, &gst);
		stats.requests = gst.requests;
		stats.not_modified = gst.not_modified;
		stats.remaining = gst.remaining;
		if (rc < 0)
			goto fail_rc;
	}
	fopts.parallel = (int)(a.fetch_parallel > 0 ? a.fetch_parallel
						    : cfg.fetch_parallel);
	if ((rc = fm_fetch_forks(ctx, repo, &forks, &fopts)) < 0)
		goto fail_rc;

	/* Measure. */
	opts.upstream = a.upstream ? a.upstream : cfg.upstream;
	opts.branch = a.branch ? a.branch : cfg.branch;
	if (a.describe.count) {
		opts.describe = (const char *const *)a.describe.items;
		opts.ndescribe = a.describe.count;
	} else {
		opts.describe = (const char *const *)cfg.describe.items;
		opts.ndescribe = cfg.describe.count;
	}
	opts.release = a.release ? a.release : cfg.release;
	/* --skip adds to the configured (or default) globs; --no-skip drops
	 * those first, so "--no-skip --skip X" skips X alone. */
	if (a.no_skip)
		fm_strlist_clear(&cfg.skip);
	for (i = 0; i < a.skip.count; i++)
		if (fm_strlist_add(&cfg.skip, a.skip.items[i]) < 0) {
			rc = fm_error_set(ctx, FM_ENOMEM, "out of memory");
			goto fail_rc;
		}
	opts.skip = cfg.skip.items ? (const char *const *)cfg.skip.items
				   : no_globs; /* NULL would mean defaults */
	opts.nskip = cfg.skip.count;
	opts.keep_empty = a.keep_empty || cfg.keep_empty;
	opts.cache = store;
	if ((rc = fm_census_measure(ctx, repo, &opts, &forks, &census)) < 0)
		goto fail_rc;
	cli_progress_done(&progress);

	/* Keep the run: one transaction, after measuring. */
	if (store && (rc = fm_store_save_census(ctx, store, census, &stats,
						&run_id)) < 0)
		goto fail_rc;

	/* Outputs. */
	stdout_used = csv_out.f == stdout || json_out.f == stdout;
	if ((rc = output_write(ctx, &csv_out, census, a.include_skipped,
			       fm_export_csv)) < 0 ||
	    (rc = output_write(ctx, &json_out, census, a.include_skipped,
			       fm_export_json)) < 0)
		goto fail_rc;
	if (!stdout_used && !a.quiet) {
		print_table(census);
		fflush(stdout); /* the table before the summary on stderr */
	}

	n = count_rows(census);
	if (!a.quiet) {
		fprintf(stderr,
			"forkmap: %zu forks: %zu measured, %zu skipped, %zu "
			"failed\n",
			census->nrows, n.measured, n.skipped, n.failed);
		if (gh)
			fprintf(stderr,
				"forkmap: GitHub: %ld API requests, %ld answered "
				"304 (not counted), rate limit remaining %ld\n",
				stats.requests, stats.not_modified,
				stats.remaining);
		if (run_id)
			fprintf(stderr, "forkmap: run %lld stored in %s\n",
				(long long)run_id,
				a.db ? a.db : cfg.db ? cfg.db : db_path);
		if (csv_out.path && strcmp(csv_out.path, "-"))
			fprintf(stderr, "forkmap: CSV written to %s\n",
				csv_out.path);
		if (json_out.path && strcmp(json_out.path, "-"))
			fprintf(stderr, "forkmap: JSON written to %s\n",
				json_out.path);
	}
	exit_code = n.failed ? EXIT_FORK_ERRORS : EXIT_OK;
	goto done;

fail_rc:
	exit_code = cli_exit_code(rc);
fail:
	cli_progress_done(&progress);
	cli_error(ctx);
done:
	output_abandon(&csv_out);
	output_abandon(&json_out);
	interrupt_ctx = NULL;
	fm_census_free(census);
	fm_github_free(gh);
	fm_store_free(store);
	fm_fork_list_clear(&forks);
	fm_repo_free(repo);
	fm_config_clear(&cfg);
	fm_ctx_free(ctx);
	free(db_path);
	args_clear(&a);
	return exit_code;
}
