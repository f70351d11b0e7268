#ifndef FM_FORGE_SEEN_H
#define FM_FORGE_SEEN_H
/*
 * Inside crawler/forge only: a set of strings seen so far (a hash set),
 * for what a server must not make forkmap do twice: read a page it has
 * read (a Link loop, forge_walk.c) or take a fork it has taken (the same
 * repository listed twice, forge_list.c).
 *
 *	fm_forge_seen seen = FM_FORGE_SEEN_INIT;
 *
 *	if ((rc = fm_forge_seen_add(&seen, url)) < 0)   FM_ENOMEM
 *		...
 *	else if (rc == 0)
 *		... seen before ...
 *	fm_forge_seen_clear(&seen);
 */
#include <stddef.h>

typedef struct fm_forge_seen {
	char **slots; /* open addressing; NULL: free */
	size_t n;
	size_t size; /* a power of two, or 0 */
} fm_forge_seen;

#define FM_FORGE_SEEN_INIT \
	{                  \
		NULL, 0, 0 \
	}

/* Add a copy of key: 1 when it is new, 0 when it was there, FM_ENOMEM. */
int fm_forge_seen_add(fm_forge_seen *s, const char *key);
/* 1 when key is in s. */
int fm_forge_seen_has(const fm_forge_seen *s, const char *key);
void fm_forge_seen_clear(fm_forge_seen *s);

/*
 * A repository's identity: 1 when one with the same id (> 0) or the same
 * full name in any letter case is in s already; else both are added and
 * 0; FM_ENOMEM.
 */
int fm_forge_seen_fork(fm_forge_seen *s, long id, const char *full_name);

#endif
