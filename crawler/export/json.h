#ifndef FM_EXPORT_JSON_H
#define FM_EXPORT_JSON_H
/*
 * Inside libforkmap only: the pieces of the census JSON (json.c) that
 * other JSON documents (diff, log) are made of, so a fork reads the same in
 * all of them. Each returns 0 or FM_ENOMEM.
 */
#include <cjson/cJSON.h>

#include <forkmap/census.h>

/* A string as valid UTF-8 (U+FFFD for bad bytes); null for NULL. */
int fm_json_add_str(cJSON *obj, const char *key, const char *s);
/* ISO 8601 with offset; null when unset. */
int fm_json_add_date(cJSON *obj, const char *key, const fm_date *d);
/* The fields of one fork object of the census JSON, added to obj. */
int fm_json_add_row(cJSON *obj, const fm_row *r);

#endif
