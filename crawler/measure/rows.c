/* A fork's row: set up, skipped by name, failed once. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/util.h>

#include "measure/measure.h"
#include "repo/repo_internal.h"

char *fm_measure_strdup(const char *s)
{
	return strdup(s ? s : "");
}

void fm_measure_row_fail(struct fm_fork_work *w, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	w->measure = 0;
	if (w->row->error)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!(w->row->error = strdup(buf)))
		w->oom = 1;
}

void fm_measure_row_fail_git(struct fm_fork_work *w, const char *what)
{
	w->measure = 0;
	if (!w->row->error && !(w->row->error = fm_git_errstr(what)))
		w->oom = 1;
}

void fm_measure_row_fail_missing(struct fm_measure *c, struct fm_fork_work *w,
				 uint32_t node)
{
	char hex[GIT_OID_HEXSZ + 1];

	fm_measure_hex(hex, fm_dag_oid(&c->g, node));
	if (git_repository_is_shallow(c->git) == 1)
		fm_measure_row_fail(
			w,
			"commit %s is beyond the history of this shallow "
			"repository (git fetch --unshallow)",
			hex);
	else
		fm_measure_row_fail(
			w, "commit %s is missing from the object store%s", hex,
			c->in_u[node] ? " (upstream history is incomplete)"
				      : "");
}

static int skip_by_name(struct fm_measure *c, fm_row *row)
{
	const char *last = strrchr(row->branch, '/');
	size_t i;

	last = last ? last + 1 : row->branch;
	for (i = 0; i < c->nskip; i++) {
		if (fm_glob_any(&c->skip[i], 1, row->branch) ||
		    fm_glob_any(&c->skip[i], 1, last)) {
			char buf[256];

			snprintf(buf, sizeof(buf), "branch matches '%s'",
				 c->skip[i]);
			row->skipped = strdup(buf);
			return row->skipped ? 1 : -1;
		}
	}
	return 0;
}

int fm_measure_rows(struct fm_measure *c, const fm_fork_list *list,
		    fm_census *out)
{
	size_t i;
	int rc;

	out->rows = calloc(list->count ? list->count : 1, sizeof(fm_row));
	c->work = calloc(list->count ? list->count : 1, sizeof(*c->work));
	if (!out->rows || !c->work)
		return fm_measure_oom(c);
	out->nrows = c->nwork = list->count;
	for (i = 0; i < list->count; i++) {
		const fm_fork *f = &list->items[i];
		fm_row *row = &out->rows[i];
		struct fm_fork_work *w = &c->work[i];

		w->row = row;
		w->head = w->mb = FM_DAG_NONE;
		w->measure = 1;
		row->source = f->source;
		row->stars = f->stars;
		row->ahead = row->behind = row->ahead_first_parent = -1;
		row->unique = row->files = row->insertions = row->deletions =
			-1;
		row->patches = -1;
		if (!(row->name = fm_measure_strdup(f->name)) ||
		    !(row->branch = fm_measure_strdup(f->branch)) ||
		    !(row->ref = fm_measure_strdup(f->ref)) ||
		    !(row->base_tag = fm_measure_strdup("")) ||
		    !(row->release = fm_measure_strdup("")))
			return fm_measure_oom(c);
		if (f->error) {
			if (!(row->error = strdup(f->error)))
				return fm_measure_oom(c);
			w->measure = 0;
		} else if (f->skipped) {
			if (!(row->skipped = strdup(f->skipped)))
				return fm_measure_oom(c);
			w->measure = 0;
		} else if ((rc = skip_by_name(c, row)) != 0) {
			if (rc < 0)
				return fm_measure_oom(c);
			w->measure = 0;
		}
	}
	return 0;
}
