/*
 * CSV and JSON export of a census, and CSV import.
 *
 * The CSV columns, in this order (stable: notebooks and scripts index them
 * by name, and the first eight are the seed format's):
 *
 *   repo name,branch,base tag,base date,commits ahead,head date,
 *   lines added,lines deleted,
 *   source,ref,head,merge_base,behind,ahead_first_parent,unique,release,
 *   files,head_date_iso,merge_base_date_iso,base_date_iso,stars,error,
 *   skipped
 *
 * "base date" and "head date" are dd/mm/YYYY in the date's own offset; the
 * *_iso columns hold the same dates as git's %cI so an import gives back
 * exactly what was exported. A number that is unknown (negative in the row,
 * as the census engine leaves the metrics of a failed fork) is an empty
 * field; a written number is never negative. Skipped rows are left out
 * unless asked for; then "skipped" holds the reason.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include <forkmap/export.h>
#include <forkmap/util.h>

/* Return early on failure; err must be in scope. */
#define TRY(x)                       \
	do {                         \
		if ((err = (x)) < 0) \
			return err;  \
	} while (0)

enum column {
	COL_NAME,
	COL_BRANCH,
	COL_BASE_TAG,
	COL_BASE_DATE,
	COL_AHEAD,
	COL_HEAD_DATE,
	COL_INSERTIONS,
	COL_DELETIONS,
	COL_SOURCE,
	COL_REF,
	COL_HEAD,
	COL_MERGE_BASE,
	COL_BEHIND,
	COL_AHEAD_FIRST_PARENT,
	COL_UNIQUE,
	COL_RELEASE,
	COL_FILES,
	COL_HEAD_DATE_ISO,
	COL_MERGE_BASE_DATE_ISO,
	COL_BASE_DATE_ISO,
	COL_STARS,
	COL_ERROR,
	COL_SKIPPED,
	NCOLUMNS
};

/* One table for writing and reading, so the two cannot drift apart. */
static const char *const column_names[NCOLUMNS] = {
	"repo name",
	"branch",
	"base tag",
	"base date",
	"commits ahead",
	"head date",
	"lines added",
	"lines deleted",
	"source",
	"ref",
	"head",
	"merge_base",
	"behind",
	"ahead_first_parent",
	"unique",
	"release",
	"files",
	"head_date_iso",
	"merge_base_date_iso",
	"base_date_iso",
	"stars",
	"error",
	"skipped",
};

/*
 * A field a spreadsheet would run as a formula gets a leading quote. A
 * field that already starts with a quote in front of such a field gets one
 * more, so stripping exactly one on import gives back any string.
 */
static int needs_formula_guard(const char *s)
{
	while (*s == '\'')
		s++;
	return *s && strchr("=+-@\t\r", *s) != NULL;
}

char *fm_csv_field(const char *s)
{
	int guard, quote;
	size_t len, n = 0;
	const char *p;
	char *out, *o;

	if (!s)
		s = "";
	guard = needs_formula_guard(s);
	quote = strpbrk(s, ",\"\r\n") != NULL;
	len = strlen(s);
	for (p = s; *p; p++)
		n += *p == '"';
	if (!(out = malloc(len + n + 4)))
		return NULL;
	o = out;
	if (quote)
		*o++ = '"';
	if (guard)
		*o++ = '\'';
	for (p = s; *p; p++) {
		if (*p == '"')
			*o++ = '"';
		*o++ = *p;
	}
	if (quote)
		*o++ = '"';
	*o = '\0';
	return out;
}

static int write_failed(fm_ctx *ctx, const char *what)
{
	return fm_error_set(ctx, FM_EIO, "cannot write %s: %s", what,
			    strerror(errno ? errno : EIO));
}

static int put_text(FILE *out, const char *s, int sep)
{
	char *f = fm_csv_field(s);
	int ok;

	if (!f)
		return FM_ENOMEM;
	ok = (!sep || fputc(',', out) != EOF) && fputs(f, out) != EOF;
	free(f);
	return ok ? 0 : FM_EIO;
}

static int put_raw(FILE *out, const char *s)
{
	return fputc(',', out) != EOF && fputs(s, out) != EOF ? 0 : FM_EIO;
}

static int put_num(FILE *out, long v)
{
	char buf[32] = "";

	if (v >= 0)
		snprintf(buf, sizeof(buf), "%ld", v);
	return put_raw(out, buf);
}

static int put_row(FILE *out, const fm_row *r)
{
	char date[FM_DATE_ISO_MAX];
	int err = 0;

	TRY(put_text(out, r->name, 0));
	TRY(put_text(out, r->branch, 1));
	TRY(put_text(out, r->base_tag, 1));
	TRY(put_raw(out, fm_date_dmy(&r->base_date, date)));
	TRY(put_num(out, r->ahead));
	TRY(put_raw(out, fm_date_dmy(&r->head_date, date)));
	TRY(put_num(out, r->insertions));
	TRY(put_num(out, r->deletions));
	TRY(put_text(out, fm_source_name(r->source), 1));
	TRY(put_text(out, r->ref, 1));
	TRY(put_text(out, r->head, 1));
	TRY(put_text(out, r->merge_base, 1));
	TRY(put_num(out, r->behind));
	TRY(put_num(out, r->ahead_first_parent));
	TRY(put_num(out, r->unique));
	TRY(put_text(out, r->release, 1));
	TRY(put_num(out, r->files));
	TRY(put_raw(out, fm_date_iso(&r->head_date, date)));
	TRY(put_raw(out, fm_date_iso(&r->merge_base_date, date)));
	TRY(put_raw(out, fm_date_iso(&r->base_date, date)));
	TRY(put_num(out, r->stars));
	TRY(put_text(out, r->error, 1));
	TRY(put_text(out, r->skipped, 1));
	return fputc('\n', out) == EOF ? FM_EIO : 0;
}

int fm_export_csv(fm_ctx *ctx, const fm_census *census, int include_skipped,
		  FILE *out)
{
	size_t i;
	int err = 0;

	errno = 0;
	for (i = 0; i < NCOLUMNS && err == 0; i++) {
		if ((i && fputc(',', out) == EOF) ||
		    fputs(column_names[i], out) == EOF)
			err = FM_EIO;
	}
	if (err == 0 && fputc('\n', out) == EOF)
		err = FM_EIO;
	for (i = 0; i < census->nrows && err == 0; i++) {
		if (census->rows[i].skipped && !include_skipped)
			continue;
		err = put_row(out, &census->rows[i]);
	}
	if (err == 0 && fflush(out) != 0)
		err = FM_EIO;
	if (err == FM_ENOMEM)
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	if (err < 0 || ferror(out))
		return write_failed(ctx, "csv");
	return 0;
}

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

static int json_row(cJSON *forks, const fm_row *r)
{
	cJSON *o = cJSON_CreateObject();
	int err = 0;

	if (!o || !cJSON_AddItemToArray(forks, o)) {
		cJSON_Delete(o);
		return FM_ENOMEM;
	}
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

static int json_census(cJSON *doc, const fm_census *c, int include_skipped)
{
	cJSON *releases, *forks;
	size_t i;
	int err = 0;

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
			TRY(json_row(forks, &c->rows[i]));
	return 0;
}

int fm_export_json(fm_ctx *ctx, const fm_census *census, int include_skipped,
		   FILE *out)
{
	cJSON *doc = cJSON_CreateObject();
	char *text = NULL;
	int err = FM_ENOMEM;

	if (!doc || json_census(doc, census, include_skipped) < 0 ||
	    !(text = cJSON_Print(doc))) {
		err = fm_error_set(ctx, FM_ENOMEM, "out of memory");
		goto done;
	}
	errno = 0;
	if (fputs(text, out) == EOF || fputc('\n', out) == EOF ||
	    fflush(out) != 0 || ferror(out)) {
		err = write_failed(ctx, "json");
		goto done;
	}
	err = 0;
done:
	free(text);
	cJSON_Delete(doc);
	return err;
}

/*
 * CSV reading (RFC 4180, plus LF line ends): the whole input in memory,
 * records split with quoted fields that may hold commas, doubled quotes and
 * newlines. Line numbers count physical lines from 1.
 */
struct reader {
	fm_ctx *ctx;
	const char *buf;
	size_t len, pos;
	size_t line;
};

struct record {
	char **f;
	size_t n, alloc;
	size_t line; /* where the record starts */
};

struct strbuf {
	char *s;
	size_t len, alloc;
};

static int sb_add(struct strbuf *sb, char c)
{
	if (sb->len + 1 >= sb->alloc) {
		size_t alloc = sb->alloc ? sb->alloc * 2 : 64;
		char *s = realloc(sb->s, alloc);

		if (!s)
			return FM_ENOMEM;
		sb->s = s;
		sb->alloc = alloc;
	}
	sb->s[sb->len++] = c;
	sb->s[sb->len] = '\0';
	return 0;
}

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

/* Move the field text into the record (sb is left empty). */
static int record_push(struct record *rec, struct strbuf *sb)
{
	char *s = sb->s ? sb->s : strdup("");

	if (!s)
		return FM_ENOMEM;
	if (rec->n == rec->alloc) {
		size_t alloc = rec->alloc ? rec->alloc * 2 : 32;
		char **f = realloc(rec->f, alloc * sizeof(*f));

		if (!f) {
			if (!sb->s)
				free(s);
			return FM_ENOMEM;
		}
		rec->f = f;
		rec->alloc = alloc;
	}
	rec->f[rec->n++] = s;
	memset(sb, 0, sizeof(*sb));
	return 0;
}

static int csv_error(struct reader *r, size_t line, const char *why)
{
	return fm_error_set(r->ctx, FM_ECSV, "line %zu: %s", line, why);
}

/* Read one record; 1 when there was one, 0 at the end, <0 on error. */
static int read_record(struct reader *r, struct record *rec)
{
	struct strbuf sb = {NULL, 0, 0};
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
				if ((err = sb_add(&sb, c)) < 0)
					goto nomem;
			}
			if (r->pos < r->len &&
			    !strchr(",\r\n", r->buf[r->pos])) {
				err = csv_error(r, r->line,
						"text after closing quote");
				goto done;
			}
		} else {
			while (r->pos < r->len &&
			       !strchr(",\r\n", r->buf[r->pos])) {
				c = r->buf[r->pos++];
				if (c == '\0') {
					err = csv_error(r, r->line,
							"NUL byte in field");
					goto done;
				}
				if ((err = sb_add(&sb, c)) < 0)
					goto nomem;
			}
		}
		if ((err = record_push(rec, &sb)) < 0)
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
	free(sb.s);
	return 1;
nomem:
	err = fm_error_set(r->ctx, FM_ENOMEM, "out of memory");
done:
	free(sb.s);
	return err;
}

static int read_all(fm_ctx *ctx, FILE *in, char **out, size_t *len)
{
	size_t alloc = 65536, n = 0, got;
	char *buf = malloc(alloc), *nbuf;

	*out = NULL;
	if (!buf)
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	errno = 0;
	while ((got = fread(buf + n, 1, alloc - n - 1, in)) > 0) {
		n += got;
		if (alloc - n - 1 == 0) {
			if (!(nbuf = realloc(buf, alloc * 2))) {
				free(buf);
				return fm_error_set(ctx, FM_ENOMEM,
						    "out of memory");
			}
			buf = nbuf;
			alloc *= 2;
		}
	}
	if (ferror(in)) {
		free(buf);
		return fm_error_set(ctx, FM_EIO, "cannot read csv: %s",
				    strerror(errno ? errno : EIO));
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/* The field text without the formula guard fm_csv_field added. */
static const char *unguard(const char *s)
{
	if (s[0] == '\'' && needs_formula_guard(s + 1))
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
	int col[NCOLUMNS]; /* index of each known column, -1 when absent */
	size_t ncols;
};

static const char *field(const struct importer *im, const struct record *rec,
			 enum column c)
{
	int i = im->col[c];

	return i >= 0 && (size_t)i < rec->n ? rec->f[i] : NULL;
}

static int text_field(const struct importer *im, const struct record *rec,
		      enum column c, char **out)
{
	const char *v = field(im, rec, c);

	*out = NULL;
	if (!v)
		return 0;
	return (*out = strdup(unguard(v))) ? 0 : FM_ENOMEM;
}

static int count_field(struct importer *im, const struct record *rec,
		       enum column c, long *out)
{
	const char *v = field(im, rec, c);

	if (!v) {
		*out = -1;
		return 0;
	}
	if (parse_count(v, out) < 0)
		return value_error(&im->r, rec->line, column_names[c],
				   "bad number", v);
	return 0;
}

/* The ISO column when present and filled, else the dd/mm/YYYY one. */
static int date_field(struct importer *im, const struct record *rec,
		      enum column iso, int dmy, fm_date *out)
{
	const char *v = field(im, rec, iso);
	enum column c = iso;

	if ((!v || !*v) && dmy >= 0) {
		c = (enum column)dmy;
		v = field(im, rec, c);
	}
	memset(out, 0, sizeof(*out));
	if (v && fm_date_parse(v, out) < 0)
		return value_error(&im->r, rec->line, column_names[c],
				   "bad date", v);
	return 0;
}

static int import_row(struct importer *im, const struct record *rec,
		      fm_row *row)
{
	const char *v;
	int err, src;

#undef TRY
#define TRY(x)                       \
	do {                         \
		if ((err = (x)) < 0) \
			goto fail;   \
	} while (0)
	TRY(text_field(im, rec, COL_NAME, &row->name));
	if (!row->name || !row->name[0]) {
		err = csv_error(&im->r, rec->line, "empty repo name");
		goto fail;
	}
	TRY(text_field(im, rec, COL_BRANCH, &row->branch));
	TRY(text_field(im, rec, COL_REF, &row->ref));
	TRY(text_field(im, rec, COL_BASE_TAG, &row->base_tag));
	if (im->col[COL_RELEASE] >= 0)
		TRY(text_field(im, rec, COL_RELEASE, &row->release));
	else /* seed CSV: the base tag is the release node */
		TRY(text_field(im, rec, COL_BASE_TAG, &row->release));
	if (!row->base_tag && !(row->base_tag = strdup("")))
		TRY(FM_ENOMEM);
	if (!row->release && !(row->release = strdup("")))
		TRY(FM_ENOMEM);
	TRY(text_field(im, rec, COL_ERROR, &row->error));
	if (row->error && !row->error[0]) {
		free(row->error);
		row->error = NULL;
	}
	TRY(text_field(im, rec, COL_SKIPPED, &row->skipped));
	if (row->skipped && !row->skipped[0]) {
		free(row->skipped);
		row->skipped = NULL;
	}

	row->source = FM_SOURCE_LOCAL;
	if ((v = field(im, rec, COL_SOURCE)) && *v) {
		if ((src = fm_source_parse(unguard(v))) < 0)
			TRY(value_error(&im->r, rec->line,
					column_names[COL_SOURCE],
					"unknown source", v));
		row->source = (fm_source)src;
	}
	if ((v = field(im, rec, COL_HEAD)) && parse_oid(v, row->head) < 0)
		TRY(value_error(&im->r, rec->line, column_names[COL_HEAD],
				"bad object id", v));
	if ((v = field(im, rec, COL_MERGE_BASE)) &&
	    parse_oid(v, row->merge_base) < 0)
		TRY(value_error(&im->r, rec->line, column_names[COL_MERGE_BASE],
				"bad object id", v));

	TRY(count_field(im, rec, COL_AHEAD, &row->ahead));
	TRY(count_field(im, rec, COL_BEHIND, &row->behind));
	TRY(count_field(im, rec, COL_AHEAD_FIRST_PARENT,
			&row->ahead_first_parent));
	TRY(count_field(im, rec, COL_UNIQUE, &row->unique));
	TRY(count_field(im, rec, COL_FILES, &row->files));
	TRY(count_field(im, rec, COL_INSERTIONS, &row->insertions));
	TRY(count_field(im, rec, COL_DELETIONS, &row->deletions));
	TRY(count_field(im, rec, COL_STARS, &row->stars));

	TRY(date_field(im, rec, COL_HEAD_DATE_ISO, COL_HEAD_DATE,
		       &row->head_date));
	TRY(date_field(im, rec, COL_MERGE_BASE_DATE_ISO, -1,
		       &row->merge_base_date));
	TRY(date_field(im, rec, COL_BASE_DATE_ISO, COL_BASE_DATE,
		       &row->base_date));
	return 0;
fail:
	if (err == FM_ENOMEM)
		fm_error_set(im->r.ctx, FM_ENOMEM, "out of memory");
	return err;
#undef TRY
}

static int read_header(struct importer *im, struct record *rec)
{
	size_t i, c;
	int err;

	for (c = 0; c < NCOLUMNS; c++)
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
		for (c = 0; c < NCOLUMNS; c++)
			if (im->col[c] < 0 &&
			    strcasecmp(name, column_names[c]) == 0)
				im->col[c] = (int)i;
	}
	if (im->col[COL_NAME] < 0)
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

/*
 * A CSV has no release list: make one node per distinct release of the
 * rows. Its date is the base date of a row based exactly on that tag; when
 * no row is, the latest base date among the rows attached to it (a lower
 * bound, good enough to order the trunk). tree_lines -1: unknown.
 */
static int derive_releases(fm_census *c)
{
	unsigned char *exact; /* per release: date taken from its own tag */
	size_t i, k;
	int is_exact;

	c->releases = calloc(c->nrows ? c->nrows : 1, sizeof(*c->releases));
	exact = calloc(c->nrows ? c->nrows : 1, 1);
	if (!c->releases || !exact) {
		free(exact);
		return FM_ENOMEM;
	}
	for (i = 0; i < c->nrows; i++) {
		const fm_row *row = &c->rows[i];
		fm_release *rel;

		if (!row->release[0])
			continue;
		for (k = 0; k < c->nreleases; k++)
			if (strcmp(c->releases[k].tag, row->release) == 0)
				break;
		rel = &c->releases[k];
		if (k == c->nreleases) {
			if (!(rel->tag = strdup(row->release))) {
				free(exact);
				return FM_ENOMEM;
			}
			rel->tree_lines = -1;
			c->nreleases++;
		}
		if (!row->base_date.set || exact[k])
			continue;
		is_exact = strcmp(row->base_tag, row->release) == 0;
		if (is_exact || !rel->date.set ||
		    row->base_date.time > rel->date.time)
			rel->date = row->base_date;
		exact[k] = (unsigned char)is_exact;
	}
	free(exact);
	qsort(c->releases, c->nreleases, sizeof(*c->releases), release_cmp);
	return 0;
}

int fm_import_csv(fm_ctx *ctx, FILE *in, fm_census **out)
{
	struct importer im;
	struct record rec = {NULL, 0, 0, 0};
	fm_census *c = NULL;
	char *buf = NULL;
	size_t len = 0, alloc = 0;
	int err;

	*out = NULL;
	memset(&im, 0, sizeof(im));
	if ((err = read_all(ctx, in, &buf, &len)) < 0)
		return err;
	im.r.ctx = ctx;
	im.r.buf = buf;
	im.r.len = len;
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
	free(buf);
	return err;
}
