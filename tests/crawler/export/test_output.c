/* How an export document reaches its FILE: one place for its errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/output.h"

static void test_write_whole_document(void **state)
{
	fm_buf doc = FM_BUF_INIT;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	fm_ctx *ctx;

	(void)state;
	assert_non_null(f);
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_buf_puts(&doc, "a,b\n1,2\n"), 0);
	assert_int_equal(fm_export_write(ctx, f, &doc, "csv"), 0);
	assert_int_equal(len, 8); /* flushed */
	assert_string_equal(text, "a,b\n1,2\n");
	fclose(f);
	free(text);
	fm_buf_clear(&doc);
	fm_ctx_free(ctx);
}

/* A document that ran out of memory while built is never written. */
static void test_out_of_memory_not_written(void **state)
{
	fm_buf doc = FM_BUF_INIT;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	fm_ctx *ctx;

	(void)state;
	assert_non_null(f);
	assert_int_equal(fm_ctx_new(&ctx), 0);
	fm_buf_puts(&doc, "partial");
	doc.oom = 1;
	assert_int_equal(fm_export_write(ctx, f, &doc, "csv"), FM_ENOMEM);
	assert_string_equal(fm_ctx_errmsg(ctx), "out of memory");
	fflush(f);
	assert_int_equal(len, 0);
	fclose(f);
	free(text);
	fm_buf_clear(&doc);
	fm_ctx_free(ctx);
}

static void test_write_failure_names_what(void **state)
{
	fm_buf doc = FM_BUF_INIT;
	FILE *f = fopen("/dev/full", "w");
	fm_ctx *ctx;

	(void)state;
	if (!f)
		skip();
	assert_int_equal(fm_ctx_new(&ctx), 0);
	fm_buf_puts(&doc, "{}\n");
	assert_int_equal(fm_export_write(ctx, f, &doc, "json"), FM_EIO);
	assert_string_equal(fm_ctx_errmsg(ctx),
			    "cannot write json: No space left on device");
	fclose(f);
	fm_buf_clear(&doc);
	fm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_whole_document),
		cmocka_unit_test(test_out_of_memory_not_written),
		cmocka_unit_test(test_write_failure_names_what),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
