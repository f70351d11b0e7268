/*
 * The classifier of fm_diff_census on hand-built censuses: each kind of
 * change, what is never compared (unknown values, error rows), identity
 * (source, name, branch) and the order of the result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <forkmap/diff.h>

#define DAY 86400
#define T0 1700000000 /* run A's time */
#define OID(c)                                                                \
	c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c \
		c c c c c

/* A measured row: strings are literals the test never frees. */
static fm_row row(const char *name, const char *head, const char *mb,
		  const char *release, long ahead, long unique,
		  int64_t head_time)
{
	fm_row r;

	memset(&r, 0, sizeof(r));
	r.name = (char *)name;
	r.branch = (char *)"main";
	r.ref = (char *)"refs/heads/forks/x";
	r.source = FM_SOURCE_LOCAL;
	snprintf(r.head, sizeof(r.head), "%s", head);
	snprintf(r.merge_base, sizeof(r.merge_base), "%s", mb);
	r.base_tag = (char *)release;
	r.release = (char *)release;
	r.ahead = ahead;
	r.behind = 0;
	r.unique = unique;
	r.head_date.time = head_time;
	r.head_date.set = 1;
	return r;
}

static fm_census census(fm_row *rows, size_t n, int64_t when)
{
	fm_census c;

	memset(&c, 0, sizeof(c));
	c.upstream = (char *)"up";
	c.branch = (char *)"master";
	c.rows = rows;
	c.nrows = n;
	c.started = when - 60;
	c.finished = when;
	return c;
}

/* The kinds of the change of fork name, 0 when it has none. */
static unsigned kinds_of(const fm_change *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp((v[i].b ? v[i].b : v[i].a)->name, name))
			return v[i].kinds;
	return 0;
}

static unsigned diff_kinds(fm_row *ra, size_t na, fm_row *rb, size_t nb,
			   const char *name, int quiet_days)
{
	fm_census a = census(ra, na, T0), b = census(rb, nb, T0 + 30 * DAY);
	fm_diff_opts opts = FM_DIFF_OPTS_INIT;
	fm_change *v;
	size_t n;
	unsigned k;
	fm_ctx *ctx;

	assert_int_equal(fm_ctx_new(&ctx), 0);
	opts.quiet_days = quiet_days;
	assert_int_equal(fm_diff_census(ctx, &a, &b, &opts, &v, &n), 0);
	k = kinds_of(v, n, name);
	free(v);
	fm_ctx_free(ctx);
	return k;
}

static unsigned one(fm_row a, fm_row b, int quiet_days)
{
	return diff_kinds(&a, 1, &b, 1, a.name, quiet_days);
}

static void test_new_and_gone(void **state)
{
	fm_row a = row("old", OID("1"), OID("9"), "v1.0.0", 2, 2, T0);
	fm_row b = row("young", OID("1"), OID("9"), "v1.0.0", 2, 2, T0);

	(void)state;
	assert_int_equal(diff_kinds(&a, 1, &b, 1, "old", 90), FM_CHANGE_GONE);
	assert_int_equal(diff_kinds(&a, 1, &b, 1, "young", 90), FM_CHANGE_NEW);
}

static void test_moved_rebased_gained_lost(void **state)
{
	fm_row a = row("f", OID("1"), OID("9"), "v1.0.0", 2, 2, T0);
	fm_row b = a;

	(void)state;
	assert_int_equal(one(a, b, 90), 0);
	snprintf(b.head, sizeof(b.head), "%s", OID("2"));
	b.unique = 3;
	assert_int_equal(one(a, b, 90), FM_CHANGE_MOVED | FM_CHANGE_GAINED);
	/* a rebase onto a newer release: merge base and release change */
	b = a;
	snprintf(b.head, sizeof(b.head), "%s", OID("2"));
	snprintf(b.merge_base, sizeof(b.merge_base), "%s", OID("8"));
	b.release = (char *)"v1.1.0";
	b.unique = 1;
	assert_int_equal(one(a, b, 90),
			 FM_CHANGE_MOVED | FM_CHANGE_REBASED | FM_CHANGE_LOST);
	/* the release alone (tags.release changed between the runs) */
	b = a;
	b.release = (char *)"";
	assert_int_equal(one(a, b, 90), FM_CHANGE_REBASED);
}

static void test_upstreamed_when_unique_drops_under_a_still_head(void **state)
{
	fm_row a = row("f", OID("1"), OID("9"), "v1.0.0", 2, 2, T0);
	fm_row b = a;

	(void)state;
	b.unique = 0; /* upstream cherry-picked both patches */
	b.behind = 2;
	assert_int_equal(one(a, b, 90), FM_CHANGE_LOST | FM_CHANGE_UPSTREAMED);
	/* upstream merged the branch whole: skipped, unique never counted */
	b = a;
	b.skipped = (char *)"ahead == 0";
	b.ahead = 0;
	b.unique = -1;
	b.merge_base[0] = '\0';
	b.release = (char *)"";
	b.head_date.set = 0;
	assert_int_equal(one(a, b, 90), FM_CHANGE_LOST | FM_CHANGE_UPSTREAMED);
	/* the fork dropped its own work: lost, not upstreamed */
	b = a;
	snprintf(b.head, sizeof(b.head), "%s", OID("2"));
	b.unique = 1;
	assert_int_equal(one(a, b, 90), FM_CHANGE_MOVED | FM_CHANGE_LOST);
}

static void test_quiet_and_back_at_each_runs_time(void **state)
{
	/* last commit 20 days before A: with 30 quiet days, quiet by B */
	fm_row a = row("f", OID("1"), OID("9"), "v1.0.0", 2, 2, T0 - 20 * DAY);
	fm_row b = a;

	(void)state;
	assert_int_equal(one(a, b, 30), FM_CHANGE_QUIET);
	assert_int_equal(one(a, b, 60), 0); /* quiet in neither */
	assert_int_equal(one(a, b, 10), 0); /* quiet in both */
	/* quiet at A, a commit a day before B: back */
	snprintf(b.head, sizeof(b.head), "%s", OID("2"));
	b.head_date.time = T0 + 29 * DAY;
	assert_int_equal(one(a, b, 10), FM_CHANGE_MOVED | FM_CHANGE_BACK);
	/* moved, but to a commit itself quiet: not back */
	b.head_date.time = T0 - 15 * DAY;
	assert_int_equal(one(a, b, 10), FM_CHANGE_MOVED);
}

static void test_error_rows_are_failing_or_fixed_only(void **state)
{
	fm_row a = row("f", OID("1"), OID("9"), "v1.0.0", 2, 2, T0);
	fm_row b = row("f", "", "", "", -1, -1, 0);
	fm_row ok = row("n", OID("1"), OID("9"), "v1.0.0", 2, 2, T0);
	fm_row bad = row("n", "", "", "", -1, -1, 0);

	(void)state;
	b.head_date.set = 0;
	b.error = (char *)"cannot fetch";
	assert_int_equal(one(a, b, 90), FM_CHANGE_FAILING);
	assert_int_equal(one(b, a, 90), FM_CHANGE_FIXED);
	assert_int_equal(one(b, b, 90), 0);
	/* a new fork that fails is new and failing */
	bad.error = (char *)"no common history";
	assert_int_equal(diff_kinds(&ok, 0, &bad, 1, "n", 90),
			 FM_CHANGE_NEW | FM_CHANGE_FAILING);
}

static void test_unknown_values_are_no_change(void **state)
{
	/* skipped by name: never walked, nothing known but the identity */
	fm_row a = row("staging", "", "", "", -1, -1, 0);
	fm_row b = a;

	(void)state;
	a.skipped = b.skipped = (char *)"branch matches 'staging'";
	a.head_date.set = b.head_date.set = 0;
	assert_int_equal(one(a, b, 90), 0);
}

static void test_identity_is_source_name_and_branch(void **state)
{
	fm_row a[2], b[2];
	fm_census ca, cb;
	fm_diff_opts opts = FM_DIFF_OPTS_INIT;
	fm_change *v;
	size_t n;
	fm_ctx *ctx;

	(void)state;
	a[0] = row("zed", OID("1"), OID("9"), "v1.0.0", 2, 2, T0);
	a[1] = row("acme", OID("1"), OID("9"), "v1.0.0", 2, 2, T0);
	b[0] = a[1];
	b[1] = a[0];
	b[1].source = FM_SOURCE_CONFIG; /* another fork of the same name */
	ca = census(a, 2, T0);
	cb = census(b, 2, T0 + DAY);
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_diff_census(ctx, &ca, &cb, &opts, &v, &n), 0);
	assert_int_equal(n,
			 2); /* acme: no change; zed local gone, config new */
	assert_string_equal(v[0].a->name, "zed");
	assert_int_equal(v[0].kinds, FM_CHANGE_GONE);
	assert_null(v[0].b);
	assert_int_equal(v[1].kinds, FM_CHANGE_NEW);
	assert_int_equal(v[1].b->source, FM_SOURCE_CONFIG);
	free(v);
	/* identical runs: nothing, and no array */
	assert_int_equal(fm_diff_census(ctx, &ca, &ca, &opts, &v, &n), 0);
	assert_int_equal(n, 0);
	assert_null(v);
	opts.quiet_days = 0;
	assert_int_equal(fm_diff_census(ctx, &ca, &cb, &opts, &v, &n),
			 FM_EINVAL);
	assert_non_null(strstr(fm_ctx_errmsg(ctx), "--quiet-days"));
	fm_ctx_free(ctx);
}

static void test_kind_names(void **state)
{
	int i;

	(void)state;
	assert_string_equal(fm_change_kind_name(FM_CHANGE_NEW), "new");
	assert_string_equal(fm_change_kind_name(FM_CHANGE_UPSTREAMED),
			    "upstreamed");
	assert_string_equal(fm_change_kind_name(FM_CHANGE_FIXED), "fixed");
	for (i = 0; i < FM_CHANGE_KINDS; i++)
		assert_non_null(fm_change_kind_name((fm_change_kind)(1 << i)));
	assert_null(fm_change_kind_name((fm_change_kind)0));
	assert_null(fm_change_kind_name(
		(fm_change_kind)(FM_CHANGE_NEW | FM_CHANGE_GONE)));
	assert_null(
		fm_change_kind_name((fm_change_kind)(1 << FM_CHANGE_KINDS)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_and_gone),
		cmocka_unit_test(test_moved_rebased_gained_lost),
		cmocka_unit_test(
			test_upstreamed_when_unique_drops_under_a_still_head),
		cmocka_unit_test(test_quiet_and_back_at_each_runs_time),
		cmocka_unit_test(test_error_rows_are_failing_or_fixed_only),
		cmocka_unit_test(test_unknown_values_are_no_change),
		cmocka_unit_test(test_identity_is_source_name_and_branch),
		cmocka_unit_test(test_kind_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
