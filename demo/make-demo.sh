#!/usr/bin/env bash
# Build forkmap's bundled offline demo: a small, realistic fork network of a
# toy C library ("libwidget"), entirely with the git CLI and fixed dates, so
# every run produces the same commit ids on every machine.
#
#   demo/make-demo.sh [OUT]        (default OUT: demo/net next to this script)
#
# OUT/upstream            upstream work repository (branch master, tags)
# OUT/census.git          bare clone of upstream with every fork pushed as
#                         refs/heads/forks/<name>: what `forkmap census -C
#                         OUT/census.git --no-github` measures
# OUT/git/widget/libwidget.git   upstream, GitHub-like layout (bare)
# OUT/git/<owner>/libwidget.git  one bare repository per fork (servable by
#                         git daemon; fetchable)
# OUT/network.json        the network as a GitHub emulator would list it
#
# The forks and their fates (checked by tests/demo/test_demo_network.py):
#   acme      active: based on v2.0.0, own topic merge, synced with upstream
#             master in January 2024, newest commits of the whole network
#   oldcorp   abandoned: based on v1.0.0, five unmerged commits, quiet since
#             mid-2022
#   merged    merged back: its three patches were applied upstream (unique 0)
#   legacy    on the stable-1.1 release branch (v1.1.1), one backport of a
#             master commit plus its own work
#   picks     based on v2.0.0-rc1, carries three cherry-picked upstream fixes
#             (unique < ahead; base tag v2.0.0-rc1, release v2.0.0)
#   gfw       merging-rebase: patches rebased onto v1.2.0 then v2.0.0, each
#             round started by an "ours" merge of the previous tip
#   zed       a fork of acme (fork of a fork)
#   copycat   identical to upstream master (ahead 0: skipped by the census)
#   staging, foo-next
#             census branches skipped by name by default
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/net}

case $out in
"" | / | . | ..) echo "make-demo.sh: refusing to build into '$out'" >&2; exit 2 ;;
esac
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ] &&
	[ ! -e "$out/.forkmap-demo" ]; then
	echo "make-demo.sh: $out exists and is not a demo network; not touching it" >&2
	exit 2
fi
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/forkmap-demo.XXXXXX")

# Nothing but the final line on stdout; the log is shown only on failure.
exec 3>&1 4>&2 >"$tmp/log" 2>&1
# shellcheck disable=SC2154 # rc is set inside the trap
trap 'rc=$?; if [ $rc -ne 0 ]; then cat "$tmp/log" >&4;
	echo "make-demo.sh: failed" >&4; fi; rm -rf "$tmp"; exit $rc' EXIT

# A clean, reproducible git: no system or user configuration, no hooks.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY \
	GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_CONFIG GIT_CONFIG_PARAMETERS \
	GIT_CONFIG_COUNT GIT_TEMPLATE_DIR GIT_AUTHOR_DATE GIT_COMMITTER_DATE \
	XDG_CONFIG_HOME GIT_CEILING_DIRECTORIES
export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp/home LC_ALL=C TZ=UTC \
	GIT_TERMINAL_PROMPT=0 GIT_EDITOR=: GIT_MERGE_AUTOEDIT=no
mkdir -p "$HOME"

# --- helpers ---------------------------------------------------------------

# as NAME EMAIL: who authors and commits from now on
as() {
	export GIT_AUTHOR_NAME=$1 GIT_AUTHOR_EMAIL=$2
	export GIT_COMMITTER_NAME=$1 GIT_COMMITTER_EMAIL=$2
}
wanda() { as "Wanda Widget" "wanda@libwidget.example"; }
bob() { as "Bob Builder" "bob@libwidget.example"; }
carol() { as "Carol Coder" "carol@coder.example"; }

# put FILE < text: write a file; a leading "@" stands for a tab ("@@": two)
put() {
	mkdir -p "$(dirname "$1")"
	sed -e 's/^@@@/\t\t\t/' -e 's/^@@/\t\t/' -e 's/^@/\t/' >"$1"
}
# add FILE < text: append to a file, same convention
add() {
	sed -e 's/^@@@/\t\t\t/' -e 's/^@@/\t\t/' -e 's/^@/\t/' >>"$1"
}
# edit FILE SED-SCRIPT: edit in place; fails when nothing changed
edit() {
	cp "$1" "$tmp/before"
	sed -i -e "$2" "$1"
	if cmp -s "$1" "$tmp/before"; then
		echo "edit $1: '$2' changed nothing" >&2
		return 1
	fi
}
# commit DATE SUBJECT [BODY]: commit everything in the work tree
commit() {
	git add -A
	GIT_AUTHOR_DATE=$1 GIT_COMMITTER_DATE=$1 \
		git commit -q -m "$2" ${3:+-m "$3"}
}
# pick DATE COMMIT [-x]: cherry-pick, keeping the original author
pick() {
	GIT_COMMITTER_DATE=$1 git cherry-pick ${3:+"$3"} "$2" >/dev/null
}
# merge DATE MESSAGE REV [OPTIONS...]: a merge commit
merge() {
	local date=$1 msg=$2 rev=$3
	shift 3
	GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date \
		git merge -q --no-ff --no-edit -m "$msg" "$@" "$rev"
}
# tag_annotated DATE TAG MESSAGE
tag_annotated() {
	GIT_COMMITTER_DATE=$1 git tag -a -m "$3" "$2"
}
# logo VARIANT: a small binary (PNG-looking, with NUL bytes) file
logo() {
	mkdir -p assets
	{
		printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\020'
		printf '\000\000\000\020\010\006\000\000\000\037\363\377a'
		printf '\000\000\000\030IDAT%s\000\377\000\377\000' "$1"
		printf '\001\002\003\004\005\006\007\010\000\000\000\000IEND\256B`\202'
	} >assets/logo.png
}
# release DATE VERSION: bump the version and the changelog
release_commit() {
	edit include/widget.h "s/^#define WIDGET_VERSION .*/#define WIDGET_VERSION \"$2\"/"
	{ printf '## %s (%s)\n\n%s\n\n' "$2" "${1%% *}" "$3"; cat CHANGELOG.md 2>/dev/null || true; } >"$tmp/cl"
	mv "$tmp/cl" CHANGELOG.md
	commit "$1" "Release $2"
}
sha() { git rev-parse "$1"; }

# --- upstream: libwidget, January 2022 to February 2024 --------------------

w=$tmp/build
git init -q --template= -b master "$w"
cd "$w"

wanda
put README.md <<'EOF'
# libwidget

libwidget is a tiny C library for drawing and resizing text-mode widgets.

## Building

    make

## Using

    struct widget *w = widget_new("hello");
    widget_draw(w);
    widget_free(w);

## License

MIT, see LICENSE.
EOF
put LICENSE <<'EOF'
MIT License

Copyright (c) 2022 The libwidget authors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.
EOF
put Makefile <<'EOF'
CC ?= cc
CFLAGS ?= -O2 -Wall -Wextra
CPPFLAGS += -Iinclude

OBJS = src/widget.o src/util.o

all: libwidget.a

libwidget.a: $(OBJS)
@$(AR) rcs $@ $(OBJS)

clean:
@rm -f $(OBJS) libwidget.a

.PHONY: all clean
EOF
put include/widget.h <<'EOF'
/* SPDX-License-Identifier: MIT */
#ifndef WIDGET_H
#define WIDGET_H

#define WIDGET_VERSION "0.9.0"

struct widget {
@int x, y;
@int width, height;
@int visible;
@const char *label;
};

/* Lifetime */
struct widget *widget_new(const char *label);
void widget_free(struct widget *w);

/* Drawing */
void widget_draw(const struct widget *w);

/* Geometry */

#endif /* WIDGET_H */
EOF
put src/util.h <<'EOF'
/* SPDX-License-Identifier: MIT */
#ifndef WIDGET_UTIL_H
#define WIDGET_UTIL_H
#include <stddef.h>

size_t widget_strlcpy(char *dst, const char *src, size_t size);

#endif
EOF
put src/util.c <<'EOF'
/* SPDX-License-Identifier: MIT */
#include <string.h>
#include "util.h"

/* Copy src into dst (size bytes), always NUL-terminated. */
size_t widget_strlcpy(char *dst, const char *src, size_t size)
{
@size_t len = strlen(src);

@if (size) {
@@size_t n = len >= size ? size : len;
@@memcpy(dst, src, n);
@@dst[n] = '\0';
@}
@return len;
}
EOF
put src/widget.c <<'EOF'
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include "widget.h"
#include "util.h"

struct widget *widget_new(const char *label)
{
@struct widget *w = calloc(1, sizeof(*w));

@if (!w)
@@return NULL;
@w->label = label;
@w->width = 16;
@w->height = 1;
@w->visible = 1;
@return w;
}

void widget_free(struct widget *w)
{
@free(w);
}

void widget_draw(const struct widget *w)
{
@if (!w->visible)
@@return;
@printf("[%-*s]\n", w->width, w->label);
}
EOF
logo "a"
commit "2022-01-10 10:00:00 +0100" "Initial import of libwidget"

add src/widget.c <<'EOF'

void widget_move(struct widget *w, int x, int y)
{
@w->x = x;
@w->y = y;
}
EOF
edit include/widget.h '/^\/\* Geometry \*\//a void widget_move(struct widget *w, int x, int y);'
commit "2022-01-18 14:21:00 +0100" "widget: add widget_move()"

bob
edit Makefile 's/^\.PHONY: all clean$/.PHONY: all clean install/'
add Makefile <<'EOF'

PREFIX ?= /usr/local
install: libwidget.a
@install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include
@install -m 644 libwidget.a $(DESTDIR)$(PREFIX)/lib
@install -m 644 include/widget.h $(DESTDIR)$(PREFIX)/include
EOF
commit "2022-01-27 09:12:00 +0100" "Makefile: add an install target"

carol
edit src/util.h '/^size_t widget_strlcpy/a int widget_clamp(int v, int lo, int hi);'
add src/util.c <<'EOF'

/* Clamp v into [lo, hi]. */
int widget_clamp(int v, int lo, int hi)
{
@if (v < lo)
@@return lo;
@if (v > hi)
@@return hi;
@return v;
}
EOF
commit "2022-02-08 18:40:00 +0100" "util: add widget_clamp()"

wanda
add src/widget.c <<'EOF'

void widget_resize(struct widget *w, int width, int height)
{
@w->width = widget_clamp(width, 1, 512);
@w->height = widget_clamp(height, 1, 512);
}
EOF
edit include/widget.h '/^void widget_move/a void widget_resize(struct widget *w, int width, int height);'
commit "2022-02-15 11:05:00 +0100" "widget: add widget_resize() with sane bounds"

bob
edit README.md 's/^    widget_draw(w);$/    widget_resize(w, 20, 1);\n    widget_draw(w);/'
commit "2022-02-24 16:30:00 +0100" "README: show widget_resize() in the example"

wanda
release_commit "2022-03-01 12:00:00 +0100" "1.0.0" "First stable release."
tag_annotated "2022-03-01 12:00:00 +0100" v1.0.0 "libwidget 1.0.0"
v100=$(sha HEAD)

carol
put tests/test_widget.c <<'EOF'
/* SPDX-License-Identifier: MIT */
#include <assert.h>
#include "widget.h"

int main(void)
{
@struct widget *w = widget_new("test");

@assert(w && w->width == 16);
@widget_resize(w, 1000, 0);
@assert(w->width == 512 && w->height == 1);
@widget_free(w);
@return 0;
}
EOF
edit Makefile 's/^\.PHONY: all clean install$/.PHONY: all clean install check/'
add Makefile <<'EOF'

check: libwidget.a
@$(CC) $(CPPFLAGS) $(CFLAGS) -o tests/test_widget tests/test_widget.c libwidget.a
@./tests/test_widget
EOF
commit "2022-03-22 10:10:00 +0100" "tests: add a smoke test and 'make check'"

wanda
add src/widget.c <<'EOF'

/* Draw the label cut to the widget width, with an ellipsis. */
void widget_draw_label(const struct widget *w, char *buf, size_t size)
{
@size_t n = widget_strlcpy(buf, w->label, size);

@if (n >= size && size > 3)
@@buf[size - 2] = buf[size - 3] = buf[size - 4] = '.';
}
EOF
edit include/widget.h 's/^void widget_draw(const struct widget \*w);$/&\nvoid widget_draw_label(const struct widget *w, char *buf, unsigned long size);/'
commit "2022-04-12 15:45:00 +0200" "widget: cut long labels with an ellipsis"

bob
edit src/util.c 's/^\t\tmemcpy(dst, src, n);$/\t\tmemmove(dst, src, n);/'
commit "2022-05-03 08:55:00 +0200" "util: widget_strlcpy() may be called with overlapping buffers"

carol
put docs/API.md <<'EOF'
# libwidget API

## Lifetime

- `widget_new(label)`: a visible widget, 16x1, at (0, 0).
- `widget_free(w)`: releases it.

## Drawing

- `widget_draw(w)`: prints the widget.
- `widget_draw_label(w, buf, size)`: the label as drawn.

## Geometry

- `widget_move(w, x, y)`
- `widget_resize(w, width, height)`: clamped to 1..512.
EOF
commit "2022-05-30 20:02:00 +0200" "docs: add an API overview"

wanda
add src/widget.c <<'EOF'

void widget_draw_border(const struct widget *w)
{
@int i;

@putchar('+');
@for (i = 0; i < w->width; i++)
@@putchar('-');
@putchar('+');
@putchar('\n');
}
EOF
edit include/widget.h 's/^void widget_draw(const struct widget \*w);$/&\nvoid widget_draw_border(const struct widget *w);/'
commit "2022-06-14 13:31:00 +0200" "widget: draw borders"

release_commit "2022-07-01 12:00:00 +0200" "1.1.0" "Labels with ellipsis, borders, overlapping strlcpy."
git tag v1.1.0 # lightweight
v110=$(sha HEAD)

bob
edit src/util.c 's/size_t n = len >= size ? size : len;/size_t n = len >= size ? size - 1 : len;/'
commit "2022-07-12 09:20:00 +0200" "util: fix off-by-one in widget_strlcpy()" \
	"A label as long as the buffer overflowed it by one byte."
fix_strlcpy=$(sha HEAD)

# stable-1.1: the maintenance branch of 1.1.x
git checkout -q -b stable-1.1 v1.1.0
pick "2022-07-20 10:00:00 +0200" "$fix_strlcpy" -x
wanda
release_commit "2022-07-25 12:00:00 +0200" "1.1.1" "Fix an off-by-one in widget_strlcpy()."
tag_annotated "2022-07-25 12:00:00 +0200" v1.1.1 "libwidget 1.1.1"
git checkout -q master

wanda
edit include/widget.h 's/^void widget_draw_border(const struct widget \*w);$/&\nvoid widget_hide(struct widget *w);\nvoid widget_show(struct widget *w);/'
add src/widget.c <<'EOF'

void widget_hide(struct widget *w)
{
@w->visible = 0;
}

void widget_show(struct widget *w)
{
@w->visible = 1;
}
EOF
commit "2022-08-09 17:14:00 +0200" "widget: add widget_hide() and widget_show()"
hide_show=$(sha HEAD)

# "merged": forked here; its patches are applied upstream in October.
git branch merged

bob
edit Makefile 's/^all: libwidget.a$/all: libwidget.a libwidget.so/'
edit Makefile '/^libwidget.a: \$(OBJS)$/i libwidget.so: $(OBJS)\n\t$(CC) -shared -o $@ $(OBJS)\n'
edit Makefile 's/^\trm -f \$(OBJS) libwidget.a$/\trm -f $(OBJS) libwidget.a libwidget.so/'
edit Makefile 's/^CFLAGS ?= -O2 -Wall -Wextra$/CFLAGS ?= -O2 -Wall -Wextra -fPIC/'
commit "2022-08-30 11:11:00 +0200" "Makefile: build a shared library too"

edit tests/test_widget.c 's/^\twidget_free(w);$/\twidget_move(w, 3, 4);\n\tassert(w->x == 3 \&\& w->y == 4);\n\twidget_free(w);/'
commit "2022-09-19 14:00:00 +0200" "tests: cover widget_move()"

# the "merged" fork's work, taken upstream
git checkout -q merged
as "Mia Merger" "mia@merged.example"
put include/color.h <<'EOF'
/* SPDX-License-Identifier: MIT */
#ifndef WIDGET_COLOR_H
#define WIDGET_COLOR_H

struct color {
@unsigned char r, g, b;
};

struct color color_rgb(unsigned char r, unsigned char g, unsigned char b);

#endif
EOF
put src/color.c <<'EOF'
/* SPDX-License-Identifier: MIT */
#include "color.h"

struct color color_rgb(unsigned char r, unsigned char g, unsigned char b)
{
@struct color c = { r, g, b };

@return c;
}
EOF
commit "2022-08-22 21:40:00 +0200" "color: add an RGB colour type"
edit include/color.h 's/^struct color color_rgb(.*);$/&\nstruct color color_blend(struct color a, struct color b);/'
add src/color.c <<'EOF'

/* The average of two colours. */
struct color color_blend(struct color a, struct color b)
{
@return color_rgb((a.r + b.r) / 2, (a.g + b.g) / 2, (a.b + b.b) / 2);
}
EOF
commit "2022-08-29 22:05:00 +0200" "color: add color_blend()"
put docs/colors.md <<'EOF'
# Colours

`color_rgb(r, g, b)` makes a colour; `color_blend(a, b)` averages two.
Widgets draw their border in their colour.
EOF
commit "2022-09-10 19:30:00 +0200" "docs: describe colours"
merged_tip=$(sha HEAD)
git checkout -q master
wanda
i=0
for c in $(git rev-list --reverse "$hide_show..merged"); do
	pick "2022-10-04 10:0$i:00 +0200" "$c"
	i=$((i + 1))
done

bob
edit src/widget.c 's/^#include "util.h"$/&\n#include "color.h"/'
edit src/widget.c "0,/^\tputchar('+');\$/s//\tprintf(\"\\\\033[38;2;%d;%d;%dm+\", w->color.r, w->color.g, w->color.b);/"
edit include/widget.h 's/^#define WIDGET_VERSION .*/&\n\n#include "color.h"/'
edit include/widget.h 's/^\tconst char \*label;$/&\n\tstruct color color;/'
commit "2022-10-25 16:16:00 +0200" "widget: draw the border in the widget colour"

# topic branch feature/serialize, merged with --no-ff
git checkout -q -b feature/serialize
carol
put src/serialize.c <<'EOF'
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include "widget.h"

/* Save a widget as one text line: "x y width height label". */
int widget_save(const struct widget *w, FILE *f)
{
@fprintf(f, "%d %d %d %d %s\n", w->x, w->y, w->width, w->height, w->label);
@return 0;
}
EOF
edit Makefile 's/^OBJS = src\/widget.o src\/util.o$/OBJS = src\/widget.o src\/util.o src\/color.o src\/serialize.o/'
commit "2022-11-08 10:30:00 +0100" "serialize: add widget_save()"
add src/serialize.c <<'EOF'

/* Read back what widget_save() wrote (the label is not restored). */
int widget_load(struct widget *w, FILE *f)
{
@if (fscanf(f, "%d %d %d %d", &w->x, &w->y, &w->width, &w->height) != 4)
@@return -1;
@return 0;
}
EOF
commit "2022-11-20 15:00:00 +0100" "serialize: add widget_load()"
git checkout -q master
wanda
edit src/util.c 's/^\tif (v < lo)$/\tif (v <= lo)/'
commit "2022-11-15 09:00:00 +0100" "util: widget_clamp(): return lo early"
merge "2022-12-01 11:00:00 +0100" "Merge branch 'feature/serialize'" feature/serialize
git branch -D -q feature/serialize

release_commit "2023-01-16 12:00:00 +0100" "1.2.0" "Colours, a shared library, save and load."
tag_annotated "2023-01-16 12:00:00 +0100" v1.2.0 "libwidget 1.2.0"
v120=$(sha HEAD)

carol
edit src/widget.c 's/^\tw->label = label;$/\tw->label = label;\n\tw->color = color_rgb(255, 255, 255);/'
commit "2023-02-07 19:19:00 +0100" "widget: new widgets are white, not black"

bob
put tests/test_serialize.c <<'EOF'
/* SPDX-License-Identifier: MIT */
#include <assert.h>
#include <stdio.h>
#include "widget.h"

int widget_save(const struct widget *w, FILE *f);
int widget_load(struct widget *w, FILE *f);

int main(void)
{
@struct widget *a = widget_new("a"), *b = widget_new("b");
@FILE *f = tmpfile();

@widget_move(a, 5, 6);
@widget_save(a, f);
@rewind(f);
@assert(widget_load(b, f) == 0 && b->x == 5 && b->y == 6);
@return 0;
}
EOF
commit "2023-03-14 08:48:00 +0100" "tests: serialize round trip"

wanda
edit include/widget.h 's/^\tint visible;$/&\n\tint z;/'
add src/widget.c <<'EOF'

void widget_raise(struct widget *w)
{
@w->z++;
}
EOF
edit include/widget.h 's/^void widget_resize(struct widget \*w, int width, int height);$/&\nvoid widget_raise(struct widget *w);/'
commit "2023-04-18 13:00:00 +0200" "widget: add a z-order and widget_raise()"

bob
edit src/util.h 's/^int widget_clamp(int v, int lo, int hi);$/&\nvoid widget_log(const char *fmt, ...);/'
add src/util.c <<'EOF'

#include <stdarg.h>
#include <stdio.h>

/* Debug log to stderr when WIDGET_DEBUG is set. */
void widget_log(const char *fmt, ...)
{
@va_list ap;

@va_start(ap, fmt);
@vfprintf(stderr, fmt, ap);
@va_end(ap);
}
EOF
commit "2023-05-16 10:10:00 +0200" "util: add widget_log()"
git tag snapshot-2023-05 # lightweight, not a version

carol
add docs/API.md <<'EOF'
- `widget_raise(w)`: brings it to the front.

## Visibility

- `widget_hide(w)`, `widget_show(w)`

## Saving

- `widget_save(w, f)` and `widget_load(w, f)`: one text line per widget.
EOF
commit "2023-06-20 17:30:00 +0200" "docs: API.md: visibility, z-order, saving"

wanda
for f in include/widget.h src/widget.c README.md docs/API.md; do
	edit "$f" 's/widget_draw(/widget_render(/g'
done
edit tests/test_widget.c 's/^\twidget_free(w);$/\twidget_render(w);\n\twidget_free(w);/'
commit "2023-07-25 11:45:00 +0200" "widget: rename widget_draw() to widget_render()" \
	"API break for 2.0: \"draw\" now means a single primitive."

bob
logo "b"
commit "2023-08-29 15:15:00 +0200" "assets: new logo"

wanda
release_commit "2023-09-26 12:00:00 +0200" "2.0.0-rc1" "First release candidate of 2.0."
tag_annotated "2023-09-26 12:00:00 +0200" v2.0.0-rc1 "libwidget 2.0.0-rc1"
rc1=$(sha HEAD)

bob
edit src/util.c 's/^\tif (v > hi)$/\tif (hi < lo)\n\t\treturn lo;\n\tif (v > hi)/'
commit "2023-10-05 09:30:00 +0200" "util: widget_clamp(): handle an empty range"
fix_clamp=$(sha HEAD)

carol
edit src/serialize.c 's/^\tfprintf(f, "%d %d %d %d %s\\n", w->x, w->y, w->width, w->height, w->label);$/\tif (fprintf(f, "%d %d %d %d %s\\n", w->x, w->y, w->width, w->height,\n\t\t    w->label) < 0)\n\t\treturn -1;/'
commit "2023-10-17 18:00:00 +0200" "serialize: report write errors"
fix_save=$(sha HEAD)

wanda
release_commit "2023-10-31 12:00:00 +0100" "2.0.0" "widget_render(), z-order, a new logo."
tag_annotated "2023-10-31 12:00:00 +0100" v2.0.0 "libwidget 2.0.0"
v200=$(sha HEAD)

# acme forks here (see below); upstream goes on
carol
put src/label.c <<'EOF'
/* SPDX-License-Identifier: MIT */
#include "widget.h"

void widget_set_label(struct widget *w, const char *label)
{
@w->label = label ? label : "";
}
EOF
edit include/widget.h 's/^void widget_render(const struct widget \*w);$/&\nvoid widget_set_label(struct widget *w, const char *label);/'
edit Makefile 's/src\/serialize.o$/src\/serialize.o src\/label.o/'
commit "2023-11-21 10:00:00 +0100" "label: add widget_set_label()"

bob
edit Makefile 's/^\t\.\/tests\/test_widget$/\tvalgrind -q --error-exitcode=1 .\/tests\/test_widget/'
commit "2023-12-12 16:00:00 +0100" "tests: run the smoke test under valgrind"

wanda
edit src/widget.c 's/^\tw->height = widget_clamp(height, 1, 512);$/\tw->height = widget_clamp(height, 1, w->width);/'
commit "2024-01-09 11:00:00 +0100" "widget: keep resized widgets wider than tall"
acme_sync=$(sha HEAD)

bob
edit src/serialize.c 's/^\tif (fscanf(f, "%d %d %d %d", &w->x, &w->y, &w->width, &w->height) != 4)$/\tif (fscanf(f, "%d %d %d %d", \&w->x, \&w->y, \&w->width, \&w->height) != 4 ||\n\t    w->width < 1 || w->height < 1)/'
commit "2024-01-23 09:00:00 +0100" "serialize: reject empty sizes in widget_load()"
fix_load=$(sha HEAD)

carol
put docs/FAQ.md <<'EOF'
# FAQ

**Can I use libwidget from C++?** Yes, the headers are plain C.

**Why text mode?** Because terminals are everywhere.
EOF
commit "2024-02-06 20:20:00 +0100" "docs: add a FAQ"
before_tip=$(sha HEAD)

wanda
edit src/widget.c 's/^\tprintf("\[%-\*s\]\\n", w->width, w->label);$/\tfputs("[", stdout);\n\tprintf("%-*s", w->width, w->label);\n\tfputs("]\\n", stdout);/'
commit "2024-02-20 15:00:00 +0100" "widget: render without a temporary format"
tip=$(sha HEAD)

# --- forks -----------------------------------------------------------------

# oldcorp: abandoned. Based on v1.0.0, real work never sent upstream.
git checkout -q -b fork/oldcorp "$v100"
as "Olga Oldcorp" "olga@oldcorp.example"
put src/port_vxworks.c <<'EOF'
/* SPDX-License-Identifier: MIT */
/* VxWorks has no stdio on our boards: draw through the serial driver. */
#include "widget.h"

extern int serial_write(const char *buf, int len);

void widget_draw_serial(const struct widget *w)
{
@serial_write(w->label, w->width);
}
EOF
edit Makefile 's/^OBJS = src\/widget.o src\/util.o$/OBJS = src\/widget.o src\/util.o src\/port_vxworks.o/'
commit "2022-03-15 09:00:00 -0400" "Port to VxWorks 6.9"
edit src/widget.c 's/^\tw->height = 1;$/\tw->height = 1;\n\tw->x = w->y = -1; \/* not placed yet *\//'
commit "2022-04-06 14:30:00 -0400" "widget: new widgets are not placed"
edit src/util.c 's/^#include <string.h>$/&\n#include "oldcorp_alloc.h"/'
put src/oldcorp_alloc.h <<'EOF'
/* OldCorp pool allocator hooks. */
#define malloc(n) oc_pool_alloc(n)
#define free(p) oc_pool_free(p)
void *oc_pool_alloc(unsigned long n);
void oc_pool_free(void *p);
EOF
commit "2022-05-11 11:11:00 -0400" "util: use the OldCorp pool allocator"
add README.md <<'EOF'

## OldCorp build notes

Build with `make CC=ccppc` for the PowerPC boards.
EOF
commit "2022-06-02 16:45:00 -0400" "README: OldCorp build notes"
edit Makefile 's/^CC ?= cc$/CC ?= ccppc\nAR = arppc/'
commit "2022-06-30 17:59:00 -0400" "Makefile: cross-compile for PowerPC by default"

# legacy: lives on the stable-1.1 branch, backports and local fixes
git checkout -q -b fork/legacy stable-1.1
as "Lee Legacy" "lee@legacy.example"
pick "2022-09-05 10:00:00 +0900" "$hide_show" -x
edit src/widget.c 's/^\tw->width = 16;$/\tw->width = 32;/'
commit "2022-11-14 15:00:00 +0900" "widget: wider default for our kiosks"
add README.md <<'EOF'

## Legacy branch

This branch tracks libwidget 1.1.x for the kiosk firmware.
EOF
commit "2023-03-02 09:30:00 +0900" "README: document the legacy branch"

# picks: based on v2.0.0-rc1, carries upstream fixes picked by hand
git checkout -q -b fork/picks "$rc1"
as "Pia Picks" "pia@picks.example"
put src/blit_neon.c <<'EOF'
/* SPDX-License-Identifier: MIT */
/* Fast label copy for ARM NEON. */
#include <string.h>
#include "widget.h"

void widget_blit_neon(char *dst, const char *src, unsigned long n)
{
@memcpy(dst, src, n);
}
EOF
commit "2023-10-02 11:00:00 +0530" "blit: add a NEON fast path"
pick "2023-10-07 10:00:00 +0530" "$fix_clamp" -x
pick "2023-10-20 10:00:00 +0530" "$fix_save" -x
add src/blit_neon.c <<'EOF'

int widget_have_neon(void)
{
#if defined(__ARM_NEON)
@return 1;
#else
@return 0;
#endif
}
EOF
commit "2023-11-10 12:00:00 +0530" "blit: detect NEON at run time"
pick "2024-01-30 10:00:00 +0530" "$fix_load" -x

# gfw: merging-rebase. Patches on v1.1.0; each new release starts a round
# with an "ours" merge of the previous tip, then the patches are re-applied.
git checkout -q -b fork/gfw "$v110"
as "Gustav Fork" "gustav@gfw.example"
put src/compat_win.c <<'EOF'
/* SPDX-License-Identifier: MIT */
/* Windows shims. */
#ifdef _WIN32
#include <windows.h>

int widget_console_width(void)
{
@CONSOLE_SCREEN_BUFFER_INFO info;

@GetConsoleScreenBufferInfo(GetStdHandle(STD_OUTPUT_HANDLE), &info);
@return info.dwSize.X;
}
#endif
EOF
commit "2022-07-15 10:00:00 +0200" "compat: add Windows console shims"
put mingw.mk <<'EOF'
# Cross-build for Windows: make -f mingw.mk
CC = x86_64-w64-mingw32-gcc
AR = x86_64-w64-mingw32-ar
include Makefile
OBJS += src/compat_win.o
EOF
commit "2022-08-01 10:00:00 +0200" "build: add mingw.mk"
add src/compat_win.c <<'EOF'

#ifdef _WIN32
int widget_enable_vt(void)
{
@DWORD mode;
@HANDLE h = GetStdHandle(STD_OUTPUT_HANDLE);

@return GetConsoleMode(h, &mode) &&
@       SetConsoleMode(h, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
}
#endif
EOF
commit "2022-08-24 10:00:00 +0200" "compat: enable VT escape sequences"
gfw_round_base=$v110
# merging_rebase DATE NEWBASE TAG: one round of the merging-rebase
merging_rebase() {
	local date=$1 new=$2 tag=$3 old patches c i=0
	old=$(sha HEAD)
	patches=$(git rev-list --reverse --no-merges "$gfw_round_base..$old")
	git checkout -q --detach "$new"
	GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date \
		git merge -q -s ours --no-edit "$old" \
		-m "Start the merging-rebase to $tag" \
		-m "This commit starts the rebase of ${old:0:12} to ${new:0:12}"
	gfw_round_base=$(sha HEAD)
	for c in $patches; do
		i=$((i + 1))
		pick "${date%% *} 10:0$i:00 ${date##* }" "$c"
	done
	git checkout -q -B fork/gfw
}
merging_rebase "2023-01-20 09:00:00 +0100" "$v120" v1.2.0
merging_rebase "2023-11-03 09:00:00 +0100" "$v200" v2.0.0
edit src/widget.c '/^struct widget \*widget_new/,/^}/s/^\tw->visible = 1;$/\tw->visible = 1;\n#ifdef _WIN32\n\tw->width = widget_console_width() \/ 4;\n#endif/'
commit "2023-11-20 10:00:00 +0100" "widget: size new widgets from the Windows console"
edit src/compat_win.c 's/^\treturn info.dwSize.X;$/\treturn info.srWindow.Right - info.srWindow.Left + 1;/'
commit "2024-01-10 10:00:00 +0100" "compat: use the visible window, not the buffer"

# acme: active. Based on v2.0.0, a topic merge, synced with master.
git checkout -q -b fork/acme "$v200"
as "Ada Acme" "ada@acme.example"
put include/theme.h <<'EOF'
/* SPDX-License-Identifier: MIT */
#ifndef WIDGET_THEME_H
#define WIDGET_THEME_H
#include "color.h"

struct theme {
@const char *name;
@struct color fg, bg, border;
};

const struct theme *theme_get(const char *name);

#endif
EOF
put src/theme.c <<'EOF'
/* SPDX-License-Identifier: MIT */
#include <string.h>
#include "theme.h"

static const struct theme themes[] = {
@{ "classic", { 255, 255, 255 }, { 0, 0, 0 }, { 255, 255, 255 } },
};

const struct theme *theme_get(const char *name)
{
@size_t i;

@for (i = 0; i < sizeof(themes) / sizeof(themes[0]); i++)
@@if (!strcmp(themes[i].name, name))
@@@return &themes[i];
@return &themes[0];
}
EOF
commit "2023-11-08 10:00:00 +0200" "theme: add colour themes"
git checkout -q -b acme-dark-mode
edit src/theme.c 's/^\t{ "classic", .*$/&\n\t{ "dark", { 200, 200, 200 }, { 20, 20, 20 }, { 90, 90, 90 } },/'
commit "2023-11-20 18:00:00 +0200" "theme: add a dark palette"
add src/theme.c <<'EOF'

/* "dark" when the terminal says so. */
const struct theme *theme_auto(void)
{
@const char *bg = getenv("COLORFGBG");

@return theme_get(bg && strstr(bg, ";0") ? "dark" : "classic");
}
EOF
edit src/theme.c 's/^#include <string.h>$/#include <stdlib.h>\n&/'
commit "2023-11-28 18:30:00 +0200" "theme: pick the dark palette automatically"
git checkout -q fork/acme
logo "ACME"
commit "2023-11-22 12:00:00 +0200" "assets: ACME logo"
merge "2023-12-01 09:00:00 +0200" "Merge branch 'dark-mode'" acme-dark-mode
git branch -D -q acme-dark-mode
edit src/widget.c 's/^#include "color.h"$/&\n#include "theme.h"/'
edit src/widget.c "s/^\t\tputchar('-');\$/\t\tputchar(w->z > 0 ? '=' : '-');/"
commit "2023-12-14 17:00:00 +0200" "widget: heavier borders for raised widgets"
acme_before_sync=$(sha HEAD)
merge "2024-01-15 10:00:00 +0200" "Merge branch 'master' of https://github.com/widget/libwidget" "$acme_sync"
edit src/theme.c 's/^\t{ "dark", .*$/&\n\t{ "contrast", { 255, 255, 0 }, { 0, 0, 0 }, { 255, 255, 0 } },/'
commit "2024-02-01 11:00:00 +0200" "theme: add a high-contrast palette"
edit Makefile 's/ src\/label.o$/ src\/label.o src\/theme.o/'
commit "2024-02-26 16:20:00 +0200" "Makefile: build the themes"

# zed: a fork of acme, taken before acme synced with upstream
git checkout -q -b fork/zed "$acme_before_sync"
as "Zed Zimmer" "zed@zed.example"
edit src/theme.c 's/^\t{ "dark", .*$/&\n\t{ "solarized", { 131, 148, 150 }, { 0, 43, 54 }, { 88, 110, 117 } },/'
commit "2024-01-05 08:00:00 -0800" "theme: add solarized"
edit src/theme.c 's/{ 131, 148, 150 }, { 0, 43, 54 }/{ 147, 161, 161 }, { 0, 43, 54 }/'
commit "2024-01-19 08:00:00 -0800" "theme: solarized: brighter foreground"

# staging and foo-next: integration branches the census skips by name
git checkout -q -b fork/staging "$tip"
wanda
add docs/FAQ.md <<'EOF'

**Is there a Windows port?** Not upstream; see the gfw fork.
EOF
commit "2024-02-21 09:00:00 +0100" "WIP: docs: mention the Windows port"
edit src/widget.c 's/^\tw->width = 16;$/\tw->width = 24;/'
commit "2024-02-22 09:00:00 +0100" "WIP: widget: wider default"
git checkout -q -b fork/foo-next "$before_tip"
bob
add src/util.c <<'EOF'

/* Next: a faster renderer needs this. */
int widget_min(int a, int b)
{
@return a < b ? a : b;
}
EOF
commit "2024-02-10 18:00:00 +0100" "util: add widget_min() for the next renderer"
git checkout -q master

# --- publish ---------------------------------------------------------------

# forks as <census name> <owner> <default branch> <stars> <parent>
forks="acme acme master 40 widget
gfw gfw main 25 widget
oldcorp oldcorp master 12 widget
legacy legacy stable-1.1 7 widget
zed zed master 5 acme
merged merged master 3 widget
picks picks master 2 widget
copycat copycat master 0 widget"
git branch fork/merged "$merged_tip"
git branch -D -q merged
git branch fork/copycat "$tip"

# upstream work repository: master, stable-1.1 and the tags only
git init -q --template= -b master "$out/upstream"
git -C "$out/upstream" fetch -q --no-tags --update-head-ok "$w" \
	refs/heads/master:refs/heads/master \
	refs/heads/stable-1.1:refs/heads/stable-1.1 \
	'refs/tags/*:refs/tags/*'
git -C "$out/upstream" reset -q --hard master

mkdir -p "$out/git/widget"
git clone -q --bare --template= "$out/upstream" "$out/git/widget/libwidget.git"
git clone -q --bare --template= "$out/upstream" "$out/census.git"

refspecs=()
for b in acme gfw oldcorp legacy zed merged picks copycat staging foo-next; do
	refspecs+=("refs/heads/fork/$b:refs/heads/forks/$b")
done
git push -q "$out/census.git" "${refspecs[@]}"
git -C "$out/census.git" remote remove origin
git -C "$out/git/widget/libwidget.git" remote remove origin

while read -r name owner branch stars parent; do
	repo=$out/git/$owner/libwidget.git
	mkdir -p "$out/git/$owner"
	git clone -q --bare --template= "$out/git/$parent/libwidget.git" "$repo"
	git push -q -f "$repo" "refs/heads/fork/$name:refs/heads/$branch"
	git -C "$repo" symbolic-ref HEAD "refs/heads/$branch"
	git -C "$repo" remote remove origin
done <<<"$forks"

# network.json, forks by stars as GitHub lists them
iso() {
	TZ=UTC git log -1 --date='format-local:%Y-%m-%dT%H:%M:%SZ' --format=%cd "$1"
}
{
	printf '{\n  "upstream": {"owner": "widget", "repo": "libwidget", '
	printf '"default_branch": "master", "stars": 1200, "pushed_at": "%s"},\n' "$(iso master)"
	printf '  "forks": [\n'
	sep=""
	while read -r name owner branch stars parent; do
		printf '%s    {"owner": "%s", "repo": "libwidget", "default_branch": "%s", ' \
			"$sep" "$owner" "$branch"
		printf '"stars": %s, "pushed_at": "%s", "parent": "%s/libwidget"}' \
			"$stars" "$(iso "fork/$name")" "$parent"
		sep=$',\n'
	done <<<"$forks"
	printf '\n  ]\n}\n'
} >"$out/network.json"

touch "$out/.forkmap-demo"
echo "built demo network in $out" >&3
