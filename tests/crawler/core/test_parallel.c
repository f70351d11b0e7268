/*
 * crawler/core/parallel.c, the worker pool: every item runs exactly once on
 * threads and on worker processes, an out-of-memory return stops the
 * threads, interruption through the context stops a run, and what worker
 * processes write into fm_shared_calloc() memory is seen by the caller.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <git2.h>

#include <forkmap/common.h>

#include "core/parallel.h"

static char tmp[256];

struct fixture {
	fm_ctx *ctx;
	atomic_int *runs; /* per item, how often it ran (shared memory) */
	pid_t *pid;	  /* per item, the process that ran it */
	uint64_t *result; /* per item, what the worker computed */
	size_t n;
	size_t fail_at; /* item whose run returns FM_ENOMEM */
	size_t stop_at; /* item whose run interrupts the context */
};

#define N 1000
#define NONE ((size_t)-1)

static int group_setup(void **state)
{
	git_repository *repo = NULL;

	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/fm-parallel-XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	git_libgit2_init();
	if (git_repository_init(&repo, tmp, 1) < 0)
		return -1;
	git_repository_free(repo);
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	git_libgit2_shutdown();
	return system(cmd) == 0 ? 0 : -1;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx || fm_ctx_new(&fx->ctx) < 0)
		return -1;
	fm_ctx_set_threads(fx->ctx, 3);
	fx->n = N;
	fx->fail_at = fx->stop_at = NONE;
	fx->runs = fm_shared_calloc(N, sizeof(*fx->runs));
	fx->pid = fm_shared_calloc(N, sizeof(*fx->pid));
	fx->result = fm_shared_calloc(N, sizeof(*fx->result));
	if (!fx->runs || !fx->pid || !fx->result)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	fm_shared_free(fx->runs, N, sizeof(*fx->runs));
	fm_shared_free(fx->pid, N, sizeof(*fx->pid));
	fm_shared_free(fx->result, N, sizeof(*fx->result));
	fm_ctx_free(fx->ctx);
	free(fx);
	return 0;
}

static int job(git_repository *repo, size_t i, void *payload)
{
	struct fixture *fx = payload;

	if (!repo) /* each worker has its own handle */
		return FM_ERROR;
	atomic_fetch_add(&fx->runs[i], 1);
	fx->pid[i] = getpid();
	fx->result[i] = (uint64_t)i * i + 1;
	if (i == fx->stop_at)
		fm_ctx_interrupt(fx->ctx);
	return i == fx->fail_at ? FM_ENOMEM : 0;
}

static size_t ran(const struct fixture *fx)
{
	size_t i, k = 0;

	for (i = 0; i < fx->n; i++)
		k += fx->runs[i] != 0;
	return k;
}

static void test_threads_run_every_item_once(void **state)
{
	struct fixture *fx = *state;
	size_t i;

	assert_int_equal(fm_parallel_run(fx->ctx, tmp, N, 3, job, fx), 0);
	for (i = 0; i < N; i++)
		assert_int_equal(fx->runs[i], 1);
}

static void test_processes_run_every_item_once(void **state)
{
	struct fixture *fx = *state;
	size_t i;

	assert_int_equal(fm_parallel_run_procs(fx->ctx, tmp, N, job, fx), 0);
	for (i = 0; i < N; i++)
		assert_int_equal(fx->runs[i], 1);
}

static void test_process_results_reach_the_caller(void **state)
{
	struct fixture *fx = *state;
	size_t i, elsewhere = 0;

	assert_int_equal(fm_parallel_run_procs(fx->ctx, tmp, N, job, fx), 0);
	for (i = 0; i < N; i++) {
		assert_true(fx->result[i] == (uint64_t)i * i + 1);
		elsewhere += fx->pid[i] != getpid();
	}
	/* The work really ran in other processes. */
	assert_int_equal(elsewhere, N);
}

static void test_out_of_memory_stops_the_threads(void **state)
{
	struct fixture *fx = *state;

	fx->fail_at = 10;
	assert_int_equal(fm_parallel_run(fx->ctx, tmp, N, 1, job, fx),
			 FM_ENOMEM);
	assert_string_equal(fm_ctx_errmsg(fx->ctx), "out of memory");
	/* One worker claims items in order: nothing after the failure. */
	assert_int_equal(ran(fx), 11);
}

static void test_out_of_memory_stops_every_thread(void **state)
{
	struct fixture *fx = *state;

	fx->fail_at = 0;
	assert_int_equal(fm_parallel_run(fx->ctx, tmp, N, 3, job, fx),
			 FM_ENOMEM);
	assert_true(ran(fx) < N);
}

static void test_failed_process_item_is_left_for_the_caller(void **state)
{
	struct fixture *fx = *state;
	size_t i, missing = 0;

	/* A worker process that fails dies; its claimed items stay undone
	 * and the run itself succeeds: the caller redoes what is missing. */
	fx->fail_at = 0;
	assert_int_equal(fm_parallel_run_procs(fx->ctx, tmp, N, job, fx), 0);
	for (i = 0; i < N; i++) {
		assert_true(fx->runs[i] <= 1);
		missing += fx->runs[i] == 0;
	}
	assert_int_equal(fx->runs[0], 1);
	assert_true(missing > 0);
}

static void test_interrupt_stops_the_threads(void **state)
{
	struct fixture *fx = *state;

	fx->stop_at = 5;
	assert_int_equal(fm_parallel_run(fx->ctx, tmp, N, 1, job, fx),
			 FM_EINTERRUPTED);
	assert_int_equal(ran(fx), 6);
}

static void test_interrupted_context_runs_no_process(void **state)
{
	struct fixture *fx = *state;

	fm_ctx_interrupt(fx->ctx);
	assert_int_equal(fm_parallel_run_procs(fx->ctx, tmp, N, job, fx),
			 FM_EINTERRUPTED);
	assert_int_equal(ran(fx), 0);
}

static void test_unopenable_repository_fails_the_run(void **state)
{
	struct fixture *fx = *state;
	char missing[300];

	snprintf(missing, sizeof(missing), "%s/missing", tmp);
	assert_int_equal(fm_parallel_run(fx->ctx, missing, N, 2, job, fx),
			 FM_EREPO);
	assert_int_equal(ran(fx), 0);
}

static void test_no_items_is_no_work(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(fm_parallel_run(fx->ctx, tmp, 0, 2, job, fx), 0);
	assert_int_equal(fm_parallel_run_procs(fx->ctx, tmp, 0, job, fx), 0);
	assert_int_equal(ran(fx), 0);
}

/* What the context's progress callback saw, in order. */
struct seen {
	size_t n;
	size_t done[256];
	size_t total[256];
	const char *step;
	int other_step; /* a report of another step came through */
};

static void on_progress(void *payload, const fm_progress *p)
{
	struct seen *s = payload;

	if (!p->step || strcmp(p->step, s->step) != 0)
		s->other_step = 1;
	if (s->n < 256) {
		s->done[s->n] = p->done;
		s->total[s->n] = p->total;
	}
	s->n++;
}

/*
 * The reports of one pass: the first at 0, never going back, the last with
 * every item done, all of n, and about 64 of them (not one per item).
 */
static void check_reports(const struct seen *s, size_t n)
{
	size_t i;

	assert_false(s->other_step);
	assert_true(s->n >= 3);
	/* 64, the start, and a last one from each of 3 workers */
	assert_true(s->n <= 64 + 1 + 3);
	assert_int_equal(s->done[0], 0);
	for (i = 0; i < s->n; i++) {
		assert_int_equal(s->total[i], n);
		if (i)
			assert_true(s->done[i] > s->done[i - 1]);
	}
	assert_int_equal(s->done[s->n - 1], n);
}

static void report_run(struct fixture *fx, int threads)
{
	struct seen s;
	fm_progress report;

	memset(&s, 0, sizeof(s));
	memset(&report, 0, sizeof(report));
	s.step = report.step = "patch ids";
	report.unit = "commits";
	fm_ctx_set_threads(fx->ctx, threads);
	fm_ctx_set_progress(fx->ctx, on_progress, &s);
	assert_int_equal(
		fm_parallel_run_procs_report(fx->ctx, tmp, N, job, fx, &report),
		0);
	assert_int_equal(ran(fx), N);
	check_reports(&s, N);
	/* the caller's own fields are left as they were */
	assert_string_equal(report.unit, "commits");
}

static void test_processes_report_counts_to_the_parent(void **state)
{
	report_run(*state, 3);
}

static void test_thread_fallback_reports_counts_too(void **state)
{
	report_run(*state, 1); /* one worker: threads, not processes */
}

static void test_no_report_asked_is_no_report(void **state)
{
	struct fixture *fx = *state;
	struct seen s;

	memset(&s, 0, sizeof(s));
	s.step = "";
	fm_ctx_set_progress(fx->ctx, on_progress, &s);
	assert_int_equal(fm_parallel_run_procs(fx->ctx, tmp, N, job, fx), 0);
	assert_int_equal(ran(fx), N);
	assert_int_equal(s.n, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_threads_run_every_item_once),
		T(test_processes_run_every_item_once),
		T(test_process_results_reach_the_caller),
		T(test_out_of_memory_stops_the_threads),
		T(test_out_of_memory_stops_every_thread),
		T(test_failed_process_item_is_left_for_the_caller),
		T(test_interrupt_stops_the_threads),
		T(test_interrupted_context_runs_no_process),
		T(test_unopenable_repository_fails_the_run),
		T(test_no_items_is_no_work),
		T(test_processes_report_counts_to_the_parent),
		T(test_thread_fallback_reports_counts_too),
		T(test_no_report_asked_is_no_report),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
