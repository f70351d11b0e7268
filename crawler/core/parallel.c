/* A small worker pool over one repository (see parallel.h). */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
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
};

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
	}
	git_repository_free(repo);
	return NULL;
}

/* Set up a pool; returns the number of workers worth starting. */
static int pool_init(struct pool *p, fm_ctx *ctx, const char *path, size_t n,
		     int workers, fm_parallel_fn fn, void *payload)
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
	return (size_t)workers > n ? (int)n : workers;
}

int fm_parallel_run(fm_ctx *ctx, const char *path, size_t n, int workers,
		    fm_parallel_fn fn, void *payload)
{
	struct pool p;
	pthread_t *threads;
	int nthreads, started = 0, i;

	if (n == 0)
		return 0;
	nthreads = pool_init(&p, ctx, path, n, workers, fn, payload);
	threads = calloc((size_t)nthreads, sizeof(*threads));
	if (!threads)
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&threads[started], NULL, worker, &p) == 0)
			started++;
	if (!started) /* no threads to be had: do the work here */
		worker(&p);
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	free(threads);
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

static void proc_worker(struct pool *p, atomic_size_t *next, int nprocs,
			pid_t parent)
{
	git_repository *repo = NULL;
	size_t i, end;

	/* A worker never outlives the census that started it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	if (git_repository_open(&repo, p->path) < 0)
		_exit(1);
	while (!fm_ctx_interrupted(p->ctx) &&
	       claim(next, p->n, nprocs, &i, &end))
		for (; i < end && !fm_ctx_interrupted(p->ctx); i++)
			if (p->fn(repo, i, p->payload) < 0)
				_exit(1);
	git_repository_free(repo);
	_exit(0);
}

int fm_parallel_run_procs(fm_ctx *ctx, const char *path, size_t n,
			  fm_parallel_fn fn, void *payload)
{
	struct pool p;
	atomic_size_t *next;
	pid_t pids[64], self = getpid();
	int nprocs, started = 0, i, stopped = 0;

	if (n == 0)
		return 0;
	nprocs = pool_init(&p, ctx, path, n, 0, fn, payload);
	if (nprocs < 2 || !(next = fm_shared_calloc(1, sizeof(*next))))
		return fm_parallel_run(ctx, path, n, 0, fn, payload);
	atomic_init(next, 0);
	fflush(NULL); /* nothing buffered may be written twice */
	for (i = 0; i < nprocs; i++) {
		pid_t pid = fork();

		if (pid == 0)
			proc_worker(&p, next, nprocs, self);
		if (pid > 0)
			pids[started++] = pid;
	}
	/*
	 * A signal meant for the census (SIGTERM from a service manager) may
	 * reach only this process: pass the stop on, so workers do not finish
	 * a pass nobody will read.
	 */
	for (i = 0; i < started; i++) {
		while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR) {
			if (fm_ctx_interrupted(ctx) && !stopped) {
				int k;

				for (k = i; k < started; k++)
					kill(pids[k], SIGTERM);
				stopped = 1;
			}
		}
	}
	fm_shared_free(next, 1, sizeof(*next));
	if (fm_ctx_interrupted(ctx))
		return fm_error_set(ctx, FM_EINTERRUPTED, "interrupted");
	if (!started) /* no processes to be had: threads it is */
		return fm_parallel_run(ctx, path, n, 0, fn, payload);
	return 0;
}
