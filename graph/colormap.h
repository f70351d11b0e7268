#ifndef FM_GRAPH_COLORMAP_H
#define FM_GRAPH_COLORMAP_H
/*
 * Colours of the figure: the viridis colour map (perceptually uniform,
 * readable in grey and by colour-blind viewers) and the choice of a text
 * colour that stays legible on a given fill.
 *
 *	char hex[FM_COLOR_HEX_MAX];
 *	uint32_t fill = fm_colormap_viridis(0.25);
 *	fm_color_hex(fill, hex);			// "#3b528b"
 *	fm_color_hex(fm_color_text_on(fill), hex);	// "#ffffff"
 */
#include <stdint.h>

/* "#rrggbb" and its NUL. */
#define FM_COLOR_HEX_MAX 8

/*
 * The viridis colour at t in [0, 1] (clamped; NaN gives 0), as 0xRRGGBB,
 * linearly interpolated between the 256 entries of matplotlib's table:
 * 0 is #440154, 1 is #fde725.
 */
uint32_t fm_colormap_viridis(double t);

/* Write "#rrggbb" into buf (FM_COLOR_HEX_MAX bytes); returns buf. */
char *fm_color_hex(uint32_t rgb, char *buf);

/* WCAG relative luminance of an sRGB colour, in [0, 1]. */
double fm_color_luminance(uint32_t rgb);

/* WCAG contrast ratio of two colours, in [1, 21]. */
double fm_color_contrast(uint32_t a, uint32_t b);

/*
 * The text colour for a label drawn on `fill`: near-black or white,
 * whichever contrasts more.
 */
uint32_t fm_color_text_on(uint32_t fill);

#define FM_COLOR_TEXT_DARK 0x111111u
#define FM_COLOR_TEXT_LIGHT 0xffffffu

#endif
