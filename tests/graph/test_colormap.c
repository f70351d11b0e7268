/* The viridis colour map and label contrast. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "graph/colormap.h"

static void test_viridis_ends_and_known_points(void **state)
{
	char hex[FM_COLOR_HEX_MAX];

	(void)state;
	assert_string_equal(fm_color_hex(fm_colormap_viridis(0), hex),
			    "#440154");
	assert_string_equal(fm_color_hex(fm_colormap_viridis(1), hex),
			    "#fde725");
	/* entries 128 and 64 of matplotlib's table */
	assert_string_equal(fm_color_hex(fm_colormap_viridis(128.0 / 255), hex),
			    "#21918c");
	assert_string_equal(fm_color_hex(fm_colormap_viridis(64.0 / 255), hex),
			    "#3b528b");
	/* between entries: interpolated, not snapped */
	assert_string_equal(fm_color_hex(fm_colormap_viridis(0.5), hex),
			    "#21918d");
}

static void test_viridis_clamps(void **state)
{
	(void)state;
	assert_int_equal(fm_colormap_viridis(-3), 0x440154);
	assert_int_equal(fm_colormap_viridis(7), 0xfde725);
	assert_int_equal(fm_colormap_viridis(0.0 / 0.0), 0x440154);
}

static void test_viridis_gets_lighter(void **state)
{
	double prev = -1;
	int i;

	(void)state;
	/* perceptually ordered: luminance rises all the way */
	for (i = 0; i <= 100; i++) {
		double l = fm_color_luminance(fm_colormap_viridis(i / 100.0));

		assert_true(l > prev);
		prev = l;
	}
}

static void test_text_contrasts_with_fill(void **state)
{
	int i;

	(void)state;
	assert_int_equal(fm_color_text_on(0x440154), FM_COLOR_TEXT_LIGHT);
	assert_int_equal(fm_color_text_on(0xfde725), FM_COLOR_TEXT_DARK);
	assert_int_equal(fm_color_text_on(0xffffff), FM_COLOR_TEXT_DARK);
	assert_int_equal(fm_color_text_on(0x000000), FM_COLOR_TEXT_LIGHT);
	/* along the whole map the chosen text keeps WCAG AA for large
	 * text (3:1) */
	for (i = 0; i <= 100; i++) {
		uint32_t fill = fm_colormap_viridis(i / 100.0);

		assert_true(fm_color_contrast(fill, fm_color_text_on(fill)) >=
			    3.0);
	}
}

static void test_hex(void **state)
{
	char hex[FM_COLOR_HEX_MAX];

	(void)state;
	assert_string_equal(fm_color_hex(0x0a0b0c, hex), "#0a0b0c");
	assert_true(fm_color_contrast(0x000000, 0xffffff) > 20.9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_viridis_ends_and_known_points),
		cmocka_unit_test(test_viridis_clamps),
		cmocka_unit_test(test_viridis_gets_lighter),
		cmocka_unit_test(test_text_contrasts_with_fill),
		cmocka_unit_test(test_hex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
