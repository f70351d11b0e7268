/* The release-tag regex (tags.release), compiled once per census. */
#include <regex.h>
#include <stdlib.h>

#include <forkmap/settings.h>
#include <forkmap/util.h>

struct fm_release_re {
	regex_t re;
};

/* regex NULL means FM_DEFAULT_RELEASE_REGEX. */
int fm_release_re_new(fm_ctx *ctx, const char *regex, fm_release_re **out)
{
	fm_release_re *r;
	char msg[256];
	int err;

	*out = NULL;
	if (!regex)
		regex = FM_DEFAULT_RELEASE_REGEX;
	if (!(r = calloc(1, sizeof(*r))))
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	if ((err = regcomp(&r->re, regex, REG_EXTENDED | REG_NOSUB)) != 0) {
		regerror(err, &r->re, msg, sizeof(msg));
		free(r);
		return fm_error_set(ctx, FM_ECONFIG,
				    "bad release regex '%s': %s", regex, msg);
	}
	*out = r;
	return 0;
}

int fm_release_re_match(const fm_release_re *re, const char *tag)
{
	if (!re || !tag)
		return 0;
	return regexec(&re->re, tag, 0, NULL, 0) == 0;
}

void fm_release_re_free(fm_release_re *re)
{
	if (!re)
		return;
	regfree(&re->re);
	free(re);
}
