#!/usr/bin/env python3
"""Forge listing cost: counted API requests, cold and warm, per forge
(GitHub, GitLab, Forgejo), for the top N of an emulated fork network, and
for the whole network listed in full (--top 0).

    python3 bench/forges_bench.py --build build [--forks 3000] [--top 50]
        [--full 60000] [--never 0.7] [--seed 1]

Each run is forkmap-github-driver --forge F (fm_forge_discover, as forkmap
census lists forks) against the forge's emulator (tests/lib/ghemu.py,
glemu.py, fjemu.py) with a token and an HTTP cache (--db): "cold" with an
empty store, "warm" the rerun on the same store with nothing changed. No
fork is fetched: this is the listing only (the upstream lookup included).

`--never` is the share of forks never pushed since they were created
(most forks on a real forge are); they are skipped and do not count
towards --top, so the top N needs about N / (1 - never) forks listed on a
forge that sorts by stars. "counted" is what the forge counts against its
rate limit: GitHub does not count a 304 to an authenticated client,
GitLab does, Forgejo has no limit (every request is answered in full).

Prints a markdown table (for bench/README.md) on stdout.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "lib"))

from fjemu import ForgejoEmulator  # noqa: E402
from ghemu import Emulator, iso  # noqa: E402
from glemu import GitLabEmulator  # noqa: E402

TOKENS = {"github": ("GITHUB_TOKEN", "ghp_benchTOKEN"),
          "gitlab": ("GITLAB_TOKEN", "glpat-benchTOKEN"),
          "forgejo": ("FORGEJO_TOKEN", "fjbenchTOKEN")}


def network(n, never, seed):
    """up/proj and n forks: stars long-tailed, a share never pushed."""
    rnd = random.Random(seed)
    forks = []
    for i in range(n):
        created = 1600000000 + i * 600
        pushed = created if rnd.random() < never else \
            created + rnd.randint(1, 86400 * 365)
        forks.append({"owner": "f%05d" % i, "repo": "proj",
                      "stars": int(rnd.paretovariate(1.2)) - 1,
                      "created_at": iso(created), "pushed_at": iso(pushed)})
    return {"upstream": {"owner": "up", "repo": "proj",
                         "default_branch": "master", "stars": 10000},
            "forks": forks}


def start(forge, doc):
    token = TOKENS[forge][1]
    if forge == "github":
        emu = Emulator(dict(doc, tokens=[token]), frozen=True)
        emu.start()
        return emu, emu.url
    cls = GitLabEmulator if forge == "gitlab" else ForgejoEmulator
    emu = cls(doc, tokens=[token],
              **({"rate_limit": {"limit": 10 ** 6}} if forge == "gitlab"
                 else {}))
    emu.start()
    return emu, emu.api


def drive(driver, forge, api, top, db):
    var, token = TOKENS[forge]
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
    env[var] = token
    t0 = time.monotonic()
    proc = subprocess.run([driver, "--forge", forge, "--api", api,
                           "--upstream", "up/proj", "--top", str(top),
                           "--db", db], env=env, capture_output=True,
                          text=True, timeout=3600)
    secs = time.monotonic() - t0
    doc = json.loads(proc.stdout)
    if doc["rc"] != 0:
        raise SystemExit("%s: %s" % (forge, doc["error"]))
    measured = sum(1 for f in doc["forks"] if not f["skipped"] and
                   not f["error"])
    return {"listed": len(doc["forks"]), "measured": measured,
            "requests": doc["stats"]["requests"],
            "counted": doc["stats"]["counted"],
            "not_modified": doc["stats"]["not_modified"], "seconds": secs}


def bench(driver, doc, top, tmp):
    rows = []
    for forge in ("github", "gitlab", "forgejo"):
        emu, api = start(forge, doc)
        try:
            db = os.path.join(tmp, "%s-%d-%d.db" % (forge, len(doc["forks"]),
                                                    top))
            cold = drive(driver, forge, api, top, db)
            warm = drive(driver, forge, api, top, db)
        finally:
            emu.stop()
        rows.append((forge, cold, warm))
    return rows


def table(title, rows):
    out = ["#### %s" % title, "",
           "| forge | forks listed | measured | cold: requests / counted |"
           " warm: requests / 304 / counted |",
           "|---|---|---|---|---|"]
    for forge, c, w in rows:
        out.append("| %s | %d | %d | %d / %d | %d / %d / %d |" % (
            forge, c["listed"], c["measured"], c["requests"], c["counted"],
            w["requests"], w["not_modified"], w["counted"]))
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--forks", type=int, default=3000)
    ap.add_argument("--top", type=int, default=50)
    ap.add_argument("--full", type=int, default=60000,
                    help="forks of the network listed in full (0: skip)")
    ap.add_argument("--never", type=float, default=0.7)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    driver = os.path.join(args.build, "forkmap-github-driver")
    if not os.access(driver, os.X_OK):
        raise SystemExit("%s: build the forkmap-github-driver target" %
                         driver)
    with tempfile.TemporaryDirectory(prefix="forges-bench-") as tmp:
        doc = network(args.forks, args.never, args.seed)
        sys.stdout.write(table("top %d of %d forks (%d%% never pushed)" % (
            args.top, args.forks, round(args.never * 100)),
            bench(driver, doc, args.top, tmp)))
        if args.full:
            doc = network(args.full, args.never, args.seed)
            sys.stdout.write("\n" + table("all %d forks listed (--top 0)" %
                                          args.full,
                                          bench(driver, doc, 0, tmp)))


if __name__ == "__main__":
    main()
