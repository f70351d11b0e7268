/*
 * Fuzz target: the CSV reader (crawler/export/csv_read.c). The input is a
 * CSV file as `forkmap render --csv` reads it: ours, the seed format's
 * eight columns, or anything else.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/export.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static fm_ctx *ctx;
	fm_census *census = NULL;
	char *copy;
	FILE *in;

	if (!ctx && fm_ctx_new(&ctx) < 0)
		abort();
	/* fmemopen needs a buffer of at least one byte */
	if (!(copy = malloc(size + 1)))
		return 0;
	if (size)
		memcpy(copy, data, size);
	if (!(in = fmemopen(copy, size ? size : 1, "r"))) {
		free(copy);
		return 0;
	}
	if (size == 0)
		fgetc(in); /* at the end: an empty file */
	if (fm_import_csv(ctx, in, &census) == 0)
		fm_census_free(census);
	fm_ctx_clear_error(ctx);
	fclose(in);
	free(copy);
	return 0;
}
