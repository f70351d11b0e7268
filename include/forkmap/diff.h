#ifndef FORKMAP_DIFF_H
#define FORKMAP_DIFF_H
/*
 * Comparing two census runs: what changed for each fork between run A
 * (older) and run B (newer), for a nightly mail or `forkmap diff`.
 *
 *	fm_diff_opts opts = FM_DIFF_OPTS_INIT;
 *	fm_change *changes;
 *	size_t n;
 *
 *	if (fm_diff_census(ctx, a, b, &opts, &changes, &n) < 0) ...
 *	... changes[i].kinds & FM_CHANGE_MOVED, changes[i].a->head ...
 *	free(changes);   (rows are borrowed from the two censuses)
 *
 * A fork is the same fork in both runs when its identity is: source, name
 * and branch (as the census deduplicates forks). The field names are the
 * metric contract's (DESIGN.md). A value a row does not know (a skipped or
 * failed row: head "", unique -1, head_date unset) is never compared, so an
 * unknown value is not a change. Kinds of one matched fork, in A -> B:
 *
 *   new         in B, not in A
 *   gone        in A, not in B
 *   moved       head differs
 *   rebased     merge_base differs, or release differs (both rows
 *               measured: "" -> "v2.0.0" is a release found)
 *   gained      unique went up
 *   lost        unique went down
 *   upstreamed  unique went down while head did not move: upstream took
 *               the fork's patches (cherry-picked, or merged the branch).
 *               A row skipped for "ahead == 0" counts as unique 0, so a
 *               fork that upstream merged whole is upstreamed too. Always
 *               comes with lost.
 *   quiet       went quiet: not quiet at A's time, quiet at B's, where
 *               quiet at time t means t - head_date >= quiet_days days and
 *               a run's time is its census time (finished, else started)
 *   back        was quiet at A's time, moved, and is not quiet at B's
 *   failing     B's row has an error and A's had none (or A had no row:
 *               a new fork that fails is new and failing)
 *   fixed       A's row had an error and B's has none
 *
 * Only failing and fixed (and new, gone) are judged for a pair in which a
 * row has an error: an error row's numbers mean nothing. A fork that fails
 * in both runs is no change.
 */
#include "census.h"
#include "settings.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fm_change_kind {
	FM_CHANGE_NEW = 1 << 0,
	FM_CHANGE_GONE = 1 << 1,
	FM_CHANGE_MOVED = 1 << 2,
	FM_CHANGE_REBASED = 1 << 3,
	FM_CHANGE_GAINED = 1 << 4,
	FM_CHANGE_LOST = 1 << 5,
	FM_CHANGE_UPSTREAMED = 1 << 6,
	FM_CHANGE_QUIET = 1 << 7,
	FM_CHANGE_BACK = 1 << 8,
	FM_CHANGE_FAILING = 1 << 9,
	FM_CHANGE_FIXED = 1 << 10,
} fm_change_kind;

/* How many kinds there are; bit i of fm_change.kinds is kind 1 << i. */
#define FM_CHANGE_KINDS 11

/* "new", "gone", "moved" ... as above; NULL for anything else. */
const char *fm_change_kind_name(fm_change_kind kind);

typedef struct fm_diff_opts {
	int quiet_days; /* quiet: no commit for this many days (90) */
} fm_diff_opts;

#define FM_DIFF_OPTS_INIT             \
	{                             \
		FM_DEFAULT_QUIET_DAYS \
	}

/* One fork that changed. */
typedef struct fm_change {
	unsigned kinds;	 /* fm_change_kind bits, never 0 */
	const fm_row *a; /* the fork in run A (borrowed); NULL when new */
	const fm_row *b; /* the fork in run B (borrowed); NULL when gone */
} fm_change;

/*
 * The forks that changed from census a to census b, ordered by name,
 * branch and source; forks without a change are left out. *out is one
 * malloc'd array (free with free()), NULL when *n is 0; its rows are
 * borrowed from a and b, which must outlive it. FM_EINVAL when
 * opts->quiet_days is outside the --quiet-days limits.
 */
int fm_diff_census(fm_ctx *ctx, const fm_census *a, const fm_census *b,
		   const fm_diff_opts *opts, fm_change **out, size_t *n);

/*
 * The changes as one JSON document (text ending in a newline; caller
 * frees *out with free()):
 *   {"upstream", "branch", "a": {"run", "date"}, "b": {"run", "date"},
 *    "quiet_days", "summary": {"new": N, ... every kind},
 *    "changes": [{"name", "branch", "source", "kinds": ["moved", ...],
 *                 "old": FORK or null, "new": FORK or null}, ...]}
 * FORK is a fork object of the census JSON (export.h); dates ISO 8601.
 * census[0], run_ids[0] are run A, [1] run B.
 */
int fm_diff_json(fm_ctx *ctx, const fm_census *const census[2],
		 const int64_t run_ids[2], const fm_diff_opts *opts,
		 const fm_change *changes, size_t n, char **out);

/* The time a run's ages are counted to: finished, else started. */
int64_t fm_diff_census_time(const fm_census *census);

#ifdef __cplusplus
}
#endif
#endif
