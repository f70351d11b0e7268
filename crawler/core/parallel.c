/* A small worker pool over one repository (see parallel.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/parallel.h"

struct pool {
	fm_ctx *ctx;
	const char *path;
	size_t n;
	fm_parallel_fn fn;
	void *payload;
	atomic_size_t next;
	atomic_int rc;
	/* progress (report may be NULL): every `step` items */
	fm_progress *report;
	size_t step;
	atomic_size_t done;
	pthread_mutex_t lock; /* one report at a time, never going back */
	size_t last;
};

/* How many items between two reports: at most 64 reports per pass (and
 * one more per worker process, for what it did after its last one). */
static size_t report_step(size_t n)
{
	return n / 64 + (n % 64 != 0);
}

static void pool_report(struct pool *p, size_t done)
{
	if (!p->report)
		return;
	pthread_mutex_lock(&p->lock);
	if (done > p->last || done == 0) {
		p->last = done;
		p->report->done = done;
		p->report->total = p->n;
		fm_progress_report(p->ctx, p->report);
	}
	pthread_mutex_unlock(&p->lock);
}

/* One item finished on a thread: report every step items. */
static void item_done(struct pool *p)
{
	size_t d;

	if (!p->report)
		return;
	d = atomic_fetch_add_explicit(&p->done, 1, memory_order_relaxed) + 1;
	if (d % p->step == 0 || d == p->n)
		pool_report(p, d);
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	git_repository *repo = NULL;
	size_t i;

	if (git_repository_open(&repo, p->path) < 0) {
		atomic_store(&p->rc, FM_EREPO);
		return NULL;
	}
	while (atomic_load(&p->rc) == 0 && !fm_ctx_interrupted(p->ctx) &&
	       (i = atomic_fetch_add(&p->next, 1)) < p->n) {
		int rc = p->fn(repo, i, p->payload);

		if (rc < 0)
			atomic_store(&p->rc, rc);
		item_done(p);
	}
	git_repository_free(repo);
	return NULL;
}

/* Set up a pool; returns the number of workers worth starting. */
static int pool_init(struct pool *p, fm_ctx *ctx, const char *path, size_t n,
		     int workers, fm_parallel_fn fn, void *payload,
		     fm_progress *report)
{
	if (workers <= 0)
		workers = fm_ctx_threads(ctx);
	p->ctx = ctx;
	p->path = path;
	p->n = n;
	p->fn = fn;
	p->payload = payload;
	atomic_init(&p->next, 0);
	atomic_init(&p->rc, 0);
	p->report = report;
	p->step = report_step(n);
	atomic_init(&p->done, 0);
	pthread_mutex_init(&p->lock, NULL);
	p->last = 0;
	return (size_t)workers > n ? (int)n : workers;
}

static int run_threads(fm_ctx *ctx, const char *path, size_t n, int workers,
		       fm_parallel_fn fn, void *payload, fm_progress *report)
{
	struct pool p;
	pthread_t *threads;
	int nthreads, started = 0, i;

	if (n == 0)
		return 0;
	nthreads = pool_init(&p, ctx, path, n, workers, fn, payload, report);
	threads = calloc((size_t)nthreads, sizeof(*threads));
	if (!threads) {
		pthread_mutex_destroy(&p.lock);
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	}
	pool_report(&p, 0);
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&threads[started], NULL, worker, &p) == 0)
			started++;
	if (!started) /* no threads to be had: do the work here */
		worker(&p);
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	free(threads);
	pthread_mutex_destroy(&p.lock);
	if (fm_ctx_interrupted(ctx))
		return fm_error_set(ctx, FM_EINTERRUPTED, "interrupted");
	if (atomic_load(&p.rc) == FM_EREPO)
		return fm_error_set(ctx, FM_EREPO,
				    "cannot open repository '%s' in a worker",
				    path);
	if (atomic_load(&p.rc) < 0)
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	return 0;
}

int fm_parallel_run(fm_ctx *ctx, const char *path, size_t n, int workers,
		    fm_parallel_fn fn, void *payload)
{
	return run_threads(ctx, path, n, workers, fn, payload, NULL);
}

void *fm_shared_calloc(size_t n, size_t size)
{
	void *p;

	if (!n)
		n = 1;
	if (size && n > SIZE_MAX / size)
		return NULL;
	p = mmap(NULL, n * size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p; /* anonymous maps start zeroed */
}

void fm_shared_free(void *p, size_t n, size_t size)
{
	if (p)
		munmap(p, (n ? n : 1) * size);
}

/* A worker process: claim items until none are left, then leave at once
 * (no atexit handlers, no stdio flush: they belong to the parent). */
/*
 * Claim the next run of items: large runs first, smaller ones as the work
 * runs out (guided scheduling), so each process walks long stretches of
 * neighbouring items -- consecutive commits share trees, blobs and delta
 * bases in the process's caches -- and all finish at about the same time.
 */
static int claim(atomic_size_t *next, size_t n, int nprocs, size_t *start,
		 size_t *end)
{
	size_t cur = atomic_load(next), chunk;

	do {
		if (cur >= n)
			return 0;
		chunk = (n - cur) / (2 * (size_t)nprocs);
		if (chunk < 1)
			chunk = 1;
		if (chunk > n - cur)
			chunk = n - cur;
	} while (!atomic_compare_exchange_weak(next, &cur, cur + chunk));
	*start = cur;
	*end = cur + chunk;
	return 1;
}

/* Tell the parent that `count` more items are done (an 8-byte write to a
 * pipe is atomic: messages of several workers never mix). */
static void send_done(int fd, uint64_t count)
{
	if (fd < 0 || !count)
		return;
	while (write(fd, &count, sizeof(count)) < 0 && errno == EINTR)
		;
}

static void proc_worker(struct pool *p, atomic_size_t *next, int nprocs,
			pid_t parent, int fd)
{
	git_repository *repo = NULL;
	size_t i, end;
	uint64_t pending = 0;

	/* A worker never outlives the census that started it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	if (git_repository_open(&repo, p->path) < 0)
		_exit(1);
	while (!fm_ctx_interrupted(p->ctx) &&
	       claim(next, p->n, nprocs, &i, &end))
		for (; i < end && !fm_ctx_interrupted(p->ctx); i++) {
			if (p->fn(repo, i, p->payload) < 0)
				_exit(1);
			if (++pending >= p->step) {
				send_done(fd, pending);
				pending = 0;
			}
		}
	send_done(fd, pending);
	git_repository_free(repo);
	_exit(0);
}

static void stop_workers(fm_ctx *ctx, const pid_t *pids, int from, int started,
			 int *stopped)
{
	int k;

	if (!fm_ctx_interrupted(ctx) || *stopped)
		return;
	for (k = from; k < started; k++)
		kill(pids[k], SIGTERM);
	*stopped = 1;
}

/*
 * Read the workers' counts until every worker has closed its end of the
 * pipe (it exited), reporting each message as it comes, so what the
 * report shows depends on the order of the work, not on timing.
 */
static void follow_workers(struct pool *p, int fd, const pid_t *pids,
			   int started, int *stopped)
{
	unsigned char buf[512];
	size_t have = 0, done = 0, k;

	for (;;) {
		struct pollfd pfd = {fd, POLLIN, 0};
		ssize_t got;
		uint64_t count;
		int ready;

		stop_workers(p->ctx, pids, 0, started, stopped);
		ready = poll(&pfd, 1, 250);
		if (ready < 0 && errno != EINTR)
			break; /* cannot follow: waitpid still waits for them */
		if (ready <= 0)
			continue; /* a signal or a quarter second: look again */
		got = read(fd, buf + have, sizeof(buf) - have);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break; /* every worker is gone */
		have += (size_t)got;
		for (k = 0; k + sizeof(count) <= have; k += sizeof(count)) {
			memcpy(&count, buf + k, sizeof(count));
			done += count;
			pool_report(p, done > p->n ? p->n : done);
		}
		memmove(buf, buf + k, have - k);
		have -= k;
	}
}

static int run_procs(fm_ctx *ctx, const char *path, size_t n, fm_parallel_fn fn,
		     void *payload, fm_progress *report)
{
	struct pool p;
	atomic_size_t *next;
	pid_t pids[64], self = getpid();
	int nprocs, started = 0, i, stopped = 0, fds[2] = {-1, -1};

	if (n == 0)
		return 0;
	nprocs = pool_init(&p, ctx, path, n, 0, fn, payload, report);
	if (nprocs < 2 || !(next = fm_shared_calloc(1, sizeof(*next)))) {
		pthread_mutex_destroy(&p.lock);
		return run_threads(ctx, path, n, 0, fn, payload, report);
	}
	atomic_init(next, 0);
	pool_report(&p, 0);
	if (report && pipe2(fds, O_CLOEXEC) < 0)
		fds[0] = fds[1] = -1; /* no counts, the work goes on */
	fflush(NULL); /* nothing buffered may be written twice */
	for (i = 0; i < nprocs; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			if (fds[0] >= 0)
				close(fds[0]);
			proc_worker(&p, next, nprocs, self, fds[1]);
		}
		if (pid > 0)
			pids[started++] = pid;
	}
	if (fds[1] >= 0)
		close(fds[1]);
	if (fds[0] >= 0)
		follow_workers(&p, fds[0], pids, started, &stopped);
	/*
	 * A signal meant for the census (SIGTERM from a service manager) may
	 * reach only this process: pass the stop on, so workers do not finish
	 * a pass nobody will read.
	 */
	for (i = 0; i < started; i++)
		while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
			stop_workers(ctx, pids, i, started, &stopped);
	if (fds[0] >= 0) /* open until they are gone: no SIGPIPE for them */
		close(fds[0]);
	fm_shared_free(next, 1, sizeof(*next));
	pthread_mutex_destroy(&p.lock);
	if (fm_ctx_interrupted(ctx))
		return fm_error_set(ctx, FM_EINTERRUPTED, "interrupted");
	if (!started) /* no processes to be had: threads it is */
		return run_threads(ctx, path, n, 0, fn, payload, report);
	return 0;
}

int fm_parallel_run_procs(fm_ctx *ctx, const char *path, size_t n,
			  fm_parallel_fn fn, void *payload)
{
	return run_procs(ctx, path, n, fn, payload, NULL);
}

int fm_parallel_run_procs_report(fm_ctx *ctx, const char *path, size_t n,
				 fm_parallel_fn fn, void *payload,
				 fm_progress *report)
{
	return run_procs(ctx, path, n, fn, payload, report);
}
