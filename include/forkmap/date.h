#ifndef FORKMAP_DATE_H
#define FORKMAP_DATE_H
/*
 * Dates as git keeps them (epoch seconds and the UTC offset of the commit),
 * printed and parsed in the forms forkmap's outputs use.
 *
 *	char buf[FM_DATE_ISO_MAX];
 *	fm_date d;
 *	if (fm_date_parse("2024-03-05T14:02:11+01:00", &d) == 0)
 *		puts(fm_date_iso(&d, buf));
 */
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A point in time as git keeps it: epoch seconds and the UTC offset. */
typedef struct fm_date {
	int64_t time; /* seconds since the epoch, UTC */
	int offset;   /* minutes east of UTC */
	int set;      /* 0: no date (field empty) */
} fm_date;

/* "2024-03-05T14:02:11+01:00", as git log --format=%cI prints; "" unset.
 * buf must hold FM_DATE_ISO_MAX bytes. Returns buf. */
#define FM_DATE_ISO_MAX 32
char *fm_date_iso(const fm_date *d, char *buf);
/* "05/03/2024" (dd/mm/YYYY in the date's own offset); "" unset. */
char *fm_date_dmy(const fm_date *d, char *buf);
/* Parse an ISO 8601 date with offset ("...Z" or "+hh:mm"), a plain
 * "YYYY-MM-DD" (UTC), or "dd/mm/YYYY" (UTC). 0 ok, FM_EINVAL otherwise;
 * an empty string gives an unset date. */
int fm_date_parse(const char *s, fm_date *out);

#ifdef __cplusplus
}
#endif
#endif
