#!/usr/bin/env bash
# The "oracle pipeline": forkmap's metric contract (docs: DESIGN.md, "Metric
# contract") computed with exactly the git commands it names, one fork at a
# time, the way a maintainer's shell script would. The benchmark baseline,
# and the reference for bench/run.sh's differential check.
#
#   bench/oracle.sh REPO [UPSTREAM_BRANCH]     (default: REPO's HEAD branch)
#
# Measures every refs/heads/forks/* (no skipping: ahead == 0 and staging /
# *-next branches are listed too). Prints, comma-separated:
#
#   fork,NAME,merge_base,ahead,behind,ahead_first_parent,unique,base_tag,
#        release,files,insertions,deletions,head_date,merge_base_date,base_date
#   release,TAG,tree_lines        (each distinct release of the forks)
#
# A fork without common history gives "fork,NAME,error,no merge base".
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 REPO [UPSTREAM_BRANCH]" >&2
	exit 2
fi
repo=$1
unset GIT_DIR GIT_WORK_TREE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null LC_ALL=C
g() { git -C "$repo" "$@"; }
U=${2:-$(g symbolic-ref --short HEAD)}
g rev-parse -q --verify "refs/heads/$U^{commit}" >/dev/null ||
	{ echo "oracle.sh: no branch '$U' in $repo" >&2; exit 2; }

EMPTY_TREE=4b825dc642cb6eb9a060e54bf8d69288fbee4904
RELEASE_RE='^v?[0-9]+\.[0-9]+\.[0-9]+$'

# shortstat: "N files changed, I insertions(+), D deletions(-)" -> "N,I,D"
shortstat() {
	local files=0 ins=0 del=0 re
	re='([0-9]+) files? changed'
	[[ $1 =~ $re ]] && files=${BASH_REMATCH[1]}
	re='([0-9]+) insertions?'
	[[ $1 =~ $re ]] && ins=${BASH_REMATCH[1]}
	re='([0-9]+) deletions?'
	[[ $1 =~ $re ]] && del=${BASH_REMATCH[1]}
	echo "$files,$ins,$del"
}

declare -A releases=()
for ref in $(g for-each-ref --format='%(refname)' 'refs/heads/forks/'); do
	name=${ref#refs/heads/forks/}
	if ! mb=$(g merge-base "$U" "$ref"); then
		echo "fork,$name,error,no merge base"
		continue
	fi
	ahead=$(g rev-list --count "$U..$ref")
	behind=$(g rev-list --count "$ref..$U")
	fp=$(g rev-list --count --first-parent "$U..$ref")
	unique=$(g cherry "$U" "$ref" | grep -c '^+' || true)
	base=$(g describe --tags --abbrev=0 --match 'v[0-9]*' --match '[0-9]*' \
		"$mb" 2>/dev/null || true)
	if [[ $base =~ $RELEASE_RE ]]; then
		release=$base
	else
		release=$(g tag --contains "$mb" --sort=v:refname |
			grep -E "$RELEASE_RE" | awk 'NR == 1' || true)
	fi
	stat=$(shortstat "$(g diff --shortstat --no-renames "$mb" "$ref")")
	head_date=$(g log -1 --format=%cI "$ref")
	mb_date=$(g log -1 --format=%cI "$mb")
	base_date=
	[ -n "$base" ] && base_date=$(g log -1 --format=%cI "$base^{commit}")
	echo "fork,$name,$mb,$ahead,$behind,$fp,$unique,$base,$release,$stat,$head_date,$mb_date,$base_date"
	[ -n "$release" ] && releases[$release]=1
done
for tag in $(printf '%s\n' "${!releases[@]}" | sort -V); do
	lines=$(shortstat "$(g diff-tree -r --shortstat "$EMPTY_TREE" "$tag")")
	lines=${lines#*,}
	echo "release,$tag,${lines%,*}"
done
