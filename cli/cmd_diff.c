/* forkmap diff: what changed for each fork between two census runs. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/census.h>
#include <forkmap/diff.h>
#include <forkmap/history.h>
#include <forkmap/util.h>

#include "cli.h"
#include "options.h"

struct diff_args {
	const char *db, *repo, *config;
	long long quiet_days;
	int json, markdown, exit_code;
};

#define A(field) offsetof(struct diff_args, field)
static const cli_opt diff_options[] = {
	CLI_STORE_OPTIONS(A),
	{"quiet-days", 0, CLI_NUM, A(quiet_days), FM_SET_QUIET_DAYS, "N",
	 "quiet: no commit for N days before the run", NULL},
	{"json", 0, CLI_FLAG, A(json), 0, NULL, "JSON instead of the table",
	 NULL},
	{"markdown", 0, CLI_FLAG, A(markdown), 0, NULL,
	 "Markdown (a mail, chat message or issue)", NULL},
	{"exit-code", 0, CLI_FLAG, A(exit_code), 0, NULL,
	 "exit 1 when the runs differ, 0 when not", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
#undef A

static void diff_usage(FILE *out)
{
	fputs("usage: forkmap diff [RUN_A [RUN_B]] [options]\n\n"
	      "What changed for each fork from run A to run B (default: the "
	      "two latest\ngood runs; with RUN_A alone, B is the latest "
	      "good run). A fork is the\nsame fork when its source, name and "
	      "branch are. Kinds:\n"
	      "  new, gone    in B only, in A only\n"
	      "  moved        head changed\n"
	      "  rebased      merge base or release changed\n"
	      "  gained, lost unique went up, down\n"
	      "  upstreamed   unique went down, head did not move\n"
	      "  quiet        went quiet: last commit --quiet-days before "
	      "B, not A\n"
	      "  back         was quiet at A, moved, no longer quiet\n"
	      "  failing      has an error row in B, not in A\n"
	      "  fixed        had an error row in A, not in B\n\n",
	      out);
	cli_options_help(out, diff_options);
	fputs("\nWith --exit-code diff exits 1 when the runs differ and 0 "
	      "when not, as\ngit diff does; failures keep their codes.\n\n",
	      out);
	cli_exit_codes_help(out);
}

/* An escaper for untrusted text: fm_term_safe or fm_markdown_safe. */
typedef char *(*escape_fn)(const char *s);

static void put(FILE *out, escape_fn esc, const char *s)
{
	char *safe = esc(s ? s : "");

	fputs(safe ? safe : "", out);
	free(safe);
}

struct style {
	escape_fn esc;
	const char *arrow;
	int64_t when_b; /* run B's time, for ages */
	int markdown;
};

static void put_num(FILE *out, long v)
{
	if (v < 0)
		fputs("?", out);
	else
		fprintf(out, "%ld", v);
}

static void put_date(FILE *out, const fm_date *d)
{
	char buf[FM_DATE_ISO_MAX];

	/* the day is what a reader of the report wants; JSON has the rest */
	fprintf(out, "%.10s", d->set ? fm_date_iso(d, buf) : "?");
}

static const char *short_oid(const char *oid)
{
	static const char unknown[] = "?";

	return *oid ? oid : unknown;
}

/* "name a -> b" for the numbers a kind is about. */
static void put_pair_num(FILE *out, const struct style *st, const char *what,
			 long a, long b, int *sep)
{
	fprintf(out, "%s%s ", *sep ? ", " : "", what);
	put_num(out, a);
	fprintf(out, " %s ", st->arrow);
	put_num(out, b);
	*sep = 1;
}

static void put_pair_str(FILE *out, const struct style *st, const char *what,
			 const char *a, const char *b, int oid, int *sep)
{
	fprintf(out, "%s%s ", *sep ? ", " : "", what);
	if (oid)
		fprintf(out, "%.7s %s %.7s", short_oid(a), st->arrow,
			short_oid(b));
	else {
		put(out, st->esc, *a ? a : "none");
		fprintf(out, " %s ", st->arrow);
		put(out, st->esc, *b ? b : "none");
	}
	*sep = 1;
}

static void put_row_summary(FILE *out, const struct style *st, const fm_row *r)
{
	if (r->error) {
		fputs("error: ", out);
		put(out, st->esc, r->error);
		return;
	}
	fprintf(out, "head %.7s, ahead ", short_oid(r->head));
	put_num(out, r->ahead);
	fputs(", unique ", out);
	put_num(out, r->unique);
	fputs(", release ", out);
	put(out, st->esc, r->release && *r->release ? r->release : "none");
	if (r->skipped) {
		fputs(", skipped: ", out);
		put(out, st->esc, r->skipped);
	}
}

/* The numbers that changed for one kind of one change, old -> new. */
static void put_detail(FILE *out, const struct style *st, const fm_change *c,
		       unsigned kind)
{
	const fm_row *a = c->a, *b = c->b;
	int sep = 0;

	switch (kind) {
	case FM_CHANGE_NEW:
		put_row_summary(out, st, b);
		break;
	case FM_CHANGE_GONE:
		fputs("was ", out);
		put_row_summary(out, st, a);
		break;
	case FM_CHANGE_MOVED:
		put_pair_str(out, st, "head", a->head, b->head, 1, &sep);
		put_pair_num(out, st, "ahead", a->ahead, b->ahead, &sep);
		break;
	case FM_CHANGE_REBASED:
		put_pair_str(out, st, "merge base", a->merge_base,
			     b->merge_base, 1, &sep);
		put_pair_str(out, st, "release", a->release, b->release, 0,
			     &sep);
		put_pair_num(out, st, "behind", a->behind, b->behind, &sep);
		break;
	case FM_CHANGE_GAINED:
	case FM_CHANGE_LOST:
	case FM_CHANGE_UPSTREAMED:
		put_pair_num(out, st, "unique", a->unique, b->unique, &sep);
		put_pair_num(out, st, "ahead", a->ahead, b->ahead, &sep);
		break;
	case FM_CHANGE_QUIET:
		fputs("last commit ", out);
		put_date(out, &b->head_date);
		fprintf(out, ", %lld days before run B",
			(long long)((st->when_b - b->head_date.time) / 86400));
		break;
	case FM_CHANGE_BACK:
		fputs("last commit ", out);
		put_date(out, &a->head_date);
		fprintf(out, " %s ", st->arrow);
		put_date(out, &b->head_date);
		break;
	case FM_CHANGE_FAILING:
		put_row_summary(out, st, b);
		break;
	case FM_CHANGE_FIXED:
		fputs("error was: ", out);
		put(out, st->esc, a->error);
		break;
	}
}

static const fm_row *row_of(const fm_change *c)
{
	return c->b ? c->b : c->a;
}

static size_t count_kind(const fm_change *v, size_t n, unsigned kind)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += (v[i].kinds & kind) != 0;
	return k;
}

/* "2 new, 1 moved" (nothing when n is 0). */
static void put_summary(FILE *out, const fm_change *v, size_t n)
{
	int i, sep = 0;

	for (i = 0; i < FM_CHANGE_KINDS; i++) {
		size_t k = count_kind(v, n, 1u << i);

		if (!k)
			continue;
		fprintf(out, "%s%zu %s", sep ? ", " : "", k,
			fm_change_kind_name((fm_change_kind)(1u << i)));
		sep = 1;
	}
}

struct runs {
	int64_t id[2];
	fm_census *c[2];
};

static void put_run(FILE *out, const struct runs *r, int i)
{
	fm_date d = {fm_diff_census_time(r->c[i]), 0, 1};
	char buf[FM_DATE_ISO_MAX];

	fprintf(out, "run %lld (%.10s)", (long long)r->id[i],
		fm_date_iso(&d, buf));
}

/* The fork of a table row: "name:branch" padded, or two Markdown cells. */
static void put_fork(const struct style *st, const fm_row *row)
{
	char *name = st->esc(row->name), *branch = st->esc(row->branch);
	int width;

	if (st->markdown) {
		printf("| %s | %s | ", name ? name : "", branch ? branch : "");
	} else {
		/* aligned by display width, not bytes */
		width = 2 + cli_text_width(name) + 1 + cli_text_width(branch);
		printf("  %s:%s", name ? name : "", branch ? branch : "");
		printf("%*s", width < 35 ? 35 - width : 1, "");
	}
	free(name);
	free(branch);
}

/* The table, or Markdown: a heading, a summary line, a table per kind. */
static void print_report(const struct runs *r, const fm_change *v, size_t n,
			 int markdown)
{
	struct style st = {markdown ? fm_markdown_safe : fm_term_safe,
			   markdown ? "→" : "->", fm_diff_census_time(r->c[1]),
			   markdown};
	int k;
	size_t i;

	fputs(markdown ? "## Fork changes in " : "", stdout);
	put(stdout, st.esc, r->c[1]->upstream);
	fputs(markdown ? " (" : " ", stdout);
	put(stdout, st.esc, r->c[1]->branch);
	fputs(markdown ? ")\n\n" : ": ", stdout);
	put_run(stdout, r, 0);
	printf(" %s ", st.arrow);
	put_run(stdout, r, 1);
	if (!n) {
		printf(": no fork changed%s\n", markdown ? "." : "");
		return;
	}
	printf(": %zu fork%s changed: ", n, n == 1 ? "" : "s");
	put_summary(stdout, v, n);
	fputs(markdown ? ".\n" : "\n", stdout);
	for (k = 0; k < FM_CHANGE_KINDS; k++) {
		unsigned kind = 1u << k;
		size_t count = count_kind(v, n, kind);
		const char *name = fm_change_kind_name((fm_change_kind)kind);

		if (!count)
			continue;
		if (markdown)
			printf("\n### %s (%zu)\n\n| fork | branch | change |\n"
			       "|---|---|---|\n",
			       name, count);
		else
			printf("\n%s:\n", name);
		for (i = 0; i < n; i++) {
			if (!(v[i].kinds & kind))
				continue;
			put_fork(&st, row_of(&v[i]));
			put_detail(stdout, &st, &v[i], kind);
			fputs(markdown ? " |\n" : "\n", stdout);
		}
	}
}

static int print_json(fm_ctx *ctx, const struct runs *r,
		      const fm_diff_opts *opts, const fm_change *v, size_t n)
{
	const fm_census *census[2] = {r->c[0], r->c[1]};
	char *text;
	int rc;

	if ((rc = fm_diff_json(ctx, census, r->id, opts, v, n, &text)) < 0)
		return rc;
	fputs(text, stdout);
	free(text);
	return 0;
}

/* The two run ids: those given (npos of them), then the latest good runs. */
static int pick_runs(fm_ctx *ctx, fm_store *store, const char *db, size_t npos,
		     struct runs *r)
{
	fm_run_info *good = NULL;
	size_t ngood = 0;
	int rc;

	if (npos == 2)
		return 0;
	if ((rc = fm_history_good_runs(ctx, store, &good, &ngood)) < 0)
		return rc;
	if (ngood < 2 - npos)
		rc = fm_error_set(ctx, FM_ENOTFOUND,
				  "'%s' has %zu good census run%s: nothing "
				  "to compare",
				  db, ngood, ngood == 1 ? "" : "s");
	else if (npos == 1)
		r->id[1] = good[0].id;
	else {
		r->id[0] = good[1].id;
		r->id[1] = good[0].id;
	}
	fm_run_info_free(good, ngood);
	return rc;
}

int cmd_diff(int argc, char **argv)
{
	struct diff_args a;
	struct runs r = {{0, 0}, {NULL, NULL}};
	fm_diff_opts opts = FM_DIFF_OPTS_INIT;
	fm_ctx *ctx = NULL;
	fm_store *store = NULL;
	fm_change *changes = NULL;
	const char *pos[2];
	char *db = NULL;
	size_t npos = 0, n = 0;
	int rc, i;

	memset(&a, 0, sizeof(a));
	rc = cli_options_parse_args(argc, argv, diff_options, &a, 2, pos,
				    &npos);
	if (rc > 0) {
		diff_usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; rc == 0 && i < (int)npos; i++) {
		long long v;
		const fm_setting_info *run = fm_setting_get(FM_SET_RUN);

		if (cli_parse_number(i ? "RUN_B" : "RUN_A", pos[i], run->min,
				     run->max, &v) < 0)
			rc = -1;
		else
			r.id[i] = v;
	}
	if (rc == 0 && a.json && a.markdown) {
		fputs("error: --json and --markdown exclude each other\n",
		      stderr);
		rc = -1;
	}
	if (rc < 0) {
		fputs("try 'forkmap diff --help'\n", stderr);
		return EXIT_USAGE;
	}
	if (a.quiet_days > 0)
		opts.quiet_days = (int)a.quiet_days;
	if (fm_ctx_new(&ctx) < 0)
		return EXIT_FAILURE_OTHER;
	if ((rc = cli_store_open_reader(ctx, a.db, a.repo, a.config, &store,
					&db)) < 0 ||
	    (rc = pick_runs(ctx, store, db, npos, &r)) < 0)
		goto fail;
	for (i = 0; i < 2; i++)
		if ((rc = fm_store_load_census(ctx, store, r.id[i], &r.c[i])) <
		    0)
			goto fail;
	if ((rc = fm_diff_census(ctx, r.c[0], r.c[1], &opts, &changes, &n)) < 0)
		goto fail;
	if (a.json)
		rc = print_json(ctx, &r, &opts, changes, n);
	else
		print_report(&r, changes, n, a.markdown);
	if (rc < 0)
		goto fail;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		rc = fm_error_set(ctx, FM_EIO, "cannot write the report");
		goto fail;
	}
	rc = a.exit_code && n ? 1 : EXIT_OK;
	goto done;
fail:
	cli_error(ctx);
	rc = cli_exit_code(rc);
done:
	free(changes);
	for (i = 0; i < 2; i++)
		fm_census_free(r.c[i]);
	fm_store_free(store);
	free(db);
	fm_ctx_free(ctx);
	return rc;
}
