/* The fork network model: trunk, attachment, sizes, widths, colours. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <forkmap/settings.h>

#include "census_fixture.h"
#include "graph/colormap.h"
#include "graph/model.h"

static fm_ctx *ctx;

static int setup(void **state)
{
	(void)state;
	return fm_ctx_new(&ctx);
}

static int teardown(void **state)
{
	(void)state;
	fm_ctx_free(ctx);
	return 0;
}

static fm_model *build_census(const fm_census *c, const fm_render_opts *opts);

static fm_model *build(const fixture *fx, const fm_render_opts *opts)
{
	return build_census(&fx->census, opts);
}

static fm_model *build_census(const fm_census *c, const fm_render_opts *opts)
{
	fm_model *m = NULL;

	fm_ctx_clear_error(ctx);
	assert_int_equal(fm_model_build(ctx, c, opts, &m), 0);
	assert_non_null(m);
	return m;
}

/* The node named `name` (a tag, the tip's branch or a fork). */
static const fm_node *node(const fm_model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nnodes; i++)
		if (!strcmp(m->nodes[i].name, name))
			return &m->nodes[i];
	fail_msg("no node '%s'", name);
	return NULL;
}

static const char *parent(const fm_model *m, const char *name)
{
	const fm_node *n = node(m, name);

	assert_true(n->parent < m->nnodes);
	return m->nodes[n->parent].name;
}

static void qemu_like(fixture *fx)
{
	fx_init(fx, "qemu/qemu", "master");
	/* listed out of date order on purpose */
	fx_release(fx, "v2.0.0", "2021-01-10", 1200000);
	fx_release(fx, "v1.0.0", "2020-01-10", 1000000);
	fx_release(fx, "v3.0.0", "2022-01-10", 1500000);
	fx_tip(fx, "cccccccccccccccccccccccccccccccccccccccc", "2022-06-01",
	       1600000);
	fx_row(fx, "alice/qemu", "v1.0.0", "2020-05-01", 10);
	fx_row(fx, "bob/qemu", "v2.0.0", "2021-05-01", 100);
	fx_row(fx, "carol/qemu", "v3.0.0", "2022-02-01", 1000);
}

static void test_trunk_in_date_order(void **state)
{
	fixture fx;
	fm_model *m;

	(void)state;
	qemu_like(&fx);
	m = build(&fx, NULL);
	assert_int_equal(m->ntrunk, 4);
	assert_string_equal(m->nodes[0].name, "v1.0.0");
	assert_string_equal(m->nodes[1].name, "v2.0.0");
	assert_string_equal(m->nodes[2].name, "v3.0.0");
	assert_string_equal(m->nodes[3].name, "master");
	assert_int_equal(m->nodes[3].kind, FM_NODE_TIP);
	assert_int_equal(m->tip, 3);
	assert_true(m->nodes[0].parent == FM_MODEL_NONE);
	assert_int_equal(m->nodes[1].parent, 0);
	assert_int_equal(m->nodes[2].parent, 1);
	assert_int_equal(m->nodes[3].parent, 2);
	assert_int_equal(m->nforks, 3);
	assert_int_equal(m->nnodes, 7);
	fm_model_free(m);
}

/* Releases of one day, and undated ones, in git's version order. */
static void test_trunk_ties_in_version_order(void **state)
{
	static const char *const want[] = {"v1.2.3", "v1.9.0",	   "v1.10.0",
					   "v2.0.0", "v2.0.0-rc1", "master"};
	fixture fx;
	fm_model *m;
	size_t i;

	(void)state;
	fx_init(&fx, "qemu/qemu", "master");
	fx_release(&fx, "v1.10.0", "2020-01-10", 1000);
	fx_release(&fx, "v2.0.0-rc1", NULL, 1000);
	fx_release(&fx, "v1.2.3", "2020-01-10", 1000);
	fx_release(&fx, "v2.0.0", NULL, 1000);
	fx_release(&fx, "v1.9.0", "2020-01-10", 1000);
	fx_tip(&fx, "cccccccccccccccccccccccccccccccccccccccc", "2022-06-01",
	       2000);
	for (i = 0; i < 5; i++)
		fx_row(&fx, want[i], want[i], "2021-05-01", 10);
	m = build(&fx, NULL);
	assert_int_equal(m->ntrunk, 6);
	for (i = 0; i < 6; i++)
		assert_string_equal(m->nodes[i].name, want[i]);
	fm_model_free(m);
}

static void test_forks_hang_from_their_release(void **state)
{
	fixture fx;
	fm_model *m;

	(void)state;
	qemu_like(&fx);
	m = build(&fx, NULL);
	assert_string_equal(parent(m, "alice/qemu"), "v1.0.0");
	assert_string_equal(parent(m, "bob/qemu"), "v2.0.0");
	assert_string_equal(parent(m, "carol/qemu"), "v3.0.0");
	assert_int_equal(node(m, "carol/qemu")->kind, FM_NODE_FORK);
	assert_ptr_equal(node(m, "carol/qemu")->row, &fx.rows[2]);
	fm_model_free(m);
}

static void test_fork_newer_than_every_release_hangs_from_tip(void **state)
{
	fixture fx;
	fm_model *m;
	fm_row *r;

	(void)state;
	qemu_like(&fx);
	/* no release contains its merge base: based after v3.0.0 */
	r = fx_row(&fx, "dave/qemu", "", "2022-05-01", 5);
	r->base_tag = (char *)"v3.1.0-rc0";
	/* merge base is the upstream tip itself */
	r = fx_row(&fx, "erin/qemu", "v3.0.0", "2022-05-02", 5);
	memcpy(r->merge_base, fx.census.head, sizeof(r->merge_base));
	m = build(&fx, NULL);
	assert_string_equal(parent(m, "dave/qemu"), "master");
	assert_string_equal(parent(m, "erin/qemu"), "master");
	assert_int_equal(m->ntrunk, 4); /* no node for the rc tag */
	fm_model_free(m);
}

static void test_tip_appears_when_needed(void **state)
{
	fixture fx;
	fm_model *m;

	(void)state;
	/* a census without tip information and no fork needing one */
	fx_init(&fx, "", "");
	fx_release(&fx, "v1.0.0", "2020-01-10", 0);
	fx_row(&fx, "alice/x", "v1.0.0", "2020-05-01", 3);
	m = build(&fx, NULL);
	assert_true(m->tip == FM_MODEL_NONE);
	assert_int_equal(m->ntrunk, 1);
	fm_model_free(m);

	/* a fork without release: the tip is made for it, named upstream */
	fx_row(&fx, "bob/x", "", "2021-05-01", 3);
	m = build(&fx, NULL);
	assert_true(m->tip != FM_MODEL_NONE);
	assert_string_equal(m->nodes[m->tip].name, "upstream");
	assert_string_equal(parent(m, "bob/x"), "upstream");
	assert_int_equal(m->nforks, 2);
	fm_model_free(m);
}

static void test_seed_csv_uses_base_tags(void **state)
{
	fixture fx;
	fm_model *m;
	fm_row *r;

	(void)state;
	/* what fm_import_csv gives for the 8-column form: no releases */
	fx_init(&fx, "", "");
	r = fx_row(&fx, "a/x", "", "2023-01-01", 4);
	r->base_tag = (char *)"v2.0";
	r->base_date = fx_date("2021-06-01");
	r = fx_row(&fx, "b/x", "", "2023-02-01", 4);
	r->base_tag = (char *)"v1.0";
	r->base_date = fx_date("2020-06-01");
	r = fx_row(&fx, "c/x", "", "2023-03-01", 4);
	r->base_tag = (char *)"v2.0";
	r->base_date = fx_date("2021-06-01");
	r = fx_row(&fx, "d/x", "", "2023-04-01", 4); /* no tag at all */
	r->base_tag = (char *)"";
	m = build(&fx, NULL);
	assert_int_equal(m->ntrunk, 3);
	assert_string_equal(m->nodes[0].name, "v1.0");
	assert_string_equal(m->nodes[1].name, "v2.0");
	assert_int_equal(m->nodes[0].date.time, fx_date("2020-06-01").time);
	assert_int_equal(m->nodes[1].date.time, fx_date("2021-06-01").time);
	assert_string_equal(parent(m, "a/x"), "v2.0");
	assert_string_equal(parent(m, "b/x"), "v1.0");
	assert_string_equal(parent(m, "c/x"), "v2.0");
	assert_string_equal(parent(m, "d/x"), "upstream");
	/* no tree_lines anywhere: sizes fall back to lines changed */
	assert_int_equal(m->size_basis, FM_SIZE_LINES_CHANGED);
	assert_int_equal(m->trunk_basis, FM_TRUNK_DAYS);
	fm_model_free(m);
}

static void test_release_missing_from_list_is_derived(void **state)
{
	fixture fx;
	fm_model *m;
	fm_row *r;

	(void)state;
	fx_init(&fx, "x/x", "main");
	fx_release(&fx, "v1.0.0", "2020-01-10", 1000);
	fx_row(&fx, "a/x", "v1.0.0", "2020-05-01", 1);
	/* based on v1.1.0 (not in the list) above the tag v1.0.5 */
	r = fx_row(&fx, "b/x", "v1.1.0", "2021-05-01", 1);
	r->base_tag = (char *)"v1.0.5";
	r->base_date = fx_date("2020-03-01");
	r->merge_base_date = fx_date("2020-04-01");
	m = build(&fx, NULL);
	assert_int_equal(m->ntrunk, 3);
	assert_string_equal(m->nodes[2].name, "v1.1.0");
	/* a release is at least as late as the merge bases it contains */
	assert_int_equal(m->nodes[2].date.time, fx_date("2020-04-01").time);
	/* b left after v1.0.5, before the release that contains it */
	assert_int_equal(m->nodes[1].kind, FM_NODE_POINT);
	assert_string_equal(parent(m, "b/x"), "v1.0.5");
	/* tree lines of the derived one are unknown */
	assert_int_equal(m->size_basis, FM_SIZE_LINES_CHANGED);
	fm_model_free(m);
}

static void test_unused_releases_are_left_out(void **state)
{
	fixture fx;
	fm_model *m;

	(void)state;
	fx_init(&fx, "x/x", "main");
	fx_release(&fx, "v1.0.0", "2020-01-10", 1000);
	fx_release(&fx, "v2.0.0", "2021-01-10", 2000);
	fx_release(&fx, "v3.0.0", "2022-01-10", 3000);
	m = build(&fx, NULL); /* no forks: the trunk alone */
	assert_int_equal(m->ntrunk, 3);
	assert_int_equal(m->nforks, 0);
	fm_model_free(m);

	fx_row(&fx, "a/x", "v1.0.0", "2020-05-01", 1);
	fx_row(&fx, "b/x", "v3.0.0", "2022-05-01", 1);
	m = build(&fx, NULL);
	assert_int_equal(m->ntrunk, 2);
	assert_string_equal(m->nodes[0].name, "v1.0.0");
	assert_string_equal(m->nodes[1].name, "v3.0.0");
	assert_int_equal(m->nodes[1].parent, 0);
	fm_model_free(m);
}

static void test_failed_and_skipped_rows_are_not_drawn(void **state)
{
	fixture fx;
	fm_model *m;

	(void)state;
	qemu_like(&fx);
	fx_row(&fx, "broken/qemu", "v1.0.0", "2020-05-01", 0)->error =
		(char *)"404 not found";
	fx_row(&fx, "empty/qemu", "v1.0.0", "2020-05-01", 0)->skipped =
		(char *)"ahead == 0";
	m = build(&fx, NULL);
	assert_int_equal(m->nforks, 3);
	assert_int_equal(m->nmeasured, 3);
	fm_model_free(m);
}

static void test_top_keeps_the_heaviest(void **state)
{
	fm_render_opts opts = FM_RENDER_OPTS_INIT;
	fixture fx;
	fm_model *m;
	size_t i;

	(void)state;
	qemu_like(&fx);
	fx_row(&fx, "zed/qemu", "v1.0.0", "2020-05-01", 100); /* tie: bob */
	opts.top = 2;
	m = build(&fx, &opts);
	assert_int_equal(m->nforks, 2);
	assert_int_equal(m->hidden_top, 2);
	for (i = m->ntrunk; i < m->nnodes; i++)
		assert_true(!strcmp(m->nodes[i].name, "carol/qemu") ||
			    !strcmp(m->nodes[i].name, "bob/qemu"));
	/* only the releases they hang from stay */
	assert_int_equal(m->ntrunk, 3);
	fm_model_free(m);

	/* by lines: alice's 10 ahead become the most lines */
	fx.rows[0].insertions = 1000000;
	opts.top = 1;
	opts.weight = FM_WEIGHT_LINES;
	m = build(&fx, &opts);
	assert_int_equal(m->nforks, 1);
	assert_string_equal(m->nodes[m->ntrunk].name, "alice/qemu");
	assert_true(m->nodes[m->ntrunk].weight == 1000000 + 20);
	fm_model_free(m);

	/* by patches: the fork carrying most distinct patches, not commits */
	for (i = 0; i < fx.census.nrows; i++)
		fx.rows[i].patches = 1;
	fx.rows[fx.census.nrows - 1].patches = 7;
	opts.weight = FM_WEIGHT_PATCHES;
	m = build(&fx, &opts);
	assert_int_equal(m->nforks, 1);
	assert_string_equal(m->nodes[m->ntrunk].name,
			    fx.rows[fx.census.nrows - 1].name);
	assert_true(m->nodes[m->ntrunk].weight == 7);
	fm_model_free(m);
}

static void test_since_hides_old_and_undated_forks(void **state)
{
	fm_render_opts opts = FM_RENDER_OPTS_INIT;
	fixture fx;
	fm_model *m;

	(void)state;
	qemu_like(&fx);
	fx_row(&fx, "nodate/qemu", "v3.0.0", NULL, 7);
	opts.since = fx_date("2021-01-01");
	m = build(&fx, &opts);
	assert_int_equal(m->nforks, 2);
	assert_int_equal(m->hidden_since, 2);
	assert_int_equal(m->nmeasured, 4);
	assert_string_equal(m->nodes[0].name, "v2.0.0");
	fm_model_free(m);
}

static void test_node_area_is_proportional_to_lines(void **state)
{
	fixture fx;
	fm_model *m;
	fm_row *r;
	double big, small;

	(void)state;
	fx_init(&fx, "x/x", "main");
	fx_release(&fx, "v1.0.0", "2020-01-10", 1000000);
	fx_release(&fx, "v2.0.0", "2021-01-10", 4000000);
	r = fx_row(&fx, "a/x", "v1.0.0", "2020-05-01", 1);
	r->insertions = 500;
	r->deletions = 200;
	r = fx_row(&fx, "b/x", "v2.0.0", "2021-05-01", 1);
	r->insertions = 0;
	r->deletions = 9000000; /* more than the tree: floored */
	m = build(&fx, NULL);
	assert_int_equal(m->size_basis, FM_SIZE_TREE_LINES);
	assert_true(m->value_max == 4000000);
	big = node(m, "v2.0.0")->width;
	small = node(m, "v1.0.0")->width;
	assert_true(fabs(big - FM_NODE_WIDTH_MAX) < 1e-9);
	/* a quarter of the lines: a quarter of the area, half the width */
	assert_true(fabs(small - FM_NODE_WIDTH_MAX / 2) < 1e-9);
	assert_true(node(m, "a/x")->value == 1000000 + 500 - 200);
	assert_true(node(m, "b/x")->value == 1);
	assert_true(fabs(node(m, "b/x")->width - FM_NODE_WIDTH_MIN) < 1e-9);
	fm_model_free(m);
}

static void test_sizes_without_tree_lines_use_lines_changed(void **state)
{
	fixture fx;
	fm_model *m;
	fm_row *r;

	(void)state;
	fx_init(&fx, "", "");
	fx_release(&fx, "v1.0.0", "2020-01-10", -1);
	r = fx_row(&fx, "a/x", "v1.0.0", "2020-05-01", 3);
	r->insertions = 3000;
	r->deletions = 1000;
	r = fx_row(&fx, "b/x", "v1.0.0", "2020-05-01", 3);
	r->insertions = 900;
	r->deletions = 100;
	r = fx_row(&fx, "c/x", "v1.0.0", "2020-05-01", 7);
	r->insertions = r->deletions = -1; /* unknown: commits ahead */
	m = build(&fx, NULL);
	assert_int_equal(m->size_basis, FM_SIZE_LINES_CHANGED);
	assert_true(node(m, "a/x")->value == 4000);
	assert_true(node(m, "b/x")->value == 1000);
	assert_true(node(m, "c/x")->value == 7);
	assert_true(fabs(node(m, "a/x")->width - FM_NODE_WIDTH_MAX) < 1e-9);
	assert_true(fabs(node(m, "b/x")->width - FM_NODE_WIDTH_MAX / 2) < 1e-9);
	assert_true(fabs(node(m, "c/x")->width - FM_NODE_WIDTH_MIN) < 1e-9);
	assert_true(fabs(node(m, "v1.0.0")->width - FM_NODE_WIDTH_TRUNK) <
		    1e-9);
	fm_model_free(m);
}

static void test_edge_widths_are_normalised(void **state)
{
	fm_render_opts opts = FM_RENDER_OPTS_INIT;
	fixture fx;
	fm_model *m;

	(void)state;
	qemu_like(&fx);
	fx_row(&fx, "zero/qemu", "v1.0.0", "2020-05-01", 0);
	fx_row(&fx, "dan/qemu", "v1.0.0", "2020-05-01", 500);
	m = build(&fx, NULL);
	assert_true(m->weight_max == 1000);
	assert_true(node(m, "carol/qemu")->penwidth == FM_PEN_FORK_MAX);
	assert_true(fabs(node(m, "dan/qemu")->penwidth - FM_PEN_FORK_MAX / 2) <
		    1e-9);
	/* never thinner than the minimum, even for nothing */
	assert_true(node(m, "bob/qemu")->penwidth == FM_PEN_FORK_MIN);
	assert_true(node(m, "alice/qemu")->penwidth == FM_PEN_FORK_MIN);
	assert_true(node(m, "zero/qemu")->penwidth == FM_PEN_FORK_MIN);
	/* trunk: |tree_lines delta| 200k, 300k, 100k */
	assert_int_equal(m->trunk_basis, FM_TRUNK_LINES);
	assert_true(node(m, "v2.0.0")->weight == 200000);
	assert_true(node(m, "v3.0.0")->weight == 300000);
	assert_true(node(m, "master")->weight == 100000);
	assert_true(node(m, "v3.0.0")->penwidth == FM_PEN_TRUNK_MAX);
	assert_true(fabs(node(m, "master")->penwidth - FM_PEN_TRUNK_MAX / 3) <
		    1e-9);
	fm_model_free(m);

	opts.weight = FM_WEIGHT_UNIQUE;
	m = build(&fx, &opts);
	assert_true(m->weight_max == 500);
	assert_true(node(m, "bob/qemu")->weight == 50);
	fm_model_free(m);

	/* one trunk step without tree lines: every step by days */
	fx.census.head_tree_lines = 0;
	m = build(&fx, NULL);
	assert_int_equal(m->trunk_basis, FM_TRUNK_DAYS);
	assert_true(fabs(node(m, "v2.0.0")->weight - 366) < 1e-9);
	fm_model_free(m);
}

static void test_colours_follow_head_dates(void **state)
{
	fixture fx;
	fm_model *m;
	char hex[FM_COLOR_HEX_MAX];

	(void)state;
	qemu_like(&fx);
	fx_row(&fx, "undated/qemu", "v3.0.0", NULL, 1);
	m = build(&fx, NULL);
	/* the oldest date in the figure is v1.0.0's, the newest the tip's */
	assert_int_equal(m->date_min, fx_date("2020-01-10").time);
	assert_int_equal(m->date_max, fx_date("2022-06-01").time);
	assert_string_equal(fm_color_hex(node(m, "v1.0.0")->fill, hex),
			    "#440154");
	assert_string_equal(fm_color_hex(node(m, "master")->fill, hex),
			    "#fde725");
	assert_true(node(m, "v1.0.0")->t == 0.0);
	assert_true(node(m, "master")->t == 1.0);
	assert_true(node(m, "alice/qemu")->t > 0 &&
		    node(m, "alice/qemu")->t < node(m, "bob/qemu")->t);
	assert_true(node(m, "undated/qemu")->fill == FM_COLOR_UNKNOWN);
	assert_true(node(m, "undated/qemu")->t < 0);
	/* readable text: dark on yellow, light on purple */
	assert_true(node(m, "master")->text == FM_COLOR_TEXT_DARK);
	assert_true(node(m, "v1.0.0")->text == FM_COLOR_TEXT_LIGHT);
	fm_model_free(m);
}

static void test_one_date_sits_mid_scale(void **state)
{
	fixture fx;
	fm_model *m;

	(void)state;
	fx_init(&fx, "", "");
	fx_release(&fx, "v1", "2020-01-10", 0);
	fx_row(&fx, "a/x", "v1", "2020-01-10", 1);
	m = build(&fx, NULL);
	assert_true(node(m, "a/x")->t == 0.5);
	assert_true(node(m, "a/x")->fill == fm_colormap_viridis(0.5));
	fm_model_free(m);
}

static void test_title(void **state)
{
	fm_render_opts opts = FM_RENDER_OPTS_INIT;
	fixture fx;
	fm_model *m;

	(void)state;
	qemu_like(&fx);
	m = build(&fx, NULL);
	assert_string_equal(m->title, "qemu/qemu forks");
	fm_model_free(m);
	opts.title = "Major forks";
	m = build(&fx, &opts);
	assert_string_equal(m->title, "Major forks");
	fm_model_free(m);
	fx.census.upstream = (char *)"";
	m = build(&fx, NULL);
	assert_string_equal(m->title, "Fork network");
	fm_model_free(m);
}

static void test_order_is_deterministic(void **state)
{
	fixture a, b;
	fm_model *ma, *mb;
	size_t i;

	(void)state;
	/* the same forks in another row order give the same nodes */
	qemu_like(&a);
	fx_init(&b, "qemu/qemu", "master");
	fx_release(&b, "v3.0.0", "2022-01-10", 1500000);
	fx_release(&b, "v1.0.0", "2020-01-10", 1000000);
	fx_release(&b, "v2.0.0", "2021-01-10", 1200000);
	fx_tip(&b, "cccccccccccccccccccccccccccccccccccccccc", "2022-06-01",
	       1600000);
	fx_row(&b, "carol/qemu", "v3.0.0", "2022-02-01", 1000);
	fx_row(&b, "bob/qemu", "v2.0.0", "2021-05-01", 100);
	fx_row(&b, "alice/qemu", "v1.0.0", "2020-05-01", 10);
	ma = build(&a, NULL);
	mb = build(&b, NULL);
	assert_int_equal(ma->nnodes, mb->nnodes);
	for (i = 0; i < ma->nnodes; i++) {
		assert_string_equal(ma->nodes[i].name, mb->nodes[i].name);
		assert_int_equal(ma->nodes[i].parent, mb->nodes[i].parent);
	}
	fm_model_free(ma);
	fm_model_free(mb);
}

/* A huge network without --top: the heaviest FM_LIMIT_RENDER_FORKS, and
 * the model says how many were left out; --top lifts the cap. */
static void test_huge_networks_are_capped(void **state)
{
	size_t i, n = FM_LIMIT_RENDER_FORKS + 500;
	fm_row *rows = calloc(n, sizeof(*rows));
	fm_census c;
	fm_render_opts opts = FM_RENDER_OPTS_INIT;
	fm_model *m;
	long lightest = -1;

	(void)state;
	assert_non_null(rows);
	memset(&c, 0, sizeof(c));
	c.rows = rows;
	c.nrows = n;
	for (i = 0; i < n; i++) {
		rows[i].name = (char *)"f/x";
		rows[i].branch = (char *)"main";
		rows[i].ahead = (long)i + 1;
		rows[i].unique = -1;
		rows[i].stars = -1;
	}
	m = build_census(&c, NULL);
	assert_int_equal(m->nforks, FM_LIMIT_RENDER_FORKS);
	assert_int_equal(m->hidden_top, 500);
	assert_true(m->capped);
	for (i = m->ntrunk; i < m->nnodes; i++)
		if (lightest < 0 || m->nodes[i].row->ahead < lightest)
			lightest = m->nodes[i].row->ahead;
	assert_int_equal(lightest, 501); /* the 500 lightest left out */
	fm_model_free(m);
	opts.top = n;
	m = build_census(&c, &opts);
	assert_int_equal(m->nforks, n);
	assert_false(m->capped);
	fm_model_free(m);
	free(rows);
}

static void test_bad_options(void **state)
{
	fm_render_opts opts = FM_RENDER_OPTS_INIT;
	fixture fx;
	fm_model *m = NULL;

	(void)state;
	qemu_like(&fx);
	opts.weight = (fm_render_weight)42;
	fm_ctx_clear_error(ctx);
	assert_int_equal(fm_model_build(ctx, &fx.census, &opts, &m), FM_EINVAL);
	assert_null(m);
	assert_string_not_equal(fm_ctx_errmsg(ctx), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trunk_in_date_order),
		cmocka_unit_test(test_trunk_ties_in_version_order),
		cmocka_unit_test(test_forks_hang_from_their_release),
		cmocka_unit_test(
			test_fork_newer_than_every_release_hangs_from_tip),
		cmocka_unit_test(test_tip_appears_when_needed),
		cmocka_unit_test(test_seed_csv_uses_base_tags),
		cmocka_unit_test(test_release_missing_from_list_is_derived),
		cmocka_unit_test(test_unused_releases_are_left_out),
		cmocka_unit_test(test_failed_and_skipped_rows_are_not_drawn),
		cmocka_unit_test(test_top_keeps_the_heaviest),
		cmocka_unit_test(test_since_hides_old_and_undated_forks),
		cmocka_unit_test(test_node_area_is_proportional_to_lines),
		cmocka_unit_test(
			test_sizes_without_tree_lines_use_lines_changed),
		cmocka_unit_test(test_edge_widths_are_normalised),
		cmocka_unit_test(test_colours_follow_head_dates),
		cmocka_unit_test(test_one_date_sits_mid_scale),
		cmocka_unit_test(test_title),
		cmocka_unit_test(test_order_is_deterministic),
		cmocka_unit_test(test_huge_networks_are_capped),
		cmocka_unit_test(test_bad_options),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
