/*
 * The rendered figure: DOT checked structurally (read back with cgraph),
 * hostile names kept out of the markup, formats, options, errors.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cgraph.h>
#include <cmocka.h>

#include <forkmap/render.h>

#include "census_fixture.h"

/*
 * Under AddressSanitizer: full stacks, and graphviz's own leaks suppressed
 * (the list of lsan.supp, which says why) so that forkmap's still show.
 */
const char *__asan_default_options(void);
const char *__lsan_default_suppressions(void);

const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

const char *__lsan_default_suppressions(void)
{
	return "leak:htmlparse\nleak:gvconfig\nleak:neato_layout\n"
	       "leak:sfdp_layout\nleak:libfontconfig.so\n"
	       "leak:libpango-1.0.so\nleak:libpangoft2-1.0.so\n"
	       "leak:libpangocairo-1.0.so\nleak:libcairo.so\n"
	       "leak:libglib-2.0.so\nleak:libgobject-2.0.so\n";
}

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

static void qemu_like(fixture *fx)
{
	fx_init(fx, "qemu/qemu", "master");
	fx_release(fx, "v1.0.0", "2020-01-10", 1000000);
	fx_release(fx, "v2.0.0", "2021-01-10", 1200000);
	fx_release(fx, "v3.0.0", "2022-01-10", 1500000);
	fx_tip(fx, "cccccccccccccccccccccccccccccccccccccccc", "2022-06-01",
	       1600000);
	fx_row(fx, "alice/qemu", "v1.0.0", "2020-05-01", 10);
	fx_row(fx, "bob/qemu", "v2.0.0", "2021-05-01", 100);
	fx_row(fx, "carol/qemu", "v3.0.0", "2022-02-01", 1000);
	fx_row(fx, "dave/qemu", "", "2022-05-01", 50); /* on the tip */
}

static char *render(const fm_census *c, fm_render_opts *opts,
		    fm_render_format format, size_t *len)
{
	fm_render_opts defaults = FM_RENDER_OPTS_INIT;
	char *out = NULL;
	size_t n = 0;
	int rc;

	if (!opts)
		opts = &defaults;
	opts->format = format;
	fm_ctx_clear_error(ctx);
	rc = fm_render_buffer(ctx, c, opts, &out, &n);
	if (rc != 0)
		fail_msg("render failed: %s", fm_ctx_errmsg(ctx));
	assert_non_null(out);
	assert_true(n > 0);
	assert_int_equal(strlen(out) <= n, 1);
	if (len)
		*len = n;
	return out;
}

static Agraph_t *render_dot(const fm_census *c, fm_render_opts *opts)
{
	char *dot = render(c, opts, FM_FORMAT_DOT, NULL);
	Agraph_t *g = agmemread(dot);

	if (!g)
		fail_msg("DOT output does not parse:\n%s", dot);
	free(dot);
	return g;
}

static int prefixed(Agnode_t *n, const char *prefix)
{
	return !strncmp(agnameof(n), prefix, strlen(prefix));
}

/* The fork node whose tooltip starts with name (labels may be cut). */
static Agnode_t *fork_node(Agraph_t *g, const char *tooltip_prefix)
{
	Agnode_t *n;

	for (n = agfstnode(g); n; n = agnxtnode(g, n)) {
		const char *t = agget(n, "tooltip");

		if (prefixed(n, "fork") && t &&
		    !strncmp(t, tooltip_prefix, strlen(tooltip_prefix)))
			return n;
	}
	fail_msg("no fork node with tooltip '%s'", tooltip_prefix);
	return NULL;
}

/* The title and subtitle: one text node above the network. */
static const char *title_label(Agraph_t *g)
{
	Agnode_t *n;

	for (n = agfstnode(g); n; n = agnxtnode(g, n))
		if (prefixed(n, "legend_title_"))
			return agget(n, "label");
	fail_msg("no title node");
	return NULL;
}

static void test_dot_has_the_network_and_legends(void **state)
{
	fixture fx;
	Agraph_t *g;
	Agnode_t *n;
	Agedge_t *e;
	size_t forks = 0, trunk = 0, legend = 0, edges = 0;
	const char *label;

	(void)state;
	qemu_like(&fx);
	g = render_dot(&fx.census, NULL);
	for (n = agfstnode(g); n; n = agnxtnode(g, n)) {
		const char *pos = agget(n, "pos");

		assert_non_null(pos);
		assert_true(pos[0] != '\0');
		if (prefixed(n, "legend_")) {
			legend++;
			continue;
		}
		forks += prefixed(n, "fork");
		trunk += prefixed(n, "trunk");
		label = agget(n, "label");
		assert_non_null(label);
		assert_true(aghtmlstr((char *)label));
		assert_non_null(strstr(label, "BGCOLOR=\"#"));
		assert_int_equal(strlen(agget(n, "fillcolor")), 7);
		assert_true(agget(n, "fillcolor")[0] == '#');
		assert_true(atof(agget(n, "width")) > 0.3);
		for (e = agfstout(g, n); e; e = agnxtout(g, e)) {
			assert_false(prefixed(aghead(e), "legend_"));
			assert_true(atof(agget(e, "penwidth")) >= 1.0);
			edges++;
		}
	}
	assert_int_equal(forks, 4);
	assert_int_equal(trunk, 4); /* three releases and the tip */
	assert_int_equal(edges, 4 + 3);
	/* size circles, edge samples, colour bar, captions */
	assert_true(legend >= 8);
	label = title_label(g);
	assert_non_null(strstr(label, "qemu/qemu forks"));
	assert_non_null(strstr(label, "4 forks"));
	/* laid out: a bounding box and a fixed seed */
	assert_non_null(agget(g, "bb"));
	assert_string_equal(agget(g, "start"), "1");
	agclose(g);
}

static void test_hostile_names_are_escaped(void **state)
{
	static const char *const names[] = {
		"q\"uote/x",
		"</TD></TR></TABLE><script>alert(1)</script>",
		"amp&lt;&amp;/x",
		"new\nline/x",
		"back\\Nslash\\G\\n\\L\\",
		"]]><!--/x",
	};
	fm_render_opts opts = FM_RENDER_OPTS_INIT;
	fixture fx;
	Agraph_t *g;
	Agnode_t *n;
	char *svg;
	size_t i;

	(void)state;
	qemu_like(&fx);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		fm_row *r = fx_row(&fx, names[i], "v2.0.0", "2021-06-01", 5);

		r->branch = (char *)"<b>\\N";
	}
	opts.label = FM_LABEL_BOTH;
	g = render_dot(&fx.census, &opts);
	n = fork_node(g, "&lt;/TD&gt;");
	assert_non_null(strstr(agget(n, "label"), "&lt;script&gt;"));
	assert_null(strstr(agget(n, "label"), "<script"));
	n = fork_node(g, "back");
	assert_non_null(strstr(agget(n, "label"), "back\\\\Nslash\\\\G"));
	assert_non_null(strstr(agget(n, "label"), "&lt;b&gt;\\\\N"));
	n = fork_node(g, "new");
	assert_non_null(strstr(agget(n, "label"), "new\xef\xbf\xbdline"));
	n = fork_node(g, "amp");
	assert_non_null(strstr(agget(n, "label"), "amp&amp;lt;&amp;amp;"));
	n = fork_node(g, "q");
	assert_non_null(strstr(agget(n, "label"), "q&quot;uote"));
	agclose(g);

	svg = render(&fx.census, &opts, FM_FORMAT_SVG, NULL);
	assert_null(strstr(svg, "<script"));
	assert_null(strstr(svg, "<b>"));
	assert_null(strstr(svg, "<!--/x"));
	/* graphviz escapes shown literally, never expanded to node ids */
	assert_non_null(strstr(svg, "back\\Nslash\\G\\n\\L\\"));
	assert_null(strstr(svg, "backfork"));
	assert_non_null(strstr(svg, "&lt;b&gt;\\N"));
	/* an entity in a name shows as typed */
	assert_non_null(strstr(svg, "amp&amp;lt;&amp;amp;/x"));
	free(svg);
}

static void test_formats_have_their_magic(void **state)
{
	fixture fx;
	char *out;
	size_t len;

	(void)state;
	qemu_like(&fx);
	out = render(&fx.census, NULL, FM_FORMAT_PNG, &len);
	assert_true(len > 1000);
	assert_memory_equal(out, "\x89PNG\r\n\x1a\n", 8);
	free(out);
	out = render(&fx.census, NULL, FM_FORMAT_PDF, &len);
	assert_true(len > 1000);
	assert_memory_equal(out, "%PDF-", 5);
	free(out);
	out = render(&fx.census, NULL, FM_FORMAT_SVG, &len);
	assert_non_null(strstr(out, "<svg"));
	assert_non_null(strstr(out, "</svg>"));
	free(out);
	/* AUTO into memory is SVG */
	out = render(&fx.census, NULL, FM_FORMAT_AUTO, &len);
	assert_non_null(strstr(out, "</svg>"));
	free(out);
}

static void test_output_is_deterministic(void **state)
{
	static const fm_render_format formats[] = {
		FM_FORMAT_SVG, FM_FORMAT_PNG, FM_FORMAT_PDF, FM_FORMAT_DOT};
	fixture fx;
	size_t i;

	(void)state;
	qemu_like(&fx);
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		size_t la, lb;
		char *a = render(&fx.census, NULL, formats[i], &la);
		char *b = render(&fx.census, NULL, formats[i], &lb);

		assert_int_equal(la, lb);
		assert_memory_equal(a, b, la);
		free(a);
		free(b);
	}
}

static void test_legends_are_in_the_svg(void **state)
{
	fixture fx;
	char *svg;

	(void)state;
	qemu_like(&fx);
	svg = render(&fx.census, NULL, FM_FORMAT_SVG, NULL);
	assert_non_null(strstr(svg, "node area: lines of code"));
	assert_non_null(strstr(svg, "edge width: commits ahead"));
	assert_non_null(strstr(svg, "colour: date of the last commit"));
	assert_non_null(strstr(svg, ">2021&#45;01<"));
	/* the colour bar runs from viridis' first to its last colour */
	assert_non_null(strstr(svg, "fill=\"#440154\""));
	assert_non_null(strstr(svg, "fill=\"#fde725\""));
	free(svg);
}

static void test_options_reach_the_graph(void **state)
{
	fm_render_opts opts = FM_RENDER_OPTS_INIT;
	fixture fx;
	Agraph_t *g;
	Agnode_t *n;

	(void)state;
	qemu_like(&fx);
	opts.label = FM_LABEL_NONE;
	opts.theme = FM_THEME_DARK;
	opts.width = 13.33;
	opts.height = 7.5;
	opts.weight = FM_WEIGHT_LINES;
	opts.title = "Major <forks>";
	g = render_dot(&fx.census, &opts);
	assert_string_equal(agget(g, "bgcolor"), "#16181d");
	/* the canvas is exactly the size asked for: no pad outside it */
	assert_string_equal(agget(g, "pad"), "0");
	assert_non_null(strstr(title_label(g), "Major &lt;forks&gt;"));
	n = fork_node(g, "alice");
	assert_string_equal(agget(n, "label"), " ");
	assert_string_equal(agget(n, "fixedsize"), "true");
	agclose(g);

	opts = (fm_render_opts)FM_RENDER_OPTS_INIT;
	opts.transparent = 1;
	opts.label = FM_LABEL_BRANCH;
	fx.rows[0].branch = (char *)"riscv-wip";
	g = render_dot(&fx.census, &opts);
	assert_string_equal(agget(g, "bgcolor"), "transparent");
	assert_non_null(
		strstr(agget(fork_node(g, "alice"), "label"), "riscv-wip"));
	assert_null(strstr(agget(fork_node(g, "alice"), "label"), "alice"));
	agclose(g);
}

static uint32_t png_width(const char *png)
{
	const unsigned char *p = (const unsigned char *)png + 16;

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void test_dpi_scales_png(void **state)
{
	fm_render_opts opts = FM_RENDER_OPTS_INIT;
	fixture fx;
	char *a, *b;
	uint32_t wa, wb;

	(void)state;
	qemu_like(&fx);
	opts.dpi = 50;
	a = render(&fx.census, &opts, FM_FORMAT_PNG, NULL);
	opts.dpi = 100;
	b = render(&fx.census, &opts, FM_FORMAT_PNG, NULL);
	wa = png_width(a);
	wb = png_width(b);
	assert_true(wb >= 2 * wa - 2 && wb <= 2 * wa + 2);
	free(a);
	free(b);

	/* --width: fit into 4 inches at 100 dpi */
	opts.width = 4;
	b = render(&fx.census, &opts, FM_FORMAT_PNG, NULL);
	assert_true(png_width(b) <= 400 && png_width(b) >= 390);
	free(b);
}

static void test_file_errors_do_not_exit(void **state)
{
	fixture fx;
	fm_render_opts opts = FM_RENDER_OPTS_INIT;
	char path[] = "/tmp/forkmap-render-XXXXXX";
	char file[64];
	FILE *fp;
	char head[8];
	int fd;

	(void)state;
	qemu_like(&fx);
	/* graphviz itself would exit() on this */
	fm_ctx_clear_error(ctx);
	assert_int_equal(fm_render_file(ctx, &fx.census, NULL,
					"/nonexistent-dir/forks.svg"),
			 FM_EIO);
	assert_non_null(strstr(fm_ctx_errmsg(ctx), "/nonexistent-dir"));

	opts.width = -1;
	fm_ctx_clear_error(ctx);
	assert_int_equal(fm_render_file(ctx, &fx.census, &opts, "x.svg"),
			 FM_EINVAL);

	/* the extension picks the format */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	snprintf(file, sizeof(file), "%s.png", path);
	fm_ctx_clear_error(ctx);
	assert_int_equal(fm_render_file(ctx, &fx.census, NULL, file), 0);
	fp = fopen(file, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(head, 1, 4, fp), 4);
	fclose(fp);
	assert_memory_equal(head, "\x89PNG", 4);
	unlink(file);
}

/* An existing figure is replaced whole, with no temporary file left. */
static void test_render_file_replaces_old_figure(void **state)
{
	fixture fx;
	char dir[] = "/tmp/forkmap-render-XXXXXX";
	char file[64], head[5] = "";
	struct dirent *e;
	size_t entries = 0;
	FILE *fp;
	DIR *d;

	(void)state;
	qemu_like(&fx);
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/forks.svg", dir);
	assert_non_null(fp = fopen(file, "w"));
	fputs("old figure, longer than nothing", fp);
	fclose(fp);
	fm_ctx_clear_error(ctx);
	assert_int_equal(fm_render_file(ctx, &fx.census, NULL, file), 0);
	assert_non_null(fp = fopen(file, "rb"));
	assert_int_equal(fread(head, 1, 4, fp), 4);
	fclose(fp);
	assert_memory_equal(head, "<?xm", 4);
	assert_non_null(d = opendir(dir));
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			entries++;
	closedir(d);
	assert_int_equal(entries, 1);
	unlink(file);
	rmdir(dir);
}

static void test_empty_census_renders(void **state)
{
	fixture fx;
	char *svg;

	(void)state;
	fx_init(&fx, "x/x", "main");
	svg = render(&fx.census, NULL, FM_FORMAT_SVG, NULL);
	assert_non_null(strstr(svg, "0 forks"));
	free(svg);
}

static void test_big_network_uses_sfdp(void **state)
{
	fm_census c;
	fm_row *rows;
	fm_release rel[2];
	size_t i, n = FM_RENDER_NEATO_MAX + 10;
	char(*names)[32];
	Agraph_t *g;
	Agnode_t *node;
	size_t forks = 0;

	(void)state;
	rows = calloc(n, sizeof(*rows));
	names = calloc(n, sizeof(*names));
	assert_non_null(rows);
	assert_non_null(names);
	memset(&c, 0, sizeof(c));
	memset(rel, 0, sizeof(rel));
	rel[0].tag = (char *)"v1";
	rel[0].date = fx_date("2020-01-01");
	rel[1].tag = (char *)"v2";
	rel[1].date = fx_date("2021-01-01");
	c.upstream = (char *)"big/big";
	c.releases = rel;
	c.nreleases = 2;
	c.rows = rows;
	c.nrows = n;
	for (i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "user%zu/big", i);
		rows[i].name = names[i];
		rows[i].branch = (char *)"main";
		rows[i].release = rows[i].base_tag =
			(char *)(i % 3 ? "v2" : "v1");
		rows[i].ahead = (long)(i % 97) + 1;
		rows[i].head_date =
			fx_date(i % 2 ? "2022-01-01" : "2021-06-01");
	}
	g = render_dot(&c, NULL);
	for (node = agfstnode(g); node; node = agnxtnode(g, node))
		forks += prefixed(node, "fork");
	assert_int_equal(forks, n);
	agclose(g);
	free(rows);
	free(names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dot_has_the_network_and_legends),
		cmocka_unit_test(test_hostile_names_are_escaped),
		cmocka_unit_test(test_formats_have_their_magic),
		cmocka_unit_test(test_output_is_deterministic),
		cmocka_unit_test(test_legends_are_in_the_svg),
		cmocka_unit_test(test_options_reach_the_graph),
		cmocka_unit_test(test_dpi_scales_png),
		cmocka_unit_test(test_file_errors_do_not_exit),
		cmocka_unit_test(test_render_file_replaces_old_figure),
		cmocka_unit_test(test_empty_census_renders),
		cmocka_unit_test(test_big_network_uses_sfdp),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
