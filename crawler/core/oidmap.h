#ifndef FM_CORE_OIDMAP_H
#define FM_CORE_OIDMAP_H
/*
 * Inside libforkmap only: the one map from object ids to 64-bit values
 * (the commit graph's oid -> node index, the line cache's blob -> lines).
 *
 * Laid out like a compact dict: the hash table holds 32-bit entry indexes,
 * the keys (and values) sit in dense arrays in insertion order. So an entry
 * keeps its index for the life of the map -- the commit graph uses it as the
 * node number and stores no oid of its own -- and a table slot costs 4 bytes,
 * not a copied oid: at 300k commits and a load factor <= 1/2 that is 4 MB
 * of slots instead of 32. Values are allocated on the first put, so a map
 * used only as an index (fm_oidmap_intern) pays nothing for them.
 *
 * Not thread-safe: callers that share a map lock around it.
 *
 *	fm_oidmap m;
 *	uint64_t v;
 *
 *	fm_oidmap_init(&m);
 *	if (fm_oidmap_put(&m, oid, 42) < 0) ...	   out of memory
 *	if (fm_oidmap_get(&m, oid, &v) == 0) ...   found
 *	fm_oidmap_clear(&m);
 */
#include <stdint.h>
#include <git2.h>

#define FM_OIDMAP_NONE UINT32_MAX

typedef struct fm_oidmap {
	uint32_t *slots;  /* entry index, FM_OIDMAP_NONE when free */
	size_t nslots;	  /* a power of two, at least twice count */
	git_oid *keys;	  /* entries, in insertion order */
	uint64_t *values; /* NULL until the first put */
	uint32_t count;
	uint32_t alloc;
} fm_oidmap;

void fm_oidmap_init(fm_oidmap *m);
void fm_oidmap_clear(fm_oidmap *m); /* frees; the map is empty again */

/* Entry index of key, or FM_OIDMAP_NONE. */
uint32_t fm_oidmap_find(const fm_oidmap *m, const git_oid *key);

/*
 * Entry index of key in *index, adding it (value 0) when new; *added says
 * which. 0, or FM_ENOMEM (the map is unchanged).
 */
int fm_oidmap_intern(fm_oidmap *m, const git_oid *key, uint32_t *index,
		     int *added);

/* 0 with the value, or FM_ENOTFOUND. */
int fm_oidmap_get(const fm_oidmap *m, const git_oid *key, uint64_t *value);

/* Add or replace. 0, or FM_ENOMEM. */
int fm_oidmap_put(fm_oidmap *m, const git_oid *key, uint64_t value);

/* The key of entry i (< count); borrowed, moves when the map grows. */
static inline const git_oid *fm_oidmap_key(const fm_oidmap *m, uint32_t i)
{
	return &m->keys[i];
}

#endif
