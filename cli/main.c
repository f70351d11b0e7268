/* forkmap: the program. A table of subcommands over libforkmap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: forkmap <command> [options]\n\n"
		     "forkmap finds the forks of an upstream project, measures "
		     "how far each has\ndrifted (merge base, base release, "
		     "commits ahead/behind, unmerged patches,\nline deltas, "
		     "last activity), keeps every census in SQLite and draws "
		     "the\nfork network.\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out, "\n'forkmap <command> --help' describes a command.\n\n");
	cli_exit_codes_help(out);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		if (argc > 2 && strcmp(argv[1], "help") == 0) {
			char *sub[] = {argv[2], "--help", NULL};

			for (i = 0; i < sizeof(commands) / sizeof(commands[0]);
			     i++)
				if (!strcmp(commands[i].name, argv[2]))
					return commands[i].fn(2, sub);
		}
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("forkmap %s\n", fm_version());
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, argv[1]))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "error: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
