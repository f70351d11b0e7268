/*
 * What `forkmap show` costs: after a census kept its patch ids and patch
 * files in the store, show computes no patch id and diffs no patch (the
 * library's counters say so); without the store it must compute them
 * (so the counters are not zero by construction), and both give the same
 * patches and directories.
 */
#include "../measure/gitfix.h"

#include <forkmap/measure.h>
#include <forkmap/repo.h>
#include <forkmap/runs.h>
#include <forkmap/show.h>

static void write_file(const char *path, const char *text)
{
	gitfix_sh("mkdir -p \"$(dirname '%s')\" && printf '%%s' '%s' >> '%s'",
		  path, text, path);
}

/* Upstream with a release, a fork with a patch carried twice and one
 * upstream took. */
static void build(void)
{
	write_file("hw/arm/virt.c", "a\\nb\\n");
	write_file("target/arm/cpu.c", "x\\n");
	write_file("target/i386/cpu.c", "y\\n");
	gitfix_sh("git add -A");
	gitfix_commit("initial");
	gitfix_sh("git branch forks/acme");
	gitfix_sh("git checkout -q forks/acme");
	write_file("target/arm/cpu.c", "arm\\n");
	gitfix_sh("git add -A");
	gitfix_commit("arm");
	write_file("target/i386/cpu.c", "i386\\n");
	gitfix_sh("git add -A");
	gitfix_commit("i386");
	write_file("hw/arm/virt.c", "board\\n");
	gitfix_sh("git add -A");
	gitfix_commit("board");
	gitfix_tick();
	gitfix_sh("git revert --no-edit HEAD >/dev/null");
	write_file("hw/arm/virt.c", "board\\n");
	gitfix_sh("git add -A");
	gitfix_commit("board again");
	gitfix_sh("git checkout -q main");
	write_file("other.c", "o\\n");
	gitfix_sh("git add -A");
	gitfix_commit("upstream");
	gitfix_tick();
	gitfix_sh("git cherry-pick forks/acme~4 >/dev/null");
}

static int setup(void **state)
{
	(void)state;
	if (gitfix_init("show") < 0)
		return -1;
	build();
	gitfix_repo = gitfix_open();
	return 0;
}

/* A census of the local forks into the store at path. */
static void census_into(fm_ctx *ctx, fm_repo *repo, const char *path)
{
	static const char *const globs[] = {"refs/heads/forks/*"};
	fm_census_opts opts = FM_CENSUS_OPTS_INIT;
	fm_fork_list forks = FM_FORK_LIST_INIT;
	fm_census *census;
	fm_store *store;
	int64_t id;

	assert_int_equal(fm_store_open(ctx, path, &store), 0);
	opts.branch = "main";
	opts.cache = store;
	assert_int_equal(fm_local_discover(ctx, repo, globs, 1, &forks), 0);
	assert_int_equal(fm_census_measure(ctx, repo, &opts, &forks, &census),
			 0);
	assert_int_equal(census->nrows, 1);
	assert_null(census->rows[0].error);
	assert_int_equal(fm_store_save_census(ctx, store, census, NULL, &id),
			 0);
	fm_census_free(census);
	fm_fork_list_clear(&forks);
	fm_store_free(store);
}

static void assert_same_show(const fm_show *a, const fm_show *b)
{
	size_t i;

	assert_int_equal(a->npatches, b->npatches);
	for (i = 0; i < a->npatches; i++) {
		assert_string_equal(a->patches[i].commit, b->patches[i].commit);
		assert_int_equal(a->patches[i].copies, b->patches[i].copies);
		assert_int_equal(a->patches[i].insertions,
				 b->patches[i].insertions);
	}
	assert_int_equal(a->ndirs, b->ndirs);
	for (i = 0; i < a->ndirs; i++) {
		assert_string_equal(a->dirs[i].path, b->dirs[i].path);
		assert_int_equal(a->dirs[i].commits, b->dirs[i].commits);
		assert_int_equal(a->dirs[i].insertions, b->dirs[i].insertions);
	}
}

static void test_show_after_census_diffs_nothing(void **state)
{
	fm_ctx *ctx;
	fm_repo *repo;
	fm_store *store;
	fm_census *census;
	fm_show *warm, *cold;
	char path[400], hex[GIT_OID_HEXSZ + 1];
	git_oid head;

	(void)state;
	snprintf(path, sizeof(path), "%s/store.db", gitfix_dir);
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_repo_open(ctx, gitfix_dir, &repo), 0);
	census_into(ctx, repo, path);

	assert_int_equal(fm_store_open_readonly(ctx, path, &store), 0);
	assert_int_equal(fm_store_load_census(ctx, store, 0, &census), 0);
	gitfix_oid(&head, "forks/acme");
	assert_string_equal(census->rows[0].head,
			    git_oid_tostr(hex, sizeof(hex), &head));
	assert_int_equal(
		fm_show_fork(ctx, repo, store, census, "acme", NULL, &warm), 0);
	/* the patch is carried twice: fewer patches than unique commits */
	assert_true(warm->npatches > 0);
	assert_true((long)warm->npatches < census->rows[0].unique);
	assert_int_equal((long)warm->total_patches, census->rows[0].patches);
	assert_int_equal(warm->ids_computed, 0);
	assert_int_equal(warm->patches_diffed, 0);

	/* no store: everything computed, the same answer */
	assert_int_equal(
		fm_show_fork(ctx, repo, NULL, census, "acme", NULL, &cold), 0);
	assert_true(cold->ids_computed > 0);
	assert_int_equal(cold->patches_diffed, cold->total_patches);
	assert_same_show(warm, cold);

	fm_show_free(warm);
	fm_show_free(cold);
	fm_census_free(census);
	fm_store_free(store);
	fm_repo_free(repo);
	fm_ctx_free(ctx);
}

static void test_unknown_fork_is_an_error(void **state)
{
	fm_census census;
	fm_row row;
	const fm_row *found = &row;
	fm_ctx *ctx;

	(void)state;
	memset(&census, 0, sizeof(census));
	memset(&row, 0, sizeof(row));
	row.name = (char *)"acme";
	row.branch = (char *)"stable";
	row.skipped = (char *)"ahead == 0";
	census.rows = &row;
	census.nrows = 1;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_show_find_row(ctx, &census, "bob", &found),
			 FM_EINVAL);
	assert_null(found);
	assert_non_null(strstr(fm_ctx_errmsg(ctx), "'bob' is not in"));
	fm_ctx_clear_error(ctx);
	assert_int_equal(fm_show_find_row(ctx, &census, "acme:stable", &found),
			 FM_EINVAL);
	assert_non_null(strstr(fm_ctx_errmsg(ctx), "skipped"));
	fm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_show_after_census_diffs_nothing),
		cmocka_unit_test(test_unknown_fork_is_an_error),
	};

	return cmocka_run_group_tests(tests, setup, gitfix_teardown);
}
