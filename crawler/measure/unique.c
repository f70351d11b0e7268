/*
 * unique and patches: the patch-id pass, on all cores. Header ids
 * (paths and modes, no blob read) for both sides of every fork in one
 * parallel pass over worker processes, full ids only where header ids
 * collide, both kept in the store so a nightly run computes only new
 * commits. This is git cherry's algorithm, run for all forks at once.
 */
#include <string.h>

#include <forkmap/runs.h>

#include "core/parallel.h"
#include "measure/measure.h"
#include "measure/patchid.h"
#include "store/cache.h"

static int compute_header(git_repository *repo, size_t i, void *payload)
{
	struct fm_measure *c = payload;
	uint32_t n = c->wanted.items[i];
	const fm_dag_node *node = &c->g.nodes[n];

	if (node->state != FM_DAG_LOADED ||
	    (node->npar &&
	     c->g.nodes[fm_dag_parents(&c->g, n)[0]].state != FM_DAG_LOADED) ||
	    fm_patch_header_id(repo, fm_measure_parent_tree(c, n), &node->tree,
			       &c->header[n]) < 0)
		c->header_state[n] = FM_PID_FAILED;
	else
		c->header_state[n] = FM_PID_DONE;
	return 0;
}

static int compute_full(git_repository *repo, size_t i, void *payload)
{
	struct fm_measure *c = payload;
	uint32_t n = c->wanted.items[i];

	if (fm_patch_full_id(repo, fm_measure_parent_tree(c, n),
			     &c->g.nodes[n].tree, &c->full[n]) < 0)
		c->full_state[n] = FM_PID_FAILED;
	else
		c->full_state[n] = FM_PID_DONE;
	return 0;
}

/*
 * Compute the ids of c->wanted on worker processes; whatever a worker left
 * undone (it died) is done here, so a crash costs time, not correctness.
 */
static int run_ids(struct fm_measure *c, fm_parallel_fn fn, uint8_t *state,
		   const char *step)
{
	git_repository *git = c->git;
	size_t i;
	int rc;

	c->ids_computed += c->wanted.count;
	c->progress.step = step;
	c->progress.unit = "commits";
	rc = fm_parallel_run_procs_report(c->ctx, fm_repo_path(c->repo),
					  c->wanted.count, fn, c, &c->progress);
	c->progress.step = c->progress.unit = NULL;
	if (rc < 0)
		return rc;
	for (i = 0; i < c->wanted.count; i++)
		if (state[c->wanted.items[i]] == FM_PID_WANTED)
			fn(git, i, c);
	return 0;
}

static int want(struct fm_measure *c, uint8_t *state, const fm_dag_list *l)
{
	size_t i;

	for (i = 0; i < l->count; i++) {
		uint32_t n = l->items[i];

		if (state[n] != FM_PID_NONE)
			continue;
		state[n] = FM_PID_WANTED;
		if (fm_dag_list_push(&c->wanted, n) < 0)
			return fm_measure_oom(c);
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

/* The header ids (full: the full ids) of the commits of l, as a set. */
static int idset_of(struct idset *s, const struct fm_measure *c,
		    const fm_dag_list *l, int full)
{
	size_t k;

	if (idset_init(s, l->count) < 0)
		return -1;
	for (k = 0; k < l->count; k++)
		idset_add(s, full ? full_key(&c->full[l->items[k]])
				  : c->header[l->items[k]]);
	return 0;
}

/* The first failed commit of a list, or FM_DAG_NONE. */
static uint32_t first_failed(const uint8_t *state, const fm_dag_list *l)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		if (state[l->items[i]] == FM_PID_FAILED)
			return l->items[i];
	return FM_DAG_NONE;
}

static void fail_patch_id(struct fm_measure *c, struct fm_fork_work *w,
			  uint32_t n)
{
	char hex[GIT_OID_HEXSZ + 1];

	fm_measure_hex(hex, fm_dag_oid(&c->g, n));
	fm_measure_row_fail(w, "cannot compute the patch id of commit %s: %s",
			    hex,
			    "a tree or blob is missing from the object store");
}

/* Progress of a walk over the store for n ids (about 64 reports). */
static void store_progress(struct fm_measure *c, const char *step, size_t i,
			   size_t n)
{
	if (!n || (i % (n / 64 + 1) != 0 && i != n))
		return;
	c->progress.step = step;
	c->progress.unit = "commits";
	c->progress.done = i;
	c->progress.total = n;
	fm_progress_report(c->ctx, &c->progress);
	if (i == n)
		c->progress.step = c->progress.unit = NULL;
}

/*
 * The store keeps patch ids from earlier runs: a nightly census computes
 * only those of commits new since. Lookups drop hits from c->wanted.
 */
static void cache_lookup(struct fm_measure *c, const char *table, int full)
{
	uint8_t *state = full ? c->full_state : c->header_state;
	size_t i, kept = 0;

	if (!c->opts->cache)
		return;
	for (i = 0; i < c->wanted.count; i++) {
		uint32_t n = c->wanted.items[i];
		char hex[GIT_OID_HEXSZ + 1];
		int64_t v;

		store_progress(c, "cached ids", i, c->wanted.count);
		fm_measure_hex(hex, fm_dag_oid(&c->g, n));
		if (fm_measure_cache_get(c, table, hex, &v) < 0) {
			c->wanted.items[kept++] = n;
			continue;
		}
		if (full) {
			memset(&c->full[n], 0, sizeof(c->full[n]));
			memcpy(c->full[n].id, &v, sizeof(v));
		} else {
			c->header[n] = (uint64_t)v;
		}
		state[n] = FM_PID_DONE;
	}
	store_progress(c, "cached ids", c->wanted.count, c->wanted.count);
	c->wanted.count = kept;
}

/* Keep what was computed; a cache that cannot be written is no failure. */
static void cache_save(struct fm_measure *c, const char *table, int full)
{
	uint8_t *state = full ? c->full_state : c->header_state;
	fm_store *store = c->opts->cache;
	size_t i;
	int rc = 0;

	if (!store || c->cache_readonly || !c->wanted.count)
		return;
	rc = fm_store_begin(c->ctx, store);
	for (i = 0; rc == 0 && i < c->wanted.count; i++) {
		uint32_t n = c->wanted.items[i];
		char hex[GIT_OID_HEXSZ + 1];
		int64_t v;

		store_progress(c, "storing ids", i, c->wanted.count);
		if (state[n] != FM_PID_DONE)
			continue;
		fm_measure_hex(hex, fm_dag_oid(&c->g, n));
		if (full)
			memcpy(&v, c->full[n].id, sizeof(v));
		else
			v = (int64_t)c->header[n];
		rc = fm_store_cache_put(c->ctx, store, table, hex, v);
	}
	store_progress(c, "storing ids", c->wanted.count, c->wanted.count);
	fm_measure_cache_end(c, rc, "patch ids");
}

/* The full ids of c->wanted: from the store, else computed and kept. */
/* `step` names the progress step: each pass is a step of its own. */
static int full_ids(struct fm_measure *c, const char *what, const char *step)
{
	int rc;

	cache_lookup(c, "patch_ids", 1);
	fm_log(c->ctx, FM_LOG_DEBUG, "census: %zu full ids %s", c->wanted.count,
	       what);
	if ((rc = run_ids(c, compute_full, c->full_state, step)) < 0)
		return rc;
	cache_save(c, "patch_ids", 1);
	return 0;
}

/*
 * patches: the distinct patch ids among each fork's unique commits. Equal
 * full ids mean equal header ids, so only unique commits whose header id
 * is shared by another unique commit of the same fork need a full id
 * (a merging-rebase fork carries one patch many times: those do).
 */
static int want_shared_headers(struct fm_measure *c, struct fm_fork_work *w)
{
	struct idset seen, twice;
	size_t k;
	int rc = 0;

	if (idset_init(&seen, w->uniq.count) < 0)
		return fm_measure_oom(c);
	if (idset_init(&twice, w->uniq.count) < 0) {
		free(seen.slots);
		return fm_measure_oom(c);
	}
	for (k = 0; k < w->uniq.count; k++) {
		uint64_t h = c->header[w->uniq.items[k]];

		if (idset_has(&seen, h))
			idset_add(&twice, h);
		idset_add(&seen, h);
	}
	for (k = 0; rc == 0 && k < w->uniq.count; k++) {
		uint32_t n = w->uniq.items[k];

		if (!idset_has(&twice, c->header[n]) ||
		    c->full_state[n] != FM_PID_NONE)
			continue;
		c->full_state[n] = FM_PID_WANTED;
		if (fm_dag_list_push(&c->wanted, n) < 0)
			rc = fm_measure_oom(c);
	}
	free(seen.slots);
	free(twice.slots);
	return rc;
}

/*
 * A commit that changes nothing: git patch-id prints no id for its empty
 * diff, so it is no patch (it still counts in unique, as git cherry does).
 */
static int empty_commit(const struct fm_measure *c, uint32_t n)
{
	const git_oid *parent = fm_measure_parent_tree(c, n);

	return parent && git_oid_equal(parent, &c->g.nodes[n].tree);
}

/* The key of a unique commit's patch: header id, and full id if known. */
static uint64_t patch_key(const struct fm_measure *c, uint32_t n)
{
	uint64_t key = c->header[n];

	if (c->full_state[n] == FM_PID_DONE)
		key = key * 0x9e3779b97f4a7c15ULL ^ full_key(&c->full[n]);
	return key;
}

struct keyed {
	uint64_t key;
	int64_t time;
	const git_oid *oid;
	uint32_t node;
};

static int by_key_then_age(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return git_oid_cmp(x->oid, y->oid);
}

int fm_measure_patch_groups(struct fm_measure *c, const struct fm_fork_work *w,
			    fm_patch_groups *out)
{
	struct keyed *k;
	size_t i, n = 0;

	memset(out, 0, sizeof(*out));
	if (!(k = calloc(w->uniq.count ? w->uniq.count : 1, sizeof(*k))))
		return fm_measure_oom(c);
	for (i = 0; i < w->uniq.count; i++) {
		uint32_t u = w->uniq.items[i];

		if (empty_commit(c, u)) {
			out->empty++;
			continue;
		}
		k[n].key = patch_key(c, u);
		k[n].time = c->g.nodes[u].time;
		k[n].oid = fm_dag_oid(&c->g, u);
		k[n++].node = u;
	}
	qsort(k, n, sizeof(*k), by_key_then_age);
	out->group = calloc(n ? n : 1, sizeof(*out->group));
	out->members = calloc(n ? n : 1, sizeof(*out->members));
	if (!out->group || !out->members) {
		free(k);
		fm_patch_groups_clear(out);
		return fm_measure_oom(c);
	}
	for (i = 0; i < n; i++) {
		out->members[i] = k[i].node;
		if (i == 0 || k[i].key != k[i - 1].key)
			out->group[out->count++].first = i;
		out->group[out->count - 1].copies++;
	}
	free(k);
	return 0;
}

void fm_patch_groups_clear(fm_patch_groups *g)
{
	free(g->group);
	free(g->members);
	memset(g, 0, sizeof(*g));
}

static int count_patches(struct fm_measure *c)
{
	size_t i;
	int rc;

	c->wanted.count = 0;
	for (i = 0; i < c->nwork; i++)
		if (c->work[i].measure &&
		    (rc = want_shared_headers(c, &c->work[i])) < 0)
			return rc;
	if ((rc = full_ids(c, "for patches", "patch ids of repeats")) < 0)
		return rc;
	for (i = 0; i < c->nwork; i++) {
		struct fm_fork_work *w = &c->work[i];
		fm_patch_groups groups;
		uint32_t bad;

		if (!w->measure)
			continue;
		if ((bad = first_failed(c->full_state, &w->uniq)) !=
		    FM_DAG_NONE) {
			fail_patch_id(c, w, bad);
			continue;
		}
		if ((rc = fm_measure_patch_groups(c, w, &groups)) < 0)
			return rc;
		w->row->patches = (long)groups.count;
		fm_patch_groups_clear(&groups);
	}
	return 0;
}

/*
 * Header ids of both sides of every fork in one parallel pass; then, per
 * fork, the upstream commits whose header id collides with one of the
 * fork's, which alone need a full id (second parallel pass).
 */
int fm_measure_unique(struct fm_measure *c)
{
	size_t i, k;
	int rc;

	c->wanted.count = 0;
	for (i = 0; i < c->nwork; i++) {
		struct fm_fork_work *w = &c->work[i];

		if (w->measure &&
		    ((rc = want(c, c->header_state, &w->mine)) < 0 ||
		     (rc = want(c, c->header_state, &w->theirs)) < 0))
			return rc;
	}
	c->progress.phase = "measuring";
	cache_lookup(c, "patch_headers", 0);
	fm_log(c->ctx, FM_LOG_DEBUG, "census: %zu header ids to compute",
	       c->wanted.count);
	if ((rc = run_ids(c, compute_header, c->header_state, "header ids")) <
	    0)
		return rc;
	cache_save(c, "patch_headers", 0);

	c->wanted.count = 0;
	for (i = 0; i < c->nwork; i++) {
		struct fm_fork_work *w = &c->work[i];
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
		if (idset_of(&mine, c, &w->mine, 0) < 0)
			return fm_measure_oom(c);
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
		struct fm_fork_work *w = &c->work[i];
		struct idset theirs;

		if (!w->measure)
			continue;
		if (idset_of(&theirs, c, &w->theirs, 0) < 0)
			return fm_measure_oom(c);
		for (k = 0; k < w->mine.count; k++) {
			uint32_t n = w->mine.items[k];

			if (idset_has(&theirs, c->header[n]) &&
			    c->full_state[n] == FM_PID_NONE) {
				c->full_state[n] = FM_PID_WANTED;
				if (fm_dag_list_push(&c->wanted, n) < 0) {
					free(theirs.slots);
					return fm_measure_oom(c);
				}
			}
		}
		free(theirs.slots);
	}
	if ((rc = full_ids(c, "to compute", "patch ids")) < 0)
		return rc;

	for (i = 0; i < c->nwork; i++) {
		struct fm_fork_work *w = &c->work[i];
		struct idset theirs;
		uint32_t bad;

		if (!w->measure)
			continue;
		if ((bad = first_failed(c->full_state, &w->theirs)) !=
		    FM_DAG_NONE) {
			fail_patch_id(c, w, bad);
			continue;
		}
		if (idset_of(&theirs, c, &w->theirs, 1) < 0)
			return fm_measure_oom(c);
		w->uniq.count = 0;
		for (k = 0; k < w->mine.count; k++) {
			uint32_t n = w->mine.items[k];

			if (c->full_state[n] == FM_PID_FAILED) {
				bad = n;
				break;
			}
			if ((c->full_state[n] != FM_PID_DONE ||
			     !idset_has(&theirs, full_key(&c->full[n]))) &&
			    fm_dag_list_push(&w->uniq, n) < 0) {
				free(theirs.slots);
				return fm_measure_oom(c);
			}
		}
		free(theirs.slots);
		if (bad != FM_DAG_NONE) {
			fail_patch_id(c, w, bad);
			continue;
		}
		w->row->unique = (long)w->uniq.count;
	}
	return count_patches(c);
}
