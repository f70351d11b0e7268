/* Table-driven option parsing and help (see options.h). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/config.h>
#include <forkmap/date.h>

#include "cli.h"
#include "options.h"

#define HELP_COLUMN 23 /* where the help text of an option starts */

static size_t count_opts(const cli_opt *opts)
{
	size_t n = 0;

	while (opts[n].name)
		n++;
	return n;
}

static void *field(void *args, const cli_opt *o)
{
	return (char *)args + o->off;
}

static int set_option(const cli_opt *o, void *args, const char *value)
{
	long long v;

	switch (o->kind) {
	case CLI_HEADING:
		return -1;
	case CLI_FLAG:
		*(int *)field(args, o) = 1;
		return 0;
	case CLI_STR:
		*(const char **)field(args, o) = value;
		return 0;
	case CLI_LIST:
		if (fm_strlist_add(field(args, o), value) < 0) {
			fputs("error: out of memory\n", stderr);
			return -1;
		}
		return 0;
	case CLI_NUM:
		if (cli_parse_setting(o->setting, value, &v) < 0)
			return -1;
		*(long long *)field(args, o) = v;
		return 0;
	case CLI_CUSTOM:
		return o->parse(o, value, field(args, o));
	}
	return -1;
}

int cli_parse_date(const cli_opt *o, const char *value, void *field)
{
	fm_date *d = field;

	return fm_date_parse(value, d) < 0 || !d->set
		       ? cli_bad_value(o, "a date like 2024-01-31", value)
		       : 0;
}

int cli_parse_choice(const cli_opt *o, const char *value,
		     const char *const *names, const char *want, int *out)
{
	int i;

	for (i = 0; names[i]; i++) {
		if (!strcmp(value, names[i])) {
			*out = i;
			return 0;
		}
	}
	return cli_bad_value(o, want, value);
}

int cli_bad_value(const cli_opt *o, const char *want, const char *value)
{
	fprintf(stderr, "error: --%s wants %s, not '%s'\n", o->name, want,
		value);
	return -1;
}

int cli_options_parse(int argc, char **argv, const cli_opt *opts, void *args)
{
	return cli_options_parse_args(argc, argv, opts, args, 0, NULL, NULL);
}

int cli_options_parse_args(int argc, char **argv, const cli_opt *opts,
			   void *args, size_t max, const char **pos,
			   size_t *npos)
{
	size_t n = count_opts(opts), i, nl = 0;
	struct option *longopts = calloc(n + 2, sizeof(*longopts));
	char shortopts[128] = "h";
	size_t ns = 1;
	int c, rc = 0, index;

	if (!longopts) {
		fputs("error: out of memory\n", stderr);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const cli_opt *o = &opts[i];
		int has_arg =
			o->kind == CLI_FLAG ? no_argument : required_argument;

		if (o->kind == CLI_HEADING)
			continue;
		if (o->kind == CLI_NUM)
			*(long long *)field(args, o) = -1;
		if (o->short_name && ns + 3 < sizeof(shortopts)) {
			shortopts[ns++] = o->short_name;
			if (has_arg == required_argument)
				shortopts[ns++] = ':';
		}
		if (!*o->name) /* a short option only */
			continue;
		longopts[nl].name = o->name;
		longopts[nl].has_arg = has_arg;
		longopts[nl].val = 256 + (int)i;
		nl++;
	}
	longopts[nl].name = "help";
	longopts[nl].val = 'h';
	optind = 1;
	opterr = 1;
	while (rc == 0 && (c = getopt_long(argc, argv, shortopts, longopts,
					   &index)) != -1) {
		const cli_opt *o = NULL;

		if (c == 'h') {
			rc = 1;
			break;
		}
		if (c >= 256 && (size_t)(c - 256) < n)
			o = &opts[c - 256];
		for (i = 0; !o && i < n; i++)
			if (opts[i].short_name && opts[i].short_name == c)
				o = &opts[i];
		if (!o || set_option(o, args, optarg) < 0)
			rc = -1;
	}
	/* getopt_long moved the arguments that are not options to the end */
	if (npos)
		*npos = 0;
	while (rc == 0 && optind < argc && npos && *npos < max)
		pos[(*npos)++] = argv[optind++];
	if (rc == 0 && optind < argc) {
		fprintf(stderr, "error: unexpected argument '%s'\n",
			argv[optind]);
		rc = -1;
	}
	free(longopts);
	return rc;
}

void cli_options_clear(const cli_opt *opts, void *args)
{
	size_t i;

	for (i = 0; opts[i].name; i++)
		if (opts[i].kind == CLI_LIST)
			fm_strlist_clear(field(args, &opts[i]));
}

/* Returns the width of the last line printed. */
static size_t print_help_text(FILE *out, const char *help, size_t col)
{
	const char *p = help, *nl;

	while ((nl = strchr(p, '\n'))) {
		fprintf(out, "%*s%.*s\n", (int)(HELP_COLUMN - col), "",
			(int)(nl - p), p);
		p = nl + 1;
		col = 0;
	}
	fprintf(out, "%*s%s", (int)(HELP_COLUMN - col), "", p);
	return HELP_COLUMN + strlen(p);
}

/* " (default 50, at most 100000)" from the settings table, wrapped. */
static void print_limits(FILE *out, const fm_setting_info *s, size_t width)
{
	/* a limit as large as a run id says nothing */
	int max = s->max < 2147483647;
	char text[96] = "";

	if (s->def > 0 && max)
		snprintf(text, sizeof(text), " (default %lld, at most %lld)",
			 s->def, s->max);
	else if (s->def > 0)
		snprintf(text, sizeof(text), " (default %lld)", s->def);
	else if (max)
		snprintf(text, sizeof(text), " (at most %lld)", s->max);
	if (*text && width + strlen(text) > 79)
		fprintf(out, "\n%*s%s", HELP_COLUMN, "", text + 1);
	else
		fputs(text, out);
}

void cli_options_help(FILE *out, const cli_opt *opts)
{
	size_t i;

	for (i = 0; opts[i].name; i++) {
		const cli_opt *o = &opts[i];
		char left[64];
		size_t width;
		int col;

		if (o->kind == CLI_HEADING) {
			fprintf(out, "%s\n", o->name);
			continue;
		}
		if (o->short_name && !*o->name)
			col = snprintf(left, sizeof(left), "  -%c%s%s",
				       o->short_name, o->arg ? " " : "",
				       o->arg ? o->arg : "");
		else if (o->short_name)
			col = snprintf(left, sizeof(left), "  -%c, --%s%s%s",
				       o->short_name, o->name,
				       o->arg ? " " : "", o->arg ? o->arg : "");
		else
			col = snprintf(left, sizeof(left), "  --%s%s%s",
				       o->name, o->arg ? " " : "",
				       o->arg ? o->arg : "");
		fputs(left, out);
		if (col >= HELP_COLUMN - 1) {
			fputc('\n', out);
			col = 0;
		}
		width = print_help_text(out, o->help, (size_t)col);
		if (o->kind == CLI_NUM)
			print_limits(out, fm_setting_get(o->setting), width);
		fputc('\n', out);
	}
	fputs("  -h, --help           this help\n", out);
}
