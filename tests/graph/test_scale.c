/* Legend scales: date ticks, round reference values, compact numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "graph/scale.h"

static int64_t ymd(int y, int m, int d)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	return (int64_t)timegm(&tm);
}

static void labels(const int64_t *t, size_t n, char out[][FM_SCALE_MONTH_MAX])
{
	size_t i;

	for (i = 0; i < n; i++)
		fm_scale_month(t[i], out[i]);
}

static void test_ticks_pick_a_calendar_step(void **state)
{
	int64_t t[8];
	char s[8][FM_SCALE_MONTH_MAX];
	size_t n;

	(void)state;
	/* four years: yearly ticks in January */
	n = fm_scale_date_ticks(ymd(2020, 4, 28), ymd(2024, 6, 1), 6, t);
	labels(t, n, s);
	assert_int_equal(n, 4);
	assert_string_equal(s[0], "2021-01");
	assert_string_equal(s[3], "2024-01");
	/* eight months: every two months, counted from January */
	n = fm_scale_date_ticks(ymd(2023, 1, 15), ymd(2023, 9, 1), 5, t);
	labels(t, n, s);
	assert_int_equal(n, 4);
	assert_string_equal(s[0], "2023-03");
	assert_string_equal(s[1], "2023-05");
	assert_string_equal(s[3], "2023-09");
	/* a month start on the edge counts */
	n = fm_scale_date_ticks(ymd(2023, 1, 1), ymd(2023, 3, 1), 6, t);
	assert_int_equal(n, 3);
	assert_int_equal(t[0], ymd(2023, 1, 1));
	/* thirty years, at most five ticks: every ten years */
	n = fm_scale_date_ticks(ymd(1995, 1, 1), ymd(2025, 1, 1), 5, t);
	labels(t, n, s);
	assert_int_equal(n, 3);
	assert_string_equal(s[0], "2000-01");
	assert_string_equal(s[2], "2020-01");
}

static void test_ticks_in_short_ranges(void **state)
{
	int64_t t[8];

	(void)state;
	assert_int_equal(
		fm_scale_date_ticks(ymd(2023, 1, 3), ymd(2023, 1, 20), 5, t),
		0);
	assert_int_equal(
		fm_scale_date_ticks(ymd(2023, 1, 20), ymd(2023, 2, 3), 5, t),
		1);
	assert_int_equal(
		fm_scale_date_ticks(ymd(2023, 2, 3), ymd(2023, 1, 20), 5, t),
		0);
	/* before 1970 works too */
	assert_int_equal(
		fm_scale_date_ticks(ymd(1969, 11, 15), ymd(1970, 2, 2), 5, t),
		3);
	assert_int_equal(t[0], ymd(1969, 12, 1));
}

/* Too short for months: midnights every 1, 2, 7 (Mondays) or 14 days. */
static void test_day_ticks(void **state)
{
	int64_t t[16];
	char buf[FM_SCALE_DAY_MAX];
	size_t n;
	/* 2024-03-04 is a Monday */
	const int64_t mon = 1709510400, day = 86400;

	(void)state;
	n = fm_scale_day_ticks(mon + 3600, mon + 3 * day + 60, 8, t);
	assert_int_equal(n, 3); /* 05, 06, 07: midnights inside */
	assert_string_equal(fm_scale_day(t[0], buf), "2024-03-05");
	assert_int_equal(t[1] - t[0], day);
	n = fm_scale_day_ticks(mon - day, mon + 40 * day, 6, t);
	assert_int_equal(n, 6); /* weekly, on Mondays */
	assert_string_equal(fm_scale_day(t[0], buf), "2024-03-04");
	assert_int_equal(t[1] - t[0], 7 * day);
	n = fm_scale_day_ticks(mon - day, mon + 40 * day, 4, t);
	assert_int_equal(t[1] - t[0], 14 * day);
	assert_true(n >= 2 && n <= 4);
	assert_int_equal(fm_scale_day_ticks(mon + 10, mon + 20, 4, t), 0);
}

static void test_nice_floor(void **state)
{
	(void)state;
	assert_true(fm_scale_nice_floor(2150000) == 2000000);
	assert_true(fm_scale_nice_floor(999) == 500);
	assert_true(fm_scale_nice_floor(1000) == 1000);
	assert_true(fm_scale_nice_floor(4999) == 2000);
	assert_true(fm_scale_nice_floor(1) == 1);
	assert_true(fm_scale_nice_floor(0.5) == 0);
}

static void test_compact(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(fm_scale_compact(950, b, sizeof(b)), "950");
	assert_string_equal(fm_scale_compact(1000, b, sizeof(b)), "1k");
	assert_string_equal(fm_scale_compact(12000, b, sizeof(b)), "12k");
	assert_string_equal(fm_scale_compact(2500000, b, sizeof(b)), "2.5M");
	assert_string_equal(fm_scale_compact(2000000, b, sizeof(b)), "2M");
	assert_string_equal(fm_scale_compact(1.2e9, b, sizeof(b)), "1.2G");
}

static void test_day_and_month(void **state)
{
	char b[FM_SCALE_DAY_MAX];

	(void)state;
	assert_string_equal(fm_scale_day(ymd(2024, 3, 5), b), "2024-03-05");
	assert_string_equal(fm_scale_month(ymd(2024, 3, 5), b), "2024-03");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ticks_pick_a_calendar_step),
		cmocka_unit_test(test_ticks_in_short_ranges),
		cmocka_unit_test(test_day_ticks),
		cmocka_unit_test(test_nice_floor),
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_day_and_month),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
