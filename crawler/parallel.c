/* A small worker pool over one repository (see parallel.h). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

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

int parallel_run(fm_ctx *ctx, const char *path, size_t n, parallel_fn fn,
		 void *payload)
{
	struct pool p;
	pthread_t *threads;
	int nthreads = fm_ctx_threads(ctx), started = 0, i;

	if (n == 0)
		return 0;
	if ((size_t)nthreads > n)
		nthreads = (int)n;
	p.ctx = ctx;
	p.path = path;
	p.n = n;
	p.fn = fn;
	p.payload = payload;
	atomic_init(&p.next, 0);
	atomic_init(&p.rc, 0);
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
