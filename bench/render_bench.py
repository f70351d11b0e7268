#!/usr/bin/env python3
"""Time `forkmap render` on synthetic fork networks and report peak memory.

    bench/render_bench.py [--bin build/forkmap] [--sizes 50,500,5000,50000]
                          [--formats svg,png] [--work bench/data/render]
                          [--extra '--width 13.33 --height 7.5']

For each size a census CSV is generated (forkmap's own columns, seeded:
the same network every run): 40 releases over ten years, most forks on
recent releases, a tenth newer than every release (they hang from the tip),
commits ahead log-normally distributed. Each (size, format) is rendered
once; wall time and the peak RSS of the forkmap process are reported, from
/usr/bin/time -v when it exists, else from getrusage(RUSAGE_CHILDREN) in a
fresh child per run. Python 3 standard library only.
"""

import argparse
import csv
import datetime
import math
import os
import random
import re
import subprocess
import sys
import time

HEADER = ["repo name", "branch", "base tag", "base date", "commits ahead",
          "head date", "lines added", "lines deleted", "source", "ref",
          "head", "merge_base", "behind", "ahead_first_parent", "unique",
          "release", "files", "head_date_iso", "merge_base_date_iso",
          "base_date_iso", "stars", "error", "skipped"]

OWNERS = ["acme", "globex", "initech", "umbrella", "hooli", "vandelay",
          "wayne", "stark", "tyrell", "cyberdyne", "wonka", "soylent",
          "oscorp", "aperture", "blackmesa", "monarch", "dunder", "prestige"]


def generate(n, path, seed=1):
    rnd = random.Random(seed)
    start = datetime.date(2015, 1, 1)
    releases = []
    for i in range(40):
        day = start + datetime.timedelta(days=int(i * 91.3))
        releases.append(("v%d.%d.0" % (1 + i // 4, i % 4), day))
    end = releases[-1][1] + datetime.timedelta(days=200)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for i in range(n):
            name = "%s%d/project" % (OWNERS[i % len(OWNERS)], i)
            # recent releases are popular: index skewed to the end
            k = len(releases) - 1 - min(int(rnd.expovariate(0.15)),
                                        len(releases) - 1)
            tag, based = releases[k]
            release = tag
            if rnd.random() < 0.1:  # newer than every release
                release = ""
                based = releases[-1][1] + datetime.timedelta(days=30)
                tag = releases[-1][0]
            # merge base: at the base tag for most, a few weeks after
            # it for a third (fork points between releases)
            mb = based
            if rnd.random() < 0.33:
                mb = based + datetime.timedelta(days=rnd.randint(1, 60))
            head = based + datetime.timedelta(
                days=rnd.randint(0, max(1, (end - based).days)))
            ahead = max(1, int(math.exp(rnd.gauss(2.5, 1.6))))
            ins = int(ahead * rnd.uniform(5, 80))
            dele = int(ins * rnd.uniform(0.05, 0.6))
            w.writerow([name, "main", tag, based.strftime("%d/%m/%Y"),
                        ahead, head.strftime("%d/%m/%Y"), ins, dele,
                        "github", "refs/forkmap/%s/main" % name, "", "",
                        rnd.randint(0, 5000), ahead, ahead * 2 // 3,
                        release, max(1, ins // 40), "",
                        mb.isoformat() + "T12:00:00+00:00", "", 0, "", ""])


def measure(argv):
    """(seconds, CPU seconds (user + system) or None, peak RSS in KiB or
    None, how it was measured). On a shared machine the CPU time is the
    number to compare: wall time grows with everyone else's load."""
    if os.access("/usr/bin/time", os.X_OK):
        t0 = time.monotonic()
        p = subprocess.run(["/usr/bin/time", "-v"] + argv,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True)
        secs = time.monotonic() - t0
        if p.returncode != 0:
            sys.exit("render failed:\n" + p.stderr)
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)",
                      p.stderr)
        cpu = sum(float(v) for v in re.findall(
            r"(?:User|System) time \(seconds\): ([\d.]+)", p.stderr))
        return (secs, cpu, int(m.group(1)) if m else None,
                "/usr/bin/time -v")
    # a fresh child per run, so RUSAGE_CHILDREN holds this run only
    code = ("import resource,subprocess,sys,time;t=time.monotonic();"
            "r=subprocess.run(sys.argv[1:]).returncode;"
            "u=resource.getrusage(resource.RUSAGE_CHILDREN);"
            "print(time.monotonic()-t,u.ru_utime+u.ru_stime,u.ru_maxrss);"
            "sys.exit(r)")
    p = subprocess.run([sys.executable, "-c", code] + argv,
                       stdout=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit("render failed")
    secs, cpu, rss = p.stdout.split()
    return float(secs), float(cpu), int(rss), "getrusage"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.environ.get(
        "FORKMAP_BIN", os.path.join(os.path.dirname(here), "build",
                                    "forkmap")))
    ap.add_argument("--sizes", default="50,500,5000,50000")
    ap.add_argument("--formats", default="svg,png")
    ap.add_argument("--work", default=os.path.join(here, "data", "render"))
    ap.add_argument("--extra", default="",
                    help="more render options, e.g. '--width 13.33 "
                    "--height 7.5' or '--layout timeline' or '--top 50000'")
    args = ap.parse_args()
    if not os.access(args.bin, os.X_OK):
        sys.exit("no forkmap program at %s (--bin)" % args.bin)
    os.makedirs(args.work, exist_ok=True)

    print("%6s %-6s %9s %9s %12s %10s" % ("forks", "format", "seconds",
                                           "CPU s", "peak RSS MB",
                                           "output KB"))
    how = None
    for n in (int(s) for s in args.sizes.split(",")):
        src = os.path.join(args.work, "census-%d.csv" % n)
        generate(n, src)
        for fmt in args.formats.split(","):
            out = os.path.join(args.work, "forks-%d.%s" % (n, fmt))
            secs, cpu, rss, how = measure([args.bin, "render", "--csv",
                                           src, "-o", out] +
                                          args.extra.split())
            print("%6d %-6s %9.2f %9.2f %12s %10d" % (
                n, fmt, secs, cpu,
                "%.1f" % (rss / 1024.0) if rss else "?",
                os.path.getsize(out) // 1024))
            sys.stdout.flush()
    print("(peak RSS from %s; layout: neato up to 1500 nodes, sfdp above;"
          " without --top at most 2000 forks are drawn)" % how)


if __name__ == "__main__":
    main()
