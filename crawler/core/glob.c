/* Name globs: the skip and local-branch patterns of the config. */
#include <fnmatch.h>

#include <forkmap/util.h>

int fm_glob_any(const char *const *globs, size_t n, const char *name)
{
	size_t i;

	if (!name)
		return 0;
	for (i = 0; i < n; i++)
		if (globs[i] && fnmatch(globs[i], name, 0) == 0)
			return 1;
	return 0;
}
