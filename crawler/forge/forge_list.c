/*
 * Listing forks and branches, for any forge (see forge_list.h): what an
 * entry must hold to become a fork, that it is taken once, and when to
 * stop paging.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/date.h>

#include "forge/forge_list.h"
#include "forge/forge_seen.h"

/* A node from one entry of a forks list; NULL on allocation failure. */
static fm_forge_node *node_from_entry(const struct fm_forge_ops *ops,
				      const fm_forge_entry *e, int depth,
				      const char *where, size_t index)
{
	fm_forge_node *nd = calloc(1, sizeof(*nd));
	const char *full = e->full_name, *url = e->clone_url,
		   *branch = e->default_branch;

	if (!nd)
		return NULL;
	nd->depth = depth;
	nd->id = e->id;
	nd->stars = e->stars;
	nd->forks_count = e->forks_count;
	if (!full || !ops->name_ok(full)) {
		nd->error = fm_forge_strdupf("unexpected JSON from GET %s: "
					     "entry %zu has no usable "
					     "full_name",
					     where, index);
		if (!nd->error)
			goto nomem;
		return nd;
	}
	if (!(nd->full_name = strdup(full)))
		goto nomem;
	if (branch && *branch && !(nd->branch = strdup(branch)))
		goto nomem;
	if (url && *url && !(nd->clone_url = strdup(url)))
		goto nomem;
	if (nd->clone_url && !fm_forge_clone_url_ok(nd->clone_url)) {
		nd->error = fm_forge_strdupf("GET %s: entry %zu ('%s') has a "
					     "clone_url that is not https, "
					     "http or git: refused",
					     where, index, full);
		if (!nd->error)
			goto nomem;
		return nd;
	}
	if (!nd->branch || !nd->clone_url) {
		nd->error = fm_forge_strdupf(
			"unexpected JSON from GET %s: entry %zu ('%s') has no "
			"%s",
			where, index, full,
			nd->branch ? "clone_url" : "default_branch");
		if (!nd->error)
			goto nomem;
	}
	return nd;
nomem:
	fm_forge_node_free(nd);
	return NULL;
}

/*
 * A fork never pushed since it was created holds its parent's commits at
 * most: it cannot be ahead, and is skipped without a fetch.
 */
static int never_pushed(const fm_forge_entry *e)
{
	fm_date pushed, created;

	return fm_date_parse(e->pushed_at, &pushed) == 0 && pushed.set &&
	       fm_date_parse(e->created_at, &created) == 0 && created.set &&
	       pushed.time <= created.time;
}

struct fork_page {
	fm_forge *forge;
	fm_ctx *ctx;
	fm_forge_node *parent;
	int top;
	size_t got;	    /* forks that can carry work */
	fm_forge_seen seen; /* identities taken: "#ID" and "name" */
};

static int take_fork(const void *item, const fm_forge_page *page, size_t index,
		     void *payload)
{
	struct fork_page *fp = payload;
	const fm_forge_entry *e = item;
	int sorted = !fp->forge->ops->unsorted;
	fm_forge_node *nd;
	int dup;

	if (sorted && fp->top > 0 && fp->got >= (size_t)fp->top)
		return 0;
	/* a duplicate must not take the place of a real fork in the top N */
	if ((dup = fm_forge_seen_fork(&fp->seen, e->id, e->full_name)) != 0)
		return dup < 0 ? -1 : 1;
	nd = node_from_entry(fp->forge->ops, e, fp->parent->depth + 1,
			     page->shown, index);
	if (!nd || fm_forge_nodes_push(&fp->parent->kids, nd) < 0) {
		fm_forge_node_free(nd);
		return -1;
	}
	nd->never_pushed = !nd->error && never_pushed(item);
	if (!nd->never_pushed)
		fp->got++;
	fm_forge_report(fp->forge, fp->ctx, "listing", 0, 1);
	/* Sorted by stars: once the top N are known, stop paging. */
	return !sorted || fp->top <= 0 || fp->got < (size_t)fp->top;
}

/* Most starred first; equal stars keep the forge's order. */
static int by_stars(const void *a, const void *b)
{
	const fm_forge_node *x = *(fm_forge_node *const *)a;
	const fm_forge_node *y = *(fm_forge_node *const *)b;

	if (x->stars != y->stars)
		return x->stars > y->stars ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/*
 * A forge that cannot sort by stars listed every fork: the top ones that
 * can carry work are kept, with the never pushed ones ranked above the
 * last of them (as a sorted listing would have shown them).
 */
static void keep_top(fm_forge_nodes *kids, int top)
{
	size_t i, got = 0, keep;

	for (i = 0; i < kids->n; i++)
		kids->v[i]->order = i;
	qsort(kids->v, kids->n, sizeof(*kids->v), by_stars);
	if (top <= 0)
		return;
	for (keep = 0; keep < kids->n && got < (size_t)top; keep++)
		if (!kids->v[keep]->never_pushed)
			got++;
	for (i = keep; i < kids->n; i++)
		fm_forge_node_free(kids->v[i]);
	kids->n = keep;
}

int fm_forge_list_forks(fm_forge *forge, fm_http_conn *conn, fm_ctx *ctx,
			fm_forge_node *parent, int top)
{
	struct fork_page fp = {forge, ctx, parent, top, 0, FM_FORGE_SEEN_INIT};
	int rc;

	rc = fm_forge_walk(
		forge, conn, ctx, forge->ops->forks_url(parent->full_name),
		forge->ops->parse_forks, &parent->list_error, take_fork, &fp);
	fm_forge_seen_clear(&fp.seen);
	if (rc == 0 && forge->ops->unsorted)
		keep_top(&parent->kids, top);
	return rc;
}

struct branch_page {
	fm_forge_node *nd;
	const char *glob;
	fm_forge_seen seen; /* a branch listed twice is one row */
};

static int take_branch(const void *item, const fm_forge_page *page,
		       size_t index, void *payload)
{
	struct branch_page *bp = payload;
	const char *name = item;

	int rc;

	(void)page;
	(void)index;
	if (!name || !*name || (bp->glob && fnmatch(bp->glob, name, 0) != 0))
		return 1;
	if ((rc = fm_forge_seen_add(&bp->seen, name)) <= 0)
		return rc < 0 ? -1 : 1;
	return fm_forge_node_add_branch(bp->nd, name) < 0 ? -1 : 1;
}

int fm_forge_list_branches(fm_forge *forge, fm_http_conn *conn, fm_ctx *ctx,
			   fm_forge_node *nd, const char *glob)
{
	struct branch_page bp = {nd, glob, FM_FORGE_SEEN_INIT};
	int rc;

	rc = fm_forge_walk(forge, conn, ctx,
			   forge->ops->branches_url(nd->full_name),
			   forge->ops->parse_branches, &nd->branch_error,
			   take_branch, &bp);
	fm_forge_seen_clear(&bp.seen);
	return rc;
}
