/*
 * fm_forge_discover, for any forge: the upstream, its forks (top N by
 * stars), forks of forks level by level down to the depth asked, then
 * the branches asked of every fork found, then the rows.
 */
#include <stdlib.h>
#include <string.h>

#include "forge/forge_internal.h"
#include "forge/forge_jobs.h"
#include "forge/forge_rows.h"

/* One listing of kind (FM_FORGE_JOB_*) for each node of v. */
static void run_jobs(fm_forge *forge, fm_ctx *ctx, int kind, int top,
		     const char *glob, const fm_forge_nodes *v)
{
	fm_forge_jobs j;

	memset(&j, 0, sizeof(j));
	j.forge = forge;
	j.ctx = ctx;
	j.kind = kind;
	j.top = top;
	j.glob = glob;
	j.v = v->v;
	j.n = v->n;
	fm_forge_jobs_run(&j);
}

/* List the forks of every node of level with forks of its own. */
static int list_level(fm_forge *forge, fm_ctx *ctx, int top,
		      const fm_forge_nodes *level, fm_forge_nodes *parents)
{
	size_t i;

	/* only repositories with forks of their own cost a request */
	for (i = 0; i < level->n; i++)
		if (!level->v[i]->error && level->v[i]->forks_count != 0 &&
		    fm_forge_nodes_push(parents, level->v[i]) < 0)
			return FM_ENOMEM;
	run_jobs(forge, ctx, FM_FORGE_JOB_FORKS, top, NULL, parents);
	return 0;
}

/* Down to depth: every fork found into all, root's kids first. */
static int list_tree(fm_forge *forge, fm_ctx *ctx, int top, int depth,
		     fm_forge_node *root, fm_forge_nodes *all)
{
	fm_forge_nodes level = FM_FORGE_NODES_INIT;
	size_t i, k;
	int d, rc = 0;

	if (fm_forge_nodes_push(&level, root) < 0)
		return FM_ENOMEM;
	for (d = 1; d <= depth && level.n; d++) {
		fm_forge_nodes parents = FM_FORGE_NODES_INIT;

		rc = list_level(forge, ctx, top, &level, &parents);
		level.n = 0;
		for (i = 0; rc == 0 && i < parents.n; i++)
			for (k = 0; rc == 0 && k < parents.v[i]->kids.n; k++) {
				fm_forge_node *kid = parents.v[i]->kids.v[k];

				if (fm_forge_nodes_push(&level, kid) < 0 ||
				    fm_forge_nodes_push(all, kid) < 0)
					rc = FM_ENOMEM;
			}
		free(parents.v);
		/* without the upstream's own list there is no census */
		if (rc < 0 || root->list_error || fm_forge_is_fatal(forge, ctx))
			break;
	}
	free(level.v);
	return rc;
}

/* The branches matching glob (NULL: all) of every usable fork in all. */
static int list_branches(fm_forge *forge, fm_ctx *ctx, const char *glob,
			 const fm_forge_nodes *all)
{
	fm_forge_nodes todo = FM_FORGE_NODES_INIT;
	size_t i;

	for (i = 0; i < all->n; i++)
		if (all->v[i]->full_name && !all->v[i]->error &&
		    !all->v[i]->never_pushed &&
		    fm_forge_nodes_push(&todo, all->v[i]) < 0) {
			free(todo.v);
			return FM_ENOMEM;
		}
	run_jobs(forge, ctx, FM_FORGE_JOB_BRANCHES, 0, glob, &todo);
	free(todo.v);
	return 0;
}

int fm_forge_discover(fm_ctx *ctx, fm_forge *forge, const char *upstream,
		      const fm_forge_discover_opts *opts, fm_fork_list *out)
{
	fm_forge_discover_opts dflt = FM_FORGE_DISCOVER_OPTS_INIT;
	fm_forge_nodes all = FM_FORGE_NODES_INIT;
	fm_forge_node *root = NULL;
	fm_forge_repo up;
	const char *glob = NULL;
	int all_branches = 0, rc;

	memset(&up, 0, sizeof(up));
	if (!opts)
		opts = &dflt;
	if (opts->branches && *opts->branches &&
	    strcmp(opts->branches, "default") != 0) {
		all_branches = 1;
		if (strcmp(opts->branches, "all") != 0 &&
		    strcmp(opts->branches, FM_BRANCHES_MOST_ADRIFT) != 0)
			glob = opts->branches;
	}
	if ((rc = fm_forge_get_repo(ctx, forge, upstream, &up)) < 0)
		return rc;
	forge->ctx = ctx;
	pthread_mutex_lock(&forge->lock);
	forge->listed = 0;
	/*
	 * For the progress, one level: the top N of the upstream's forks, or
	 * all of them where the forge cannot sort (every page is read). Past
	 * it (never-pushed forks do not count for the top N) the total is
	 * shown as unknown.
	 */
	forge->expect = opts->depth > 1 || up.forks_count <= 0 ? 0
			: !forge->ops->unsorted && opts->top > 0 &&
					opts->top < up.forks_count
				? (size_t)opts->top
				: (size_t)up.forks_count;
	pthread_mutex_unlock(&forge->lock);

	root = calloc(1, sizeof(*root));
	if (!root || !(root->full_name = strdup(up.full_name)))
		goto nomem;
	root->depth = 0;
	root->forks_count = up.forks_count;
	if (list_tree(forge, ctx, opts->top, opts->depth > 0 ? opts->depth : 1,
		      root, &all) < 0)
		goto nomem;
	if (all_branches && !root->list_error &&
	    !fm_forge_is_fatal(forge, ctx) &&
	    list_branches(forge, ctx, glob, &all) < 0)
		goto nomem;
	/*
	 * The upstream's own list that cannot be read (after the retries of
	 * http.c) fails the call: a census of some of its forks would look
	 * complete and is not. A failed list of a fork's forks (depth > 1)
	 * stays an error row: the network is partial, and says so.
	 */
	if (root->list_error) {
		rc = fm_error_set(ctx, FM_ELISTING,
				  "cannot list the forks of '%s': %s",
				  root->full_name, root->list_error);
		free(root->list_error);
		root->list_error = NULL; /* no row: the call failed */
	}
	/* rows: forks level by level (stars first), then failed listings */
	if (fm_forge_rows(out, forge->ops->source, root, &all, all_branches) <
	    0)
		goto nomem;
	fm_forge_report(forge, ctx, "listing", 0, 0);
done:
	pthread_mutex_lock(&forge->lock);
	if (forge->fatal && (rc == 0 || rc == FM_ELISTING))
		rc = fm_error_set(ctx, forge->fatal, "%s", forge->fatal_msg);
	pthread_mutex_unlock(&forge->lock);
	if (rc == 0 && fm_ctx_interrupted(ctx))
		rc = fm_error_set(ctx, FM_EINTERRUPTED, "interrupted");
	free(all.v);
	fm_forge_node_free(root); /* frees every node through kids */
	fm_forge_repo_clear(&up);
	forge->ctx = NULL;
	return rc;
nomem:
	rc = fm_error_set(ctx, FM_ENOMEM, "out of memory");
	goto done;
}
