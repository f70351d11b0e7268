/*
 * The pure parts of crawler/forge/http_parse.c: Link headers as GitHub writes
 * (any rel order, rel="last" or not, URLs with commas), the origin check
 * that keeps every request on the API's origin, and the one checked reader
 * of numbers a server sends in headers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "forge/http_internal.h"
#include "forge/http_parse.h"

static char *next_of(const char *link)
{
	char *out = (char *)1;

	assert_int_equal(fm_http_link_next(link, &out), 0);
	return out;
}

static void link_next_first(void **state)
{
	char *u = next_of("<https://api.github.com/repositories/1/forks?"
			  "per_page=100&page=2>; rel=\"next\", "
			  "<https://api.github.com/repositories/1/forks?"
			  "per_page=100&page=34>; rel=\"last\"");

	(void)state;
	assert_string_equal(u, "https://api.github.com/repositories/1/forks?"
			       "per_page=100&page=2");
	free(u);
}

static void link_next_last_in_order(void **state)
{
	char *u = next_of("<https://x/r?page=1>; rel=\"first\", "
			  "<https://x/r?page=9>; rel=\"last\", "
			  "<https://x/r?page=2>; rel=\"prev\", "
			  "<https://x/r?page=4>; rel=\"next\"");

	(void)state;
	assert_string_equal(u, "https://x/r?page=4");
	free(u);
}

static void link_without_next(void **state)
{
	(void)state;
	assert_null(next_of("<https://x/r?page=4>; rel=\"prev\", "
			    "<https://x/r?page=1>; rel=\"first\""));
	assert_null(next_of(""));
	assert_null(next_of(NULL));
	assert_null(next_of("garbage without brackets"));
	assert_null(next_of("<https://x/unterminated; rel=\"next\""));
}

static void link_odd_but_valid(void **state)
{
	char *u;

	(void)state;
	/* a comma inside the URL, unquoted rel, extra parameters, spaces */
	u = next_of("<https://x/r?a=1,2&page=2> ; title=\"a, b\" ; "
		    "rel=next");
	assert_string_equal(u, "https://x/r?a=1,2&page=2");
	free(u);
	/* a rel list */
	u = next_of("<https://x/r?page=3>; rel=\"last next\"");
	assert_string_equal(u, "https://x/r?page=3");
	free(u);
	/* "nextpage" is not "next" */
	assert_null(next_of("<https://x/r?page=3>; rel=\"nextpage\""));
	u = next_of("<https://x/r?page=3>; REL=\"Next\"");
	assert_string_equal(u, "https://x/r?page=3");
	free(u);
}

static void origins(void **state)
{
	(void)state;
	assert_true(fm_http_same_origin("https://api.github.com/repos/a/b",
					"https://api.github.com"));
	assert_true(fm_http_same_origin("https://API.github.com:443/x",
					"https://api.github.com/"));
	assert_true(fm_http_same_origin("http://127.0.0.1:8080/repositories/1",
					"http://127.0.0.1:8080"));
	assert_false(fm_http_same_origin("http://localhost:8080/x",
					 "http://127.0.0.1:8080"));
	assert_false(fm_http_same_origin("http://127.0.0.1:8081/x",
					 "http://127.0.0.1:8080"));
	assert_false(fm_http_same_origin("http://api.github.com/x",
					 "https://api.github.com"));
	assert_false(fm_http_same_origin("https://api.github.com.evil.example/",
					 "https://api.github.com"));
	assert_false(fm_http_same_origin("https://evil.example/?https://api."
					 "github.com",
					 "https://api.github.com"));
	assert_false(
		fm_http_same_origin("not a url", "https://api.github.com"));
}

static void header_numbers_are_checked(void **state)
{
	int64_t n = 7;

	(void)state;
	assert_int_equal(fm_http_header_number("4999", &n), 0);
	assert_int_equal(n, 4999);
	assert_int_equal(fm_http_header_number(" 0 ", &n), 0);
	assert_int_equal(n, 0);
	/* far out of range: clamped, never wrapped */
	assert_int_equal(
		fm_http_header_number("99999999999999999999999999999", &n), 0);
	assert_int_equal(n, FM_HTTP_NUMBER_MAX);
	assert_int_equal(fm_http_header_number("1000000000001", &n), 0);
	assert_int_equal(n, FM_HTTP_NUMBER_MAX);
	/* not a number: unknown, *out untouched */
	n = 7;
	assert_int_equal(fm_http_header_number("", &n), -1);
	assert_int_equal(fm_http_header_number("   ", &n), -1);
	assert_int_equal(fm_http_header_number("abc", &n), -1);
	assert_int_equal(fm_http_header_number("12abc", &n), -1);
	assert_int_equal(fm_http_header_number("-1", &n), -1);
	assert_int_equal(fm_http_header_number("+1", &n), -1);
	assert_int_equal(fm_http_header_number("1.5", &n), -1);
	assert_int_equal(fm_http_header_number("0x10", &n), -1);
	assert_int_equal(fm_http_header_number(NULL, &n), -1);
	assert_int_equal(n, 7);
}

static void retry_after_seconds_or_date(void **state)
{
	int64_t s, d;

	(void)state;
	assert_int_equal(fm_http_retry_after("0", &s, &d), 0);
	assert_int_equal(s, 0);
	assert_int_equal(d, -1);
	assert_int_equal(fm_http_retry_after("120", &s, &d), 0);
	assert_int_equal(s, 120);
	assert_int_equal(
		fm_http_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", &s, &d),
		0);
	assert_int_equal(s, -1);
	assert_int_equal(d, 1445412480);
	/* the obsolete RFC 850 form, as RFC 9110 asks a recipient to read */
	assert_int_equal(fm_http_retry_after(
				 "Wednesday, 21-Oct-15 07:28:00 GMT", &s, &d),
			 0);
	assert_int_equal(d, 1445412480);
	assert_int_equal(fm_http_retry_after("soon", &s, &d), -1);
	assert_int_equal(fm_http_retry_after("-5", &s, &d), -1);
	assert_int_equal(fm_http_retry_after("", &s, &d), -1);
	assert_int_equal(s, -1);
	assert_int_equal(d, -1);
}

static void on_origin_refuses_other_origins_and_credentials(void **state)
{
	(void)state;
	assert_true(fm_http_on_origin("http://127.0.0.1:8080/repositories/1",
				      "http://127.0.0.1:8080"));
	assert_false(fm_http_on_origin("http://127.0.0.1:8081/x",
				       "http://127.0.0.1:8080"));
	assert_false(fm_http_on_origin("http://169.254.169.254/latest",
				       "http://127.0.0.1:8080"));
	assert_false(fm_http_on_origin("http://u:p@127.0.0.1:8080/x",
				       "http://127.0.0.1:8080"));
	assert_false(fm_http_on_origin("http://u@127.0.0.1:8080/x",
				       "http://127.0.0.1:8080"));
}

/*
 * A message is scrubbed whole, then cut to its buffer: a URL whose '@'
 * falls past the cut keeps no part of its password.
 */
static void long_messages_keep_no_password(void **state)
{
	char pad[600];
	fm_http_err err;
	size_t cut;

	(void)state;
	for (cut = 440; cut < 520; cut += 7) {
		memset(pad, 'x', cut);
		pad[cut] = '\0';
		fm_http_set_err(&err, FM_ENET, 0, "%s https://user:%s@host/x",
				pad, "SECRETSECRETSECRETSECRETSECRETSECRET");
		assert_null(strstr(err.msg, "SECRET"));
		assert_true(strlen(err.msg) < sizeof(err.msg));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(link_next_first),
		cmocka_unit_test(link_next_last_in_order),
		cmocka_unit_test(link_without_next),
		cmocka_unit_test(link_odd_but_valid),
		cmocka_unit_test(origins),
		cmocka_unit_test(header_numbers_are_checked),
		cmocka_unit_test(retry_after_seconds_or_date),
		cmocka_unit_test(
			on_origin_refuses_other_origins_and_credentials),
		cmocka_unit_test(long_messages_keep_no_password),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
