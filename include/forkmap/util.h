#ifndef FORKMAP_UTIL_H
#define FORKMAP_UTIL_H
/* Small pure helpers shared by the library and the CLI: versions, globs,
 * release-tag matching, escaping for terminals. */
#include "common.h"
#include "date.h"

#ifdef __cplusplus
extern "C" {
#endif

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

/*
 * A copy of s for files other programs parse (CSV): valid UTF-8 without
 * control characters (but TAB, CR and LF, which CSV quotes) or
 * bidirectional overrides; each invalid byte and each such character
 * becomes U+FFFD. Caller frees with free(); NULL on
 * allocation failure.
 */
char *fm_text_clean(const char *s);

/*
 * A copy of an untrusted string safe in Markdown text and table cells
 * (GitHub, GitLab, CommonMark): what fm_term_safe escapes is escaped the
 * same way, then every Markdown metacharacter, '|' included, gets a
 * backslash and '<', '>', '&' become entities, so a name can neither
 * format, link, break a table nor carry raw HTML. Caller frees with
 * free(); NULL on allocation failure.
 */
char *fm_markdown_safe(const char *s);

/*
 * Levenshtein distance between two short names (for "did you mean"); a name
 * of 63 bytes or more is never close: (size_t)-1.
 */
size_t fm_edit_distance(const char *a, const char *b);

#ifdef __cplusplus
}
#endif
#endif
