/*
 * A show as JSON and CSV (include/forkmap/show.h). The fork object is the
 * census JSON's; strings from forges and commits go through the same
 * UTF-8 cleaning and CSV guard as the census's.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <forkmap/export.h>
#include <forkmap/show.h>

#include "core/buf.h"
#include "export/json.h"

#define TRY(x)                       \
	do {                         \
		if ((err = (x)) < 0) \
			goto fail;   \
	} while (0)

static int num(cJSON *o, const char *key, double v)
{
	return cJSON_AddNumberToObject(o, key, v) ? 0 : FM_ENOMEM;
}

static int json_patch(cJSON *list, const fm_show_patch *p)
{
	cJSON *o = cJSON_CreateObject(), *commits;
	int err = 0;
	long k;

	if (!o || !cJSON_AddItemToArray(list, o)) {
		cJSON_Delete(o);
		return FM_ENOMEM;
	}
	TRY(fm_json_add_str(o, "commit", p->commit));
	TRY(fm_json_add_str(o, "subject", p->subject));
	TRY(fm_json_add_str(o, "author", p->author));
	TRY(fm_json_add_date(o, "date", &p->date));
	TRY(num(o, "copies", (double)p->copies));
	if (!(commits = cJSON_AddArrayToObject(o, "commits")))
		return FM_ENOMEM;
	for (k = 0; k < p->copies; k++) {
		cJSON *s = cJSON_CreateString(p->commits[k]);

		if (!s || !cJSON_AddItemToArray(commits, s)) {
			cJSON_Delete(s);
			return FM_ENOMEM;
		}
	}
	TRY(num(o, "files", (double)p->files));
	TRY(num(o, "insertions", (double)p->insertions));
	TRY(num(o, "deletions", (double)p->deletions));
	return 0;
fail:
	return err;
}

static int json_dir(cJSON *list, const fm_show_dir *d)
{
	cJSON *o = cJSON_CreateObject();
	int err = 0;

	if (!o || !cJSON_AddItemToArray(list, o)) {
		cJSON_Delete(o);
		return FM_ENOMEM;
	}
	TRY(fm_json_add_str(o, "path", d->path));
	TRY(num(o, "files", (double)d->files));
	TRY(num(o, "insertions", (double)d->insertions));
	TRY(num(o, "deletions", (double)d->deletions));
	TRY(num(o, "commits", (double)d->commits));
	TRY(fm_json_add_date(o, "newest", &d->newest));
	return 0;
fail:
	return err;
}

static int json_doc(cJSON *doc, const fm_show *s)
{
	cJSON *fork, *list;
	size_t i;
	int err = 0;

	TRY(num(doc, "schema", 1));
	TRY(fm_json_add_str(doc, "upstream", s->census->upstream));
	TRY(fm_json_add_str(doc, "branch", s->census->branch));
	if (s->census->run_id > 0)
		TRY(num(doc, "run_id", (double)s->census->run_id));
	else if (!cJSON_AddNullToObject(doc, "run_id"))
		return FM_ENOMEM;
	if (!(fork = cJSON_AddObjectToObject(doc, "fork")))
		return FM_ENOMEM;
	TRY(fm_json_add_row(fork, s->row));
	TRY(num(doc, "depth", s->depth));
	TRY(num(doc, "empty", (double)s->empty));
	TRY(num(doc, "total_patches", (double)s->total_patches));
	if (!(list = cJSON_AddArrayToObject(doc, "patches")))
		return FM_ENOMEM;
	for (i = 0; i < s->npatches; i++)
		TRY(json_patch(list, &s->patches[i]));
	if (!(list = cJSON_AddArrayToObject(doc, "directories")))
		return FM_ENOMEM;
	for (i = 0; i < s->ndirs; i++)
		TRY(json_dir(list, &s->dirs[i]));
	return 0;
fail:
	return err;
}

int fm_show_json(fm_ctx *ctx, const fm_show *show, char **out)
{
	cJSON *doc = cJSON_CreateObject();
	char *text;
	size_t len;

	*out = NULL;
	if (!doc || json_doc(doc, show) < 0 || !(text = cJSON_Print(doc))) {
		cJSON_Delete(doc);
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	}
	cJSON_Delete(doc);
	len = strlen(text);
	if (!(*out = malloc(len + 2))) {
		cJSON_free(text);
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	}
	memcpy(*out, text, len);
	memcpy(*out + len, "\n", 2);
	cJSON_free(text);
	return 0;
}

/* One escaped field and its separator. */
static void field(fm_buf *b, const char *s, char sep)
{
	char *f = fm_csv_field(s);

	if (!f)
		b->oom = 1;
	else
		fm_buf_puts(b, f);
	free(f);
	fm_buf_putc(b, sep);
}

static int detach(fm_ctx *ctx, fm_buf *b, char **out)
{
	if (b->oom || fm_buf_detach(b, out, NULL) < 0) {
		fm_buf_clear(b);
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	}
	return 0;
}

int fm_show_patches_csv(fm_ctx *ctx, const fm_show *show, char **out)
{
	fm_buf b = FM_BUF_INIT;
	char date[FM_DATE_ISO_MAX];
	size_t i;

	fm_buf_puts(&b, "commit,date,copies,files,insertions,deletions,"
			"author,subject\n");
	for (i = 0; i < show->npatches; i++) {
		const fm_show_patch *p = &show->patches[i];

		fm_buf_printf(&b, "%s,%s,%ld,%ld,%ld,%ld,", p->commit,
			      fm_date_iso(&p->date, date), p->copies, p->files,
			      p->insertions, p->deletions);
		field(&b, p->author, ',');
		field(&b, p->subject, '\n');
	}
	return detach(ctx, &b, out);
}

int fm_show_dirs_csv(fm_ctx *ctx, const fm_show *show, char **out)
{
	fm_buf b = FM_BUF_INIT;
	char date[FM_DATE_ISO_MAX];
	size_t i;

	fm_buf_puts(&b, "path,files,insertions,deletions,commits,newest\n");
	for (i = 0; i < show->ndirs; i++) {
		const fm_show_dir *d = &show->dirs[i];

		field(&b, d->path, ',');
		fm_buf_printf(&b, "%ld,%ld,%ld,%ld,%s\n", d->files,
			      d->insertions, d->deletions, d->commits,
			      fm_date_iso(&d->newest, date));
	}
	return detach(ctx, &b, out);
}
