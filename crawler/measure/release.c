/*
 * base_tag, base_date and release of every fork, and the release nodes of
 * the census: describe names the merge base, and a base tag that is no
 * release falls back to the earliest release (version order) containing it.
 */
#include <stdlib.h>
#include <string.h>

#include <forkmap/util.h>

#include "measure/describe.h"
#include "measure/measure.h"

/* Is `ancestor` reachable from `from` (or equal)? Pruned by generation. */
static int reaches(struct fm_measure *c, fm_dag_marks *marks,
		   fm_dag_list *stack, uint32_t from, uint32_t ancestor)
{
	uint32_t floor = c->g.nodes[ancestor].gen;

	fm_dag_marks_next(marks);
	stack->count = 0;
	if (fm_dag_list_push(stack, from) < 0)
		return -1;
	marks->mark[from] = marks->stamp;
	while (stack->count) {
		uint32_t n = stack->items[--stack->count], j;
		const uint32_t *par = fm_dag_parents(&c->g, n);

		if (n == ancestor)
			return 1;
		for (j = 0; j < c->g.nodes[n].npar; j++) {
			uint32_t p = par[j];

			if (marks->mark[p] == marks->stamp ||
			    c->g.nodes[p].gen < floor)
				continue;
			marks->mark[p] = marks->stamp;
			if (fm_dag_list_push(stack, p) < 0)
				return -1;
		}
	}
	return 0;
}

static int set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = fm_measure_strdup(s);
	return *dst ? 0 : -1;
}

/* base_tag, base_date and release of every measured fork. */
int fm_measure_bases(struct fm_measure *c)
{
	fm_describe d = {0};
	fm_dag_list stack = {0};
	fm_dag_marks marks = {0};
	size_t i, k;
	int rc = 0;

	if (fm_describe_init(&d, &c->g, &c->tags) < 0 ||
	    fm_dag_marks_init(&marks, &c->g) < 0)
		goto oom;
	for (i = 0; i < c->nwork; i++) {
		struct fm_fork_work *w = &c->work[i];
		int32_t tag;
		const char *release = "";

		if (!w->measure)
			continue;
		if (fm_describe_commit(&d, w->mb, &tag) < 0)
			goto oom;
		if (tag >= 0) {
			const fm_tag *t = &c->tags.items[tag];

			if (set_str(&w->row->base_tag, t->name) < 0)
				goto oom;
			if (t->node != FM_DAG_NONE)
				w->row->base_date =
					fm_dag_date(&c->g.nodes[t->node]);
			if (t->release)
				release = t->name;
		}
		for (k = 0; !*release && k < c->tags.nreleases; k++) {
			const fm_tag *t =
				&c->tags.items[c->tags.release_order[k]];
			int r;

			if (t->node == FM_DAG_NONE)
				continue;
			r = reaches(c, &marks, &stack, t->node, w->mb);
			if (r < 0)
				goto oom;
			if (r)
				release = t->name;
		}
		if (set_str(&w->row->release, release) < 0)
			goto oom;
	}
	goto done;
oom:
	rc = fm_measure_oom(c);
done:
	fm_describe_clear(&d);
	fm_dag_list_clear(&stack);
	fm_dag_marks_clear(&marks);
	return rc;
}

static int release_date_cmp(const void *a, const void *b)
{
	const fm_release *x = a, *y = b;

	if (x->date.time != y->date.time)
		return x->date.time < y->date.time ? -1 : 1;
	return fm_version_cmp(x->tag, y->tag);
}

int fm_measure_release_nodes(struct fm_measure *c, fm_census *out)
{
	size_t i, k;

	out->releases = calloc(c->nwork ? c->nwork : 1, sizeof(fm_release));
	if (!out->releases)
		return fm_measure_oom(c);
	for (i = 0; i < c->nwork; i++) {
		const char *name = c->work[i].row->release;
		const fm_tag *t = NULL;
		fm_release *r;

		if (!name || !*name)
			continue;
		for (k = 0; k < out->nreleases; k++)
			if (!strcmp(out->releases[k].tag, name))
				break;
		if (k < out->nreleases)
			continue;
		for (k = 0; k < c->tags.count && !t; k++)
			if (!strcmp(c->tags.items[k].name, name))
				t = &c->tags.items[k];
		/* Without a graph (reuse.c) every collected tag has a commit.
		 */
		if (!t || (c->g.count && t->node == FM_DAG_NONE))
			continue;
		r = &out->releases[out->nreleases];
		if (!(r->tag = strdup(name)))
			return fm_measure_oom(c);
		fm_measure_hex(r->commit, &t->commit);
		if (c->g.count)
			r->date = fm_dag_date(&c->g.nodes[t->node]);
		r->tree_lines = -1; /* compute_stats counts it */
		out->nreleases++;
	}
	fm_measure_sort_releases(out);
	return 0;
}

void fm_measure_sort_releases(fm_census *out)
{
	qsort(out->releases, out->nreleases, sizeof(fm_release),
	      release_date_cmp);
}
