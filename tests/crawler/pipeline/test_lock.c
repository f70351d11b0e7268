/*
 * crawler/pipeline/lock.c, one census at a time per store: a second taker
 * is refused with FM_ELOCKED, and the lock belongs to the census process
 * alone -- a process it forks (a worker) neither holds it nor keeps it
 * once the census has let go, so a census killed with -9 frees the store
 * even while its workers are still being torn down.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <forkmap/common.h>

#include "pipeline/lock.h"

static char dir[] = "/tmp/forkmap-lock-XXXXXX";
static char store[sizeof(dir) + 16];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(store, sizeof(store), "%s/f.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char path[sizeof(store) + 8];

	(void)state;
	snprintf(path, sizeof(path), "%s.lock", store);
	unlink(path);
	rmdir(dir);
	return 0;
}

/* In a new process: 0 when it could take the lock, else its error code
 * (as the exit status: 1 for FM_ELOCKED, 2 for anything else). */
static int take_elsewhere(void)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		fm_ctx *ctx = NULL;
		fm_census_lock l;
		int rc = fm_ctx_new(&ctx) < 0
				 ? -1
				 : fm_census_lock_take(ctx, store, &l);

		if (rc == FM_ELOCKED &&
		    !strstr(fm_ctx_errmsg(ctx), "another census (pid "))
			rc = -1; /* refused, but without naming the holder */
		_exit(rc == 0 ? 0 : rc == FM_ELOCKED ? 1 : 2);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_second_taker_is_refused(void **state)
{
	fm_ctx *ctx = NULL;
	fm_census_lock l;

	(void)state;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_census_lock_take(ctx, store, &l), 0);
	assert_int_equal(take_elsewhere(), 1);
	fm_census_lock_release(&l);
	assert_int_equal(take_elsewhere(), 0);
	fm_ctx_free(ctx);
}

static void test_a_forked_worker_does_not_keep_the_lock(void **state)
{
	fm_ctx *ctx = NULL;
	fm_census_lock l;
	int go[2], done[2];
	pid_t worker;
	char c = 0;

	(void)state;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_census_lock_take(ctx, store, &l), 0);
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(done), 0);
	/* a worker forked while the lock is held, as parallel.c forks */
	worker = fork();
	if (worker == 0) {
		close(go[1]);
		close(done[0]);
		/* alive (with the lock file's descriptor) until told */
		if (read(go[0], &c, 1) < 0)
			_exit(3);
		_exit(0);
	}
	assert_true(worker > 0);
	close(go[0]);
	close(done[1]);
	/* the census lets go (as its death would): the store is free at once,
	 * although the worker still runs */
	fm_census_lock_release(&l);
	assert_int_equal(take_elsewhere(), 0);
	assert_int_equal(write(go[1], &c, 1), 1);
	close(go[1]);
	close(done[0]);
	assert_int_equal(waitpid(worker, NULL, 0), worker);
	fm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_second_taker_is_refused),
		cmocka_unit_test(test_a_forked_worker_does_not_keep_the_lock),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
