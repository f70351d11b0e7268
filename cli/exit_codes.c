/*
 * The one table of exit codes: what each means (for --help) and which
 * library errors lead to it, so the two cannot drift. README.md's table is
 * checked against `forkmap --help` by tests/cli/test_cli.py.
 */
#include <stdio.h>

#include "cli.h"

static const struct {
	int code;
	const char *meaning;
	int errors[3]; /* FM_E* codes that exit with it; 0 ends the list */
} exit_codes[] = {
	{EXIT_OK, "done", {0}},
	{EXIT_FORK_ERRORS, "done, but some forks have an error row", {0}},
	{EXIT_USAGE, "bad command line or input", {FM_EINVAL, FM_ECSV, 0}},
	{EXIT_CONFIG, "bad or missing config file", {FM_ECONFIG, 0}},
	{EXIT_REPO,
	 "repository missing or unusable",
	 {FM_EREPO, FM_ENOTFOUND, 0}},
	{EXIT_STORE,
	 "the store or an output file failed",
	 {FM_ESTORE, FM_EIO, 0}},
	{EXIT_AUTH, "the forge rejected the token (401)", {FM_EAUTH, 0}},
	{EXIT_NET, "the forge API is unreachable", {FM_ENET, 0}},
	{EXIT_RATELIMIT,
	 "stopped: rate-limit wait over --max-wait; a rerun resumes",
	 {FM_ERATELIMIT, 0}},
	{EXIT_INTERRUPTED,
	 "interrupted; the store is consistent",
	 {FM_EINTERRUPTED, 0}},
	{EXIT_FAILURE_OTHER, "any other failure", {0}},
	{EXIT_LISTING,
	 "the forks could not be listed; the run is kept as failed",
	 {FM_ELISTING, 0}},
	{EXIT_LOCKED,
	 "another census is running on the store",
	 {FM_ELOCKED, 0}},
};

#define NCODES (sizeof(exit_codes) / sizeof(exit_codes[0]))

int cli_exit_code(int fm_error)
{
	size_t i, j;

	if (fm_error == 0)
		return EXIT_OK;
	for (i = 0; i < NCODES; i++)
		for (j = 0; exit_codes[i].errors[j]; j++)
			if (exit_codes[i].errors[j] == fm_error)
				return exit_codes[i].code;
	return EXIT_FAILURE_OTHER;
}

void cli_exit_codes_help(FILE *out)
{
	size_t i;

	fputs("exit codes:\n", out);
	for (i = 0; i < NCODES; i++)
		fprintf(out, "  %-3d %s\n", exit_codes[i].code,
			exit_codes[i].meaning);
}
