/* Render options: names, parsing, and the check before any work. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <forkmap/render.h>

#include "graph/options.h"

static void test_format_from_path_and_names(void **state)
{
	fm_render_format f;
	fm_render_weight w;
	fm_render_label l;
	fm_render_theme t;

	(void)state;
	assert_int_equal(fm_render_format_from_path("a/forks.svg"),
			 FM_FORMAT_SVG);
	assert_int_equal(fm_render_format_from_path("FORKS.PNG"),
			 FM_FORMAT_PNG);
	assert_int_equal(fm_render_format_from_path("x.pdf"), FM_FORMAT_PDF);
	assert_int_equal(fm_render_format_from_path("x.gv"), FM_FORMAT_DOT);
	assert_int_equal(fm_render_format_from_path("x.dot"), FM_FORMAT_DOT);
	assert_int_equal(fm_render_format_from_path("x.jpeg"), FM_FORMAT_AUTO);
	assert_int_equal(fm_render_format_from_path("dir.svg/x"),
			 FM_FORMAT_AUTO);
	assert_int_equal(fm_render_format_from_path("x."), FM_FORMAT_AUTO);
	assert_int_equal(fm_render_format_from_path(NULL), FM_FORMAT_AUTO);
	assert_int_equal(fm_render_format_parse("pdf", &f), 0);
	assert_int_equal(f, FM_FORMAT_PDF);
	assert_int_equal(fm_render_format_parse("auto", &f), FM_EINVAL);
	assert_int_equal(fm_render_format_parse("jpg", &f), FM_EINVAL);
	assert_int_equal(fm_render_weight_parse("unique", &w), 0);
	assert_int_equal(w, FM_WEIGHT_UNIQUE);
	assert_int_equal(fm_render_weight_parse("stars", &w), FM_EINVAL);
	assert_int_equal(fm_render_weight_parse("patches", &w), 0);
	assert_int_equal(w, FM_WEIGHT_PATCHES);
	assert_string_equal(fm_render_weight_name(FM_WEIGHT_PATCHES),
			    "patches");
	assert_int_equal(fm_render_label_parse("both", &l), 0);
	assert_int_equal(l, FM_LABEL_BOTH);
	assert_int_equal(fm_render_theme_parse("dark", &t), 0);
	assert_int_equal(t, FM_THEME_DARK);
	assert_int_equal(fm_render_theme_parse("Dark", &t), FM_EINVAL);
	assert_string_equal(fm_render_format_name(FM_FORMAT_PNG), "png");
	assert_string_equal(fm_render_weight_name(FM_WEIGHT_LINES), "lines");
}

static void check_rejected(const fm_render_opts *o, const char *msg)
{
	fm_ctx *ctx;

	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_render_opts_check(ctx, o), FM_EINVAL);
	assert_int_equal(fm_ctx_errcode(ctx), FM_EINVAL);
	assert_string_equal(fm_ctx_errmsg(ctx), msg);
	fm_ctx_free(ctx);
}

static void test_opts_check_rejects_bad_fields(void **state)
{
	fm_render_opts o = FM_RENDER_OPTS_INIT;
	fm_ctx *ctx;

	(void)state;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_render_opts_check(ctx, &o), 0);
	o.width = 1000;
	o.height = 0.5;
	o.dpi = 2400;
	assert_int_equal(fm_render_opts_check(ctx, &o), 0);
	fm_ctx_free(ctx);

	o = (fm_render_opts)FM_RENDER_OPTS_INIT;
	o.format = (fm_render_format)5;
	check_rejected(&o, "unknown output format 5");
	o = (fm_render_opts)FM_RENDER_OPTS_INIT;
	o.weight = (fm_render_weight)4;
	check_rejected(&o, "unknown edge weight 4");
	o = (fm_render_opts)FM_RENDER_OPTS_INIT;
	o.label = (fm_render_label)4;
	check_rejected(&o, "unknown label mode 4");
	o = (fm_render_opts)FM_RENDER_OPTS_INIT;
	o.theme = (fm_render_theme)2;
	check_rejected(&o, "unknown theme 2");
	o = (fm_render_opts)FM_RENDER_OPTS_INIT;
	o.width = 1000.5;
	check_rejected(&o, "figure size must be 0 to 1000 inches");
	o = (fm_render_opts)FM_RENDER_OPTS_INIT;
	o.height = -1;
	check_rejected(&o, "figure size must be 0 to 1000 inches");
	o = (fm_render_opts)FM_RENDER_OPTS_INIT;
	o.dpi = 2401;
	check_rejected(&o, "dpi must be 0 to 2400");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_from_path_and_names),
		cmocka_unit_test(test_opts_check_rejects_bad_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
