#ifndef FORKMAP_RENDER_H
#define FORKMAP_RENDER_H
/*
 * The fork network figure ("major forks", ready to paste into slides).
 *
 * Nodes are the upstream releases the forks are based on, as a trunk in
 * date order ending at the upstream branch tip, and the forks hanging from
 * their release. Node area shows lines of code, fill colour the date of
 * the last commit (viridis), fork edge width the chosen weight. Laid out by
 * graphviz neato (sfdp above FM_RENDER_NEATO_MAX nodes) with a fixed seed,
 * so the same census and options give the same figure.
 *
 *	fm_render_opts opts = FM_RENDER_OPTS_INIT;
 *
 *	opts.title = "QEMU forks";
 *	opts.top = 40;
 *	if (fm_render_file(ctx, census, &opts, "forks.svg") < 0)
 *		fprintf(stderr, "error: %s\n", fm_ctx_errmsg(ctx));
 *
 * Which fork hangs where:
 * - rows with an error or a skip reason are not drawn;
 * - a fork whose merge base is the upstream tip hangs from the tip;
 * - a fork whose merge base is a release's commit hangs from that release;
 * - any other fork with a merge base date hangs from a *fork point* on the
 *   trunk, placed in date order at its merge base between the release
 *   before and the release after, labelled "after <base_tag>..." (the
 *   nearest tag below the merge base; the release before it when there is
 *   no base tag, "before <release>" when there is neither). Forks between
 *   the same two trunk nodes with the same base tag share one fork point.
 *   The row's `release` keeps its contract meaning (tables, CSV, JSON);
 *   the figure only stops implying the fork contains it;
 * - without merge base dates (a seed CSV has only base tags) a fork hangs
 *   from its `release`, else from its `base_tag`, else from the tip, so no
 *   fork is dropped.
 * Release nodes come from census->releases; a release a row names that is
 * missing there gets a node dated by the row's base_date (its
 * merge_base_date when that is later). Releases no shown fork hangs from
 * or sits next to are left out of the trunk.
 *
 * Fork outlines show fates (fate.h) as of opts->now: active thin, hard
 * fork a strong ring, quiet dashed, merged dotted; the legend has each one
 * shown. Without opts->top at most FM_LIMIT_RENDER_FORKS forks are drawn
 * (the heaviest), with a warning through the context's log.
 *
 * Sizes: with width and height the canvas is exactly that (PNG pixels
 * round(width * dpi) x round(height * dpi), the PDF page and the SVG in
 * points), the figure fitted with a 0.25 in margin and centred, the
 * background filling it. Text (labels, title, legends) is measured by
 * graphviz's text layout (pango/cairo when installed), as graphviz draws
 * it; a title wider than the network wraps.
 *
 * Names from forges are untrusted: they reach the figure as text only (no
 * markup, no graphviz escapes), cut to 40 characters with an ellipsis.
 * Output is byte-for-byte repeatable: fixed seed, stable node order, the
 * PDF's creation date taken from the census. graphviz is not thread-safe:
 * renders in one process take turns, and share one graphviz context that
 * lives until the process ends (graphviz 2.42 cannot free one safely).
 */
#include "census.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fm_render_format {
	FM_FORMAT_AUTO = 0, /* from the output path's extension, else SVG */
	FM_FORMAT_SVG = 1,
	FM_FORMAT_PNG = 2,
	FM_FORMAT_PDF = 3,
	FM_FORMAT_DOT = 4, /* graphviz DOT with the computed positions */
} fm_render_format;

/* What a fork edge's width shows. */
typedef enum fm_render_weight {
	FM_WEIGHT_AHEAD = 0,   /* commits ahead of upstream */
	FM_WEIGHT_UNIQUE = 1,  /* ahead commits whose patch is not upstream */
	FM_WEIGHT_LINES = 2,   /* insertions + deletions */
	FM_WEIGHT_PATCHES = 3, /* distinct patch ids among the unique commits */
} fm_render_weight;

/* The text on fork nodes (release nodes always show their tag). */
typedef enum fm_render_label {
	FM_LABEL_NAME = 0,
	FM_LABEL_BRANCH = 1,
	FM_LABEL_BOTH = 2,
	FM_LABEL_NONE = 3,
} fm_render_label;

typedef enum fm_render_theme {
	FM_THEME_LIGHT = 0,
	FM_THEME_DARK = 1,
} fm_render_theme;

/* Where nodes go. */
typedef enum fm_render_layout {
	FM_LAYOUT_NETWORK = 0, /* graphviz neato (sfdp when big), the default */
	FM_LAYOUT_TIMELINE = 1, /* x is the date: releases and forks by date
				   along x, y assigned to avoid overlap, date
				   ticks along the axis */
} fm_render_layout;

typedef struct fm_render_opts {
	fm_render_format format;
	const char *title; /* NULL: "<upstream> forks"; borrowed */
	fm_render_weight weight;
	size_t top;    /* only the N heaviest forks; 0: all */
	fm_date since; /* hide forks whose head_date is before this
			  (and those without one); unset: keep */
	fm_render_label label;
	fm_render_theme theme;
	int transparent;      /* no background fill */
	double width, height; /* fit into this box, inches; 0: natural */
	double dpi;	      /* PNG resolution; 0: FM_RENDER_DPI */
	unsigned long seed;   /* layout seed; 0: 1 */
	fm_render_layout layout;
	int64_t now; /* fates are judged as of this (epoch seconds); 0: the
			census's end, else the context's clock */
} fm_render_opts;

#define FM_RENDER_OPTS_INIT                                                 \
	{                                                                   \
		FM_FORMAT_AUTO, NULL, FM_WEIGHT_AHEAD, 0, {0, 0, 0},        \
			FM_LABEL_NAME, FM_THEME_LIGHT, 0, 0.0, 0.0, 0.0, 0, \
			FM_LAYOUT_NETWORK, 0                                \
	}

#define FM_RENDER_DPI 150.0
/* PNG sides stay under this many pixels: the resolution is lowered (with
 * a warning through the context's log) for bigger figures. */
#define FM_RENDER_PNG_MAX 8192.0
/* Larger networks are laid out by sfdp: neato is quadratic. */
#define FM_RENDER_NEATO_MAX 1500

/*
 * The format a path's extension names (".svg", ".png", ".pdf", ".dot" or
 * ".gv", any case); FM_FORMAT_AUTO when it names none.
 */
fm_render_format fm_render_format_from_path(const char *path);

/*
 * Parse option values ("svg", "unique", "both", "dark"); FM_EINVAL when
 * unknown (no message is set: the caller knows the option's name).
 */
int fm_render_format_parse(const char *name, fm_render_format *out);
int fm_render_weight_parse(const char *name, fm_render_weight *out);
int fm_render_label_parse(const char *name, fm_render_label *out);
int fm_render_theme_parse(const char *name, fm_render_theme *out);
int fm_render_layout_parse(const char *name, fm_render_layout *out);
/* "svg", "ahead": the names the parsers accept; NULL when out of range. */
const char *fm_render_format_name(fm_render_format f);
const char *fm_render_weight_name(fm_render_weight w);

/*
 * Render the figure of `census` into `path`. The format is opts->format,
 * else the path's extension, else SVG. The file is written only once the
 * figure is complete, through a temporary file renamed over path, so a
 * failure keeps the previous figure (devices and pipes are written in
 * place). FM_EINVAL for bad options, FM_ERENDER when graphviz fails,
 * FM_EIO when the file cannot be written.
 */
int fm_render_file(fm_ctx *ctx, const fm_census *census,
		   const fm_render_opts *opts, const char *path);

/*
 * The same into memory (format AUTO means SVG). *out is NUL-terminated
 * after *len bytes; the caller frees it with free().
 */
int fm_render_buffer(fm_ctx *ctx, const fm_census *census,
		     const fm_render_opts *opts, char **out, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
