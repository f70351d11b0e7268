#ifndef FM_FORGE_ROWS_H
#define FM_FORGE_ROWS_H
/*
 * Inside crawler/forge only: the fork rows of a discovery, for any forge.
 * A fork the forge could not describe is a row with an error, never a
 * failure; a listing that failed is a row named after the repository whose
 * forks could not be listed, with an empty branch and ref.
 */
#include <forkmap/forks.h>

#include "forge/forge_node.h"

/*
 * Append the rows of root's tree to out: the forks in all (level by
 * level, most starred first), one per branch with all_branches (else
 * their default branch), then the failed listings (root's first) and the
 * entries without a usable name (named "?"). FM_ENOMEM or 0.
 */
int fm_forge_rows(fm_fork_list *out, fm_source source,
		  const fm_forge_node *root, const fm_forge_nodes *all,
		  int all_branches);

#endif
