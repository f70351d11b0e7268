/* forkmap census: discover forks, fetch them, measure them, keep the run. */
#include <ctype.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/census.h>
#include <forkmap/config.h>
#include <forkmap/forge.h>
#include <forkmap/pipeline.h>
#include <forkmap/settings.h>
#include <forkmap/util.h>

#include "cli.h"
#include "options.h"
#include "progress.h"

/* What the command line says; NULL/-1 where it is silent. */
struct census_args {
	const char *repo, *config, *branch, *upstream;
	fm_strlist local, skip, describe, mirrors;
	int no_local, no_skip, keep_empty, include_skipped, no_github;
	int no_patch_files;
	const char *release, *api, *branches, *db, *csv, *json;
	long long top, depth, max_wait, concurrency, fetch_parallel, threads;
	long long timeout, deadline;
	int no_db, quiet, verbose;
};

#define A(field) offsetof(struct census_args, field)
static const cli_opt census_options[] = {
	{"repository and upstream:", 0, CLI_HEADING, 0, 0, NULL, NULL, NULL},
	{"", 'C', CLI_STR, A(repo), 0, "PATH",
	 "local repository, bare or not (default: .)", NULL},
	{"config", 0, CLI_STR, A(config), 0, "FILE",
	 "config file (default: ./forkmap.conf if present)", NULL},
	{"branch", 0, CLI_STR, A(branch), 0, "BRANCH",
	 "upstream branch (default: the repository's HEAD)", NULL},
	{"upstream", 0, CLI_STR, A(upstream), 0, "SPEC",
	 "the upstream whose forks are listed: O/R (GitHub),\n"
	 "github:|gitlab:|forgejo:NAME, or its URL\n(https://gitlab.com/G/P, "
	 "https://codeberg.org/O/R,\nprefixed for a self-managed host)",
	 NULL},
	{"mirror", 0, CLI_LIST, A(mirrors), 0, "SPEC",
	 "also list the forks of this mirror of the upstream\n(repeatable; "
	 "forks listed twice are kept once)",
	 NULL},
	{"forks:", 0, CLI_HEADING, 0, 0, NULL, NULL, NULL},
	{"local", 0, CLI_LIST, A(local), 0, "GLOB",
	 "local fork refs (repeatable; default\n" FM_DEFAULT_LOCAL ")", NULL},
	{"no-local", 0, CLI_FLAG, A(no_local), 0, NULL, "no local fork refs",
	 NULL},
	{"skip", 0, CLI_LIST, A(skip), 0, "GLOB",
	 "also skip branches matching GLOB (repeatable;\n'staging' and "
	 "'*-next' are skipped by default)",
	 NULL},
	{"no-skip", 0, CLI_FLAG, A(no_skip), 0, NULL,
	 "drop the default/configured skip globs", NULL},
	{"keep-empty", 0, CLI_FLAG, A(keep_empty), 0, NULL,
	 "measure forks with nothing ahead too", NULL},
	{"include-skipped", 0, CLI_FLAG, A(include_skipped), 0, NULL,
	 "list skipped forks in CSV/JSON with the reason", NULL},
	{"no-patch-files", 0, CLI_FLAG, A(no_patch_files), 0, NULL,
	 "do not keep each new patch's files for 'show'\n(a cold census "
	 "runs faster; show diffs them)",
	 NULL},
	{"tags:", 0, CLI_HEADING, 0, 0, NULL, NULL, NULL},
	{"describe", 0, CLI_LIST, A(describe), 0, "GLOB",
	 "base tag patterns (repeatable; default 'v[0-9]*'\nand '[0-9]*')",
	 NULL},
	{"release", 0, CLI_STR, A(release), 0, "REGEX",
	 "release tags (default " FM_DEFAULT_RELEASE_REGEX ")", NULL},
	{"forges:", 0, CLI_HEADING, 0, 0, NULL, NULL, NULL},
	{"api", 0, CLI_STR, A(api), 0, "URL",
	 "GitHub API base (default " FM_DEFAULT_GITHUB_API ")", NULL},
	{"top", 0, CLI_NUM, A(top), FM_SET_TOP, "N",
	 "most starred pushed forks", NULL},
	{"depth", 0, CLI_NUM, A(depth), FM_SET_DEPTH, "N",
	 "also forks of forks, N levels", NULL},
	{"branches", 0, CLI_STR, A(branches), 0, "WHICH",
	 "default | all | most-adrift | GLOB (default:\ndefault branch); "
	 "most-adrift measures every\nbranch and keeps each fork's most "
	 "patches\n(then lines) not upstream",
	 NULL},
	{"max-wait", 0, CLI_NUM, A(max_wait), FM_SET_MAX_WAIT, "SECONDS",
	 "longest rate-limit wait", NULL},
	{"concurrency", 0, CLI_NUM, A(concurrency), FM_SET_CONCURRENCY, "N",
	 "parallel API requests", NULL},
	{"no-github", 0, CLI_FLAG, A(no_github), 0, NULL,
	 "do not talk to any forge\ntokens (never logged nor stored): "
	 "GITHUB_TOKEN or\nGH_TOKEN, GITLAB_TOKEN, FORGEJO_TOKEN or "
	 "GITEA_TOKEN;\nFORKMAP_TOKEN_<HOST> first (the API's host:port in\n"
	 "upper case, '_' for anything else)",
	 NULL},
	{"work:", 0, CLI_HEADING, 0, 0, NULL, NULL, NULL},
	{"fetch-parallel", 0, CLI_NUM, A(fetch_parallel), FM_SET_FETCH_PARALLEL,
	 "N", "concurrent fetches", NULL},
	{"timeout", 0, CLI_NUM, A(timeout), FM_SET_TIMEOUT, "SECONDS",
	 "a request or fetch with no progress for this\nlong fails (that "
	 "fork's "
	 "row)",
	 NULL},
	{"deadline", 0, CLI_NUM, A(deadline), FM_SET_DEADLINE, "SECONDS",
	 "stop the whole run after this long (for cron);\nthe store is left "
	 "as it was",
	 NULL},
	{"threads", 0, CLI_NUM, A(threads), FM_SET_THREADS, "N",
	 "measuring workers, one per core by default", NULL},
	{"output:", 0, CLI_HEADING, 0, 0, NULL, NULL, NULL},
	{"db", 0, CLI_STR, A(db), 0, "FILE",
	 "store (default: " FM_DEFAULT_STORE_NAME " in the git dir)", NULL},
	{"no-db", 0, CLI_FLAG, A(no_db), 0, NULL, "do not store the run", NULL},
	{"csv", 0, CLI_STR, A(csv), 0, "FILE|-",
	 "write CSV (seed-compatible first 8 columns)", NULL},
	{"json", 0, CLI_STR, A(json), 0, "FILE|-", "write JSON", NULL},
	{"quiet", 'q', CLI_FLAG, A(quiet), 0, NULL, "no progress, no table",
	 NULL},
	{"verbose", 'v', CLI_FLAG, A(verbose), 0, NULL,
	 "timings and details of each phase", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
#undef A

static void census_usage(FILE *out)
{
	fputs("usage: forkmap census [options]\n\n"
	      "Measure every fork of the upstream branch of a local repository "
	      "and\nkeep the run in the store. Forks come from local branches "
	      "(--local),\nfrom [fork \"NAME\"] sections of the config file "
	      "(fetched by URL),\nand from forges (--upstream, --mirror).\n\n",
	      out);
	cli_options_help(out, census_options);
	fputs("\nA table is printed on stdout unless CSV or JSON goes "
	      "there.\n\n",
	      out);
	cli_exit_codes_help(out);
}

static fm_ctx *interrupt_ctx;

static void on_signal(int sig)
{
	(void)sig;
	if (interrupt_ctx)
		fm_ctx_interrupt(interrupt_ctx);
}

/* Returns -1 when the command line is bad, 1 for --help, 0 to go on. */
static int parse_args(int argc, char **argv, struct census_args *a)
{
	int rc;

	memset(a, 0, sizeof(*a));
	if ((rc = cli_options_parse(argc, argv, census_options, a)) != 0)
		return rc;
	if (a->csv && a->json && !strcmp(a->csv, "-") &&
	    !strcmp(a->json, "-")) {
		fprintf(stderr,
			"error: --csv - and --json - both want stdout\n");
		return -1;
	}
	return 0;
}

static void args_clear(struct census_args *a)
{
	cli_options_clear(census_options, a);
}

/* A string option over the config file's value (which cfg owns). */
static int override(char **field, const char *value)
{
	char *copy;

	if (!value)
		return 0;
	if (!(copy = strdup(value)))
		return -1;
	free(*field);
	*field = copy;
	return 0;
}

static int override_list(fm_strlist *field, const fm_strlist *value)
{
	size_t i;

	if (!value->count)
		return 0;
	fm_strlist_clear(field);
	for (i = 0; i < value->count; i++)
		if (fm_strlist_add(field, value->items[i]) < 0)
			return -1;
	return 0;
}

/*
 * The config the census runs with: the file (--config, else ./forkmap.conf
 * when present), then every option the command line gives over it.
 */
static int make_config(fm_ctx *ctx, const struct census_args *a, fm_config *cfg)
{
	const char *path = cli_config_path(a->config);
	size_t i;
	int rc;

	if (path && (rc = fm_config_load(ctx, path, cfg)) < 0)
		return rc;
	if (override(&cfg->repository, a->repo) < 0 ||
	    override(&cfg->upstream, a->upstream) < 0 ||
	    override(&cfg->branch, a->branch) < 0 ||
	    override(&cfg->release, a->release) < 0 ||
	    override(&cfg->api, a->api) < 0 ||
	    override(&cfg->branches, a->branches) < 0 ||
	    override(&cfg->db, a->db) < 0 || override(&cfg->csv, a->csv) < 0 ||
	    override(&cfg->json, a->json) < 0 ||
	    override_list(&cfg->local, &a->local) < 0 ||
	    override_list(&cfg->describe, &a->describe) < 0 ||
	    override_list(&cfg->mirrors, &a->mirrors) < 0)
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	if (a->no_local)
		fm_strlist_clear(&cfg->local);
	/* --skip adds to the configured (or default) globs; --no-skip drops
	 * those first, so "--no-skip --skip X" skips X alone. */
	if (a->no_skip)
		fm_strlist_clear(&cfg->skip);
	for (i = 0; i < a->skip.count; i++)
		if (fm_strlist_add(&cfg->skip, a->skip.items[i]) < 0)
			return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	if (a->no_github)
		cfg->github = 0;
	if (a->keep_empty)
		cfg->keep_empty = 1;
	if (a->no_patch_files)
		cfg->patch_files = 0;
	if (a->top > 0)
		cfg->top = (int)a->top;
	if (a->depth > 0)
		cfg->depth = (int)a->depth;
	if (a->concurrency > 0)
		cfg->concurrency = (int)a->concurrency;
	if (a->max_wait >= 0)
		cfg->max_wait = a->max_wait;
	if (a->fetch_parallel > 0)
		cfg->fetch_parallel = (int)a->fetch_parallel;
	if (a->timeout > 0)
		cfg->timeout = (long)a->timeout;
	if (a->deadline > 0)
		cfg->deadline = (long)a->deadline;
	return 0;
}

/* The first set variable of a forge's token variables, or NULL. */
static const char *forge_token(fm_forge_kind kind)
{
	const char *const *v;
	const char *token;

	for (v = fm_forge_token_vars(kind); *v; v++)
		if ((token = getenv(*v)) && *token)
			return token;
	return NULL;
}

/*
 * Tokens are per host: FORKMAP_TOKEN_<HOST> (the API's host and port,
 * upper case, anything but letters and digits as '_':
 * FORKMAP_TOKEN_GITLAB_EXAMPLE_ORG) before the forge's own variables.
 */
static const char *host_token(void *payload, int kind, const char *api)
{
	const char *host = api ? strstr(api, "://") : NULL;
	char name[160] = "FORKMAP_TOKEN_";
	size_t n = strlen(name);

	(void)payload;
	(void)kind;
	if (!host)
		return NULL;
	for (host += 3; *host && *host != '/' && n + 1 < sizeof(name); host++)
		name[n++] = isalnum((unsigned char)*host)
				    ? (char)toupper((unsigned char)*host)
				    : '_';
	name[n] = '\0';
	return getenv(name);
}

/* A path can hold anything a file name can: escaped for the terminal. */
static void print_path(const char *what, const char *path, int64_t run)
{
	char *safe = fm_term_safe(path);

	if (run)
		fprintf(stderr, "forkmap: run %lld stored in %s\n",
			(long long)run, safe ? safe : "");
	else
		fprintf(stderr, "forkmap: %s %s\n", what, safe ? safe : "");
	free(safe);
}

static void print_summary(const fm_census_result *res, const fm_config *cfg)
{
	fprintf(stderr,
		"forkmap: %zu forks: %zu measured, %zu skipped, %zu failed\n",
		res->census->nrows, res->measured, res->skipped, res->failed);
	if (res->census->nrows == 0)
		fprintf(stderr,
			"hint: no forks found: keep fork branches under "
			"refs/heads/forks/ (or name them with --local GLOB),\n"
			"hint: add [fork \"NAME\"] sections to the config, or "
			"list them on a forge with --upstream OWNER/REPO\n");
	if (res->forge)
		fprintf(stderr,
			"forkmap: forges: %ld API requests, %ld answered 304, "
			"%ld counted, rate limit remaining %ld\n",
			res->requests, res->not_modified, res->counted,
			res->remaining);
	if (res->run_id)
		print_path("run stored in", res->store_path, res->run_id);
	if (cfg->csv && strcmp(cfg->csv, "-"))
		print_path("CSV written to", cfg->csv, 0);
	if (cfg->json && strcmp(cfg->json, "-"))
		print_path("JSON written to", cfg->json, 0);
}

int cmd_census(int argc, char **argv)
{
	struct census_args a;
	fm_config cfg;
	fm_ctx *ctx = NULL;
	fm_census_run_opts opts = FM_CENSUS_RUN_OPTS_INIT;
	fm_census_result *res = NULL;
	cli_progress progress;
	struct sigaction sa;
	int rc, exit_code;

	rc = parse_args(argc, argv, &a);
	if (rc) {
		args_clear(&a);
		if (rc > 0) {
			census_usage(stdout);
			return EXIT_OK;
		}
		fputs("try 'forkmap census --help'\n", stderr);
		return EXIT_USAGE;
	}
	if (fm_ctx_new(&ctx) < 0) {
		args_clear(&a);
		fputs("error: out of memory\n", stderr);
		return EXIT_FAILURE_OTHER;
	}
	fm_config_init(&cfg);
	cli_progress_init(&progress, a.quiet);
	progress.verbose = a.verbose;
	fm_ctx_set_progress(ctx, cli_progress_cb, &progress);
	fm_ctx_set_log(ctx, cli_log_cb, &progress);
	if (a.threads > 0)
		fm_ctx_set_threads(ctx, (int)a.threads);
	interrupt_ctx = ctx;
	/* No SA_RESTART: a wait for workers must see the signal. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if ((rc = make_config(ctx, &a, &cfg)) < 0) {
		exit_code =
			rc == FM_ENOTFOUND ? EXIT_CONFIG : cli_exit_code(rc);
		goto fail;
	}
	opts.token = forge_token(FM_FORGE_GITHUB);
	opts.gitlab_token = forge_token(FM_FORGE_GITLAB);
	opts.forgejo_token = forge_token(FM_FORGE_FORGEJO);
	opts.token_for = host_token;
	opts.no_store = a.no_db;
	opts.include_skipped = a.include_skipped;
	opts.stream = stdout;
	if ((rc = fm_census_run(ctx, &cfg, &opts, &res)) < 0) {
		exit_code = cli_exit_code(rc);
		goto fail;
	}
	cli_progress_done(&progress);
	if (!a.quiet) {
		if (!(cfg.csv && !strcmp(cfg.csv, "-")) &&
		    !(cfg.json && !strcmp(cfg.json, "-"))) {
			cli_print_census(ctx, res->census);
			fflush(stdout); /* the table before the summary */
		}
		print_summary(res, &cfg);
	}
	exit_code = res->failed ? EXIT_FORK_ERRORS : EXIT_OK;
	goto done;

fail:
	cli_progress_done(&progress);
	if (fm_ctx_deadline_passed(ctx))
		fprintf(stderr,
			"error: stopped at the deadline (%ld s); the store is "
			"as it was\n",
			cfg.deadline);
	else
		cli_error(ctx);
done:
	interrupt_ctx = NULL;
	fm_census_result_free(res);
	fm_config_clear(&cfg);
	fm_ctx_free(ctx);
	args_clear(&a);
	return exit_code;
}
