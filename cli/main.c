/* forkmap: the program. A table of subcommands over libforkmap. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <forkmap/common.h>
#include <forkmap/util.h>

#include "cli.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"census", cmd_census,
	 "find forks, fetch and measure them, store the run"},
	{"render", cmd_render, "draw the fork network (SVG, PNG, PDF, DOT)"},
	{"stale", cmd_stale,
	 "forks with unmerged work gone quiet or far behind"},
	{"history", cmd_history, "list the census runs kept in the store"},
	{"diff", cmd_diff, "what changed for each fork between two runs"},
	{"log", cmd_log, "one fork's numbers across the runs"},
	{"show", cmd_show, "what one fork carries and where it lives"},
};

/* Messages can quote what a server sent (URLs, git errors): escaped. */
void cli_error(fm_ctx *ctx)
{
	const char *msg = fm_ctx_errmsg(ctx);
	char *safe =
		fm_term_safe(*msg ? msg : fm_strerror(fm_ctx_errcode(ctx)));

	fprintf(stderr, "error: %s\n", safe ? safe : "out of memory");
	free(safe);
}

static const char *config_given; /* forkmap --config FILE <command> */

const char *cli_global_config(void)
{
	return config_given;
}

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: forkmap [-C PATH] [--config FILE] <command> "
		     "[options]\n\n"
		     "forkmap finds the forks of an upstream project, measures "
		     "how far each has\ndrifted (merge base, base release, "
		     "commits ahead/behind, unmerged patches,\nline deltas, "
		     "last activity), keeps every census in SQLite and draws "
		     "the\nfork network.\n\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-9s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out,
		"  %-9s %s\n  %-9s %s\n\n"
		"global options (before the command, as in git):\n"
		"  -C PATH              run as if started in PATH (repeatable; "
		"later\n"
		"                       relative paths are taken from there)\n"
		"  --config FILE        config file for every command\n"
		"  -V, --version        the version\n"
		"  -h, --help           this help\n\n"
		"'forkmap help <command>' or 'forkmap <command> --help' "
		"describes a command.\n\n",
		"help", "help on forkmap or on one command", "version",
		"the version of forkmap");
	cli_exit_codes_help(out);
}

static int unknown_command(const char *name)
{
	char *safe = fm_term_safe(name);
	size_t i, best = 3, k = NCOMMANDS;

	fprintf(stderr, "error: '%s' is not a forkmap command\n",
		safe ? safe : "");
	free(safe);
	for (i = 0; i < NCOMMANDS; i++) {
		size_t d = fm_edit_distance(name, commands[i].name);

		if (d < best || (d == best && d < 3 && k == NCOMMANDS)) {
			best = d;
			k = i;
		}
	}
	if (k < NCOMMANDS && best <= 2)
		fprintf(stderr, "hint: did you mean '%s'?\n", commands[k].name);
	fputs("hint: 'forkmap --help' lists the commands\n", stderr);
	return EXIT_USAGE;
}

static int run_command(const char *name, int argc, char **argv)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return commands[i].fn(argc, argv);
	return unknown_command(name);
}

static int version(void)
{
	printf("forkmap %s\n", fm_version());
	return EXIT_OK;
}

/* help [COMMAND]: the command's own --help, or the overview. */
static int help(int argc, char **argv)
{
	char *sub[] = {NULL, "--help", NULL};

	if (argc < 2) {
		usage(stdout);
		return EXIT_OK;
	}
	sub[0] = argv[1];
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "version")) {
		usage(stdout);
		return EXIT_OK;
	}
	return run_command(argv[1], 2, sub);
}

int main(int argc, char **argv)
{
	int i = 1;

	cli_text_locale(); /* names are measured in display columns */
	/* global options, before the command, in git's way */
	while (i < argc && argv[i][0] == '-') {
		const char *opt = argv[i];

		if (!strcmp(opt, "-C") || !strcmp(opt, "--config")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "error: %s needs a value\n",
					opt);
				return EXIT_USAGE;
			}
			if (opt[1] == 'C' && chdir(argv[i + 1]) != 0) {
				char *safe = fm_term_safe(argv[i + 1]);

				fprintf(stderr,
					"error: cannot change to '%s': %s\n",
					safe ? safe : "", strerror(errno));
				free(safe);
				return EXIT_REPO;
			}
			if (opt[1] == '-')
				config_given = argv[i + 1];
			i += 2;
		} else if (!strncmp(opt, "--config=", 9)) {
			config_given = opt + 9;
			i++;
		} else if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(opt, "--version") || !strcmp(opt, "-V")) {
			return version();
		} else {
			char *safe = fm_term_safe(opt);

			fprintf(stderr, "error: unknown option '%s'\n\n",
				safe ? safe : "");
			free(safe);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[i], "help"))
		return help(argc - i, argv + i);
	if (!strcmp(argv[i], "version"))
		return version();
	return run_command(argv[i], argc - i, argv + i);
}
