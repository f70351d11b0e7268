#!/bin/sh
# Install the Debian 12 packages forkmap builds and tests with (as root, or
# through sudo); help2man makes the man pages; git, python3, systemd
# (systemd-analyze), man-db and zsh are for tests. One list, used by the README quick start and by CI alike;
# --list only prints it.
set -eu
PACKAGES="build-essential cmake pkg-config ca-certificates
	libgit2-dev libcurl4-openssl-dev libcjson-dev
	libgraphviz-dev graphviz libsqlite3-dev
	libcmocka-dev git python3 systemd
	help2man man-db zsh"
if [ "${1:-}" = "--list" ]; then
	echo $PACKAGES
	exit 0
fi
SUDO=
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086 # one word per package
$SUDO apt-get install -y -q --no-install-recommends $PACKAGES
