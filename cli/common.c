/* What several subcommands share: numbers, the config file, the store. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <forkmap/config.h>
#include <forkmap/runs.h>

#include "cli.h"

int cli_parse_number(const char *opt, const char *s, long long min,
		     long long max, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr,
			"error: %s wants a whole number from %lld to %lld, "
			"not '%s'\n",
			opt, min, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

const char *cli_config_path(const char *given)
{
	struct stat st;

	if (given)
		return given;
	if (cli_global_config())
		return cli_global_config();
	return stat("forkmap.conf", &st) == 0 ? "forkmap.conf" : NULL;
}

int cli_parse_setting(fm_setting id, const char *s, long long *out)
{
	const fm_setting_info *info = fm_setting_get(id);

	return cli_parse_number(info->option, s, info->min, info->max, out);
}

int cli_open_store(fm_ctx *ctx, const char *db, fm_store **out)
{
	struct stat st;

	*out = NULL;
	/* said here, in the reader's words (the library says "no store") */
	if (stat(db, &st) != 0)
		return fm_error_set(ctx, FM_ESTORE,
				    "no census store at '%s' (run forkmap "
				    "census first, or give --db or --csv)",
				    db);
	return fm_store_open_readonly(ctx, db, out);
}

/* Why run (not 0) is not there to load: it failed, or it never was. */
static int run_not_found(fm_ctx *ctx, fm_store *store, const char *db,
			 int64_t run)
{
	fm_run_info *runs = NULL;
	size_t n = 0, i;
	int rc;

	fm_ctx_clear_error(ctx);
	if ((rc = fm_store_list_runs(ctx, store, &runs, &n)) < 0)
		return rc;
	for (i = 0; i < n && runs[i].id != run; i++)
		;
	if (i < n && runs[i].error)
		rc = fm_error_set(ctx, FM_ENOTFOUND,
				  "census run %lld in '%s' failed: %s",
				  (long long)run, db, runs[i].error);
	else
		rc = fm_error_set(ctx, FM_ENOTFOUND,
				  "no census run %lld in '%s'", (long long)run,
				  db);
	fm_run_info_free(runs, n);
	return rc;
}

/* The store: --db, else store.path of the config, else the repository's. */
int cli_load_census(fm_ctx *ctx, const char *db, const char *repo_path,
		    const char *config, int64_t run, fm_census **out)
{
	fm_store *store = NULL;
	char *db_path = NULL;
	int rc;

	if ((rc = cli_store_open_reader(ctx, db, repo_path, config, &store,
					&db_path)) < 0)
		goto done;
	db = db_path;
	rc = fm_store_load_census(ctx, store, run, out);
	if (rc == FM_ENOTFOUND && run) {
		rc = run_not_found(ctx, store, db, run);
	} else if (rc == FM_ENOTFOUND) {
		fm_ctx_clear_error(ctx);
		rc = fm_error_set(ctx, FM_ENOTFOUND,
				  "no census run in '%s' yet", db);
	}
done:
	fm_store_free(store);
	free(db_path);
	return rc;
}
