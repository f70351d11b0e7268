#ifndef FM_FORGE_JOBS_H
#define FM_FORGE_JOBS_H
/*
 * Inside crawler/forge only: one listing per node, over a set of nodes,
 * on up to the forge's concurrency threads (each with its own connection;
 * all share the handle's connections, rate limits and cache).
 */
#include "forge/forge_internal.h"
#include "forge/forge_node.h"

enum { FM_FORGE_JOB_FORKS, FM_FORGE_JOB_BRANCHES };

typedef struct fm_forge_jobs {
	fm_forge *forge;
	fm_ctx *ctx;
	int kind;	  /* FM_FORGE_JOB_* */
	int top;	  /* forks: keep the top N */
	const char *glob; /* branches: the glob, NULL: all */
	fm_forge_node **v;
	size_t n;
} fm_forge_jobs;

/* Run the listing of every node in v[0..n); stops at a fatal error. */
void fm_forge_jobs_run(fm_forge_jobs *j);

#endif
