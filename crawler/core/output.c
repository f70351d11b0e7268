/* The atomic output writer of core/output.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/output.h"

int fm_output_open(fm_ctx *ctx, fm_output *o, const char *path, FILE *stream)
{
	struct stat st;
	size_t len;
	int fd;

	memset(o, 0, sizeof(*o));
	o->path = path;
	o->stream = stream;
	if (!path)
		return 0;
	if (!strcmp(path, "-")) {
		if (!stream)
			return fm_error_set(ctx, FM_EINVAL,
					    "no stream to write '-' to");
		o->f = stream;
		return 0;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (!(o->f = fopen(path, "w")))
			return fm_error_set(ctx, FM_EIO,
					    "cannot write '%s': %s", path,
					    strerror(errno));
		return 0;
	}
	len = strlen(path) + sizeof(".tmp-XXXXXX");
	if (!(o->tmp = malloc(len)))
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	snprintf(o->tmp, len, "%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(o->tmp)) < 0 || !(o->f = fdopen(fd, "w"))) {
		int err = errno;

		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		free(o->tmp);
		o->tmp = NULL;
		return fm_error_set(ctx, FM_EIO, "cannot write '%s': %s", path,
				    strerror(err));
	}
	fchmod(fd, 0644);
	return 0;
}

int fm_output_commit(fm_ctx *ctx, fm_output *o, int rc)
{
	if (!o->f)
		return rc;
	if (o->f == o->stream) {
		if (fflush(o->f) != 0 && rc == 0)
			rc = fm_error_set(ctx, FM_EIO,
					  "cannot write to stdout");
		o->f = NULL;
		return rc;
	}
	if (fclose(o->f) != 0 && rc == 0)
		rc = fm_error_set(ctx, FM_EIO, "cannot write '%s': %s", o->path,
				  strerror(errno));
	o->f = NULL;
	if (!o->tmp) /* written in place */
		return rc;
	if (rc == 0 && rename(o->tmp, o->path) != 0)
		rc = fm_error_set(ctx, FM_EIO, "cannot write '%s': %s", o->path,
				  strerror(errno));
	if (rc < 0)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	return rc;
}

void fm_output_abandon(fm_output *o)
{
	if (o->f && o->f != o->stream)
		fclose(o->f);
	if (o->tmp) {
		unlink(o->tmp);
		free(o->tmp);
	}
	memset(o, 0, sizeof(*o));
}
