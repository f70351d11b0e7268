/*
 * files, insertions and deletions of every fork (MB -> F) and tree_lines of
 * every release node and the upstream tip, on worker processes, with the
 * counts of earlier runs from the store.
 */
#include <stdio.h>
#include <string.h>

#include <forkmap/runs.h>

#include "core/parallel.h"
#include "measure/measure.h"
#include "measure/lines.h"
#include "store/cache.h"

/*
 * Line counts, on worker processes: one job per measured fork (MB -> F)
 * and one per release node and the upstream tip (empty tree -> tree).
 * Results go to shared memory; a failed job is redone here, where the
 * libgit2 message for the fork's row can be read.
 */
struct stat_job {
	const git_oid *old_tree; /* NULL: count the whole new tree */
	const git_oid *new_tree;
	struct fm_fork_work *work; /* the fork, or NULL */
	long *lines;		   /* where a tree's count goes, or NULL */
};

struct stat_result {
	long files, insertions, deletions;
	uint8_t state;
};

struct stat_pass {
	struct fm_measure *c;
	struct stat_job *jobs;
	struct stat_result *res;
};

static int run_stat_job(git_repository *repo, size_t i, void *payload)
{
	struct stat_pass *sp = payload;
	struct stat_result *r = &sp->res[i];

	if (r->state == FM_PID_DONE) /* known from the store */
		return 0;
	r->state = fm_tree_diff_stats(repo, sp->c->lines, sp->jobs[i].old_tree,
				      sp->jobs[i].new_tree, &r->files,
				      &r->insertions, &r->deletions) < 0
			   ? FM_PID_FAILED
			   : FM_PID_DONE;
	return 0;
}

#define EMPTY_TREE "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

/* "OLD..NEW:" + what: the store's key for one number of a tree diff. */
static void stats_key(char *buf, size_t size, const struct stat_job *job,
		      char what)
{
	char a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1];

	if (job->old_tree)
		fm_measure_hex(a, job->old_tree);
	else
		memcpy(a, EMPTY_TREE, sizeof(a));
	fm_measure_hex(b, job->new_tree);
	snprintf(buf, size, "%s..%s:%c", a, b, what);
}

/* Diffs an earlier run counted: trees do not change, neither do counts. */
static void stats_lookup(struct fm_measure *c, const struct stat_job *jobs,
			 struct stat_result *res, size_t n)
{
	char key[100];
	size_t i;

	for (i = 0; c->opts->cache && i < n; i++) {
		int64_t v[3];
		int k, hit = 1;

		for (k = 0; k < 3 && hit; k++) {
			stats_key(key, sizeof(key), &jobs[i], "fid"[k]);
			hit = fm_measure_cache_get(c, "diff_stats", key,
						   &v[k]) == 0;
		}
		if (!hit)
			continue;
		res[i].files = (long)v[0];
		res[i].insertions = (long)v[1];
		res[i].deletions = (long)v[2];
		res[i].state = FM_PID_DONE;
	}
}

static void stats_save(struct fm_measure *c, const struct stat_job *jobs,
		       const struct stat_result *res, const uint8_t *known,
		       size_t n)
{
	fm_store *store = c->opts->cache;
	char key[100];
	size_t i;
	int rc;

	if (!store)
		return;
	rc = fm_store_begin(c->ctx, store);
	for (i = 0; rc == 0 && i < n; i++) {
		long v[3] = {res[i].files, res[i].insertions, res[i].deletions};
		int k;

		if (known[i] || res[i].state != FM_PID_DONE)
			continue;
		for (k = 0; rc == 0 && k < 3; k++) {
			stats_key(key, sizeof(key), &jobs[i], "fid"[k]);
			rc = fm_store_cache_put(c->ctx, store, "diff_stats",
						key, v[k]);
		}
	}
	fm_measure_cache_end(c, rc, "line counts");
}

int fm_measure_line_deltas(struct fm_measure *c, fm_census *out)
{
	size_t n = 0, i, max = c->nwork + out->nreleases + 1;
	struct stat_job *jobs = calloc(max, sizeof(*jobs));
	struct stat_result *res = fm_shared_calloc(max, sizeof(*res));
	uint8_t *known = calloc(max, 1);
	struct stat_pass sp = {c, jobs, res};
	char what[160], a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1];
	int rc;

	if (!jobs || !res || !known) {
		free(jobs);
		free(known);
		fm_shared_free(res, max, sizeof(*res));
		return fm_measure_oom(c);
	}
	for (i = 0; i < c->nwork; i++) {
		struct fm_fork_work *w = &c->work[i];

		if (!w->measure)
			continue;
		jobs[n].old_tree = &c->g.nodes[w->mb].tree;
		jobs[n].new_tree = &c->g.nodes[w->head].tree;
		jobs[n++].work = w;
	}
	for (i = 0; i < out->nreleases; i++) {
		git_oid id;
		uint32_t node;

		git_oid_fromstr(&id, out->releases[i].commit);
		node = fm_dag_find(&c->g, &id);

		jobs[n].new_tree = &c->g.nodes[node].tree;
		jobs[n++].lines = &out->releases[i].tree_lines;
	}
	jobs[n].new_tree = &c->g.nodes[c->upstream].tree;
	jobs[n++].lines = &out->head_tree_lines;

	stats_lookup(c, jobs, res, n);
	for (i = 0; i < n; i++)
		known[i] = res[i].state == FM_PID_DONE;
	c->progress.step = "line counts";
	c->progress.unit = "diffs";
	rc = fm_parallel_run_procs_report(c->ctx, fm_repo_path(c->repo), n,
					  run_stat_job, &sp, &c->progress);
	c->progress.step = c->progress.unit = NULL;
	if (rc == 0)
		stats_save(c, jobs, res, known, n);
	for (i = 0; rc == 0 && i < n; i++) {
		struct fm_fork_work *w = jobs[i].work;

		if (res[i].state != FM_PID_DONE)
			run_stat_job(c->git, i,
				     &sp); /* again, for the message */
		if (jobs[i].lines) {
			*jobs[i].lines = res[i].state == FM_PID_DONE
						 ? res[i].insertions
						 : -1;
		} else if (res[i].state == FM_PID_DONE) {
			w->row->files = res[i].files;
			w->row->insertions = res[i].insertions;
			w->row->deletions = res[i].deletions;
		} else {
			fm_measure_hex(a, fm_dag_oid(&c->g, w->mb));
			fm_measure_hex(b, fm_dag_oid(&c->g, w->head));
			snprintf(what, sizeof(what), "cannot diff %.12s..%.12s",
				 a, b);
			fm_measure_row_fail_git(w, what);
		}
	}
	free(jobs);
	free(known);
	fm_shared_free(res, max, sizeof(*res));
	return rc;
}
