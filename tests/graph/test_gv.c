/* graphviz attributes as the figure sets them, and graphviz's errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "graph/gv.h"

static void test_gv_sets_attributes(void **state)
{
	Agraph_t *g;
	Agnode_t *n;
	fm_ctx *ctx;

	(void)state;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_non_null(g = agopen("t", Agundirected, NULL));
	assert_non_null(n = agnode(g, "a", 1));
	assert_int_equal(fm_gv_set(ctx, n, "shape", "circle"), 0);
	assert_string_equal(agget(n, "shape"), "circle");
	/* a new attribute's default is "": other nodes do not get it */
	assert_non_null(agnode(g, "b", 1));
	assert_string_equal(agget(agnode(g, "b", 0), "shape"), "");
	assert_int_equal(fm_gv_set_num(ctx, n, "width", 3, 0.12345), 0);
	assert_string_equal(agget(n, "width"), "0.123");
	assert_int_equal(fm_gv_set_num(ctx, n, "fontsize", 0, 14.0), 0);
	assert_string_equal(agget(n, "fontsize"), "14");
	assert_int_equal(fm_gv_pin(ctx, n, 1.005, -20), 0);
	assert_string_equal(agget(n, "pos"), "1.00,-20.00!");
	/* an HTML-like label keeps its markup and is marked as HTML */
	assert_int_equal(fm_gv_set_html(ctx, g, n, "label", "<B>x</B>"), 0);
	assert_string_equal(agget(n, "label"), "<B>x</B>");
	assert_true(aghtmlstr(agget(n, "label")));
	agclose(g);
	fm_ctx_free(ctx);
}

static void test_gv_failed_keeps_graphviz_message(void **state)
{
	fm_ctx *ctx;
	int level;

	(void)state;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	level = agseterr(AGMAX);
	agreseterrors();
	agerr(AGERR, "bad thing happened \n");
	assert_int_equal(fm_gv_failed(ctx, "graphviz layout"), FM_ERENDER);
	assert_int_equal(fm_ctx_errcode(ctx), FM_ERENDER);
	/* trailing blanks and newlines trimmed */
	assert_string_equal(fm_ctx_errmsg(ctx),
			    "graphviz layout failed: bad thing happened");
	agreseterrors();
	assert_int_equal(fm_gv_failed(ctx, "graphviz rendering"), FM_ERENDER);
	agseterr(level);
	fm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gv_sets_attributes),
		cmocka_unit_test(test_gv_failed_keeps_graphviz_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
