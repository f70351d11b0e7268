/* Reading a forge's JSON answers (see forge_json.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
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

cJSON *fm_forge_json_parse(const fm_forge_page *page, char **why)
{
	const fm_http_resp *r = page->resp;
	const char *end = NULL, *shown = page->shown;
	cJSON *doc;

	*why = NULL;
	doc = cJSON_ParseWithLengthOpts(r->body, r->len, &end, 0);
	if (doc)
		return doc;
	if (r->len == 0) {
		*why = fm_forge_strdupf(
			"empty answer to GET %s (JSON expected)", shown);
	} else {
		size_t at = end && end >= r->body ? (size_t)(end - r->body) : 0;

		if (at + 1 >= r->len || cut_short(r->body, r->len))
			*why = fm_forge_strdupf(
				"truncated JSON from GET %s: it ends "
				"inside a value at byte %zu",
				shown, r->len);
		else
			*why = fm_forge_strdupf(
				"malformed JSON from GET %s at byte "
				"%zu",
				shown, at);
	}
	if (!*why)
		*why = strdup("out of memory");
	return NULL;
}

const char *fm_forge_json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

long fm_forge_json_long(const cJSON *o, const char *key, long dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	/* a number out of long's range (or NaN) would be undefined to cast */
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= (double)LONG_MIN &&
				    v->valuedouble < (double)LONG_MAX))
		return dflt;
	return (long)v->valuedouble;
}
