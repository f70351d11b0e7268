/*
 * fm_census_run, the pipeline as one library call: discover (local refs and
 * configured forks) -> fetch -> measure -> store -> export, with the
 * guarantees the CLI relies on: outputs replaced only by a run that
 * succeeded, the store untouched by one that failed, configured forks in
 * their own ref namespace. The fixture is built with the git program, with
 * fixed dates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <forkmap/pipeline.h>
#include <forkmap/runs.h>

static char tmp[256];

static void sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static char *path(const char *name)
{
	static char buf[8][512];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", tmp, name);
	return buf[i];
}

static char *slurp(const char *file)
{
	FILE *f = fopen(file, "rb");
	char *s;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = calloc(1, (size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return s;
}

static void put(const char *file, const char *text)
{
	FILE *f = fopen(file, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/*
 * up.git: master with v1.0.0; forks/acme two commits ahead; forks/empty
 * nothing ahead; other.git a fork served by URL (a configured fork).
 */
static int group_setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/fm-pipeline-XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	setenv("HOME", tmp, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_NAME", "T", 1);
	setenv("GIT_AUTHOR_EMAIL", "t@example.org", 1);
	setenv("GIT_COMMITTER_NAME", "T", 1);
	setenv("GIT_COMMITTER_EMAIL", "t@example.org", 1);
	setenv("GIT_AUTHOR_DATE", "2021-01-01T00:00:00Z", 1);
	setenv("GIT_COMMITTER_DATE", "2021-01-01T00:00:00Z", 1);
	sh("cd %s && git init -q -b master work && cd work && "
	   "printf 'a\\nb\\n' > a && git add a && git commit -qm a && "
	   "git tag v1.0.0 && git branch forks/empty && "
	   "git checkout -qb forks/acme && echo c >> a && git commit -qam c "
	   "&& echo d > d && git add d && git commit -qm d && "
	   "git checkout -q master && echo e > e && git add e && "
	   "git commit -qm e && cd .. && git clone -q --bare work up.git && "
	   "git clone -q work other && cd other && git checkout -qb hard && "
	   "echo h > h && git add h && git commit -qm h",
	   tmp);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	sh("rm -rf '%s'", tmp);
	return 0;
}

struct fx {
	fm_ctx *ctx;
	fm_config cfg;
	fm_census_run_opts opts;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char url[600];

	if (!fx || fm_ctx_new(&fx->ctx) < 0 || fm_config_init(&fx->cfg) < 0)
		return -1;
	fx->opts = (fm_census_run_opts)FM_CENSUS_RUN_OPTS_INIT;
	fx->cfg.repository = strdup(path("up.git"));
	fx->cfg.db = strdup(path("store.db"));
	fx->cfg.csv = strdup(path("out.csv"));
	fx->cfg.json = strdup(path("out.json"));
	fx->cfg.forks = calloc(1, sizeof(*fx->cfg.forks));
	snprintf(url, sizeof(url), "file://%s/other", tmp);
	fx->cfg.forks[0].name = strdup("config/x"); /* slash: one component */
	fx->cfg.forks[0].url = strdup(url);
	fx->cfg.forks[0].branch = strdup("hard");
	fx->cfg.nforks = 1;
	unlink(path("store.db"));
	unlink(path("out.csv"));
	unlink(path("out.json"));
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	fm_config_clear(&fx->cfg);
	fm_ctx_free(fx->ctx);
	free(fx);
	return 0;
}

static const fm_row *row(const fm_census *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nrows; i++)
		if (!strcmp(c->rows[i].name, name))
			return &c->rows[i];
	return NULL;
}

static long stored_runs(fm_ctx *ctx, const char *db)
{
	fm_store *store;
	fm_run_info *runs = NULL;
	size_t n = 0;

	assert_int_equal(fm_store_open(ctx, db, &store), 0);
	assert_int_equal(fm_store_list_runs(ctx, store, &runs, &n), 0);
	fm_run_info_free(runs, n);
	fm_store_free(store);
	return (long)n;
}

static void test_runs_every_stage_and_keeps_the_run(void **state)
{
	struct fx *fx = *state;
	fm_census_result *res = NULL;
	const fm_row *acme, *hard;
	char *csv, *json;

	assert_int_equal(fm_census_run(fx->ctx, &fx->cfg, &fx->opts, &res), 0);
	assert_non_null(res);
	/* discover + measure: the local fork with work, the empty one skipped,
	 * the configured fork fetched by URL into its own namespace */
	acme = row(res->census, "acme");
	hard = row(res->census, "config/x");
	assert_non_null(acme);
	assert_non_null(hard);
	assert_null(acme->error);
	assert_int_equal(acme->ahead, 2);
	assert_int_equal(acme->behind, 1);
	assert_string_equal(acme->base_tag, "v1.0.0");
	assert_null(hard->error);
	assert_int_equal(hard->ahead, 1);
	assert_string_equal(hard->ref, "refs/forkmap/config/config%2Fx/hard");
	assert_non_null(row(res->census, "empty")->skipped);
	assert_int_equal(res->measured, 2);
	assert_int_equal(res->skipped, 1);
	assert_int_equal(res->failed, 0);
	assert_int_equal(res->forge, 0);
	/* store */
	assert_true(res->run_id > 0);
	assert_string_equal(res->store_path, path("store.db"));
	assert_int_equal(stored_runs(fx->ctx, path("store.db")), 1);
	/* export */
	csv = slurp(path("out.csv"));
	json = slurp(path("out.json"));
	assert_non_null(csv);
	assert_non_null(json);
	assert_non_null(strstr(csv, "acme,"));
	assert_non_null(strstr(json, "\"config/x\""));
	free(csv);
	free(json);
	fm_census_result_free(res);
}

static void test_failed_run_leaves_outputs_and_store(void **state)
{
	struct fx *fx = *state;
	fm_census_result *res = NULL;
	char *csv;

	assert_int_equal(fm_census_run(fx->ctx, &fx->cfg, &fx->opts, &res), 0);
	fm_census_result_free(res);
	put(path("out.csv"), "previous\n");
	/* a branch that does not exist fails the measuring stage */
	free(fx->cfg.branch);
	fx->cfg.branch = strdup("no-such-branch");
	res = (fm_census_result *)1;
	assert_int_not_equal(fm_census_run(fx->ctx, &fx->cfg, &fx->opts, &res),
			     0);
	assert_null(res);
	assert_non_null(strstr(fm_ctx_errmsg(fx->ctx), "no-such-branch"));
	csv = slurp(path("out.csv"));
	assert_string_equal(csv, "previous\n");
	free(csv);
	assert_int_equal(stored_runs(fx->ctx, path("store.db")), 1);
	/* no temporary file is left beside the output */
	sh("test -z \"$(ls '%s' | grep tmp-)\"", tmp);
}

static void test_interrupted_run_stores_nothing(void **state)
{
	struct fx *fx = *state;
	fm_census_result *res = NULL;

	fm_ctx_interrupt(fx->ctx);
	assert_int_equal(fm_census_run(fx->ctx, &fx->cfg, &fx->opts, &res),
			 FM_EINTERRUPTED);
	assert_null(res);
	assert_int_equal(access(path("out.csv"), F_OK), -1);
	fm_ctx_free(fx->ctx);
	assert_int_equal(fm_ctx_new(&fx->ctx), 0);
	if (access(path("store.db"), F_OK) == 0)
		assert_int_equal(stored_runs(fx->ctx, path("store.db")), 0);
}

static void test_bad_output_path_fails_before_any_work(void **state)
{
	struct fx *fx = *state;
	fm_census_result *res = NULL;

	free(fx->cfg.csv);
	fx->cfg.csv = strdup(path("no/such/dir/out.csv"));
	assert_int_equal(fm_census_run(fx->ctx, &fx->cfg, &fx->opts, &res),
			 FM_EIO);
	assert_null(res);
	assert_non_null(strstr(fm_ctx_errmsg(fx->ctx), "out.csv"));
	/* failed before the store was even opened */
	assert_int_equal(access(path("store.db"), F_OK), -1);
}

static void test_no_store_and_dash_output_to_stream(void **state)
{
	struct fx *fx = *state;
	fm_census_result *res = NULL;
	char *out;
	FILE *stream = fopen(path("stream.json"), "w");

	assert_non_null(stream);
	free(fx->cfg.json);
	fx->cfg.json = strdup("-");
	fx->opts.no_store = 1;
	fx->opts.stream = stream;
	assert_int_equal(fm_census_run(fx->ctx, &fx->cfg, &fx->opts, &res), 0);
	fclose(stream);
	assert_int_equal(res->run_id, 0);
	assert_null(res->store_path);
	assert_int_equal(access(path("store.db"), F_OK), -1);
	out = slurp(path("stream.json"));
	assert_non_null(strstr(out, "\"forks\""));
	free(out);
	fm_census_result_free(res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_runs_every_stage_and_keeps_the_run, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_failed_run_leaves_outputs_and_store, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_interrupted_run_stores_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_bad_output_path_fails_before_any_work, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_no_store_and_dash_output_to_stream, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
