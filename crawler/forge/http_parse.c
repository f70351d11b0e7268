/*
 * The pure parts of talking HTTP (see http_parse.h): what a Link header
 * says comes next, whether two URLs share an origin (the token only goes
 * to the API's own), where a Location points.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include <forkmap/common.h>

#include "forge/http_parse.h"

void fm_http_safe_copy(char *dst, size_t size, const char *s, size_t max)
{
	size_t i, n = 0;

	for (i = 0; s && s[i] && n + 1 < size && i < max; i++)
		dst[n++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	dst[n] = '\0';
}

char *fm_http_header_value(const char *v, size_t len)
{
	while (len && isspace((unsigned char)*v)) {
		v++;
		len--;
	}
	while (len && isspace((unsigned char)v[len - 1]))
		len--;
	return strndup(v, len);
}

/* ---- numbers ------------------------------------------------------- */

int fm_http_header_number(const char *v, int64_t *out)
{
	int64_t n = 0;
	const char *p = v;

	if (!v)
		return -1;
	while (isspace((unsigned char)*p))
		p++;
	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++)
		/* clamped digit by digit: no overflow, however long */
		n = n > FM_HTTP_NUMBER_MAX / 10 ? FM_HTTP_NUMBER_MAX
						: n * 10 + (*p - '0');
	while (isspace((unsigned char)*p))
		p++;
	if (*p)
		return -1;
	*out = n > FM_HTTP_NUMBER_MAX ? FM_HTTP_NUMBER_MAX : n;
	return 0;
}

int fm_http_retry_after(const char *v, int64_t *seconds, int64_t *date)
{
	time_t t;

	*seconds = *date = -1;
	if (fm_http_header_number(v, seconds) == 0)
		return 0;
	/* an HTTP-date: "Wed, 21 Oct 2015 07:28:00 GMT" (and the obsolete
	 * forms, which curl_getdate reads too) */
	if (!v || !strchr(v, ' ') || (t = curl_getdate(v, NULL)) < 0)
		return -1;
	*date = (int64_t)t > FM_HTTP_NUMBER_MAX ? FM_HTTP_NUMBER_MAX
						: (int64_t)t;
	return 0;
}

/* ---- URLs ------------------------------------------------------------ */

static int origin_of(const char *url, char **scheme, char **host, long *port)
{
	CURLU *u = curl_url();
	char *p = NULL;
	int rc = -1;

	*scheme = *host = NULL;
	if (!u)
		return -1;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) !=
		    CURLUE_OK)
		goto done;
	*port = strtol(p, NULL, 10);
	rc = 0;
done:
	if (rc < 0) {
		curl_free(*scheme);
		curl_free(*host);
		*scheme = *host = NULL;
	}
	curl_free(p);
	curl_url_cleanup(u);
	return rc;
}

int fm_http_same_origin(const char *a, const char *b)
{
	char *sa, *ha, *sb, *hb;
	long pa = 0, pb = 0;
	int same = 0;

	if (origin_of(a, &sa, &ha, &pa) < 0)
		return 0;
	if (origin_of(b, &sb, &hb, &pb) == 0) {
		same = strcasecmp(sa, sb) == 0 && strcasecmp(ha, hb) == 0 &&
		       pa == pb;
		curl_free(sb);
		curl_free(hb);
	}
	curl_free(sa);
	curl_free(ha);
	return same;
}

int fm_http_on_origin(const char *url, const char *base)
{
	CURLU *u;
	char *user = NULL;
	int has_user;

	if (!fm_http_same_origin(url, base) || !(u = curl_url()))
		return 0;
	has_user = curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
		   curl_url_get(u, CURLUPART_USER, &user, 0) != CURLUE_NO_USER;
	curl_free(user);
	curl_url_cleanup(u);
	return !has_user;
}

char *fm_http_resolve_url(const char *url, const char *location)
{
	CURLU *u = curl_url();
	char *s = NULL, *out = NULL;

	if (!u)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, location, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
		out = strdup(s);
	curl_free(s);
	curl_url_cleanup(u);
	return out;
}

int fm_http_is_absolute(const char *url)
{
	return strncasecmp(url, "http://", 7) == 0 ||
	       strncasecmp(url, "https://", 8) == 0;
}

/* ---- Link header --------------------------------------------------------- */

/* Does the rel parameter value (quoted or not) list "next"? */
static int rel_has_next(const char *v, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t start;

		while (i < len && (isspace((unsigned char)v[i]) || v[i] == '"'))
			i++;
		start = i;
		while (i < len && !isspace((unsigned char)v[i]) && v[i] != '"')
			i++;
		if (i - start == 4 && strncasecmp(v + start, "next", 4) == 0)
			return 1;
	}
	return 0;
}

int fm_http_link_next(const char *link, char **out)
{
	const char *p = link;

	*out = NULL;
	while (p && *p) {
		const char *lt, *gt, *q;
		int next = 0;

		lt = strchr(p, '<');
		if (!lt)
			break;
		gt = strchr(lt + 1, '>');
		if (!gt)
			break;
		/* parameters run to the next ',' (outside <...>) */
		q = gt + 1;
		while (*q && *q != ',') {
			const char *name, *val;
			size_t nlen, vlen;

			while (*q == ';' || isspace((unsigned char)*q))
				q++;
			name = q;
			while (*q && *q != '=' && *q != ';' && *q != ',')
				q++;
			nlen = (size_t)(q - name);
			while (nlen && isspace((unsigned char)name[nlen - 1]))
				nlen--;
			if (*q != '=')
				continue;
			q++;
			while (isspace((unsigned char)*q))
				q++;
			val = q;
			if (*q == '"') {
				q = strchr(q + 1, '"');
				q = q ? q + 1 : val + strlen(val);
			} else {
				while (*q && *q != ';' && *q != ',')
					q++;
			}
			vlen = (size_t)(q - val);
			if (nlen == 3 && strncasecmp(name, "rel", 3) == 0 &&
			    rel_has_next(val, vlen))
				next = 1;
		}
		if (next) {
			*out = strndup(lt + 1, (size_t)(gt - lt - 1));
			return *out ? 0 : FM_ENOMEM;
		}
		p = *q ? q + 1 : q;
	}
	return 0;
}
