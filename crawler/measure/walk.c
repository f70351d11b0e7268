/*
 * The walks per fork on the commit graph: what upstream reaches (once for
 * all forks), then per fork ahead (U..F), ahead_first_parent, the merge
 * base, behind (F..U) and the two commit lists the patch-id pass compares.
 */
#include <forkmap/census.h>

#include "measure/measure.h"

int fm_measure_mark_upstream(struct fm_measure *c)
{
	fm_dag_list stack = {0};
	uint32_t j;

	c->in_u = calloc(c->g.count ? c->g.count : 1, 1);
	if (!c->in_u || fm_dag_list_push(&stack, c->upstream) < 0)
		goto oom;
	c->in_u[c->upstream] = 1;
	while (stack.count) {
		uint32_t n = stack.items[--stack.count];
		const uint32_t *par = fm_dag_parents(&c->g, n);

		if (fm_dag_list_push(&c->u_nodes, n) < 0)
			goto oom;
		for (j = 0; j < c->g.nodes[n].npar; j++) {
			if (c->in_u[par[j]])
				continue;
			c->in_u[par[j]] = 1;
			if (fm_dag_list_push(&stack, par[j]) < 0)
				goto oom;
		}
	}
	fm_dag_list_clear(&stack);
	return 0;
oom:
	fm_dag_list_clear(&stack);
	return fm_measure_oom(c);
}

/* Mark the parents of n not yet known common, count and push them. */
static int push_common_parents(const fm_dag *g, uint32_t n,
			       fm_dag_marks *common, fm_dag_list *stack,
			       size_t *count)
{
	const uint32_t *par = fm_dag_parents(g, n);
	uint32_t j;

	for (j = 0; j < g->nodes[n].npar; j++) {
		if (common->mark[par[j]] == common->stamp)
			continue;
		common->mark[par[j]] = common->stamp;
		(*count)++;
		if (fm_dag_list_push(stack, par[j]) < 0)
			return -1;
	}
	return 0;
}

/*
 * Everything that needs only the graph: ahead (U..F), ahead_first_parent,
 * the merge base, behind (F..U), and the two commit lists whose patch ids
 * decide `unique`.
 */
int fm_measure_walk_fork(struct fm_measure *c, struct fm_fork_work *w,
			 fm_dag_marks *seen, fm_dag_marks *common,
			 fm_dag_list *stack, fm_dag_list *boundary)
{
	const fm_dag *g = &c->g;
	uint32_t n, j, best = FM_DAG_NONE;
	size_t i, common_count = 0;
	long ahead = 0, fp = 0;

	fm_dag_marks_next(seen);
	stack->count = boundary->count = 0;
	if (fm_dag_list_push(stack, w->head) < 0)
		return fm_measure_oom(c);
	seen->mark[w->head] = seen->stamp;
	/* U..F: stop at commits upstream reaches; those are the boundary. */
	while (stack->count) {
		const uint32_t *par;

		n = stack->items[--stack->count];
		if (c->in_u[n]) {
			if (fm_dag_list_push(boundary, n) < 0)
				return fm_measure_oom(c);
			continue;
		}
		if (g->nodes[n].state != FM_DAG_LOADED) {
			fm_measure_row_fail_missing(c, w, n);
			return 0;
		}
		ahead++;
		if (g->nodes[n].npar <= 1 && fm_dag_list_push(&w->mine, n) < 0)
			return fm_measure_oom(c);
		par = fm_dag_parents(g, n);
		for (j = 0; j < g->nodes[n].npar; j++) {
			if (seen->mark[par[j]] == seen->stamp)
				continue;
			seen->mark[par[j]] = seen->stamp;
			if (fm_dag_list_push(stack, par[j]) < 0)
				return fm_measure_oom(c);
		}
	}
	w->row->ahead = ahead;
	for (n = w->head; n != FM_DAG_NONE && !c->in_u[n];) {
		fp++;
		n = g->nodes[n].npar ? fm_dag_parents(g, n)[0] : FM_DAG_NONE;
	}
	w->row->ahead_first_parent = fp;
	if (!boundary->count) {
		fm_measure_row_fail(
			w, "no common history with upstream branch '%s'",
			c->opts->branch);
		return 0;
	}
	/*
	 * Everything below the boundary is common history. A boundary commit
	 * reached from another one is not a best common ancestor; the rest
	 * are the merge bases, of which git prints the newest.
	 */
	fm_dag_marks_next(common);
	stack->count = 0;
	for (i = 0; i < boundary->count; i++)
		if (push_common_parents(g, boundary->items[i], common, stack,
					&common_count) < 0)
			return fm_measure_oom(c);
	while (stack->count) {
		n = stack->items[--stack->count];
		if (g->nodes[n].state != FM_DAG_LOADED) {
			fm_measure_row_fail_missing(c, w, n);
			return 0;
		}
		if (push_common_parents(g, n, common, stack, &common_count) < 0)
			return fm_measure_oom(c);
	}
	for (i = 0; i < boundary->count; i++) {
		n = boundary->items[i];
		if (common->mark[n] == common->stamp)
			continue;
		if (best == FM_DAG_NONE ||
		    g->nodes[n].time > g->nodes[best].time)
			best = n;
	}
	for (i = 0; i < boundary->count; i++) {
		n = boundary->items[i];
		if (common->mark[n] != common->stamp) {
			common->mark[n] = common->stamp;
			common_count++;
		}
	}
	w->mb = best;
	w->row->behind = (long)(c->u_nodes.count - common_count);
	/* F..U: upstream's own non-merge commits, for `git cherry`. */
	for (i = 0; i < c->u_nodes.count; i++) {
		n = c->u_nodes.items[i];
		if (common->mark[n] != common->stamp && g->nodes[n].npar <= 1 &&
		    fm_dag_list_push(&w->theirs, n) < 0)
			return fm_measure_oom(c);
	}
	return 0;
}
