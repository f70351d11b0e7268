/* forkmap.conf parsing: defaults, keys, multivars, forks, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <forkmap/census.h>
#include <forkmap/config.h>
#include <forkmap/settings.h>

struct fixture {
	char dir[256];
	char path[300];
	fm_ctx *ctx;
	fm_config cfg;
	char warnings[1024];
};

static void on_log(void *payload, int level, const char *msg)
{
	struct fixture *fx = payload;
	size_t n = strlen(fx->warnings);

	if (level == FM_LOG_WARN)
		snprintf(fx->warnings + n, sizeof(fx->warnings) - n, "%s\n",
			 msg);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	const char *tmp = getenv("TMPDIR");

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "%s/fm-config-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(fx->dir) || fm_ctx_new(&fx->ctx) < 0 ||
	    fm_config_init(&fx->cfg) < 0) {
		free(fx);
		return -1;
	}
	fm_ctx_set_log(fx->ctx, on_log, fx);
	snprintf(fx->path, sizeof(fx->path), "%s/forkmap.conf", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char p[400];

	unlink(fx->path);
	snprintf(p, sizeof(p), "%s/included.conf", fx->dir);
	unlink(p);
	rmdir(fx->dir);
	fm_config_clear(&fx->cfg);
	fm_ctx_free(fx->ctx);
	free(fx);
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int load(struct fixture *fx, const char *text)
{
	write_file(fx->path, text);
	return fm_config_load(fx->ctx, fx->path, &fx->cfg);
}

static void assert_list(const fm_strlist *l, const char *const *want, size_t n)
{
	size_t i;

	assert_int_equal(l->count, n);
	for (i = 0; i < n; i++)
		assert_string_equal(l->items[i], want[i]);
}

static void assert_defaults(const fm_config *c)
{
	static const char *const local[] = {"refs/heads/forks/*"};
	static const char *const skip[] = {"staging", "*-next"};
	static const char *const describe[] = {"v[0-9]*", "[0-9]*"};

	assert_list(&c->local, local, 1);
	assert_list(&c->skip, skip, 2);
	assert_list(&c->describe, describe, 2);
	assert_string_equal(c->release, FM_DEFAULT_RELEASE_REGEX);
	assert_string_equal(c->api, "https://api.github.com");
	assert_string_equal(c->branches, "default");
	assert_int_equal(c->keep_empty, 0);
	assert_int_equal(c->github, 1);
	assert_int_equal(c->patch_files, 1);
	assert_int_equal(c->top, 50);
	assert_int_equal(c->depth, 1);
	assert_int_equal(c->concurrency, 1);
	assert_int_equal(c->max_wait, 3600);
	assert_int_equal(c->fetch_parallel, 4);
}

static void test_defaults(void **state)
{
	struct fixture *fx = *state;

	assert_defaults(&fx->cfg);
	assert_null(fx->cfg.repository);
	assert_null(fx->cfg.upstream);
	assert_null(fx->cfg.branch);
	assert_null(fx->cfg.db);
	assert_null(fx->cfg.csv);
	assert_null(fx->cfg.json);
	assert_int_equal(fx->cfg.nforks, 0);
}

static void test_empty_file_keeps_defaults(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(load(fx, "# nothing\n"), 0);
	assert_defaults(&fx->cfg);
}

static void test_every_key(void **state)
{
	struct fixture *fx = *state;
	static const char *const local[] = {"refs/remotes/*/master"};
	static const char *const skip[] = {"wip-*"};
	static const char *const describe[] = {"redis-*"};
	static const char *const mirrors[] = {"gitlab:redis/redis",
					      "https://codeberg.org/r/redis"};
	char *home = getenv("HOME");
	char want[512];

	assert_int_equal(load(fx, "[census]\n"
				  "\trepository = ~/src/redis.git\n"
				  "\tlocal = refs/remotes/*/master\n"
				  "\tskip = wip-*\n"
				  "\tkeepEmpty = yes\n"
				  "\tpatchFiles = no\n"
				  "[upstream]\n"
				  "\tname = redis/redis\n"
				  "\tmirror = gitlab:redis/redis\n"
				  "\tmirror = https://codeberg.org/r/redis\n"
				  "\tbranch = unstable\n"
				  "[tags]\n"
				  "\tdescribe = redis-*\n"
				  "\trelease = ^redis-[0-9.]+$\n"
				  "[store]\n"
				  "\tpath = census.db\n"
				  "[output]\n"
				  "\tcsv = forks.csv\n"
				  "\tjson = \"forks with space.json\"\n"
				  "[github]\n"
				  "\tenabled = false\n"
				  "\tapi = https://ghe.example.com/api/v3\n"
				  "\ttop = 1k\n"
				  "\tdepth = 2\n"
				  "\tbranches = release-*\n"
				  "\tconcurrency = 16\n"
				  "\tmaxwait = 120\n"
				  "[fetch]\n"
				  "\tparallel = 8\n"),
			 0);
	assert_string_equal(fx->warnings, "");
	if (home && *home) {
		snprintf(want, sizeof(want), "%s/src/redis.git", home);
		assert_string_equal(fx->cfg.repository, want);
	}
	assert_list(&fx->cfg.local, local, 1);
	assert_list(&fx->cfg.skip, skip, 1);
	assert_list(&fx->cfg.describe, describe, 1);
	assert_int_equal(fx->cfg.keep_empty, 1);
	assert_int_equal(fx->cfg.patch_files, 0);
	assert_string_equal(fx->cfg.upstream, "redis/redis");
	assert_list(&fx->cfg.mirrors, mirrors, 2);
	assert_string_equal(fx->cfg.branch, "unstable");
	assert_string_equal(fx->cfg.release, "^redis-[0-9.]+$");
	assert_string_equal(fx->cfg.db, "census.db");
	assert_string_equal(fx->cfg.csv, "forks.csv");
	assert_string_equal(fx->cfg.json, "forks with space.json");
	assert_int_equal(fx->cfg.github, 0);
	assert_string_equal(fx->cfg.api, "https://ghe.example.com/api/v3");
	assert_int_equal(fx->cfg.top, 1024); /* git's k is 1024 */
	assert_int_equal(fx->cfg.depth, 2);
	assert_string_equal(fx->cfg.branches, "release-*");
	assert_int_equal(fx->cfg.concurrency, 16);
	assert_int_equal(fx->cfg.max_wait, 120);
	assert_int_equal(fx->cfg.fetch_parallel, 8);
}

static void test_multivar_replaces_default(void **state)
{
	struct fixture *fx = *state;
	static const char *const local[] = {"refs/heads/forks/*",
					    "refs/heads/hard/*"};
	static const char *const skip[] = {"staging", "*-next"};
	static const char *const describe[] = {"v*", "release-*"};

	assert_int_equal(load(fx, "[census]\n"
				  "\tlocal = refs/heads/forks/*\n"
				  "[tags]\n"
				  "\tdescribe = v*\n"
				  "[census]\n"
				  "\tlocal = refs/heads/hard/*\n"
				  "[tags]\n"
				  "\tdescribe = release-*\n"),
			 0);
	/* given: exactly the file's values, in order, default dropped */
	assert_list(&fx->cfg.local, local, 2);
	assert_list(&fx->cfg.describe, describe, 2);
	/* not given: the default list */
	assert_list(&fx->cfg.skip, skip, 2);
}

static void test_multivar_empty_value_empties(void **state)
{
	struct fixture *fx = *state;
	static const char *const describe[] = {"b*"};

	assert_int_equal(load(fx, "[census]\n"
				  "\tskip =\n"
				  "[tags]\n"
				  "\tdescribe = a*\n"
				  "\tdescribe =\n"
				  "\tdescribe = b*\n"),
			 0);
	assert_int_equal(fx->cfg.skip.count, 0);
	assert_list(&fx->cfg.describe, describe, 1);
}

static void test_last_value_wins(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(load(fx, "[github]\n\ttop = 5\n"
				  "[upstream]\n\tname = a/b\n"
				  "[github]\n\tTOP = 7\n"
				  "[upstream]\n\tname = c/d\n"),
			 0);
	assert_int_equal(fx->cfg.top, 7);
	assert_string_equal(fx->cfg.upstream, "c/d");
}

static void test_implicit_bool(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(load(fx, "[census]\n\tkeepEmpty\n"), 0);
	assert_int_equal(fx->cfg.keep_empty, 1);
}

static void test_fork_sections(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(load(fx, "[fork \"acme\"]\n"
				  "\turl = https://git.example.com/acme/q.git\n"
				  "\tbranch = acme-stable\n"
				  "[fork \"Beta.Corp\"]\n"
				  "\turl = git://example.org/beta.git\n"
				  "[fork \"acme\"]\n"
				  "\tbranch = acme-next\n"),
			 0);
	assert_int_equal(fx->cfg.nforks, 2);
	assert_string_equal(fx->cfg.forks[0].name, "acme");
	assert_string_equal(fx->cfg.forks[0].url,
			    "https://git.example.com/acme/q.git");
	assert_string_equal(fx->cfg.forks[0].branch, "acme-next");
	/* subsection names keep their case and dots */
	assert_string_equal(fx->cfg.forks[1].name, "Beta.Corp");
	assert_string_equal(fx->cfg.forks[1].url, "git://example.org/beta.git");
	assert_string_equal(fx->cfg.forks[1].branch, "master");
}

static void expect_error(struct fixture *fx, const char *text, int code,
			 const char *why)
{
	char want[600];

	assert_int_equal(load(fx, text), code);
	snprintf(want, sizeof(want), "%s: %s", fx->path, why);
	assert_string_equal(fm_ctx_errmsg(fx->ctx), want);
	fm_ctx_clear_error(fx->ctx);
}

static void test_fork_without_url(void **state)
{
	struct fixture *fx = *state;

	expect_error(fx, "[fork \"acme\"]\n\tbranch = main\n", FM_ECONFIG,
		     "fork.acme.url: missing");
}

static void test_missing_file(void **state)
{
	struct fixture *fx = *state;
	char want[400];

	assert_int_equal(fm_config_load(fx->ctx, fx->path, &fx->cfg),
			 FM_ENOTFOUND);
	snprintf(want, sizeof(want), "%s: no such file", fx->path);
	assert_string_equal(fm_ctx_errmsg(fx->ctx), want);
	assert_defaults(&fx->cfg);
}

static void test_syntax_error(void **state)
{
	struct fixture *fx = *state;
	char prefix[400];

	assert_int_equal(load(fx, "[github\n\ttop = 5\n"), FM_ECONFIG);
	snprintf(prefix, sizeof(prefix), "%s: ", fx->path);
	assert_true(strncmp(fm_ctx_errmsg(fx->ctx), prefix, strlen(prefix)) ==
		    0);
	/* libgit2's own words */
	assert_non_null(strstr(fm_ctx_errmsg(fx->ctx), "missing ']'"));
	fm_ctx_clear_error(fx->ctx);
	assert_int_equal(load(fx, "[github]\n\ttop = 5 \\q\n"), FM_ECONFIG);
	assert_non_null(strstr(fm_ctx_errmsg(fx->ctx), "invalid escape"));
}

static void test_bad_values(void **state)
{
	struct fixture *fx = *state;

	expect_error(fx, "[github]\n\ttop = 0\n", FM_ECONFIG,
		     "github.top: must be between 1 and 100000, not 0");
	expect_error(fx, "[github]\n\tdepth = -1\n", FM_ECONFIG,
		     "github.depth: must be between 1 and 10, not -1");
	expect_error(fx, "[github]\n\tconcurrency = 99\n", FM_ECONFIG,
		     "github.concurrency: must be between 1 and 16, not 99");
	expect_error(fx, "[github]\n\tconcurrency = 0\n", FM_ECONFIG,
		     "github.concurrency: must be between 1 and 16, not 0");
	expect_error(fx, "[github]\n\ttop = many\n", FM_ECONFIG,
		     "github.top: not an integer 'many'");
	expect_error(fx, "[github]\n\ttop = 12abc\n", FM_ECONFIG,
		     "github.top: not an integer '12abc'");
	expect_error(
		fx, "[github]\n\ttop = 99999999999\n", FM_ECONFIG,
		"github.top: must be between 1 and 100000, not 99999999999");
	expect_error(fx, "[github]\n\tmaxWait = -5\n", FM_ECONFIG,
		     "github.maxWait: must be between 0 and 604800, not -5");
	expect_error(fx, "[fetch]\n\tparallel = 0\n", FM_ECONFIG,
		     "fetch.parallel: must be between 1 and 32, not 0");
	expect_error(fx, "[census]\n\tkeepEmpty = maybe\n", FM_ECONFIG,
		     "census.keepEmpty: not a boolean 'maybe'");
	expect_error(fx, "[upstream]\n\tname\n", FM_ECONFIG,
		     "upstream.name: missing value");
	expect_error(fx, "[upstream]\n\tname =\n", FM_ECONFIG,
		     "upstream.name: empty value");
	expect_error(fx, "[fork \"x\"]\n\turl =\n", FM_ECONFIG,
		     "fork.x.url: empty value");
	assert_int_equal(load(fx, "[tags]\n\trelease = v[0-9\n"), FM_ECONFIG);
	assert_non_null(strstr(fm_ctx_errmsg(fx->ctx),
			       "tags.release: bad release regex 'v[0-9': "));
}

static void test_unknown_key_warns(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(load(fx, "[github]\n\ttpo = 5\n[color]\n\tui = 1\n"),
			 0);
	assert_non_null(strstr(fx->warnings, "github.tpo: unknown key"));
	assert_non_null(strstr(fx->warnings, "color.ui: unknown key"));
	assert_int_equal(fx->cfg.top, 50);
}

static void test_include(void **state)
{
	struct fixture *fx = *state;
	char inc[400];

	snprintf(inc, sizeof(inc), "%s/included.conf", fx->dir);
	write_file(inc, "[github]\n\ttop = 9\n");
	assert_int_equal(load(fx, "[include]\n\tpath = included.conf\n"
				  "[github]\n\tdepth = 3\n"),
			 0);
	assert_int_equal(fx->cfg.top, 9);
	assert_int_equal(fx->cfg.depth, 3);
}

/*
 * The annotated example documents every default: as shipped (all
 * commented out) it changes nothing, and with its example lines
 * uncommented the defaults it shows are the real ones.
 */
static void test_example_documents_defaults(void **state)
{
	struct fixture *fx = *state;
	const char *src = getenv("FORKMAP_SRC");
	char path[1024], line[1024];
	FILE *in, *out;
	static const char *const skip[] = {"staging", "*-next"};

	if (!src)
		skip();
	snprintf(path, sizeof(path), "%s/config/forkmap.conf", src);
	assert_int_equal(fm_config_load(fx->ctx, path, &fx->cfg), 0);
	assert_defaults(&fx->cfg);
	assert_int_equal(fx->cfg.nforks, 0);
	assert_null(fx->cfg.upstream);

	in = fopen(path, "r");
	assert_non_null(in);
	out = fopen(fx->path, "w");
	assert_non_null(out);
	while (fgets(line, sizeof(line), in)) {
		/* "\t#key = value", "#[fork ...]" and "#\turl = ..." */
		if ((line[0] == '\t' && line[1] == '#' && strchr(line, '=') &&
		     line[2] != ' ') ||
		    (line[0] == '#' && (line[1] == '[' || line[1] == '\t')))
			fputs(line[0] == '#' ? line + 1 : line + 2, out);
		else
			fputs(line, out);
	}
	fclose(in);
	fclose(out);
	fm_config_clear(&fx->cfg);
	assert_int_equal(fm_config_init(&fx->cfg), 0);
	assert_int_equal(fm_config_load(fx->ctx, fx->path, &fx->cfg), 0);
	assert_string_equal(fx->warnings, "");
	assert_defaults(&fx->cfg);
	assert_list(&fx->cfg.skip, skip, 2);
	assert_string_equal(fx->cfg.upstream, "qemu/qemu");
	assert_int_equal(fx->cfg.mirrors.count, 1);
	assert_string_equal(fx->cfg.mirrors.items[0], "github:qemu/qemu");
	assert_string_equal(fx->cfg.branch, "master");
	assert_non_null(fx->cfg.db);
	assert_string_equal(fx->cfg.csv, "forks.csv");
	assert_string_equal(fx->cfg.json, "forks.json");
	assert_int_equal(fx->cfg.nforks, 1);
	assert_string_equal(fx->cfg.forks[0].name, "acme");
	assert_string_equal(fx->cfg.forks[0].branch, "acme-stable");
}

static void test_strlist(void **state)
{
	fm_strlist l = {NULL, 0};

	(void)state;
	assert_int_equal(fm_strlist_add(&l, "a"), 0);
	assert_int_equal(fm_strlist_add(&l, "b"), 0);
	assert_int_equal(l.count, 2);
	assert_string_equal(l.items[1], "b");
	fm_strlist_clear(&l);
	assert_int_equal(l.count, 0);
	assert_null(l.items);
	fm_strlist_clear(&l);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_empty_file_keeps_defaults),
		T(test_every_key),
		T(test_multivar_replaces_default),
		T(test_multivar_empty_value_empties),
		T(test_last_value_wins),
		T(test_implicit_bool),
		T(test_fork_sections),
		T(test_fork_without_url),
		T(test_missing_file),
		T(test_syntax_error),
		T(test_bad_values),
		T(test_unknown_key_warns),
		T(test_include),
		T(test_example_documents_defaults),
		cmocka_unit_test(test_strlist),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
