/* The caches in the store: HTTP responses and the key/value caches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <pthread.h>

#include <cmocka.h>

#include "store_fixture.h"

static void test_http_cache(void **state)
{
	struct fixture *fx = *state;
	static const char body[] = "[{\"id\": 1}]\0binary\xff";
	const char *url = "https://api.github.com/repos/o/r/forks?page=2";
	fm_http_entry e = {NULL, NULL, NULL, NULL, 0}, got;
	fm_store *s;

	assert_int_equal(fm_store_open(fx->ctx, ":memory:", &s), 0);
	/* a miss sets no error */
	assert_int_equal(fm_store_http_get(fx->ctx, s, url, &got),
			 FM_ENOTFOUND);
	assert_int_equal(fm_ctx_errcode(fx->ctx), FM_OK);

	e.etag = "W/\"abc\"";
	e.last_modified = "Tue, 05 Mar 2024 13:02:11 GMT";
	e.link = "<https://api.github.com/x?page=3>; rel=\"next\"";
	e.body = (char *)body;
	e.body_len = sizeof(body) - 1;
	assert_int_equal(fm_store_http_put(fx->ctx, s, url, &e), 0);
	assert_int_equal(fm_store_http_get(fx->ctx, s, url, &got), 0);
	assert_string_equal(got.etag, e.etag);
	assert_string_equal(got.last_modified, e.last_modified);
	assert_string_equal(got.link, e.link);
	assert_int_equal(got.body_len, sizeof(body) - 1);
	assert_memory_equal(got.body, body, sizeof(body) - 1);
	assert_int_equal(got.body[got.body_len], '\0');
	fm_http_entry_clear(&got);
	assert_null(got.body);

	/* overwrite: absent validators become NULL */
	e.etag = "\"def\"";
	e.last_modified = NULL;
	e.link = NULL;
	e.body = "[]";
	e.body_len = 2;
	assert_int_equal(fm_store_http_put(fx->ctx, s, url, &e), 0);
	assert_int_equal(fm_store_http_get(fx->ctx, s, url, &got), 0);
	assert_string_equal(got.etag, "\"def\"");
	assert_null(got.last_modified);
	assert_null(got.link);
	assert_string_equal(got.body, "[]");
	fm_http_entry_clear(&got);

	/* no body at all */
	e.body = NULL;
	e.body_len = 0;
	assert_int_equal(fm_store_http_put(fx->ctx, s, "u2", &e), 0);
	assert_int_equal(fm_store_http_get(fx->ctx, s, "u2", &got), 0);
	assert_null(got.body);
	assert_int_equal(got.body_len, 0);
	fm_http_entry_clear(&got);
	fm_store_free(s);
}

static void test_kv_caches(void **state)
{
	struct fixture *fx = *state;
	int64_t v = -5;
	fm_store *s;
	char key[41];
	int i;

	assert_int_equal(fm_store_open(fx->ctx, ":memory:", &s), 0);
	assert_int_equal(
		fm_store_cache_get(fx->ctx, s, "blob_lines", OID_A, &v),
		FM_ENOTFOUND);
	assert_true(v == -5);
	assert_int_equal(fm_ctx_errcode(fx->ctx), FM_OK);
	assert_int_equal(
		fm_store_cache_put(fx->ctx, s, "blob_lines", OID_A, 1234), 0);
	assert_int_equal(fm_store_cache_put(fx->ctx, s, "patch_ids", OID_A,
					    INT64_MIN + 1),
			 0);
	assert_int_equal(
		fm_store_cache_get(fx->ctx, s, "blob_lines", OID_A, &v), 0);
	assert_true(v == 1234);
	assert_int_equal(fm_store_cache_get(fx->ctx, s, "patch_ids", OID_A, &v),
			 0);
	assert_true(v == INT64_MIN + 1);
	/* overwrite */
	assert_int_equal(
		fm_store_cache_put(fx->ctx, s, "blob_lines", OID_A, 99), 0);
	assert_int_equal(
		fm_store_cache_get(fx->ctx, s, "blob_lines", OID_A, &v), 0);
	assert_true(v == 99);
	assert_int_equal(fm_store_cache_get(fx->ctx, s, "patch_ids", OID_B, &v),
			 FM_ENOTFOUND);

	/* a batch in one transaction */
	assert_int_equal(fm_store_begin(fx->ctx, s), 0);
	for (i = 0; i < 500; i++) {
		snprintf(key, sizeof(key), "%040d", i);
		assert_int_equal(
			fm_store_cache_put(fx->ctx, s, "patch_ids", key, i * 3),
			0);
	}
	assert_int_equal(fm_store_commit(fx->ctx, s), 0);
	snprintf(key, sizeof(key), "%040d", 321);
	assert_int_equal(fm_store_cache_get(fx->ctx, s, "patch_ids", key, &v),
			 0);
	assert_true(v == 963);
	fm_store_free(s);
}

static void test_cache_table_restricted(void **state)
{
	struct fixture *fx = *state;
	int64_t v;
	fm_store *s;

	assert_int_equal(fm_store_open(fx->ctx, ":memory:", &s), 0);
	assert_int_equal(fm_store_cache_put(fx->ctx, s, "runs", "k", 1),
			 FM_EINVAL);
	assert_string_equal(fm_ctx_errmsg(fx->ctx),
			    "unknown cache table 'runs'");
	fm_ctx_clear_error(fx->ctx);
	assert_int_equal(fm_store_cache_get(fx->ctx, s,
					    "blob_lines; DROP TABLE runs", "k",
					    &v),
			 FM_EINVAL);
	fm_ctx_clear_error(fx->ctx);
	assert_int_equal(fm_store_cache_get(fx->ctx, s, NULL, "k", &v),
			 FM_EINVAL);
	assert_int_equal(fm_store_cache_put(fx->ctx, s, "BLOB_LINES", "k", 1),
			 FM_EINVAL);
	fm_store_free(s);
}

struct worker {
	fm_store *store;
	int id;
	int failures;
};

static void *hammer(void *arg)
{
	struct worker *w = arg;
	fm_ctx *ctx;
	char key[41];
	int64_t v;
	int i;

	if (fm_ctx_new(&ctx) < 0) {
		w->failures++;
		return NULL;
	}
	for (i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), "%02d%038d", w->id, i);
		if (fm_store_cache_put(ctx, w->store, "patch_ids", key,
				       w->id * 1000 + i) < 0 ||
		    fm_store_cache_get(ctx, w->store, "patch_ids", key, &v) <
			    0 ||
		    v != w->id * 1000 + i)
			w->failures++;
	}
	fm_ctx_free(ctx);
	return NULL;
}

/* The patch-id workers share one store. */
static void test_cache_threads(void **state)
{
	struct fixture *fx = *state;
	struct worker w[4];
	pthread_t t[4];
	fm_store *s;
	int i;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_begin(fx->ctx, s), 0);
	for (i = 0; i < 4; i++) {
		w[i].store = s;
		w[i].id = i;
		w[i].failures = 0;
		assert_int_equal(pthread_create(&t[i], NULL, hammer, &w[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].failures, 0);
	}
	assert_int_equal(fm_store_commit(fx->ctx, s), 0);
	fm_store_free(s);
	assert_int_equal(query_int(fx->path, "SELECT count(*) FROM patch_ids"),
			 800);
}

/* Each key/value table keeps its own values: a key in one is a miss in
 * the others. */
static void test_kv_round_trip_every_table(void **state)
{
	static const char *const tables[] = {"blob_lines", "patch_ids",
					     "patch_headers", "diff_stats"};
	struct fixture *fx = *state;
	fm_store *s;
	int64_t v;
	char key[64];
	size_t i, j;

	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	for (i = 0; i < 4; i++) {
		snprintf(key, sizeof(key), "%s-key", tables[i]);
		assert_int_equal(fm_store_cache_put(fx->ctx, s, tables[i], key,
						    (int64_t)i * 1000 - 1),
				 0);
	}
	fm_store_free(s);
	/* read back after a reopen: the values were written to the file */
	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	for (i = 0; i < 4; i++) {
		for (j = 0; j < 4; j++) {
			snprintf(key, sizeof(key), "%s-key", tables[j]);
			v = 12345;
			if (i == j) {
				assert_int_equal(fm_store_cache_get(fx->ctx, s,
								    tables[i],
								    key, &v),
						 0);
				assert_true(v == (int64_t)i * 1000 - 1);
			} else {
				assert_int_equal(fm_store_cache_get(fx->ctx, s,
								    tables[i],
								    key, &v),
						 FM_ENOTFOUND);
				assert_true(v == 12345);
			}
		}
	}
	assert_int_equal(fm_ctx_errcode(fx->ctx), FM_OK);
	fm_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_http_cache, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_kv_caches, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cache_table_restricted,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_threads, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_kv_round_trip_every_table,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
