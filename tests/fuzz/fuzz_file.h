#ifndef FORKMAP_TESTS_FUZZ_FILE_H
#define FORKMAP_TESTS_FUZZ_FILE_H
/*
 * What the fuzz targets that read files share: the input written to a
 * file in a directory of the target's own (made once per process under
 * $TMPDIR), as forkmap would find it on disk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The directory, made on the first call; NULL when it cannot be made. */
static inline const char *fuzz_dir(void)
{
	static char dir[256];
	const char *tmp;

	if (dir[0])
		return dir;
	tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/fm-fuzz-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		dir[0] = '\0';
		return NULL;
	}
	return dir;
}

/* Write data to DIR/name; the path in path. 0, or -1 when it cannot. */
static inline int fuzz_write(const char *name, const unsigned char *data,
			     size_t size, char *path, size_t path_size)
{
	const char *dir = fuzz_dir();
	FILE *f;
	int rc;

	if (!dir)
		return -1;
	snprintf(path, path_size, "%s/%s", dir, name);
	if (!(f = fopen(path, "wb")))
		return -1;
	rc = size && fwrite(data, 1, size, f) != size ? -1 : 0;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

#endif
