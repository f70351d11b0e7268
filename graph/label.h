#ifndef FM_GRAPH_LABEL_H
#define FM_GRAPH_LABEL_H
/*
 * Untrusted text (fork names and branches come from forges) made safe for
 * graphviz, so that no markup from a repository name reaches the SVG and no
 * graphviz escape (\N, \G, \n, ...) in a name is expanded:
 *
 * - invalid UTF-8 and the characters fm_char_dangerous names (C0, DEL,
 *   C1, line separators, bidirectional marks, overrides and isolates;
 *   see core/utf8.h) become U+FFFD;
 * - & < > " ' become character entities;
 * - backslashes are doubled (labels) or quadrupled (tooltips, which
 *   graphviz 2.42 unescapes twice).
 *
 *	char *html = fm_label_html("a<b>\\N", 32);	// "a&lt;b&gt;\\\\N"
 *	agsafeset(n, "label", agstrdup_html(g, html), "");
 *	free(html);
 */
#include <stddef.h>

/*
 * Text for an HTML-like label (between tags). Longer than max_chars code
 * points (0: no limit): cut and ended with an ellipsis. Caller frees with
 * free(); NULL when out of memory.
 */
char *fm_label_html(const char *s, size_t max_chars);

/* Text for the tooltip attribute; same rules. */
char *fm_label_tooltip(const char *s, size_t max_chars);

#endif
