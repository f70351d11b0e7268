/*
 * Text in display columns: how wide a name is on the terminal, and where
 * to cut it so a table lines up. The C library knows each character's
 * width (wcwidth) once LC_CTYPE is a UTF-8 locale; no table of our own.
 */
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "cli.h"

void cli_text_locale(void)
{
	const char *set = setlocale(LC_CTYPE, "");
	const char *codeset = set ? nl_langinfo(CODESET) : NULL;

	/* names from a forge are UTF-8 whatever the environment says */
	if (!codeset || (strcasecmp(codeset, "UTF-8") != 0 &&
			 strcasecmp(codeset, "utf8") != 0))
		setlocale(LC_CTYPE, "C.UTF-8");
}

/*
 * The next character of s: its length in bytes and its width in columns.
 * A byte the locale cannot decode counts as one column on its own (text
 * from fm_term_safe has none, but a caller may pass other text).
 */
static size_t next_char(const char *s, size_t left, int *cols)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;
	int w;

	memset(&st, 0, sizeof(st));
	n = mbrtowc(&wc, s, left, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*cols = 1;
		return 1;
	}
	w = wcwidth(wc);
	*cols = w < 0 ? 1 : w; /* unassigned: most terminals draw one cell */
	return n;
}

int cli_text_width(const char *s)
{
	size_t left = s ? strlen(s) : 0, n;
	int w = 0, cols;

	for (; left; s += n, left -= n) {
		n = next_char(s, left, &cols);
		w += cols;
	}
	return w;
}

int cli_print_cell(FILE *out, const char *s, int width, int pad)
{
	size_t left = s ? strlen(s) : 0, n, used = 0;
	int w = 0, cols;

	while (used < left) {
		n = next_char(s + used, left - used, &cols);
		if (w + cols > width)
			break;
		/* combining marks that follow the last character belong to it
		 */
		used += n;
		w += cols;
	}
	fwrite(s ? s : "", 1, used, out);
	for (; pad && w < width; w++)
		fputc(' ', out);
	return w;
}
