#ifndef FORKMAP_MEASURE_MEASURE_H
#define FORKMAP_MEASURE_MEASURE_H
/*
 * Inside the measure stage: the state of one fm_census_measure() and its
 * steps, in the order census.c runs them:
 *
 *	fm_measure_rows		  a row per fork, skips by name    rows.c
 *	fm_tags_collect		  the tags that can name a base	   tags.c
 *	fm_measure_reuse_rows	  rows read back from the store	   reuse.c
 *	fm_measure_reuse_nodes	  ... and when all were, the	   reuse.c
 *				  release nodes and upstream tip:
 *				  done, no commit graph loaded
 *	fm_tags_index		  tags by node			   tags.c
 *	fm_dag_load		  the commit graph, once	   dag.c
 *	fm_measure_mark_upstream  what upstream reaches, once	   walk.c
 *	fm_measure_walk_fork	  ahead, behind, merge base	   walk.c
 *	fm_measure_unique	  unique, patches (patch ids)	   unique.c
 *	fm_measure_patch_files	  each patch's files, for show	   patchfiles.c
 *	fm_measure_bases	  base_tag, base_date, release	   release.c
 *	fm_measure_release_nodes  the census's release nodes	   release.c
 *	fm_measure_line_deltas	  files/insertions/deletions,	   linedelta.c
 *				  tree_lines
 *	fm_measure_reuse_save	  keep rows and nodes for the	   reuse.c
 *				  next census
 */
#include <stdint.h>
#include <git2.h>

#include <forkmap/measure.h>
#include <forkmap/util.h>

#include "measure/dag.h"
#include "measure/tags.h"
#include "measure/lines.h"

struct fm_buf;

/*
 * The version of the numbers a census computes, part of every key of the
 * reusable rows and nodes (reuse.c). Bump it with any change to the
 * measuring code that changes a number, a date or a tag of a row or a
 * release node: stored rows of the old version are then never reused.
 */
#define FM_METRIC_VERSION 2 /* 2: patches */

struct fm_fork_work {
	fm_row *row;
	int oom; /* a message for the row could not be allocated */
	char key[GIT_OID_HEXSZ + 1]; /* the row's reuse key (reuse.c) */
	int keyed;		     /* key is set */
	int reused;		     /* the row was read back from the store */
	uint32_t head;
	uint32_t mb;
	fm_dag_list mine;   /* non-merge commits in U..F */
	fm_dag_list theirs; /* non-merge commits in F..U needing a full id */
	fm_dag_list uniq;   /* the commits of mine git cherry marks '+' */
	int measure;	    /* 1 while the fork is still being measured */
};

/* Per-commit patch-id state. */
enum { FM_PID_NONE = 0, FM_PID_WANTED, FM_PID_DONE, FM_PID_FAILED };

struct fm_measure {
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
	fm_tags tags;
	struct fm_fork_work *work;
	size_t nwork;
	/* Written by worker processes: shared memory (fm_shared_calloc). */
	uint64_t *header;
	git_oid *full;
	uint8_t *header_state;
	uint8_t *full_state;
	fm_dag_list wanted; /* commits whose id a parallel pass computes */
	fm_line_cache *lines;
	int nodes_reused;    /* release nodes and tip came from the store */
	int cache_readonly;  /* look patch ids up in opts->cache, never write */
	size_t ids_computed; /* patch ids computed, not read from the cache */
	fm_progress progress;
};

/* Free what the steps allocated in c (not c->work itself). */
void fm_measure_clear(struct fm_measure *c);

/* Sets "out of memory" on the context; returns FM_ENOMEM. */
int fm_measure_oom(struct fm_measure *c);

/*
 * One cached value. A store that cannot be read is only a cache miss: its
 * message must not linger on the context as the census's error.
 */
int fm_measure_cache_get(struct fm_measure *c, const char *table,
			 const char *key, int64_t *value);

/*
 * End the store transaction that keeps computed values (rc: how the puts
 * went). A cache that cannot be written is no failure: a warning, and the
 * context's error is cleared.
 */
void fm_measure_cache_end(struct fm_measure *c, int rc, const char *what);

static inline void fm_measure_hex(char *out, const git_oid *oid)
{
	git_oid_tostr(out, GIT_OID_HEXSZ + 1, oid);
}

/* strdup, NULL read as "". */
char *fm_measure_strdup(const char *s);

/* rows.c: one row per fork of list, with its skip or its fetch error. */
int fm_measure_rows(struct fm_measure *c, const fm_fork_list *list,
		    fm_census *out);

/*
 * Set a row's error once (the first cause is the precise one) and stop
 * measuring the fork. A message that cannot be allocated sets w->oom.
 */
void fm_measure_row_fail(struct fm_fork_work *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The same with libgit2's last error after what. */
void fm_measure_row_fail_git(struct fm_fork_work *w, const char *what);
/* A commit of the fork's history that the object store lacks. */
void fm_measure_row_fail_missing(struct fm_measure *c, struct fm_fork_work *w,
				 uint32_t node);

/* walk.c */
int fm_measure_mark_upstream(struct fm_measure *c);
int fm_measure_walk_fork(struct fm_measure *c, struct fm_fork_work *w,
			 fm_dag_marks *seen, fm_dag_marks *common,
			 fm_dag_list *stack, fm_dag_list *boundary);

/* unique.c */
int fm_measure_unique(struct fm_measure *c);

/*
 * The distinct patches of a fork's unique commits (w->uniq, after
 * fm_measure_unique): members holds the non-empty unique commits grouped
 * by patch id, each group oldest first (committer date, then id), so
 * members[group[i].first] is the patch's first copy. Commits that change
 * nothing are no patch (git patch-id prints none): counted in empty.
 * Free with fm_patch_groups_clear.
 */
typedef struct fm_patch_group {
	size_t first;  /* index of the oldest copy in members */
	size_t copies; /* commits carrying this patch */
} fm_patch_group;

typedef struct fm_patch_groups {
	fm_patch_group *group;
	size_t count;
	uint32_t *members;
	size_t empty;
} fm_patch_groups;

int fm_measure_patch_groups(struct fm_measure *c, const struct fm_fork_work *w,
			    fm_patch_groups *out);
void fm_patch_groups_clear(fm_patch_groups *g);

/*
 * patchfiles.c: the files of every distinct patch of the measured forks
 * into the store (patch_files) when it lacks them, for `forkmap show`.
 * Never fails the census: a patch that cannot be diffed is left out.
 */
int fm_measure_patch_files(struct fm_measure *c);
/* The store's key of a commit's patch: "PARENT_TREE..TREE". */
void fm_patch_files_key(char *buf, size_t size, const git_oid *old_tree,
			const git_oid *new_tree);
/* The records the store keeps for one patch (store/cache.h), into out. */
int fm_patch_files_compute(git_repository *repo, fm_line_cache *lc,
			   const git_oid *old_tree, const git_oid *new_tree,
			   struct fm_buf *out);
/* The tree of node n's first parent; NULL for a root commit. */
const git_oid *fm_measure_parent_tree(const struct fm_measure *c, uint32_t n);

/* release.c */
int fm_measure_bases(struct fm_measure *c);
/*
 * One release node per distinct release of the rows, in committer-date
 * order. Without a commit graph (reuse.c) the dates are left unset, for
 * the caller to fill and sort again with fm_measure_sort_releases.
 */
int fm_measure_release_nodes(struct fm_measure *c, fm_census *out);
void fm_measure_sort_releases(fm_census *out);

/* linedelta.c */
int fm_measure_line_deltas(struct fm_measure *c, fm_census *out);

/*
 * reuse.c: keys, then the rows the store holds for them (a hit stops the
 * fork being measured: w->reused). A store that cannot be read is a miss.
 */
int fm_measure_reuse_rows(struct fm_measure *c, const git_oid *upstream);
/*
 * When no fork is left to measure: the release nodes and the upstream
 * tip from the store. 1 when all were there (out is complete), 0 when one
 * is missing (out is as it was), or FM_ENOMEM.
 */
int fm_measure_reuse_nodes(struct fm_measure *c, fm_census *out,
			   const git_oid *upstream);
/* Keep what this census measured; a failed write is only a warning. */
void fm_measure_reuse_save(struct fm_measure *c, const fm_census *out);

#endif
