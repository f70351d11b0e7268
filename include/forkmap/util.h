#ifndef FORKMAP_UTIL_H
#define FORKMAP_UTIL_H
/* Small pure helpers shared by the library and the CLI: dates, versions,
 * globs, release-tag matching, escaping for terminals. */
#include "census.h"

#ifdef __cplusplus
extern "C" {
#endif

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

/* git's version ordering (git tag --sort=v:refname): <0, 0, >0. */
int fm_version_cmp(const char *a, const char *b);

/* 1 when name matches one of the fnmatch globs. */
int fm_glob_any(const char *const *globs, size_t n, const char *name);

/* A compiled release-tag regex (POSIX extended). */
typedef struct fm_release_re fm_release_re;
int fm_release_re_new(fm_ctx *ctx, const char *regex, fm_release_re **out);
int fm_release_re_match(const fm_release_re *re, const char *tag);
void fm_release_re_free(fm_release_re *re);

/*
 * A copy of an untrusted string (a name from a forge) safe to print on a
 * terminal: control characters, escape sequences and invalid UTF-8 become
 * "\xNN". Caller frees with free(); NULL on allocation failure.
 */
char *fm_term_safe(const char *s);

/*
 * A copy of s that is valid UTF-8 (what JSON and graphviz labels need):
 * each byte that does not start a well-formed sequence becomes U+FFFD.
 * Caller frees with free(); NULL on allocation failure.
 */
char *fm_utf8_sanitize(const char *s);

#ifdef __cplusplus
}
#endif
#endif
