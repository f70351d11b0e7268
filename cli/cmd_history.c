/* forkmap history: the census runs kept in the store. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <forkmap/census.h>
#include <forkmap/runs.h>
#include <forkmap/util.h>

#include "cli.h"

static const char history_usage[] =
	"usage: forkmap history --db FILE\n"
	"\n"
	"List the census runs in the store, newest first: when, upstream,\n"
	"forks measured/skipped/failed, API requests (304s).\n";

int cmd_history(int argc, char **argv)
{
	static const struct option options[] = {
		{"db", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db = NULL;
	fm_ctx *ctx = NULL;
	fm_store *store = NULL;
	fm_run_info *runs = NULL;
	size_t n = 0, i;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'd') {
			db = optarg;
		} else if (c == 'h') {
			fputs(history_usage, stdout);
			return EXIT_OK;
		} else {
			fputs("try 'forkmap history --help'\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (!db || optind < argc) {
		fputs(history_usage, stderr);
		return EXIT_USAGE;
	}
	if (fm_ctx_new(&ctx) < 0)
		return EXIT_FAILURE_OTHER;
	if ((rc = fm_store_open(ctx, db, &store)) < 0 ||
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

		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		printf("%-5lld %-20s %-30.30s %8ld %8ld %7ld %5ld (%ld)\n",
		       (long long)runs[i].id, when, up ? up : "",
		       runs[i].measured, runs[i].skipped, runs[i].failed,
		       runs[i].stats.requests, runs[i].stats.not_modified);
		free(up);
	}
	rc = EXIT_OK;
done:
	fm_run_info_free(runs, n);
	fm_store_free(store);
	fm_ctx_free(ctx);
	return rc;
}
