/* Dates: printed as git prints them, parsed back, bad ones refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <forkmap/common.h>
#include <forkmap/date.h>

static fm_date mkdate(int64_t t, int offset)
{
	fm_date d = {t, offset, 1};

	return d;
}

/*
 * Expected strings are what git 2.39 prints with --format=%cI for a commit
 * made with GIT_COMMITTER_DATE="@TIME OFFSET".
 */
static const struct {
	int64_t time;
	int offset;
	const char *iso;
	const char *dmy;
} git_dates[] = {
	{1709643731, 60, "2024-03-05T14:02:11+01:00", "05/03/2024"},
	{1709643731, 330, "2024-03-05T18:32:11+05:30", "05/03/2024"},
	{1709643731, -210, "2024-03-05T09:32:11-03:30", "05/03/2024"},
	{1709643731, 0, "2024-03-05T13:02:11+00:00", "05/03/2024"},
	{0, 0, "1970-01-01T00:00:00+00:00", "01/01/1970"},
	{100000, -60, "1970-01-02T02:46:40-01:00", "02/01/1970"},
	{4102444800, 840, "2100-01-01T14:00:00+14:00", "01/01/2100"},
	{4102444800, -720, "2099-12-31T12:00:00-12:00", "31/12/2099"},
	{1709683200, -60, "2024-03-05T23:00:00-01:00", "05/03/2024"},
	{1709683200, 60, "2024-03-06T01:00:00+01:00", "06/03/2024"},
	{1709164800, 0, "2024-02-29T00:00:00+00:00", "29/02/2024"},
	{951782400, 345, "2000-02-29T05:45:00+05:45", "29/02/2000"},
};

static void test_date_iso_matches_git(void **state)
{
	char buf[FM_DATE_ISO_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(git_dates) / sizeof(git_dates[0]); i++) {
		fm_date d = mkdate(git_dates[i].time, git_dates[i].offset);

		assert_string_equal(fm_date_iso(&d, buf), git_dates[i].iso);
		assert_string_equal(fm_date_dmy(&d, buf), git_dates[i].dmy);
	}
}

static void test_date_unset_is_empty(void **state)
{
	char buf[FM_DATE_ISO_MAX] = "junk";
	fm_date d = {12345, 60, 0};

	(void)state;
	assert_string_equal(fm_date_iso(&d, buf), "");
	strcpy(buf, "junk");
	assert_string_equal(fm_date_dmy(&d, buf), "");
}

/* git cannot store these (timestamps are unsigned), libgit2 can. */
static void test_date_before_1970(void **state)
{
	char buf[FM_DATE_ISO_MAX];
	fm_date d = mkdate(-1, 0), back;

	(void)state;
	assert_string_equal(fm_date_iso(&d, buf), "1969-12-31T23:59:59+00:00");
	d = mkdate(1, -60);
	assert_string_equal(fm_date_iso(&d, buf), "1969-12-31T23:00:01-01:00");
	d = mkdate(-2208988800LL, 0);
	assert_string_equal(fm_date_iso(&d, buf), "1900-01-01T00:00:00+00:00");
	assert_string_equal(fm_date_dmy(&d, buf), "01/01/1900");
	assert_int_equal(fm_date_parse("1900-01-01T00:00:00+00:00", &back), 0);
	assert_true(back.time == -2208988800LL);
}

static void test_date_parse_round_trip(void **state)
{
	char buf[FM_DATE_ISO_MAX];
	fm_date d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(git_dates) / sizeof(git_dates[0]); i++) {
		assert_int_equal(fm_date_parse(git_dates[i].iso, &d), 0);
		assert_int_equal(d.set, 1);
		assert_true(d.time == git_dates[i].time);
		assert_int_equal(d.offset, git_dates[i].offset);
		assert_string_equal(fm_date_iso(&d, buf), git_dates[i].iso);
	}
}

static void test_date_parse_forms(void **state)
{
	fm_date d;

	(void)state;
	/* git >= 2.45 and GitHub write UTC as Z */
	assert_int_equal(fm_date_parse("2024-03-05T13:02:11Z", &d), 0);
	assert_true(d.time == 1709643731);
	assert_int_equal(d.offset, 0);
	/* git's %ci */
	assert_int_equal(fm_date_parse("2024-03-05 14:02:11 +0100", &d), 0);
	assert_true(d.time == 1709643731);
	assert_int_equal(d.offset, 60);
	/* plain date and dd/mm/YYYY: UTC midnight */
	assert_int_equal(fm_date_parse("2024-03-05", &d), 0);
	assert_true(d.time == 1709596800);
	assert_int_equal(d.offset, 0);
	assert_int_equal(fm_date_parse("05/03/2024", &d), 0);
	assert_true(d.time == 1709596800);
	assert_int_equal(d.set, 1);
	assert_int_equal(fm_date_parse(" 5/3/2024 ", &d), 0);
	assert_true(d.time == 1709596800);
	assert_int_equal(fm_date_parse("29/02/2024", &d), 0);
	/* empty: unset, not an error */
	d.set = 1;
	assert_int_equal(fm_date_parse("", &d), 0);
	assert_int_equal(d.set, 0);
	assert_int_equal(fm_date_parse(NULL, &d), 0);
	assert_int_equal(d.set, 0);
}

static void test_date_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"garbage",
		"2024-13-01",
		"2024-02-30",
		"2023-02-29",
		"31/02/2024",
		"2024-03-05T14:02:11", /* no offset: whose local time? */
		"2024-03-05T25:00:00Z",
		"2024-03-05T14:60:00Z",
		"2024-03-05T14:02:11+01:60",
		"2024-03-05T14:02:11+1",
		"2024-03-05T14:02:11Zjunk",
		"2024-3-5",
		"05/03/24",
		"05-03-2024",
	};
	fm_date d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d.set = 1;
		assert_int_equal(fm_date_parse(bad[i], &d), FM_EINVAL);
		assert_int_equal(d.set, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_iso_matches_git),
		cmocka_unit_test(test_date_unset_is_empty),
		cmocka_unit_test(test_date_before_1970),
		cmocka_unit_test(test_date_parse_round_trip),
		cmocka_unit_test(test_date_parse_forms),
		cmocka_unit_test(test_date_parse_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
