/* A small worker pool over one repository (see parallel.h). */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "parallel.h"

struct pool {
	fm_ctx *ctx;
	const char *path;
	size_t n;
	parallel_fn fn;
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
		     parallel_fn fn, void *payload)
{
	int workers = fm_ctx_threads(ctx);

	p->ctx = ctx;
	p->path = path;
	p->n = n;
	p->fn = fn;
	p->payload = payload;
	atomic_init(&p->next, 0);
	atomic_init(&p->rc, 0);
	return (size_t)workers > n ? (int)n : workers;
}

int parallel_run(fm_ctx *ctx, const char *path, size_t n, parallel_fn fn,
		 void *payload)
{
	struct pool p;
	pthread_t *threads;
	int nthreads, started = 0, i;

	if (n == 0)
		return 0;
	nthreads = pool_init(&p, ctx, path, n, fn, payload);
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

void *shared_calloc(size_t n, size_t size)
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

void shared_free(void *p, size_t n, size_t size)
{
	if (p)
		munmap(p, (n ? n : 1) * size);
}

/* A worker process: claim items until none are left, then leave at once
 * (no atexit handlers, no stdio flush: they belong to the parent). */
#define PROC_CHUNK 32

static void proc_worker(struct pool *p, atomic_size_t *next)
{
	git_repository *repo = NULL;
	size_t i, end;

	if (git_repository_open(&repo, p->path) < 0)
		_exit(1);
	/* Runs of neighbouring items: consecutive commits share trees and
	 * blobs, which then come from this process's object cache. */
	while (!fm_ctx_interrupted(p->ctx) &&
	       (i = atomic_fetch_add(next, PROC_CHUNK)) < p->n) {
		end = i + PROC_CHUNK < p->n ? i + PROC_CHUNK : p->n;
		for (; i < end; i++)
			if (p->fn(repo, i, p->payload) < 0)
				_exit(1);
	}
	git_repository_free(repo);
	_exit(0);
}

int parallel_run_procs(fm_ctx *ctx, const char *path, size_t n,
		       parallel_fn fn, void *payload)
{
	struct pool p;
	atomic_size_t *next;
	pid_t pids[64];
	int nprocs, started = 0, i;

	if (n == 0)
		return 0;
	nprocs = pool_init(&p, ctx, path, n, fn, payload);
	if (nprocs > 64)
		nprocs = 64;
	if (nprocs < 2 || !(next = shared_calloc(1, sizeof(*next))))
		return parallel_run(ctx, path, n, fn, payload);
	atomic_init(next, 0);
	fflush(NULL); /* nothing buffered may be written twice */
	for (i = 0; i < nprocs; i++) {
		pid_t pid = fork();

		if (pid == 0)
			proc_worker(&p, next);
		if (pid > 0)
			pids[started++] = pid;
	}
	for (i = 0; i < started; i++)
		while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
			;
	shared_free(next, 1, sizeof(*next));
	if (fm_ctx_interrupted(ctx))
		return fm_error_set(ctx, FM_EINTERRUPTED, "interrupted");
	if (!started) /* no processes to be had: threads it is */
		return parallel_run(ctx, path, n, fn, payload);
	return 0;
}
