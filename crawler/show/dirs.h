#ifndef FM_SHOW_DIRS_H
#define FM_SHOW_DIRS_H
/*
 * Inside crawler/show only: the per-directory breakdown of show.h. Files
 * are added first (the tree delta MB -> F), the keys are then fixed
 * (families of siblings split, see show.h), and commits are counted last
 * against those keys.
 *
 *	fm_dirs d;
 *	fm_dirs_init(&d, depth);
 *	fm_dirs_add_file(&d, "hw/arm/virt.c", 10, 2);  ...
 *	fm_dirs_settle(&d);
 *	fm_dirs_touch(&d, "hw/arm/virt.c", mark, copies, when);  ...
 *	fm_dirs_take(&d, &show->dirs, &show->ndirs);
 *	fm_dirs_clear(&d);
 */
#include <stddef.h>
#include <stdint.h>

#include <forkmap/show.h>

typedef struct fm_dirs {
	int depth;
	fm_show_dir *items;
	size_t count, alloc;
	unsigned *marks; /* per item: the last fm_dirs_touch mark */
	struct fm_dirs_file *files;
	size_t nfiles, afiles;
	int oom;
} fm_dirs;

void fm_dirs_init(fm_dirs *d, int depth);
/* One changed file of MB -> F (path copied). -1 when out of memory. */
int fm_dirs_add_file(fm_dirs *d, const char *path, long insertions,
		     long deletions);
/* Make the keys from the files added; -1 when out of memory. */
int fm_dirs_settle(fm_dirs *d);
/*
 * A patch carried by `copies` commits (the newest committed at `when`)
 * changes path: its directory counts them, once per mark (give each patch
 * its own mark, from 1). A directory no file of MB -> F is in is added
 * with no lines. -1 when out of memory.
 */
int fm_dirs_touch(fm_dirs *d, const char *path, unsigned mark, long copies,
		  int64_t when, int32_t offset);
/* Move the directories out, most lines changed first, then by path. */
void fm_dirs_take(fm_dirs *d, fm_show_dir **out, size_t *n);
void fm_dirs_clear(fm_dirs *d);

#endif
