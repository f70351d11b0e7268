/*
 * Small pure helpers: dates as git prints them, git's version ordering,
 * globs, release-tag regexes and terminal-safe copies of untrusted strings.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/util.h>
#include <forkmap/settings.h>

/*
 * Calendar arithmetic on int64 days (Howard Hinnant's civil algorithms), so
 * dates before 1970 and far from it need neither gmtime nor time_t.
 */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Wall-clock years 0000..9999, what the four-digit formats can show. */
#define MIN_TIME (-62167219200LL) /* 0000-01-01T00:00:00Z */
#define MAX_TIME 253402300799LL	  /* 9999-12-31T23:59:59Z */
#define MAX_OFFSET (100 * 60 - 1) /* +99:59 */

struct civil {
	int64_t year;
	int mon, day, hour, min, sec;
};

/* The wall-clock time of d in its own offset; -1 when out of range. */
static int to_civil(const fm_date *d, struct civil *c)
{
	int64_t local, days, secs;

	if (d->offset < -MAX_OFFSET || d->offset > MAX_OFFSET ||
	    d->time < MIN_TIME - 86400 || d->time > MAX_TIME + 86400)
		return -1;
	local = d->time + (int64_t)d->offset * 60;
	if (local < MIN_TIME || local > MAX_TIME)
		return -1;
	days = floor_div(local, 86400);
	secs = local - days * 86400;
	civil_from_days(days, &c->year, &c->mon, &c->day);
	c->hour = (int)(secs / 3600);
	c->min = (int)(secs / 60 % 60);
	c->sec = (int)(secs % 60);
	return 0;
}

/*
 * git's DATE_ISO8601_STRICT (%cI) up to git 2.44: "+00:00" for UTC, never
 * "Z" (git 2.45 started printing "Z"; fm_date_parse reads both).
 */
char *fm_date_iso(const fm_date *d, char *buf)
{
	struct civil c;
	int off;

	buf[0] = '\0';
	if (!d || !d->set || to_civil(d, &c) < 0)
		return buf;
	off = d->offset < 0 ? -d->offset : d->offset;
	snprintf(buf, FM_DATE_ISO_MAX,
		 "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", (int)c.year, c.mon,
		 c.day, c.hour, c.min, c.sec, d->offset < 0 ? '-' : '+',
		 off / 60, off % 60);
	return buf;
}

char *fm_date_dmy(const fm_date *d, char *buf)
{
	struct civil c;

	buf[0] = '\0';
	if (!d || !d->set || to_civil(d, &c) < 0)
		return buf;
	snprintf(buf, FM_DATE_ISO_MAX, "%02d/%02d/%04d", c.day, c.mon,
		 (int)c.year);
	return buf;
}

/* Read exactly n digits; -1 when there are not n of them. */
static int digits(const char **p, int n)
{
	int v = 0;

	while (n-- > 0) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	return v;
}

/* Read one or two digits (the d and m of d/m/YYYY). */
static int digits12(const char **p)
{
	int v = digits(p, 1);

	if (v >= 0 && isdigit((unsigned char)**p))
		v = v * 10 + (*(*p)++ - '0');
	return v;
}

static int month_days(int64_t y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* "+hh:mm", "+hhmm", "+hh", "Z"; minutes east of UTC. */
static int parse_offset(const char **p, int *offset)
{
	int sign, hh, mm = 0;

	if (**p == 'Z' || **p == 'z') {
		(*p)++;
		*offset = 0;
		return 0;
	}
	if (**p != '+' && **p != '-')
		return -1;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if ((hh = digits(p, 2)) < 0)
		return -1;
	if (**p == ':')
		(*p)++;
	if (isdigit((unsigned char)**p) && (mm = digits(p, 2)) < 0)
		return -1;
	if (mm > 59)
		return -1;
	*offset = sign * (hh * 60 + mm);
	return 0;
}

int fm_date_parse(const char *s, fm_date *out)
{
	const char *p, *end;
	int64_t year, days, t;
	int mon, day, hh = 0, mi = 0, ss = 0, offset = 0;

	memset(out, 0, sizeof(*out));
	if (!s)
		return 0;
	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	if (end == s)
		return 0;
	p = s;

	if (strchr(s, '/') && strchr(s, '/') < end) {
		/* dd/mm/YYYY (one-digit day and month accepted), UTC */
		if ((day = digits12(&p)) < 0 || *p++ != '/' ||
		    (mon = digits12(&p)) < 0 || *p++ != '/' ||
		    (year = digits(&p, 4)) < 0)
			return FM_EINVAL;
	} else {
		if ((year = digits(&p, 4)) < 0 || *p++ != '-' ||
		    (mon = digits(&p, 2)) < 0 || *p++ != '-' ||
		    (day = digits(&p, 2)) < 0)
			return FM_EINVAL;
		if (p != end) {
			/* time and offset are both required */
			if (*p != 'T' && *p != 't' && *p != ' ')
				return FM_EINVAL;
			p++;
			if ((hh = digits(&p, 2)) < 0 || *p++ != ':' ||
			    (mi = digits(&p, 2)) < 0 || *p++ != ':' ||
			    (ss = digits(&p, 2)) < 0)
				return FM_EINVAL;
			if (*p == '.' || *p == ',') /* fraction: dropped */
				for (p++; isdigit((unsigned char)*p); p++)
					;
			if (*p == ' ')
				p++;
			if (parse_offset(&p, &offset) < 0)
				return FM_EINVAL;
			if (hh > 23 || mi > 59 || ss > 59)
				return FM_EINVAL;
		}
	}
	if (p != end || mon < 1 || mon > 12 || day < 1 ||
	    day > month_days(year, mon))
		return FM_EINVAL;

	days = days_from_civil(year, mon, day);
	t = days * 86400 + hh * 3600 + mi * 60 + ss - (int64_t)offset * 60;
	out->time = t;
	out->offset = offset;
	out->set = 1;
	return 0;
}

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

int fm_glob_any(const char *const *globs, size_t n, const char *name)
{
	size_t i;

	if (!name)
		return 0;
	for (i = 0; i < n; i++)
		if (globs[i] && fnmatch(globs[i], name, 0) == 0)
			return 1;
	return 0;
}

struct fm_release_re {
	regex_t re;
};

/* regex NULL means FM_DEFAULT_RELEASE_REGEX. */
int fm_release_re_new(fm_ctx *ctx, const char *regex, fm_release_re **out)
{
	fm_release_re *r;
	char msg[256];
	int err;

	*out = NULL;
	if (!regex)
		regex = FM_DEFAULT_RELEASE_REGEX;
	if (!(r = calloc(1, sizeof(*r))))
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	if ((err = regcomp(&r->re, regex, REG_EXTENDED | REG_NOSUB)) != 0) {
		regerror(err, &r->re, msg, sizeof(msg));
		free(r);
		return fm_error_set(ctx, FM_ECONFIG,
				    "bad release regex '%s': %s", regex, msg);
	}
	*out = r;
	return 0;
}

int fm_release_re_match(const fm_release_re *re, const char *tag)
{
	if (!re || !tag)
		return 0;
	return regexec(&re->re, tag, 0, NULL, 0) == 0;
}

void fm_release_re_free(fm_release_re *re)
{
	if (!re)
		return;
	regfree(&re->re);
	free(re);
}

/*
 * Length of the well-formed UTF-8 sequence at s (1..4), and its code point;
 * 0 when the bytes there are not one (overlong forms, surrogates, code
 * points past U+10FFFF, truncated sequences).
 */
static size_t utf8_seq(const unsigned char *s, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/*
 * Code points a terminal acts on rather than shows: C0/C1 controls, DEL,
 * and the bidirectional overrides and isolates that reorder what follows
 * them (the "trojan source" characters), plus the line separators.
 */
static int is_control(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x200e ||
	       c == 0x200f || (c >= 0x2028 && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069);
}

char *fm_term_safe(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), i, n, o = 0;
	uint32_t cp;
	char *out;

	if (!(out = malloc(len * 4 + 1)))
		return NULL;
	for (i = 0; i < len; i += n) {
		n = utf8_seq(p + i, &cp);
		if (n > 0 && !is_control(cp)) {
			memcpy(out + o, p + i, n);
			o += n;
			continue;
		}
		if (n == 0)
			n = 1; /* invalid: escape one byte, resync after it */
		for (size_t k = 0; k < n; k++) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[p[i + k] >> 4];
			out[o++] = hex[p[i + k] & 0xf];
		}
	}
	out[o] = '\0';
	return out;
}

char *fm_utf8_sanitize(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), i, n, o = 0;
	uint32_t cp;
	char *out;

	/* each bad byte becomes the three bytes of U+FFFD */
	if (!(out = malloc(len * 3 + 1)))
		return NULL;
	for (i = 0; i < len; i += n) {
		if ((n = utf8_seq(p + i, &cp)) > 0) {
			memcpy(out + o, p + i, n);
			o += n;
		} else {
			n = 1;
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
		}
	}
	out[o] = '\0';
	return out;
}
