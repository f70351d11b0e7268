/*
 * Render options: the names the CLI accepts for formats, weights, label
 * modes and themes, the format an output path names, and the check of a
 * whole fm_render_opts.
 */
#include <string.h>

#include "options.h"

static const char *const format_names[] = {"auto", "svg", "png", "pdf", "dot"};
static const char *const weight_names[] = {"ahead", "unique", "lines",
					   "patches"};
static const char *const label_names[] = {"name", "branch", "both", "none"};
static const char *const theme_names[] = {"light", "dark"};
static const char *const layout_names[] = {"network", "timeline"};

static int parse_name(const char *name, const char *const *names, size_t n,
		      int *out)
{
	size_t i;

	for (i = 0; name && i < n; i++) {
		if (!strcmp(name, names[i])) {
			*out = (int)i;
			return 0;
		}
	}
	return FM_EINVAL;
}

#define NAMES(a) (a), (sizeof(a) / sizeof((a)[0]))

int fm_render_format_parse(const char *name, fm_render_format *out)
{
	int v;

	if (name && !strcmp(name, "gv"))
		name = "dot";
	if (parse_name(name, NAMES(format_names), &v) < 0 || v == 0)
		return FM_EINVAL;
	*out = (fm_render_format)v;
	return 0;
}

int fm_render_weight_parse(const char *name, fm_render_weight *out)
{
	int v;

	if (parse_name(name, NAMES(weight_names), &v) < 0)
		return FM_EINVAL;
	*out = (fm_render_weight)v;
	return 0;
}

int fm_render_label_parse(const char *name, fm_render_label *out)
{
	int v;

	if (parse_name(name, NAMES(label_names), &v) < 0)
		return FM_EINVAL;
	*out = (fm_render_label)v;
	return 0;
}

int fm_render_theme_parse(const char *name, fm_render_theme *out)
{
	int v;

	if (parse_name(name, NAMES(theme_names), &v) < 0)
		return FM_EINVAL;
	*out = (fm_render_theme)v;
	return 0;
}

int fm_render_layout_parse(const char *name, fm_render_layout *out)
{
	int v;

	if (parse_name(name, NAMES(layout_names), &v) < 0)
		return FM_EINVAL;
	*out = (fm_render_layout)v;
	return 0;
}

const char *fm_render_format_name(fm_render_format f)
{
	return (unsigned)f < 5 ? format_names[f] : NULL;
}

const char *fm_render_weight_name(fm_render_weight w)
{
	return (unsigned)w < sizeof(weight_names) / sizeof(weight_names[0])
		       ? weight_names[w]
		       : NULL;
}

fm_render_format fm_render_format_from_path(const char *path)
{
	const char *slash, *dot;
	fm_render_format f;

	if (!path)
		return FM_FORMAT_AUTO;
	slash = strrchr(path, '/');
	dot = strrchr(slash ? slash : path, '.');
	if (!dot || dot[1] == '\0')
		return FM_FORMAT_AUTO;
	{
		char ext[8];
		size_t i;

		for (i = 0; dot[1 + i] && i < sizeof(ext) - 1; i++)
			ext[i] = (char)(dot[1 + i] >= 'A' && dot[1 + i] <= 'Z'
						? dot[1 + i] - 'A' + 'a'
						: dot[1 + i]);
		ext[i] = '\0';
		if (dot[1 + i])
			return FM_FORMAT_AUTO;
		if (fm_render_format_parse(ext, &f) < 0)
			return FM_FORMAT_AUTO;
	}
	return f;
}

int fm_render_opts_check(fm_ctx *ctx, const fm_render_opts *o)
{
	if ((unsigned)o->format > FM_FORMAT_DOT)
		return fm_error_set(ctx, FM_EINVAL, "unknown output format %d",
				    (int)o->format);
	if ((unsigned)o->weight > FM_WEIGHT_PATCHES)
		return fm_error_set(ctx, FM_EINVAL, "unknown edge weight %d",
				    (int)o->weight);
	if ((unsigned)o->label > FM_LABEL_NONE)
		return fm_error_set(ctx, FM_EINVAL, "unknown label mode %d",
				    (int)o->label);
	if ((unsigned)o->layout > FM_LAYOUT_TIMELINE)
		return fm_error_set(ctx, FM_EINVAL, "unknown layout %d",
				    (int)o->layout);
	if ((unsigned)o->theme > FM_THEME_DARK)
		return fm_error_set(ctx, FM_EINVAL, "unknown theme %d",
				    (int)o->theme);
	if (!(o->width >= 0 && o->width <= 1000) ||
	    !(o->height >= 0 && o->height <= 1000))
		return fm_error_set(ctx, FM_EINVAL,
				    "figure size must be 0 to 1000 inches");
	if (!(o->dpi >= 0 && o->dpi <= 2400))
		return fm_error_set(ctx, FM_EINVAL, "dpi must be 0 to 2400");
	return 0;
}
