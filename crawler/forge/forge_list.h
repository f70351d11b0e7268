#ifndef FM_FORGE_LIST_H
#define FM_FORGE_LIST_H
/*
 * Inside crawler/forge only: the two listings of a discovery, for any
 * forge: the forks of a repository (most starred first) and its branches.
 */
#include "forge/forge_internal.h"
#include "forge/forge_node.h"

/*
 * List the forks of parent, keeping the first top (<= 0: all; the forge
 * lists the most starred first, so paging stops once they are known), into
 * parent->kids. A failed listing sets parent->list_error. < 0 only for
 * fatal errors (recorded on the forge).
 */
int fm_forge_list_forks(fm_forge *forge, fm_http_conn *conn, fm_ctx *ctx,
			fm_forge_node *parent, int top);

/*
 * Every branch of nd matching the fnmatch glob (NULL: all) into
 * nd->branches; a failed listing sets nd->branch_error. < 0 only for fatal
 * errors.
 */
int fm_forge_list_branches(fm_forge *forge, fm_http_conn *conn, fm_ctx *ctx,
			   fm_forge_node *nd, const char *glob);

#endif
