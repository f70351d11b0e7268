#ifndef FM_CORE_SCRUB_H
#define FM_CORE_SCRUB_H
/*
 * Inside libforkmap only: credentials out of messages. A configured fork
 * URL may carry a password (https://user:secret@host/x.git) or a token as
 * its user name, and libgit2 and libcurl quote URLs in their errors
 * ("malformed URL 'https://user:secret@...'"). Every message that can hold
 * a URL goes through fm_scrub where it is made (fetch/, repo/, forge/), so
 * no credential reaches stdout, stderr, CSV, JSON or the store.
 *
 *	char *shown = fm_scrub_url(url);     (user:pw@host -> ***@host)
 *	char *msg = fm_scrub(git_message, url);   the same, in a message
 *	free(shown); free(msg);
 */
#include <stddef.h>

/*
 * A copy of msg (malloc'd; NULL when out of memory) without credentials:
 * the user information of every URL in it (user:pw@host -> ***@host
 * after the "://"), and, when url is not NULL, url's own user
 * information and password wherever they appear, as given or
 * percent-decoded. msg NULL is "".
 */
char *fm_scrub(const char *msg, const char *url);

/* fm_scrub(url, url): the URL to show in a message. */
char *fm_scrub_url(const char *url);

/* fm_scrub into a fixed buffer (cut to size); msg may be buf itself. */
void fm_scrub_buf(char *buf, size_t size, const char *msg, const char *url);

#endif
