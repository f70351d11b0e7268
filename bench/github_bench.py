#!/usr/bin/env python3
"""GitHub crawl benchmark: a census of an emulated network of thousands of
forks (tests/lib/ghemu.py), cold (empty store, new local repository) and
warm (the nightly rerun), measuring the counted API requests, wall time
and peak memory of each run.

    python3 bench/github_bench.py --build build [--forks 3000] [--top 50]
        [--depth 2] [--via auto|cli|driver] [--keep DIR]

The goal for a cold run is 1 + ceil(top/100) + (listed forks that have
forks of their own) counted requests; a warm run should cost ~0 (304s are
free for authenticated clients).

--via cli runs `forkmap census --upstream --api` (needs cmd_census.c wired
to fm_forge_discover); --via driver runs the same library calls through
forkmap-github-driver; auto picks cli when it talks to the API.

Only the forks that get fetched (the top N and their listed forks) are real
git repositories (served by git daemon); the others exist only in the API.
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(SRC, "tests", "lib"))

from ghemu import Emulator  # noqa: E402

TOKEN = "ghp_benchTOKEN"


def git(*args, cwd=None, env=None, input=None):
    return subprocess.run(["git"] + list(args), cwd=cwd, env=env,
                          input=input, capture_output=True, text=True,
                          check=True).stdout.strip()


def clean_env(home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"HOME": home, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C",
                "TZ": "UTC", "GIT_AUTHOR_NAME": "bench",
                "GIT_AUTHOR_EMAIL": "bench@example.org",
                "GIT_COMMITTER_NAME": "bench",
                "GIT_COMMITTER_EMAIL": "bench@example.org"})
    return env


def make_upstream(root, env, commits=300):
    """up/proj: a linear history with a file per commit and tags."""
    work = os.path.join(root, "_work")
    git("init", "-q", "-b", "master", work, env=env)
    lines = []
    stream = []
    t = 1600000000
    for i in range(commits):
        lines.append("line %d\n" % i)
        data = "".join(lines[-50:])
        stream.append("commit refs/heads/master\n"
                      "committer bench <b@example.org> %d +0000\n"
                      "data %d\nc%d\n"
                      "M 100644 inline f%d.txt\ndata %d\n%s\n" % (
                          t + i * 3600, len("c%d" % i), i, i % 40,
                          len(data), data))
        if i % 50 == 49:
            stream.append("tag v1.%d.0\nfrom refs/heads/master\n"
                          "tagger bench <b@example.org> %d +0000\n"
                          "data 3\nrel\n" % (i // 50, t + i * 3600))
    git("fast-import", "--quiet", cwd=work, env=env, input="".join(stream))
    dest = os.path.join(root, "up", "proj.git")
    os.makedirs(os.path.dirname(dest))
    git("clone", "-q", "--bare", work, dest, env=env)
    shutil.rmtree(work)
    return dest


def make_fork(root, upstream, owner, k, env):
    """<owner>/proj: the upstream a few commits back, plus k commits."""
    dest = os.path.join(root, owner, "proj.git")
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    git("clone", "-q", "--bare", "--shared", upstream, dest, env=env)
    base = git("rev-parse", "master~%d" % (k * 3), cwd=dest, env=env)
    stream = ["reset refs/heads/master\nfrom %s\n" % base]
    for i in range(k):
        data = "%s change %d\n" % (owner, i)
        stream.append("commit refs/heads/master\n"
                      "committer %s <f@example.org> %d +0000\n"
                      "data 6\nfork %d\nM 100644 inline %s-%d.txt\n"
                      "data %d\n%s\n" % (owner, 1700000000 + i, i, owner,
                                        i, len(data), data))
    git("fast-import", "--quiet", "--force", cwd=dest, env=env,
        input="".join(stream))


def network(nforks, nested_every, top):
    """Stars strictly decreasing; every `nested_every`-th fork has 1-2
    forks of its own (with fewer stars than any direct fork)."""
    forks = []
    for i in range(nforks):
        forks.append({"owner": "f%05d" % i, "repo": "proj",
                      "stars": 10 * (nforks - i)})
    nested = 0
    for i in range(0, nforks, nested_every):
        for j in range(1 + (i // nested_every) % 2):
            forks.append({"owner": "n%05d-%d" % (i, j), "repo": "proj",
                          "parent": "f%05d/proj" % i, "stars": 1 + j})
        nested += 1
    doc = {"upstream": {"owner": "up", "repo": "proj", "stars": 10 ** 6},
           "forks": forks, "tokens": [TOKEN], "omit_last_above": 10}
    return doc, nested


def run_measured(argv, env):
    """Run argv in a helper python process that reports the child's own
    peak RSS (wait4), so runs do not mix."""
    helper = ("import json,os,subprocess,sys,time\n"
              "t=time.monotonic()\n"
              "p=subprocess.Popen(sys.argv[1:],stdout=subprocess.PIPE,"
              "stderr=subprocess.PIPE)\n"
              "out,err=p.communicate()\n"
              "import resource\n"
              "ru=resource.getrusage(resource.RUSAGE_CHILDREN)\n"
              "json.dump({'rc':p.returncode,'wall':time.monotonic()-t,"
              "'rss_kb':ru.ru_maxrss,'out':out.decode(errors='replace'),"
              "'err':err.decode(errors='replace')},sys.stdout)\n")
    proc = subprocess.run([sys.executable, "-c", helper] + argv, env=env,
                          capture_output=True, text=True)
    return json.loads(proc.stdout)


def cli_talks(fm, emu, work, env):
    """Does `forkmap census --upstream --api` call the API yet?"""
    scratch = os.path.join(work, "probe")
    subprocess.run([fm, "census", "-C", scratch, "--upstream", "up/proj",
                    "--api", emu.url, "--top", "1", "--depth", "1",
                    "--no-db", "--quiet"], env=env, capture_output=True)
    talked = any("/forks" in q["path"] for q in emu.log()["requests"])
    shutil.rmtree(scratch, ignore_errors=True)
    emu.clear_log()
    return talked


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(SRC, "build"),
                    help="build directory holding forkmap and "
                    "forkmap-github-driver")
    ap.add_argument("--forks", type=int, default=3000)
    ap.add_argument("--top", type=int, default=50)
    ap.add_argument("--depth", type=int, default=2)
    ap.add_argument("--nested-every", type=int, default=7,
                    help="every Nth fork has forks of its own")
    ap.add_argument("--via", choices=("auto", "cli", "driver"),
                    default="auto")
    ap.add_argument("--keep", help="work directory to keep (default: a "
                    "temporary one)")
    args = ap.parse_args()

    fm = os.path.join(args.build, "forkmap")
    driver = os.path.join(args.build, "forkmap-github-driver")
    for p in (fm, driver):
        if not os.access(p, os.X_OK):
            sys.exit("missing %s: build first" % p)
    work = args.keep or tempfile.mkdtemp(prefix="forkmap-ghbench-")
    os.makedirs(work, exist_ok=True)
    home = os.path.join(work, "home")
    os.makedirs(home, exist_ok=True)
    env = clean_env(home)
    root = os.path.join(work, "net")
    try:
        if os.path.exists(root):
            shutil.rmtree(root)
        os.makedirs(root)
        doc, nested_total = network(args.forks, args.nested_every, args.top)
        t0 = time.monotonic()
        up = make_upstream(root, env)
        direct = [f for f in doc["forks"] if "parent" not in f]
        fetched = direct[:args.top]
        kids = [f for f in doc["forks"] if f.get("parent") in
                {"%s/proj" % p["owner"] for p in fetched}]
        if args.depth >= 2:
            fetched += kids
        for i, f in enumerate(fetched):
            make_fork(root, up, f["owner"], 1 + i % 4, env)
        build_s = time.monotonic() - t0
        with_nested = sum(1 for p in direct[:args.top]
                          if any(k["parent"] == "%s/proj" % p["owner"]
                                 for k in kids))
        listed_with_forks = with_nested if args.depth >= 2 else 0
        goal = 1 + math.ceil(args.top / 100) + listed_with_forks
        print("network: %d forks (%d direct, %d with forks of their own), "
              "%d real repositories, built in %.1f s" % (
                  len(doc["forks"]), len(direct), nested_total,
                  len(fetched) + 1, build_s))

        with Emulator(doc, git_root=root, git_env=env) as emu:
            runenv = dict(env, GITHUB_TOKEN=TOKEN)
            via = args.via
            if via == "auto":
                via = "cli" if cli_talks(fm, emu, work, runenv) else \
                    "driver"
                if via == "driver":
                    print("forkmap census does not talk to the API yet: "
                          "measuring through forkmap-github-driver")
            repo = os.path.join(work, "repo-%s" % via)
            db = os.path.join(work, "forkmap-%s.db" % via)
            for p in (repo, db):
                if os.path.isdir(p):
                    shutil.rmtree(p)
                elif os.path.exists(p):
                    os.remove(p)
            results = []
            for label in ("cold", "warm"):
                out = os.path.join(work, "%s.json" % label)
                if via == "cli":
                    argv = [fm, "census", "-C", repo, "--upstream",
                            "up/proj", "--api", emu.url, "--top",
                            str(args.top), "--depth", str(args.depth),
                            "--db", db, "--json", out, "--quiet"]
                else:
                    argv = [driver, "--api", emu.url, "--upstream",
                            "up/proj", "--top", str(args.top), "--depth",
                            str(args.depth), "--db", db, "--repo", repo,
                            "--measure", out]
                    if label == "cold":
                        argv.append("--init")
                emu.clear_log()
                r = run_measured(argv, runenv)
                if r["rc"] not in (0, 1):
                    sys.exit("%s run failed (%d):\n%s" % (label, r["rc"],
                                                          r["err"]))
                log = emu.log()["requests"]
                counted = sum(q["counted"] for q in log)
                n304 = sum(q["status"] == 304 for q in log)
                with open(out) as f:
                    rows = len(json.load(f)["forks"])
                results.append((label, len(log), counted, n304, r["wall"],
                                r["rss_kb"] / 1024.0, rows))
        print("via %s, top %d, depth %d; goal for a cold run: %d counted "
              "requests (1 + ceil(%d/100) + %d listed forks with forks)"
              % (via, args.top, args.depth, goal, args.top,
                 listed_with_forks))
        print("%-5s %9s %8s %6s %9s %10s %6s" % (
            "run", "requests", "counted", "304", "wall s", "peak MB",
            "rows"))
        for label, req, counted, n304, wall, mb, rows in results:
            print("%-5s %9d %8d %6d %9.2f %10.1f %6d" % (
                label, req, counted, n304, wall, mb, rows))
        cold_counted = results[0][2]
        warm_counted = results[1][2]
        ok = cold_counted <= goal and warm_counted <= 1
        print("cold %s the goal; warm %s" % (
            "meets" if cold_counted <= goal else "MISSES",
            "~0" if warm_counted <= 1 else "costs %d" % warm_counted))
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
