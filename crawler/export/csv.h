#ifndef FM_EXPORT_CSV_H
#define FM_EXPORT_CSV_H
/*
 * Inside crawler/export only: the CSV format that the writer
 * (csv_write.c) and the reader (csv_read.c) share. One column table for
 * both, so a column cannot be written under one name and read under
 * another.
 *
 * The columns, in this order (stable: notebooks and scripts index them by
 * name, and the first eight are the seed format's, FM_CSV_SEED_HEADER):
 *
 *   repo name,branch,base tag,base date,commits ahead,head date,
 *   lines added,lines deleted,
 *   source,ref,head,merge_base,behind,ahead_first_parent,unique,release,
 *   files,head_date_iso,merge_base_date_iso,base_date_iso,stars,patches,
 *   fate,error,skipped
 *
 * (patches and fate came later than the others: they were appended after
 * stars, not put next to unique, so no column a script reads by position
 * moved but error and skipped. fate is computed when written, and ignored
 * on import.)
 *
 * "base date" and "head date" are dd/mm/YYYY in the date's own offset; the
 * *_iso columns hold the same dates as git's %cI so an import gives back
 * exactly what was exported. A number that is unknown (negative in the row,
 * as the census engine leaves the metrics of a failed fork) is an empty
 * field; a written number is never negative. "fate" is computed when the
 * file is written (fate.h, as of the census run's end), never read back.
 */

enum fm_csv_column {
	FM_CSV_COL_NAME,
	FM_CSV_COL_BRANCH,
	FM_CSV_COL_BASE_TAG,
	FM_CSV_COL_BASE_DATE,
	FM_CSV_COL_AHEAD,
	FM_CSV_COL_HEAD_DATE,
	FM_CSV_COL_INSERTIONS,
	FM_CSV_COL_DELETIONS,
	FM_CSV_COL_SOURCE,
	FM_CSV_COL_REF,
	FM_CSV_COL_HEAD,
	FM_CSV_COL_MERGE_BASE,
	FM_CSV_COL_BEHIND,
	FM_CSV_COL_AHEAD_FIRST_PARENT,
	FM_CSV_COL_UNIQUE,
	FM_CSV_COL_RELEASE,
	FM_CSV_COL_FILES,
	FM_CSV_COL_HEAD_DATE_ISO,
	FM_CSV_COL_MERGE_BASE_DATE_ISO,
	FM_CSV_COL_BASE_DATE_ISO,
	FM_CSV_COL_STARS,
	FM_CSV_COL_PATCHES,
	FM_CSV_COL_FATE,
	FM_CSV_COL_ERROR,
	FM_CSV_COL_SKIPPED,
	FM_CSV_NCOLUMNS
};

/* The header name of each column, indexed by enum fm_csv_column. */
extern const char *const fm_csv_columns[FM_CSV_NCOLUMNS];

/*
 * 1 when the writer puts a quote in front of s: a spreadsheet would run s
 * as a formula (leading = + - @ TAB CR), or s is such a field that already
 * starts with quotes, so that stripping exactly one on import gives back
 * any string.
 */
int fm_csv_needs_guard(const char *s);

#endif
