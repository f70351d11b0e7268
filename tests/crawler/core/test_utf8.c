/* The one UTF-8 decoder and the one set of dangerous code points. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/utf8.h"

/* Decode the whole of s (its strlen, or n when given). */
static size_t decode(const char *s, size_t n, uint32_t *cp)
{
	*cp = 0xdeadbeef;
	return fm_utf8_decode((const unsigned char *)s, n ? n : strlen(s), cp);
}

static void test_utf8_decode_valid_sequences(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		uint32_t cp;
	} ok[] = {
		{"A", 1, 0x41},
		{"\x7f", 1, 0x7f},
		{"\xc2\x80", 2, 0x80},		   /* smallest two-byte */
		{"\xc3\xa9", 2, 0xe9},		   /* é */
		{"\xdf\xbf", 2, 0x7ff},		   /* largest two-byte */
		{"\xe0\xa0\x80", 3, 0x800},	   /* smallest three-byte */
		{"\xe6\x97\xa5", 3, 0x65e5},	   /* 日 */
		{"\xed\x9f\xbf", 3, 0xd7ff},	   /* just below surrogates */
		{"\xee\x80\x80", 3, 0xe000},	   /* just above them */
		{"\xef\xbf\xbd", 3, 0xfffd},	   /* U+FFFD */
		{"\xf0\x90\x80\x80", 4, 0x10000},  /* smallest four-byte */
		{"\xf0\x9f\x98\x80", 4, 0x1f600},  /* 😀 */
		{"\xf4\x8f\xbf\xbf", 4, 0x10ffff}, /* the last code point */
	};
	uint32_t cp;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(decode(ok[i].s, 0, &cp), ok[i].len);
		assert_int_equal(cp, ok[i].cp);
	}
	/* only the first sequence is read */
	assert_int_equal(decode("\xc3\xa9z", 0, &cp), 2);
	assert_int_equal(cp, 0xe9);
	/* NUL is a code point when it is within n */
	assert_int_equal(fm_utf8_decode((const unsigned char *)"", 1, &cp), 1);
	assert_int_equal(cp, 0);
}

static void test_utf8_decode_rejects_malformed(void **state)
{
	static const char *const bad[] = {
		"\x80",		    /* stray continuation byte */
		"\xbf",		    /* stray continuation byte */
		"\xc0\xaf",	    /* overlong '/', invalid lead byte */
		"\xc1\xbf",	    /* overlong U+7F */
		"\xe0\x80\xaf",	    /* overlong '/' in three bytes */
		"\xe0\x9f\xbf",	    /* overlong U+7FF */
		"\xf0\x80\x80\xaf", /* overlong '/' in four bytes */
		"\xf0\x8f\xbf\xbf", /* overlong U+FFFF */
		"\xed\xa0\x80",	    /* U+D800, a surrogate */
		"\xed\xbf\xbf",	    /* U+DFFF */
		"\xf4\x90\x80\x80", /* U+110000 */
		"\xf5\x80\x80\x80", /* lead byte past U+10FFFF */
		"\xff",
		"\xfe",
		"\xc3z",	/* continuation missing */
		"\xe2\x82z",	/* continuation missing */
		"\xe2\x82",	/* truncated by the NUL */
		"\xf0\x9f\x98", /* truncated by the NUL */
	};
	uint32_t cp;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(decode(bad[i], 0, &cp), 0);
		/* nothing is stored for a bad sequence */
		assert_int_equal(cp, 0xdeadbeef);
	}
}

/* A bounded buffer: a sequence cut by the end of n is not read past it. */
static void test_utf8_decode_stops_at_length(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(decode("\xe6\x97\xa5", 2, &cp), 0);
	assert_int_equal(decode("\xe6\x97\xa5", 1, &cp), 0);
	assert_int_equal(decode("\xf0\x9f\x98\x80", 3, &cp), 0);
	assert_int_equal(decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(decode("\xc3\xa9", 1, &cp), 0);
	assert_int_equal(decode("a\xc3", 1, &cp), 1);
}

static void test_char_dangerous_set(void **state)
{
	static const uint32_t dangerous[] = {
		0x00,	0x07,	0x09,	0x0a,	0x0d,	0x1b,	0x1f,
		0x7f,	0x80,	0x85,	0x9b,	0x9f,	0x200e, 0x200f,
		0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
		0x2066, 0x2067, 0x2068, 0x2069,
	};
	static const uint32_t shown[] = {
		0x20,	0x41,	0x7e,	0xa0,	0xe9,	0x200b,	 0x200d,
		0x2027, 0x202f, 0x2065, 0x206a, 0xfffd, 0x1f600, 0x10ffff,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(dangerous) / sizeof(dangerous[0]); i++)
		assert_true(fm_char_dangerous(dangerous[i]));
	for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
		assert_false(fm_char_dangerous(shown[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_decode_valid_sequences),
		cmocka_unit_test(test_utf8_decode_rejects_malformed),
		cmocka_unit_test(test_utf8_decode_stops_at_length),
		cmocka_unit_test(test_char_dangerous_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
