#ifndef FORKMAP_MEASURE_TAGS_H
#define FORKMAP_MEASURE_TAGS_H
/*
 * The tags that can name a fork's base: those matching tags.describe (for
 * base_tag) or tags.release (for release), peeled to their commits, and,
 * once the commit graph is loaded, indexed by node the way git describe
 * picks a name for a commit.
 *
 *	fm_tags tags = {0};
 *
 *	fm_tags_collect(ctx, git, globs, nglobs, re, &tags);
 *	... load the graph with the tags' commits among the roots ...
 *	fm_tags_index(ctx, &tags, &g);
 *	tags.items[tags.name_of[node]] ...
 *	fm_tags_clear(&tags);
 */
#include <stdint.h>
#include <git2.h>

#include <forkmap/common.h>
#include <forkmap/util.h>

#include "measure/dag.h"

typedef struct fm_tag {
	char *name; /* without refs/tags/ */
	git_oid commit;
	uint32_t node; /* FM_DAG_NONE until indexed, or not in the graph */
	int annotated;
	int64_t tagger_time;
	int describe; /* matches tags.describe */
	int release;  /* matches tags.release */
} fm_tag;

typedef struct fm_tags {
	fm_tag *items; /* in ref-name order */
	size_t count;
	int32_t *name_of;      /* node -> describe's tag for it, -1 none */
	size_t *release_order; /* release tags, in version order */
	size_t nreleases;
	int oom; /* collecting ran out of memory */
} fm_tags;

/* Tags of a tree or blob and dangling tags are left out: they are no base. */
int fm_tags_collect(fm_ctx *ctx, git_repository *git,
		    const char *const *describe, size_t ndescribe,
		    const fm_release_re *release, fm_tags *tags);

/*
 * git describe's choice of a name for each commit of g: annotated tags beat
 * lightweight ones, the newer tagger date wins between annotated tags, and
 * otherwise the first in ref-name order is kept (describe.c replace_name).
 */
int fm_tags_index(fm_ctx *ctx, fm_tags *tags, const fm_dag *g);

void fm_tags_clear(fm_tags *tags);

#endif
