/* The in-memory commit graph of a census (see dag.h). */
#include <stdlib.h>
#include <string.h>

#include "measure/dag.h"

void fm_dag_init(fm_dag *g)
{
	memset(g, 0, sizeof(*g));
}

void fm_dag_clear(fm_dag *g)
{
	free(g->nodes);
	free(g->parents);
	fm_oidmap_clear(&g->index);
	fm_dag_init(g);
}

uint32_t fm_dag_find(const fm_dag *g, const git_oid *oid)
{
	return fm_oidmap_find(&g->index, oid);
}

/*
 * Index of oid, adding an unloaded node when new; FM_DAG_NONE on ENOMEM.
 * Nodes are added in step with the index, so a node's number is its entry
 * index there.
 */
static uint32_t intern(fm_dag *g, const git_oid *oid, int *added)
{
	uint32_t n;

	if (g->count == g->alloc) {
		uint32_t a = g->alloc ? g->alloc * 2 : 1024;
		fm_dag_node *nodes;

		if (g->alloc >= UINT32_MAX / 4) /* indexes are 32 bits */
			return FM_DAG_NONE;
		if (!(nodes = realloc(g->nodes, a * sizeof(*nodes))))
			return FM_DAG_NONE;
		g->nodes = nodes;
		g->alloc = a;
	}
	if (fm_oidmap_intern(&g->index, oid, &n, added) < 0)
		return FM_DAG_NONE;
	if (*added) {
		memset(&g->nodes[n], 0, sizeof(g->nodes[n]));
		g->count++;
	}
	return n;
}

static int push_parent(fm_dag *g, uint32_t p)
{
	if (g->nparents == g->aparents) {
		size_t a = g->aparents ? g->aparents * 2 : 4096;
		uint32_t *parents = realloc(g->parents, a * sizeof(*parents));

		if (!parents)
			return -1;
		g->parents = parents;
		g->aparents = a;
	}
	g->parents[g->nparents++] = p;
	return 0;
}

/* Parse "<decimal> <+|-hhmm>" after the committer's "> ". */
static void parse_when(const char *s, const char *end, int64_t *time,
		       int32_t *offset)
{
	int64_t t = 0;
	int sign = 1, hhmm = 0, digits = 0;

	/* A date git cannot represent reads as 0 (1970), as git does. */
	while (s < end && *s >= '0' && *s <= '9') {
		if (t > (INT64_MAX - 9) / 10) {
			t = 0;
			while (s < end && *s >= '0' && *s <= '9')
				s++;
			break;
		}
		t = t * 10 + (*s++ - '0');
	}
	while (s < end && *s == ' ')
		s++;
	if (s < end && (*s == '-' || *s == '+'))
		sign = *s++ == '-' ? -1 : 1;
	while (s < end && *s >= '0' && *s <= '9' && digits++ < 4)
		hhmm = hhmm * 10 + (*s++ - '0');
	*time = t;
	*offset = sign * ((hhmm / 100) * 60 + hhmm % 100);
}

/*
 * Read a raw commit object's header: tree, parents, committer date.
 * Parsing the header ourselves avoids building a git_commit (message,
 * signatures) for every one of possibly millions of commits.
 */
static int load_node(fm_dag *g, git_odb *odb, uint32_t n, fm_dag_list *queue)
{
	git_odb_object *obj = NULL;
	const char *p, *end;
	git_oid oid;

	git_oid_cpy(&oid, fm_dag_oid(g, n));
	if (git_odb_read(&obj, odb, &oid) < 0 ||
	    git_odb_object_type(obj) != GIT_OBJECT_COMMIT) {
		git_odb_object_free(obj);
		g->nodes[n].state = FM_DAG_MISSING;
		g->nodes[n].pstart = (uint32_t)g->nparents;
		return 0;
	}
	p = git_odb_object_data(obj);
	end = p + git_odb_object_size(obj);
	g->nodes[n].pstart = (uint32_t)g->nparents;
	while (p < end && *p != '\n') {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		if (eol - p >= 45 && !memcmp(p, "tree ", 5)) {
			git_oid_fromstrn(&g->nodes[n].tree, p + 5, 40);
		} else if (eol - p >= 47 && !memcmp(p, "parent ", 7)) {
			git_oid pid;
			uint32_t pi;
			int added;

			if (git_oid_fromstrn(&pid, p + 7, 40) == 0) {
				pi = intern(g, &pid, &added);
				if (pi == FM_DAG_NONE ||
				    push_parent(g, pi) < 0 ||
				    (added && fm_dag_list_push(queue, pi) < 0))
					goto oom;
				g->nodes[n].npar++;
			}
		} else if (eol - p > 10 && !memcmp(p, "committer ", 10)) {
			const char *gt = eol;

			while (gt > p && *gt != '>')
				gt--;
			if (*gt == '>' && gt + 2 <= eol)
				parse_when(gt + 2, eol, &g->nodes[n].time,
					   &g->nodes[n].offset);
		}
		p = eol + 1;
	}
	g->nodes[n].state = FM_DAG_LOADED;
	git_odb_object_free(obj);
	return 0;
oom:
	git_odb_object_free(obj);
	return -1;
}

/* Generation numbers by an explicit-stack post-order walk. */
static int compute_generations(fm_dag *g)
{
	fm_dag_list stack = {0};
	uint32_t i;

	for (i = 0; i < g->count; i++) {
		if (g->nodes[i].gen)
			continue;
		if (fm_dag_list_push(&stack, i) < 0)
			goto oom;
		while (stack.count) {
			uint32_t n = stack.items[stack.count - 1], j, max = 0;
			const uint32_t *par = fm_dag_parents(g, n);
			int pending = 0;

			if (g->nodes[n].gen) {
				stack.count--;
				continue;
			}
			for (j = 0; j < g->nodes[n].npar; j++) {
				uint32_t gp = g->nodes[par[j]].gen;

				if (!gp) {
					if (fm_dag_list_push(&stack, par[j]) <
					    0)
						goto oom;
					pending = 1;
				} else if (gp > max) {
					max = gp;
				}
			}
			if (!pending) {
				g->nodes[n].gen = max + 1;
				stack.count--;
			}
		}
	}
	fm_dag_list_clear(&stack);
	return 0;
oom:
	fm_dag_list_clear(&stack);
	return -1;
}

static void report_loaded(fm_ctx *ctx, fm_dag *g, size_t loaded)
{
	if (!g->progress)
		return;
	g->progress->step = "loading";
	g->progress->unit = "commits";
	g->progress->done = loaded;
	g->progress->total = 0; /* a walk finds its end only there */
	fm_progress_report(ctx, g->progress);
}

int fm_dag_load(fm_ctx *ctx, fm_dag *g, git_repository *repo,
		const git_oid *roots, size_t nroots, uint32_t *roots_out)
{
	fm_dag_list queue = {0};
	git_odb *odb = NULL;
	size_t i, head = 0;
	int rc = 0;

	if (git_repository_odb(&odb, repo) < 0)
		return fm_error_set(ctx, FM_EREPO, "cannot open object store");
	for (i = 0; i < nroots; i++) {
		int added;

		roots_out[i] = intern(g, &roots[i], &added);
		if (roots_out[i] == FM_DAG_NONE ||
		    (added && fm_dag_list_push(&queue, roots_out[i]) < 0))
			goto oom;
	}
	while (head < queue.count) {
		if ((head & (FM_DAG_REPORT_EVERY - 1)) == 0) {
			if (fm_ctx_interrupted(ctx)) {
				rc = fm_error_set(ctx, FM_EINTERRUPTED,
						  "interrupted");
				goto done;
			}
			report_loaded(ctx, g, head);
		}
		if (load_node(g, odb, queue.items[head++], &queue) < 0)
			goto oom;
	}
	report_loaded(ctx, g, head);
	if (compute_generations(g) < 0)
		goto oom;
	goto done;
oom:
	rc = fm_error_set(ctx, FM_ENOMEM, "out of memory loading commits");
done:
	fm_dag_list_clear(&queue);
	git_odb_free(odb);
	return rc;
}

int fm_dag_marks_init(fm_dag_marks *m, const fm_dag *g)
{
	m->mark = calloc(g->count ? g->count : 1, sizeof(*m->mark));
	m->stamp = 1;
	return m->mark ? 0 : -1;
}

void fm_dag_marks_next(fm_dag_marks *m)
{
	m->stamp++;
}

void fm_dag_marks_clear(fm_dag_marks *m)
{
	free(m->mark);
	m->mark = NULL;
}

int fm_dag_list_push(fm_dag_list *l, uint32_t v)
{
	if (l->count == l->alloc) {
		size_t a = l->alloc ? l->alloc * 2 : 256;
		uint32_t *items = realloc(l->items, a * sizeof(*items));

		if (!items)
			return -1;
		l->items = items;
		l->alloc = a;
	}
	l->items[l->count++] = v;
	return 0;
}

void fm_dag_list_clear(fm_dag_list *l)
{
	free(l->items);
	memset(l, 0, sizeof(*l));
}
