#!/usr/bin/env bash
# The offline demo, end to end: build the demo fork network, serve it with
# the GitHub emulator and a real git daemon on loopback, and run a census
# through them exactly as a nightly census talks to GitHub; then run it
# again (warm: every request conditional, answered 304) and draw the figure.
#
#   demo/run-demo.sh [FORKMAP_BINARY]      (default: build/forkmap)
#
# Everything it writes goes to demo/net/ and demo/out/ (git-ignored), or
# under $FORKMAP_DEMO_DIR when set (the tests use that).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
fm=${1:-$root/build/forkmap}
work=${FORKMAP_DEMO_DIR:-$here}/net
out=${FORKMAP_DEMO_DIR:-$here}/out

[ -x "$fm" ] || { echo "run-demo.sh: no forkmap binary at $fm" >&2; exit 2; }

"$here/make-demo.sh" "$work" >/dev/null
rm -rf "$out"
mkdir -p "$out"

# The emulator prints its URL first (then the git daemon's) and serves
# until it is told to stop; the trap stops it (and its git daemon) however
# this script ends.
python3 "$root/tests/lib/ghemu.py" --network "$work/network.json" \
	--git-root "$work/git" --port 0 >"$out/emulator.url" 2>"$out/emulator.log" &
emu=$!
trap 'kill $emu 2>/dev/null; wait $emu 2>/dev/null || true' EXIT
for _ in $(seq 100); do
	[ -s "$out/emulator.url" ] && break
	sleep 0.1
done
api=$(head -n 1 "$out/emulator.url")
[ -n "$api" ] || { echo "run-demo.sh: the GitHub emulator did not start" >&2; exit 1; }

# Never send a real token to the emulator.
census() {
	env -u GITHUB_TOKEN -u GH_TOKEN "$fm" census \
		-C "$out/libwidget.git" --upstream widget/libwidget --api "$api" \
		--depth 2 --db "$out/forkmap.db" "$@"
}

echo "== forkmap census of widget/libwidget through the GitHub emulator ($api)"
status=0
census --csv "$out/forks.csv" --json "$out/forks.json" || status=$?
[ $status -le 1 ] || exit $status

echo
echo "== the same census again (the nightly case: nothing changed upstream)"
census -q --json /dev/null || true
"$fm" history --db "$out/forkmap.db"

echo
echo "== forks with unmerged work gone quiet (as of March 2024, where the demo's history ends)"
"$fm" stale --db "$out/forkmap.db" --now 2024-03-01

echo
# fates as of March 2024 too, where the demo's history ends
"$fm" render --db "$out/forkmap.db" --title "libwidget forks" \
	--now 2024-03-01 --width 13.333 --height 7.5 -o "$out/forks.svg"
"$fm" render --db "$out/forkmap.db" --title "libwidget forks" \
	--now 2024-03-01 --width 13.333 --height 7.5 -o "$out/forks.png"
echo "== outputs"
echo "   table above; CSV  $out/forks.csv"
echo "                JSON $out/forks.json"
echo "   store (every run) $out/forkmap.db"
echo "   figure            $out/forks.svg, $out/forks.png"
