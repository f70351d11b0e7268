#ifndef FORKMAP_EXPORT_H
#define FORKMAP_EXPORT_H
/*
 * CSV and JSON export of a census, and CSV import (for render).
 *
 * CSV: the first eight columns are exactly the seed-compatible header
 *   repo name,branch,base tag,base date,commits ahead,head date,lines
 * added,lines deleted with dd/mm/YYYY dates, then the remaining fields of the
 * metric contract. Fields are quoted when they hold a comma, quote, CR or LF; a
 * field that a spreadsheet would run as a formula (leading = + - @ TAB CR) is
 * prefixed with a single quote, which fm_import_csv strips again.
 *
 * JSON: {"upstream": ..., "branch": ..., "forks": [ {...}, ... ]} with the
 * metric contract's field names and ISO 8601 dates.
 */
#include <stdio.h>
#include "census.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The version of the JSON document's shape (docs/census.schema.json): 1 adds
 * nothing a reader must understand; a field changing meaning or going away
 * bumps it.
 */
#define FM_JSON_SCHEMA_VERSION 1

#define FM_CSV_SEED_HEADER                                             \
	"repo name,branch,base tag,base date,commits ahead,head date," \
	"lines added,lines deleted"

/* Rows with a skip reason are left out unless include_skipped is set. */
int fm_export_csv(fm_ctx *ctx, const fm_census *census, int include_skipped,
		  FILE *out);
int fm_export_json(fm_ctx *ctx, const fm_census *census, int include_skipped,
		   FILE *out);

struct fm_stale;
/*
 * The stale report as JSON ({"upstream", "as_of", "stale": [...]}), through
 * the same writer as the census: valid UTF-8 whatever the names hold.
 */
int fm_export_stale_json(fm_ctx *ctx, const fm_census *census,
			 const struct fm_stale *list, size_t n, int64_t now,
			 FILE *out);

/*
 * One CSV field, escaped as described above; caller frees with free().
 * NULL on allocation failure.
 */
char *fm_csv_field(const char *s);

/*
 * Read a census from CSV: ours (all columns) or one with only the eight
 * seed-compatible columns. Unknown extra columns are ignored. FM_ECSV with
 * the line number on malformed input.
 */
int fm_import_csv(fm_ctx *ctx, FILE *in, fm_census **out);

#ifdef __cplusplus
}
#endif
#endif
