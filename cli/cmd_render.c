/* forkmap render: draw the fork network of a census run or a CSV. */
#include <errno.h>
#include <getopt.h>
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

static const char render_usage[] =
	"usage: forkmap render [--db FILE [--run ID] | --csv FILE] [-o OUT]\n"
	"                      [options]\n"
	"\n"
	"Draw the fork network: the upstream releases the forks are based\n"
	"on, as a trunk in date order ending at the upstream branch tip, and\n"
	"each fork hanging from its release (from the tip when it is newer\n"
	"than every release or has none). Node area shows lines of code\n"
	"(lines changed when the input does not know them), colour the date\n"
	"of the last commit, fork edge width the --weight. The same input\n"
	"and --seed give the same figure.\n"
	"\n"
	"input (default: the latest run in the repository's store):\n"
	"  --db FILE            census store\n"
	"  --run ID             that run of the store (default: the latest)\n"
	"  --csv FILE|-         a census CSV: forkmap's, or the 8-column\n"
	"                       seed form (repo name,branch,base tag,base\n"
	"                       date,commits ahead,head date,lines added,\n"
	"                       lines deleted)\n"
	"  -C PATH              repository whose store is the default (.)\n"
	"  --config FILE        config file for store.path (default:\n"
	"                       ./forkmap.conf if present)\n"
	"output:\n"
	"  -o, --output FILE|-  the figure (default: forks.svg); the\n"
	"                       extension picks the format: .svg .png .pdf\n"
	"                       .dot\n"
	"  --format FMT         svg | png | pdf | dot (before the extension)\n"
	"  --width IN           fit the figure into this width, inches\n"
	"  --height IN          ... and/or this height (a slide: 13.33 x 7.5)\n"
	"  --dpi N              PNG resolution (default 150; lowered for\n"
	"                       figures over 8192 pixels)\n"
	"  --transparent        no background, for slides with their own\n"
	"  --theme THEME        light | dark (default light)\n"
	"content:\n"
	"  --title TEXT         title (default: '<upstream> forks')\n"
	"  --weight W           fork edge width: ahead (commits ahead,\n"
	"                       default) | unique (not upstream) | lines\n"
	"                       (lines added + deleted)\n"
	"  --top N              only the N forks heaviest by --weight\n"
	"  --since DATE         hide forks whose last commit is before DATE\n"
	"                       (YYYY-MM-DD or ISO 8601)\n"
	"  --label L            fork labels: name | branch | both | none\n"
	"  --seed N             another layout of the same network\n"
	"  -h, --help           this help\n"
	"\n"
	"Forks with an error or a skip reason are not drawn. For a talk:\n"
	"  forkmap render --top 40 --width 13.33 --height 7.5 -o forks.png\n"
	"\n"
	"Exit codes: 0 done, 2 usage or bad CSV, 3 config, 4 repository or\n"
	"run not found, 5 store, input or output file, 10 rendering failed.\n";

enum {
	OPT_DB = 256,
	OPT_RUN,
	OPT_CSV,
	OPT_CONFIG,
	OPT_FORMAT,
	OPT_TITLE,
	OPT_WEIGHT,
	OPT_TOP,
	OPT_SINCE,
	OPT_LABEL,
	OPT_THEME,
	OPT_TRANSPARENT,
	OPT_WIDTH,
	OPT_HEIGHT,
	OPT_DPI,
	OPT_SEED,
};

static const struct option render_options[] = {
	{"db", required_argument, NULL, OPT_DB},
	{"run", required_argument, NULL, OPT_RUN},
	{"csv", required_argument, NULL, OPT_CSV},
	{"config", required_argument, NULL, OPT_CONFIG},
	{"output", required_argument, NULL, 'o'},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"title", required_argument, NULL, OPT_TITLE},
	{"weight", required_argument, NULL, OPT_WEIGHT},
	{"top", required_argument, NULL, OPT_TOP},
	{"since", required_argument, NULL, OPT_SINCE},
	{"label", required_argument, NULL, OPT_LABEL},
	{"theme", required_argument, NULL, OPT_THEME},
	{"transparent", no_argument, NULL, OPT_TRANSPARENT},
	{"width", required_argument, NULL, OPT_WIDTH},
	{"height", required_argument, NULL, OPT_HEIGHT},
	{"dpi", required_argument, NULL, OPT_DPI},
	{"seed", required_argument, NULL, OPT_SEED},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

struct render_args {
	const char *db;
	long long run;
	const char *csv;
	const char *repo;
	const char *config;
	const char *output;
	fm_render_opts opts;
};

static int bad_value(const char *opt, const char *want, const char *s)
{
	fprintf(stderr, "error: %s wants %s, not '%s'\n", opt, want, s);
	return -1;
}

static int parse_inches(const char *opt, const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0 && v <= 1000))
		return bad_value(opt, "inches, more than 0 and at most 1000",
				 s);
	*out = v;
	return 0;
}

/* Returns -1 when the command line is bad, 1 for --help, 0 to go on. */
static int parse_args(int argc, char **argv, struct render_args *a)
{
	fm_render_opts defaults = FM_RENDER_OPTS_INIT;
	long long v;
	int c;

	memset(a, 0, sizeof(*a));
	a->opts = defaults;
	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "C:o:h", render_options, NULL)) !=
	       -1) {
		switch (c) {
		case 'h':
			return 1;
		case 'C':
			a->repo = optarg;
			break;
		case 'o':
			a->output = optarg;
			break;
		case OPT_DB:
			a->db = optarg;
			break;
		case OPT_CSV:
			a->csv = optarg;
			break;
		case OPT_CONFIG:
			a->config = optarg;
			break;
		case OPT_TITLE:
			a->opts.title = optarg;
			break;
		case OPT_TRANSPARENT:
			a->opts.transparent = 1;
			break;
		case OPT_RUN:
			if (cli_parse_number("--run", optarg, 1, INT64_MAX,
					     &a->run) < 0)
				return -1;
			break;
		case OPT_FORMAT:
			if (fm_render_format_parse(optarg, &a->opts.format) < 0)
				return bad_value("--format",
						 "svg, png, pdf or dot",
						 optarg);
			break;
		case OPT_WEIGHT:
			if (fm_render_weight_parse(optarg, &a->opts.weight) < 0)
				return bad_value("--weight",
						 "ahead, unique or lines",
						 optarg);
			break;
		case OPT_LABEL:
			if (fm_render_label_parse(optarg, &a->opts.label) < 0)
				return bad_value("--label",
						 "name, branch, both or none",
						 optarg);
			break;
		case OPT_THEME:
			if (fm_render_theme_parse(optarg, &a->opts.theme) < 0)
				return bad_value("--theme", "light or dark",
						 optarg);
			break;
		case OPT_TOP:
			if (cli_parse_number("--top", optarg, 1, 1000000, &v) <
			    0)
				return -1;
			a->opts.top = (size_t)v;
			break;
		case OPT_SINCE:
			if (fm_date_parse(optarg, &a->opts.since) < 0 ||
			    !a->opts.since.set)
				return bad_value("--since",
						 "a date like 2024-01-31",
						 optarg);
			break;
		case OPT_WIDTH:
			if (parse_inches("--width", optarg, &a->opts.width) < 0)
				return -1;
			break;
		case OPT_HEIGHT:
			if (parse_inches("--height", optarg, &a->opts.height) <
			    0)
				return -1;
			break;
		case OPT_DPI:
			if (cli_parse_number("--dpi", optarg, 10, 2400, &v) < 0)
				return -1;
			a->opts.dpi = (double)v;
			break;
		case OPT_SEED:
			if (cli_parse_number("--seed", optarg, 1, 2147483647,
					     &v) < 0)
				return -1;
			a->opts.seed = (unsigned long)v;
			break;
		default:
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "error: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
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
			fputs(render_usage, stdout);
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
