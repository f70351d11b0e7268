#ifndef FORKMAP_DAG_H
#define FORKMAP_DAG_H
/*
 * The commit graph of one census, loaded once into memory: every commit
 * reachable from the upstream tip, the fork tips and the tags, with its
 * parents, tree and committer date. All walks of a census (ahead, behind,
 * merge bases, describe, contains) run on it instead of asking libgit2 once
 * per fork, so commits shared by many forks are parsed once.
 */
#include <stdint.h>
#include <git2.h>
#include <forkmap/common.h>
#include <forkmap/date.h>

#include "core/oidmap.h"

#define FM_DAG_NONE UINT32_MAX

/* A node's oid is its key in the index: fm_dag_oid(). */
typedef struct fm_dag_node {
	git_oid tree;
	int64_t time;	 /* committer time */
	int32_t offset;	 /* committer UTC offset, minutes */
	uint32_t pstart; /* first parent in fm_dag.parents */
	uint32_t npar;
	uint32_t gen;  /* generation: 1 + max(gen of parents) */
	uint8_t state; /* FM_DAG_UNLOADED, FM_DAG_LOADED, FM_DAG_MISSING */
} fm_dag_node;

enum { FM_DAG_UNLOADED = 0, FM_DAG_LOADED = 1, FM_DAG_MISSING = 2 };

typedef struct fm_dag {
	fm_dag_node *nodes;
	uint32_t count;
	uint32_t alloc;
	uint32_t *parents;
	size_t nparents;
	size_t aparents;
	fm_oidmap index; /* oid -> node: a node's number is its entry index */
	/* Borrowed, or NULL: fm_dag_load reports the commits loaded (done;
	 * total unknown) through it every FM_DAG_REPORT_EVERY commits. */
	fm_progress *progress;
} fm_dag;

#define FM_DAG_REPORT_EVERY 4096

void fm_dag_init(fm_dag *g);
void fm_dag_clear(fm_dag *g);

/* Index of oid, or FM_DAG_NONE. */
uint32_t fm_dag_find(const fm_dag *g, const git_oid *oid);

/*
 * Load every commit reachable from the roots (commits missing from the
 * object store become FM_DAG_MISSING nodes rather than failures) and compute
 * generation numbers. roots_out[i] receives the index of roots[i].
 */
int fm_dag_load(fm_ctx *ctx, fm_dag *g, git_repository *repo,
		const git_oid *roots, size_t nroots, uint32_t *roots_out);

/* The commit id of node i; borrowed, moves while the graph loads. */
static inline const git_oid *fm_dag_oid(const fm_dag *g, uint32_t i)
{
	return fm_oidmap_key(&g->index, i);
}

/* A node's committer date. */
static inline fm_date fm_dag_date(const fm_dag_node *n)
{
	fm_date d;

	d.time = n->time;
	d.offset = n->offset;
	d.set = 1;
	return d;
}

static inline const uint32_t *fm_dag_parents(const fm_dag *g, uint32_t i)
{
	return g->parents + g->nodes[i].pstart;
}

/*
 * Epoch-stamped marks over the nodes, so a walk per fork needs no clearing:
 * a node is marked when mark[i] == stamp.
 */
typedef struct fm_dag_marks {
	uint32_t *mark;
	uint32_t stamp;
} fm_dag_marks;

int fm_dag_marks_init(fm_dag_marks *m, const fm_dag *g);
void fm_dag_marks_next(fm_dag_marks *m); /* forget every mark, O(1) */
void fm_dag_marks_clear(fm_dag_marks *m);

/* A growable array of node indexes. */
typedef struct fm_dag_list {
	uint32_t *items;
	size_t count;
	size_t alloc;
} fm_dag_list;

int fm_dag_list_push(fm_dag_list *l, uint32_t v);
void fm_dag_list_clear(fm_dag_list *l);

#endif
