/*
 * Dates as git prints them (%cI) and as forkmap's CSV writes them
 * (dd/mm/YYYY), and the parser that reads both back.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <forkmap/common.h>
#include <forkmap/date.h>

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
