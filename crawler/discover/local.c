/* Local fork branches: refs of the local repository matching globs. */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "repo/repo_internal.h"

/* Length of the glob's fixed directory prefix (up to the last slash before
 * the first wildcard); forks are named after the rest of the ref. */
static size_t glob_prefix_len(const char *glob)
{
	size_t fixed = strcspn(glob, "*?[");
	size_t i, len = 0;

	for (i = 0; i < fixed; i++)
		if (glob[i] == '/')
			len = i + 1;
	return len;
}

struct discover {
	fm_ctx *ctx;
	const char *const *globs;
	size_t nglobs;
	fm_fork_list *list;
	int rc;
};

static int already_listed(const fm_fork_list *list, const char *ref)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (strcmp(list->items[i].ref, ref) == 0)
			return 1;
	return 0;
}

static int add_ref(const char *refname, void *payload)
{
	struct discover *d = payload;
	size_t i;

	for (i = 0; i < d->nglobs; i++) {
		const char *name;

		if (fnmatch(d->globs[i], refname, 0) != 0)
			continue;
		if (already_listed(d->list, refname))
			return 0;
		name = refname + glob_prefix_len(d->globs[i]);
		if (!*name)
			name = refname;
		if (fm_fork_list_add(d->list, name, name, refname, NULL,
				     FM_SOURCE_LOCAL, NULL) < 0) {
			d->rc = fm_error_set(d->ctx, FM_ENOMEM,
					     "out of memory");
			return -1;
		}
		return 0;
	}
	return 0;
}

static int fork_ref_cmp(const void *a, const void *b)
{
	return strcmp(((const fm_fork *)a)->ref, ((const fm_fork *)b)->ref);
}

int fm_local_discover(fm_ctx *ctx, fm_repo *repo, const char *const *globs,
		      size_t nglobs, fm_fork_list *list)
{
	struct discover d = {ctx, globs, nglobs, list, 0};
	size_t first = list->count;
	int rc;

	if (nglobs == 0)
		return 0;
	/* git_reference_foreach_name walks refs in name order. */
	rc = git_reference_foreach_name(fm_repo_git(repo), add_ref, &d);
	if (d.rc < 0)
		return d.rc;
	if (rc < 0)
		return fm_git_error(ctx, FM_EREPO, rc, "cannot list refs");
	/* Loose and packed refs come in no set order: sort by name. */
	if (list->count > first)
		qsort(list->items + first, list->count - first, sizeof(fm_fork),
		      fork_ref_cmp);
	return 0;
}
