/* The CSV format shared by writer and reader: its one column table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <strings.h>

#include "export/csv.h"
#include "export_fixture.h"

/* The header the writer puts out is the table, in the table's order. */
static void test_header_is_the_column_table(void **state)
{
	fm_census *c = census_new(0);
	char *out = export_str(c, 0, 0), want[1024] = "";
	int i;

	(void)state;
	for (i = 0; i < FM_CSV_NCOLUMNS; i++) {
		assert_non_null(fm_csv_columns[i]);
		if (i)
			strcat(want, ",");
		strcat(want, fm_csv_columns[i]);
	}
	strcat(want, "\n");
	assert_string_equal(out, want);
	/* the seed format's eight columns come first */
	assert_true(strncmp(want, FM_CSV_SEED_HEADER ",",
			    strlen(FM_CSV_SEED_HEADER) + 1) == 0);
	free(out);
	fm_census_free(c);
}

/* The reader matches names ignoring case: no two may collide. */
static void test_column_names_distinct(void **state)
{
	int i, j;

	(void)state;
	for (i = 0; i < FM_CSV_NCOLUMNS; i++)
		for (j = i + 1; j < FM_CSV_NCOLUMNS; j++)
			assert_true(strcasecmp(fm_csv_columns[i],
					       fm_csv_columns[j]) != 0);
}

static void test_formula_guard(void **state)
{
	(void)state;
	assert_true(fm_csv_needs_guard("=1"));
	assert_true(fm_csv_needs_guard("+1"));
	assert_true(fm_csv_needs_guard("-1"));
	assert_true(fm_csv_needs_guard("@x"));
	assert_true(fm_csv_needs_guard("\tx"));
	assert_true(fm_csv_needs_guard("\rx"));
	/* quotes in front of a formula: guarded again */
	assert_true(fm_csv_needs_guard("''=x"));
	assert_false(fm_csv_needs_guard("'plain"));
	assert_false(fm_csv_needs_guard("'"));
	assert_false(fm_csv_needs_guard(""));
	assert_false(fm_csv_needs_guard("a=b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_is_the_column_table),
		cmocka_unit_test(test_column_names_distinct),
		cmocka_unit_test(test_formula_guard),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
