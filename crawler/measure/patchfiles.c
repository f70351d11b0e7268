/*
 * The files of each distinct patch (store/cache.h: patch_files), kept by
 * the census for `forkmap show`: one `git diff --numstat --no-renames` of
 * the patch's first copy against its parent, only for patches the store
 * does not hold yet. Copies of one patch change the same paths, so the
 * first copy stands for all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/parallel.h"
#include "measure/measure.h"
#include "store/cache.h"

#define EMPTY_TREE "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

void fm_patch_files_key(char *buf, size_t size, const git_oid *old_tree,
			const git_oid *new_tree)
{
	char a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1];

	if (old_tree)
		fm_measure_hex(a, old_tree);
	else
		memcpy(a, EMPTY_TREE, sizeof(a));
	fm_measure_hex(b, new_tree);
	snprintf(buf, size, "%s..%s", a, b);
}

static int put_record(const fm_tree_change *c, long ins, long del,
		      void *payload)
{
	fm_buf *b = payload;

	if (fm_buf_printf(b, "%ld\t%ld\t", ins, del) < 0 ||
	    fm_buf_put(b, c->path, c->pathlen) < 0 || fm_buf_putc(b, '\0') < 0)
		return FM_ENOMEM;
	return 0;
}

int fm_patch_files_compute(git_repository *repo, fm_line_cache *lc,
			   const git_oid *old_tree, const git_oid *new_tree,
			   fm_buf *out)
{
	fm_buf_reset(out);
	return fm_tree_diff_each(repo, lc, old_tree, new_tree, put_record, out);
}

const git_oid *fm_measure_parent_tree(const struct fm_measure *c, uint32_t n)
{
	const fm_dag_node *node = &c->g.nodes[n];

	return node->npar ? &c->g.nodes[fm_dag_parents(&c->g, n)[0]].tree
			  : NULL;
}

/* The first copy of every distinct patch of every measured fork. */
static int first_copies(struct fm_measure *c, fm_dag_list *out)
{
	uint8_t *seen = calloc(c->g.count ? c->g.count : 1, 1);
	size_t i, k;
	int rc = 0;

	if (!seen)
		return fm_measure_oom(c);
	for (i = 0; rc == 0 && i < c->nwork; i++) {
		fm_patch_groups g;

		if (!c->work[i].measure)
			continue;
		if ((rc = fm_measure_patch_groups(c, &c->work[i], &g)) < 0)
			break;
		for (k = 0; rc == 0 && k < g.count; k++) {
			uint32_t n = g.members[g.group[k].first];

			if (seen[n])
				continue;
			seen[n] = 1;
			if (fm_dag_list_push(out, n) < 0)
				rc = fm_measure_oom(c);
		}
		fm_patch_groups_clear(&g);
	}
	free(seen);
	return rc;
}

/*
 * The files of the patches, on worker processes: each job's records are
 * copied into one shared arena (a bump allocator) and its place noted; a
 * job that did not fit, or failed, is done again in this process.
 */
#define ARENA_BYTES ((size_t)64 << 20)

struct files_job {
	uint32_t node;
	size_t off, len;
	uint8_t state;
};

struct files_pass {
	struct fm_measure *c;
	struct files_job *jobs; /* shared */
	char *arena;		/* shared */
	size_t *used;		/* shared */
};

static int run_files_job(git_repository *repo, size_t i, void *payload)
{
	struct files_pass *fp = payload;
	struct files_job *j = &fp->jobs[i];
	struct fm_measure *c = fp->c;
	fm_buf b = FM_BUF_INIT;
	size_t off;

	if (fm_patch_files_compute(repo, c->lines,
				   fm_measure_parent_tree(c, j->node),
				   &c->g.nodes[j->node].tree, &b) < 0 ||
	    b.oom) {
		git_error_clear();
		j->state = FM_PID_FAILED;
	} else if ((off = __atomic_fetch_add(fp->used, b.len,
					     __ATOMIC_RELAXED)) +
			   b.len <=
		   ARENA_BYTES) {
		if (b.len)
			memcpy(fp->arena + off, b.ptr, b.len);
		j->off = off;
		j->len = b.len;
		j->state = FM_PID_DONE;
	}
	fm_buf_clear(&b);
	return 0;
}

int fm_measure_patch_files(struct fm_measure *c)
{
	fm_store *store = c->opts->cache;
	fm_dag_list reps = {0};
	struct files_pass fp = {c, NULL, NULL, NULL};
	fm_buf b = FM_BUF_INIT;
	char key[2 * GIT_OID_HEXSZ + 3], *old;
	size_t i, n = 0, len;
	int rc = 0;

	if (!store || c->cache_readonly || !c->opts->patch_files)
		return 0;
	if ((rc = first_copies(c, &reps)) < 0)
		return rc;
	/* the patches the store lacks */
	for (i = 0; i < reps.count; i++) {
		uint32_t node = reps.items[i];

		fm_patch_files_key(key, sizeof(key),
				   fm_measure_parent_tree(c, node),
				   &c->g.nodes[node].tree);
		if (fm_store_patch_files_get(c->ctx, store, key, &old, &len) ==
		    0) {
			free(old);
			continue;
		}
		fm_ctx_clear_error(c->ctx);
		reps.items[n++] = node;
	}
	reps.count = n;
	fp.jobs = fm_shared_calloc(n ? n : 1, sizeof(*fp.jobs));
	fp.used = fm_shared_calloc(1, sizeof(*fp.used));
	fp.arena = fm_shared_calloc(ARENA_BYTES, 1);
	if (!fp.jobs || !fp.used || !fp.arena) {
		rc = fm_measure_oom(c);
		goto done;
	}
	for (i = 0; i < n; i++)
		fp.jobs[i].node = reps.items[i];
	c->progress.step = "patch files";
	c->progress.unit = "patches";
	rc = n ? fm_parallel_run_procs_report(c->ctx, fm_repo_path(c->repo), n,
					      run_files_job, &fp, &c->progress)
	       : 0;
	c->progress.step = c->progress.unit = NULL;
	if (rc < 0)
		goto done;
	rc = fm_store_begin(c->ctx, store);
	for (i = 0; rc == 0 && i < n; i++) {
		struct files_job *j = &fp.jobs[i];
		const char *data = fp.arena + j->off;

		fm_patch_files_key(key, sizeof(key),
				   fm_measure_parent_tree(c, j->node),
				   &c->g.nodes[j->node].tree);
		if (j->state != FM_PID_DONE) {
			/* did not fit, or a worker died: here, once more */
			if (fm_patch_files_compute(
				    c->git, c->lines,
				    fm_measure_parent_tree(c, j->node),
				    &c->g.nodes[j->node].tree, &b) < 0 ||
			    b.oom) {
				/* show diffs it itself; no row is at stake */
				git_error_clear();
				continue;
			}
			data = b.ptr ? b.ptr : "";
			j->len = b.len;
		}
		rc = fm_store_patch_files_put(c->ctx, store, key, data, j->len);
	}
	fm_log(c->ctx, FM_LOG_DEBUG, "census: %zu patches' files computed", n);
	fm_measure_cache_end(c, rc, "patch files");
	rc = 0;
done:
	fm_shared_free(fp.jobs, n ? n : 1, sizeof(*fp.jobs));
	fm_shared_free(fp.used, 1, sizeof(*fp.used));
	fm_shared_free(fp.arena, ARENA_BYTES, 1);
	fm_buf_clear(&b);
	fm_dag_list_clear(&reps);
	return rc;
}
