/* JSON export: the document, its field names and null for the unknown. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cjson/cJSON.h>

#include "export_fixture.h"

static const cJSON *get(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_non_null(v);
	return v;
}

static void assert_json_str(const cJSON *o, const char *key, const char *want)
{
	const cJSON *v = get(o, key);

	assert_true(cJSON_IsString(v));
	assert_string_equal(v->valuestring, want);
}

static void assert_json_num(const cJSON *o, const char *key, double want)
{
	const cJSON *v = get(o, key);

	assert_true(cJSON_IsNumber(v));
	assert_true(v->valuedouble == want);
}

static void assert_json_null(const cJSON *o, const char *key)
{
	assert_true(cJSON_IsNull(get(o, key)));
}

static void test_json_fields(void **state)
{
	static const char *const fork_keys[] = {
		"name",
		"branch",
		"ref",
		"source",
		"error",
		"skipped",
		"head",
		"merge_base",
		"ahead",
		"behind",
		"ahead_first_parent",
		"unique",
		"patches",
		"base_tag",
		"release",
		"files",
		"insertions",
		"deletions",
		"head_date",
		"merge_base_date",
		"base_date",
		"stars",
		"fate",
	};
	fm_census *c = census_new(4);
	const cJSON *forks, *f, *rel, *item;
	cJSON *doc;
	char *out;
	size_t i;

	(void)state;
	c->releases = calloc(1, sizeof(*c->releases));
	assert_non_null(c->releases);
	c->nreleases = 1;
	c->releases[0].tag = xstrdup("v8.0.0");
	strcpy(c->releases[0].commit, OID_B);
	c->releases[0].date = mkdate(1681900000, 330);
	c->releases[0].tree_lines = 123456;
	row_measured(&c->rows[0], "acme/qemu", "main");
	row_failed(&c->rows[1], "quote\"d\n\x01", "cannot fetch: 404");
	free(c->rows[1].base_tag);
	c->rows[1].base_tag = NULL; /* written as "" */
	row_measured(&c->rows[2], "skipped-one", "main");
	c->rows[2].skipped = xstrdup("ahead == 0");
	row_measured(&c->rows[3],
		     "bad\xff"
		     "utf8",
		     "main");

	out = export_str(c, 0, 1);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	assert_json_str(doc, "upstream", "qemu/qemu");
	assert_json_str(doc, "branch", "master");
	assert_json_str(doc, "head", OID_U);
	assert_json_str(doc, "head_date", "2024-03-05T14:02:11+01:00");
	rel = cJSON_GetArrayItem(get(doc, "releases"), 0);
	assert_non_null(rel);
	assert_json_str(rel, "tag", "v8.0.0");
	assert_json_str(rel, "commit", OID_B);
	assert_json_str(rel, "date", "2023-04-19T15:56:40+05:30");
	assert_json_num(rel, "tree_lines", 123456);

	forks = get(doc, "forks");
	assert_int_equal(cJSON_GetArraySize(forks), 3); /* skipped left out */
	f = cJSON_GetArrayItem(forks, 0);
	/* exactly the documented keys, in order */
	i = 0;
	cJSON_ArrayForEach(item, f)
	{
		assert_true(i < sizeof(fork_keys) / sizeof(fork_keys[0]));
		assert_string_equal(item->string, fork_keys[i]);
		i++;
	}
	assert_int_equal(i, sizeof(fork_keys) / sizeof(fork_keys[0]));
	assert_json_str(f, "name", "acme/qemu");
	assert_json_str(f, "branch", "main");
	assert_json_str(f, "ref", "refs/forkmap/acme/qemu/main");
	assert_json_str(f, "source", "github");
	assert_json_null(f, "error");
	assert_json_null(f, "skipped");
	assert_json_str(f, "head", OID_A);
	assert_json_str(f, "merge_base", OID_B);
	assert_json_num(f, "ahead", 12);
	assert_json_num(f, "behind", 5);
	assert_json_num(f, "ahead_first_parent", 10);
	assert_json_num(f, "unique", 8);
	assert_json_num(f, "patches", 6);
	assert_json_str(f, "base_tag", "v8.0.0");
	assert_json_str(f, "release", "v8.0.0");
	assert_json_num(f, "files", 7);
	assert_json_num(f, "insertions", 300);
	assert_json_num(f, "deletions", 20);
	assert_json_str(f, "head_date", "2024-03-05T14:02:11+01:00");
	assert_json_str(f, "fate", "active"); /* as of the census's end */
	assert_json_str(f, "merge_base_date", "2023-04-20T10:43:20-03:30");
	assert_json_str(f, "base_date", "2023-04-19T15:56:40+05:30");
	assert_json_num(f, "stars", 42);

	f = cJSON_GetArrayItem(forks, 1);
	assert_json_str(f, "name", "quote\"d\n\x01");
	assert_json_str(f, "source", "local");
	assert_json_str(f, "error", "cannot fetch: 404");
	assert_json_null(f, "head");
	assert_json_null(f, "merge_base");
	assert_json_null(f, "ahead");
	assert_json_null(f, "unique");
	assert_json_null(f, "patches");
	assert_json_null(f, "deletions");
	assert_json_str(f, "base_tag", "");
	assert_json_str(f, "release", "");
	assert_json_null(f, "head_date");
	assert_json_null(f, "merge_base_date");
	assert_json_null(f, "base_date");
	assert_json_null(f, "stars");

	/* JSON must be UTF-8: the stray byte became U+FFFD */
	f = cJSON_GetArrayItem(forks, 2);
	assert_json_str(f, "name", "bad\xef\xbf\xbdutf8");
	cJSON_Delete(doc);
	free(out);

	out = export_str(c, 1, 1);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	forks = get(doc, "forks");
	assert_int_equal(cJSON_GetArraySize(forks), 4);
	assert_json_str(cJSON_GetArrayItem(forks, 2), "skipped", "ahead == 0");
	cJSON_Delete(doc);
	free(out);
	fm_census_free(c);
}

static void test_json_write_error(void **state)
{
	(void)state;
	expect_write_error(1, "cannot write json");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_fields),
		cmocka_unit_test(test_json_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
