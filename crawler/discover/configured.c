/* Forks configured by URL: hard forks no forge lists as forks. */
#include <stdlib.h>

#include "discover/configured.h"

int fm_configured_discover(fm_ctx *ctx, const fm_config *cfg,
			   fm_fork_list *list)
{
	size_t i;

	for (i = 0; i < cfg->nforks; i++) {
		const fm_config_fork *f = &cfg->forks[i];
		const char *branch = f->branch ? f->branch : "master";
		fm_fork *fork;
		char *ref = NULL;
		int rc;

		rc = fm_fork_ref(NULL, FM_SOURCE_CONFIG, f->name, branch, &ref);
		if (rc == FM_ENOMEM)
			return fm_error_set(ctx, FM_ENOMEM, "out of memory");
		rc = fm_fork_list_add(list, f->name, branch, ref ? ref : "",
				      f->url, FM_SOURCE_CONFIG, &fork);
		free(ref);
		if (rc < 0)
			return fm_error_set(ctx, FM_ENOMEM, "out of memory");
		if (!ref &&
		    fm_fork_set_error(fork,
				      "branch name '%s' of '%s' does not make "
				      "a valid ref",
				      branch, f->name) < 0)
			return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	}
	return 0;
}
