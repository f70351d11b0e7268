#!/bin/sh
# forkmap quick start: install the Debian packages, build, and run a fork
# census of the bundled offline demo network -- through the GitHub emulator
# and a real git daemon on loopback, exactly as a nightly census would talk
# to GitHub -- then draw the figure.
set -eu
cd "$(dirname "$0")"
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
exec demo/run-demo.sh build/forkmap
