/*
 * The census engine: measures every fork against the upstream branch.
 *
 * The work is organised so nothing shared is done twice: the commit graph
 * of all forks is loaded once (dag.c), upstream reachability is marked once,
 * patch ids are computed once per commit for all forks together and on all
 * cores, and per-blob line counts are cached for the whole census.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <forkmap/measure.h>
#include <forkmap/runs.h>
#include <forkmap/settings.h>
#include <forkmap/util.h>

#include "core/parallel.h"
#include "measure/dag.h"
#include "measure/patchid.h"
#include "measure/treediff.h"
#include "repo/repo_internal.h"
#include "store/cache.h"

static const char *const default_describe[] = {"v[0-9]*", "[0-9]*"};
static const char *const default_skip[] = {"staging", "*-next"};

struct tag {
	char *name; /* without refs/tags/ */
	git_oid commit;
	uint32_t node;
	int annotated;
	int64_t tagger_time;
	int describe; /* matches tags.describe */
	int release;  /* matches tags.release */
};

struct fork_work {
	fm_row *row;
	int oom; /* a message for the row could not be allocated */
	uint32_t head;
	uint32_t mb;
	fm_dag_list mine;   /* non-merge commits in U..F */
	fm_dag_list theirs; /* non-merge commits in F..U needing a full id */
	int measure;	    /* 1 while the fork is still being measured */
};

/* Per-commit patch-id state. */
enum { PID_NONE = 0, PID_WANTED, PID_DONE, PID_FAILED };

struct census {
	fm_ctx *ctx;
	fm_repo *repo;
	git_repository *git;
	const fm_census_opts *opts;
	fm_release_re *release_re;
	const char *const *describe;
	size_t ndescribe;
	const char *const *skip;
	size_t nskip;
	fm_dag g;
	uint32_t upstream;
	uint8_t *in_u;	     /* reachable from upstream */
	fm_dag_list u_nodes; /* the same, as a list */
	struct tag *tags;
	size_t ntags;
	int tags_oom;	       /* collecting tags ran out of memory */
	int32_t *name_of;      /* node -> best describe tag, -1 none */
	size_t *release_order; /* release tags in version order */
	size_t nreleases;
	struct fork_work *work;
	size_t nwork;
	uint64_t *header;
	git_oid *full;
	uint8_t *header_state;
	uint8_t *full_state;
	fm_dag_list wanted; /* commits whose id a parallel pass computes */
	fm_line_cache *lines;
	fm_progress progress;
};

/* Monotonic seconds, for the phase timings logged at debug level. */
static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void phase_done(struct census *c, const char *what, double *t0)
{
	double now = mono();

	fm_log(c->ctx, FM_LOG_DEBUG, "census: %s took %.2f s", what, now - *t0);
	*t0 = now;
}

static char *xstrdup(const char *s)
{
	return strdup(s ? s : "");
}

static int oom(struct census *c)
{
	return fm_error_set(c->ctx, FM_ENOMEM, "out of memory");
}

static void hex_of(char *out, const git_oid *oid)
{
	git_oid_tostr(out, GIT_OID_HEXSZ + 1, oid);
}

static fm_date date_of(const fm_dag_node *n)
{
	fm_date d;

	d.time = n->time;
	d.offset = n->offset;
	d.set = 1;
	return d;
}

/* Set a row's error once (the first cause is the precise one). */
static void row_fail(struct fork_work *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void row_fail(struct fork_work *w, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	w->measure = 0;
	if (w->row->error)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!(w->row->error = strdup(buf)))
		w->oom = 1;
}

static void row_fail_git(struct fork_work *w, const char *what)
{
	w->measure = 0;
	if (!w->row->error && !(w->row->error = fm_git_errstr(what)))
		w->oom = 1;
}

static void row_fail_missing(struct census *c, struct fork_work *w,
			     uint32_t node)
{
	char hex[GIT_OID_HEXSZ + 1];

	hex_of(hex, fm_dag_oid(&c->g, node));
	if (git_repository_is_shallow(c->git) == 1)
		row_fail(w,
			 "commit %s is beyond the history of this shallow "
			 "repository (git fetch --unshallow)",
			 hex);
	else
		row_fail(w, "commit %s is missing from the object store%s", hex,
			 c->in_u[node] ? " (upstream history is incomplete)"
				       : "");
}

static int skip_by_name(struct census *c, fm_row *row)
{
	const char *last = strrchr(row->branch, '/');
	size_t i;

	last = last ? last + 1 : row->branch;
	for (i = 0; i < c->nskip; i++) {
		if (fm_glob_any(&c->skip[i], 1, row->branch) ||
		    fm_glob_any(&c->skip[i], 1, last)) {
			char buf[256];

			snprintf(buf, sizeof(buf), "branch matches '%s'",
				 c->skip[i]);
			row->skipped = strdup(buf);
			return row->skipped ? 1 : -1;
		}
	}
	return 0;
}

static int resolve_commit(git_repository *git, const char *spec, git_oid *out)
{
	git_object *obj = NULL, *peeled = NULL;
	git_reference *ref = NULL;
	int rc;

	rc = git_reference_dwim(&ref, git, spec);
	if (rc == 0)
		rc = git_reference_peel(&peeled, ref, GIT_OBJECT_COMMIT);
	else if ((rc = git_revparse_single(&obj, git, spec)) == 0)
		rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	if (rc == 0)
		git_oid_cpy(out, git_object_id(peeled));
	git_object_free(peeled);
	git_object_free(obj);
	git_reference_free(ref);
	return rc;
}

static int tag_cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct tag *)a)->name,
		      ((const struct tag *)b)->name);
}

static int collect_tag(const char *name, git_oid *oid, void *payload)
{
	struct census *c = payload;
	const char *short_name = name + strlen("refs/tags/");
	git_object *obj = NULL, *commit = NULL;
	struct tag *t;
	int describe, release;

	describe = fm_glob_any(c->describe, c->ndescribe, short_name);
	release = fm_release_re_match(c->release_re, short_name);
	if (!describe && !release)
		return 0;
	if (git_object_lookup(&obj, c->git, oid, GIT_OBJECT_ANY) < 0 ||
	    git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		/* A tag of a tree or blob, or a dangling tag: not a base. */
		git_object_free(obj);
		git_error_clear();
		return 0;
	}
	if (c->ntags % 64 == 0) {
		struct tag *tags =
			realloc(c->tags, (c->ntags + 64) * sizeof(*tags));
		if (!tags)
			goto fail;
		c->tags = tags;
	}
	t = &c->tags[c->ntags];
	memset(t, 0, sizeof(*t));
	if (!(t->name = strdup(short_name)))
		goto fail;
	git_oid_cpy(&t->commit, git_object_id(commit));
	t->annotated = git_object_type(obj) == GIT_OBJECT_TAG;
	if (t->annotated) {
		const git_signature *who = git_tag_tagger((git_tag *)obj);

		t->tagger_time = who ? who->when.time : 0;
	}
	t->describe = describe;
	t->release = release;
	c->ntags++;
	git_object_free(commit);
	git_object_free(obj);
	return 0;
fail:
	git_object_free(commit);
	git_object_free(obj);
	c->tags_oom = 1;
	return -1;
}

static int release_cmp(const void *a, const void *b, void *payload)
{
	const struct census *c = payload;

	return fm_version_cmp(c->tags[*(const size_t *)a].name,
			      c->tags[*(const size_t *)b].name);
}

/*
 * git describe's choice of a name for each commit: annotated tags beat
 * lightweight ones, the newer tagger date wins between annotated tags, and
 * otherwise the first in ref-name order is kept (describe.c replace_name).
 */
static int index_tags(struct census *c)
{
	size_t i;

	if (c->ntags)
		qsort(c->tags, c->ntags, sizeof(*c->tags), tag_cmp_name);
	c->name_of = malloc((c->g.count ? c->g.count : 1) * sizeof(int32_t));
	c->release_order = malloc((c->ntags ? c->ntags : 1) * sizeof(size_t));
	if (!c->name_of || !c->release_order)
		return oom(c);
	memset(c->name_of, 0xff, c->g.count * sizeof(int32_t));
	for (i = 0; i < c->ntags; i++) {
		struct tag *t = &c->tags[i];
		int32_t *slot;

		t->node = fm_dag_find(&c->g, &t->commit);
		if (t->release)
			c->release_order[c->nreleases++] = i;
		if (!t->describe || t->node == FM_DAG_NONE)
			continue;
		slot = &c->name_of[t->node];
		if (*slot < 0) {
			*slot = (int32_t)i;
		} else {
			const struct tag *e = &c->tags[*slot];

			if ((!e->annotated && t->annotated) ||
			    (e->annotated && t->annotated &&
			     e->tagger_time < t->tagger_time))
				*slot = (int32_t)i;
		}
	}
	qsort_r(c->release_order, c->nreleases, sizeof(size_t), release_cmp, c);
	return 0;
}

/* --- git describe --tags --abbrev=0 on the in-memory graph ------------- */

struct heap_item {
	int64_t time;
	uint64_t seq;
	uint32_t node;
};

struct heap {
	struct heap_item *items;
	size_t count;
	size_t alloc;
	uint64_t seq;
};

/* Newest committer date first; equal dates in insertion order, which is
 * what git's commit_list_insert_by_date gives. */
static int heap_before(const struct heap_item *a, const struct heap_item *b)
{
	return a->time > b->time || (a->time == b->time && a->seq < b->seq);
}

static int heap_push(struct heap *h, int64_t time, uint32_t node)
{
	size_t i;

	if (h->count == h->alloc) {
		size_t a = h->alloc ? h->alloc * 2 : 256;
		struct heap_item *items = realloc(h->items, a * sizeof(*items));

		if (!items)
			return -1;
		h->items = items;
		h->alloc = a;
	}
	i = h->count++;
	h->items[i].time = time;
	h->items[i].seq = h->seq++;
	h->items[i].node = node;
	while (i && heap_before(&h->items[i], &h->items[(i - 1) / 2])) {
		struct heap_item tmp = h->items[i];

		h->items[i] = h->items[(i - 1) / 2];
		h->items[(i - 1) / 2] = tmp;
		i = (i - 1) / 2;
	}
	return 0;
}

static uint32_t heap_pop(struct heap *h)
{
	uint32_t top = h->items[0].node;
	size_t i = 0;

	h->items[0] = h->items[--h->count];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct heap_item tmp;

		if (l < h->count && heap_before(&h->items[l], &h->items[m]))
			m = l;
		if (r < h->count && heap_before(&h->items[r], &h->items[m]))
			m = r;
		if (m == i)
			break;
		tmp = h->items[i];
		h->items[i] = h->items[m];
		h->items[m] = tmp;
		i = m;
	}
	return top;
}

#define DESCRIBE_SEEN 1u
#define MAX_CANDIDATES 10

struct candidate {
	int32_t tag;
	unsigned depth;
	unsigned flag_within;
	unsigned found_order;
};

static int candidate_cmp(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	return x->found_order < y->found_order ? -1 : 1;
}

/*
 * The tag `git describe --tags --abbrev=0 --match P... <node>` prints, as a
 * port of describe.c's describe_commit(): a date-ordered walk collecting up
 * to ten candidate tags, each with the number of commits it does not
 * reach, the smallest depth winning. -1 when no tag describes the node.
 */
static int describe_node(struct census *c, uint32_t start, uint32_t *flags,
			 fm_dag_list *touched, int32_t *out)
{
	struct candidate m[MAX_CANDIDATES];
	struct heap h = {0};
	unsigned match_cnt = 0, annotated_cnt = 0, seen = 0, i;
	int rc = 0;

	*out = c->name_of[start];
	if (*out >= 0)
		return 0;
	flags[start] = DESCRIBE_SEEN;
	if (fm_dag_list_push(touched, start) < 0 ||
	    heap_push(&h, c->g.nodes[start].time, start) < 0)
		goto oom;
	while (h.count) {
		uint32_t n = heap_pop(&h), j;
		const uint32_t *par = fm_dag_parents(&c->g, n);
		int32_t name = c->name_of[n];

		seen++;
		if (name >= 0) {
			if (match_cnt < MAX_CANDIDATES) {
				struct candidate *t = &m[match_cnt++];

				t->tag = name;
				t->depth = seen - 1;
				t->flag_within = 1u << match_cnt;
				t->found_order = match_cnt;
				flags[n] |= t->flag_within;
				if (c->tags[name].annotated)
					annotated_cnt++;
			} else {
				break; /* gave up: the best is known */
			}
		}
		for (i = 0; i < match_cnt; i++)
			if (!(flags[n] & m[i].flag_within))
				m[i].depth++;
		if (annotated_cnt && !h.count) {
			unsigned best_depth = (unsigned)-1, best_within = 0;

			for (i = 0; i < match_cnt; i++) {
				if (m[i].depth < best_depth) {
					best_depth = m[i].depth;
					best_within = m[i].flag_within;
				} else if (m[i].depth == best_depth) {
					best_within |= m[i].flag_within;
				}
			}
			if ((flags[n] & best_within) == best_within)
				break;
		}
		for (j = 0; j < c->g.nodes[n].npar; j++) {
			uint32_t p = par[j];

			if (!(flags[p] & DESCRIBE_SEEN)) {
				if (heap_push(&h, c->g.nodes[p].time, p) < 0)
					goto oom;
				if (!flags[p] &&
				    fm_dag_list_push(touched, p) < 0)
					goto oom;
			}
			flags[p] |= flags[n];
		}
	}
	if (match_cnt) {
		qsort(m, match_cnt, sizeof(m[0]), candidate_cmp);
		*out = m[0].tag;
	}
	goto done;
oom:
	rc = -1;
done:
	for (i = 0; i < touched->count; i++)
		flags[touched->items[i]] = 0;
	touched->count = 0;
	free(h.items);
	return rc;
}

/* Is `ancestor` reachable from `from` (or equal)? Pruned by generation. */
static int reaches(struct census *c, fm_dag_marks *marks, fm_dag_list *stack,
		   uint32_t from, uint32_t ancestor)
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

/* --- walks per fork ----------------------------------------------------- */

/*
 * Everything that needs only the graph: ahead (U..F), ahead_first_parent,
 * the merge base, behind (F..U), and the two commit lists whose patch ids
 * decide `unique`.
 */
static int walk_fork(struct census *c, struct fork_work *w, fm_dag_marks *seen,
		     fm_dag_marks *common, fm_dag_list *stack,
		     fm_dag_list *boundary)
{
	const fm_dag *g = &c->g;
	uint32_t n, j, best = FM_DAG_NONE;
	size_t i, common_count = 0;
	long ahead = 0, fp = 0;

	fm_dag_marks_next(seen);
	stack->count = boundary->count = 0;
	if (fm_dag_list_push(stack, w->head) < 0)
		return oom(c);
	seen->mark[w->head] = seen->stamp;
	/* U..F: stop at commits upstream reaches; those are the boundary. */
	while (stack->count) {
		const uint32_t *par;

		n = stack->items[--stack->count];
		if (c->in_u[n]) {
			if (fm_dag_list_push(boundary, n) < 0)
				return oom(c);
			continue;
		}
		if (g->nodes[n].state != FM_DAG_LOADED) {
			row_fail_missing(c, w, n);
			return 0;
		}
		ahead++;
		if (g->nodes[n].npar <= 1 && fm_dag_list_push(&w->mine, n) < 0)
			return oom(c);
		par = fm_dag_parents(g, n);
		for (j = 0; j < g->nodes[n].npar; j++) {
			if (seen->mark[par[j]] == seen->stamp)
				continue;
			seen->mark[par[j]] = seen->stamp;
			if (fm_dag_list_push(stack, par[j]) < 0)
				return oom(c);
		}
	}
	w->row->ahead = ahead;
	for (n = w->head; n != FM_DAG_NONE && !c->in_u[n];) {
		fp++;
		n = g->nodes[n].npar ? fm_dag_parents(g, n)[0] : FM_DAG_NONE;
	}
	w->row->ahead_first_parent = fp;
	if (!boundary->count) {
		row_fail(w, "no common history with upstream branch '%s'",
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
	for (i = 0; i < boundary->count; i++) {
		const uint32_t *par = fm_dag_parents(g, boundary->items[i]);

		for (j = 0; j < g->nodes[boundary->items[i]].npar; j++) {
			if (common->mark[par[j]] == common->stamp)
				continue;
			common->mark[par[j]] = common->stamp;
			common_count++;
			if (fm_dag_list_push(stack, par[j]) < 0)
				return oom(c);
		}
	}
	while (stack->count) {
		const uint32_t *par;

		n = stack->items[--stack->count];
		if (g->nodes[n].state != FM_DAG_LOADED) {
			row_fail_missing(c, w, n);
			return 0;
		}
		par = fm_dag_parents(g, n);
		for (j = 0; j < g->nodes[n].npar; j++) {
			if (common->mark[par[j]] == common->stamp)
				continue;
			common->mark[par[j]] = common->stamp;
			common_count++;
			if (fm_dag_list_push(stack, par[j]) < 0)
				return oom(c);
		}
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
			return oom(c);
	}
	return 0;
}

/* --- patch ids, on all cores -------------------------------------------- */

static const git_oid *parent_tree(const struct census *c, uint32_t n)
{
	const fm_dag_node *node = &c->g.nodes[n];

	return node->npar ? &c->g.nodes[fm_dag_parents(&c->g, n)[0]].tree
			  : NULL;
}

static int compute_header(git_repository *repo, size_t i, void *payload)
{
	struct census *c = payload;
	uint32_t n = c->wanted.items[i];
	const fm_dag_node *node = &c->g.nodes[n];

	if (node->state != FM_DAG_LOADED ||
	    (node->npar &&
	     c->g.nodes[fm_dag_parents(&c->g, n)[0]].state != FM_DAG_LOADED) ||
	    fm_patch_header_id(repo, parent_tree(c, n), &node->tree,
			       &c->header[n]) < 0)
		c->header_state[n] = PID_FAILED;
	else
		c->header_state[n] = PID_DONE;
	return 0;
}

static int compute_full(git_repository *repo, size_t i, void *payload)
{
	struct census *c = payload;
	uint32_t n = c->wanted.items[i];

	if (fm_patch_full_id(repo, parent_tree(c, n), &c->g.nodes[n].tree,
			     &c->full[n]) < 0)
		c->full_state[n] = PID_FAILED;
	else
		c->full_state[n] = PID_DONE;
	return 0;
}

/*
 * Compute the ids of c->wanted on worker processes; whatever a worker left
 * undone (it died) is done here, so a crash costs time, not correctness.
 */
static int run_ids(struct census *c, fm_parallel_fn fn, uint8_t *state)
{
	git_repository *git = c->git;
	size_t i;
	int rc;

	rc = fm_parallel_run_procs(c->ctx, fm_repo_path(c->repo),
				   c->wanted.count, fn, c);
	if (rc < 0)
		return rc;
	for (i = 0; i < c->wanted.count; i++)
		if (state[c->wanted.items[i]] == PID_WANTED)
			fn(git, i, c);
	return 0;
}

static int want(struct census *c, uint8_t *state, const fm_dag_list *l)
{
	size_t i;

	for (i = 0; i < l->count; i++) {
		uint32_t n = l->items[i];

		if (state[n] != PID_NONE)
			continue;
		state[n] = PID_WANTED;
		if (fm_dag_list_push(&c->wanted, n) < 0)
			return oom(c);
	}
	return 0;
}

/* A set of 64-bit keys (open addressing; 0 is stored out of band). */
struct idset {
	uint64_t *slots;
	size_t mask;
	int has_zero;
};

static int idset_init(struct idset *s, size_t n)
{
	size_t size = 16;

	while (size < n * 2)
		size *= 2;
	s->slots = calloc(size, sizeof(*s->slots));
	s->mask = size - 1;
	s->has_zero = 0;
	return s->slots ? 0 : -1;
}

static void idset_add(struct idset *s, uint64_t k)
{
	size_t i;

	if (!k) {
		s->has_zero = 1;
		return;
	}
	for (i = (size_t)(k * 0x9e3779b97f4a7c15ULL) & s->mask; s->slots[i];
	     i = (i + 1) & s->mask)
		if (s->slots[i] == k)
			return;
	s->slots[i] = k;
}

static int idset_has(const struct idset *s, uint64_t k)
{
	size_t i;

	if (!k)
		return s->has_zero;
	for (i = (size_t)(k * 0x9e3779b97f4a7c15ULL) & s->mask; s->slots[i];
	     i = (i + 1) & s->mask)
		if (s->slots[i] == k)
			return 1;
	return 0;
}

static uint64_t full_key(const git_oid *oid)
{
	uint64_t k;

	memcpy(&k, oid->id, sizeof(k));
	return k;
}

/* The first failed commit of a list, or FM_DAG_NONE. */
static uint32_t first_failed(const uint8_t *state, const fm_dag_list *l)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		if (state[l->items[i]] == PID_FAILED)
			return l->items[i];
	return FM_DAG_NONE;
}

static void fail_patch_id(struct census *c, struct fork_work *w, uint32_t n)
{
	char hex[GIT_OID_HEXSZ + 1];

	hex_of(hex, fm_dag_oid(&c->g, n));
	row_fail(w, "cannot compute the patch id of commit %s: %s", hex,
		 "a tree or blob is missing from the object store");
}

/*
 * One cached value. A store that cannot be read is only a cache miss: its
 * message must not linger on the context as the census's error.
 */
static int cache_get(struct census *c, const char *table, const char *key,
		     int64_t *value)
{
	int rc = fm_store_cache_get(c->ctx, c->opts->cache, table, key, value);

	if (rc < 0 && rc != FM_ENOTFOUND)
		fm_ctx_clear_error(c->ctx);
	return rc;
}

/*
 * The store keeps patch ids from earlier runs: a nightly census computes
 * only those of commits new since. Lookups drop hits from c->wanted.
 */
static void cache_lookup(struct census *c, const char *table, int full)
{
	uint8_t *state = full ? c->full_state : c->header_state;
	size_t i, kept = 0;

	if (!c->opts->cache)
		return;
	for (i = 0; i < c->wanted.count; i++) {
		uint32_t n = c->wanted.items[i];
		char hex[GIT_OID_HEXSZ + 1];
		int64_t v;

		hex_of(hex, fm_dag_oid(&c->g, n));
		if (cache_get(c, table, hex, &v) < 0) {
			c->wanted.items[kept++] = n;
			continue;
		}
		if (full) {
			memset(&c->full[n], 0, sizeof(c->full[n]));
			memcpy(c->full[n].id, &v, sizeof(v));
		} else {
			c->header[n] = (uint64_t)v;
		}
		state[n] = PID_DONE;
	}
	c->wanted.count = kept;
}

/* Keep what was computed; a cache that cannot be written is no failure. */
static void cache_save(struct census *c, const char *table, int full)
{
	uint8_t *state = full ? c->full_state : c->header_state;
	fm_store *store = c->opts->cache;
	size_t i;
	int rc = 0;

	if (!store || !c->wanted.count)
		return;
	rc = fm_store_begin(c->ctx, store);
	for (i = 0; rc == 0 && i < c->wanted.count; i++) {
		uint32_t n = c->wanted.items[i];
		char hex[GIT_OID_HEXSZ + 1];
		int64_t v;

		if (state[n] != PID_DONE)
			continue;
		hex_of(hex, fm_dag_oid(&c->g, n));
		if (full)
			memcpy(&v, c->full[n].id, sizeof(v));
		else
			v = (int64_t)c->header[n];
		rc = fm_store_cache_put(c->ctx, store, table, hex, v);
	}
	if (rc == 0)
		rc = fm_store_commit(c->ctx, store);
	if (rc < 0) {
		fm_store_rollback(store);
		fm_log(c->ctx, FM_LOG_WARN, "cannot cache patch ids: %s",
		       fm_ctx_errmsg(c->ctx));
		fm_ctx_clear_error(c->ctx);
	}
}

/*
 * Header ids of both sides of every fork in one parallel pass; then, per
 * fork, the upstream commits whose header id collides with one of the
 * fork's, which alone need a full id (second parallel pass).
 */
static int compute_unique(struct census *c)
{
	size_t i, k;
	int rc;

	c->wanted.count = 0;
	for (i = 0; i < c->nwork; i++) {
		struct fork_work *w = &c->work[i];

		if (w->measure &&
		    ((rc = want(c, c->header_state, &w->mine)) < 0 ||
		     (rc = want(c, c->header_state, &w->theirs)) < 0))
			return rc;
	}
	c->progress.phase = "measuring";
	c->progress.current = "patch ids";
	fm_progress_report(c->ctx, &c->progress);
	cache_lookup(c, "patch_headers", 0);
	fm_log(c->ctx, FM_LOG_DEBUG, "census: %zu header ids to compute",
	       c->wanted.count);
	if ((rc = run_ids(c, compute_header, c->header_state)) < 0)
		return rc;
	cache_save(c, "patch_headers", 0);

	c->wanted.count = 0;
	for (i = 0; i < c->nwork; i++) {
		struct fork_work *w = &c->work[i];
		struct idset mine;
		uint32_t bad;
		size_t kept = 0;

		if (!w->measure)
			continue;
		if ((bad = first_failed(c->header_state, &w->mine)) !=
			    FM_DAG_NONE ||
		    (bad = first_failed(c->header_state, &w->theirs)) !=
			    FM_DAG_NONE) {
			fail_patch_id(c, w, bad);
			continue;
		}
		if (idset_init(&mine, w->mine.count) < 0)
			return oom(c);
		for (k = 0; k < w->mine.count; k++)
			idset_add(&mine, c->header[w->mine.items[k]]);
		/* Keep only upstream commits that may match a fork commit. */
		for (k = 0; k < w->theirs.count; k++)
			if (idset_has(&mine, c->header[w->theirs.items[k]]))
				w->theirs.items[kept++] = w->theirs.items[k];
		w->theirs.count = kept;
		free(mine.slots);
		if ((rc = want(c, c->full_state, &w->theirs)) < 0)
			return rc;
	}
	/* Fork commits whose header collides need a full id too. */
	for (i = 0; i < c->nwork; i++) {
		struct fork_work *w = &c->work[i];
		struct idset theirs;

		if (!w->measure)
			continue;
		if (idset_init(&theirs, w->theirs.count) < 0)
			return oom(c);
		for (k = 0; k < w->theirs.count; k++)
			idset_add(&theirs, c->header[w->theirs.items[k]]);
		for (k = 0; k < w->mine.count; k++) {
			uint32_t n = w->mine.items[k];

			if (idset_has(&theirs, c->header[n]) &&
			    c->full_state[n] == PID_NONE) {
				c->full_state[n] = PID_WANTED;
				if (fm_dag_list_push(&c->wanted, n) < 0) {
					free(theirs.slots);
					return oom(c);
				}
			}
		}
		free(theirs.slots);
	}
	cache_lookup(c, "patch_ids", 1);
	fm_log(c->ctx, FM_LOG_DEBUG, "census: %zu full ids to compute",
	       c->wanted.count);
	if ((rc = run_ids(c, compute_full, c->full_state)) < 0)
		return rc;
	cache_save(c, "patch_ids", 1);

	for (i = 0; i < c->nwork; i++) {
		struct fork_work *w = &c->work[i];
		struct idset theirs;
		long unique = 0;
		uint32_t bad;

		if (!w->measure)
			continue;
		if ((bad = first_failed(c->full_state, &w->theirs)) !=
		    FM_DAG_NONE) {
			fail_patch_id(c, w, bad);
			continue;
		}
		if (idset_init(&theirs, w->theirs.count) < 0)
			return oom(c);
		for (k = 0; k < w->theirs.count; k++)
			idset_add(&theirs,
				  full_key(&c->full[w->theirs.items[k]]));
		for (k = 0; k < w->mine.count; k++) {
			uint32_t n = w->mine.items[k];

			if (c->full_state[n] == PID_FAILED) {
				bad = n;
				break;
			}
			if (c->full_state[n] != PID_DONE ||
			    !idset_has(&theirs, full_key(&c->full[n])))
				unique++;
		}
		free(theirs.slots);
		if (bad != FM_DAG_NONE) {
			fail_patch_id(c, w, bad);
			continue;
		}
		w->row->unique = unique;
	}
	return 0;
}

/* --- line deltas, base tags, release nodes ------------------------------ */

/*
 * Line counts, on worker processes: one job per measured fork (MB -> F)
 * and one per release node and the upstream tip (empty tree -> tree).
 * Results go to shared memory; a failed job is redone here, where the
 * libgit2 message for the fork's row can be read.
 */
struct stat_job {
	const git_oid *old_tree; /* NULL: count the whole new tree */
	const git_oid *new_tree;
	struct fork_work *work; /* the fork, or NULL */
	long *lines;		/* where a tree's count goes, or NULL */
};

struct stat_result {
	long files, insertions, deletions;
	uint8_t state;
};

struct stat_pass {
	struct census *c;
	struct stat_job *jobs;
	struct stat_result *res;
};

static int run_stat_job(git_repository *repo, size_t i, void *payload)
{
	struct stat_pass *sp = payload;
	struct stat_result *r = &sp->res[i];

	if (r->state == PID_DONE) /* known from the store */
		return 0;
	r->state = fm_tree_diff_stats(repo, sp->c->lines, sp->jobs[i].old_tree,
				      sp->jobs[i].new_tree, &r->files,
				      &r->insertions, &r->deletions) < 0
			   ? PID_FAILED
			   : PID_DONE;
	return 0;
}

#define EMPTY_TREE "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

/* "OLD..NEW:" + what: the store's key for one number of a tree diff. */
static void stats_key(char *buf, size_t size, const struct stat_job *job,
		      char what)
{
	char a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1];

	if (job->old_tree)
		hex_of(a, job->old_tree);
	else
		memcpy(a, EMPTY_TREE, sizeof(a));
	hex_of(b, job->new_tree);
	snprintf(buf, size, "%s..%s:%c", a, b, what);
}

/* Diffs an earlier run counted: trees do not change, neither do counts. */
static void stats_lookup(struct census *c, const struct stat_job *jobs,
			 struct stat_result *res, size_t n)
{
	char key[100];
	size_t i;

	for (i = 0; c->opts->cache && i < n; i++) {
		int64_t v[3];
		int k, hit = 1;

		for (k = 0; k < 3 && hit; k++) {
			stats_key(key, sizeof(key), &jobs[i], "fid"[k]);
			hit = cache_get(c, "diff_stats", key, &v[k]) == 0;
		}
		if (!hit)
			continue;
		res[i].files = (long)v[0];
		res[i].insertions = (long)v[1];
		res[i].deletions = (long)v[2];
		res[i].state = PID_DONE;
	}
}

static void stats_save(struct census *c, const struct stat_job *jobs,
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

		if (known[i] || res[i].state != PID_DONE)
			continue;
		for (k = 0; rc == 0 && k < 3; k++) {
			stats_key(key, sizeof(key), &jobs[i], "fid"[k]);
			rc = fm_store_cache_put(c->ctx, store, "diff_stats",
						key, v[k]);
		}
	}
	if (rc == 0)
		rc = fm_store_commit(c->ctx, store);
	if (rc < 0) {
		fm_store_rollback(store);
		fm_log(c->ctx, FM_LOG_WARN, "cannot cache line counts: %s",
		       fm_ctx_errmsg(c->ctx));
		fm_ctx_clear_error(c->ctx);
	}
}

static int compute_stats(struct census *c, fm_census *out)
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
		return oom(c);
	}
	for (i = 0; i < c->nwork; i++) {
		struct fork_work *w = &c->work[i];

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
		known[i] = res[i].state == PID_DONE;
	rc = fm_parallel_run_procs(c->ctx, fm_repo_path(c->repo), n,
				   run_stat_job, &sp);
	if (rc == 0)
		stats_save(c, jobs, res, known, n);
	for (i = 0; rc == 0 && i < n; i++) {
		struct fork_work *w = jobs[i].work;

		if (res[i].state != PID_DONE)
			run_stat_job(c->git, i,
				     &sp); /* again, for the message */
		if (jobs[i].lines) {
			*jobs[i].lines = res[i].state == PID_DONE
						 ? res[i].insertions
						 : -1;
		} else if (res[i].state == PID_DONE) {
			w->row->files = res[i].files;
			w->row->insertions = res[i].insertions;
			w->row->deletions = res[i].deletions;
		} else {
			hex_of(a, fm_dag_oid(&c->g, w->mb));
			hex_of(b, fm_dag_oid(&c->g, w->head));
			snprintf(what, sizeof(what), "cannot diff %.12s..%.12s",
				 a, b);
			row_fail_git(w, what);
		}
	}
	free(jobs);
	free(known);
	fm_shared_free(res, max, sizeof(*res));
	return rc;
}

static int set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = xstrdup(s);
	return *dst ? 0 : -1;
}

/* base_tag, base_date and release of every measured fork. */
static int compute_bases(struct census *c)
{
	uint32_t *flags = calloc(c->g.count ? c->g.count : 1, sizeof(*flags));
	fm_dag_list touched = {0}, stack = {0};
	fm_dag_marks marks = {0};
	size_t i, k;
	int rc = 0;

	if (!flags || fm_dag_marks_init(&marks, &c->g) < 0)
		goto oom;
	for (i = 0; i < c->nwork; i++) {
		struct fork_work *w = &c->work[i];
		int32_t tag;
		const char *release = "";

		if (!w->measure)
			continue;
		if (describe_node(c, w->mb, flags, &touched, &tag) < 0)
			goto oom;
		if (tag >= 0) {
			const struct tag *t = &c->tags[tag];

			if (set_str(&w->row->base_tag, t->name) < 0)
				goto oom;
			if (t->node != FM_DAG_NONE)
				w->row->base_date =
					date_of(&c->g.nodes[t->node]);
			if (t->release)
				release = t->name;
		}
		for (k = 0; !*release && k < c->nreleases; k++) {
			const struct tag *t = &c->tags[c->release_order[k]];
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
	rc = oom(c);
done:
	free(flags);
	fm_dag_list_clear(&touched);
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

/* One release node per distinct release of the rows, with fm_tree_lines. */
static int collect_releases(struct census *c, fm_census *out)
{
	size_t i, k;

	out->releases = calloc(c->nwork ? c->nwork : 1, sizeof(fm_release));
	if (!out->releases)
		return oom(c);
	for (i = 0; i < c->nwork; i++) {
		const char *name = c->work[i].row->release;
		const struct tag *t = NULL;
		fm_release *r;

		if (!name || !*name)
			continue;
		for (k = 0; k < out->nreleases; k++)
			if (!strcmp(out->releases[k].tag, name))
				break;
		if (k < out->nreleases)
			continue;
		for (k = 0; k < c->ntags && !t; k++)
			if (!strcmp(c->tags[k].name, name))
				t = &c->tags[k];
		if (!t || t->node == FM_DAG_NONE)
			continue;
		r = &out->releases[out->nreleases];
		if (!(r->tag = strdup(name)))
			return oom(c);
		hex_of(r->commit, &t->commit);
		r->date = date_of(&c->g.nodes[t->node]);
		r->tree_lines = -1; /* compute_stats counts it */
		out->nreleases++;
	}
	qsort(out->releases, out->nreleases, sizeof(fm_release),
	      release_date_cmp);
	return 0;
}

/* --- the census --------------------------------------------------------- */

static int init_rows(struct census *c, const fm_fork_list *list, fm_census *out)
{
	size_t i;
	int rc;

	out->rows = calloc(list->count ? list->count : 1, sizeof(fm_row));
	c->work = calloc(list->count ? list->count : 1, sizeof(*c->work));
	if (!out->rows || !c->work)
		return oom(c);
	out->nrows = c->nwork = list->count;
	for (i = 0; i < list->count; i++) {
		const fm_fork *f = &list->items[i];
		fm_row *row = &out->rows[i];
		struct fork_work *w = &c->work[i];

		w->row = row;
		w->head = w->mb = FM_DAG_NONE;
		w->measure = 1;
		row->source = f->source;
		row->stars = f->stars;
		row->ahead = row->behind = row->ahead_first_parent = -1;
		row->unique = row->files = row->insertions = row->deletions =
			-1;
		if (!(row->name = xstrdup(f->name)) ||
		    !(row->branch = xstrdup(f->branch)) ||
		    !(row->ref = xstrdup(f->ref)) ||
		    !(row->base_tag = xstrdup("")) ||
		    !(row->release = xstrdup("")))
			return oom(c);
		if (f->error) {
			if (!(row->error = strdup(f->error)))
				return oom(c);
			w->measure = 0;
		} else if ((rc = skip_by_name(c, row)) != 0) {
			if (rc < 0)
				return oom(c);
			w->measure = 0;
		}
	}
	return 0;
}

/* Resolve fork heads; collect the roots of the graph to load. */
static int resolve_heads(struct census *c, git_oid **roots, size_t *nroots,
			 size_t **root_of)
{
	size_t i, n = 0;

	*roots = calloc(1 + c->nwork + c->ntags, sizeof(git_oid));
	*root_of = calloc(c->nwork ? c->nwork : 1, sizeof(size_t));
	if (!*roots || !*root_of)
		return oom(c);
	if (resolve_commit(c->git, c->opts->branch, &(*roots)[n++]) < 0)
		return fm_git_error(c->ctx, FM_ENOTFOUND, GIT_ENOTFOUND, "");
	for (i = 0; i < c->nwork; i++) {
		struct fork_work *w = &c->work[i];
		char what[512];

		if (!w->measure)
			continue;
		if (resolve_commit(c->git, w->row->ref, &(*roots)[n]) < 0) {
			snprintf(what, sizeof(what), "cannot resolve '%s'",
				 w->row->ref);
			row_fail_git(w, what);
			continue;
		}
		hex_of(w->row->head, &(*roots)[n]);
		(*root_of)[i] = n++;
	}
	for (i = 0; i < c->ntags; i++)
		git_oid_cpy(&(*roots)[n++], &c->tags[i].commit);
	*nroots = n;
	return 0;
}

static int mark_upstream(struct census *c)
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
	return oom(c);
}

static int measure(struct census *c, const fm_fork_list *list, fm_census *out)
{
	git_oid *roots = NULL;
	size_t *root_of = NULL, nroots = 0, i;
	uint32_t *root_nodes = NULL;
	fm_dag_marks seen = {0}, common = {0};
	fm_dag_list stack = {0}, boundary = {0};
	char hex[GIT_OID_HEXSZ + 1];
	double t0 = mono();
	int rc;

	if ((rc = init_rows(c, list, out)) < 0)
		goto done;
	if ((rc = git_tag_foreach(c->git, collect_tag, c)) < 0) {
		rc = c->tags_oom ? oom(c)
				 : fm_git_error(c->ctx, FM_EREPO, rc,
						"cannot list tags");
		goto done;
	}
	if ((rc = resolve_heads(c, &roots, &nroots, &root_of)) < 0) {
		if (rc != FM_ENOTFOUND)
			goto done;
		fm_ctx_clear_error(c->ctx);
		rc = fm_error_set(c->ctx, FM_ENOTFOUND,
				  "upstream branch '%s' not found in '%s'",
				  c->opts->branch, fm_repo_path(c->repo));
		goto done;
	}
	c->progress.phase = "measuring";
	c->progress.forks_total = c->nwork;
	c->progress.current = "loading commits";
	fm_progress_report(c->ctx, &c->progress);
	root_nodes = calloc(nroots, sizeof(*root_nodes));
	if (!root_nodes) {
		rc = oom(c);
		goto done;
	}
	if ((rc = fm_dag_load(c->ctx, &c->g, c->git, roots, nroots,
			      root_nodes)) < 0)
		goto done;
	fm_log(c->ctx, FM_LOG_DEBUG, "census: %u commits, %zu tags", c->g.count,
	       c->ntags);
	phase_done(c, "loading the commit graph", &t0);
	c->upstream = root_nodes[0];
	if (c->g.nodes[c->upstream].state != FM_DAG_LOADED) {
		hex_of(hex, &roots[0]);
		rc = fm_error_set(c->ctx, FM_EREPO,
				  "upstream commit %s cannot be read", hex);
		goto done;
	}
	for (i = 0; i < c->nwork; i++)
		if (c->work[i].measure)
			c->work[i].head = root_nodes[root_of[i]];
	if ((rc = index_tags(c)) < 0 || (rc = mark_upstream(c)) < 0)
		goto done;
	/* Written by worker processes: shared memory. */
	c->header = fm_shared_calloc(c->g.count, sizeof(*c->header));
	c->full = fm_shared_calloc(c->g.count, sizeof(*c->full));
	c->header_state = fm_shared_calloc(c->g.count, 1);
	c->full_state = fm_shared_calloc(c->g.count, 1);
	if (!c->header || !c->full || !c->header_state || !c->full_state ||
	    fm_dag_marks_init(&seen, &c->g) < 0 ||
	    fm_dag_marks_init(&common, &c->g) < 0) {
		rc = oom(c);
		goto done;
	}
	c->progress.current = "walking history";
	fm_progress_report(c->ctx, &c->progress);
	for (i = 0; i < c->nwork; i++) {
		struct fork_work *w = &c->work[i];

		if (!w->measure)
			continue;
		if (fm_ctx_interrupted(c->ctx)) {
			rc = fm_error_set(c->ctx, FM_EINTERRUPTED,
					  "interrupted");
			goto done;
		}
		if ((rc = walk_fork(c, w, &seen, &common, &stack, &boundary)) <
		    0)
			goto done;
		if (w->measure && w->row->ahead == 0 && !c->opts->keep_empty) {
			if (!(w->row->skipped = strdup("ahead == 0"))) {
				rc = oom(c);
				goto done;
			}
			w->measure = 0;
		}
	}
	phase_done(c, "walks", &t0);
	if ((rc = compute_unique(c)) < 0)
		goto done;
	phase_done(c, "patch ids", &t0);
	if ((rc = compute_bases(c)) < 0 || (rc = collect_releases(c, out)) < 0)
		goto done;
	phase_done(c, "base tags and releases", &t0);
	c->progress.current = "line deltas";
	fm_progress_report(c->ctx, &c->progress);
	if ((rc = compute_stats(c, out)) < 0)
		goto done;
	phase_done(c, "line deltas and tree sizes", &t0);
	for (i = 0; i < c->nwork; i++) {
		struct fork_work *w = &c->work[i];

		if (w->oom) { /* a row without its error would read measured */
			rc = oom(c);
			goto done;
		}
		if (!w->measure)
			continue;
		hex_of(w->row->merge_base, fm_dag_oid(&c->g, w->mb));
		w->row->head_date = date_of(&c->g.nodes[w->head]);
		w->row->merge_base_date = date_of(&c->g.nodes[w->mb]);
		c->progress.forks_measured++;
	}
	hex_of(out->head, fm_dag_oid(&c->g, c->upstream));
	out->head_date = date_of(&c->g.nodes[c->upstream]);
	fm_progress_report(c->ctx, &c->progress);
done:
	free(roots);
	free(root_of);
	free(root_nodes);
	fm_dag_marks_clear(&seen);
	fm_dag_marks_clear(&common);
	fm_dag_list_clear(&stack);
	fm_dag_list_clear(&boundary);
	return rc;
}

static void census_clear(struct census *c)
{
	size_t i;

	for (i = 0; i < c->ntags; i++)
		free(c->tags[i].name);
	free(c->tags);
	for (i = 0; i < c->nwork; i++) {
		fm_dag_list_clear(&c->work[i].mine);
		fm_dag_list_clear(&c->work[i].theirs);
	}
	free(c->work);
	free(c->name_of);
	free(c->release_order);
	free(c->in_u);
	fm_dag_list_clear(&c->u_nodes);
	fm_dag_list_clear(&c->wanted);
	fm_shared_free(c->header, c->g.count, sizeof(*c->header));
	fm_shared_free(c->full, c->g.count, sizeof(*c->full));
	fm_shared_free(c->header_state, c->g.count, 1);
	fm_shared_free(c->full_state, c->g.count, 1);
	fm_line_cache_free(c->lines);
	fm_release_re_free(c->release_re);
	fm_dag_clear(&c->g);
}

static char *default_name(fm_repo *repo)
{
	char *path = strdup(fm_repo_path(repo)), *end, *base, *name;
	size_t len;

	if (!path)
		return NULL;
	len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		path[--len] = '\0';
	if (len > 5 && !strcmp(path + len - 5, "/.git")) /* work tree */
		path[len -= 5] = '\0';
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	end = base + strlen(base);
	if (end - base > 4 && !strcmp(end - 4, ".git"))
		end[-4] = '\0';
	name = strdup(base);
	free(path);
	return name;
}

int fm_census_measure(fm_ctx *ctx, fm_repo *repo, const fm_census_opts *opts,
		      const fm_fork_list *list, fm_census **out)
{
	fm_census_opts o = *opts;
	struct census c;
	fm_census *census;
	char *branch = NULL;
	int rc;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	census = calloc(1, sizeof(*census));
	if (!census)
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	census->started = fm_ctx_now(ctx);
	c.ctx = ctx;
	c.repo = repo;
	c.git = fm_repo_git(repo);
	c.opts = &o;
	fm_dag_init(&c.g);
	c.describe = o.describe ? o.describe : default_describe;
	c.ndescribe = o.describe ? o.ndescribe : 2;
	c.skip = o.skip ? o.skip : default_skip;
	c.nskip = o.skip ? o.nskip : 2;
	c.progress.remaining = -1;
	if (!o.branch) {
		if ((rc = fm_repo_head_branch(ctx, repo, &branch)) < 0)
			goto done;
		o.branch = branch;
	}
	if ((rc = fm_release_re_new(
		     ctx, o.release ? o.release : FM_DEFAULT_RELEASE_REGEX,
		     &c.release_re)) < 0)
		goto done;
	if (!(c.lines = fm_line_cache_new())) {
		rc = oom(&c);
		goto done;
	}
	census->branch = strdup(o.branch);
	census->upstream = o.upstream ? strdup(o.upstream) : default_name(repo);
	if (!census->branch || !census->upstream) {
		rc = oom(&c);
		goto done;
	}
	if ((rc = measure(&c, list, census)) < 0)
		goto done;
	census->finished = fm_ctx_now(ctx);
done:
	census_clear(&c);
	free(branch);
	if (rc < 0) {
		fm_census_free(census);
		return rc;
	}
	*out = census;
	return 0;
}
