#!/usr/bin/env bash
# The figures in docs/: the demo network (docs/demo.png, linked from the
# README), a synthetic 40-fork network, a long title and the timeline
# layout, all 16:9 slides (13.333 x 7.5 in) at 150 dpi.
#
#   scripts/make-figures.sh [FORKMAP_BINARY]      (default: build/forkmap)
#
# Runs the offline demo (demo/run-demo.sh) in a temporary directory.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
fm=${1:-$root/build/forkmap}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

FORKMAP_DEMO_DIR=$tmp "$root/demo/run-demo.sh" "$fm" >/dev/null
slide=(--width 13.333 --height 7.5 --dpi 150 --now 2024-03-01)
cp "$tmp/out/forks.png" "$root/docs/demo.png"
"$fm" render --db "$tmp/out/forkmap.db" "${slide[@]}" --title \
	"libwidget and its forks: who left when, who is still alive, and what they carry" \
	-o "$root/docs/figure-long-title.png"
"$fm" render --db "$tmp/out/forkmap.db" "${slide[@]}" --layout timeline \
	--title "libwidget forks over time" -o "$root/docs/figure-timeline.png"
python3 -c 'import sys; sys.path.insert(0, sys.argv[1]);
import render_bench; render_bench.generate(40, sys.argv[2])' \
	"$root/bench" "$tmp/forks-40.csv"
"$fm" render --csv "$tmp/forks-40.csv" --width 13.333 --height 7.5 --dpi 150 \
	--now 2025-06-01 --title "A synthetic network of 40 forks" \
	-o "$root/docs/figure-40.png"
