/* One census at a time per store (see lock.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline/lock.h"

/* The pid the holder wrote, for the message; 0 when unreadable. */
static long holder_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

int fm_census_lock_take(fm_ctx *ctx, const char *store_path,
			fm_census_lock *lock)
{
	/* a POSIX record lock, not flock(2): it belongs to this process
	 * alone, so the worker processes it forks never hold it, and a census
	 * killed with -9 frees the store at once even while its workers are
	 * still being torn down */
	struct flock whole = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	char *path = NULL, pid[32];
	int fd, n;

	lock->fd = -1;
	if (!store_path || !strcmp(store_path, ":memory:"))
		return 0;
	if (asprintf(&path, "%s.lock", store_path) < 0)
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		int rc = fm_error_set(ctx, FM_ESTORE, "cannot lock '%s': %s",
				      path, strerror(errno));

		free(path);
		return rc;
	}
	if (fcntl(fd, F_SETLK, &whole) < 0) {
		int err = errno == EACCES ? EAGAIN : errno, rc;
		long other = holder_pid(fd);

		if (err == EAGAIN && other > 0)
			rc = fm_error_set(ctx, FM_ELOCKED,
					  "another census (pid %ld) is running "
					  "on the store '%s'; try again when "
					  "it is done",
					  other, store_path);
		else if (err == EAGAIN)
			rc = fm_error_set(ctx, FM_ELOCKED,
					  "another census is running on the "
					  "store '%s'; try again when it is "
					  "done",
					  store_path);
		else
			rc = fm_error_set(ctx, FM_ESTORE,
					  "cannot lock '%s': %s", path,
					  strerror(err));
		close(fd);
		free(path);
		return rc;
	}
	free(path);
	/* who holds it, for the message a second census prints */
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == 0 && pwrite(fd, pid, (size_t)n, 0) < 0) {
		/* the pid is a courtesy; the lock is what counts */
	}
	lock->fd = fd;
	return 0;
}

void fm_census_lock_release(fm_census_lock *lock)
{
	if (lock->fd >= 0)
		close(lock->fd);
	lock->fd = -1;
}
