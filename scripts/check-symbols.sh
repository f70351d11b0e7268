#!/bin/sh
# Every external symbol libforkmap defines starts with fm_ (STYLE.md), so
# the library cannot clash with a program that links it. Prints the others
# and exits 1. Usage: scripts/check-symbols.sh path/to/libforkmap.a
set -eu
lib=${1:?usage: check-symbols.sh LIBFORKMAP.a}
bad=$(nm -g --defined-only "$lib" | awk 'NF == 3 { print $3 }' |
	grep -v '^fm_' | grep -v '^__odr_asan' | sort -u || true)
if [ -n "$bad" ]; then
	echo "external symbols of $lib without the fm_ prefix:"
	echo "$bad"
	exit 1
fi
count=$(nm -g --defined-only "$lib" | awk 'NF == 3' | wc -l)
echo "$count external symbols, all fm_"
