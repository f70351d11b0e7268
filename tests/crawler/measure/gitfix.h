#ifndef FM_TEST_GITFIX_H
#define FM_TEST_GITFIX_H
/*
 * Fixture repositories for the measure tests, made with the git program
 * in a temporary directory with fixed names and dates, and git itself as
 * the oracle. Static functions: each test program includes it once.
 *
 *	gitfix_init("dag");			mkdtemp, environment
 *	gitfix_sh("git commit ...");		run in the repository, must
 *succeed gitfix_out(buf, size, "git ...");	its stdout, trailing newline cut
 *	gitfix_oid(&oid, "HEAD~2");		git rev-parse
 *	gitfix_commit("msg");			a commit one minute after the
 *last
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <git2.h>

static char gitfix_dir[256];
static long gitfix_clock = 1600000000;

static void gitfix_vsh(char *out, size_t size, const char *fmt, va_list ap)
{
	char cmd[8192];
	int n = snprintf(cmd, sizeof(cmd), "cd '%s' && ", gitfix_dir);
	FILE *p;
	size_t len = 0;

	vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
	if (!out) {
		assert_int_equal(system(cmd), 0);
		return;
	}
	assert_non_null(p = popen(cmd, "r"));
	while (len + 1 < size && fgets(out + len, (int)(size - len), p))
		len += strlen(out + len);
	out[len] = '\0';
	assert_int_equal(pclose(p), 0);
	while (len && out[len - 1] == '\n')
		out[--len] = '\0';
}

static void gitfix_sh(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void gitfix_sh(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gitfix_vsh(NULL, 0, fmt, ap);
	va_end(ap);
}

static void gitfix_out(char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void gitfix_out(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gitfix_vsh(out, size, fmt, ap);
	va_end(ap);
}

static void gitfix_oid(git_oid *oid, const char *spec)
{
	char hex[128];

	gitfix_out(hex, sizeof(hex), "git rev-parse --verify -q '%s'", spec);
	assert_int_equal(git_oid_fromstr(oid, hex), 0);
}

/* Next fixed date, for the commit or tag that follows. */
static void gitfix_tick(void)
{
	char when[64];

	gitfix_clock += 60;
	snprintf(when, sizeof(when), "%ld +0000", gitfix_clock);
	setenv("GIT_AUTHOR_DATE", when, 1);
	setenv("GIT_COMMITTER_DATE", when, 1);
}

/* Commit what is staged (or nothing) one minute after the last. */
static void gitfix_commit(const char *msg)
{
	gitfix_tick();
	gitfix_sh("git commit -q --allow-empty -m '%s'", msg);
}

static int gitfix_init(const char *name)
{
	snprintf(gitfix_dir, sizeof(gitfix_dir), "/tmp/fm-%s-XXXXXX", name);
	if (!mkdtemp(gitfix_dir))
		return -1;
	setenv("HOME", gitfix_dir, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_NAME", "T", 1);
	setenv("GIT_AUTHOR_EMAIL", "t@example.org", 1);
	setenv("GIT_COMMITTER_NAME", "T", 1);
	setenv("GIT_COMMITTER_EMAIL", "t@example.org", 1);
	gitfix_tick();
	git_libgit2_init();
	return system("git init -q -b main \"$HOME\"") == 0 ? 0 : -1;
}

static int gitfix_done(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", gitfix_dir);
	git_libgit2_shutdown();
	return system(cmd) == 0 ? 0 : -1;
}

static git_repository *gitfix_open(void)
{
	git_repository *repo = NULL;

	assert_int_equal(git_repository_open(&repo, gitfix_dir), 0);
	return repo;
}

/* The repository a test group shares, opened by its setup. */
static git_repository *gitfix_repo;

/* Group teardown: close gitfix_repo, remove the directory. */
static int gitfix_teardown(void **state)
{
	(void)state;
	git_repository_free(gitfix_repo);
	gitfix_repo = NULL;
	return gitfix_done();
}

#endif
