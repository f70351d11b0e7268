/* A set of strings seen so far (see forge_seen.h). */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/common.h>

#include "forge/forge_seen.h"

/* FNV-1a: short keys (URLs, names), no adversary can see the table. */
static size_t hash(const char *key)
{
	uint64_t h = 1469598103934665603ull;

	for (; *key; key++) {
		h ^= (unsigned char)*key;
		h *= 1099511628211ull;
	}
	return (size_t)h;
}

/* The slot of key, or the free slot where it would go. */
static size_t find(char *const *slots, size_t size, const char *key)
{
	size_t i = hash(key) & (size - 1);

	while (slots[i] && strcmp(slots[i], key) != 0)
		i = (i + 1) & (size - 1);
	return i;
}

static int grow(fm_forge_seen *s)
{
	size_t size = s->size ? s->size * 2 : 64, i;
	char **slots = calloc(size, sizeof(*slots));

	if (!slots)
		return FM_ENOMEM;
	for (i = 0; i < s->size; i++)
		if (s->slots[i])
			slots[find(slots, size, s->slots[i])] = s->slots[i];
	free(s->slots);
	s->slots = slots;
	s->size = size;
	return 0;
}

int fm_forge_seen_add(fm_forge_seen *s, const char *key)
{
	size_t i;

	/* at most half full: probes stay short */
	if ((s->n + 1) * 2 > s->size && grow(s) < 0)
		return FM_ENOMEM;
	i = find(s->slots, s->size, key);
	if (s->slots[i])
		return 0;
	if (!(s->slots[i] = strdup(key)))
		return FM_ENOMEM;
	s->n++;
	return 1;
}

int fm_forge_seen_has(const fm_forge_seen *s, const char *key)
{
	return s->size && s->slots[find(s->slots, s->size, key)] != NULL;
}

void fm_forge_seen_clear(fm_forge_seen *s)
{
	size_t i;

	for (i = 0; i < s->size; i++)
		free(s->slots[i]);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

int fm_forge_seen_fork(fm_forge_seen *s, long id, const char *full_name)
{
	char key[32], *name = NULL;
	int rc = 0;
	size_t i;

	snprintf(key, sizeof(key), "#%ld", id);
	if (full_name) {
		if (!(name = strdup(full_name)))
			return FM_ENOMEM;
		for (i = 0; name[i]; i++)
			name[i] = (char)tolower((unsigned char)name[i]);
	}
	if ((id > 0 && fm_forge_seen_has(s, key)) ||
	    (name && fm_forge_seen_has(s, name))) {
		free(name);
		return 1;
	}
	if ((id > 0 && fm_forge_seen_add(s, key) < 0) ||
	    (name && fm_forge_seen_add(s, name) < 0))
		rc = FM_ENOMEM;
	free(name);
	return rc;
}
