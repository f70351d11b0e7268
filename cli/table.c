/* The census as a table on the terminal (forkmap census). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forkmap/census.h>
#include <forkmap/util.h>

#include "cli.h"

static void print_num(long v, int width)
{
	if (v < 0)
		printf(" %*s", width, "-");
	else
		printf(" %*ld", width, v);
}

/* The widest value of a column among the shown rows, within [min, max]. */
static int column_width(const fm_census *c, size_t field, size_t min,
			size_t max)
{
	size_t i, w = min;

	for (i = 0; i < c->nrows; i++) {
		const char *s =
			*(char *const *)((const char *)&c->rows[i] + field);
		size_t len = s ? strlen(s) : 0;

		if (!c->rows[i].skipped && !c->rows[i].error && len > w)
			w = len;
	}
	return (int)(w > max ? max : w);
}

void cli_print_census(const fm_census *c)
{
	/* tags as long as v1.6.0-alpha20230802 are shown whole */
	int w = column_width(c, offsetof(fm_row, name), 4, 40),
	    wt = column_width(c, offsetof(fm_row, base_tag), 8, 32),
	    wr = column_width(c, offsetof(fm_row, release), 7, 32);
	char *up = fm_term_safe(c->upstream), *br = fm_term_safe(c->branch);
	size_t i;

	for (i = 0; i < c->nrows; i++) /* error rows show their name */
		if (c->rows[i].error && (int)strlen(c->rows[i].name) > w)
			w = strlen(c->rows[i].name) > 40
				    ? 40
				    : (int)strlen(c->rows[i].name);
	printf("%s %s at %.12s\n", up ? up : "", br ? br : "", c->head);
	printf("%-*s %-*s %-*s %6s %6s %6s %8s %8s %-10s\n", w, "fork", wt,
	       "base tag", wr, "release", "ahead", "behind", "unique", "+lines",
	       "-lines", "last commit");
	for (i = 0; i < c->nrows; i++) {
		const fm_row *r = &c->rows[i];
		char *name, *tag, *rel, date[FM_DATE_ISO_MAX];

		if (r->skipped)
			continue;
		name = fm_term_safe(r->name);
		tag = fm_term_safe(r->base_tag);
		rel = fm_term_safe(r->release);
		printf("%-*.*s", w, w, name ? name : "");
		if (r->error) {
			char *err = fm_term_safe(r->error);

			printf(" error: %s\n", err ? err : "");
			free(err);
		} else {
			printf(" %-*.*s %-*.*s", wt, wt, tag ? tag : "", wr, wr,
			       rel ? rel : "");
			print_num(r->ahead, 6);
			print_num(r->behind, 6);
			print_num(r->unique, 6);
			print_num(r->insertions, 8);
			print_num(r->deletions, 8);
			fm_date_iso(&r->head_date, date);
			printf(" %.10s\n", date);
		}
		free(name);
		free(tag);
		free(rel);
	}
	free(up);
	free(br);
}
