#ifndef FM_PIPELINE_LOCK_H
#define FM_PIPELINE_LOCK_H
/*
 * Inside libforkmap only: one census at a time per store. A census holds an
 * exclusive POSIX record lock (fcntl F_SETLK, as lockf(3) and Python's
 * fcntl.lockf take) on "<store>.lock" from before its first request to its
 * end; it is the census process's own (processes it forks do not hold it); a
 * second census on the same store is refused at once with FM_ELOCKED (and the
 * first one's pid), before it does any work. The kernel drops the lock when the
 * holder dies, even by kill -9, so there is never a stale lock to clean up. The
 * lock file itself is left in place: removing it would let a third census lock
 * a new file while the second still holds the old one.
 */

typedef struct fm_census_lock {
	int fd; /* -1: not held */
} fm_census_lock;

#include <forkmap/common.h>

/* Take the lock of the store at path (":memory:" needs none). */
int fm_census_lock_take(fm_ctx *ctx, const char *store_path,
			fm_census_lock *lock);
void fm_census_lock_release(fm_census_lock *lock);

#endif
