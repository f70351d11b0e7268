/* forkmap show: what one fork carries and where it lives. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/config.h>
#include <forkmap/render.h>
#include <forkmap/show.h>
#include <forkmap/util.h>

#include "cli.h"
#include "options.h"

struct show_args {
	const char *db, *repo, *config, *output, *title;
	long long run, depth, limit;
	fm_show_sort sort;
	fm_render_format format;
	fm_treemap_colour colour;
	int json, csv, dirs_csv;
};

/* In the order of fm_show_sort and fm_treemap_colour. */
static const char *const sorts[] = {"date", "size", NULL};
static const char *const colours[] = {"commits", "recency", NULL};

static int parse_sort(const cli_opt *o, const char *s, void *field)
{
	int v;

	if (cli_parse_choice(o, s, sorts, "date or size", &v) < 0)
		return -1;
	*(fm_show_sort *)field = (fm_show_sort)v;
	return 0;
}

static int parse_colour(const cli_opt *o, const char *s, void *field)
{
	int v;

	if (cli_parse_choice(o, s, colours, "commits or recency", &v) < 0)
		return -1;
	*(fm_treemap_colour *)field = (fm_treemap_colour)v;
	return 0;
}

static int parse_format(const cli_opt *o, const char *s, void *field)
{
	fm_render_format f;

	if (fm_render_format_parse(s, &f) < 0)
		return cli_bad_value(o, "svg, png, pdf or dot", s);
	*(fm_render_format *)field = f;
	return 0;
}

#define A(field) offsetof(struct show_args, field)
static const cli_opt show_options[] = {
	CLI_STORE_OPTIONS(A),
	{"run", 0, CLI_NUM, A(run), FM_SET_RUN, "ID",
	 "that census run (default: the latest good one)", NULL},
	{"patches:", 0, CLI_HEADING, 0, 0, NULL, NULL, NULL},
	{"sort", 0, CLI_CUSTOM, A(sort), 0, "BY",
	 "date (newest first, default) | size (most\nlines changed first)",
	 parse_sort},
	{"limit", 0, CLI_NUM, A(limit), FM_SET_SHOW_LIMIT, "N",
	 "only the first N patches (default: all)", NULL},
	{"directories:", 0, CLI_HEADING, 0, 0, NULL, NULL, NULL},
	{"depth", 0, CLI_NUM, A(depth), FM_SET_SHOW_DEPTH, "N",
	 "path components of a directory; families of\nsiblings go one "
	 "level deeper",
	 NULL},
	{"output:", 0, CLI_HEADING, 0, 0, NULL, NULL, NULL},
	{"json", 0, CLI_FLAG, A(json), 0, NULL,
	 "the fork, its patches and directories as JSON", NULL},
	{"csv", 0, CLI_FLAG, A(csv), 0, NULL, "the patches as CSV", NULL},
	{"dirs-csv", 0, CLI_FLAG, A(dirs_csv), 0, NULL,
	 "the directories as CSV", NULL},
	{"output", 'o', CLI_STR, A(output), 0, "FILE",
	 "also draw the treemap of the directories\n(.svg, .png, .pdf or .dot)",
	 NULL},
	{"format", 0, CLI_CUSTOM, A(format), 0, "FMT",
	 "svg | png | pdf | dot (default: from FILE)", parse_format},
	{"colour", 0, CLI_CUSTOM, A(colour), 0, "BY",
	 "treemap fill: commits (unique commits,\ndefault) | recency (newest "
	 "of them)",
	 parse_colour},
	{"title", 0, CLI_STR, A(title), 0, "TEXT",
	 "treemap title (default: '<fork>: where the\nwork lives')", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
#undef A

static void show_usage(FILE *out)
{
	fputs("usage: forkmap show FORK [--db FILE] [--run ID] [options]\n\n"
	      "What one fork of a stored census carries and where: its "
	      "numbers;\nits unique patches (the commits `git cherry U F` "
	      "marks '+'),\ndeduplicated by patch id, each with its subject, "
	      "author, date and\nnumber of copies; and the fork's tree delta "
	      "(merge base to head, as\nthe census counts it) per directory, "
	      "with the unique commits\ntouching each. FORK is NAME, "
	      "NAME:BRANCH or NAME/BRANCH. -C names\nthe census's repository "
	      "(default .); show reads the patch ids and\nfiles the census "
	      "kept and never writes the store.\n\n",
	      out);
	cli_options_help(out, show_options);
	fputs("\nA directory is a family of siblings (target/ with target/arm, "
	      "target/i386)\nwhen no changed file lies in it directly and its "
	      "changes span two or\nmore subdirectories: it is listed one "
	      "level "
	      "deeper.\n\n",
	      out);
	cli_exit_codes_help(out);
}

static void put_count(long v)
{
	if (v < 0)
		fputs("?", stdout);
	else
		printf("%ld", v);
}

static void print_fork(const fm_show *s)
{
	const fm_row *r = s->row;
	char *name = fm_term_safe(r->name), *branch = fm_term_safe(r->branch),
	     *rel = fm_term_safe(r->release), *tag = fm_term_safe(r->base_tag);
	char date[FM_DATE_ISO_MAX];

	printf("%s:%s (%s), census run %lld\n", name ? name : "",
	       branch ? branch : "", fm_source_name(r->source),
	       (long long)s->census->run_id);
	printf("  head %.12s, merge base %.12s, base tag %s, release %s\n",
	       r->head, r->merge_base, tag && *tag ? tag : "-",
	       rel && *rel ? rel : "-");
	fputs("  ahead ", stdout);
	put_count(r->ahead);
	fputs(", behind ", stdout);
	put_count(r->behind);
	fputs(", unique ", stdout);
	put_count(r->unique);
	printf(", patches %zu", s->total_patches);
	if (s->empty)
		printf(" (+%ld empty commit%s)", s->empty,
		       s->empty == 1 ? "" : "s");
	printf("\n  %ld files, +%ld -%ld lines, last commit %.10s\n", r->files,
	       r->insertions, r->deletions,
	       r->head_date.set ? fm_date_iso(&r->head_date, date) : "?");
	free(name);
	free(branch);
	free(rel);
	free(tag);
}

static void print_patches(const fm_show *s, fm_show_sort sort)
{
	char date[FM_DATE_ISO_MAX];
	size_t i;

	printf("\npatches: %zu distinct", s->total_patches);
	if (s->npatches < s->total_patches)
		printf(", the first %zu", s->npatches);
	printf(" (%s)\n",
	       sort == FM_SHOW_SORT_SIZE ? "largest first" : "newest first");
	if (!s->npatches)
		return;
	printf("%-10s %-12s %6s %7s %7s  %-20s %s\n", "date", "commit",
	       "copies", "+lines", "-lines", "author", "subject");
	for (i = 0; i < s->npatches; i++) {
		const fm_show_patch *p = &s->patches[i];
		char *author = fm_term_safe(p->author),
		     *subject = fm_term_safe(p->subject);

		printf("%.10s %.12s %6ld %7ld %7ld  ",
		       fm_date_iso(&p->date, date), p->commit, p->copies,
		       p->insertions, p->deletions);
		/* cut and padded by display width, as every table */
		cli_print_cell(stdout, author ? author : "", 20, 1);
		printf(" %s\n", subject ? subject : "");
		free(author);
		free(subject);
	}
}

static void print_dirs(const fm_show *s)
{
	size_t i;

	printf("\ndirectories (depth %d): %zu\n", s->depth, s->ndirs);
	if (!s->ndirs)
		return;
	printf("%-40s %6s %8s %8s %7s\n", "directory", "files", "+lines",
	       "-lines", "commits");
	for (i = 0; i < s->ndirs; i++) {
		const fm_show_dir *d = &s->dirs[i];
		char *path = fm_term_safe(d->path);
		int w = cli_text_width(path ? path : "");

		/* padded by display width; a longer path is printed whole */
		cli_print_cell(stdout, path ? path : "", w > 40 ? w : 40, 1);
		printf(" %6ld %8ld %8ld %7ld\n", d->files, d->insertions,
		       d->deletions, d->commits);
		free(path);
	}
}

/* The repository: -C, else the config's census.repository, else ".". */
static int open_repo(fm_ctx *ctx, const struct show_args *a, fm_repo **out)
{
	const char *config = cli_config_path(a->config);
	fm_config cfg;
	int rc = 0;

	fm_config_init(&cfg);
	if (!a->repo && config && (rc = fm_config_load(ctx, config, &cfg)) < 0)
		goto done;
	rc = fm_repo_open(ctx,
			  a->repo	   ? a->repo
			  : cfg.repository ? cfg.repository
					   : ".",
			  out);
done:
	fm_config_clear(&cfg);
	return rc;
}

static int emit(fm_ctx *ctx, int rc, char *text)
{
	if (rc == 0 && fputs(text, stdout) == EOF)
		rc = fm_error_set(ctx, FM_EIO, "cannot write to stdout: %s",
				  strerror(errno));
	free(text);
	return rc;
}

static int output(fm_ctx *ctx, const struct show_args *a, const fm_show *s)
{
	fm_treemap_opts topts = FM_TREEMAP_OPTS_INIT;
	char *text = NULL;
	int rc = 0;

	if (a->output) {
		topts.format = a->format;
		topts.title = a->title;
		topts.colour = a->colour;
		if ((rc = fm_show_treemap_file(ctx, s, &topts, a->output)) < 0)
			return rc;
	}
	if (a->json || a->csv || a->dirs_csv) {
		rc = a->json  ? fm_show_json(ctx, s, &text)
		     : a->csv ? fm_show_patches_csv(ctx, s, &text)
			      : fm_show_dirs_csv(ctx, s, &text);
		rc = emit(ctx, rc, text);
	} else {
		print_fork(s);
		print_patches(s, a->sort);
		print_dirs(s);
	}
	if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
		rc = fm_error_set(ctx, FM_EIO, "cannot write to stdout");
	return rc;
}

int cmd_show(int argc, char **argv)
{
	struct show_args a;
	fm_show_opts opts = FM_SHOW_OPTS_INIT;
	fm_ctx *ctx = NULL;
	fm_census *census = NULL;
	fm_store *store = NULL;
	fm_repo *repo = NULL;
	fm_show *show = NULL;
	const char *fork = NULL;
	char *db = NULL;
	size_t npos = 0;
	int rc;

	memset(&a, 0, sizeof(a));
	rc = cli_options_parse_args(argc, argv, show_options, &a, 1, &fork,
				    &npos);
	if (rc > 0) {
		show_usage(stdout);
		return EXIT_OK;
	}
	if (rc == 0 && !npos) {
		fputs("error: show needs a FORK (NAME, NAME:BRANCH or "
		      "NAME/BRANCH)\n",
		      stderr);
		rc = -1;
	}
	if (rc == 0 && a.json + a.csv + a.dirs_csv > 1) {
		fputs("error: give one of --json, --csv and --dirs-csv\n",
		      stderr);
		rc = -1;
	}
	if (rc < 0) {
		fputs("try 'forkmap show --help'\n", stderr);
		return EXIT_USAGE;
	}
	if (a.depth > 0)
		opts.depth = (int)a.depth;
	if (a.limit > 0)
		opts.limit = (size_t)a.limit;
	opts.sort = a.sort;
	if (fm_ctx_new(&ctx) < 0)
		return EXIT_FAILURE_OTHER;
	if ((rc = cli_load_census(ctx, a.db, a.repo, a.config,
				  a.run > 0 ? a.run : 0, &census)) < 0 ||
	    (rc = cli_store_open_reader(ctx, a.db, a.repo, a.config, &store,
					&db)) < 0 ||
	    (rc = open_repo(ctx, &a, &repo)) < 0 ||
	    (rc = fm_show_fork(ctx, repo, store, census, fork, &opts, &show)) <
		    0 ||
	    (rc = output(ctx, &a, show)) < 0)
		goto fail;
	rc = EXIT_OK;
	goto done;
fail:
	cli_error(ctx);
	rc = cli_exit_code(rc);
done:
	fm_show_free(show);
	fm_repo_free(repo);
	fm_store_free(store);
	fm_census_free(census);
	free(db);
	fm_ctx_free(ctx);
	return rc;
}
