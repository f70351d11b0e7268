/*
 * The per-directory breakdown of `forkmap show` (dirs.h; the key rule is
 * in include/forkmap/show.h): sorted arrays, so 100,000 changed files and
 * thousands of directories cost a few sorts.
 */
#include <stdlib.h>
#include <string.h>

#include "show/dirs.h"

struct fm_dirs_file {
	char *path;
	long ins, del;
	size_t base;  /* length of the key at depth (0: ".") */
	size_t child; /* length through the next component; 0: the file
			 lies in the key's directory itself */
};

/* Where the key at depth ends and where the next component ends. */
static void cut(const char *path, int depth, size_t *base, size_t *child)
{
	const char *last = strrchr(path, '/'), *p = path;
	int comps = 0;

	*base = *child = 0;
	if (!last) /* a file at the top */
		return;
	while (p < last && comps < depth) {
		const char *slash = strchr(p, '/');

		comps++;
		*base = (size_t)(slash - path);
		p = slash + 1;
	}
	if (p < last) /* deeper than depth: the next component */
		*child = (size_t)(strchr(p, '/') - path);
}

void fm_dirs_init(fm_dirs *d, int depth)
{
	memset(d, 0, sizeof(*d));
	d->depth = depth;
}

int fm_dirs_add_file(fm_dirs *d, const char *path, long insertions,
		     long deletions)
{
	struct fm_dirs_file *f;

	if (d->nfiles == d->afiles) {
		size_t n = d->afiles ? d->afiles * 2 : 64;

		if (!(f = realloc(d->files, n * sizeof(*f))))
			return -1;
		d->files = f;
		d->afiles = n;
	}
	f = &d->files[d->nfiles];
	if (!(f->path = strdup(path)))
		return -1;
	f->ins = insertions;
	f->del = deletions;
	cut(path, d->depth, &f->base, &f->child);
	d->nfiles++;
	return 0;
}

static int prefix_cmp(const char *a, size_t la, const char *b, size_t lb)
{
	int c = memcmp(a, b, la < lb ? la : lb);

	return c ? c : la < lb ? -1 : la > lb;
}

static int by_base(const void *a, const void *b)
{
	const struct fm_dirs_file *x = a, *y = b;

	return prefix_cmp(x->path, x->base, y->path, y->base);
}

/* By base, then by path: a base's files are together, its children too. */
static int by_base_path(const void *a, const void *b)
{
	const struct fm_dirs_file *x = a, *y = b;
	int c = by_base(a, b);

	return c ? c : strcmp(x->path, y->path);
}

static int by_path(const void *a, const void *b)
{
	const fm_show_dir *x = a, *y = b;

	return strcmp(x->path, y->path);
}

/* The key of a file: its base, or one level deeper inside a family. */
static char *key_of(const char *path, size_t base, size_t child, int family)
{
	size_t len = family && child ? child : base;
	char *k;

	if (!len)
		return strdup(".");
	if ((k = malloc(len + 1))) {
		memcpy(k, path, len);
		k[len] = '\0';
	}
	return k;
}

/* The directory named key, added (no lines) when absent; NULL: no memory. */
static fm_show_dir *dir_get(fm_dirs *d, const char *key)
{
	size_t lo = 0, hi = d->count;
	fm_show_dir *it;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(d->items[mid].path, key);

		if (!c)
			return &d->items[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (d->count == d->alloc) {
		size_t n = d->alloc ? d->alloc * 2 : 64;
		unsigned *m = realloc(d->marks, n * sizeof(*m));

		if (m)
			d->marks = m;
		if (!m || !(it = realloc(d->items, n * sizeof(*it))))
			return NULL;
		d->items = it;
		d->alloc = n;
	}
	memmove(&d->items[lo + 1], &d->items[lo],
		(d->count - lo) * sizeof(*d->items));
	memmove(&d->marks[lo + 1], &d->marks[lo],
		(d->count - lo) * sizeof(*d->marks));
	memset(&d->items[lo], 0, sizeof(*d->items));
	d->marks[lo] = 0;
	if (!(d->items[lo].path = strdup(key))) {
		memmove(&d->items[lo], &d->items[lo + 1],
			(d->count - lo) * sizeof(*d->items));
		memmove(&d->marks[lo], &d->marks[lo + 1],
			(d->count - lo) * sizeof(*d->marks));
		return NULL;
	}
	d->count++;
	return &d->items[lo];
}

/* Files sharing a base from i: a family when none lies in the base itself
 * and they lie in two or more subdirectories. Returns the group's end. */
static size_t family_end(const fm_dirs *d, size_t i, int *family)
{
	const struct fm_dirs_file *f = &d->files[i];
	size_t j, subdirs = 0;
	int direct = 0;

	const struct fm_dirs_file *prev = NULL;

	for (j = i; j < d->nfiles && !by_base(f, &d->files[j]); j++) {
		const struct fm_dirs_file *g = &d->files[j];

		if (!g->child) {
			direct = 1;
			continue;
		}
		/* sorted by path: a new child differs from the one before */
		if (!prev || prev->child != g->child ||
		    memcmp(prev->path, g->path, g->child))
			subdirs++;
		prev = g;
	}
	*family = !direct && subdirs >= 2 && f->base;
	return j;
}

int fm_dirs_settle(fm_dirs *d)
{
	size_t i = 0, j, k;
	int family;

	qsort(d->files, d->nfiles, sizeof(*d->files), by_base_path);
	while (i < d->nfiles) {
		j = family_end(d, i, &family);
		for (k = i; k < j; k++) {
			struct fm_dirs_file *f = &d->files[k];
			char *key = key_of(f->path, f->base, f->child, family);
			fm_show_dir *dir = key ? dir_get(d, key) : NULL;

			free(key);
			if (!dir)
				return -1;
			dir->files++;
			dir->insertions += f->ins;
			dir->deletions += f->del;
			/* touch() cuts with the same rule: remember it */
			f->child = family ? f->child : 0;
		}
		i = j;
	}
	return 0;
}

/* Is base (of path) a family? Then its files' children were kept. */
static int is_family(const fm_dirs *d, const char *path, size_t base)
{
	struct fm_dirs_file probe;
	const struct fm_dirs_file *f;

	probe.path = (char *)path;
	probe.base = base;
	f = bsearch(&probe, d->files, d->nfiles, sizeof(*d->files), by_base);
	if (!f)
		return 0;
	/* the group agrees: family files keep child, others have 0; a
	 * family has no direct file, so any member tells */
	return f->child != 0;
}

int fm_dirs_touch(fm_dirs *d, const char *path, unsigned mark, long copies,
		  int64_t when, int32_t offset)
{
	size_t base, child;
	fm_show_dir *dir;
	char *key;

	cut(path, d->depth, &base, &child);
	key = key_of(path, base, child, is_family(d, path, base));
	dir = key ? dir_get(d, key) : NULL;
	free(key);
	if (!dir)
		return -1;
	if (d->marks[dir - d->items] == mark)
		return 0;
	d->marks[dir - d->items] = mark;
	dir->commits += copies;
	if (!dir->newest.set || when > dir->newest.time) {
		dir->newest.time = when;
		dir->newest.offset = offset;
		dir->newest.set = 1;
	}
	return 0;
}

static int by_lines_then_path(const void *a, const void *b)
{
	const fm_show_dir *x = a, *y = b;
	long lx = x->insertions + x->deletions,
	     ly = y->insertions + y->deletions;

	if (lx != ly)
		return lx > ly ? -1 : 1;
	if (x->commits != y->commits)
		return x->commits > y->commits ? -1 : 1;
	return by_path(a, b);
}

void fm_dirs_take(fm_dirs *d, fm_show_dir **out, size_t *n)
{
	qsort(d->items, d->count, sizeof(*d->items), by_lines_then_path);
	*out = d->items;
	*n = d->count;
	d->items = NULL;
	d->count = d->alloc = 0;
}

void fm_dirs_clear(fm_dirs *d)
{
	size_t i;

	for (i = 0; i < d->count; i++)
		free(d->items[i].path);
	free(d->items);
	free(d->marks);
	for (i = 0; i < d->nfiles; i++)
		free(d->files[i].path);
	free(d->files);
	memset(d, 0, sizeof(*d));
}
