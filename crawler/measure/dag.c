/* The in-memory commit graph of a census (see dag.h). */
#include <stdlib.h>
#include <string.h>

#include "measure/dag.h"

void dag_init(dag *g)
{
	memset(g, 0, sizeof(*g));
}

void dag_clear(dag *g)
{
	free(g->nodes);
	free(g->parents);
	free(g->slots);
	dag_init(g);
}

static size_t oid_hash(const git_oid *oid)
{
	uint64_t h;

	memcpy(&h, oid->id, sizeof(h)); /* object ids are uniformly random */
	return (size_t)h;
}

uint32_t dag_find(const dag *g, const git_oid *oid)
{
	size_t mask = g->nslots - 1, i;

	if (!g->nslots)
		return DAG_NONE;
	for (i = oid_hash(oid) & mask;; i = (i + 1) & mask) {
		uint32_t n = g->slots[i];

		if (n == DAG_NONE || git_oid_equal(&g->nodes[n].oid, oid))
			return n;
	}
}

static int grow_slots(dag *g)
{
	size_t n = g->nslots ? g->nslots * 2 : 1024, mask = n - 1, i;
	uint32_t *slots = malloc(n * sizeof(*slots));

	if (!slots)
		return -1;
	memset(slots, 0xff, n * sizeof(*slots));
	for (i = 0; i < g->count; i++) {
		size_t j = oid_hash(&g->nodes[i].oid) & mask;

		while (slots[j] != DAG_NONE)
			j = (j + 1) & mask;
		slots[j] = (uint32_t)i;
	}
	free(g->slots);
	g->slots = slots;
	g->nslots = n;
	return 0;
}

/* Index of oid, adding an unloaded node when new; DAG_NONE on ENOMEM. */
static uint32_t intern(dag *g, const git_oid *oid, int *added)
{
	size_t mask, i;
	uint32_t n;

	*added = 0;
	if ((size_t)(g->count + 1) * 2 > g->nslots && grow_slots(g) < 0)
		return DAG_NONE;
	mask = g->nslots - 1;
	for (i = oid_hash(oid) & mask;; i = (i + 1) & mask) {
		n = g->slots[i];
		if (n == DAG_NONE)
			break;
		if (git_oid_equal(&g->nodes[n].oid, oid))
			return n;
	}
	if (g->count == g->alloc) {
		uint32_t a = g->alloc ? g->alloc * 2 : 1024;

		if (g->alloc >= UINT32_MAX / 4) /* indexes are 32 bits */
			return DAG_NONE;
		dag_node *nodes = realloc(g->nodes, a * sizeof(*nodes));

		if (!nodes)
			return DAG_NONE;
		g->nodes = nodes;
		g->alloc = a;
	}
	n = g->count++;
	memset(&g->nodes[n], 0, sizeof(g->nodes[n]));
	git_oid_cpy(&g->nodes[n].oid, oid);
	g->slots[i] = n;
	*added = 1;
	return n;
}

static int push_parent(dag *g, uint32_t p)
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
static int load_node(dag *g, git_odb *odb, uint32_t n, dag_list *queue)
{
	git_odb_object *obj = NULL;
	const char *p, *end;
	git_oid oid;

	git_oid_cpy(&oid, &g->nodes[n].oid);
	if (git_odb_read(&obj, odb, &oid) < 0 ||
	    git_odb_object_type(obj) != GIT_OBJECT_COMMIT) {
		git_odb_object_free(obj);
		g->nodes[n].state = DAG_MISSING;
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
				if (pi == DAG_NONE || push_parent(g, pi) < 0 ||
				    (added && dag_list_push(queue, pi) < 0))
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
	g->nodes[n].state = DAG_LOADED;
	git_odb_object_free(obj);
	return 0;
oom:
	git_odb_object_free(obj);
	return -1;
}

/* Generation numbers by an explicit-stack post-order walk. */
static int compute_generations(dag *g)
{
	dag_list stack = {0};
	uint32_t i;

	for (i = 0; i < g->count; i++) {
		if (g->nodes[i].gen)
			continue;
		if (dag_list_push(&stack, i) < 0)
			goto oom;
		while (stack.count) {
			uint32_t n = stack.items[stack.count - 1], j, max = 0;
			const uint32_t *par = dag_parents(g, n);
			int pending = 0;

			if (g->nodes[n].gen) {
				stack.count--;
				continue;
			}
			for (j = 0; j < g->nodes[n].npar; j++) {
				uint32_t gp = g->nodes[par[j]].gen;

				if (!gp) {
					if (dag_list_push(&stack, par[j]) < 0)
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
	dag_list_clear(&stack);
	return 0;
oom:
	dag_list_clear(&stack);
	return -1;
}

int dag_load(fm_ctx *ctx, dag *g, git_repository *repo, const git_oid *roots,
	     size_t nroots, uint32_t *roots_out)
{
	dag_list queue = {0};
	git_odb *odb = NULL;
	size_t i, head = 0;
	int rc = 0;

	if (git_repository_odb(&odb, repo) < 0)
		return fm_error_set(ctx, FM_EREPO, "cannot open object store");
	for (i = 0; i < nroots; i++) {
		int added;

		roots_out[i] = intern(g, &roots[i], &added);
		if (roots_out[i] == DAG_NONE ||
		    (added && dag_list_push(&queue, roots_out[i]) < 0))
			goto oom;
	}
	while (head < queue.count) {
		if ((head & 4095) == 0 && fm_ctx_interrupted(ctx)) {
			rc = fm_error_set(ctx, FM_EINTERRUPTED, "interrupted");
			goto done;
		}
		if (load_node(g, odb, queue.items[head++], &queue) < 0)
			goto oom;
	}
	if (compute_generations(g) < 0)
		goto oom;
	goto done;
oom:
	rc = fm_error_set(ctx, FM_ENOMEM, "out of memory loading commits");
done:
	dag_list_clear(&queue);
	git_odb_free(odb);
	return rc;
}

int dag_marks_init(dag_marks *m, const dag *g)
{
	m->mark = calloc(g->count ? g->count : 1, sizeof(*m->mark));
	m->stamp = 1;
	return m->mark ? 0 : -1;
}

void dag_marks_next(dag_marks *m)
{
	m->stamp++;
}

void dag_marks_clear(dag_marks *m)
{
	free(m->mark);
	m->mark = NULL;
}

int dag_list_push(dag_list *l, uint32_t v)
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

void dag_list_clear(dag_list *l)
{
	free(l->items);
	memset(l, 0, sizeof(*l));
}
