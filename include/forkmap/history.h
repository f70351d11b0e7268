#ifndef FORKMAP_HISTORY_H
#define FORKMAP_HISTORY_H
/*
 * Reading the store's history: the good runs (those that are a census,
 * not a recorded failure), and one fork followed across them.
 *
 *	fm_history *h;
 *	if (fm_history_fork(ctx, store, "acme/qemu:stable", &h) < 0) ...
 *	for (i = 0; i < h->n; i++)
 *		... h->entries[i].run_id, h->entries[i].row->ahead ...
 *	fm_history_free(h);
 */
#include "runs.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The runs whose error is NULL, newest first (fm_store_list_runs without
 * the failed runs): the only runs a reader picks by default. Free with
 * fm_run_info_free(*out, *n).
 */
int fm_history_good_runs(fm_ctx *ctx, fm_store *store, fm_run_info **out,
			 size_t *n);

typedef struct fm_history_entry {
	int64_t run_id;
	int64_t when;	   /* the run's census time (finished, else started) */
	const fm_row *row; /* the fork in that run; borrowed from the history */
} fm_history_entry;

typedef struct fm_history fm_history;
struct fm_history {
	fm_history_entry *entries; /* oldest run first */
	size_t n;
	fm_census *rows_; /* owns the rows; private */
};

/*
 * One fork in every good run that has it, oldest run first (runs without
 * the fork are left out). fork names it as
 *   NAME            every row named NAME ("acme/qemu", a local branch)
 *   NAME:BRANCH     the row of that name and branch
 *   NAME/BRANCH     the same, as a forge shows it ("acme/qemu/stable")
 * and must name one fork (one source, name and branch) across the runs:
 * FM_EINVAL "fork 'x' is in no census run" when it names none,
 * FM_EINVAL listing the candidates as NAME:BRANCH when it names several.
 * FM_ENOTFOUND when the store has no good run. Free with fm_history_free.
 */
int fm_history_fork(fm_ctx *ctx, fm_store *store, const char *fork,
		    fm_history **out);
void fm_history_free(fm_history *history);

/*
 * The history as one JSON document (text ending in a newline; free *out
 * with free()): {"name", "branch", "source", "runs": [{"run", "date",
 * ...the fork object of the census JSON}, ...]}, oldest run first.
 */
int fm_history_json(fm_ctx *ctx, const fm_history *history, char **out);

#ifdef __cplusplus
}
#endif
#endif
