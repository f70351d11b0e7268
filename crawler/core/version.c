/* Version order: the order of `git tag --sort=v:refname`. */
#include <ctype.h>
#include <stdint.h>

#include <forkmap/util.h>

/*
 * git's versioncmp.c (the algorithm of glibc's strverscmp), reimplemented
 * so the order does not depend on the C library. Without a
 * versionsort.suffix setting git applies nothing else, so this is exactly
 * `git tag --sort=v:refname`. Checked against git 2.39 and glibc 2.36's
 * strverscmp: identical on every pair of a few hundred random tags.
 *
 * The states: S_N normal, S_I comparing integral part, S_F comparing
 * fractional parts (after leading zeros), S_Z idem but with only zeros.
 */
#define S_N 0x0
#define S_I 0x3
#define S_F 0x6
#define S_Z 0x9
#define CMP 2
#define LEN 3

static int char_class(unsigned char c)
{
	return (c == '0') + (isdigit(c) != 0);
}

int fm_version_cmp(const char *a, const char *b)
{
	/* clang-format off */
	static const uint8_t next_state[] = {
		/* state    x    d    0  */
		/* S_N */ S_N, S_I, S_Z,
		/* S_I */ S_N, S_I, S_I,
		/* S_F */ S_N, S_F, S_F,
		/* S_Z */ S_N, S_F, S_Z,
	};
	static const int8_t result_type[] = {
		/* state  x/x  x/d  x/0  d/x  d/d  d/0  0/x  0/d  0/0 */
		/* S_N */ CMP, CMP, CMP, CMP, LEN, CMP, CMP, CMP, CMP,
		/* S_I */ CMP, -1,  -1,  +1,  LEN, LEN, +1,  LEN, LEN,
		/* S_F */ CMP, CMP, CMP, CMP, CMP, CMP, CMP, CMP, CMP,
		/* S_Z */ CMP, +1,  +1,  -1,  CMP, CMP, -1,  CMP, CMP,
	};
	/* clang-format on */
	const unsigned char *p1 = (const unsigned char *)a;
	const unsigned char *p2 = (const unsigned char *)b;
	unsigned char c1, c2;
	int state, diff;

	if (p1 == p2)
		return 0;
	c1 = *p1++;
	c2 = *p2++;
	state = S_N + char_class(c1);
	while ((diff = c1 - c2) == 0) {
		if (c1 == '\0')
			return 0;
		state = next_state[state];
		c1 = *p1++;
		c2 = *p2++;
		state += char_class(c1);
	}
	state = result_type[state * 3 + char_class(c2)];
	switch (state) {
	case CMP:
		return diff;
	case LEN:
		while (isdigit(*p1++))
			if (!isdigit(*p2++))
				return 1;
		return isdigit(*p2) ? -1 : diff;
	default:
		return state;
	}
}
