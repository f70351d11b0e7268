#!/usr/bin/env python3
"""What `forkmap show` costs, measured side by side in one run.

    bench/show_bench.py [--bin build-bench/forkmap] [--net bench/data/net.git]
                        [--work bench/data/show] [--dirs 5000]

1. The largest fork of bench/run.sh's network (most commits ahead, by
   `git rev-list --count`): a repository holding only that fork (a shared
   bare clone of the network, the other fork refs deleted), then
     - its cold census (empty store: every patch id and line count
       computed), `forkmap census --no-github --db`;
     - `forkmap show FORK --json` on that store, twice (the second is the
       one reported: the page cache is then as warm as the census left it).
   The ratio show / census is the issue's "<= 10%".
2. A fork touching --dirs directories (50 x N/50 two-level directories,
   one file each, made with git fast-import), censused, then `forkmap show
   --json` with and without `-o treemap.svg` (and .png): the difference is
   the treemap's own cost, the issue's "< 2 s for 5,000 directories".

The page cache is not dropped (other work may share the machine): both
sides of each ratio run warm, one after the other. Python 3 standard
library only; bench/run.sh makes the network (or reuse one with --net).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def sh(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True,
                          **kw).stdout


def timed(args, env=None):
    t0 = time.monotonic()
    p = subprocess.run(args, capture_output=True, text=True, env=env)
    dt = time.monotonic() - t0
    if p.returncode not in (0, 1):
        sys.exit("failed (%d): %s\n%s" % (p.returncode, " ".join(args),
                                          p.stderr))
    return dt, p.stdout


def largest_fork(net):
    refs = sh(["git", "-C", net, "for-each-ref", "--format=%(refname)",
               "refs/heads/forks/"]).split()
    best = None
    for r in refs:
        n = int(sh(["git", "-C", net, "rev-list", "--count",
                    "master.." + r]))
        if not best or n > best[1]:
            best = (r, n)
    return best


def one_fork_repo(net, ref, path):
    if os.path.exists(path):
        shutil.rmtree(path)
    sh(["git", "clone", "-q", "--bare", "--shared", net, path])
    for r in sh(["git", "-C", path, "for-each-ref", "--format=%(refname)",
                 "refs/heads/forks/"]).split():
        if r != ref:
            sh(["git", "-C", path, "update-ref", "-d", r])


def fork_cost(fm, net, work):
    ref, ahead = largest_fork(net)
    name = ref[len("refs/heads/forks/"):]
    repo = os.path.join(work, "one.git")
    db = os.path.join(work, "one.db")
    one_fork_repo(net, ref, repo)
    for p in (db, db + "-wal", db + "-shm"):
        if os.path.exists(p):
            os.remove(p)
    census, out = timed([fm, "census", "-C", repo, "--no-github", "--db", db,
                         "--branch", "master", "--json", "-", "--quiet"])
    row = json.loads(out)["forks"][0]
    timed([fm, "show", "-C", repo, "--db", db, name, "--json"])
    show, out = timed([fm, "show", "-C", repo, "--db", db, name, "--json"])
    doc = json.loads(out)
    return {"fork": name, "ahead": ahead, "unique": row["unique"],
            "patches": row["patches"], "dirs": len(doc["directories"]),
            "census_s": census, "show_s": show, "ratio": show / census}


def wide_repo(path, ndirs):
    """An upstream commit and a fork commit touching ndirs directories."""
    if os.path.exists(path):
        shutil.rmtree(path)
    sh(["git", "init", "-q", "--bare", "-b", "master", path])
    lines = []
    when = 1700000000

    def commit(ref, msg, files, parent=None):
        nonlocal when
        when += 60
        lines.append("commit %s\ncommitter B <b@example.org> %d +0000\n"
                     "data %d\n%s\n" % (ref, when, len(msg), msg))
        if parent:
            lines.append("from %s\n" % parent)
        for p, data in files:
            lines.append("M 100644 inline %s\ndata %d\n%s\n"
                         % (p, len(data.encode()), data))
        lines.append("\n")
    commit("refs/heads/master", "base", [("README", "base\n")])
    per = max(1, ndirs // 50)
    files = []
    for i in range(ndirs):
        files.append(("a%02d/b%04d/f.c" % (i // per, i % per),
                      "".join("int v%d;\n" % k for k in range(1 + i % 37))))
    commit("refs/heads/forks/wide", "wide", files, parent="refs/heads/master")
    subprocess.run(["git", "-C", path, "fast-import", "--quiet"],
                   input="".join(lines), text=True, check=True)


def treemap_cost(fm, work, ndirs):
    repo = os.path.join(work, "wide.git")
    db = os.path.join(work, "wide.db")
    wide_repo(repo, ndirs)
    for p in (db, db + "-wal", db + "-shm"):
        if os.path.exists(p):
            os.remove(p)
    timed([fm, "census", "-C", repo, "--no-github", "--db", db, "--branch",
           "master", "--quiet"])
    base = [fm, "show", "-C", repo, "--db", db, "wide", "--json"]
    timed(base)
    plain, out = timed(base)
    res = {"dirs": len(json.loads(out)["directories"]), "show_s": plain}
    for ext in ("svg", "png"):
        t, _ = timed(base + ["-o", os.path.join(work, "wide." + ext)])
        res[ext + "_s"] = t
        res[ext + "_treemap_s"] = t - plain
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(HERE, os.pardir,
                                                  "build-bench", "forkmap"))
    ap.add_argument("--net", default=os.path.join(HERE, "data", "net.git"))
    ap.add_argument("--work", default=os.path.join(HERE, "data", "show"))
    ap.add_argument("--dirs", type=int, default=5000)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    if not os.path.isdir(a.net):
        sys.exit("no network at %s: run bench/run.sh first (or --net)"
                 % a.net)
    f = fork_cost(a.bin, a.net, a.work)
    print("largest fork %(fork)s: %(ahead)d ahead, %(unique)d unique, "
          "%(patches)d patches, %(dirs)d directories" % f)
    print("  cold census %.2f s, show %.2f s: show = %.1f%% of the census"
          % (f["census_s"], f["show_s"], 100 * f["ratio"]))
    t = treemap_cost(a.bin, a.work, a.dirs)
    print("treemap of %(dirs)d directories: show %(show_s).2f s; with "
          "-o svg %(svg_s).2f s (treemap %(svg_treemap_s).2f s), "
          "with -o png %(png_s).2f s (treemap %(png_treemap_s).2f s)" % t)


if __name__ == "__main__":
    main()
