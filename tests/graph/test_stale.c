/* The stale report: which forks, why, in what order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <forkmap/stale.h>

#define DAY 86400
#define NOW ((int64_t)1700000000)

static fm_row row(const char *name, long unique, long idle_days,
		  long base_days_before_tip)
{
	fm_row r;

	memset(&r, 0, sizeof(r));
	r.name = (char *)name;
	r.branch = (char *)"main";
	r.release = (char *)"v1.0.0";
	r.ahead = unique + 1;
	r.unique = unique;
	r.head_date.time = NOW - idle_days * DAY;
	r.head_date.set = 1;
	r.merge_base_date.time = NOW - 10 * DAY - base_days_before_tip * DAY;
	r.merge_base_date.set = 1;
	return r;
}

static fm_census census_of(fm_row *rows, size_t n)
{
	fm_census c;

	memset(&c, 0, sizeof(c));
	c.rows = rows;
	c.nrows = n;
	c.head_date.time = NOW - 10 * DAY; /* upstream tip */
	c.head_date.set = 1;
	return c;
}

static fm_stale *find(fm_census *c, fm_stale_opts *o, size_t *n)
{
	fm_ctx *ctx;
	fm_stale *out = NULL;

	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_stale_find(ctx, c, o, &out, n), 0);
	fm_ctx_free(ctx);
	return out;
}

static void test_quiet_forks_with_unique_work(void **state)
{
	fm_row rows[] = {
		row("active", 5, 10, 0),	 /* recent: not stale */
		row("quiet", 3, 200, 0),	 /* > 6 months */
		row("quiet-nothing", 0, 900, 0), /* no unique work */
		row("edge", 1, 182, 0),		 /* exactly 6 months */
		row("just-not", 1, 181, 0),
	};
	fm_census c = census_of(rows, 5);
	fm_stale_opts o = FM_STALE_OPTS_INIT;
	fm_stale *s;
	size_t n;

	(void)state;
	o.now = NOW;
	s = find(&c, &o, &n);
	assert_int_equal(n, 2);
	assert_string_equal(s[0].row->name, "quiet"); /* most unique first */
	assert_int_equal(s[0].reasons, FM_STALE_QUIET);
	assert_int_equal(s[0].idle_days, 200);
	assert_string_equal(s[1].row->name, "edge");
	free(s);
}

static void test_far_behind_and_disabled(void **state)
{
	fm_row rows[] = {
		row("old-base", 2, 5, 800), /* active, but 800 days behind */
		row("both", 2, 400, 800),
		row("near", 9, 5, 100),
	};
	fm_census c = census_of(rows, 3);
	fm_stale_opts o = FM_STALE_OPTS_INIT;
	fm_stale *s;
	size_t n;

	(void)state;
	o.now = NOW;
	s = find(&c, &o, &n);
	assert_int_equal(n, 2);
	/* the abandoned fork first, then the hard fork, apart from it */
	assert_string_equal(s[0].row->name, "both");
	assert_int_equal(s[0].fate, FM_FATE_QUIET);
	assert_int_equal(s[0].reasons, FM_STALE_QUIET | FM_STALE_BEHIND);
	assert_string_equal(s[1].row->name, "old-base");
	assert_int_equal(s[1].fate, FM_FATE_HARD_FORK);
	assert_int_equal(s[1].reasons, FM_STALE_BEHIND);
	assert_int_equal(s[1].base_days, 800);
	free(s);

	/* more unique work does not put a hard fork above abandoned ones */
	rows[0].unique = 50;
	s = find(&c, &o, &n);
	assert_int_equal(n, 2);
	assert_string_equal(s[0].row->name, "both");
	free(s);
	rows[0].unique = 2;

	o.base_months = 0; /* the rule switched off */
	s = find(&c, &o, &n);
	assert_int_equal(n, 1);
	assert_string_equal(s[0].row->name, "both");
	assert_int_equal(s[0].reasons, FM_STALE_QUIET);
	free(s);
}

static void test_errors_and_skips_are_not_stale(void **state)
{
	fm_row rows[] = {row("broken", 4, 900, 900),
			 row("skipped", 4, 900, 900), row("none", 4, 1, 1)};
	fm_census c = census_of(rows, 3);
	fm_stale_opts o = FM_STALE_OPTS_INIT;
	fm_ctx *ctx;
	fm_stale *s = (fm_stale *)&o;
	size_t n = 99;

	(void)state;
	rows[0].error = (char *)"no common history";
	rows[1].skipped = (char *)"ahead == 0";
	o.now = NOW;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_stale_find(ctx, &c, &o, &s, &n), 0);
	assert_int_equal(n, 0);
	assert_null(s);
	o.idle_months = -1;
	assert_int_equal(fm_stale_find(ctx, &c, &o, &s, &n), FM_EINVAL);
	fm_ctx_free(ctx);
}

/* --rank patches: distinct patches first; unknown counts rank by unique. */
static void test_rank_by_patches(void **state)
{
	fm_row rows[] = {
		row("rebaser", 50, 200, 0), /* one patch carried 50 times */
		row("two", 4, 200, 0),
		row("old-run", 3, 200, 0), /* stored before patches: -1 */
	};
	fm_census c = census_of(rows, 3);
	fm_stale_opts o = FM_STALE_OPTS_INIT;
	fm_stale *s;
	size_t n;

	(void)state;
	rows[0].patches = 1;
	rows[1].patches = 4;
	rows[2].patches = -1;
	o.now = NOW;
	s = find(&c, &o, &n);
	assert_int_equal(n, 3);
	assert_string_equal(s[0].row->name, "rebaser");
	free(s);
	o.rank = FM_STALE_RANK_PATCHES;
	s = find(&c, &o, &n);
	assert_int_equal(n, 3);
	assert_string_equal(s[0].row->name, "two");
	assert_string_equal(s[1].row->name, "old-run");
	assert_string_equal(s[2].row->name, "rebaser");
	assert_int_equal(s[2].work, 1);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quiet_forks_with_unique_work),
		cmocka_unit_test(test_far_behind_and_disabled),
		cmocka_unit_test(test_errors_and_skips_are_not_stale),
		cmocka_unit_test(test_rank_by_patches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
