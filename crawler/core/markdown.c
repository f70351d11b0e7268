/* Untrusted text made inert in Markdown (see fm_markdown_safe, util.h). */
#include <stdlib.h>
#include <string.h>

#include <forkmap/util.h>

#include "core/buf.h"

/*
 * CommonMark lets a backslash escape any ASCII punctuation; these are the
 * ones that format, link, start a block or split a table cell somewhere,
 * and GitHub's own: '@' mentions, ':' emoji, '$' math. The backslash
 * itself is first: fm_term_safe's "\x1b" must stay text.
 */
static const char metachars[] = "\\`*_{}[]()#+-.!|~@:$";

char *fm_markdown_safe(const char *s)
{
	char *term = fm_term_safe(s), *out = NULL;
	fm_buf b = FM_BUF_INIT;
	const char *p;

	if (!term)
		return NULL;
	for (p = term; *p; p++) {
		if (*p == '<')
			fm_buf_puts(&b, "&lt;");
		else if (*p == '>')
			fm_buf_puts(&b, "&gt;");
		else if (*p == '&')
			fm_buf_puts(&b, "&amp;");
		else if (strchr(metachars, *p))
			fm_buf_printf(&b, "\\%c", *p);
		else
			fm_buf_putc(&b, *p);
	}
	free(term);
	if (fm_buf_detach(&b, &out, NULL) < 0)
		return NULL;
	return out;
}
