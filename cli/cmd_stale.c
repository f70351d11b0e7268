/* forkmap stale: forks with unmerged work that went quiet or fell behind. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <forkmap/census.h>
#include <forkmap/export.h>
#include <forkmap/stale.h>
#include <forkmap/util.h>

#include "cli.h"
#include "options.h"

struct stale_args {
	const char *db, *repo, *config;
	long long run, months, base_months;
	fm_date now;
	fm_stale_rank rank;
	int json;
};

static int parse_rank(const cli_opt *o, const char *s, void *field)
{
	static const char *const names[] = {"unique", "patches", NULL};
	int v;

	if (cli_parse_choice(o, s, names, "unique or patches", &v) < 0)
		return -1;
	*(fm_stale_rank *)field = (fm_stale_rank)v;
	return 0;
}

#define A(field) offsetof(struct stale_args, field)
static const cli_opt stale_options[] = {
	CLI_STORE_OPTIONS(A),
	{"run", 0, CLI_NUM, A(run), FM_SET_RUN, "ID",
	 "that census run (default: the latest good one)", NULL},
	{"months", 0, CLI_NUM, A(months), FM_SET_IDLE_MONTHS, "N",
	 "quiet after N months without a commit", NULL},
	{"base-months", 0, CLI_NUM, A(base_months), FM_SET_BASE_MONTHS, "N",
	 "far behind: merge base N months older than\nthe upstream tip; 0: "
	 "never",
	 NULL},
	{"now", 0, CLI_CUSTOM, A(now), 0, "DATE",
	 "judge as of DATE (YYYY-MM-DD or ISO 8601)", cli_parse_date},
	{"rank", 0, CLI_CUSTOM, A(rank), 0, "BY",
	 "most unmerged work by: unique (commits,\ndefault) | patches "
	 "(distinct patch ids: a\nmerging-rebase fork counts each patch once)",
	 parse_rank},
	{"json", 0, CLI_FLAG, A(json), 0, NULL, "JSON instead of the table",
	 NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
#undef A

static void stale_usage(FILE *out)
{
	fputs("usage: forkmap stale [--db FILE [--run ID]] [options]\n\n"
	      "Forks that carry unmerged work (unique > 0) but whose last "
	      "commit is\nolder than --months (fate quiet): the downstreams "
	      "to talk to before\ntheir work is lost. Listed apart from them, "
	      "the hard forks: recent\ncommits, but a merge base more than "
	      "--base-months older than the\nupstream tip (alive on their "
	      "own, not abandoned). Most unmerged work\nfirst. Ages are "
	      "counted to the time of the census run (--now to\nchoose "
	      "another day).\n\n",
	      out);
	cli_options_help(out, stale_options);
	fputc('\n', out);
	cli_exit_codes_help(out);
}

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

/* The rows of one fate, as a table under its heading. */
static void print_group(const fm_stale *s, size_t n, fm_fate fate,
			const char *heading)
{
	char date[FM_DATE_ISO_MAX];
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += s[i].fate == fate;
	if (!k)
		return;
	printf("\n%s (%zu)\n", heading, k);
	printf("%-30s %6s %7s %6s %-10s %-10s %6s %6s  %s\n", "fork", "unique",
	       "patches", "ahead", "release", "last", "idle", "base", "why");
	for (i = 0; i < n; i++) {
		const fm_row *r = s[i].row;
		char *name, *rel, patches[24] = "?";

		if (s[i].fate != fate)
			continue;
		if (r->patches >= 0)
			snprintf(patches, sizeof(patches), "%ld", r->patches);
		name = fm_term_safe(r->name);
		rel = fm_term_safe(r->release);
		cli_print_cell(stdout, name, 30, 1);
		printf(" %6ld %7s %6ld ", r->unique, patches, r->ahead);
		cli_print_cell(stdout, rel, 10, 1);
		printf(" %-10.10s %5ldd %5ldd  %s\n",
		       fm_date_iso(&r->head_date, date), s[i].idle_days,
		       s[i].base_days,
		       fate == FM_FATE_HARD_FORK ? "hard fork"
						 : reason_text(s[i].reasons));
		free(name);
		free(rel);
	}
}

static void print_table(const fm_census *c, const fm_stale *s, size_t n,
			int64_t now)
{
	fm_date when = {now, 0, 1};
	char date[FM_DATE_ISO_MAX], *up = fm_term_safe(c->upstream);
	size_t i, quiet = 0;

	for (i = 0; i < n; i++)
		quiet += s[i].fate == FM_FATE_QUIET;
	printf("%zu stale fork%s of %s as of %.10s\n", quiet,
	       quiet == 1 ? "" : "s", up ? up : "", fm_date_iso(&when, date));
	free(up);
	print_group(s, n, FM_FATE_QUIET,
		    "abandoned: unmerged work, no commit for --months");
	print_group(s, n, FM_FATE_HARD_FORK,
		    "hard forks: alive, but based far behind upstream "
		    "(not abandoned)");
}

int cmd_stale(int argc, char **argv)
{
	struct stale_args a;
	fm_stale_opts opts = FM_STALE_OPTS_INIT;
	fm_ctx *ctx = NULL;
	fm_census *census = NULL;
	fm_stale *list = NULL;
	size_t n = 0;
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = cli_options_parse(argc, argv, stale_options, &a)) != 0) {
		if (rc > 0) {
			stale_usage(stdout);
			return EXIT_OK;
		}
		fputs("try 'forkmap stale --help'\n", stderr);
		return EXIT_USAGE;
	}
	if (a.months >= 0)
		opts.idle_months = (int)a.months;
	if (a.base_months >= 0)
		opts.base_months = (int)a.base_months;
	if (a.now.set)
		opts.now = a.now.time;
	opts.rank = a.rank;
	if (fm_ctx_new(&ctx) < 0)
		return EXIT_FAILURE_OTHER;
	if ((rc = cli_load_census(ctx, a.db, a.repo, a.config,
				  a.run > 0 ? a.run : 0, &census)) < 0)
		goto fail;
	if (!a.now.set)
		opts.now = fm_fate_now(ctx, census);
	if ((rc = fm_stale_find(ctx, census, &opts, &list, &n)) < 0)
		goto fail;
	if (a.json) {
		if ((rc = fm_export_stale_json(ctx, census, list, n, opts.now,
					       stdout)) < 0 ||
		    (fflush(stdout) != 0 &&
		     (rc = fm_error_set(ctx, FM_EIO,
					"cannot write the report")) < 0))
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
