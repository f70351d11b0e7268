/* The tree of repositories a discovery found (see forge_node.h). */
#include <stdlib.h>
#include <string.h>

#include <forkmap/common.h>

#include "forge/forge_node.h"

void fm_forge_node_free(fm_forge_node *nd)
{
	size_t i;

	if (!nd)
		return;
	free(nd->full_name);
	free(nd->branch);
	free(nd->clone_url);
	free(nd->error);
	free(nd->list_error);
	free(nd->branch_error);
	for (i = 0; i < nd->nbranches; i++)
		free(nd->branches[i]);
	free(nd->branches);
	for (i = 0; i < nd->kids.n; i++)
		fm_forge_node_free(nd->kids.v[i]);
	free(nd->kids.v);
	free(nd);
}

int fm_forge_nodes_push(fm_forge_nodes *l, fm_forge_node *nd)
{
	if (l->n == l->alloc) {
		size_t alloc = l->alloc ? l->alloc * 2 : 64;
		fm_forge_node **v = realloc(l->v, alloc * sizeof(*v));

		if (!v)
			return FM_ENOMEM;
		l->v = v;
		l->alloc = alloc;
	}
	l->v[l->n++] = nd;
	return 0;
}

int fm_forge_node_add_branch(fm_forge_node *nd, const char *name)
{
	char **nv = realloc(nd->branches, (nd->nbranches + 1) * sizeof(*nv));

	if (!nv)
		return FM_ENOMEM;
	nd->branches = nv;
	if (!(nv[nd->nbranches] = strdup(name)))
		return FM_ENOMEM;
	nd->nbranches++;
	return 0;
}
