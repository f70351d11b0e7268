#!/usr/bin/env bash
# forkmap nightly benchmark: what a census with a store (--db) costs when
# little or nothing changed since the last one, as ratios to the first
# (cold: empty store) census of the same network, timed side by side:
#
#   cold     empty store: every number measured
#   warm     nothing changed (every row reused, no commit graph loaded)
#   moved    one fork moved by N commits (default 100)
#   release  upstream moved by N commits and tagged a new release
#
#   bench/warm.sh [--small] [--no-build] [--fork NAME] [--commits N] [--check]
#
#   --small      the quick network, bench/data/small.git
#   --no-build   use the forkmap already built (or $FORKMAP)
#   --fork NAME  the fork branch that moves (default forks/f00)
#   --commits N  commits added to the fork and to upstream (default 100)
#   --check      also measure moved and release without a store and compare
#                them field by field (two more cold runs)
#
# The network is bench/run.sh's (bench/data/net.git; generate it with
# bench/run.sh first, or `git clone --bare --shared` an existing one there).
# moved and release are `git clone --bare --shared` copies of it in
# bench/data/warm/ with the new commits added by git fast-import; each
# starts from a copy of the store the cold run left. The page cache is
# warm for all four (the cold run reads the network first); "cold" is
# about the store. warm is always compared with cold field by field.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
small=0 build=1 fork=forks/f00 commits=100 check=0
while [ $# -gt 0 ]; do
	case $1 in
	--small) small=1 ;;
	--no-build) build=0 ;;
	--fork) fork=$2; shift ;;
	--commits) commits=$2; shift ;;
	--check) check=1 ;;
	-h | --help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "warm.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
net=$here/data/net.git
[ $small = 1 ] && net=$here/data/small.git
if [ ! -d "$net" ]; then
	echo "warm.sh: no network at $net (run bench/run.sh first)" >&2
	exit 1
fi
if [ -n "${FORKMAP:-}" ]; then
	fm=$FORKMAP
else
	fm=$root/build-bench/forkmap
	if [ $build = 1 ]; then
		echo "== building forkmap (Release) in build-bench/"
		cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release \
			>/dev/null && cmake --build "$root/build-bench" -j2 \
			--target forkmap >/dev/null
	fi
fi
work=$here/data/warm
rm -rf "$work"
mkdir -p "$work"

# --- the changed networks ------------------------------------------------------
# append REPO REF N FILE [TAG]: N commits on REF, each adding a line to FILE;
# with TAG, an annotated tag of the last one.
append() {
	python3 - "$@" <<'EOF' | git -C "$1" fast-import --quiet
import sys
repo, ref, n, path = sys.argv[1:5]
tag = sys.argv[5] if len(sys.argv) > 5 else None
who = "Bench <bench@example.org>"
out = sys.stdout
text = ""
for i in range(int(n)):
    when = 2000000000 + 60 * i
    text += "bench line %d\n" % i
    msg = "bench: commit %d of %s\n" % (i + 1, n)
    out.write("commit %s\ncommitter %s %d +0000\n" % (ref, who, when))
    out.write("data %d\n%s" % (len(msg), msg))
    if i == 0:
        out.write("from %s^0\n" % ref)
    out.write("M 100644 inline %s\ndata %d\n%s\n" % (path, len(text), text))
if tag:
    msg = "release %s\n" % tag
    out.write("tag %s\nfrom %s\ntagger %s %d +0000\ndata %d\n%s" % (
        tag, ref, who, 2000000000 + 60 * int(n), len(msg), msg))
EOF
}
git clone -q --bare --shared "$net" "$work/moved.git"
git clone -q --bare --shared "$net" "$work/release.git"
git -C "$work/moved.git" rev-parse -q --verify "refs/heads/$fork" >/dev/null ||
	{ echo "warm.sh: no branch $fork in the network" >&2; exit 1; }
append "$work/moved.git" "refs/heads/$fork" "$commits" bench/moved.txt
append "$work/release.git" refs/heads/master "$commits" bench/release.txt v9.0.0

# --- timing ------------------------------------------------------------------
# timed NAME REPO STORE-OPTION...: one census; wall seconds and peak RSS
# into $work/NAME.wall, JSON into NAME.json, -v output into NAME.err
timed() {
	local name=$1 repo=$2
	shift 2
	python3 - "$work/$name" "$fm" census -C "$repo" --no-github -v \
		--include-skipped "$@" --json "$work/$name.json" <<'EOF'
import resource, subprocess, sys, time
base, cmd = sys.argv[1], sys.argv[2:]
t = time.monotonic()
with open(base + ".err", "w") as err:
    rc = subprocess.call(cmd, stdout=subprocess.DEVNULL, stderr=err)
wall = time.monotonic() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if rc not in (0, 1):
    sys.exit("warm.sh: %s failed (%d), see %s.err" % (cmd[0], rc, base))
open(base + ".wall", "w").write("%.3f %d\n" % (wall, rss))
EOF
}
copy_db() {
	local f
	for f in "$work/cold.db" "$work/cold.db-wal"; do
		[ -e "$f" ] && cp "$f" "$work/$1.db${f#"$work/cold.db"}"
	done
	return 0
}

forks=$(git -C "$net" for-each-ref --format=x refs/heads/forks/ | wc -l)
echo "== $forks forks; $fork and upstream each moved by $commits commits"
timed cold "$net" --db "$work/cold.db"
copy_db base
timed warm "$net" --db "$work/cold.db"
cp "$work/base.db" "$work/moved.db"
timed moved "$work/moved.git" --db "$work/moved.db"
cp "$work/base.db" "$work/release.db"
timed release "$work/release.git" --db "$work/release.db"
if [ $check = 1 ]; then
	timed moved-ref "$work/moved.git" --no-db
	timed release-ref "$work/release.git" --no-db
fi

# --- report ------------------------------------------------------------------
python3 - "$work" "$check" <<'EOF'
import json, os, sys
work, check = sys.argv[1], sys.argv[2] == "1"
def t(name):
    wall, rss = open(os.path.join(work, name + ".wall")).read().split()
    return float(wall), int(rss)
def doc(name):
    return json.load(open(os.path.join(work, name + ".json")))
def graph_loaded(name):
    return "loading the commit graph" in open(
        os.path.join(work, name + ".err")).read()
cold = t("cold")[0]
print("   %-8s %8s %8s %9s  %s" % ("", "wall", "ratio", "peak RSS",
                                  "commit graph"))
for name in ("cold", "warm", "moved", "release"):
    wall, rss = t(name)
    print("   %-8s %7.2fs %8.4f %7.0f MB  %s" % (
        name, wall, wall / cold, rss / 1024.0,
        "loaded" if graph_loaded(name) else "not loaded"))
bad = 0
pairs = [("warm", "cold")]
if check:
    pairs += [("moved", "moved-ref"), ("release", "release-ref")]
for a, b in pairs:
    x, y = doc(a), doc(b)
    # run_id, started and finished describe the run, not the census
    diffs = [k for k in set(x) | set(y) if x.get(k) != y.get(k) and
             k not in ("run_id", "started", "finished")]
    print("   %s vs %s: %s" % (a, b, "equal, field by field" if not diffs
                              else "DIFFERENT in %s" % sorted(diffs)))
    bad += bool(diffs)
sys.exit(1 if bad else 0)
EOF
