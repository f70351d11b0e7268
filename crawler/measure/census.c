/*
 * The census: every fork measured against the upstream branch, in steps
 * that each live in their own file (see measure.h for the list).
 *
 * The work is organised so nothing shared is done twice: a fork whose row
 * an earlier census stored under the same key is not measured again
 * (reuse.c), the commit graph of the other forks is loaded once (dag.c),
 * upstream reachability is marked once
 * (walk.c), patch ids are computed once per commit for all forks together
 * and on all cores (unique.c), and per-blob line counts are cached for the
 * whole census (linedelta.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <forkmap/measure.h>
#include <forkmap/runs.h>

#include "core/parallel.h"
#include "measure/measure.h"
#include "repo/repo_internal.h"
#include "store/cache.h"

static const char *const default_describe[] = {"v[0-9]*", "[0-9]*"};
static const char *const default_skip[] = {"staging", "*-next"};

/* Monotonic seconds, for the phase timings logged at debug level. */
static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void phase_done(struct fm_measure *c, const char *what, double *t0)
{
	double now = mono();

	fm_log(c->ctx, FM_LOG_DEBUG, "census: %s took %.2f s", what, now - *t0);
	*t0 = now;
}

int fm_measure_oom(struct fm_measure *c)
{
	return fm_error_set(c->ctx, FM_ENOMEM, "out of memory");
}

/*
 * One cached value. A store that cannot be read is only a cache miss: its
 * message must not linger on the context as the census's error.
 */
int fm_measure_cache_get(struct fm_measure *c, const char *table,
			 const char *key, int64_t *value)
{
	int rc = fm_store_cache_get(c->ctx, c->opts->cache, table, key, value);

	if (rc < 0 && rc != FM_ENOTFOUND)
		fm_ctx_clear_error(c->ctx);
	return rc;
}

void fm_measure_cache_end(struct fm_measure *c, int rc, const char *what)
{
	fm_store *store = c->opts->cache;

	if (rc == 0)
		rc = fm_store_commit(c->ctx, store);
	if (rc < 0) {
		fm_store_rollback(store);
		fm_log(c->ctx, FM_LOG_WARN, "cannot cache %s: %s", what,
		       fm_ctx_errmsg(c->ctx));
		fm_ctx_clear_error(c->ctx);
	}
}

static int resolve_commit(git_repository *git, const char *spec, git_oid *out)
{
	git_object *obj = NULL, *peeled = NULL;
	git_reference *ref = NULL;
	int rc;

	rc = git_reference_dwim(&ref, git, spec);
	if (rc == 0)
		rc = git_reference_peel(&peeled, ref, GIT_OBJECT_COMMIT);
	else if ((rc = git_revparse_single(&obj, git, spec)) == 0)
		rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	if (rc == 0)
		git_oid_cpy(out, git_object_id(peeled));
	git_object_free(peeled);
	git_object_free(obj);
	git_reference_free(ref);
	return rc;
}

/* Resolve the upstream tip and every fork's head (row->head). */
static int resolve_heads(struct fm_measure *c, git_oid *upstream)
{
	size_t i;

	if (resolve_commit(c->git, c->opts->branch, upstream) < 0)
		return fm_git_error(c->ctx, FM_ENOTFOUND, GIT_ENOTFOUND, "");
	for (i = 0; i < c->nwork; i++) {
		struct fm_fork_work *w = &c->work[i];
		char what[512];
		git_oid tip;

		if (!w->measure)
			continue;
		if (resolve_commit(c->git, w->row->ref, &tip) < 0) {
			snprintf(what, sizeof(what), "cannot resolve '%s'",
				 w->row->ref);
			fm_measure_row_fail_git(w, what);
			continue;
		}
		fm_measure_hex(w->row->head, &tip);
	}
	return 0;
}

/*
 * The roots of the graph: the upstream tip, the heads of the forks still
 * to measure (reused ones need no history) and the tags.
 */
static int graph_roots(struct fm_measure *c, const git_oid *upstream,
		       git_oid **roots, size_t *nroots, size_t **root_of)
{
	size_t i, n = 0;

	*roots = calloc(1 + c->nwork + c->tags.count, sizeof(git_oid));
	*root_of = calloc(c->nwork ? c->nwork : 1, sizeof(size_t));
	if (!*roots || !*root_of)
		return fm_measure_oom(c);
	git_oid_cpy(&(*roots)[n++], upstream);
	for (i = 0; i < c->nwork; i++) {
		if (!c->work[i].measure)
			continue;
		git_oid_fromstr(&(*roots)[n], c->work[i].row->head);
		(*root_of)[i] = n++;
	}
	for (i = 0; i < c->tags.count; i++)
		git_oid_cpy(&(*roots)[n++], &c->tags.items[i].commit);
	*nroots = n;
	return 0;
}

/* Measure the forks not reused, on the commit graph. */
static int measure_graph(struct fm_measure *c, const git_oid *upstream,
			 fm_census *out)
{
	git_oid *roots = NULL;
	size_t *root_of = NULL, nroots = 0, i;
	uint32_t *root_nodes = NULL;
	fm_dag_marks seen = {0}, common = {0};
	fm_dag_list stack = {0}, boundary = {0};
	char hex[GIT_OID_HEXSZ + 1];
	double t0 = mono();
	int rc;

	if ((rc = graph_roots(c, upstream, &roots, &nroots, &root_of)) < 0)
		goto done;
	c->g.progress = &c->progress;
	root_nodes = calloc(nroots, sizeof(*root_nodes));
	if (!root_nodes) {
		rc = fm_measure_oom(c);
		goto done;
	}
	if ((rc = fm_dag_load(c->ctx, &c->g, c->git, roots, nroots,
			      root_nodes)) < 0)
		goto done;
	fm_log(c->ctx, FM_LOG_DEBUG, "census: %u commits, %zu tags", c->g.count,
	       c->tags.count);
	phase_done(c, "loading the commit graph", &t0);
	c->upstream = root_nodes[0];
	if (c->g.nodes[c->upstream].state != FM_DAG_LOADED) {
		fm_measure_hex(hex, &roots[0]);
		rc = fm_error_set(c->ctx, FM_EREPO,
				  "upstream commit %s cannot be read", hex);
		goto done;
	}
	for (i = 0; i < c->nwork; i++)
		if (c->work[i].measure)
			c->work[i].head = root_nodes[root_of[i]];
	if ((rc = fm_tags_index(c->ctx, &c->tags, &c->g)) < 0 ||
	    (rc = fm_measure_mark_upstream(c)) < 0)
		goto done;
	/* Written by worker processes: shared memory. */
	c->header = fm_shared_calloc(c->g.count, sizeof(*c->header));
	c->full = fm_shared_calloc(c->g.count, sizeof(*c->full));
	c->header_state = fm_shared_calloc(c->g.count, 1);
	c->full_state = fm_shared_calloc(c->g.count, 1);
	if (!c->header || !c->full || !c->header_state || !c->full_state ||
	    fm_dag_marks_init(&seen, &c->g) < 0 ||
	    fm_dag_marks_init(&common, &c->g) < 0) {
		rc = fm_measure_oom(c);
		goto done;
	}
	c->progress.step = "walking history";
	c->progress.unit = "forks";
	c->progress.total = c->nwork;
	for (i = 0; i < c->nwork; i++) {
		struct fm_fork_work *w = &c->work[i];

		c->progress.done = i;
		if (i % (c->nwork / 64 + 1) == 0) /* about 64 reports */
			fm_progress_report(c->ctx, &c->progress);
		if (!w->measure)
			continue;
		if (fm_ctx_interrupted(c->ctx)) {
			rc = fm_error_set(c->ctx, FM_EINTERRUPTED,
					  "interrupted");
			goto done;
		}
		if ((rc = fm_measure_walk_fork(c, w, &seen, &common, &stack,
					       &boundary)) < 0)
			goto done;
		if (w->measure && w->row->ahead == 0 && !c->opts->keep_empty) {
			if (!(w->row->skipped = strdup("ahead == 0"))) {
				rc = fm_measure_oom(c);
				goto done;
			}
			w->measure = 0;
		}
	}
	c->progress.done = c->nwork;
	fm_progress_report(c->ctx, &c->progress);
	c->progress.step = c->progress.unit = NULL;
	phase_done(c, "walks", &t0);
	if ((rc = fm_measure_unique(c)) < 0)
		goto done;
	phase_done(c, "patch ids", &t0);
	if ((rc = fm_measure_patch_files(c)) < 0)
		goto done;
	phase_done(c, "files of the patches", &t0);
	if ((rc = fm_measure_bases(c)) < 0 ||
	    (rc = fm_measure_release_nodes(c, out)) < 0)
		goto done;
	phase_done(c, "base tags and releases", &t0);
	if ((rc = fm_measure_line_deltas(c, out)) < 0)
		goto done;
	phase_done(c, "line deltas and tree sizes", &t0);
	for (i = 0; i < c->nwork; i++) {
		struct fm_fork_work *w = &c->work[i];

		if (!w->measure || w->oom)
			continue;
		fm_measure_hex(w->row->merge_base, fm_dag_oid(&c->g, w->mb));
		w->row->head_date = fm_dag_date(&c->g.nodes[w->head]);
		w->row->merge_base_date = fm_dag_date(&c->g.nodes[w->mb]);
	}
	fm_measure_hex(out->head, fm_dag_oid(&c->g, c->upstream));
	out->head_date = fm_dag_date(&c->g.nodes[c->upstream]);
done:
	free(roots);
	free(root_of);
	free(root_nodes);
	fm_dag_marks_clear(&seen);
	fm_dag_marks_clear(&common);
	fm_dag_list_clear(&stack);
	fm_dag_list_clear(&boundary);
	return rc;
}

/*
 * git's "did you mean": the local branch closest to a branch that is not
 * there (at most two edits away), or "" when none is. Names only, so the
 * walk over the branches is cheap even in a big repository.
 */
static void closest_branch(git_repository *g, const char *want, char *out,
			   size_t size)
{
	git_branch_iterator *it = NULL;
	git_reference *ref;
	git_branch_t type;
	size_t best = 3;

	out[0] = '\0';
	if (git_branch_iterator_new(&it, g, GIT_BRANCH_LOCAL) < 0)
		return;
	while (git_branch_next(&ref, &type, it) == 0) {
		const char *name = NULL;
		size_t d;

		if (git_branch_name(&name, ref) == 0 && name &&
		    (d = fm_edit_distance(want, name)) < best && d > 0) {
			best = d;
			snprintf(out, size, "%s", name);
		}
		git_reference_free(ref);
	}
	git_branch_iterator_free(it);
	git_error_clear();
}

static int measure(struct fm_measure *c, const fm_fork_list *list,
		   fm_census *out)
{
	git_oid upstream;
	size_t i, left = 0;
	double t0 = mono();
	int rc;

	if ((rc = fm_measure_rows(c, list, out)) < 0 ||
	    (rc = fm_tags_collect(c->ctx, c->git, c->describe, c->ndescribe,
				  c->release_re, &c->tags)) < 0)
		return rc;
	if ((rc = resolve_heads(c, &upstream)) < 0) {
		if (rc != FM_ENOTFOUND)
			return rc;
		char hint[256];

		fm_ctx_clear_error(c->ctx);
		closest_branch(c->git, c->opts->branch, hint, sizeof(hint));
		if (hint[0])
			return fm_error_set(c->ctx, FM_ENOTFOUND,
					    "upstream branch '%s' not found in "
					    "'%s'; did you mean '%s'?",
					    c->opts->branch,
					    fm_repo_path(c->repo), hint);
		return fm_error_set(c->ctx, FM_ENOTFOUND,
				    "upstream branch '%s' not found in '%s'",
				    c->opts->branch, fm_repo_path(c->repo));
	}
	c->progress.phase = "measuring";
	c->progress.forks_total = c->nwork;
	if ((rc = fm_measure_reuse_rows(c, &upstream)) < 0)
		return rc;
	for (i = 0; i < c->nwork; i++)
		left += c->work[i].measure;
	/* Every row read back: so are the nodes, and no graph is loaded. */
	if (left || (rc = fm_measure_reuse_nodes(c, out, &upstream)) == 0)
		rc = measure_graph(c, &upstream, out);
	if (rc < 0)
		return rc;
	phase_done(c, "measuring", &t0);
	for (i = 0; i < c->nwork; i++) {
		struct fm_fork_work *w = &c->work[i];

		if (w->oom) /* a row without its error would read measured */
			return fm_measure_oom(c);
		if (w->measure || w->reused)
			c->progress.forks_measured++;
	}
	fm_measure_reuse_save(c, out);
	fm_progress_report(c->ctx, &c->progress);
	return 0;
}

static void census_clear(struct fm_measure *c)
{
	fm_measure_clear(c);
	free(c->work);
}

void fm_measure_clear(struct fm_measure *c)
{
	size_t i;

	fm_tags_clear(&c->tags);
	for (i = 0; i < c->nwork; i++) {
		fm_dag_list_clear(&c->work[i].mine);
		fm_dag_list_clear(&c->work[i].theirs);
		fm_dag_list_clear(&c->work[i].uniq);
	}
	free(c->in_u);
	fm_dag_list_clear(&c->u_nodes);
	fm_dag_list_clear(&c->wanted);
	fm_shared_free(c->header, c->g.count, sizeof(*c->header));
	fm_shared_free(c->full, c->g.count, sizeof(*c->full));
	fm_shared_free(c->header_state, c->g.count, 1);
	fm_shared_free(c->full_state, c->g.count, 1);
	fm_line_cache_free(c->lines);
	fm_release_re_free(c->release_re);
	fm_dag_clear(&c->g);
}

static char *default_name(fm_repo *repo)
{
	char *path = strdup(fm_repo_path(repo)), *end, *base, *name;
	size_t len;

	if (!path)
		return NULL;
	len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		path[--len] = '\0';
	if (len > 5 && !strcmp(path + len - 5, "/.git")) /* work tree */
		path[len -= 5] = '\0';
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	end = base + strlen(base);
	if (end - base > 4 && !strcmp(end - 4, ".git"))
		end[-4] = '\0';
	name = strdup(base);
	free(path);
	return name;
}

int fm_census_measure(fm_ctx *ctx, fm_repo *repo, const fm_census_opts *opts,
		      const fm_fork_list *list, fm_census **out)
{
	fm_census_opts o = *opts;
	struct fm_measure c;
	fm_census *census;
	char *branch = NULL;
	int rc;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	census = calloc(1, sizeof(*census));
	if (!census)
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	census->started = fm_ctx_now(ctx);
	c.ctx = ctx;
	c.repo = repo;
	c.git = fm_repo_git(repo);
	c.opts = &o;
	fm_dag_init(&c.g);
	c.describe = o.describe ? o.describe : default_describe;
	c.ndescribe = o.describe ? o.ndescribe : 2;
	c.skip = o.skip ? o.skip : default_skip;
	c.nskip = o.skip ? o.nskip : 2;
	c.progress.remaining = -1;
	if (!o.branch) {
		if ((rc = fm_repo_head_branch(ctx, repo, &branch)) < 0)
			goto done;
		o.branch = branch;
	}
	if ((rc = fm_release_re_new(
		     ctx, o.release ? o.release : FM_DEFAULT_RELEASE_REGEX,
		     &c.release_re)) < 0)
		goto done;
	if (!(c.lines = fm_line_cache_new())) {
		rc = fm_measure_oom(&c);
		goto done;
	}
	census->branch = strdup(o.branch);
	census->upstream = o.upstream ? strdup(o.upstream) : default_name(repo);
	if (!census->branch || !census->upstream) {
		rc = fm_measure_oom(&c);
		goto done;
	}
	if ((rc = measure(&c, list, census)) < 0)
		goto done;
	census->finished = fm_ctx_now(ctx);
done:
	census_clear(&c);
	free(branch);
	if (rc < 0) {
		fm_census_free(census);
		return rc;
	}
	*out = census;
	return 0;
}
