/* Reading a forge's JSON answers (see forge_json.h). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

#include "forge/forge_json.h"

/*
 * 1 when body ends inside a string or with brackets left open while the
 * brackets before are well nested: a document cut short, not a bad one.
 */
static int cut_short(const char *body, size_t len)
{
	size_t i, depth = 0;
	int in_string = 0;

	for (i = 0; i < len; i++) {
		char ch = body[i];

		if (in_string) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_string = 0;
		} else if (ch == '"') {
			in_string = 1;
		} else if (ch == '[' || ch == '{') {
			depth++;
		} else if (ch == ']' || ch == '}') {
			if (depth == 0)
				return 0;
			depth--;
		}
	}
	return in_string || depth > 0;
}

/* 1 when s[0..len) holds "\u0000" with its backslash not escaped. */
static int has_nul_escape(const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	while ((p = memmem(p, (size_t)(end - p), "u0000", 5))) {
		size_t slashes = 0;

		while (p - slashes > s && p[-1 - (long)slashes] == '\\')
			slashes++;
		if (slashes % 2 == 1)
			return 1;
		p += 5;
	}
	return 0;
}

/* What a body that is not JSON at all looks like, for the message. */
static char *not_json(const char *body, size_t len, const char *shown)
{
	size_t i = 0;
	char head[24];

	while (i < len && isspace((unsigned char)body[i]))
		i++;
	if (i == len)
		return fm_forge_strdupf("not JSON: an empty answer (%zu bytes "
					"of white space) to GET %s",
					len, shown);
	if (body[i] == '<')
		return fm_forge_strdupf("not JSON: an HTML page from GET %s",
					shown);
	if (strchr("{[\"-0123456789tfn", body[i]))
		return NULL; /* it starts like JSON: a broken document */
	fm_http_safe_copy(head, sizeof(head), body + i, 16);
	return fm_forge_strdupf("not JSON from GET %s: it starts with '%s'",
				shown, head);
}

cJSON *fm_forge_json_parse(const fm_forge_page *page, char **why)
{
	const fm_http_resp *r = page->resp;
	const char *body = r->body ? r->body : "", *end = NULL,
		   *shown = page->shown, *nul;
	size_t len = r->body ? r->len : 0;
	cJSON *doc;

	*why = NULL;
	if (len == 0) {
		*why = fm_forge_strdupf(
			"empty answer to GET %s (JSON expected)", shown);
		goto fail;
	}
	/* cJSON would end the document (or a string) at a NUL byte and keep
	 * what came before: a NUL is an error, raw or escaped */
	if ((nul = memchr(body, '\0', len))) {
		*why = fm_forge_strdupf(
			"malformed JSON from GET %s: a NUL byte "
			"at byte %zu",
			shown, (size_t)(nul - body));
		goto fail;
	}
	if (has_nul_escape(body, len)) {
		*why = fm_forge_strdupf("malformed JSON from GET %s: a string "
					"holds \\u0000 (NUL)",
					shown);
		goto fail;
	}
	/* return_parse_end says where the document ended: only white space
	 * may follow it */
	doc = cJSON_ParseWithLengthOpts(body, len, &end, 0);
	if (doc) {
		size_t at = (size_t)(end - body), i = at;

		while (i < len && isspace((unsigned char)body[i]))
			i++;
		if (i == len)
			return doc;
		cJSON_Delete(doc);
		*why = fm_forge_strdupf("malformed JSON from GET %s: more "
					"after the document at byte %zu",
					shown, at);
	} else if (!(*why = not_json(body, len, shown))) {
		size_t at = end && end >= body ? (size_t)(end - body) : 0;

		if (at + 1 >= len || cut_short(body, len))
			*why = fm_forge_strdupf(
				"truncated JSON from GET %s: it "
				"ends inside a value at byte "
				"%zu",
				shown, len);
		else
			*why = fm_forge_strdupf("malformed JSON from GET %s at "
						"byte %zu",
						shown, at);
	}
fail:
	if (!*why)
		*why = strdup("out of memory");
	return NULL;
}

const char *fm_forge_json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int fm_forge_json_number(const cJSON *o, const char *key, long dflt, long *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	double d;

	*out = dflt;
	if (!cJSON_IsNumber(v))
		return 0;
	d = v->valuedouble;
	/* (double)LONG_MAX rounds up to 2^63: the cast of d is defined only
	 * strictly below it */
	if (!isfinite(d) || d >= (double)LONG_MAX || d < (double)LONG_MIN)
		return -1;
	*out = (long)d;
	return 0;
}

long fm_forge_json_long(const cJSON *o, const char *key, long dflt)
{
	long n;

	return fm_forge_json_number(o, key, dflt, &n) == 0 ? n : dflt;
}
