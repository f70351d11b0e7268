/* Bounded parallel listings (see forge_jobs.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "forge/forge_jobs.h"
#include "forge/forge_list.h"

#define MAX_THREADS 32

struct queue {
	fm_forge_jobs *j;
	size_t next;
	pthread_mutex_t lock;
};

static void run_one(fm_forge_jobs *j, fm_http_conn *conn, fm_forge_node *nd)
{
	if (j->kind == FM_FORGE_JOB_FORKS)
		fm_forge_list_forks(j->forge, conn, j->ctx, nd, j->top);
	else
		fm_forge_list_branches(j->forge, conn, j->ctx, nd, j->glob);
}

static void *worker(void *payload)
{
	struct queue *q = payload;
	fm_forge_jobs *j = q->j;
	fm_http_conn *conn = NULL;

	if (fm_http_conn_new(j->forge->http, &conn) < 0) {
		fm_http_err err = {FM_ENOMEM, 0, "out of memory"};

		fm_forge_record_fatal(j->forge, &err);
		return NULL;
	}
	for (;;) {
		fm_forge_node *nd;

		if (fm_forge_is_fatal(j->forge, j->ctx))
			break;
		pthread_mutex_lock(&q->lock);
		nd = q->next < j->n ? j->v[q->next++] : NULL;
		pthread_mutex_unlock(&q->lock);
		if (!nd)
			break;
		run_one(j, conn, nd);
	}
	fm_http_conn_free(conn);
	return NULL;
}

/* Here, on the forge's own connection. */
static void run_serial(fm_forge_jobs *j)
{
	size_t i;

	for (i = 0; i < j->n && !fm_forge_is_fatal(j->forge, j->ctx); i++)
		run_one(j, j->forge->conn, j->v[i]);
}

void fm_forge_jobs_run(fm_forge_jobs *j)
{
	pthread_t threads[MAX_THREADS];
	struct queue q;
	size_t i, nthreads = (size_t)j->forge->concurrency;

	if (nthreads > j->n)
		nthreads = j->n;
	if (nthreads > MAX_THREADS)
		nthreads = MAX_THREADS;
	if (nthreads <= 1) {
		run_serial(j);
		return;
	}
	q.j = j;
	q.next = 0;
	pthread_mutex_init(&q.lock, NULL);
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&threads[i], NULL, worker, &q) != 0)
			break;
	nthreads = i;
	if (nthreads == 0) /* no threads to be had: do it here */
		run_serial(j);
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	pthread_mutex_destroy(&q.lock);
}
