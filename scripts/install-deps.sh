#!/bin/sh
# Install the Debian 12 packages forkmap builds and tests with (run as root).
# One list, used by the README quick start and by CI alike.
set -eu
SUDO=
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
	build-essential cmake pkg-config ca-certificates \
	libgit2-dev libcurl4-openssl-dev libcjson-dev \
	libgraphviz-dev graphviz libsqlite3-dev \
	libcmocka-dev git python3
