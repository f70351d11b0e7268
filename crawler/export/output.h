#ifndef FM_EXPORT_OUTPUT_H
#define FM_EXPORT_OUTPUT_H
/*
 * Inside crawler/export only: how an export reaches its FILE. A writer
 * builds the whole document in an fm_buf (appending freely, the buffer's
 * oom flag is sticky) and hands it over here once, so "out of memory" and
 * "cannot write" are decided and reported in one place.
 */
#include <stdio.h>

#include <forkmap/common.h>

#include "core/buf.h"

/*
 * Write doc to out and flush. FM_ENOMEM when doc ran out of memory while
 * it was built; FM_EIO "cannot write WHAT: reason" when out fails.
 */
int fm_export_write(fm_ctx *ctx, FILE *out, const fm_buf *doc,
		    const char *what);

#endif
