#ifndef FORKMAP_CENSUS_H
#define FORKMAP_CENSUS_H
/*
 * A census: the rows that measuring the forks of one upstream branch
 * produces, and the release nodes they hang from. Every number in a row is
 * defined by the metric contract in DESIGN.md.
 *
 * fm_census_run (pipeline.h) makes one from start to end; fm_census_measure
 * (measure.h) measures a fork list already fetched; fm_store_load_census
 * (runs.h) and fm_import_csv (export.h) read one back.
 */
#include "common.h"
#include "date.h"
#include "forks.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One measured (or failed, or skipped) fork. */
typedef struct fm_row {
	char *name;
	char *branch;
	char *ref;
	fm_source source;
	char *error;   /* NULL when measured */
	char *skipped; /* NULL, or why the row was skipped ("ahead == 0") */
	char head[41]; /* F, hex; "" when unknown */
	char merge_base[41];
	long ahead;
	long behind;
	long ahead_first_parent;
	long unique;
	long patches;	/* distinct patch ids among the unique commits */
	char *base_tag; /* "" when none */
	char *release;	/* "" when none */
	long files;
	long insertions;
	long deletions;
	fm_date head_date;
	fm_date merge_base_date;
	fm_date base_date;
	long stars; /* -1 when unknown */
} fm_row;

/* A release node: a release tag some fork is based on. */
typedef struct fm_release {
	char *tag;
	char commit[41];
	fm_date date;	 /* committer date of the tag's commit */
	long tree_lines; /* text lines in the whole tree at the tag */
} fm_release;

typedef struct fm_census {
	char *upstream; /* display name of the upstream ("qemu/qemu") */
	char *branch;	/* upstream branch measured against */
	char head[41];	/* U */
	fm_date head_date;
	long head_tree_lines; /* tree_lines of U (the trunk tip node) */
	int64_t run_id;	      /* its run in the store; 0: not stored */
	int64_t started;      /* epoch seconds */
	int64_t finished;
	fm_row *rows;
	size_t nrows;
	fm_release *releases; /* in committer-date order, oldest first */
	size_t nreleases;
} fm_census;

void fm_census_free(fm_census *census);
/* Free a row's strings and zero it (the row itself is not freed). */
void fm_row_clear(fm_row *r);

/*
 * `--branches most-adrift`: of the rows of one fork (same source and name,
 * one per branch), keep only the branch most adrift from upstream: the
 * measured row with the most patches (unique when patches is unknown),
 * ties broken by lines changed (insertions + deletions), then by the
 * first listed. A fork none of whose branches was measured keeps its
 * first row (its error or skip reason). The row stays where the fork's
 * first row was and names its branch as before; FM_ENOMEM or 0.
 */
int fm_census_keep_most_adrift(fm_ctx *ctx, fm_census *census);

#ifdef __cplusplus
}
#endif
#endif
