/* Fork lists, fork sources, and freeing a census. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/census.h>

static const char *const source_names[] = {
	[FM_SOURCE_LOCAL] = "local",	 [FM_SOURCE_CONFIG] = "config",
	[FM_SOURCE_GITHUB] = "github",	 [FM_SOURCE_GITLAB] = "gitlab",
	[FM_SOURCE_FORGEJO] = "forgejo",
};

#define NSOURCES (sizeof(source_names) / sizeof(source_names[0]))

const char *fm_source_name(fm_source s)
{
	if ((unsigned)s >= NSOURCES)
		return NULL;
	return source_names[s];
}

int fm_source_parse(const char *name)
{
	size_t i;

	if (!name)
		return -1;
	for (i = 0; i < NSOURCES; i++)
		if (strcmp(name, source_names[i]) == 0)
			return (int)i;
	return -1;
}

/* strdup that keeps NULL; *ok cleared on allocation failure. */
static char *dup_or_null(const char *s, int *ok)
{
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		*ok = 0;
	return d;
}

static void fork_clear(fm_fork *f)
{
	free(f->name);
	free(f->branch);
	free(f->ref);
	free(f->url);
	free(f->error);
	free(f->skipped);
	memset(f, 0, sizeof(*f));
}

/*
 * The pointer given back through *out stays valid until the next add (the
 * array may move).
 */
int fm_fork_list_add(fm_fork_list *list, const char *name, const char *branch,
		     const char *ref, const char *url, fm_source source,
		     fm_fork **out)
{
	fm_fork *f;
	int ok = 1;

	if (out)
		*out = NULL;
	if (!list || !name)
		return FM_EINVAL;
	if (list->count == list->alloc) {
		size_t alloc = list->alloc ? list->alloc * 2 : 16;
		fm_fork *items;

		if (alloc > SIZE_MAX / sizeof(*items))
			return FM_ENOMEM;
		items = realloc(list->items, alloc * sizeof(*items));
		if (!items)
			return FM_ENOMEM;
		list->items = items;
		list->alloc = alloc;
	}
	f = &list->items[list->count];
	memset(f, 0, sizeof(*f));
	f->name = dup_or_null(name, &ok);
	f->branch = dup_or_null(branch, &ok);
	f->ref = dup_or_null(ref, &ok);
	f->url = dup_or_null(url, &ok);
	f->source = source;
	f->stars = -1;
	f->depth = 1;
	if (!ok) {
		fork_clear(f);
		return FM_ENOMEM;
	}
	list->count++;
	if (out)
		*out = f;
	return 0;
}

int fm_fork_set_error(fm_fork *fork, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return FM_ENOMEM;
	free(fork->error);
	fork->error = msg;
	return 0;
}

void fm_fork_list_clear(fm_fork_list *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->count; i++)
		fork_clear(&list->items[i]);
	free(list->items);
	list->items = NULL;
	list->count = 0;
	list->alloc = 0;
}

void fm_row_clear(fm_row *r)
{
	free(r->name);
	free(r->branch);
	free(r->ref);
	free(r->error);
	free(r->skipped);
	free(r->base_tag);
	free(r->release);
	memset(r, 0, sizeof(*r));
}

void fm_census_free(fm_census *census)
{
	size_t i;

	if (!census)
		return;
	for (i = 0; i < census->nrows; i++)
		fm_row_clear(&census->rows[i]);
	free(census->rows);
	for (i = 0; i < census->nreleases; i++)
		free(census->releases[i].tag);
	free(census->releases);
	free(census->upstream);
	free(census->branch);
	free(census);
}
