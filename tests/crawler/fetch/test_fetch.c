/*
 * crawler/fetch/fetch.c over file:// URLs: fm_repo_init_bare (upstream branch
 * and tags into a new bare repository), fm_fetch_forks in parallel (each fork's
 * branch into its ref, failures as fork errors, nothing fetched twice,
 * interruption), and no password in an error message. Fixtures are made
 * with the git program in a temporary directory.
 */
#include <dirent.h>
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
#include <git2.h>

#include <forkmap/fetch.h>
#include <forkmap/repo.h>

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

static char *url(const char *name)
{
	static char buf[8][600];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "file://%s/%s", tmp, name);
	return buf[i];
}

/* git rev-parse in repo, "" when it fails */
static const char *rev(const char *repo, const char *what)
{
	static char out[8][64];
	static int i;
	char cmd[1024];
	FILE *p;

	i = (i + 1) % 8;
	out[i][0] = '\0';
	snprintf(cmd, sizeof(cmd),
		 "git --git-dir='%s' rev-parse -q --verify '%s' 2>/dev/null",
		 repo, what);
	p = popen(cmd, "r");
	if (p) {
		if (!fgets(out[i], sizeof(out[i]), p))
			out[i][0] = '\0';
		pclose(p);
	}
	out[i][strcspn(out[i], "\n")] = '\0';
	return out[i];
}

static int count_packs(const char *repo)
{
	char dir[600];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/objects/pack", repo);
	if (!(d = opendir(dir)))
		return 0;
	while ((de = readdir(d)))
		if (strstr(de->d_name, ".pack"))
			n++;
	closedir(d);
	return n;
}

static int group_setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/fm-fetch-XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	setenv("HOME", tmp, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_NAME", "T", 1);
	setenv("GIT_AUTHOR_EMAIL", "t@example.org", 1);
	setenv("GIT_COMMITTER_NAME", "T", 1);
	setenv("GIT_COMMITTER_EMAIL", "t@example.org", 1);
	setenv("GIT_AUTHOR_DATE", "2020-01-01T00:00:00Z", 1);
	setenv("GIT_COMMITTER_DATE", "2020-01-01T00:00:00Z", 1);
	sh("cd %s && git init -q -b master up && cd up && echo a > a && "
	   "git add a && git commit -qm a && git tag v1.0.0 && "
	   "git tag -a -m rel v1.1.0 && echo b > b && git add b && "
	   "git commit -qm b",
	   tmp);
	sh("cd %s && git clone -q up forkw && cd forkw && echo f > f && "
	   "git add f && git commit -qm f && git checkout -qb side && "
	   "echo s > s && git add s && git commit -qm s && git tag forktag",
	   tmp);
	sh("cd %s && git init -q --bare empty.git && mkdir notrepo && "
	   "echo x > notrepo/file",
	   tmp);
	git_libgit2_init();
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	git_libgit2_shutdown();
	sh("rm -rf '%s'", tmp);
	return 0;
}

struct seen {
	int fetching;
	size_t fetched;
	size_t total;
};

static void on_progress(void *payload, const fm_progress *p)
{
	struct seen *s = payload;

	if (p->phase && !strcmp(p->phase, "fetching"))
		s->fetching++;
	if (p->forks_fetched > s->fetched)
		s->fetched = p->forks_fetched;
	s->total = p->forks_total;
}

static void init_bare_fetches_branch_and_tags(void **state)
{
	fm_ctx *ctx;
	fm_repo *repo = NULL;
	char *branch = NULL;

	(void)state;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_repo_init_bare(ctx, path("local.git"), url("up"),
					   "master", 0, &repo),
			 0);
	assert_non_null(repo);
	assert_string_equal(rev(path("local.git"), "refs/heads/master"),
			    rev(path("up/.git"), "master"));
	assert_string_equal(rev(path("local.git"), "refs/tags/v1.0.0"),
			    rev(path("up/.git"), "v1.0.0"));
	assert_string_equal(rev(path("local.git"), "refs/tags/v1.1.0"),
			    rev(path("up/.git"), "v1.1.0"));
	assert_int_equal(fm_repo_head_branch(ctx, repo, &branch), 0);
	assert_string_equal(branch, "master");
	free(branch);
	fm_repo_free(repo);
	fm_ctx_free(ctx);
}

static void init_bare_refuses_a_foreign_directory(void **state)
{
	fm_ctx *ctx;
	fm_repo *repo = NULL;

	(void)state;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_repo_init_bare(ctx, path("notrepo"), url("up"),
					   "master", 0, &repo),
			 FM_EREPO);
	assert_null(repo);
	assert_non_null(strstr(fm_ctx_errmsg(ctx), "not an empty directory"));
	fm_ctx_free(ctx);
}

static void add(fm_fork_list *l, const char *name, const char *branch,
		const char *u, const char *error)
{
	char ref[256];
	fm_fork *f;

	snprintf(ref, sizeof(ref), "refs/forkmap/%s/%s", name, branch);
	assert_int_equal(
		fm_fork_list_add(l, name, branch, ref, u, FM_SOURCE_CONFIG, &f),
		0);
	if (error)
		assert_int_equal(fm_fork_set_error(f, "%s", error), 0);
}

static void fetch_forks_in_parallel(void **state)
{
	fm_fork_list l = FM_FORK_LIST_INIT;
	fm_fetch_opts opts = FM_FETCH_OPTS_INIT;
	struct seen seen = {0, 0, 0};
	char expect[1024];
	const char *repo_path = path("fetch.git");
	fm_repo *repo = NULL;
	fm_ctx *ctx;
	int packs;

	(void)state;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	fm_ctx_set_progress(ctx, on_progress, &seen);
	assert_int_equal(fm_repo_init_bare(ctx, repo_path, url("up"), "master",
					   0, &repo),
			 0);
	add(&l, "acme/proj", "master", url("forkw"), NULL);
	add(&l, "acme/proj", "side", url("forkw"), NULL);
	add(&l, "void/proj", "master", url("empty.git"), NULL);
	add(&l, "gone/proj", "master", url("nope.git"), NULL);
	add(&l, "early/proj", "master", url("forkw"), "listed with an error");
	add(&l, "local", "local", NULL, NULL);
	opts.parallel = 3;
	assert_int_equal(fm_fetch_forks(ctx, repo, &l, &opts), 0);

	assert_null(l.items[0].error);
	assert_null(l.items[1].error);
	assert_string_equal(rev(repo_path, "refs/forkmap/acme/proj/master"),
			    rev(path("forkw/.git"), "master"));
	assert_string_equal(rev(repo_path, "refs/forkmap/acme/proj/side"),
			    rev(path("forkw/.git"), "side"));
	snprintf(expect, sizeof(expect),
		 "cannot fetch '%s' branch 'master': the remote has no branch "
		 "'master' (empty repository)",
		 url("empty.git"));
	assert_string_equal(l.items[2].error, expect);
	snprintf(expect, sizeof(expect),
		 "cannot fetch '%s' branch 'master': ", url("nope.git"));
	assert_non_null(l.items[3].error);
	assert_memory_equal(l.items[3].error, expect, strlen(expect));
	assert_null(strchr(l.items[3].error, '\n'));
	assert_string_equal(l.items[4].error, "listed with an error");
	assert_string_equal(rev(repo_path, "refs/forkmap/early/proj/master"),
			    "");
	assert_null(l.items[5].error);
	assert_true(seen.fetching > 0);
	assert_int_equal(seen.fetched, 4);
	assert_int_equal(seen.total, 4);
	/* no tags come with forks */
	assert_string_equal(rev(repo_path, "refs/tags/forktag"), "");

	/* again: every object is there, no new pack */
	packs = count_packs(repo_path);
	free(l.items[2].error);
	l.items[2].error = NULL;
	free(l.items[3].error);
	l.items[3].error = NULL;
	assert_int_equal(fm_fetch_forks(ctx, repo, &l, &opts), 0);
	assert_int_equal(count_packs(repo_path), packs);
	assert_null(l.items[0].error);

	fm_fork_list_clear(&l);
	fm_repo_free(repo);
	fm_ctx_free(ctx);
}

static void fetch_stops_when_interrupted(void **state)
{
	fm_fork_list l = FM_FORK_LIST_INIT;
	fm_repo *repo = NULL;
	fm_ctx *ctx;

	(void)state;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_repo_init_bare(ctx, path("intr.git"), url("up"),
					   "master", 0, &repo),
			 0);
	add(&l, "acme/proj", "master", url("forkw"), NULL);
	fm_ctx_interrupt(ctx);
	assert_int_equal(fm_fetch_forks(ctx, repo, &l, NULL), FM_EINTERRUPTED);
	assert_null(l.items[0].error);
	assert_string_equal(
		rev(path("intr.git"), "refs/forkmap/acme/proj/master"), "");
	fm_fork_list_clear(&l);
	fm_repo_free(repo);
	fm_ctx_free(ctx);
}

static void password_not_in_message(void **state)
{
	fm_fork_list l = FM_FORK_LIST_INIT;
	fm_repo *repo = NULL;
	fm_ctx *ctx;

	(void)state;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_repo_open(ctx, path("fetch.git"), &repo), 0);
	add(&l, "sec/proj", "master",
	    "http://user:s3cret@127.0.0.1:1/sec/proj.git", NULL);
	assert_int_equal(fm_fetch_forks(ctx, repo, &l, NULL), 0);
	assert_non_null(l.items[0].error);
	assert_null(strstr(l.items[0].error, "s3cret"));
	assert_non_null(strstr(l.items[0].error,
			       "'http://***@127.0.0.1:1/sec/proj.git'"));
	fm_fork_list_clear(&l);
	fm_repo_free(repo);
	fm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_bare_fetches_branch_and_tags),
		cmocka_unit_test(init_bare_refuses_a_foreign_directory),
		cmocka_unit_test(fetch_forks_in_parallel),
		cmocka_unit_test(fetch_stops_when_interrupted),
		cmocka_unit_test(password_not_in_message),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
