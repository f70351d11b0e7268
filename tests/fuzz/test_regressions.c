/*
 * What the fuzz targets found, as unit tests of the default suite (the
 * inputs themselves are kept in tests/fuzz/corpus/, which `ctest -L fuzz`
 * replays). docs/fuzzing.md lists them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "forge/forge_json.h"
#include "forge/http_ratelimit.h"

/* forge_json/odd_values.json: numbers out of long's range were cast
 * (undefined behaviour); they are now "absent", as a non-number is. */
static void test_json_long_out_of_range(void **state)
{
	static const char doc[] =
		"{\"big\":1e300,\"small\":-1e19,"
		"\"max\":9223372036854775807,\"ok\":-12,\"str\":\"12\"}";
	cJSON *o = cJSON_Parse(doc);

	(void)state;
	assert_non_null(o);
	assert_int_equal(fm_forge_json_long(o, "big", -1), -1);
	assert_int_equal(fm_forge_json_long(o, "small", -1), -1);
	/* 2^63 as a double: one past LONG_MAX */
	assert_int_equal(fm_forge_json_long(o, "max", -1), -1);
	assert_int_equal(fm_forge_json_long(o, "ok", 0), -12);
	assert_int_equal(fm_forge_json_long(o, "str", 7), 7);
	cJSON_Delete(o);
}

static void header(fm_http_conn *c, const char *name, const char *value)
{
	assert_int_equal(fm_http_ratelimit_header(c, name, strlen(name), value),
			 1);
}

/* ratelimit/huge.txt: x-ratelimit-reset and retry-after at the top of
 * their types overflowed when a wait was computed (reset + 1). They stay
 * waits far in the future (over any max_wait), never "retry now". */
static void test_ratelimit_seconds_out_of_range(void **state)
{
	fm_ctx *ctx;
	fm_http *h;
	fm_http_conn *c;
	fm_http_opts opts;
	fm_http_counters n;

	(void)state;
	memset(&opts, 0, sizeof(opts));
	opts.base = "https://api.github.com";
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_http_new(ctx, &opts, &h), 0);
	assert_int_equal(fm_http_conn_new(h, &c), 0);
	fm_http_ratelimit_reset(c);
	header(c, "retry-after", "9223372036854775807");
	header(c, "x-ratelimit-remaining", "0");
	header(c, "x-ratelimit-reset", "99999999999999999999");
	assert_true(c->retry_after > 100L * 365 * 86400);
	assert_true(c->rl_reset > 100LL * 365 * 86400 + 1700000000);
	assert_true(c->rl_reset < INT64_MAX / 2);
	fm_http_note_answer(h, c, 403);
	fm_http_counters_get(h, &n);
	assert_int_equal(n.remaining, 0);
	assert_true(n.reset == c->rl_reset);
	fm_http_conn_free(c);
	fm_http_free(h);
	fm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_long_out_of_range),
		cmocka_unit_test(test_ratelimit_seconds_out_of_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
