/*
 * The files of each distinct patch (store/cache.h: patch_files), kept by
 * the census for `forkmap show`: one `git diff --numstat --no-renames` of
 * the patch's first copy against its parent, only for patches the store
 * does not hold yet. Copies of one patch change the same paths, so the
 * first copy stands for all.
 */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
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

int fm_measure_patch_files(struct fm_measure *c)
{
	fm_store *store = c->opts->cache;
	fm_dag_list reps = {0};
	fm_buf b = FM_BUF_INIT;
	char key[2 * GIT_OID_HEXSZ + 3], *old;
	size_t i, len, computed = 0;
	int rc;

	if (!store || c->cache_readonly)
		return 0;
	if ((rc = first_copies(c, &reps)) < 0)
		return rc;
	rc = fm_store_begin(c->ctx, store);
	for (i = 0; rc == 0 && i < reps.count; i++) {
		uint32_t n = reps.items[i];

		fm_patch_files_key(key, sizeof(key),
				   fm_measure_parent_tree(c, n),
				   &c->g.nodes[n].tree);
		if (fm_store_patch_files_get(c->ctx, store, key, &old, &len) ==
		    0) {
			free(old);
			continue;
		}
		fm_ctx_clear_error(c->ctx);
		if (fm_patch_files_compute(c->git, c->lines,
					   fm_measure_parent_tree(c, n),
					   &c->g.nodes[n].tree, &b) < 0) {
			/* show diffs it itself; the row is not at stake */
			git_error_clear();
			continue;
		}
		computed++;
		rc = fm_store_patch_files_put(c->ctx, store, key,
					      b.ptr ? b.ptr : "", b.len);
	}
	fm_log(c->ctx, FM_LOG_DEBUG, "census: %zu patches' files computed",
	       computed);
	fm_measure_cache_end(c, rc, "patch files");
	fm_buf_clear(&b);
	fm_dag_list_clear(&reps);
	return 0;
}
