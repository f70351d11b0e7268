/*
 * crawler/core/oidmap.c: put/get, replace, intern keeps entry indexes in
 * insertion order, unknown keys are not found, and growing past many
 * thousands of keys loses none of them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <git2.h>

#include <forkmap/common.h>

#include "core/oidmap.h"

/* A key with a deterministic, spread-out id (and collisions on purpose:
 * the first 8 bytes, the hash, repeat every 16 keys). */
static git_oid key(uint32_t i, int collide)
{
	git_oid oid;
	uint64_t h = collide ? (uint64_t)(i % 16) * 0x9e3779b97f4a7c15ULL
			     : (uint64_t)(i + 1) * 0x9e3779b97f4a7c15ULL;

	memset(&oid, 0, sizeof(oid));
	memcpy(oid.id, &h, sizeof(h));
	memcpy(oid.id + 8, &i, sizeof(i));
	return oid;
}

static void test_empty_map_finds_nothing(void **state)
{
	fm_oidmap m;
	git_oid k = key(1, 0);
	uint64_t v = 7;

	(void)state;
	fm_oidmap_init(&m);
	assert_int_equal(fm_oidmap_find(&m, &k), FM_OIDMAP_NONE);
	assert_int_equal(fm_oidmap_get(&m, &k, &v), FM_ENOTFOUND);
	assert_int_equal(v, 7);
	fm_oidmap_clear(&m);
}

static void test_put_then_get_and_replace(void **state)
{
	fm_oidmap m;
	git_oid a = key(1, 0), b = key(2, 0);
	uint64_t v;

	(void)state;
	fm_oidmap_init(&m);
	assert_int_equal(fm_oidmap_put(&m, &a, 10), 0);
	assert_int_equal(fm_oidmap_put(&m, &b, UINT64_MAX), 0);
	assert_int_equal(fm_oidmap_get(&m, &a, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(fm_oidmap_get(&m, &b, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(fm_oidmap_put(&m, &a, 11), 0);
	assert_int_equal(fm_oidmap_get(&m, &a, &v), 0);
	assert_int_equal(v, 11);
	assert_int_equal(m.count, 2);
	fm_oidmap_clear(&m);
}

static void test_intern_numbers_entries_in_insertion_order(void **state)
{
	fm_oidmap m;
	uint32_t i, idx;
	int added;

	(void)state;
	fm_oidmap_init(&m);
	for (i = 0; i < 100; i++) {
		git_oid k = key(i, 0);

		assert_int_equal(fm_oidmap_intern(&m, &k, &idx, &added), 0);
		assert_true(added);
		assert_int_equal(idx, i);
	}
	for (i = 0; i < 100; i++) {
		git_oid k = key(i, 0);

		assert_int_equal(fm_oidmap_intern(&m, &k, &idx, &added), 0);
		assert_false(added);
		assert_int_equal(idx, i);
		assert_true(git_oid_equal(fm_oidmap_key(&m, i), &k));
	}
	/* A map used as an index has no values until a put: they read 0. */
	{
		git_oid k = key(5, 0);
		uint64_t v = 1;

		assert_null(m.values);
		assert_int_equal(fm_oidmap_get(&m, &k, &v), 0);
		assert_int_equal(v, 0);
		assert_int_equal(fm_oidmap_put(&m, &k, 55), 0);
		k = key(6, 0);
		assert_int_equal(fm_oidmap_get(&m, &k, &v), 0);
		assert_int_equal(v, 0);
	}
	fm_oidmap_clear(&m);
}

static void many_keys(int collide)
{
	enum { N = 200000 };
	fm_oidmap m;
	uint32_t i;
	uint64_t v;

	fm_oidmap_init(&m);
	for (i = 0; i < N; i++) {
		git_oid k = key(i, collide);

		assert_int_equal(fm_oidmap_put(&m, &k, (uint64_t)i * 3), 0);
		if (collide && i > 2000)
			break; /* colliding keys probe linearly: keep it short
				*/
	}
	assert_true(m.nslots >= 2 * (size_t)m.count);
	for (i = 0; i < m.count; i++) {
		git_oid k = key(i, collide);

		assert_int_equal(fm_oidmap_get(&m, &k, &v), 0);
		assert_true(v == (uint64_t)i * 3);
	}
	for (i = m.count; i < m.count + 1000; i++) {
		git_oid k = key(i, collide);

		assert_int_equal(fm_oidmap_find(&m, &k), FM_OIDMAP_NONE);
	}
	fm_oidmap_clear(&m);
	assert_int_equal(m.count, 0);
}

static void test_growing_keeps_every_key(void **state)
{
	(void)state;
	many_keys(0);
}

static void test_keys_with_equal_hashes_stay_apart(void **state)
{
	(void)state;
	many_keys(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_map_finds_nothing),
		cmocka_unit_test(test_put_then_get_and_replace),
		cmocka_unit_test(
			test_intern_numbers_entries_in_insertion_order),
		cmocka_unit_test(test_growing_keeps_every_key),
		cmocka_unit_test(test_keys_with_equal_hashes_stay_apart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
