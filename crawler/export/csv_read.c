/*
 * CSV import (fm_import_csv): ours, with every column of export/csv.h, or
 * the seed format's eight. Columns are found by name in the header, so
 * their order does not matter and unknown ones are ignored.
 *
 * Reading is RFC 4180, plus LF line ends: the whole input in memory,
 * records split with quoted fields that may hold commas, doubled quotes and
 * newlines. Line numbers count physical lines from 1.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <forkmap/export.h>
#include <forkmap/settings.h>
#include <forkmap/util.h>

#include "core/buf.h"
#include "export/csv.h"

/* Jump to fail on failure; err must be in scope. */
#define TRY(x)                       \
	do {                         \
		if ((err = (x)) < 0) \
			goto fail;   \
	} while (0)

struct reader {
	fm_ctx *ctx;
	const char *buf;
	size_t len, pos;
	size_t line;
	fm_buf field; /* the field being read, reused for each */
};

struct record {
	char **f;
	size_t n, alloc;
	size_t line; /* where the record starts */
};

static void record_clear(struct record *rec)
{
	size_t i;

	for (i = 0; i < rec->n; i++)
		free(rec->f[i]);
	rec->n = 0;
}

static void record_free(struct record *rec)
{
	record_clear(rec);
	free(rec->f);
	rec->f = NULL;
	rec->alloc = 0;
}

/* Copy the field text into the record (exactly its size: a census of
 * many rows holds every field at once) and empty sb for the next one. */
static int record_push(struct record *rec, fm_buf *sb)
{
	char *s;

	if (rec->n == rec->alloc) {
		size_t alloc = rec->alloc ? rec->alloc * 2 : 32;
		char **f = realloc(rec->f, alloc * sizeof(*f));

		if (!f)
			return FM_ENOMEM;
		rec->f = f;
		rec->alloc = alloc;
	}
	if (!(s = strdup(fm_buf_str(sb))))
		return FM_ENOMEM;
	rec->f[rec->n++] = s;
	fm_buf_reset(sb);
	return 0;
}

static int csv_error(struct reader *r, size_t line, const char *why)
{
	return fm_error_set(r->ctx, FM_ECSV, "line %zu: %s", line, why);
}

/*
 * What ends a field. Not strchr(",\r\n", c): that finds the string's own
 * terminator for c == '\0', which made a NUL byte end the record (one line
 * became two forks).
 */
static int is_separator(char c)
{
	return c == ',' || c == '\r' || c == '\n';
}

/* Read one record; 1 when there was one, 0 at the end, <0 on error. */
static int read_record(struct reader *r, struct record *rec)
{
	fm_buf *sb = &r->field;
	int err = 0;
	char c;

	record_clear(rec);
	if (r->pos >= r->len)
		return 0;
	rec->line = r->line;
	for (;;) {
		if (r->pos < r->len && r->buf[r->pos] == '"') {
			size_t start = r->line;

			r->pos++;
			for (;;) {
				if (r->pos >= r->len) {
					err = csv_error(r, start,
							"unterminated quoted "
							"field");
					goto done;
				}
				c = r->buf[r->pos++];
				if (c == '"') {
					if (r->pos < r->len &&
					    r->buf[r->pos] == '"')
						r->pos++;
					else
						break;
				}
				if (c == '\n')
					r->line++;
				if (c == '\0') {
					err = csv_error(r, r->line,
							"NUL byte in field");
					goto done;
				}
				if (fm_buf_putc(sb, c) < 0)
					goto nomem;
			}
			if (r->pos < r->len && !is_separator(r->buf[r->pos])) {
				err = csv_error(r, r->line,
						"text after closing quote");
				goto done;
			}
		} else {
			while (r->pos < r->len &&
			       !is_separator(r->buf[r->pos])) {
				c = r->buf[r->pos++];
				if (c == '\0') {
					err = csv_error(r, r->line,
							"NUL byte in field");
					goto done;
				}
				if (fm_buf_putc(sb, c) < 0)
					goto nomem;
			}
		}
		if ((err = record_push(rec, sb)) < 0)
			goto nomem;
		if (r->pos >= r->len)
			break;
		c = r->buf[r->pos++];
		if (c == ',') {
			continue;
		}
		/* end of record: LF, CRLF or a lone CR */
		if (c == '\r' && r->pos < r->len && r->buf[r->pos] == '\n')
			r->pos++;
		r->line++;
		break;
	}
	return 1;
nomem:
	err = fm_error_set(r->ctx, FM_ENOMEM, "out of memory");
done:
	fm_buf_reset(sb);
	return err;
}

static int read_all(fm_ctx *ctx, FILE *in, fm_buf *b)
{
	size_t got;

	errno = 0;
	do {
		if (b->len > FM_LIMIT_CSV_BYTES)
			return fm_error_set(ctx, FM_ECSV,
					    "csv input larger than %d MiB",
					    FM_LIMIT_CSV_BYTES >> 20);
		if (fm_buf_grow(b, 65536) < 0)
			return fm_error_set(ctx, FM_ENOMEM, "out of memory");
		got = fread(b->ptr + b->len, 1, b->alloc - b->len - 1, in);
		b->len += got;
		b->ptr[b->len] = '\0';
	} while (got > 0);
	if (ferror(in))
		return fm_error_set(ctx, FM_EIO, "cannot read csv: %s",
				    strerror(errno ? errno : EIO));
	return 0;
}

/* The field text without the formula guard fm_csv_field added. */
static const char *unguard(const char *s)
{
	if (s[0] == '\'' && fm_csv_needs_guard(s + 1))
		return s + 1;
	return s;
}

static void trim(char *s)
{
	size_t n = strlen(s), k = 0;

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	while (isspace((unsigned char)s[k]))
		k++;
	memmove(s, s + k, n - k + 1);
}

/* An untrusted value quoted in an error message. */
static int value_error(struct reader *r, size_t line, const char *col,
		       const char *what, const char *value)
{
	char shown[48];
	char *safe;

	snprintf(shown, sizeof(shown), "%s", value);
	if (!(safe = fm_term_safe(shown)))
		return fm_error_set(r->ctx, FM_ENOMEM, "out of memory");
	fm_error_set(r->ctx, FM_ECSV, "line %zu: column '%s': %s '%s'", line,
		     col, what, safe);
	free(safe);
	return FM_ECSV;
}

/*
 * A count: digits, or empty (unknown: -1). Tools that write integer
 * columns with gaps as floats ("12.0") are accepted too.
 */
static int parse_count(const char *s, long *out)
{
	char *end;
	long v;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s) {
		*out = -1;
		return 0;
	}
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno == ERANGE)
		return -1;
	if (*end == '.')
		for (end++; *end == '0'; end++)
			;
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static int parse_oid(const char *s, char out[41])
{
	size_t i, n = strlen(s);

	if (n != 0 && n != 40)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		out[i] = (char)tolower((unsigned char)s[i]);
	}
	out[n] = '\0';
	return 0;
}

struct importer {
	struct reader r;
	int col[FM_CSV_NCOLUMNS]; /* index of each known column, -1 when absent
				   */
	size_t ncols;
};

static const char *field(const struct importer *im, const struct record *rec,
			 enum fm_csv_column c)
{
	int i = im->col[c];

	return i >= 0 && (size_t)i < rec->n ? rec->f[i] : NULL;
}

static int text_field(const struct importer *im, const struct record *rec,
		      enum fm_csv_column c, char **out)
{
	const char *v = field(im, rec, c);

	*out = NULL;
	if (!v)
		return 0;
	return (*out = strdup(unguard(v))) ? 0 : FM_ENOMEM;
}

static int count_field(struct importer *im, const struct record *rec,
		       enum fm_csv_column c, long *out)
{
	const char *v = field(im, rec, c);

	if (!v) {
		*out = -1;
		return 0;
	}
	if (parse_count(v, out) < 0)
		return value_error(&im->r, rec->line, fm_csv_columns[c],
				   "bad number", v);
	return 0;
}

/* The ISO column when present and filled, else the dd/mm/YYYY one. */
static int date_field(struct importer *im, const struct record *rec,
		      enum fm_csv_column iso, int dmy, fm_date *out)
{
	const char *v = field(im, rec, iso);
	enum fm_csv_column c = iso;

	if ((!v || !*v) && dmy >= 0) {
		c = (enum fm_csv_column)dmy;
		v = field(im, rec, c);
	}
	memset(out, 0, sizeof(*out));
	if (v && fm_date_parse(v, out) < 0)
		return value_error(&im->r, rec->line, fm_csv_columns[c],
				   "bad date", v);
	return 0;
}

static int import_row(struct importer *im, const struct record *rec,
		      fm_row *row)
{
	const char *v;
	int err, src;

	TRY(text_field(im, rec, FM_CSV_COL_NAME, &row->name));
	if (!row->name || !row->name[0]) {
		err = csv_error(&im->r, rec->line, "empty repo name");
		goto fail;
	}
	TRY(text_field(im, rec, FM_CSV_COL_BRANCH, &row->branch));
	TRY(text_field(im, rec, FM_CSV_COL_REF, &row->ref));
	TRY(text_field(im, rec, FM_CSV_COL_BASE_TAG, &row->base_tag));
	if (im->col[FM_CSV_COL_RELEASE] >= 0)
		TRY(text_field(im, rec, FM_CSV_COL_RELEASE, &row->release));
	else /* seed CSV: the base tag is the release node */
		TRY(text_field(im, rec, FM_CSV_COL_BASE_TAG, &row->release));
	if (!row->base_tag && !(row->base_tag = strdup("")))
		TRY(FM_ENOMEM);
	if (!row->release && !(row->release = strdup("")))
		TRY(FM_ENOMEM);
	TRY(text_field(im, rec, FM_CSV_COL_ERROR, &row->error));
	if (row->error && !row->error[0]) {
		free(row->error);
		row->error = NULL;
	}
	TRY(text_field(im, rec, FM_CSV_COL_SKIPPED, &row->skipped));
	if (row->skipped && !row->skipped[0]) {
		free(row->skipped);
		row->skipped = NULL;
	}

	row->source = FM_SOURCE_LOCAL;
	if ((v = field(im, rec, FM_CSV_COL_SOURCE)) && *v) {
		if ((src = fm_source_parse(unguard(v))) < 0)
			TRY(value_error(&im->r, rec->line,
					fm_csv_columns[FM_CSV_COL_SOURCE],
					"unknown source", v));
		row->source = (fm_source)src;
	}
	if ((v = field(im, rec, FM_CSV_COL_HEAD)) &&
	    parse_oid(v, row->head) < 0)
		TRY(value_error(&im->r, rec->line,
				fm_csv_columns[FM_CSV_COL_HEAD],
				"bad object id", v));
	if ((v = field(im, rec, FM_CSV_COL_MERGE_BASE)) &&
	    parse_oid(v, row->merge_base) < 0)
		TRY(value_error(&im->r, rec->line,
				fm_csv_columns[FM_CSV_COL_MERGE_BASE],
				"bad object id", v));

	TRY(count_field(im, rec, FM_CSV_COL_AHEAD, &row->ahead));
	TRY(count_field(im, rec, FM_CSV_COL_BEHIND, &row->behind));
	TRY(count_field(im, rec, FM_CSV_COL_AHEAD_FIRST_PARENT,
			&row->ahead_first_parent));
	TRY(count_field(im, rec, FM_CSV_COL_UNIQUE, &row->unique));
	TRY(count_field(im, rec, FM_CSV_COL_FILES, &row->files));
	TRY(count_field(im, rec, FM_CSV_COL_INSERTIONS, &row->insertions));
	TRY(count_field(im, rec, FM_CSV_COL_DELETIONS, &row->deletions));
	TRY(count_field(im, rec, FM_CSV_COL_STARS, &row->stars));
	TRY(count_field(im, rec, FM_CSV_COL_PATCHES, &row->patches));

	TRY(date_field(im, rec, FM_CSV_COL_HEAD_DATE_ISO, FM_CSV_COL_HEAD_DATE,
		       &row->head_date));
	TRY(date_field(im, rec, FM_CSV_COL_MERGE_BASE_DATE_ISO, -1,
		       &row->merge_base_date));
	TRY(date_field(im, rec, FM_CSV_COL_BASE_DATE_ISO, FM_CSV_COL_BASE_DATE,
		       &row->base_date));
	return 0;
fail:
	if (err == FM_ENOMEM)
		fm_error_set(im->r.ctx, FM_ENOMEM, "out of memory");
	return err;
}

static int read_header(struct importer *im, struct record *rec)
{
	size_t i, c;
	int err;

	for (c = 0; c < FM_CSV_NCOLUMNS; c++)
		im->col[c] = -1;
	if ((err = read_record(&im->r, rec)) < 0)
		return err;
	if (err == 0)
		return csv_error(&im->r, 1, "empty input, header expected");
	im->ncols = rec->n;
	for (i = 0; i < rec->n; i++) {
		char *name = rec->f[i];

		if (i == 0 && strncmp(name, "\xef\xbb\xbf", 3) == 0)
			memmove(name, name + 3, strlen(name + 3) + 1);
		trim(name);
		for (c = 0; c < FM_CSV_NCOLUMNS; c++)
			if (im->col[c] < 0 &&
			    strcasecmp(name, fm_csv_columns[c]) == 0)
				im->col[c] = (int)i;
	}
	if (im->col[FM_CSV_COL_NAME] < 0)
		return csv_error(&im->r, rec->line,
				 "missing column 'repo name' (header "
				 "expected)");
	return 0;
}

/* Release nodes ordered by date (unknown dates last), then version. */
static int release_cmp(const void *a, const void *b)
{
	const fm_release *x = a, *y = b;

	if (x->date.set != y->date.set)
		return x->date.set ? -1 : 1;
	if (x->date.set && x->date.time != y->date.time)
		return x->date.time < y->date.time ? -1 : 1;
	return fm_version_cmp(x->tag, y->tag);
}

/* Rows by release tag, then file order (so a group reads in file order). */
static int row_release_cmp(const void *a, const void *b, void *payload)
{
	const fm_census *census = payload;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(census->rows[x].release, census->rows[y].release);

	return c ? c : (x > y) - (x < y);
}

/*
 * A CSV has no release list: make one node per distinct release of the
 * rows. Its date is the base date of the first row based exactly on that
 * tag; when no row is, the latest base date among the rows attached to it
 * (a lower bound, good enough to order the trunk). tree_lines -1: unknown.
 * The rows are grouped by sorting their indexes: n log n, where comparing
 * every row with every release so far was quadratic (80k rows, 21 s).
 */
static int derive_releases(fm_census *c)
{
	size_t *order, n = 0, i, j;

	order = malloc((c->nrows ? c->nrows : 1) * sizeof(*order));
	c->releases = calloc(c->nrows ? c->nrows : 1, sizeof(*c->releases));
	if (!order || !c->releases) {
		free(order);
		return FM_ENOMEM;
	}
	for (i = 0; i < c->nrows; i++)
		if (c->rows[i].release[0])
			order[n++] = i;
	qsort_r(order, n, sizeof(*order), row_release_cmp, c);
	for (i = 0; i < n; i = j) {
		fm_release *rel = &c->releases[c->nreleases];
		const char *tag = c->rows[order[i]].release;
		int exact = 0;

		if (!(rel->tag = strdup(tag))) {
			free(order);
			return FM_ENOMEM;
		}
		rel->tree_lines = -1;
		c->nreleases++;
		for (j = i; j < n && !strcmp(c->rows[order[j]].release, tag);
		     j++) {
			const fm_row *row = &c->rows[order[j]];
			int is_exact = !strcmp(row->base_tag, row->release);

			if (!row->base_date.set || exact)
				continue;
			if (is_exact || !rel->date.set ||
			    row->base_date.time > rel->date.time)
				rel->date = row->base_date;
			exact = is_exact;
		}
	}
	free(order);
	qsort(c->releases, c->nreleases, sizeof(*c->releases), release_cmp);
	return 0;
}

int fm_import_csv(fm_ctx *ctx, FILE *in, fm_census **out)
{
	struct importer im;
	struct record rec = {NULL, 0, 0, 0};
	fm_census *c = NULL;
	fm_buf text = FM_BUF_INIT;
	size_t alloc = 0;
	int err;

	*out = NULL;
	memset(&im, 0, sizeof(im));
	if ((err = read_all(ctx, in, &text)) < 0)
		goto done;
	im.r.ctx = ctx;
	im.r.buf = text.ptr;
	im.r.len = text.len;
	im.r.line = 1;
	if (!(c = calloc(1, sizeof(*c))) || !(c->upstream = strdup("")) ||
	    !(c->branch = strdup("")))
		goto nomem;
	c->head_tree_lines = -1; /* a CSV does not say */
	if ((err = read_header(&im, &rec)) < 0)
		goto done;
	while ((err = read_record(&im.r, &rec)) > 0) {
		if (rec.n == 1 && rec.f[0][0] == '\0')
			continue; /* blank line */
		if (rec.n != im.ncols) {
			char why[96];

			snprintf(why, sizeof(why),
				 "expected %zu fields, got %zu", im.ncols,
				 rec.n);
			err = csv_error(&im.r, rec.line, why);
			goto done;
		}
		if (c->nrows == alloc) {
			size_t n = alloc ? alloc * 2 : 64;
			fm_row *rows = realloc(c->rows, n * sizeof(*rows));

			if (!rows)
				goto nomem;
			c->rows = rows;
			alloc = n;
		}
		memset(&c->rows[c->nrows], 0, sizeof(fm_row));
		c->nrows++; /* freed with the census even when half filled */
		if ((err = import_row(&im, &rec, &c->rows[c->nrows - 1])) < 0)
			goto done;
	}
	if (err < 0)
		goto done;
	if (derive_releases(c) < 0)
		goto nomem;
	*out = c;
	c = NULL;
	err = 0;
	goto done;
nomem:
	err = fm_error_set(ctx, FM_ENOMEM, "out of memory");
done:
	record_free(&rec);
	fm_census_free(c);
	fm_buf_clear(&im.r.field);
	fm_buf_clear(&text);
	return err;
}
