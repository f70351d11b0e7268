#ifndef FORKMAP_MEASURE_DESCRIBE_H
#define FORKMAP_MEASURE_DESCRIBE_H
/*
 * base_tag: the tag `git describe --tags --abbrev=0 --match P... <commit>`
 * prints, computed on the in-memory graph as a port of describe.c's
 * describe_commit(): a committer-date-ordered walk collecting up to ten
 * candidate tags, each with the number of commits it does not reach, the
 * smallest depth winning (ties: the first found).
 *
 *	fm_describe d;
 *	int32_t tag;
 *
 *	fm_describe_init(&d, &g, &tags);	 tags indexed over g
 *	fm_describe_commit(&d, node, &tag);	 tag: index in tags.items, -1
 *	fm_describe_clear(&d);
 */
#include <stdint.h>

#include "measure/dag.h"
#include "measure/tags.h"

/* Borrows the graph and tags; owns the per-node flags of the walk. */
typedef struct fm_describe {
	const fm_dag *g;
	const fm_tags *tags;
	uint32_t *flags;     /* all zero between calls */
	fm_dag_list touched; /* nodes whose flags a walk set */
} fm_describe;

int fm_describe_init(fm_describe *d, const fm_dag *g, const fm_tags *tags);
/* *tag: the describing tag (index in tags->items), -1 when none. 0 or
 * FM_ENOMEM (the context is not told). */
int fm_describe_commit(fm_describe *d, uint32_t node, int32_t *tag);
void fm_describe_clear(fm_describe *d);

#endif
