/*
 * JSON export of a census: {"schema": 1, "forkmap": VERSION, "run_id": ...,
 * "started": ..., "finished": ..., "upstream": ..., "branch": ...,
 * "head": ..., "releases": [...], "forks": [...]}, with the metric
 * contract's field names, ISO 8601 dates, and null for what is unknown.
 * docs/census.schema.json is the schema.
 */
#include <stdlib.h>

#include <cjson/cJSON.h>

#include <forkmap/export.h>
#include <forkmap/fate.h>
#include <forkmap/stale.h>
#include <forkmap/util.h>

#include "core/buf.h"
#include "export/json.h"
#include "export/output.h"

/* Return early on failure; err must be in scope. */
#define TRY(x)                       \
	do {                         \
		if ((err = (x)) < 0) \
			return err;  \
	} while (0)

/*
 * JSON. Strings from forges and refs may hold any bytes; JSON must be
 * UTF-8, so bytes that are not are replaced by U+FFFD.
 */
static int json_str(cJSON *obj, const char *key, const char *s)
{
	cJSON *item;
	char *clean;

	if (!s)
		return cJSON_AddNullToObject(obj, key) ? 0 : FM_ENOMEM;
	if (!(clean = fm_utf8_sanitize(s)))
		return FM_ENOMEM;
	item = cJSON_AddStringToObject(obj, key, clean);
	free(clean);
	return item ? 0 : FM_ENOMEM;
}

/* An object id: null when unknown (""). */
static int json_oid(cJSON *obj, const char *key, const char *hex)
{
	return json_str(obj, key, hex && hex[0] ? hex : NULL);
}

static int json_num(cJSON *obj, const char *key, long v)
{
	cJSON *item = v < 0 ? cJSON_AddNullToObject(obj, key)
			    : cJSON_AddNumberToObject(obj, key, (double)v);

	return item ? 0 : FM_ENOMEM;
}

static int json_date(cJSON *obj, const char *key, const fm_date *d)
{
	char buf[FM_DATE_ISO_MAX];

	fm_date_iso(d, buf);
	return json_str(obj, key, buf[0] ? buf : NULL);
}

static int json_row_fields(cJSON *o, const fm_row *r)
{
	int err = 0;

	TRY(json_str(o, "name", r->name));
	TRY(json_str(o, "branch", r->branch));
	TRY(json_str(o, "ref", r->ref));
	TRY(json_str(o, "source", fm_source_name(r->source)));
	TRY(json_str(o, "error", r->error));
	TRY(json_str(o, "skipped", r->skipped));
	TRY(json_oid(o, "head", r->head));
	TRY(json_oid(o, "merge_base", r->merge_base));
	TRY(json_num(o, "ahead", r->ahead));
	TRY(json_num(o, "behind", r->behind));
	TRY(json_num(o, "ahead_first_parent", r->ahead_first_parent));
	TRY(json_num(o, "unique", r->unique));
	TRY(json_num(o, "patches", r->patches));
	TRY(json_str(o, "base_tag", r->base_tag ? r->base_tag : ""));
	TRY(json_str(o, "release", r->release ? r->release : ""));
	TRY(json_num(o, "files", r->files));
	TRY(json_num(o, "insertions", r->insertions));
	TRY(json_num(o, "deletions", r->deletions));
	TRY(json_date(o, "head_date", &r->head_date));
	TRY(json_date(o, "merge_base_date", &r->merge_base_date));
	TRY(json_date(o, "base_date", &r->base_date));
	TRY(json_num(o, "stars", r->stars));
	return 0;
}

/* A census fork: the contract fields, then its fate (computed). */
static int json_row(cJSON *forks, const fm_census *c, const fm_row *r,
		    const fm_fate_opts *fo)
{
	cJSON *o = cJSON_CreateObject();
	fm_fate fate = fm_fate_of(c, r, fo);
	int err = 0;

	if (!o || !cJSON_AddItemToArray(forks, o)) {
		cJSON_Delete(o);
		return FM_ENOMEM;
	}
	TRY(json_row_fields(o, r));
	TRY(json_str(o, "fate",
		     fate == FM_FATE_NONE ? NULL : fm_fate_name(fate)));
	return 0;
}

static int json_release(cJSON *releases, const fm_release *rel)
{
	cJSON *o = cJSON_CreateObject();
	int err = 0;

	if (!o || !cJSON_AddItemToArray(releases, o)) {
		cJSON_Delete(o);
		return FM_ENOMEM;
	}
	TRY(json_str(o, "tag", rel->tag));
	TRY(json_oid(o, "commit", rel->commit));
	TRY(json_date(o, "date", &rel->date));
	TRY(json_num(o, "tree_lines", rel->tree_lines));
	return 0;
}

static int json_census(cJSON *doc, const fm_census *c, int include_skipped,
		       const fm_fate_opts *fo)
{
	cJSON *releases, *forks;
	size_t i;
	int err = 0;

	fm_date started = {c->started, 0, c->started != 0},
		finished = {c->finished, 0, c->finished != 0};

	/* what the document is and where it came from, first */
	if (!cJSON_AddNumberToObject(doc, "schema", FM_JSON_SCHEMA_VERSION))
		return FM_ENOMEM;
	TRY(json_str(doc, "forkmap", fm_version()));
	TRY(json_num(doc, "run_id", c->run_id > 0 ? (long)c->run_id : -1));
	TRY(json_date(doc, "started", &started));
	TRY(json_date(doc, "finished", &finished));
	TRY(json_str(doc, "upstream", c->upstream));
	TRY(json_str(doc, "branch", c->branch));
	TRY(json_oid(doc, "head", c->head));
	TRY(json_date(doc, "head_date", &c->head_date));
	if (!(releases = cJSON_AddArrayToObject(doc, "releases")))
		return FM_ENOMEM;
	for (i = 0; i < c->nreleases; i++)
		TRY(json_release(releases, &c->releases[i]));
	if (!(forks = cJSON_AddArrayToObject(doc, "forks")))
		return FM_ENOMEM;
	for (i = 0; i < c->nrows; i++)
		if (!c->rows[i].skipped || include_skipped)
			TRY(json_row(forks, c, &c->rows[i], fo));
	return 0;
}

static int json_stale_entry(cJSON *list, const fm_stale *s)
{
	const fm_row *r = s->row;
	cJSON *o = cJSON_CreateObject();
	int err = 0;

	if (!o || !cJSON_AddItemToArray(list, o)) {
		cJSON_Delete(o);
		return FM_ENOMEM;
	}
	TRY(json_str(o, "name", r->name));
	TRY(json_str(o, "branch", r->branch));
	TRY(json_str(o, "fate", fm_fate_name(s->fate)));
	TRY(json_num(o, "unique", r->unique));
	TRY(json_num(o, "patches", r->patches));
	TRY(json_num(o, "ahead", r->ahead));
	TRY(json_str(o, "release", r->release ? r->release : ""));
	TRY(json_date(o, "head_date", &r->head_date));
	TRY(json_num(o, "idle_days", s->idle_days));
	TRY(json_num(o, "base_days", s->base_days));
	if (!cJSON_AddBoolToObject(o, "quiet", s->reasons & FM_STALE_QUIET) ||
	    !cJSON_AddBoolToObject(o, "far_behind",
				   s->reasons & FM_STALE_BEHIND))
		return FM_ENOMEM;
	return 0;
}

/* "stale": the abandoned (quiet) forks; "hard_forks": alive, far away. */
static int json_stale(cJSON *doc, const fm_census *c, const fm_stale *s,
		      size_t n, int64_t now)
{
	fm_date when = {now, 0, 1};
	cJSON *list, *hard;
	size_t i;
	int err = 0;

	TRY(json_str(doc, "upstream", c->upstream));
	TRY(json_date(doc, "as_of", &when));
	if (!(list = cJSON_AddArrayToObject(doc, "stale")) ||
	    !(hard = cJSON_AddArrayToObject(doc, "hard_forks")))
		return FM_ENOMEM;
	for (i = 0; i < n; i++)
		TRY(json_stale_entry(
			s[i].fate == FM_FATE_HARD_FORK ? hard : list, &s[i]));
	return 0;
}

/* The one way a document reaches its file: printed, then written once. */
static int write_doc(fm_ctx *ctx, cJSON *doc, int built, FILE *out)
{
	fm_buf b = FM_BUF_INIT;
	char *text = NULL;
	int err;

	if (!doc || built < 0 || !(text = cJSON_Print(doc)))
		err = fm_error_set(ctx, FM_ENOMEM, "out of memory");
	else if (fm_buf_printf(&b, "%s\n", text) < 0)
		err = fm_error_set(ctx, FM_ENOMEM, "out of memory");
	else
		err = fm_export_write(ctx, out, &b, "json");
	fm_buf_clear(&b);
	free(text);
	cJSON_Delete(doc);
	return err;
}

int fm_export_stale_json(fm_ctx *ctx, const fm_census *census,
			 const fm_stale *list, size_t n, int64_t now, FILE *out)
{
	cJSON *doc = cJSON_CreateObject();

	return write_doc(ctx, doc,
			 doc ? json_stale(doc, census, list, n, now) : -1, out);
}

int fm_export_json(fm_ctx *ctx, const fm_census *census, int include_skipped,
		   FILE *out)
{
	cJSON *doc = cJSON_CreateObject();
	fm_fate_opts fo = FM_FATE_OPTS_INIT;

	fo.now = fm_fate_now(ctx, census);
	return write_doc(
		ctx, doc,
		doc ? json_census(doc, census, include_skipped, &fo) : -1, out);
}

/* The pieces other JSON documents of the library share (export/json.h). */
int fm_json_add_str(cJSON *obj, const char *key, const char *s)
{
	return json_str(obj, key, s);
}

int fm_json_add_date(cJSON *obj, const char *key, const fm_date *d)
{
	return json_date(obj, key, d);
}

int fm_json_add_row(cJSON *obj, const fm_row *r)
{
	return json_row_fields(obj, r);
}
