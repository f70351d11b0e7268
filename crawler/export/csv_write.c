/*
 * CSV export of a census (the columns are export/csv.h's table), and the
 * escaping of one field: quoted when it holds a comma, quote, CR or LF, and
 * a leading quote in front of what a spreadsheet would run as a formula.
 * Skipped rows are left out unless asked for; then "skipped" holds the
 * reason.
 */
#include <stdlib.h>
#include <string.h>

#include <forkmap/export.h>
#include <forkmap/fate.h>
#include <forkmap/util.h>

#include "core/buf.h"
#include "export/csv.h"
#include "export/output.h"

/*
 * Append s as one escaped field (NULL is the empty field). Names come from
 * forges: raw control characters, bidi overrides and invalid UTF-8 make
 * other programs' CSV readers fail or mislead, so they become U+FFFD.
 */
static void put_text(fm_buf *b, const char *raw)
{
	char *clean = fm_text_clean(raw ? raw : "");
	const char *s = clean;
	int quote;
	size_t n;

	if (!clean) {
		b->oom = 1;
		return;
	}
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		fm_buf_putc(b, '"');
	if (fm_csv_needs_guard(s))
		fm_buf_putc(b, '\'');
	while (*s) {
		/* the text up to and with the next quote, which is doubled */
		n = strcspn(s, "\"");
		fm_buf_put(b, s, n);
		s += n;
		if (*s == '"') {
			fm_buf_puts(b, "\"\"");
			s++;
		}
	}
	if (quote)
		fm_buf_putc(b, '"');
	free(clean);
}

char *fm_csv_field(const char *s)
{
	fm_buf b = FM_BUF_INIT;
	char *out;

	put_text(&b, s);
	return fm_buf_detach(&b, &out, NULL) < 0 ? NULL : out;
}

/* A count; unknown (negative) is the empty field. */
static void put_num(fm_buf *b, long v)
{
	if (v >= 0)
		fm_buf_printf(b, "%ld", v);
}

static void put_column(fm_buf *b, const fm_row *r, enum fm_csv_column c,
		       fm_fate fate)
{
	char date[FM_DATE_ISO_MAX];

	switch (c) {
	case FM_CSV_COL_NAME:
		put_text(b, r->name);
		break;
	case FM_CSV_COL_BRANCH:
		put_text(b, r->branch);
		break;
	case FM_CSV_COL_BASE_TAG:
		put_text(b, r->base_tag);
		break;
	case FM_CSV_COL_BASE_DATE:
		fm_buf_puts(b, fm_date_dmy(&r->base_date, date));
		break;
	case FM_CSV_COL_AHEAD:
		put_num(b, r->ahead);
		break;
	case FM_CSV_COL_HEAD_DATE:
		fm_buf_puts(b, fm_date_dmy(&r->head_date, date));
		break;
	case FM_CSV_COL_INSERTIONS:
		put_num(b, r->insertions);
		break;
	case FM_CSV_COL_DELETIONS:
		put_num(b, r->deletions);
		break;
	case FM_CSV_COL_SOURCE:
		put_text(b, fm_source_name(r->source));
		break;
	case FM_CSV_COL_REF:
		put_text(b, r->ref);
		break;
	case FM_CSV_COL_HEAD:
		put_text(b, r->head);
		break;
	case FM_CSV_COL_MERGE_BASE:
		put_text(b, r->merge_base);
		break;
	case FM_CSV_COL_BEHIND:
		put_num(b, r->behind);
		break;
	case FM_CSV_COL_AHEAD_FIRST_PARENT:
		put_num(b, r->ahead_first_parent);
		break;
	case FM_CSV_COL_UNIQUE:
		put_num(b, r->unique);
		break;
	case FM_CSV_COL_RELEASE:
		put_text(b, r->release);
		break;
	case FM_CSV_COL_FILES:
		put_num(b, r->files);
		break;
	case FM_CSV_COL_HEAD_DATE_ISO:
		fm_buf_puts(b, fm_date_iso(&r->head_date, date));
		break;
	case FM_CSV_COL_MERGE_BASE_DATE_ISO:
		fm_buf_puts(b, fm_date_iso(&r->merge_base_date, date));
		break;
	case FM_CSV_COL_BASE_DATE_ISO:
		fm_buf_puts(b, fm_date_iso(&r->base_date, date));
		break;
	case FM_CSV_COL_STARS:
		put_num(b, r->stars);
		break;
	case FM_CSV_COL_PATCHES:
		put_num(b, r->patches);
		break;
	case FM_CSV_COL_FATE:
		put_text(b, fm_fate_name(fate));
		break;
	case FM_CSV_COL_ERROR:
		put_text(b, r->error);
		break;
	case FM_CSV_COL_SKIPPED:
		put_text(b, r->skipped);
		break;
	case FM_CSV_NCOLUMNS:
		break;
	}
}

/*
 * A record in the order of the column table: the header (r NULL) or a
 * row. The switch above has a case per column (-Wswitch), so a column
 * added to the table cannot be left out of the rows.
 */
static void put_record(fm_buf *b, const fm_census *census, const fm_row *r,
		       const fm_fate_opts *fo)
{
	fm_fate fate = r ? fm_fate_of(census, r, fo) : FM_FATE_NONE;
	int c;

	for (c = 0; c < FM_CSV_NCOLUMNS; c++) {
		if (c)
			fm_buf_putc(b, ',');
		if (r)
			put_column(b, r, (enum fm_csv_column)c, fate);
		else
			fm_buf_puts(b, fm_csv_columns[c]);
	}
	fm_buf_putc(b, '\n');
}

int fm_export_csv(fm_ctx *ctx, const fm_census *census, int include_skipped,
		  FILE *out)
{
	fm_buf b = FM_BUF_INIT;
	fm_fate_opts fo = FM_FATE_OPTS_INIT;
	size_t i;
	int err;

	fo.now = fm_fate_now(ctx, census);
	put_record(&b, census, NULL, &fo);
	for (i = 0; i < census->nrows; i++)
		if (!census->rows[i].skipped || include_skipped)
			put_record(&b, census, &census->rows[i], &fo);
	err = fm_export_write(ctx, out, &b, "csv");
	fm_buf_clear(&b);
	return err;
}
