#!/bin/sh
# Every C file of the repository is formatted as .clang-format says
# (clang-format 14, Debian 12). Prints the files that differ and exits 1;
# `scripts/check-format.sh --fix` formats them in place instead.
set -eu
cd "$(dirname "$0")/.."
files=$(git ls-files '*.c' '*.h')
if [ "${1:-}" = "--fix" ]; then
	# shellcheck disable=SC2086 # one word per file
	clang-format -i $files
	exit 0
fi
bad=0
for f in $files; do
	if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "not formatted: $f (scripts/check-format.sh --fix)"
		bad=1
	fi
done
exit $bad
