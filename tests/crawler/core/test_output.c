/*
 * core/output: the one atomic output writer. A file is replaced only by a
 * complete output; devices are written in place; "-" is the caller's
 * stream; an abandoned output leaves the old file and no temporary file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/output.h"

static char dir[64];

static char *at(const char *name)
{
	static char buf[4][128];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static void put(const char *file, const char *text)
{
	FILE *f = fopen(file, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void expect(const char *file, const char *text)
{
	char buf[256] = "";
	FILE *f = fopen(file, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_string_equal(buf, text);
}

static int files_in_dir(void)
{
	char cmd[128];
	int n = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/fm-output-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_commit_replaces_the_file_only_at_the_end(void **state)
{
	fm_output o;

	(void)state;
	put(at("f.csv"), "old\n");
	assert_int_equal(fm_output_open(NULL, &o, at("f.csv"), NULL), 0);
	fputs("new\n", o.f);
	fflush(o.f);
	expect(at("f.csv"), "old\n"); /* still the old one while writing */
	assert_int_equal(fm_output_commit(NULL, &o, 0), 0);
	fm_output_abandon(&o);
	expect(at("f.csv"), "new\n");
	assert_int_equal(files_in_dir(), 1);
}

static void test_failed_writer_keeps_the_old_file(void **state)
{
	fm_output o;

	(void)state;
	put(at("g.csv"), "old\n");
	assert_int_equal(fm_output_open(NULL, &o, at("g.csv"), NULL), 0);
	fputs("half", o.f);
	assert_int_equal(fm_output_commit(NULL, &o, FM_ENOMEM), FM_ENOMEM);
	expect(at("g.csv"), "old\n");
	assert_int_equal(files_in_dir(), 1);
}

static void test_abandon_removes_the_temporary_file(void **state)
{
	fm_output o;

	(void)state;
	assert_int_equal(fm_output_open(NULL, &o, at("h.json"), NULL), 0);
	fputs("{", o.f);
	fm_output_abandon(&o);
	assert_int_equal(access(at("h.json"), F_OK), -1);
	assert_int_equal(files_in_dir(), 0);
}

static void test_device_is_written_in_place(void **state)
{
	fm_output o;
	struct stat st;

	(void)state;
	assert_int_equal(fm_output_open(NULL, &o, "/dev/null", NULL), 0);
	assert_null(o.tmp);
	fputs("x", o.f);
	assert_int_equal(fm_output_commit(NULL, &o, 0), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
}

static void test_dash_is_the_callers_stream(void **state)
{
	fm_output o;
	FILE *s = tmpfile();

	(void)state;
	assert_non_null(s);
	assert_int_equal(fm_output_open(NULL, &o, "-", s), 0);
	assert_ptr_equal(o.f, s);
	assert_int_equal(fm_output_commit(NULL, &o, 0), 0);
	fm_output_abandon(&o); /* never closes the caller's stream */
	assert_int_equal(fputs("still open", s) >= 0, 1);
	fclose(s);
	assert_int_equal(fm_output_open(NULL, &o, "-", NULL), FM_EINVAL);
}

static void test_unwritable_path_fails_at_open(void **state)
{
	fm_ctx *ctx;
	fm_output o;

	(void)state;
	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_output_open(ctx, &o, at("no/dir/f.csv"), NULL),
			 FM_EIO);
	assert_non_null(strstr(fm_ctx_errmsg(ctx), "cannot write"));
	assert_null(o.f);
	fm_output_abandon(&o);
	fm_ctx_free(ctx);
}

static void test_no_path_is_nothing_to_write(void **state)
{
	fm_output o;

	(void)state;
	assert_int_equal(fm_output_open(NULL, &o, NULL, NULL), 0);
	assert_null(o.f);
	assert_int_equal(fm_output_commit(NULL, &o, 0), 0);
	fm_output_abandon(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_commit_replaces_the_file_only_at_the_end, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_failed_writer_keeps_the_old_file, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_abandon_removes_the_temporary_file, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_device_is_written_in_place,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_dash_is_the_callers_stream,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_unwritable_path_fails_at_open, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_no_path_is_nothing_to_write, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
