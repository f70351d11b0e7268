/*
 * fm_history_fork over a store of three runs: the ways a fork is named,
 * oldest run first, runs without the fork left out, and the errors for a
 * name that matches nothing or several forks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <forkmap/history.h>

static fm_row row(const char *name, const char *branch, long ahead)
{
	fm_row r;

	memset(&r, 0, sizeof(r));
	r.name = (char *)name;
	r.branch = (char *)branch;
	r.ref = (char *)"refs/heads/forks/x";
	r.base_tag = r.release = (char *)"v1.0.0";
	r.ahead = ahead;
	r.unique = r.behind = r.files = r.insertions = r.deletions = 0;
	r.stars = -1;
	return r;
}

static void save(fm_ctx *ctx, fm_store *store, fm_row *rows, size_t n,
		 int64_t when)
{
	fm_census c;
	fm_run_stats stats = FM_RUN_STATS_INIT;
	int64_t id;

	memset(&c, 0, sizeof(c));
	c.upstream = (char *)"up";
	c.branch = (char *)"master";
	c.rows = rows;
	c.nrows = n;
	c.started = when - 10;
	c.finished = when;
	assert_int_equal(fm_store_save_census(ctx, store, &c, &stats, &id), 0);
}

static void test_fork_across_runs(void **state)
{
	fm_ctx *ctx;
	fm_store *store;
	fm_history *h;
	fm_row r1[] = {row("acme/qemu", "stable", 1), row("solo", "main", 5)};
	fm_row r2[] = {row("acme/qemu", "stable", 2)};
	fm_row r3[] = {row("acme/qemu", "stable", 3),
		       row("acme/qemu", "dev", 9), row("solo", "main", 6)};
	const char *names[] = {"acme/qemu:stable", "acme/qemu/stable"};
	size_t i;

	(void)state;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_store_open(ctx, ":memory:", &store), 0);
	save(ctx, store, r1, 2, 1000);
	save(ctx, store, r2, 1, 2000);
	save(ctx, store, r3, 3, 3000);
	for (i = 0; i < 2; i++) {
		assert_int_equal(fm_history_fork(ctx, store, names[i], &h), 0);
		assert_int_equal(h->n, 3);
		assert_int_equal(h->entries[0].run_id, 1);
		assert_int_equal(h->entries[0].when, 1000);
		assert_int_equal(h->entries[2].run_id, 3);
		assert_int_equal(h->entries[0].row->ahead, 1);
		assert_int_equal(h->entries[2].row->ahead, 3);
		assert_string_equal(h->entries[1].row->branch, "stable");
		fm_history_free(h);
	}
	/* run 2 has no "solo": left out */
	assert_int_equal(fm_history_fork(ctx, store, "solo", &h), 0);
	assert_int_equal(h->n, 2);
	assert_int_equal(h->entries[1].run_id, 3);
	assert_int_equal(h->entries[1].row->ahead, 6);
	fm_history_free(h);
	/* two branches of one name */
	assert_int_equal(fm_history_fork(ctx, store, "acme/qemu", &h),
			 FM_EINVAL);
	assert_null(h);
	assert_non_null(strstr(fm_ctx_errmsg(ctx), "acme/qemu:stable"));
	assert_non_null(strstr(fm_ctx_errmsg(ctx), "acme/qemu:dev"));
	fm_ctx_clear_error(ctx);
	assert_int_equal(fm_history_fork(ctx, store, "acme", &h), FM_EINVAL);
	assert_non_null(strstr(fm_ctx_errmsg(ctx), "is in no census run"));
	fm_store_free(store);
	fm_ctx_free(ctx);
}

static void test_empty_store(void **state)
{
	fm_ctx *ctx;
	fm_store *store;
	fm_history *h;

	(void)state;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_store_open(ctx, ":memory:", &store), 0);
	assert_int_equal(fm_history_fork(ctx, store, "x", &h), FM_ENOTFOUND);
	assert_null(h);
	fm_store_free(store);
	fm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fork_across_runs),
		cmocka_unit_test(test_empty_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
