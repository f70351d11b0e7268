/*
 * crawler/fetch/stream.c through fm_fetch_forks: a host on 127.0.0.1 that
 * completes the TCP handshake (the listen backlog does) and never sends a
 * byte. With a timeout the fork's fetch fails with "no progress for N s",
 * for git:// and http:// (a password never shown); without one an
 * interrupt from another thread (as a signal handler would) stops it
 * within a second. Waits are bounded generously; outcomes are asserted.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <git2.h>

#include <forkmap/fetch.h>
#include <forkmap/repo.h>

static char tmp[256];
static char repo_path[300];
static int listener = -1;
static int port;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int group_setup(void **state)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	char cmd[600];

	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/fm-stream-XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	setenv("HOME", tmp, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	snprintf(repo_path, sizeof(repo_path), "%s/local.git", tmp);
	snprintf(cmd, sizeof(cmd), "git init -q --bare '%s'", repo_path);
	if (system(cmd) != 0)
		return -1;
	/* listen, never accept: connect() succeeds, nothing is ever said */
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((listener = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(listener, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(listener, 16) < 0 ||
	    getsockname(listener, (struct sockaddr *)&a, &len) < 0)
		return -1;
	port = ntohs(a.sin_port);
	git_libgit2_init();
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[300];

	(void)state;
	git_libgit2_shutdown();
	if (listener >= 0)
		close(listener);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static void add(fm_fork_list *l, const char *u)
{
	fm_fork *f;

	assert_int_equal(fm_fork_list_add(l, "x", "master",
					  "refs/forkmap/config/x/master", u,
					  FM_SOURCE_CONFIG, &f),
			 0);
}

/* Fetch url with a timeout of 1 s; the fork's error. */
static void assert_times_out(const char *u, const char *shown)
{
	fm_fetch_opts fo = FM_FETCH_OPTS_INIT;
	fm_fork_list l = FM_FORK_LIST_INIT;
	fm_repo *repo = NULL;
	fm_ctx *ctx;
	char want[400];
	double t0;

	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_repo_open(ctx, repo_path, &repo), 0);
	add(&l, u);
	fo.timeout = 1;
	t0 = now();
	assert_int_equal(fm_fetch_forks(ctx, repo, &l, &fo), 0);
	assert_true(now() - t0 < 15);
	snprintf(want, sizeof(want),
		 "cannot fetch '%s' branch 'master': no progress for 1 s",
		 shown);
	assert_non_null(l.items[0].error);
	assert_string_equal(l.items[0].error, want);
	fm_fork_list_clear(&l);
	fm_repo_free(repo);
	fm_ctx_free(ctx);
}

static void silent_git_host_fails_after_the_timeout(void **state)
{
	char u[100];

	(void)state;
	snprintf(u, sizeof(u), "git://127.0.0.1:%d/x.git", port);
	assert_times_out(u, u);
}

static void silent_http_host_fails_without_showing_the_password(void **state)
{
	char u[100], shown[100];

	(void)state;
	snprintf(u, sizeof(u), "http://me:s3cret@127.0.0.1:%d/x.git", port);
	snprintf(shown, sizeof(shown), "http://***@127.0.0.1:%d/x.git", port);
	assert_times_out(u, shown);
}

static void *interrupt_later(void *payload)
{
	usleep(500 * 1000);
	fm_ctx_interrupt(payload);
	return NULL;
}

static void interrupt_stops_a_fetch_without_timeout(void **state)
{
	fm_fork_list l = FM_FORK_LIST_INIT;
	fm_repo *repo = NULL;
	pthread_t th;
	fm_ctx *ctx;
	char u[100];
	double t0, took;

	(void)state;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_repo_open(ctx, repo_path, &repo), 0);
	snprintf(u, sizeof(u), "git://127.0.0.1:%d/x.git", port);
	add(&l, u);
	t0 = now();
	assert_int_equal(pthread_create(&th, NULL, interrupt_later, ctx), 0);
	assert_int_equal(fm_fetch_forks(ctx, repo, &l, NULL), FM_EINTERRUPTED);
	took = now() - t0;
	pthread_join(th, NULL);
	assert_true(took < 5);
	assert_null(l.items[0].error); /* not the fork's failure */
	fm_fork_list_clear(&l);
	fm_repo_free(repo);
	fm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(silent_git_host_fails_after_the_timeout),
		cmocka_unit_test(
			silent_http_host_fails_without_showing_the_password),
		cmocka_unit_test(interrupt_stops_a_fetch_without_timeout),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
