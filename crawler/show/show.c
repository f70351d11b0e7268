/*
 * `forkmap show FORK` (include/forkmap/show.h): the fork's unique commits
 * found again with the census's own steps (commit graph of U and F, the
 * walk, the patch-id pass reading the store's ids), grouped by patch id;
 * the files of each patch from the store (the census kept them); and the
 * tree delta MB -> F per directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/show.h>

#include "core/buf.h"
#include "core/parallel.h"
#include "history/names.h"
#include "measure/measure.h"
#include "repo/repo_internal.h"
#include "show/dirs.h"
#include "store/cache.h"

int fm_show_find_row(fm_ctx *ctx, const fm_census *census, const char *fork,
		     const fm_row **out)
{
	const fm_row *found = NULL;
	fm_buf b = FM_BUF_INIT;
	size_t i, n = 0;
	int rc = 0;

	*out = NULL;
	for (i = 0; i < census->nrows; i++) {
		const fm_row *r = &census->rows[i];

		if (!fm_history_names_row(fork, r))
			continue;
		found = r;
		n++;
		fm_buf_printf(&b, "%s%s:%s (%s)", b.len ? ", " : "", r->name,
			      r->branch, fm_source_name(r->source));
	}
	if (b.oom)
		rc = fm_error_set(ctx, FM_ENOMEM, "out of memory");
	else if (!n)
		rc = fm_error_set(ctx, FM_EINVAL,
				  "fork '%s' is not in the census run (forkmap "
				  "log FORK lists where a fork was)",
				  fork);
	else if (n > 1)
		rc = fm_error_set(ctx, FM_EINVAL,
				  "fork '%s' names several forks: %s (give "
				  "NAME:BRANCH)",
				  fork, fm_buf_str(&b));
	else if (found->error)
		rc = fm_error_set(ctx, FM_EINVAL,
				  "fork '%s' was not measured: %s", fork,
				  found->error);
	else if (found->skipped)
		rc = fm_error_set(ctx, FM_EINVAL,
				  "fork '%s' was skipped (%s): it carries "
				  "nothing to show",
				  fork, found->skipped);
	fm_buf_clear(&b);
	if (rc == 0)
		*out = found;
	return rc;
}

/* The state of one show: the measure stage's, for one fork. */
struct show_run {
	struct fm_measure c;
	fm_census_opts opts;
	struct fm_fork_work w;
	fm_row scratch; /* what the steps write; the census row is kept */
	fm_dag_marks seen, common;
	fm_dag_list stack, boundary;
	fm_patch_groups groups;
	fm_buf files;
};

static void run_clear(struct show_run *s)
{
	fm_measure_clear(&s->c);
	fm_dag_marks_clear(&s->seen);
	fm_dag_marks_clear(&s->common);
	fm_dag_list_clear(&s->stack);
	fm_dag_list_clear(&s->boundary);
	fm_patch_groups_clear(&s->groups);
	fm_buf_clear(&s->files);
	free(s->scratch.error);
	free(s->scratch.skipped);
}

/* A step failed the fork (its row's error): the show's error. */
static int fork_failed(struct show_run *s)
{
	if (s->w.oom)
		return fm_measure_oom(&s->c);
	return fm_error_set(s->c.ctx, FM_EREPO, "cannot show '%s': %s",
			    s->scratch.name, s->scratch.error);
}

/* The graph of U and F, the walk and the patch-id pass (measure.h). */
static int find_unique(struct show_run *s, const fm_census *census,
		       const fm_row *row)
{
	struct fm_measure *c = &s->c;
	git_oid roots[2];
	uint32_t nodes[2];
	int rc;

	if (git_oid_fromstr(&roots[0], census->head) < 0 ||
	    git_oid_fromstr(&roots[1], row->head) < 0)
		return fm_error_set(c->ctx, FM_EINVAL,
				    "census run %lld has no head for '%s'",
				    (long long)census->run_id, row->name);
	if ((rc = fm_dag_load(c->ctx, &c->g, c->git, roots, 2, nodes)) < 0)
		return rc;
	if (c->g.nodes[nodes[0]].state != FM_DAG_LOADED ||
	    c->g.nodes[nodes[1]].state != FM_DAG_LOADED)
		return fm_error_set(c->ctx, FM_EREPO,
				    "cannot show '%s': commit %.12s or %.12s "
				    "is not in '%s' (give -C the census's "
				    "repository)",
				    row->name, census->head, row->head,
				    fm_repo_path(c->repo));
	c->upstream = nodes[0];
	s->w.head = nodes[1];
	c->header = fm_shared_calloc(c->g.count, sizeof(*c->header));
	c->full = fm_shared_calloc(c->g.count, sizeof(*c->full));
	c->header_state = fm_shared_calloc(c->g.count, 1);
	c->full_state = fm_shared_calloc(c->g.count, 1);
	if (!c->header || !c->full || !c->header_state || !c->full_state ||
	    fm_dag_marks_init(&s->seen, &c->g) < 0 ||
	    fm_dag_marks_init(&s->common, &c->g) < 0)
		return fm_measure_oom(c);
	if ((rc = fm_measure_mark_upstream(c)) < 0 ||
	    (rc = fm_measure_walk_fork(c, &s->w, &s->seen, &s->common,
				       &s->stack, &s->boundary)) < 0)
		return rc;
	if (!s->w.measure)
		return fork_failed(s);
	if ((rc = fm_measure_unique(c)) < 0)
		return rc;
	if (!s->w.measure)
		return fork_failed(s);
	return fm_measure_patch_groups(c, &s->w, &s->groups);
}

/* The files of the patch whose first copy is n: the store's, or diffed. */
static int patch_files(struct show_run *s, fm_store *store, uint32_t n,
		       fm_show *show)
{
	struct fm_measure *c = &s->c;
	char key[2 * GIT_OID_HEXSZ + 3], *data = NULL, hex[GIT_OID_HEXSZ + 1];
	size_t len = 0;
	int rc;

	fm_patch_files_key(key, sizeof(key), fm_measure_parent_tree(c, n),
			   &c->g.nodes[n].tree);
	if (store &&
	    fm_store_patch_files_get(c->ctx, store, key, &data, &len) == 0) {
		fm_buf_reset(&s->files);
		rc = fm_buf_put(&s->files, data, len);
		free(data);
		return rc < 0 ? fm_measure_oom(c) : 0;
	}
	fm_ctx_clear_error(c->ctx); /* a miss, or a store that cannot say */
	show->patches_diffed++;
	if (fm_patch_files_compute(c->git, c->lines,
				   fm_measure_parent_tree(c, n),
				   &c->g.nodes[n].tree, &s->files) < 0) {
		char what[80];

		fm_measure_hex(hex, fm_dag_oid(&c->g, n));
		snprintf(what, sizeof(what), "cannot diff %s", hex);
		return fm_git_error(c->ctx, FM_EREPO, -1, what);
	}
	return s->files.oom ? fm_measure_oom(c) : 0;
}

/* Subject, author and date of a patch's first copy. */
static int describe_commit(struct show_run *s, uint32_t n, fm_show_patch *p)
{
	git_commit *commit = NULL;
	const git_signature *a;
	const char *subject;

	char what[80];

	fm_measure_hex(p->commit, fm_dag_oid(&s->c.g, n));
	snprintf(what, sizeof(what), "cannot read commit %s", p->commit);
	if (git_commit_lookup(&commit, s->c.git, fm_dag_oid(&s->c.g, n)) < 0)
		return fm_git_error(s->c.ctx, FM_EREPO, -1, what);
	a = git_commit_author(commit);
	subject = git_commit_summary(commit);
	p->subject = strdup(subject ? subject : "");
	p->author = strdup(a && a->name ? a->name : "");
	if (a) {
		p->date.time = a->when.time;
		p->date.offset = a->when.offset;
		p->date.set = 1;
	}
	git_commit_free(commit);
	return p->subject && p->author ? 0 : fm_measure_oom(&s->c);
}

/*
 * Walk the records of s->files: each file's numbers into p, each path
 * touched (dirs not NULL) into the directories under mark.
 */
static int read_files(struct show_run *s, fm_show_patch *p, fm_dirs *dirs,
		      unsigned mark, const fm_patch_group *g)
{
	const char *rec = s->files.ptr, *end = rec + s->files.len;
	int64_t newest = 0;
	int32_t offset = 0;
	size_t k;

	for (k = 0; k < g->copies; k++) {
		const fm_dag_node *node =
			&s->c.g.nodes[s->groups.members[g->first + k]];

		if (!k || node->time > newest) {
			newest = node->time;
			offset = node->offset;
		}
	}
	while (rec && rec < end) {
		char *tab;
		long ins = strtol(rec, &tab, 10), del;
		const char *path;

		if (*tab != '\t')
			break;
		del = strtol(tab + 1, &tab, 10);
		if (*tab != '\t')
			break;
		path = tab + 1;
		p->files++;
		p->insertions += ins;
		p->deletions += del;
		if (dirs && fm_dirs_touch(dirs, path, mark, (long)g->copies,
					  newest, offset) < 0)
			return fm_measure_oom(&s->c);
		rec = path + strlen(path) + 1;
	}
	return 0;
}

static int copies_hex(struct show_run *s, const fm_patch_group *g,
		      fm_show_patch *p)
{
	size_t k;

	p->copies = (long)g->copies;
	if (!(p->commits = calloc(g->copies + 1, sizeof(*p->commits))))
		return fm_measure_oom(&s->c);
	for (k = 0; k < g->copies; k++) {
		if (!(p->commits[k] = malloc(GIT_OID_HEXSZ + 1)))
			return fm_measure_oom(&s->c);
		fm_measure_hex(
			p->commits[k],
			fm_dag_oid(&s->c.g, s->groups.members[g->first + k]));
	}
	return 0;
}

static int by_date(const void *a, const void *b)
{
	const fm_show_patch *x = a, *y = b;

	if (x->date.time != y->date.time)
		return x->date.time > y->date.time ? -1 : 1;
	return strcmp(x->commit, y->commit);
}

static int by_size(const void *a, const void *b)
{
	const fm_show_patch *x = a, *y = b;
	long lx = x->insertions + x->deletions,
	     ly = y->insertions + y->deletions;

	if (lx != ly)
		return lx > ly ? -1 : 1;
	return by_date(a, b);
}

static int add_tree_file(const fm_tree_change *c, long ins, long del,
			 void *payload)
{
	return fm_dirs_add_file(payload, c->path, ins, del) < 0 ? FM_ENOMEM : 0;
}

/* The patches and the directories of the fork. */
static int breakdown(struct show_run *s, fm_store *store,
		     const fm_show_opts *opts, fm_show *show)
{
	struct fm_measure *c = &s->c;
	fm_dirs dirs;
	size_t i;
	int rc;

	fm_dirs_init(&dirs, opts->depth);
	rc = fm_tree_diff_each(c->git, c->lines, &c->g.nodes[s->w.mb].tree,
			       &c->g.nodes[s->w.head].tree, add_tree_file,
			       &dirs);
	if (rc == FM_ENOMEM) {
		rc = fm_measure_oom(c);
		goto done;
	}
	if (rc < 0) {
		char what[80];

		snprintf(what, sizeof(what), "cannot diff %.12s..%.12s",
			 show->row->merge_base, show->row->head);
		rc = fm_git_error(c->ctx, FM_EREPO, rc, what);
		goto done;
	}
	if (fm_dirs_settle(&dirs) < 0) {
		rc = fm_measure_oom(c);
		goto done;
	}
	show->total_patches = s->groups.count;
	show->empty = (long)s->groups.empty;
	show->patches = calloc(s->groups.count + 1, sizeof(*show->patches));
	if (!show->patches) {
		rc = fm_measure_oom(c);
		goto done;
	}
	for (i = 0; i < s->groups.count; i++) {
		const fm_patch_group *g = &s->groups.group[i];
		fm_show_patch *p = &show->patches[i];
		uint32_t n = s->groups.members[g->first];

		show->npatches = i + 1; /* freed with the show if we fail */
		if ((rc = describe_commit(s, n, p)) < 0 ||
		    (rc = copies_hex(s, g, p)) < 0 ||
		    (rc = patch_files(s, store, n, show)) < 0 ||
		    (rc = read_files(s, p, &dirs, (unsigned)i + 1, g)) < 0)
			goto done;
	}
	qsort(show->patches, show->npatches, sizeof(*show->patches),
	      opts->sort == FM_SHOW_SORT_SIZE ? by_size : by_date);
	if (opts->limit && opts->limit < show->npatches) {
		for (i = opts->limit; i < show->npatches; i++) {
			size_t k;

			for (k = 0; show->patches[i].commits &&
				    show->patches[i].commits[k];
			     k++)
				free(show->patches[i].commits[k]);
			free(show->patches[i].commits);
			free(show->patches[i].subject);
			free(show->patches[i].author);
		}
		show->npatches = opts->limit;
	}
	fm_dirs_take(&dirs, &show->dirs, &show->ndirs);
	rc = 0;
done:
	fm_dirs_clear(&dirs);
	return rc;
}

int fm_show_fork(fm_ctx *ctx, fm_repo *repo, fm_store *store,
		 const fm_census *census, const char *fork,
		 const fm_show_opts *opts, fm_show **out)
{
	fm_show_opts defaults = FM_SHOW_OPTS_INIT;
	struct show_run *s;
	const fm_row *row;
	fm_show *show;
	int rc;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if ((rc = fm_setting_check(ctx, FM_SET_SHOW_DEPTH, opts->depth)) < 0)
		return rc;
	if ((rc = fm_show_find_row(ctx, census, fork, &row)) < 0)
		return rc;
	s = calloc(1, sizeof(*s));
	show = calloc(1, sizeof(*show));
	if (!s || !show) {
		free(s);
		free(show);
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	}
	show->row = row;
	show->census = census;
	show->depth = opts->depth;
	s->opts = (fm_census_opts)FM_CENSUS_OPTS_INIT;
	s->opts.branch = census->branch;
	s->opts.cache = store;
	s->c.ctx = ctx;
	s->c.repo = repo;
	s->c.git = fm_repo_git(repo);
	s->c.opts = &s->opts;
	s->c.cache_readonly = 1; /* a reader never writes */
	fm_dag_init(&s->c.g);
	s->scratch.name = row->name;
	s->w.row = &s->scratch;
	s->w.head = s->w.mb = FM_DAG_NONE;
	s->w.measure = 1;
	s->c.work = &s->w;
	s->c.nwork = 1;
	if (!(s->c.lines = fm_line_cache_new())) {
		rc = fm_measure_oom(&s->c);
		goto done;
	}
	if ((rc = find_unique(s, census, row)) < 0 ||
	    (rc = breakdown(s, store, opts, show)) < 0)
		goto done;
	show->ids_computed = s->c.ids_computed;
done:
	run_clear(s);
	free(s);
	if (rc < 0) {
		fm_show_free(show);
		return rc;
	}
	*out = show;
	return 0;
}

void fm_show_free(fm_show *show)
{
	size_t i, k;

	if (!show)
		return;
	for (i = 0; i < show->npatches; i++) {
		fm_show_patch *p = &show->patches[i];

		for (k = 0; p->commits && p->commits[k]; k++)
			free(p->commits[k]);
		free(p->commits);
		free(p->subject);
		free(p->author);
	}
	free(show->patches);
	for (i = 0; i < show->ndirs; i++)
		free(show->dirs[i].path);
	free(show->dirs);
	free(show);
}
