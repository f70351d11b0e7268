#ifndef FM_FORGE_JSON_H
#define FM_FORGE_JSON_H
/*
 * Inside libforkmap only: reading a forge's JSON answers (every forge
 * forkmap knows answers in JSON), with errors that say what was wrong
 * and where.
 */
#include <cjson/cJSON.h>

#include "forge/forge_internal.h"

/*
 * Parse the page; on failure NULL and *why (malloc'd) says what was wrong
 * and where ("malformed JSON from GET /repos/x/y/branches at byte 1234",
 * "truncated JSON from GET ...", "empty answer to GET ...", "not JSON: an
 * HTML page from GET ..."). Strict: a NUL byte (raw, or \u0000 in a
 * string), anything but white space after the document, a body of white
 * space only are errors. Free the
 * document with cJSON_Delete.
 */
cJSON *fm_forge_json_parse(const fm_forge_page *page, char **why);

/* The string member key of o, NULL when absent or not a string. */
const char *fm_forge_json_str(const cJSON *o, const char *key);
/*
 * The number member key of o in *out (dflt when absent or not a number):
 * 0; -1 when it is a number out of long's range (*out is dflt then).
 */
int fm_forge_json_number(const cJSON *o, const char *key, long dflt, long *out);
/* The same without the range error: dflt for a number out of range. */
long fm_forge_json_long(const cJSON *o, const char *key, long dflt);

#endif
