/* The oid -> 64-bit value map of core/oidmap.h. */
#include <stdlib.h>
#include <string.h>

#include <forkmap/common.h>

#include "core/oidmap.h"

#define MIN_SLOTS 1024

void fm_oidmap_init(fm_oidmap *m)
{
	memset(m, 0, sizeof(*m));
}

void fm_oidmap_clear(fm_oidmap *m)
{
	free(m->slots);
	free(m->keys);
	free(m->values);
	fm_oidmap_init(m);
}

/* Object ids are uniformly random: their first bytes are a good hash. */
static size_t hash(const git_oid *oid)
{
	uint64_t h;

	memcpy(&h, oid->id, sizeof(h));
	return (size_t)h;
}

/* The slot holding key, or the free slot where it would go. */
static size_t probe(const fm_oidmap *m, const git_oid *key)
{
	size_t mask = m->nslots - 1, i;

	for (i = hash(key) & mask;; i = (i + 1) & mask) {
		uint32_t e = m->slots[i];

		if (e == FM_OIDMAP_NONE || git_oid_equal(&m->keys[e], key))
			return i;
	}
}

uint32_t fm_oidmap_find(const fm_oidmap *m, const git_oid *key)
{
	return m->nslots ? m->slots[probe(m, key)] : FM_OIDMAP_NONE;
}

static int grow_slots(fm_oidmap *m)
{
	size_t n = m->nslots ? m->nslots * 2 : MIN_SLOTS, mask = n - 1;
	uint32_t *slots = malloc(n * sizeof(*slots)), e;

	if (!slots)
		return FM_ENOMEM;
	memset(slots, 0xff, n * sizeof(*slots));
	for (e = 0; e < m->count; e++) {
		size_t i = hash(&m->keys[e]) & mask;

		while (slots[i] != FM_OIDMAP_NONE)
			i = (i + 1) & mask;
		slots[i] = e;
	}
	free(m->slots);
	m->slots = slots;
	m->nslots = n;
	return 0;
}

static int grow_entries(fm_oidmap *m)
{
	uint32_t a = m->alloc ? m->alloc * 2 : MIN_SLOTS / 2;
	git_oid *keys;

	if (m->alloc >= UINT32_MAX / 4) /* indexes are 32 bits */
		return FM_ENOMEM;
	if (!(keys = realloc(m->keys, a * sizeof(*keys))))
		return FM_ENOMEM;
	m->keys = keys;
	if (m->values) {
		uint64_t *values = realloc(m->values, a * sizeof(*values));

		if (!values)
			return FM_ENOMEM; /* keys is merely larger: harmless */
		m->values = values;
	}
	m->alloc = a;
	return 0;
}

int fm_oidmap_intern(fm_oidmap *m, const git_oid *key, uint32_t *index,
		     int *added)
{
	size_t i;

	*added = 0;
	if ((size_t)(m->count + 1) * 2 > m->nslots && grow_slots(m) < 0)
		return FM_ENOMEM;
	i = probe(m, key);
	if (m->slots[i] != FM_OIDMAP_NONE) {
		*index = m->slots[i];
		return 0;
	}
	if (m->count == m->alloc && grow_entries(m) < 0)
		return FM_ENOMEM;
	git_oid_cpy(&m->keys[m->count], key);
	if (m->values)
		m->values[m->count] = 0;
	m->slots[i] = *index = m->count++;
	*added = 1;
	return 0;
}

int fm_oidmap_get(const fm_oidmap *m, const git_oid *key, uint64_t *value)
{
	uint32_t e = fm_oidmap_find(m, key);

	if (e == FM_OIDMAP_NONE)
		return FM_ENOTFOUND;
	*value = m->values ? m->values[e] : 0;
	return 0;
}

int fm_oidmap_put(fm_oidmap *m, const git_oid *key, uint64_t value)
{
	uint32_t e;
	int added;

	if (!m->values &&
	    !(m->values = calloc(m->alloc ? m->alloc : 1, sizeof(*m->values))))
		return FM_ENOMEM;
	if (fm_oidmap_intern(m, key, &e, &added) < 0)
		return FM_ENOMEM;
	m->values[e] = value;
	return 0;
}
