/*
 * crawler/core/scrub.c: no credential of a URL survives in a message,
 * whether the URL is quoted whole (libgit2's "malformed URL '...'"),
 * percent-decoded, or the password stands alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/scrub.h"

static void check(const char *msg, const char *url, const char *want)
{
	char *s = fm_scrub(msg, url);

	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void url_userinfo_is_starred(void **state)
{
	char *s;

	(void)state;
	s = fm_scrub_url("https://user:s3cret@git.example.com/acme/x.git");
	assert_string_equal(s, "https://***@git.example.com/acme/x.git");
	free(s);
	/* a token as the user name is a secret too */
	s = fm_scrub_url("https://ghp_abcdef@github.com/a/b.git");
	assert_string_equal(s, "https://***@github.com/a/b.git");
	free(s);
	/* no user information: unchanged, '@' in the path included */
	s = fm_scrub_url("https://host/~me@home/x.git");
	assert_string_equal(s, "https://host/~me@home/x.git");
	free(s);
}

static void any_url_in_a_message(void **state)
{
	(void)state;
	check("malformed URL 'http://u:pw1@127.0.0.1:99999/x.git'", NULL,
	      "malformed URL 'http://***@127.0.0.1:99999/x.git'");
	check("from git://a:b@h/x to https://c:d@[::1/y", NULL,
	      "from git://***@h/x to https://***@[::1/y");
	check("no url here: user@host", NULL, "no url here: user@host");
	check(NULL, NULL, "");
}

static void known_secret_wherever_it_is(void **state)
{
	const char *url = "https://bob:p%40ss%2Fw0rd@h.example/x.git";

	(void)state;
	/* quoted bare, decoded, or as the raw userinfo */
	check("auth failed for bob with p@ss/w0rd", url,
	      "auth failed for bob with ***");
	check("credentials bob:p%40ss%2Fw0rd rejected", url,
	      "credentials *** rejected");
	check("cannot fetch 'https://bob:p%40ss%2Fw0rd@h.example/x.git'", url,
	      "cannot fetch 'https://***@h.example/x.git'");
	/* a password too short to search for alone is still cut from URLs */
	check("see https://u:pw@h/x (pw)", "https://u:pw@h/x",
	      "see https://***@h/x (pw)");
}

static void fixed_buffer_is_cut_not_overrun(void **state)
{
	char buf[16];

	(void)state;
	fm_scrub_buf(buf, sizeof(buf), "GET http://a:verysecret@h/", NULL);
	assert_string_equal(buf, "GET http://***@");
	strcpy(buf, "x://k:s@h");
	fm_scrub_buf(buf, sizeof(buf), buf, NULL);
	assert_string_equal(buf, "x://***@h");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(url_userinfo_is_starred),
		cmocka_unit_test(any_url_in_a_message),
		cmocka_unit_test(known_secret_wherever_it_is),
		cmocka_unit_test(fixed_buffer_is_cut_not_overrun),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
