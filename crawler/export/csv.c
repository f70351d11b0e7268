/* The CSV format shared by the writer and the reader (export/csv.h). */
#include <string.h>

#include "export/csv.h"

const char *const fm_csv_columns[FM_CSV_NCOLUMNS] = {
	[FM_CSV_COL_NAME] = "repo name",
	[FM_CSV_COL_BRANCH] = "branch",
	[FM_CSV_COL_BASE_TAG] = "base tag",
	[FM_CSV_COL_BASE_DATE] = "base date",
	[FM_CSV_COL_AHEAD] = "commits ahead",
	[FM_CSV_COL_HEAD_DATE] = "head date",
	[FM_CSV_COL_INSERTIONS] = "lines added",
	[FM_CSV_COL_DELETIONS] = "lines deleted",
	[FM_CSV_COL_SOURCE] = "source",
	[FM_CSV_COL_REF] = "ref",
	[FM_CSV_COL_HEAD] = "head",
	[FM_CSV_COL_MERGE_BASE] = "merge_base",
	[FM_CSV_COL_BEHIND] = "behind",
	[FM_CSV_COL_AHEAD_FIRST_PARENT] = "ahead_first_parent",
	[FM_CSV_COL_UNIQUE] = "unique",
	[FM_CSV_COL_RELEASE] = "release",
	[FM_CSV_COL_FILES] = "files",
	[FM_CSV_COL_HEAD_DATE_ISO] = "head_date_iso",
	[FM_CSV_COL_MERGE_BASE_DATE_ISO] = "merge_base_date_iso",
	[FM_CSV_COL_BASE_DATE_ISO] = "base_date_iso",
	[FM_CSV_COL_STARS] = "stars",
	[FM_CSV_COL_PATCHES] = "patches",
	[FM_CSV_COL_FATE] = "fate",
	[FM_CSV_COL_ERROR] = "error",
	[FM_CSV_COL_SKIPPED] = "skipped",
};

int fm_csv_needs_guard(const char *s)
{
	/* spreadsheets skip leading blanks before a formula: " =cmd()" */
	while (*s == '\'' || *s == ' ')
		s++;
	return *s && strchr("=+-@\t\r", *s) != NULL;
}
