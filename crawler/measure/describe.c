/*
 * git describe --tags --abbrev=0 on the in-memory commit graph (see
 * describe.h): a port of git's describe.c, down to its candidate order.
 */
#include <stdlib.h>
#include <string.h>

#include "measure/describe.h"

struct heap_item {
	int64_t time;
	uint64_t seq;
	uint32_t node;
};

struct heap {
	struct heap_item *items;
	size_t count;
	size_t alloc;
	uint64_t seq;
};

/* Newest committer date first; equal dates in insertion order, which is
 * what git's commit_list_insert_by_date gives. */
static int heap_before(const struct heap_item *a, const struct heap_item *b)
{
	return a->time > b->time || (a->time == b->time && a->seq < b->seq);
}

static int heap_push(struct heap *h, int64_t time, uint32_t node)
{
	size_t i;

	if (h->count == h->alloc) {
		size_t a = h->alloc ? h->alloc * 2 : 256;
		struct heap_item *items = realloc(h->items, a * sizeof(*items));

		if (!items)
			return -1;
		h->items = items;
		h->alloc = a;
	}
	i = h->count++;
	h->items[i].time = time;
	h->items[i].seq = h->seq++;
	h->items[i].node = node;
	while (i && heap_before(&h->items[i], &h->items[(i - 1) / 2])) {
		struct heap_item tmp = h->items[i];

		h->items[i] = h->items[(i - 1) / 2];
		h->items[(i - 1) / 2] = tmp;
		i = (i - 1) / 2;
	}
	return 0;
}

static uint32_t heap_pop(struct heap *h)
{
	uint32_t top = h->items[0].node;
	size_t i = 0;

	h->items[0] = h->items[--h->count];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct heap_item tmp;

		if (l < h->count && heap_before(&h->items[l], &h->items[m]))
			m = l;
		if (r < h->count && heap_before(&h->items[r], &h->items[m]))
			m = r;
		if (m == i)
			break;
		tmp = h->items[i];
		h->items[i] = h->items[m];
		h->items[m] = tmp;
		i = m;
	}
	return top;
}

#define DESCRIBE_SEEN 1u
#define MAX_CANDIDATES 10

struct candidate {
	int32_t tag;
	unsigned depth;
	unsigned flag_within;
	unsigned found_order;
};

static int candidate_cmp(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	return x->found_order < y->found_order ? -1 : 1;
}

int fm_describe_commit(fm_describe *d, uint32_t start, int32_t *out)
{
	const fm_dag *g = d->g;
	uint32_t *flags = d->flags;
	fm_dag_list *touched = &d->touched;
	struct candidate m[MAX_CANDIDATES];
	struct heap h = {0};
	unsigned match_cnt = 0, annotated_cnt = 0, seen = 0, i;
	int rc = 0;

	*out = d->tags->name_of[start];
	if (*out >= 0)
		return 0;
	flags[start] = DESCRIBE_SEEN;
	if (fm_dag_list_push(touched, start) < 0 ||
	    heap_push(&h, g->nodes[start].time, start) < 0)
		goto oom;
	while (h.count) {
		uint32_t n = heap_pop(&h), j;
		const uint32_t *par = fm_dag_parents(g, n);
		int32_t name = d->tags->name_of[n];

		seen++;
		if (name >= 0) {
			if (match_cnt < MAX_CANDIDATES) {
				struct candidate *t = &m[match_cnt++];

				t->tag = name;
				t->depth = seen - 1;
				t->flag_within = 1u << match_cnt;
				t->found_order = match_cnt;
				flags[n] |= t->flag_within;
				if (d->tags->items[name].annotated)
					annotated_cnt++;
			} else {
				break; /* gave up: the best is known */
			}
		}
		for (i = 0; i < match_cnt; i++)
			if (!(flags[n] & m[i].flag_within))
				m[i].depth++;
		if (annotated_cnt && !h.count) {
			unsigned best_depth = (unsigned)-1, best_within = 0;

			for (i = 0; i < match_cnt; i++) {
				if (m[i].depth < best_depth) {
					best_depth = m[i].depth;
					best_within = m[i].flag_within;
				} else if (m[i].depth == best_depth) {
					best_within |= m[i].flag_within;
				}
			}
			if ((flags[n] & best_within) == best_within)
				break;
		}
		for (j = 0; j < g->nodes[n].npar; j++) {
			uint32_t p = par[j];

			if (!(flags[p] & DESCRIBE_SEEN)) {
				if (heap_push(&h, g->nodes[p].time, p) < 0)
					goto oom;
				if (!flags[p] &&
				    fm_dag_list_push(touched, p) < 0)
					goto oom;
			}
			flags[p] |= flags[n];
		}
	}
	if (match_cnt) {
		qsort(m, match_cnt, sizeof(m[0]), candidate_cmp);
		*out = m[0].tag;
	}
	goto done;
oom:
	rc = FM_ENOMEM;
done:
	for (i = 0; i < touched->count; i++)
		flags[touched->items[i]] = 0;
	touched->count = 0;
	free(h.items);
	return rc;
}

int fm_describe_init(fm_describe *d, const fm_dag *g, const fm_tags *tags)
{
	memset(d, 0, sizeof(*d));
	d->g = g;
	d->tags = tags;
	d->flags = calloc(g->count ? g->count : 1, sizeof(*d->flags));
	return d->flags ? 0 : FM_ENOMEM;
}

void fm_describe_clear(fm_describe *d)
{
	free(d->flags);
	fm_dag_list_clear(&d->touched);
	d->flags = NULL;
}
