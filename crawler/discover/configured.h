#ifndef FM_DISCOVER_CONFIGURED_H
#define FM_DISCOVER_CONFIGURED_H
/* Inside libforkmap only: forks named in the config file. */
#include <forkmap/config.h>
#include <forkmap/forks.h>

/*
 * Append every [fork "NAME"] section of cfg as a fork to fetch from its url
 * into refs/forkmap/config/<NAME>/<branch> (fm_fork_ref). A name or branch
 * that cannot make a ref becomes that fork's error, not a failure.
 */
int fm_configured_discover(fm_ctx *ctx, const fm_config *cfg,
			   fm_fork_list *list);

#endif
