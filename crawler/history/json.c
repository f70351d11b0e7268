/*
 * The JSON documents of diff and log (diff.h, history.h), made of the
 * census JSON's pieces so a fork reads the same everywhere.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include <forkmap/diff.h>
#include <forkmap/history.h>

#include "export/json.h"

static int add_run(cJSON *doc, const char *key, int64_t id, const fm_census *c)
{
	fm_date d = {fm_diff_census_time(c), 0, 1};
	cJSON *o = cJSON_AddObjectToObject(doc, key);

	if (!o || !cJSON_AddNumberToObject(o, "run", (double)id))
		return FM_ENOMEM;
	return fm_json_add_date(o, "date", &d);
}

static int add_fork(cJSON *obj, const char *key, const fm_row *r)
{
	cJSON *o;

	if (!r)
		return cJSON_AddNullToObject(obj, key) ? 0 : FM_ENOMEM;
	if (!(o = cJSON_AddObjectToObject(obj, key)))
		return FM_ENOMEM;
	return fm_json_add_row(o, r);
}

/* name, branch, source: who a change or a history is about. */
static int add_identity(cJSON *o, const fm_row *r)
{
	if (fm_json_add_str(o, "name", r->name) < 0 ||
	    fm_json_add_str(o, "branch", r->branch) < 0 ||
	    fm_json_add_str(o, "source", fm_source_name(r->source)) < 0)
		return FM_ENOMEM;
	return 0;
}

static int add_change(cJSON *list, const fm_change *c)
{
	cJSON *o = cJSON_CreateObject(), *kinds;
	int k;

	if (!o || !cJSON_AddItemToArray(list, o)) {
		cJSON_Delete(o);
		return FM_ENOMEM;
	}
	if (add_identity(o, c->b ? c->b : c->a) < 0 ||
	    !(kinds = cJSON_AddArrayToObject(o, "kinds")))
		return FM_ENOMEM;
	for (k = 0; k < FM_CHANGE_KINDS; k++) {
		cJSON *name;

		if (!(c->kinds & (1u << k)))
			continue;
		name = cJSON_CreateString(
			fm_change_kind_name((fm_change_kind)(1u << k)));
		if (!name || !cJSON_AddItemToArray(kinds, name)) {
			cJSON_Delete(name);
			return FM_ENOMEM;
		}
	}
	if (add_fork(o, "old", c->a) < 0 || add_fork(o, "new", c->b) < 0)
		return FM_ENOMEM;
	return 0;
}

static int diff_doc(cJSON *doc, const fm_census *const census[2],
		    const int64_t run_ids[2], const fm_diff_opts *opts,
		    const fm_change *changes, size_t n)
{
	cJSON *summary, *list;
	size_t i, count;
	int k;

	if (fm_json_add_str(doc, "upstream", census[1]->upstream) < 0 ||
	    fm_json_add_str(doc, "branch", census[1]->branch) < 0 ||
	    add_run(doc, "a", run_ids[0], census[0]) < 0 ||
	    add_run(doc, "b", run_ids[1], census[1]) < 0 ||
	    !cJSON_AddNumberToObject(doc, "quiet_days", opts->quiet_days) ||
	    !(summary = cJSON_AddObjectToObject(doc, "summary")))
		return FM_ENOMEM;
	for (k = 0; k < FM_CHANGE_KINDS; k++) {
		for (i = count = 0; i < n; i++)
			count += (changes[i].kinds & (1u << k)) != 0;
		if (!cJSON_AddNumberToObject(
			    summary,
			    fm_change_kind_name((fm_change_kind)(1u << k)),
			    (double)count))
			return FM_ENOMEM;
	}
	if (!(list = cJSON_AddArrayToObject(doc, "changes")))
		return FM_ENOMEM;
	for (i = 0; i < n; i++)
		if (add_change(list, &changes[i]) < 0)
			return FM_ENOMEM;
	return 0;
}

static int history_doc(cJSON *doc, const fm_history *h)
{
	cJSON *runs;
	size_t i;

	if ((h->n && add_identity(doc, h->entries[0].row) < 0) ||
	    !(runs = cJSON_AddArrayToObject(doc, "runs")))
		return FM_ENOMEM;
	for (i = 0; i < h->n; i++) {
		fm_date d = {h->entries[i].when, 0, 1};
		cJSON *o = cJSON_CreateObject();

		if (!o || !cJSON_AddItemToArray(runs, o)) {
			cJSON_Delete(o);
			return FM_ENOMEM;
		}
		if (!cJSON_AddNumberToObject(o, "run",
					     (double)h->entries[i].run_id) ||
		    fm_json_add_date(o, "date", &d) < 0 ||
		    fm_json_add_row(o, h->entries[i].row) < 0)
			return FM_ENOMEM;
	}
	return 0;
}

/* Prints doc (made by the caller, whose result is rc) and frees it. */
static int finish(fm_ctx *ctx, cJSON *doc, int rc, char **out)
{
	char *text = rc == 0 && doc ? cJSON_Print(doc) : NULL;

	cJSON_Delete(doc);
	if (text && asprintf(out, "%s\n", text) < 0)
		*out = NULL;
	free(text);
	return *out ? 0 : fm_error_set(ctx, FM_ENOMEM, "out of memory");
}

int fm_diff_json(fm_ctx *ctx, const fm_census *const census[2],
		 const int64_t run_ids[2], const fm_diff_opts *opts,
		 const fm_change *changes, size_t n, char **out)
{
	cJSON *doc = cJSON_CreateObject();

	*out = NULL;
	return finish(ctx, doc,
		      doc ? diff_doc(doc, census, run_ids, opts, changes, n)
			  : FM_ENOMEM,
		      out);
}

int fm_history_json(fm_ctx *ctx, const fm_history *history, char **out)
{
	cJSON *doc = cJSON_CreateObject();

	*out = NULL;
	return finish(ctx, doc, doc ? history_doc(doc, history) : FM_ENOMEM,
		      out);
}
