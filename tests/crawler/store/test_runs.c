/* Census runs in the store: save, load back, list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_fixture.h"

static void round_trip(fm_ctx *ctx, const char *path)
{
	fm_census *c = sample_census("qemu/qemu"), *back = NULL;
	fm_store *s;
	int64_t id = 0;

	assert_int_equal(fm_store_open(ctx, path, &s), 0);
	assert_int_equal(fm_store_save_census(ctx, s, c, NULL, &id), 0);
	assert_true(id > 0);
	assert_int_equal(fm_store_load_census(ctx, s, id, &back), 0);
	assert_census_equal(back, c);
	fm_census_free(back);
	/* 0: the latest */
	assert_int_equal(fm_store_load_census(ctx, s, 0, &back), 0);
	assert_census_equal(back, c);
	fm_census_free(back);
	fm_store_free(s);
	fm_census_free(c);
}

static void test_round_trip_memory(void **state)
{
	struct fixture *fx = *state;

	round_trip(fx->ctx, ":memory:");
	assert_int_equal(fm_ctx_errcode(fx->ctx), FM_OK);
}

static void test_round_trip_file_and_reopen(void **state)
{
	struct fixture *fx = *state;
	fm_census *c = sample_census("qemu/qemu"), *back;
	fm_store *s;

	round_trip(fx->ctx, fx->path);
	/* a second open finds the run, migrates nothing */
	assert_int_equal(fm_store_open(fx->ctx, fx->path, &s), 0);
	assert_int_equal(fm_store_load_census(fx->ctx, s, 0, &back), 0);
	assert_census_equal(back, c);
	fm_census_free(back);
	fm_store_free(s);
	fm_census_free(c);
}

static void test_list_runs_and_counts(void **state)
{
	struct fixture *fx = *state;
	fm_run_stats stats = FM_RUN_STATS_INIT;
	fm_census *a = sample_census("qemu/qemu");
	fm_census *b = sample_census("redis/redis");
	fm_run_info *runs;
	fm_store *s;
	int64_t ida, idb;
	size_t n;

	assert_int_equal(fm_store_open(fx->ctx, ":memory:", &s), 0);
	assert_int_equal(fm_store_list_runs(fx->ctx, s, &runs, &n), 0);
	assert_int_equal(n, 0);
	fm_run_info_free(runs, n);

	stats.requests = 17;
	stats.not_modified = 15;
	stats.remaining = 4983;
	stats.complete = 0;
	assert_int_equal(fm_store_save_census(fx->ctx, s, a, &stats, &ida), 0);
	b->started = a->started + 86400;
	free(b->rows[1].error); /* b: 3 measured, 1 skipped, 0 failed */
	b->rows[1].error = NULL;
	assert_int_equal(fm_store_save_census(fx->ctx, s, b, NULL, &idb), 0);
	assert_true(idb > ida);

	assert_int_equal(fm_store_list_runs(fx->ctx, s, &runs, &n), 0);
	assert_int_equal(n, 2);
	/* newest first */
	assert_true(runs[0].id == idb);
	assert_string_equal(runs[0].upstream, "redis/redis");
	assert_string_equal(runs[0].branch, "master");
	assert_true(runs[0].started == b->started);
	assert_int_equal(runs[0].forks, 4);
	assert_int_equal(runs[0].measured, 3);
	assert_int_equal(runs[0].skipped, 1);
	assert_int_equal(runs[0].failed, 0);
	assert_int_equal(runs[0].stats.requests, 0); /* FM_RUN_STATS_INIT */
	assert_int_equal(runs[0].stats.remaining, -1);
	assert_int_equal(runs[0].stats.complete, 1);

	assert_true(runs[1].id == ida);
	assert_string_equal(runs[1].upstream, "qemu/qemu");
	assert_true(runs[1].started == a->started);
	assert_true(runs[1].finished == a->finished);
	assert_int_equal(runs[1].forks, 4);
	assert_int_equal(runs[1].measured, 2);
	assert_int_equal(runs[1].skipped, 1);
	assert_int_equal(runs[1].failed, 1);
	assert_int_equal(runs[1].stats.requests, 17);
	assert_int_equal(runs[1].stats.not_modified, 15);
	assert_int_equal(runs[1].stats.remaining, 4983);
	assert_int_equal(runs[1].stats.complete, 0);
	fm_run_info_free(runs, n);
	fm_run_info_free(NULL, 0);

	fm_store_free(s);
	fm_census_free(a);
	fm_census_free(b);
}

static void test_load_missing_run(void **state)
{
	struct fixture *fx = *state;
	fm_census *c = (fm_census *)&c;
	fm_store *s;

	assert_int_equal(fm_store_open(fx->ctx, ":memory:", &s), 0);
	assert_int_equal(fm_store_load_census(fx->ctx, s, 0, &c), FM_ENOTFOUND);
	assert_null(c);
	assert_string_equal(fm_ctx_errmsg(fx->ctx),
			    "no census run in the store");
	fm_ctx_clear_error(fx->ctx);
	assert_int_equal(fm_store_load_census(fx->ctx, s, 42, &c),
			 FM_ENOTFOUND);
	assert_string_equal(fm_ctx_errmsg(fx->ctx),
			    "no census run 42 in the store");
	fm_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip_memory, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_file_and_reopen,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_runs_and_counts,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_missing_run, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
