#!/bin/sh
# Man pages from the program's own --help (help2man), so a page cannot
# drift from what the program says: forkmap(1) and forkmap-COMMAND(1) for
# every command that `forkmap --help` lists.
#   scripts/make-man.sh path/to/forkmap OUTDIR
set -eu
bin=${1:?usage: make-man.sh FORKMAP OUTDIR}
out=${2:?usage: make-man.sh FORKMAP OUTDIR}
mkdir -p "$out"
see=$(mktemp)
trap 'rm -f "$see"' EXIT

# the commands section of the overview: "  NAME    summary"
commands=$("$bin" --help | sed -n '/^commands:/,/^$/p' |
	awk 'NF >= 2 && $1 != "commands:" && $1 != "help" && $1 != "version" { print $1 }')

{
	echo '[SEE ALSO]'
	for c in $commands; do printf '.BR forkmap-%s (1),\n' "$c"; done
	echo '.BR git (1)'
} >"$see"

help2man --no-info --no-discard-stderr --include="$see" \
	--name="measure how far the forks of an upstream project have drifted" \
	--version-option=--version --output="$out/forkmap.1" "$bin"

for c in $commands; do
	summary=$("$bin" --help | awk -v c="$c" '$1 == c { $1 = ""; sub(/^ +/, ""); print; exit }')
	help2man --no-info --no-discard-stderr --include="$see" \
		--name="$summary" --help-option="$c --help" \
		--version-option=--version --output="$out/forkmap-$c.1.tmp" "$bin"
	# the page is forkmap-COMMAND(1), not a second forkmap(1)
	upper=$(echo "forkmap-$c" | tr '[:lower:]' '[:upper:]')
	sed -e "s/^\.TH FORKMAP /.TH $upper /" \
		-e "s/^forkmap \\\\- /forkmap-$c \\\\- /" \
		"$out/forkmap-$c.1.tmp" >"$out/forkmap-$c.1"
	rm -f "$out/forkmap-$c.1.tmp"
done
