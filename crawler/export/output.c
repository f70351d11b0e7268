/* Writing a finished export document (export/output.h). */
#include <errno.h>
#include <string.h>

#include "export/output.h"

int fm_export_write(fm_ctx *ctx, FILE *out, const fm_buf *doc, const char *what)
{
	if (doc->oom)
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	errno = 0;
	if ((doc->len && fwrite(doc->ptr, 1, doc->len, out) != doc->len) ||
	    fflush(out) != 0 || ferror(out))
		return fm_error_set(ctx, FM_EIO, "cannot write %s: %s", what,
				    strerror(errno ? errno : EIO));
	return 0;
}
