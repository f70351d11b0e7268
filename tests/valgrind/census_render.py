#!/usr/bin/env python3
"""One census and one render under memcheck (the `valgrind` label; run by
ctest as `census_render.py VALGRIND ARGS...`, see tests/CMakeLists.txt).

The census measures the local forks of a small network into a store, with
CSV and JSON; the render draws the store's run as SVG. Memcheck must find
no error and no byte definitely lost (outside tests/valgrind.supp): it
exits 99 then, which fails the run.
"""
import json
import os
import subprocess
import sys

from fixture import Sandbox
from forkmap_run import forkmap_bin
from tiny_network import tiny_network

MEMCHECK_FAILED = 99  # --error-exitcode of tests/CMakeLists.txt


def run(memcheck, args, env, cwd):
    """forkmap args under memcheck; its exit code, after printing what
    memcheck said when it failed."""
    proc = subprocess.run(memcheck + [forkmap_bin()] + args, env=env,
                          cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True,
                          errors="replace", timeout=1500)
    if proc.returncode == MEMCHECK_FAILED:
        sys.stderr.write(proc.stderr)
        sys.exit("memcheck failed: forkmap %s" % " ".join(args))
    return proc


def main():
    memcheck = sys.argv[1:]
    if not memcheck:
        sys.exit("usage: census_render.py VALGRIND [ARGS...]")
    with Sandbox() as sb:
        repo = tiny_network(sb)
        env = dict(sb.env)
        # the sanitizer settings of clean_env mean nothing to valgrind
        env.pop("ASAN_OPTIONS", None)
        env.pop("LSAN_OPTIONS", None)
        db, csv, js, svg = (sb.path(n) for n in
                            ("census.db", "forks.csv", "forks.json",
                             "forks.svg"))
        proc = run(memcheck, ["census", "-C", repo.path, "--no-github",
                              "--db", db, "--csv", csv, "--json", js],
                   env, sb.root)
        if proc.returncode not in (0, 1):
            sys.exit("census: exit %d\n%s" % (proc.returncode, proc.stderr))
        with open(js) as f:
            forks = {r["name"]: r for r in json.load(f)["forks"]}
        if forks["acme"]["ahead"] != 2 or forks["bob"]["ahead"] != 1:
            sys.exit("census: unexpected rows %r" % forks)
        proc = run(memcheck, ["render", "--db", db, "-o", svg], env,
                   sb.root)
        if proc.returncode != 0:
            sys.exit("render: exit %d\n%s" % (proc.returncode, proc.stderr))
        with open(svg) as f:
            if "<svg" not in f.read():
                sys.exit("render: %s is not SVG" % svg)
        print("census and render: no memcheck error, nothing definitely "
              "lost")


if __name__ == "__main__":
    main()
