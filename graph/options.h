#ifndef FM_GRAPH_OPTIONS_H
#define FM_GRAPH_OPTIONS_H
/* Internal to graph/: checking render options before any work is done. */
#include <forkmap/render.h>

/* 0, or FM_EINVAL with the message set for the first bad field. */
int fm_render_opts_check(fm_ctx *ctx, const fm_render_opts *o);

#endif
