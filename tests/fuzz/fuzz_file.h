#ifndef FORKMAP_TESTS_FUZZ_FILE_H
#define FORKMAP_TESTS_FUZZ_FILE_H
/*
 * What the fuzz targets that read files share: the input written to a
 * file of the process's own under $TMPDIR, as forkmap would find it on
 * disk. The target removes it after each input (fuzz_remove), so nothing
 * is left behind but the file of an input that crashed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Write data to $TMPDIR/fm-fuzz-PID-name, its path in path. 0, or -1. */
static inline int fuzz_write(const char *name, const unsigned char *data,
			     size_t size, char *path, size_t path_size)
{
	const char *tmp = getenv("TMPDIR");
	FILE *f;
	int rc;

	snprintf(path, path_size, "%s/fm-fuzz-%ld-%s",
		 tmp && *tmp ? tmp : "/tmp", (long)getpid(), name);
	if (!(f = fopen(path, "wb")))
		return -1;
	rc = size && fwrite(data, 1, size, f) != size ? -1 : 0;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* Remove path and what SQLite may have put beside it. */
static inline void fuzz_remove(const char *path)
{
	static const char *const beside[] = {"-wal", "-shm", "-journal"};
	char p[600];
	size_t i;

	for (i = 0; i < sizeof(beside) / sizeof(beside[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, beside[i]);
		unlink(p);
	}
	unlink(path);
}

#endif
