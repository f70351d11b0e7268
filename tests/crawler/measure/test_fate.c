/* Fates: the rules of fate.h at their edges, and the injected clock that
 * CSV and JSON exports judge them by. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <forkmap/export.h>
#include <forkmap/fate.h>

#define DAY 86400
#define NOW ((int64_t)1700000000)
#define TIP (NOW - 10 * DAY) /* the upstream tip's date */

static fm_row row(const char *name, long unique, long idle_days,
		  long base_days_before_tip)
{
	fm_row r;

	memset(&r, 0, sizeof(r));
	r.name = (char *)name;
	r.branch = (char *)"main";
	r.ahead = unique + 1;
	r.unique = unique;
	r.stars = -1;
	r.head_date.time = NOW - idle_days * DAY;
	r.head_date.set = 1;
	r.merge_base_date.time = TIP - base_days_before_tip * DAY;
	r.merge_base_date.set = 1;
	return r;
}

static fm_census census_of(fm_row *rows, size_t n)
{
	fm_census c;

	memset(&c, 0, sizeof(c));
	c.rows = rows;
	c.nrows = n;
	c.head_date.time = TIP;
	c.head_date.set = 1;
	return c;
}

static void test_rules_and_their_edges(void **state)
{
	fm_row rows[] = {
		row("active", 5, 10, 100),
		row("quiet", 3, 182, 0),     /* 6 months = 182 days */
		row("not-quiet", 3, 181, 0), /* a day short */
		row("hard", 3, 10, 730),     /* 24 months = 730 days */
		row("not-hard", 3, 10, 729),
		row("quiet-and-far", 3, 400, 900), /* quiet wins */
		row("merged", 0, 10, 900),
	};
	fm_census c = census_of(rows, 7);
	fm_fate_opts o = FM_FATE_OPTS_INIT;
	const fm_fate want[] = {FM_FATE_ACTIVE, FM_FATE_QUIET,
				FM_FATE_ACTIVE, FM_FATE_HARD_FORK,
				FM_FATE_ACTIVE, FM_FATE_QUIET,
				FM_FATE_MERGED};
	size_t i;

	(void)state;
	o.now = NOW;
	for (i = 0; i < 7; i++)
		assert_int_equal(fm_fate_of(&c, &rows[i], &o), want[i]);
	o.base_months = 0; /* the hard-fork rule off */
	assert_int_equal(fm_fate_of(&c, &rows[3], &o), FM_FATE_ACTIVE);
	o.idle_months = 24; /* a longer patience */
	assert_int_equal(fm_fate_of(&c, &rows[1], &o), FM_FATE_ACTIVE);
	assert_string_equal(fm_fate_name(FM_FATE_HARD_FORK), "hard_fork");
	assert_string_equal(fm_fate_label(FM_FATE_HARD_FORK), "hard fork");
	assert_string_equal(fm_fate_name(FM_FATE_NONE), "");
}

static void test_unknowns(void **state)
{
	fm_row rows[] = {row("broken", 4, 900, 900), row("skipped", 4, 1, 1),
			 row("seed", 0, 10, 0), row("undated", 2, 0, 0)};
	fm_census c = census_of(rows, 4);
	fm_fate_opts o = FM_FATE_OPTS_INIT;

	(void)state;
	o.now = NOW;
	rows[0].error = (char *)"no common history";
	rows[1].skipped = (char *)"ahead == 0";
	/* a seed CSV: unique unknown, ahead stands in */
	rows[2].unique = -1;
	rows[2].ahead = 7;
	rows[3].head_date.set = 0;
	rows[3].merge_base_date.set = 0;
	assert_int_equal(fm_fate_of(&c, &rows[0], &o), FM_FATE_NONE);
	assert_int_equal(fm_fate_of(&c, &rows[1], &o), FM_FATE_NONE);
	assert_int_equal(fm_fate_of(&c, &rows[2], &o), FM_FATE_ACTIVE);
	rows[2].ahead = 0;
	assert_int_equal(fm_fate_of(&c, &rows[2], &o), FM_FATE_MERGED);
	/* no dates: neither quiet nor a hard fork */
	assert_int_equal(fm_fate_of(&c, &rows[3], &o), FM_FATE_ACTIVE);
	/* the merge base unknown: the base tag's date stands in */
	rows[3].base_date.time = TIP - 800 * DAY;
	rows[3].base_date.set = 1;
	assert_int_equal(fm_fate_of(&c, &rows[3], &o), FM_FATE_HARD_FORK);
	c.head_date.set = 0; /* no upstream tip date */
	assert_int_equal(fm_fate_of(&c, &rows[3], &o), FM_FATE_ACTIVE);
}

static int64_t fixed_now(void *payload)
{
	return *(int64_t *)payload;
}

static void no_sleep(void *payload, int64_t seconds)
{
	(void)payload;
	(void)seconds;
}

/* The exports judge a census that never finished by the context's clock,
 * and a finished one by its end (a stored run reads the same tomorrow). */
static char *export(fm_census *c, int64_t now, int json)
{
	fm_clock clock = {fixed_now, no_sleep, &now};
	fm_ctx *ctx;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(fm_ctx_new(&ctx), 0);
	fm_ctx_set_clock(ctx, &clock);
	assert_int_equal(json ? fm_export_json(ctx, c, 1, f)
			      : fm_export_csv(ctx, c, 1, f),
			 0);
	fm_ctx_free(ctx);
	fclose(f);
	return text;
}

static void test_exports_use_the_injected_clock(void **state)
{
	fm_row rows[] = {row("acme", 3, 10, 0), row("gone", 4, 1, 1)};
	fm_census c = census_of(rows, 2);
	char *text;

	(void)state;
	rows[1].error = (char *)"404 not found";
	text = export(&c, NOW, 0);
	/* the column sits after the contract fields, before error */
	assert_non_null(strstr(text, ",stars,patches,fate,error,skipped\n"));
	assert_non_null(strstr(text, ",active,,\n"));
	assert_non_null(strstr(text, ",,404 not found,\n"));
	free(text);
	text = export(&c, NOW + 400 * DAY, 0);
	assert_non_null(strstr(text, ",quiet,,\n"));
	free(text);
	text = export(&c, NOW + 400 * DAY, 1);
	assert_non_null(strstr(text, "\"fate\":\t\"quiet\""));
	assert_non_null(strstr(text, "\"fate\":\tnull"));
	free(text);
	c.finished = NOW; /* a finished run: its end, not the clock */
	text = export(&c, NOW + 400 * DAY, 1);
	assert_non_null(strstr(text, "\"fate\":\t\"active\""));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_and_their_edges),
		cmocka_unit_test(test_unknowns),
		cmocka_unit_test(test_exports_use_the_injected_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
