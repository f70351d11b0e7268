/* forkmap log: one fork's numbers across the census runs. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/history.h>
#include <forkmap/util.h>

#include "cli.h"
#include "options.h"

struct log_args {
	const char *db, *repo, *config;
	int json;
};

#define A(field) offsetof(struct log_args, field)
static const cli_opt log_options[] = {
	CLI_STORE_OPTIONS(A),
	{"json", 0, CLI_FLAG, A(json), 0, NULL, "JSON instead of the table",
	 NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
#undef A

static void log_usage(FILE *out)
{
	fputs("usage: forkmap log FORK [options]\n\n"
	      "One fork's numbers in every good census run that has it, "
	      "oldest run\nfirst. FORK is NAME (when one fork has that "
	      "name), NAME:BRANCH or\nNAME/BRANCH (acme/qemu:stable, "
	      "acme/qemu/stable).\n\n",
	      out);
	cli_options_help(out, log_options);
	fputc('\n', out);
	cli_exit_codes_help(out);
}

static void put_num(long v)
{
	if (v < 0)
		printf(" %7s", "?");
	else
		printf(" %7ld", v);
}

static void print_table(const fm_history *h)
{
	const fm_row *first = h->entries[0].row;
	char *name = fm_term_safe(first->name),
	     *branch = fm_term_safe(first->branch);
	char date[FM_DATE_ISO_MAX];
	size_t i;

	printf("%s:%s (%s), %zu run%s\n", name ? name : "",
	       branch ? branch : "", fm_source_name(first->source), h->n,
	       h->n == 1 ? "" : "s");
	free(name);
	free(branch);
	printf("%-5s %-10s %-7s %-7s %-12s %7s %7s %7s %7s %7s  %s\n", "run",
	       "date", "head", "base", "release", "ahead", "behind", "unique",
	       "+lines", "-lines", "last commit");
	for (i = 0; i < h->n; i++) {
		const fm_history_entry *e = &h->entries[i];
		const fm_row *r = e->row;
		fm_date when = {e->when, 0, 1};
		char *rel = fm_term_safe(r->release), *why;

		printf("%-5lld %.10s %-7.7s %-7.7s ", (long long)e->run_id,
		       fm_date_iso(&when, date), *r->head ? r->head : "?",
		       *r->merge_base ? r->merge_base : "?");
		cli_print_cell(stdout, rel && *rel ? rel : "-", 12, 1);
		free(rel);
		if (r->error) {
			why = fm_term_safe(r->error);
			printf("  error: %s\n", why ? why : "");
			free(why);
			continue;
		}
		put_num(r->ahead);
		put_num(r->behind);
		put_num(r->unique);
		put_num(r->insertions);
		put_num(r->deletions);
		printf("  %.10s", r->head_date.set
					  ? fm_date_iso(&r->head_date, date)
					  : "?");
		if (r->skipped) {
			why = fm_term_safe(r->skipped);
			printf("  (skipped: %s)", why ? why : "");
			free(why);
		}
		fputc('\n', stdout);
	}
}

int cmd_log(int argc, char **argv)
{
	struct log_args a;
	fm_ctx *ctx = NULL;
	fm_store *store = NULL;
	fm_history *h = NULL;
	const char *fork = NULL;
	char *db = NULL, *text = NULL;
	size_t npos = 0;
	int rc;

	memset(&a, 0, sizeof(a));
	rc = cli_options_parse_args(argc, argv, log_options, &a, 1, &fork,
				    &npos);
	if (rc > 0) {
		log_usage(stdout);
		return EXIT_OK;
	}
	if (rc == 0 && !npos) {
		fputs("error: log needs a FORK\n", stderr);
		rc = -1;
	}
	if (rc < 0) {
		fputs("try 'forkmap log --help'\n", stderr);
		return EXIT_USAGE;
	}
	if (fm_ctx_new(&ctx) < 0)
		return EXIT_FAILURE_OTHER;
	if ((rc = cli_store_open_reader(ctx, a.db, a.repo, a.config, &store,
					&db)) < 0 ||
	    (rc = fm_history_fork(ctx, store, fork, &h)) < 0)
		goto fail;
	if (a.json) {
		if ((rc = fm_history_json(ctx, h, &text)) < 0)
			goto fail;
		fputs(text, stdout);
	} else {
		print_table(h);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		rc = fm_error_set(ctx, FM_EIO, "cannot write the log");
		goto fail;
	}
	rc = EXIT_OK;
	goto done;
fail:
	cli_error(ctx);
	rc = cli_exit_code(rc);
done:
	free(text);
	fm_history_free(h);
	fm_store_free(store);
	free(db);
	fm_ctx_free(ctx);
	return rc;
}
