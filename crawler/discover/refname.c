/*
 * The one builder of refs/forkmap/... names. Every source has its own
 * namespace and a fork's name is always exactly one path component, so no
 * two forks can share a ref, and no fork's ref can be a directory of
 * another's (git's D/F rule): a GitHub owner named "config" and a
 * configured fork "owner/x" never meet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include <forkmap/forks.h>

#include "core/buf.h"

/* Bytes kept as they are in a name component; every other is %XX. */
static int plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	       c == '+' || c == ',' || c == '=';
}

/*
 * One ref component: '/' and anything git forbids or treats specially
 * (controls, space, ~^:?*[\, '@', '%') become %XX; so does a '.' that would
 * lead the component, follow another '.', end it, or start a ".lock"
 * ending.
 */
static void put_component(fm_buf *b, const char *s)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int esc = !plain(c);

		if (c == '.' && (i == 0 || s[i - 1] == '.' || i == n - 1 ||
				 (n - i == 5 && !strcmp(s + i, ".lock"))))
			esc = 1;
		if (esc)
			fm_buf_printf(b, "%%%02X", c);
		else
			fm_buf_putc(b, (char)c);
	}
}

int fm_fork_ref(fm_ctx *ctx, fm_source source, const char *name,
		const char *branch, char **out)
{
	const char *src = fm_source_name(source);
	fm_buf b = FM_BUF_INIT;
	int valid = 0;

	*out = NULL;
	if (!src || !name || !*name || !branch || !*branch)
		return fm_error_set(ctx, FM_EINVAL,
				    "a fork needs a source, a name and a "
				    "branch to have a ref");
	fm_buf_printf(&b, "refs/forkmap/%s/", src);
	put_component(&b, name);
	fm_buf_putc(&b, '/');
	fm_buf_puts(&b, branch); /* a branch name keeps its own slashes */
	if (b.oom) {
		fm_buf_clear(&b);
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	}
	git_libgit2_init(); /* reference counted; the check may set an error */
	if (git_reference_name_is_valid(&valid, b.ptr) < 0)
		valid = 0;
	git_libgit2_shutdown();
	if (!valid) {
		fm_buf_clear(&b);
		return fm_error_set(ctx, FM_EINVAL,
				    "branch name '%s' of '%s' does not make "
				    "a valid ref",
				    branch, name);
	}
	return fm_buf_detach(&b, out, NULL) < 0
		       ? fm_error_set(ctx, FM_ENOMEM, "out of memory")
		       : 0;
}
