/*
 * Fuzz target: the config reader (config/config.c over libgit2's config
 * parser). The input is a forkmap.conf, written to a file of its own.
 *
 * Inputs that name an include are left out: [include] path = /dev/zero
 * would make the target read a device forever, and what an include
 * brings in is parsed like the file itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <git2.h>

#include <forkmap/config.h>

#include "fuzz_file.h"

static void quiet(void *payload, int level, const char *msg)
{
	(void)payload;
	(void)level;
	(void)msg;
}

/* 1 when data holds "include" in any case. */
static int names_include(const uint8_t *data, size_t size)
{
	static const char word[] = "include";
	size_t i, n = sizeof(word) - 1;

	for (i = 0; i + n <= size; i++)
		if (strncasecmp((const char *)data + i, word, n) == 0)
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static fm_ctx *ctx;
	fm_config cfg;
	char path[400];

	if (!ctx) {
		if (fm_ctx_new(&ctx) < 0)
			abort();
		fm_ctx_set_log(ctx, quiet, NULL);
		/* held for the process: fm_config_load's own init is then
		 * a reference count, not a start of libgit2 per input */
		git_libgit2_init();
	}
	if (names_include(data, size) ||
	    fuzz_write("forkmap.conf", data, size, path, sizeof(path)) < 0)
		return 0;
	if (fm_config_init(&cfg) == 0)
		fm_config_load(ctx, path, &cfg);
	fm_config_clear(&cfg);
	fm_ctx_clear_error(ctx);
	fuzz_remove(path);
	return 0;
}
