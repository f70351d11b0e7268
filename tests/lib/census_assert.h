#ifndef FORKMAP_TESTS_CENSUS_ASSERT_H
#define FORKMAP_TESTS_CENSUS_ASSERT_H
/*
 * cmocka assertions that two census rows (or dates) are equal field by
 * field, and the two builders the rows are made with; shared by the tests
 * of everything that writes a census and reads it back (CSV/JSON export,
 * the store). Include after <cmocka.h>.
 */
#include <stdlib.h>
#include <string.h>

#include <forkmap/census.h>

/* A copy that the census owns (NULL stays NULL). */
static inline char *xstrdup(const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	assert_non_null(d);
	return d;
}

static inline fm_date mkdate(int64_t t, int offset)
{
	fm_date d = {t, offset, 1};

	return d;
}

static inline void assert_str_or_null_equal(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static inline void assert_date_equal(const fm_date *a, const fm_date *b)
{
	assert_int_equal(a->set, b->set);
	if (a->set) {
		assert_true(a->time == b->time);
		assert_int_equal(a->offset, b->offset);
	}
}

static inline void assert_row_equal(const fm_row *a, const fm_row *b)
{
	assert_string_equal(a->name, b->name);
	assert_str_or_null_equal(a->branch, b->branch);
	assert_str_or_null_equal(a->ref, b->ref);
	assert_int_equal(a->source, b->source);
	assert_str_or_null_equal(a->error, b->error);
	assert_str_or_null_equal(a->skipped, b->skipped);
	assert_string_equal(a->head, b->head);
	assert_string_equal(a->merge_base, b->merge_base);
	assert_int_equal(a->ahead, b->ahead);
	assert_int_equal(a->behind, b->behind);
	assert_int_equal(a->ahead_first_parent, b->ahead_first_parent);
	assert_int_equal(a->unique, b->unique);
	assert_int_equal(a->patches, b->patches);
	assert_str_or_null_equal(a->base_tag, b->base_tag);
	assert_str_or_null_equal(a->release, b->release);
	assert_int_equal(a->files, b->files);
	assert_int_equal(a->insertions, b->insertions);
	assert_int_equal(a->deletions, b->deletions);
	assert_date_equal(&a->head_date, &b->head_date);
	assert_date_equal(&a->merge_base_date, &b->merge_base_date);
	assert_date_equal(&a->base_date, &b->base_date);
	assert_int_equal(a->stars, b->stars);
}

#endif
