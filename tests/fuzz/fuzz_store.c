/*
 * Fuzz target: the store opener given arbitrary bytes as a file
 * (crawler/store). The input is written as census.db, opened read-only as
 * the readers open it (history: every run; render: the latest run and
 * each run by id), then opened by the writer as the census opens it
 * (checked, migrated) and read once more through the HTTP cache.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <forkmap/runs.h>

#include "store/cache.h"

#include "fuzz_file.h"

/* What a reader does with a store: list the runs, load each. */
static void read_all(fm_ctx *ctx, fm_store *store)
{
	fm_run_info *runs = NULL;
	fm_census *census = NULL;
	size_t i, n = 0;

	if (fm_store_load_census(ctx, store, 0, &census) == 0)
		fm_census_free(census);
	if (fm_store_list_runs(ctx, store, &runs, &n) < 0)
		return;
	for (i = 0; i < n && i < 8; i++) {
		census = NULL;
		if (fm_store_load_census(ctx, store, runs[i].id, &census) == 0)
			fm_census_free(census);
	}
	fm_run_info_free(runs, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static fm_ctx *ctx;
	fm_store *store = NULL;
	fm_http_entry e = {0};
	char path[400];
	int64_t v;

	if (!ctx && fm_ctx_new(&ctx) < 0)
		abort();
	if (fuzz_write("census.db", data, size, path, sizeof(path)) < 0)
		return 0;
	if (fm_store_open_readonly(ctx, path, &store) == 0) {
		read_all(ctx, store);
		fm_store_free(store);
	}
	fm_ctx_clear_error(ctx);
	store = NULL;
	if (fm_store_open(ctx, path, &store) == 0) {
		read_all(ctx, store);
		if (fm_store_http_get(ctx, store,
				      "/repos/o/r/forks?sort=stargazers",
				      &e) == 0)
			fm_http_entry_clear(&e);
		fm_store_cache_get(ctx, store, "blob_lines",
				   "0123456789abcdef0123456789abcdef01234567",
				   &v);
		fm_store_free(store);
	}
	fm_ctx_clear_error(ctx);
	fuzz_remove(path);
	return 0;
}
