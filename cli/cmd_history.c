/* forkmap history: the census runs kept in the store. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <forkmap/census.h>
#include <forkmap/runs.h>
#include <forkmap/util.h>

#include "cli.h"
#include "options.h"

struct history_args {
	const char *db, *repo, *config;
};

#define A(field) offsetof(struct history_args, field)
static const cli_opt history_options[] = {
	CLI_STORE_OPTIONS(A),
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
#undef A

static void history_usage(FILE *out)
{
	fputs("usage: forkmap history [--db FILE | -C PATH]\n\n"
	      "List the census runs in the store, newest first: when, "
	      "upstream,\nforks measured/skipped/failed, API requests "
	      "(304s); a run that failed\nwith its error. The store is "
	      "only read.\n\n",
	      out);
	cli_options_help(out, history_options);
	fputc('\n', out);
	cli_exit_codes_help(out);
}

int cmd_history(int argc, char **argv)
{
	struct history_args a = {NULL, NULL, NULL};
	fm_ctx *ctx = NULL;
	fm_store *store = NULL;
	char *db = NULL;
	fm_run_info *runs = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = cli_options_parse(argc, argv, history_options, &a)) != 0) {
		if (rc > 0) {
			history_usage(stdout);
			return EXIT_OK;
		}
		fputs("try 'forkmap history --help'\n", stderr);
		return EXIT_USAGE;
	}
	if (fm_ctx_new(&ctx) < 0)
		return EXIT_FAILURE_OTHER;
	if ((rc = cli_store_open_reader(ctx, a.db, a.repo, a.config, &store,
					&db)) < 0 ||
	    (rc = fm_store_list_runs(ctx, store, &runs, &n)) < 0) {
		cli_error(ctx);
		rc = cli_exit_code(rc);
		goto done;
	}
	printf("%-5s %-20s %-30s %8s %8s %7s %10s\n", "run", "finished (UTC)",
	       "upstream", "measured", "skipped", "failed", "requests");
	for (i = 0; i < n; i++) {
		char when[32];
		time_t t = (time_t)runs[i].finished;
		struct tm tm;
		char *up = fm_term_safe(runs[i].upstream);
		char *error =
			runs[i].error ? fm_term_safe(runs[i].error) : NULL;

		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		printf("%-5lld %-20s ", (long long)runs[i].id, when);
		cli_print_cell(stdout, up, 30, 1);
		if (runs[i].error)
			printf(" failed: %s\n",
			       error ? error : "out of memory");
		else
			printf(" %8ld %8ld %7ld %5ld (%ld)\n", runs[i].measured,
			       runs[i].skipped, runs[i].failed,
			       runs[i].stats.requests,
			       runs[i].stats.not_modified);
		free(up);
		free(error);
	}
	rc = EXIT_OK;
done:
	fm_run_info_free(runs, n);
	fm_store_free(store);
	fm_ctx_free(ctx);
	free(db);
	return rc;
}
