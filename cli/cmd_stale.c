/* forkmap stale: forks with unmerged work that went quiet or fell behind. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>

#include <forkmap/census.h>
#include <forkmap/stale.h>
#include <forkmap/util.h>

#include "cli.h"

static const char stale_usage[] =
	"usage: forkmap stale [--db FILE [--run ID]] [options]\n"
	"\n"
	"Forks that carry unmerged work (unique > 0) but whose last commit is\n"
	"older than --months, or whose merge base is more than --base-months\n"
	"older than the upstream tip: the downstreams to talk to before their\n"
	"work is lost. Most unmerged work first. Ages are counted to the time\n"
	"of the census run (--now to choose another day).\n"
	"\n"
	"  --db FILE            census store (default: forkmap.db of -C)\n"
	"  --run ID             that census run (default: the latest)\n"
	"  -C PATH              repository whose store is the default (.)\n"
	"  --config FILE        config file for store.path\n"
	"  --months N           quiet after N months without a commit (6)\n"
	"  --base-months N      far behind: merge base N months older than\n"
	"                       the upstream tip (24; 0: never)\n"
	"  --now DATE           judge as of DATE (YYYY-MM-DD or ISO 8601)\n"
	"  --json               JSON instead of the table\n"
	"  -h, --help           this help\n";

static const char *reason_text(int reasons)
{
	switch (reasons) {
	case FM_STALE_QUIET:
		return "quiet";
	case FM_STALE_BEHIND:
		return "far behind";
	default:
		return "quiet, far behind";
	}
}

static int print_json(fm_ctx *ctx, const fm_census *c, const fm_stale *s,
		      size_t n, int64_t now)
{
	cJSON *doc = cJSON_CreateObject(), *list;
	fm_date when = {now, 0, 1};
	char date[FM_DATE_ISO_MAX], *text = NULL;
	size_t i;
	int ok = doc != NULL;

	ok = ok && cJSON_AddStringToObject(doc, "upstream", c->upstream) &&
	     cJSON_AddStringToObject(doc, "as_of", fm_date_iso(&when, date)) &&
	     (list = cJSON_AddArrayToObject(doc, "stale")) != NULL;
	for (i = 0; ok && i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		const fm_row *r = s[i].row;

		ok = o && cJSON_AddItemToArray(list, o) &&
		     cJSON_AddStringToObject(o, "name", r->name) &&
		     cJSON_AddStringToObject(o, "branch", r->branch) &&
		     cJSON_AddNumberToObject(o, "unique", (double)r->unique) &&
		     cJSON_AddNumberToObject(o, "ahead", (double)r->ahead) &&
		     cJSON_AddStringToObject(o, "release", r->release) &&
		     cJSON_AddStringToObject(
			     o, "head_date",
			     fm_date_iso(&r->head_date, date)) &&
		     cJSON_AddNumberToObject(o, "idle_days",
					     (double)s[i].idle_days) &&
		     cJSON_AddNumberToObject(o, "base_days",
					     (double)s[i].base_days) &&
		     cJSON_AddBoolToObject(o, "quiet",
					   s[i].reasons & FM_STALE_QUIET) &&
		     cJSON_AddBoolToObject(o, "far_behind",
					   s[i].reasons & FM_STALE_BEHIND);
	}
	if (ok && (text = cJSON_Print(doc)) != NULL)
		ok = printf("%s\n", text) >= 0 && fflush(stdout) == 0;
	free(text);
	cJSON_Delete(doc);
	return ok ? 0 : fm_error_set(ctx, FM_EIO, "cannot write the report");
}

static void print_table(const fm_census *c, const fm_stale *s, size_t n,
			int64_t now)
{
	fm_date when = {now, 0, 1};
	char date[FM_DATE_ISO_MAX], *up = fm_term_safe(c->upstream);
	size_t i;

	printf("%zu stale fork%s of %s as of %.10s\n", n, n == 1 ? "" : "s",
	       up ? up : "", fm_date_iso(&when, date));
	free(up);
	if (!n)
		return;
	printf("%-30s %6s %6s %-10s %-10s %6s %6s  %s\n", "fork", "unique",
	       "ahead", "release", "last", "idle", "base", "why");
	for (i = 0; i < n; i++) {
		const fm_row *r = s[i].row;
		char *name = fm_term_safe(r->name),
		     *rel = fm_term_safe(r->release);

		printf("%-30.30s %6ld %6ld %-10.10s %-10.10s %5ldd %5ldd  %s\n",
		       name ? name : "", r->unique, r->ahead, rel ? rel : "",
		       fm_date_iso(&r->head_date, date), s[i].idle_days,
		       s[i].base_days, reason_text(s[i].reasons));
		free(name);
		free(rel);
	}
}

int cmd_stale(int argc, char **argv)
{
	static const struct option options[] = {
		{"db", required_argument, NULL, 'd'},
		{"run", required_argument, NULL, 'r'},
		{"config", required_argument, NULL, 'c'},
		{"months", required_argument, NULL, 'm'},
		{"base-months", required_argument, NULL, 'b'},
		{"now", required_argument, NULL, 'n'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db = NULL, *repo = NULL, *config = NULL, *now_arg = NULL;
	long long run = 0, v;
	fm_stale_opts opts = FM_STALE_OPTS_INIT;
	fm_ctx *ctx = NULL;
	fm_census *census = NULL;
	fm_stale *list = NULL;
	size_t n = 0;
	int c, rc, json = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "C:h", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'C':
			repo = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'n':
			now_arg = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'r':
			if (cli_parse_number("--run", optarg, 1, INT64_MAX,
					     &run) < 0)
				return EXIT_USAGE;
			break;
		case 'm':
			if (cli_parse_number("--months", optarg, 0, 1200, &v) <
			    0)
				return EXIT_USAGE;
			opts.idle_months = (int)v;
			break;
		case 'b':
			if (cli_parse_number("--base-months", optarg, 0, 1200,
					     &v) < 0)
				return EXIT_USAGE;
			opts.base_months = (int)v;
			break;
		case 'h':
			fputs(stale_usage, stdout);
			return EXIT_OK;
		default:
			fputs("try 'forkmap stale --help'\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "error: unexpected argument '%s'\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	if (fm_ctx_new(&ctx) < 0)
		return EXIT_FAILURE_OTHER;
	if (now_arg) {
		fm_date d;

		if (fm_date_parse(now_arg, &d) < 0 || !d.set) {
			fprintf(stderr, "error: --now wants a date, not '%s'\n",
				now_arg);
			rc = EXIT_USAGE;
			goto done;
		}
		opts.now = d.time;
	}
	if ((rc = cli_load_census(ctx, db, repo, config, run, &census)) < 0)
		goto fail;
	if (!now_arg)
		opts.now = census->finished ? census->finished
					    : (int64_t)time(NULL);
	if ((rc = fm_stale_find(ctx, census, &opts, &list, &n)) < 0)
		goto fail;
	if (json) {
		if ((rc = print_json(ctx, census, list, n, opts.now)) < 0)
			goto fail;
	} else {
		print_table(census, list, n, opts.now);
	}
	rc = EXIT_OK;
	goto done;
fail:
	cli_error(ctx);
	rc = cli_exit_code(rc);
done:
	free(list);
	fm_census_free(census);
	fm_ctx_free(ctx);
	return rc;
}
