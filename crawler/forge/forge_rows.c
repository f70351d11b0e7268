/* The fork rows of a discovery (see forge_rows.h). */
#include <stdlib.h>
#include <string.h>

#include "forge/forge_rows.h"
#include "forge/forge_seen.h"

static int add_row(fm_fork_list *out, fm_source source, const fm_forge_node *nd,
		   const char *branch, const char *error)
{
	char *ref = NULL;
	fm_fork *f;
	int valid = 1, rc;

	if (branch && *branch) {
		/* a NULL context: an invalid name becomes the row's error */
		rc = fm_fork_ref(NULL, source, nd->full_name, branch, &ref);
		if (rc == FM_ENOMEM)
			return rc;
		valid = rc == 0;
	}
	rc = fm_fork_list_add(out, nd->full_name, branch ? branch : "",
			      ref ? ref : "", nd->clone_url, source, &f);
	free(ref);
	if (rc < 0)
		return rc;
	f->stars = nd->stars;
	f->depth = nd->depth;
	if (!error && nd->never_pushed &&
	    !(f->skipped = strdup("never pushed")))
		return FM_ENOMEM;
	if (error)
		rc = fm_fork_set_error(f, "%s", error);
	else if (branch && *branch && !valid)
		rc = fm_fork_set_error(f,
				       "branch name '%s' of '%s' does not make "
				       "a valid ref",
				       branch, nd->full_name);
	else if (!branch || !*branch)
		rc = fm_fork_set_error(f, "no branch to measure");
	return rc;
}

static int add_rows(fm_fork_list *out, fm_source source,
		    const fm_forge_node *nd, int all_branches)
{
	size_t i;
	int rc = 0;

	if (!nd->full_name) /* an entry without a name */
		return 0;
	if (nd->error)
		return add_row(out, source, nd, nd->branch, nd->error);
	if (!all_branches || nd->never_pushed)
		return add_row(out, source, nd, nd->branch, NULL);
	if (nd->branch_error)
		return add_row(out, source, nd, nd->branch, nd->branch_error);
	for (i = 0; i < nd->nbranches && rc == 0; i++)
		rc = add_row(out, source, nd, nd->branches[i], NULL);
	return rc;
}

/* A row with an error only: name, no branch, ref nor URL. */
static int add_error_row(fm_fork_list *out, fm_source source, const char *name,
			 const char *what, const char *why)
{
	fm_fork *f;
	int rc;

	rc = fm_fork_list_add(out, name, "", "", NULL, source, &f);
	if (rc < 0)
		return rc;
	if (what)
		return fm_fork_set_error(f, "cannot list forks of '%s': %s",
					 what, why);
	return fm_fork_set_error(f, "%s", why);
}

int fm_forge_rows(fm_fork_list *out, fm_source source,
		  const fm_forge_node *root, const fm_forge_nodes *all,
		  int all_branches)
{
	fm_forge_seen seen = FM_FORGE_SEEN_INIT;
	size_t i;
	int rc = 0;

	/* a repository listed under two parents (forks of forks) is one
	 * fork: the first, nearest the upstream */
	for (i = 0; i < all->n && rc >= 0; i++) {
		const fm_forge_node *nd = all->v[i];

		if (nd->full_name &&
		    (rc = fm_forge_seen_fork(&seen, nd->id, nd->full_name)) !=
			    0)
			continue;
		rc = add_rows(out, source, nd, all_branches);
	}
	fm_forge_seen_clear(&seen);
	if (rc < 0)
		return rc;
	if (root->list_error &&
	    (rc = add_error_row(out, source, root->full_name, root->full_name,
				root->list_error)) < 0)
		return rc;
	for (i = 0; i < all->n; i++) {
		const fm_forge_node *nd = all->v[i];

		if (nd->list_error &&
		    (rc = add_error_row(out, source, nd->full_name,
					nd->full_name, nd->list_error)) < 0)
			return rc;
		if (!nd->full_name && nd->error &&
		    (rc = add_error_row(out, source, "?", NULL, nd->error)) < 0)
			return rc;
	}
	return 0;
}
