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

#define DAG_NONE UINT32_MAX

typedef struct dag_node {
	git_oid oid;
	git_oid tree;
	int64_t time;	   /* committer time */
	int32_t offset;	   /* committer UTC offset, minutes */
	uint32_t pstart;   /* first parent in dag.parents */
	uint32_t npar;
	uint32_t gen;	   /* generation: 1 + max(gen of parents) */
	uint8_t state;	   /* DAG_UNLOADED, DAG_LOADED, DAG_MISSING */
} dag_node;

enum { DAG_UNLOADED = 0, DAG_LOADED = 1, DAG_MISSING = 2 };

typedef struct dag {
	dag_node *nodes;
	uint32_t count;
	uint32_t alloc;
	uint32_t *parents;
	size_t nparents;
	size_t aparents;
	uint32_t *slots; /* open-addressing oid -> node index, DAG_NONE empty */
	size_t nslots;
} dag;

void dag_init(dag *g);
void dag_clear(dag *g);

/* Index of oid, or DAG_NONE. */
uint32_t dag_find(const dag *g, const git_oid *oid);

/*
 * Load every commit reachable from the roots (commits missing from the
 * object store become DAG_MISSING nodes rather than failures) and compute
 * generation numbers. roots_out[i] receives the index of roots[i].
 */
int dag_load(fm_ctx *ctx, dag *g, git_repository *repo, const git_oid *roots,
	     size_t nroots, uint32_t *roots_out);

static inline const uint32_t *dag_parents(const dag *g, uint32_t i)
{
	return g->parents + g->nodes[i].pstart;
}

/*
 * Epoch-stamped marks over the nodes, so a walk per fork needs no clearing:
 * a node is marked when mark[i] == stamp.
 */
typedef struct dag_marks {
	uint32_t *mark;
	uint32_t stamp;
} dag_marks;

int dag_marks_init(dag_marks *m, const dag *g);
void dag_marks_next(dag_marks *m); /* forget every mark, O(1) */
void dag_marks_clear(dag_marks *m);

/* A growable array of node indexes. */
typedef struct dag_list {
	uint32_t *items;
	size_t count;
	size_t alloc;
} dag_list;

int dag_list_push(dag_list *l, uint32_t v);
void dag_list_clear(dag_list *l);

#endif
