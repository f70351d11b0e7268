#ifndef FM_CORE_OUTPUT_H
#define FM_CORE_OUTPUT_H
/*
 * Inside libforkmap only: the one atomic output writer. An output file is
 * written to a temporary file beside it and renamed over the target only
 * when complete, so a failed or interrupted run keeps the previous file.
 * It is opened early (before an hour-long census), so a bad path fails in
 * a second. Only regular files get that treatment: a device or a pipe
 * (/dev/null, /dev/stdout, a FIFO) is written in place, and "-" is the
 * caller's stream.
 *
 *	fm_output o;
 *	if (fm_output_open(ctx, &o, "forks.csv", stdout) < 0) ...
 *	... fprintf(o.f, ...) ...
 *	rc = fm_output_commit(ctx, &o, rc);   (renames when rc == 0)
 *	fm_output_abandon(&o);                (no-op after commit)
 */
#include <stdio.h>

#include <forkmap/common.h>

typedef struct fm_output {
	const char *path; /* borrowed; "-" is the caller's stream */
	char *tmp;	  /* the temporary file, NULL when written in place */
	FILE *f;	  /* NULL: nothing to write (no path given) */
	FILE *stream;	  /* the caller's stream for "-" (borrowed) */
} fm_output;

/* path NULL: an output that was not asked for (o->f stays NULL). */
int fm_output_open(fm_ctx *ctx, fm_output *o, const char *path, FILE *stream);
/*
 * Finish the output: flush and close, then rename into place when rc (the
 * writer's result) is 0; a failed output leaves the old file. Returns rc,
 * or the first error of closing or renaming.
 */
int fm_output_commit(fm_ctx *ctx, fm_output *o, int rc);
/* Drop an output that was never committed (removes the temporary file). */
void fm_output_abandon(fm_output *o);

#endif
