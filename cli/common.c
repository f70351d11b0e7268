/* What several subcommands share: numbers, the config file, the store. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

int cli_parse_number(const char *opt, const char *s, long long min,
		     long long max, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr,
			"error: %s wants a whole number from %lld to %lld, "
			"not '%s'\n",
			opt, min, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

const char *cli_config_path(const char *given)
{
	struct stat st;

	if (given)
		return given;
	return stat("forkmap.conf", &st) == 0 ? "forkmap.conf" : NULL;
}

char *cli_default_db_path(fm_repo *repo)
{
	const char *dir = fm_repo_path(repo);
	size_t len = strlen(dir) + sizeof("/forkmap.db");
	char *path = malloc(len);

	if (path)
		snprintf(path, len, "%s%sforkmap.db", dir,
			 dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/");
	return path;
}
