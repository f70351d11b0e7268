#!/usr/bin/env bash
# forkmap benchmark: the oracle pipeline (bench/oracle.sh) against
# `forkmap census` on the same synthetic network, side by side, plus a
# field-by-field differential check of forkmap's JSON against the oracle.
#
#   bench/run.sh [--small] [--regen] [--no-build] [--warm] [--skip-oracle]
#
#   --small        the quick network (gen-network.py --small), bench/data/small.git
#   --regen        regenerate the network even if it is cached
#   --no-build     use the forkmap already built (or $FORKMAP)
#   --warm         do not drop the page cache before each run
#   --skip-oracle  reuse the last oracle output of this network
#
# Builds Release into build-bench/ (unless $FORKMAP names a binary), generates
# the network once into bench/data/ (git-ignored), then times each side cold
# (page cache dropped: needs root; otherwise says "warm page cache") and
# records peak RSS (/usr/bin/time -v, else python's resource module).
# shellcheck disable=SC1090,SC2154 # measure() sources wall_*/rss_*/cpu_*
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work=$here/data
small=0 regen=0 build=1 warm=0 skip_oracle=0
for arg; do
	case $arg in
	--small) small=1 ;;
	--regen) regen=1 ;;
	--no-build) build=0 ;;
	--warm) warm=1 ;;
	--skip-oracle) skip_oracle=1 ;;
	-h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "run.sh: unknown option $arg" >&2; exit 2 ;;
	esac
done

mkdir -p "$work"
if [ $small = 1 ]; then
	net=$work/small.git gen_args=(--small)
else
	net=$work/net.git gen_args=()
fi
tag=$(basename "$net" .git)

# --- build -------------------------------------------------------------------
if [ -n "${FORKMAP:-}" ]; then
	fm=$FORKMAP
else
	fm=$root/build-bench/forkmap
	if [ $build = 1 ]; then
		echo "== building forkmap (Release) in build-bench/"
		cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release \
			>"$work/build.log" 2>&1 &&
			cmake --build "$root/build-bench" -j2 --target forkmap \
				>>"$work/build.log" 2>&1 ||
			echo "   build failed (see bench/data/build.log); measuring the oracle only"
	fi
fi
have_fm=0
[ -x "$fm" ] && have_fm=1

# --- network -----------------------------------------------------------------
want="gen-network.py ${gen_args[*]:-} $(sha1sum "$here/gen-network.py" | cut -c1-12)"
if [ $regen = 1 ] || [ ! -d "$net" ] || [ "$(cat "$net.stamp" 2>/dev/null)" != "$want" ]; then
	echo "== generating $tag network (cached in bench/data/)"
	rm -f "$net.stamp"
	python3 "$here/gen-network.py" -f "${gen_args[@]}" -o "$net" \
		--plan "$work/$tag.plan.json" | tee "$work/$tag.gen.log"
	echo "$want" >"$net.stamp"
	rm -f "$work/$tag.oracle.csv"
else
	echo "== using cached network bench/data/$tag.git"
	sed -n '2,$p' "$work/$tag.gen.log" 2>/dev/null || true
fi

# --- measuring ---------------------------------------------------------------
cache=cold
drop_caches() {
	if [ $warm = 1 ]; then
		cache="warm page cache"
		return
	fi
	sync
	if ! (echo 3 >/proc/sys/vm/drop_caches) 2>/dev/null; then
		cache="warm page cache (cannot drop caches here)"
	fi
}

# measure NAME OUTFILE CMD...: run CMD with stdout to OUTFILE; sets
# wall_NAME (s), rss_NAME (kB), cpu_NAME (user+sys s), rc_NAME
measure() {
	local name=$1 outfile=$2 tfile
	shift 2
	tfile=$work/$tag.$name.time
	drop_caches
	if [ -x /usr/bin/time ]; then
		set +e
		/usr/bin/time -v -o "$tfile" "$@" >"$outfile" 2>"$work/$tag.$name.err"
		local rc=$?
		set -e
		eval "rc_$name=$rc"
		python3 - "$tfile" "$name" <<'EOF' >"$work/$tag.$name.vars"
import re, sys
text = open(sys.argv[1]).read()
def get(label):
    m = re.search(re.escape(label) + r".*?: (.*)", text)
    return m.group(1).strip() if m else "0"
wall = get("Elapsed (wall clock) time")
secs = 0.0
for part in wall.split(":"):
    secs = secs * 60 + float(part)
name = sys.argv[2]
print("wall_%s=%.2f" % (name, secs))
print("rss_%s=%s" % (name, get("Maximum resident set size")))
print("cpu_%s=%.2f" % (name, float(get("User time")) + float(get("System time"))))
EOF
	else
		python3 - "$name" "$outfile" "$work/$tag.$name.err" "$@" <<'EOF' >"$work/$tag.$name.vars"
import resource, subprocess, sys, time
name, out, err, cmd = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
t = time.monotonic()
with open(out, "w") as o, open(err, "w") as e:
    rc = subprocess.call(cmd, stdout=o, stderr=e)
wall = time.monotonic() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("wall_%s=%.2f" % (name, wall))
print("rss_%s=%d" % (name, r.ru_maxrss))
print("cpu_%s=%.2f" % (name, r.ru_utime + r.ru_stime))
print("rc_%s=%d" % (name, rc))
EOF
	fi
	. "$work/$tag.$name.vars"
}

forks=$(git -C "$net" for-each-ref --format=x 'refs/heads/forks/' | wc -l)
echo "== measuring on $forks forks ($(du -sh "$net" | cut -f1) repository)"

oracle_csv=$work/$tag.oracle.csv
if [ $skip_oracle = 1 ] && [ -s "$oracle_csv" ] && [ -s "$work/$tag.oracle.vars" ]; then
	. "$work/$tag.oracle.vars"
	rc_oracle=0 oracle_cache="(reused)"
else
	measure oracle "$oracle_csv" bash "$here/oracle.sh" "$net" master
	oracle_cache=$cache
	if [ "$rc_oracle" != 0 ]; then
		echo "oracle.sh failed ($rc_oracle):" >&2
		cat "$work/$tag.oracle.err" >&2
		exit 1
	fi
fi
printf '   oracle pipeline: %8.1f s wall, %7.1f s cpu, peak RSS %6.0f MB  [%s]\n' \
	"$wall_oracle" "$cpu_oracle" "$(awk "BEGIN{print $rss_oracle / 1024}")" "$oracle_cache"

if [ $have_fm = 0 ]; then
	echo "   forkmap: not built ($fm missing); nothing to compare"
	exit 0
fi
json=$work/$tag.out.json
rm -f "$json"
measure forkmap /dev/null "$fm" census -C "$net" --no-github --no-db --json "$json"
fm_cache=$cache
printf '   forkmap census:  %8.1f s wall, %7.1f s cpu, peak RSS %6.0f MB  [%s], exit %s\n' \
	"$wall_forkmap" "$cpu_forkmap" "$(awk "BEGIN{print $rss_forkmap / 1024}")" "$fm_cache" "$rc_forkmap"
if [ "$rc_forkmap" != 0 ] && [ "$rc_forkmap" != 1 ]; then
	echo "   forkmap failed; stderr (last lines):"
	tail -n 5 "$work/$tag.forkmap.err" | sed 's/^/     /'
	exit 1
fi
printf '   ratio forkmap/oracle: wall %.3f, peak RSS %.2f\n' \
	"$(awk "BEGIN{print $wall_forkmap / $wall_oracle}")" \
	"$(awk "BEGIN{print $rss_forkmap / $rss_oracle}")"

# --- differential check --------------------------------------------------------
echo "== differential check: forkmap JSON vs oracle"
python3 - "$oracle_csv" "$json" <<'EOF'
import csv, json, sys
FIELDS = ["merge_base", "ahead", "behind", "ahead_first_parent", "unique",
          "base_tag", "release", "files", "insertions", "deletions",
          "head_date", "merge_base_date", "base_date"]
INTS = {"ahead", "behind", "ahead_first_parent", "unique", "files",
        "insertions", "deletions"}
oracle, tree_lines = {}, {}
for row in csv.reader(open(sys.argv[1])):
    if row[0] == "fork" and row[2] != "error":
        oracle[row[1]] = {f: (int(v) if f in INTS else v)
                          for f, v in zip(FIELDS, row[2:])}
    elif row[0] == "release":
        tree_lines[row[1]] = int(row[2])
try:
    doc = json.load(open(sys.argv[2]))
except (OSError, ValueError) as e:
    print("   cannot read forkmap's JSON: %s" % e)
    sys.exit(1)
got = {f.get("name"): f for f in doc.get("forks") or []}
bad = []
for name, want in sorted(oracle.items()):
    row = got.get(name)
    if row is None:
        bad.append("%s: missing from forkmap's output" % name)
        continue
    if row.get("error"):
        bad.append("%s: error %r" % (name, row["error"]))
        continue
    if row.get("skipped"):
        bad.append("%s: skipped (%s)" % (name, row["skipped"]))
        continue
    for f in FIELDS:
        v = row.get(f)
        if v is None and want[f] == "":
            v = ""
        if v != want[f]:
            bad.append("%s.%s: forkmap %r, oracle %r" % (name, f, v, want[f]))
for name in sorted(set(got) - set(oracle)):
    bad.append("%s: not a fork for the oracle" % name)
rels = {r.get("tag"): r for r in doc.get("releases") or []}
for tag, lines in sorted(tree_lines.items()):
    r = rels.get(tag)
    if r is None:
        bad.append("release %s: missing from forkmap's releases" % tag)
    elif r.get("tree_lines") != lines:
        bad.append("release %s.tree_lines: forkmap %r, oracle %d" % (
            tag, r.get("tree_lines"), lines))
checked = len(oracle) * len(FIELDS) + len(tree_lines)
print("   %d forks x %d fields + %d release tree_lines checked: %d mismatches"
      % (len(oracle), len(FIELDS), len(tree_lines), len(bad)))
for b in bad[:40]:
    print("   MISMATCH " + b)
if len(bad) > 40:
    print("   ... and %d more" % (len(bad) - 40))
sys.exit(1 if bad else 0)
EOF
