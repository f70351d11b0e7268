/* The census as a table on the terminal (forkmap census). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/census.h>
#include <forkmap/fate.h>
#include <forkmap/util.h>

#include "cli.h"

static void print_num(long v, int width)
{
	if (v < 0)
		printf(" %*s", width, "-");
	else
		printf(" %*ld", width, v);
}

/* Display columns of an untrusted name, as printed (fm_term_safe). */
static size_t shown_width(const char *s)
{
	char *safe = fm_term_safe(s);
	int w = cli_text_width(safe);

	free(safe);
	return (size_t)w;
}

/*
 * The widest value of a column among the shown rows, within [min, max];
 * error rows count for the first column (they show their name).
 */
static int column_width(const fm_census *c, size_t field, size_t min,
			size_t max)
{
	size_t i, w = min;

	for (i = 0; i < c->nrows; i++) {
		const char *s =
			*(char *const *)((const char *)&c->rows[i] + field);
		size_t len;

		if (c->rows[i].skipped ||
		    (c->rows[i].error && field != offsetof(fm_row, name)))
			continue;
		if ((len = shown_width(s)) > w)
			w = len;
	}
	return (int)(w > max ? max : w);
}

/* A left-aligned cell of w columns after a space (none when first). */
static void cell(const char *safe, int w, int first)
{
	if (!first)
		putchar(' ');
	cli_print_cell(stdout, safe ? safe : "", w, 1);
}

void cli_print_census(fm_ctx *ctx, const fm_census *c)
{
	fm_fate_opts fo = FM_FATE_OPTS_INIT;
	/* tags as long as v1.6.0-alpha20230802 are shown whole */
	int w = column_width(c, offsetof(fm_row, name), 4, 40),
	    wt = column_width(c, offsetof(fm_row, base_tag), 8, 32),
	    wr = column_width(c, offsetof(fm_row, release), 7, 32);
	char *up = fm_term_safe(c->upstream), *br = fm_term_safe(c->branch);
	size_t i;

	printf("%s %s at %.12s\n", up ? up : "", br ? br : "", c->head);
	fo.now = fm_fate_now(ctx, c);
	printf("%-*s %-*s %-*s %6s %6s %6s %7s %8s %8s %-11s %s\n", w, "fork",
	       wt, "base tag", wr, "release", "ahead", "behind", "unique",
	       "patches", "+lines", "-lines", "last commit", "fate");
	for (i = 0; i < c->nrows; i++) {
		const fm_row *r = &c->rows[i];
		char *name, *tag, *rel, date[FM_DATE_ISO_MAX];

		if (r->skipped)
			continue;
		name = fm_term_safe(r->name);
		tag = fm_term_safe(r->base_tag);
		rel = fm_term_safe(r->release);
		cell(name, w, 1);
		if (r->error) {
			char *err = fm_term_safe(r->error);

			printf(" error: %s\n", err ? err : "");
			free(err);
		} else {
			cell(tag, wt, 0);
			cell(rel, wr, 0);
			print_num(r->ahead, 6);
			print_num(r->behind, 6);
			print_num(r->unique, 6);
			print_num(r->patches, 7);
			print_num(r->insertions, 8);
			print_num(r->deletions, 8);
			fm_date_iso(&r->head_date, date);
			printf(" %-11.10s %s\n", date,
			       fm_fate_label(fm_fate_of(c, r, &fo)));
		}
		free(name);
		free(tag);
		free(rel);
	}
	free(up);
	free(br);
}
