/* forkmap render: draw the fork network of a census run or a CSV. */
#include <errno.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <forkmap/census.h>
#include <forkmap/config.h>
#include <forkmap/export.h>
#include <forkmap/render.h>
#include <forkmap/runs.h>
#include <forkmap/util.h>

#include "cli.h"
#include "options.h"

struct render_args {
	const char *db, *csv, *repo, *config, *output;
	long long run, top, dpi, seed;
	fm_date now;
	fm_render_opts opts;
};

static int parse_inches(const cli_opt *o, const char *s, void *field)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0 && v <= 1000))
		return cli_bad_value(o, "inches, more than 0 and at most 1000",
				     s);
	*(double *)field = v;
	return 0;
}

static int parse_format(const cli_opt *o, const char *s, void *field)
{
	return fm_render_format_parse(s, field) < 0
		       ? cli_bad_value(o, "svg, png, pdf or dot", s)
		       : 0;
}

static int parse_weight(const cli_opt *o, const char *s, void *field)
{
	return fm_render_weight_parse(s, field) < 0
		       ? cli_bad_value(o, "ahead, unique, patches or lines", s)
		       : 0;
}

static int parse_label(const cli_opt *o, const char *s, void *field)
{
	return fm_render_label_parse(s, field) < 0
		       ? cli_bad_value(o, "name, branch, both or none", s)
		       : 0;
}

static int parse_layout(const cli_opt *o, const char *s, void *field)
{
	return fm_render_layout_parse(s, field) < 0
		       ? cli_bad_value(o, "network or timeline", s)
		       : 0;
}

static int parse_theme(const cli_opt *o, const char *s, void *field)
{
	return fm_render_theme_parse(s, field) < 0
		       ? cli_bad_value(o, "light or dark", s)
		       : 0;
}

#define A(field) offsetof(struct render_args, field)
#define O(field) \
	(offsetof(struct render_args, opts) + offsetof(fm_render_opts, field))
static const cli_opt render_options[] = {
	{"input (default: the latest run in the repository's store):", 0,
	 CLI_HEADING, 0, 0, NULL, NULL, NULL},
	{"db", 0, CLI_STR, A(db), 0, "FILE", "census store", NULL},
	{"run", 0, CLI_NUM, A(run), FM_SET_RUN, "ID",
	 "that run of the store (default: the latest)", NULL},
	{"csv", 0, CLI_STR, A(csv), 0, "FILE|-",
	 "a census CSV: forkmap's, or the 8-column\nseed form (repo "
	 "name,branch,base tag,base\ndate,commits ahead,head date,lines "
	 "added,\nlines deleted)",
	 NULL},
	{"", 'C', CLI_STR, A(repo), 0, "PATH",
	 "repository whose store is the default (.)", NULL},
	{"config", 0, CLI_STR, A(config), 0, "FILE",
	 "config file for store.path (default:\n./forkmap.conf if present)",
	 NULL},
	{"output:", 0, CLI_HEADING, 0, 0, NULL, NULL, NULL},
	{"output", 'o', CLI_STR, A(output), 0, "FILE|-",
	 "the figure (default: forks.svg); the\nextension picks the format: "
	 ".svg .png .pdf\n.dot",
	 NULL},
	{"format", 0, CLI_CUSTOM, O(format), 0, "FMT",
	 "svg | png | pdf | dot (before the extension)", parse_format},
	{"width", 0, CLI_CUSTOM, O(width), 0, "IN",
	 "fit the figure into this width, inches", parse_inches},
	{"height", 0, CLI_CUSTOM, O(height), 0, "IN",
	 "... and/or this height (a slide: 13.33 x 7.5)", parse_inches},
	{"dpi", 0, CLI_NUM, A(dpi), FM_SET_DPI, "N",
	 "PNG resolution, lowered for figures\nover 8192 pixels", NULL},
	{"transparent", 0, CLI_FLAG, O(transparent), 0, NULL,
	 "no background, for slides with their own", NULL},
	{"theme", 0, CLI_CUSTOM, O(theme), 0, "THEME",
	 "light | dark (default light)", parse_theme},
	{"content:", 0, CLI_HEADING, 0, 0, NULL, NULL, NULL},
	{"title", 0, CLI_STR, O(title), 0, "TEXT",
	 "title (default: '<upstream> forks')", NULL},
	{"weight", 0, CLI_CUSTOM, O(weight), 0, "W",
	 "fork edge width: ahead (commits ahead,\ndefault) | unique (not "
	 "upstream) | patches\n(distinct patch ids of unique) | lines\n(lines "
	 "added + deleted)",
	 parse_weight},
	{"top", 0, CLI_NUM, A(top), FM_SET_RENDER_TOP, "N",
	 "only the N forks heaviest by --weight\n(default: all, at most 2000, "
	 "with a warning)",
	 NULL},
	{"since", 0, CLI_CUSTOM, O(since), 0, "DATE",
	 "hide forks whose last commit is before DATE\n(YYYY-MM-DD or ISO "
	 "8601)",
	 cli_parse_date},
	{"label", 0, CLI_CUSTOM, O(label), 0, "L",
	 "fork labels: name | branch | both | none", parse_label},
	{"layout", 0, CLI_CUSTOM, O(layout), 0, "L",
	 "network (graphviz neato, default) |\ntimeline (x is the date of "
	 "releases and\nlast commits, with date ticks)",
	 parse_layout},
	{"now", 0, CLI_CUSTOM, A(now), 0, "DATE",
	 "judge fates (node outlines) as of DATE\n(default: the census's end)",
	 cli_parse_date},
	{"seed", 0, CLI_NUM, A(seed), FM_SET_SEED, "N",
	 "another layout of the same network", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
#undef A
#undef O

static void render_usage(FILE *out)
{
	fputs("usage: forkmap render [--db FILE [--run ID] | --csv FILE] [-o "
	      "OUT]\n"
	      "                      [options]\n\n"
	      "Draw the fork network: the upstream releases as a trunk in "
	      "date order\nending at the upstream branch tip, and each fork "
	      "hanging from the\nfork point where it left the trunk (at its "
	      "merge base, between the\nrelease before and the release after: "
	      "\"after v1.6.0-alpha...\"; nearby\nforks share one), or from "
	      "the release or tip its merge base is. Node\narea shows lines of "
	      "code (lines changed when the input does not know\nthem), colour "
	      "the date of the last commit, the outline the fate\n(active, "
	      "hard "
	      "fork, quiet, merged), fork edge width the --weight.\nWith "
	      "--width and --height the canvas is exactly that size. The "
	      "same\ninput and --seed give the same figure.\n\n",
	      out);
	cli_options_help(out, render_options);
	fputs("\nForks with an error or a skip reason are not drawn. For a "
	      "talk:\n"
	      "  forkmap render --top 40 --width 13.33 --height 7.5 -o "
	      "forks.png\n\n",
	      out);
	cli_exit_codes_help(out);
}

/* Returns -1 when the command line is bad, 1 for --help, 0 to go on. */
static int parse_args(int argc, char **argv, struct render_args *a)
{
	fm_render_opts defaults = FM_RENDER_OPTS_INIT;
	int rc;

	memset(a, 0, sizeof(*a));
	a->opts = defaults;
	if ((rc = cli_options_parse(argc, argv, render_options, a)) != 0)
		return rc;
	if (a->top > 0)
		a->opts.top = (size_t)a->top;
	if (a->dpi > 0)
		a->opts.dpi = (double)a->dpi;
	if (a->seed > 0)
		a->opts.seed = (unsigned long)a->seed;
	if (a->now.set)
		a->opts.now = a->now.time;
	if (a->run < 0)
		a->run = 0;
	if (a->csv && (a->db || a->repo || a->config)) {
		fprintf(stderr, "error: --csv cannot be combined with %s\n",
			a->db	  ? "--db"
			: a->repo ? "-C"
				  : "--config");
		return -1;
	}
	if (a->run && a->csv) {
		fprintf(stderr, "error: --run needs a store, not --csv\n");
		return -1;
	}
	return 0;
}

static int load_csv(fm_ctx *ctx, const char *path, fm_census **out)
{
	FILE *in = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	int rc;

	if (!in)
		return fm_error_set(ctx, FM_EIO, "cannot read '%s': %s", path,
				    strerror(errno));
	rc = fm_import_csv(ctx, in, out);
	if (in != stdin)
		fclose(in);
	return rc;
}

/* -o -: render into memory and copy to stdout. */
static int write_stdout(fm_ctx *ctx, const fm_census *census,
			const fm_render_opts *opts)
{
	char *data = NULL;
	size_t len = 0;
	int rc;

	if ((rc = fm_render_buffer(ctx, census, opts, &data, &len)) < 0)
		return rc;
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
		rc = fm_error_set(ctx, FM_EIO, "cannot write to stdout: %s",
				  strerror(errno));
	free(data);
	return rc;
}

/* Library warnings (a PNG drawn at a lower resolution) on stderr. */
static void log_warning(void *payload, int level, const char *msg)
{
	char *safe;

	(void)payload;
	if (level < FM_LOG_WARN)
		return;
	safe = fm_term_safe(msg);
	fprintf(stderr, "warning: %s\n", safe ? safe : "");
	free(safe);
}

int cmd_render(int argc, char **argv)
{
	struct render_args a;
	fm_ctx *ctx = NULL;
	fm_census *census = NULL;
	char default_out[32];
	int rc;

	if ((rc = parse_args(argc, argv, &a)) != 0) {
		if (rc > 0) {
			render_usage(stdout);
			return EXIT_OK;
		}
		fputs("try 'forkmap render --help'\n", stderr);
		return EXIT_USAGE;
	}
	if (!a.output) {
		snprintf(default_out, sizeof(default_out), "forks.%s",
			 a.opts.format == FM_FORMAT_AUTO
				 ? "svg"
				 : fm_render_format_name(a.opts.format));
		a.output = default_out;
	}
	if (fm_ctx_new(&ctx) < 0) {
		fputs("error: out of memory\n", stderr);
		return EXIT_FAILURE_OTHER;
	}
	fm_ctx_set_log(ctx, log_warning, NULL);
	rc = a.csv ? load_csv(ctx, a.csv, &census)
		   : cli_load_census(ctx, a.db, a.repo, a.config,
				     (int64_t)a.run, &census);
	if (rc < 0)
		goto fail;
	if (!strcmp(a.output, "-"))
		rc = write_stdout(ctx, census, &a.opts);
	else
		rc = fm_render_file(ctx, census, &a.opts, a.output);
	if (rc < 0)
		goto fail;
	fm_census_free(census);
	fm_ctx_free(ctx);
	return EXIT_OK;
fail:
	cli_error(ctx);
	rc = cli_exit_code(rc);
	fm_census_free(census);
	fm_ctx_free(ctx);
	return rc;
}
