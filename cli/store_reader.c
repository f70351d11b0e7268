/*
 * The store as every reader (history, stale, render, diff, log) finds it:
 * --db, else the config's store.path, else forkmap.db in the repository's
 * git dir; opened read-only, never created.
 */
#include <stdlib.h>
#include <string.h>

#include <forkmap/config.h>
#include <forkmap/repo.h>

#include "cli.h"

int cli_store_open_reader(fm_ctx *ctx, const char *db, const char *repo_path,
			  const char *config, fm_store **out, char **path)
{
	fm_config cfg;
	fm_repo *repo = NULL;
	char *found = NULL;
	int rc = 0;

	*out = NULL;
	*path = NULL;
	fm_config_init(&cfg);
	config = db ? NULL : cli_config_path(config);
	if (config && (rc = fm_config_load(ctx, config, &cfg)) < 0)
		goto done;
	if (!db)
		db = cfg.db;
	if (!db) {
		if ((rc = fm_repo_open(ctx,
				       repo_path	? repo_path
				       : cfg.repository ? cfg.repository
							: ".",
				       &repo)) < 0 ||
		    (rc = fm_repo_store_path(ctx, repo, &found)) < 0)
			goto done;
		db = found;
	}
	if (!found && !(found = strdup(db))) {
		rc = fm_error_set(ctx, FM_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = cli_open_store(ctx, db, out)) < 0) /* read-only */
		goto done;
	*path = found;
	found = NULL;
done:
	free(found);
	fm_repo_free(repo);
	fm_config_clear(&cfg);
	return rc;
}
