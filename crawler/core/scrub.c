/*
 * Credentials out of messages (see scrub.h): the user information of
 * URLs, and the secrets of a known URL however a library quotes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/scrub.h"

#define STARS "***"
/* a known secret shorter than this is only scrubbed inside a URL: three
 * letters would otherwise be starred in every word that holds them */
#define MIN_SECRET 3

/* Where the authority that starts at start (after "://") ends. */
static const char *authority_end(const char *start)
{
	return start + strcspn(start, "/?#\"'<> \t\r\n");
}

/*
 * The user information of url ("user:pw" of "https://user:pw@host/"):
 * its start in *start and length; 0 when it has none.
 */
static size_t userinfo_of(const char *url, const char **start)
{
	const char *p = url ? strstr(url, "://") : NULL, *end, *at = NULL, *q;

	if (!p)
		return 0;
	p += 3;
	end = authority_end(p);
	for (q = p; q < end; q++)
		if (*q == '@')
			at = q;
	*start = p;
	return at ? (size_t)(at - p) : 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* s[0..len) percent-decoded, malloc'd. */
static char *decoded(const char *s, size_t len)
{
	char *out = malloc(len + 1);
	size_t i, o = 0;

	if (!out)
		return NULL;
	for (i = 0; i < len; i++) {
		int hi, lo;

		if (s[i] == '%' && i + 2 < len &&
		    (hi = hexval(s[i + 1])) >= 0 &&
		    (lo = hexval(s[i + 2])) >= 0) {
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

/* Every occurrence of secret in *s replaced by STARS (*s reallocated). */
static int replace_all(char **s, const char *secret)
{
	size_t slen = strlen(secret), n = 0, cap;
	const char *p;
	char *out, *o;

	if (slen < MIN_SECRET)
		return 0;
	for (p = *s; (p = strstr(p, secret)); p += slen)
		n++;
	if (!n)
		return 0;
	cap = strlen(*s) + n * sizeof(STARS) + 1;
	if (!(out = malloc(cap)))
		return -1;
	o = out;
	for (p = *s;;) {
		const char *hit = strstr(p, secret);

		if (!hit) {
			strcpy(o, p);
			break;
		}
		memcpy(o, p, (size_t)(hit - p));
		o += hit - p;
		memcpy(o, STARS, sizeof(STARS) - 1);
		o += sizeof(STARS) - 1;
		p = hit + slen;
	}
	free(*s);
	*s = out;
	return 0;
}

/* The user information of every URL in *s replaced by STARS. */
static int scrub_urls(char **s)
{
	size_t len = strlen(*s);
	const char *p = *s;
	char *out, *o;

	/* each "://" (3 bytes) grows by at most STARS (3 bytes) */
	if (!(out = malloc(len * 2 + 1)))
		return -1;
	o = out;
	while (*p) {
		const char *sep = strstr(p, "://"), *start, *at = NULL, *end,
			   *q;

		if (!sep) {
			strcpy(o, p);
			o += strlen(p);
			break;
		}
		start = sep + 3;
		end = authority_end(start);
		for (q = start; q < end; q++)
			if (*q == '@')
				at = q;
		memcpy(o, p, (size_t)(start - p));
		o += start - p;
		if (at) {
			memcpy(o, STARS, sizeof(STARS) - 1);
			o += sizeof(STARS) - 1;
			start = at;
		}
		p = start;
	}
	*o = '\0';
	free(*s);
	*s = out;
	return 0;
}

char *fm_scrub(const char *msg, const char *url)
{
	const char *ui = NULL, *colon;
	char *s = strdup(msg ? msg : ""),
	     *secrets[4] = {NULL, NULL, NULL, NULL};
	size_t len = userinfo_of(url, &ui), i;
	int rc = 0;

	if (!s)
		return NULL;
	if (len) {
		secrets[0] = strndup(ui, len);
		secrets[1] = decoded(ui, len);
		colon = memchr(ui, ':', len);
		if (colon) {
			size_t plen = len - (size_t)(colon + 1 - ui);

			secrets[2] = strndup(colon + 1, plen);
			secrets[3] = decoded(colon + 1, plen);
		}
		/* the whole first, then the password alone */
		for (i = 0; i < 4 && rc == 0; i++)
			if ((i < 2 || colon) && !secrets[i])
				rc = -1;
			else if (secrets[i])
				rc = replace_all(&s, secrets[i]);
	}
	if (rc == 0)
		rc = scrub_urls(&s);
	for (i = 0; i < 4; i++) {
		if (secrets[i])
			memset(secrets[i], 0, strlen(secrets[i]));
		free(secrets[i]);
	}
	if (rc < 0) {
		free(s);
		return NULL;
	}
	return s;
}

char *fm_scrub_url(const char *url)
{
	return fm_scrub(url, url);
}

void fm_scrub_buf(char *buf, size_t size, const char *msg, const char *url)
{
	char *s = fm_scrub(msg, url);

	if (!size)
		return;
	if (s) {
		snprintf(buf, size, "%s", s);
		free(s);
	} else {
		/* out of memory: say nothing rather than something secret */
		snprintf(buf, size, "out of memory");
	}
}
