#!/usr/bin/env python3
"""`forkmap census --branches most-adrift` on a scripted GitHub fork.

The fork `acme/proj` has branches whose ranks differ by each measure: one
with the most unique commits (a patch applied, reverted and applied
again: many commits, two patches), two with as many distinct patches as
each other but different line counts, and a default branch with one big
patch. The census must keep exactly one row for acme, the branch the git
oracle ranks first (most distinct patches, then most lines), and name it;
a fork with one branch keeps it. The expected branch is computed with git
here, never written down.
"""

import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                os.pardir, os.pardir, "lib"))

from fixture import Sandbox  # noqa: E402
from forkmap_run import forkmap_bin  # noqa: E402
from ghemu import Emulator, GitNet  # noqa: E402

TOKEN = "ghp_adriftTESTTOKEN"
BRANCHES = ("master", "again", "few", "wide")


def build(sb):
    net = GitNet(sb)
    up = net.up
    up.write("lib.c", "".join("int f%d;\n" % i for i in range(10)))
    up.commit("initial")
    up.tag("v1.0.0", annotated=True, message="1.0.0")

    w = net.fork("acme", stars=10)
    base = w.rev("HEAD")
    w.write("big.c", "".join("int big%d;\n" % i for i in range(40)))
    w.commit("acme: one big patch")
    w.checkout("again", create=True)
    w.git("reset", "-q", "--hard", base)
    for _ in range(3):  # five commits, two patches
        w.write("x.c", "int x;\n")
        w.commit("acme: x")
        if _ < 2:
            w.rm("x.c")
            w.commit("acme: no x")
    w.checkout("few", create=True)
    w.git("reset", "-q", "--hard", base)
    for i in range(3):
        w.write("few%d.c" % i, "int few%d;\n" % i)
        w.commit("acme: few %d" % i)
    w.checkout("wide", create=True)
    w.git("reset", "-q", "--hard", base)
    for i in range(3):
        w.write("wide%d.c" % i, "int wide%d;\nint more%d;\n" % (i, i))
        w.commit("acme: wide %d" % i)
    w.checkout("master")

    w = net.fork("beta", stars=5)
    w.write("beta.c", "int beta;\n")
    w.commit("beta: add")
    net.publish()
    return net


class MostAdrift(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox()
        cls.net = build(cls.sb)

    @classmethod
    def tearDownClass(cls):
        cls.sb.cleanup()

    def census(self, emu, repo, *args):
        env = dict(self.sb.env)
        env["GITHUB_TOKEN"] = TOKEN
        argv = [forkmap_bin(), "census", "-C", repo, "--upstream",
                "up/proj", "--api", emu.url, "--json", "-", "--quiet",
                "--no-db"] + list(args)
        proc = subprocess.run(argv, env=env, capture_output=True, text=True,
                              timeout=600)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)["forks"]

    def oracle(self, repo, branch):
        """(patches, lines, unique) of acme's branch, with git."""
        def git(*args, input=None):
            return subprocess.run(["git", "-C", repo] + list(args),
                                  env=self.sb.env, input=input, text=True,
                                  capture_output=True, check=True).stdout
        U = git("rev-parse", "master").strip()
        F = git("rev-parse", "refs/forkmap/github/acme%%2Fproj/%s"
                % branch).strip()
        plus = [line.split()[1] for line in git("cherry", U, F).splitlines()
                if line.startswith("+")]
        diffs = git("diff-tree", "--stdin", "-p", "--no-renames",
                    input="".join(c + "\n" for c in plus))
        ids = {line.split()[0] for line in
               git("patch-id", "--stable", input=diffs).splitlines()}
        MB = git("merge-base", U, F).strip()
        stat = git("diff", "--numstat", "--no-renames", MB, F).splitlines()
        lines = sum(int(a) + int(d) for a, d, _ in
                    (s.split("\t", 2) for s in stat))
        return len(ids), lines, len(plus)

    def test_keeps_the_branch_most_adrift(self):
        with Emulator(self.net.doc(tokens=[TOKEN]), git_root=self.net.root,
                      git_env=self.sb.env) as emu:
            repo = self.sb.path("census-repo")
            every = self.census(emu, repo, "--branches", "all")
            self.assertEqual(
                sorted(r["branch"] for r in every if r["name"] ==
                       "acme/proj"), sorted(BRANCHES))
            rows = self.census(emu, repo, "--branches", "most-adrift")
        rank = {b: self.oracle(repo, b) for b in BRANCHES}
        by_patches = max(BRANCHES, key=lambda b: (rank[b][0], rank[b][1]))
        by_unique = max(BRANCHES, key=lambda b: rank[b][2])
        by_lines = max(BRANCHES, key=lambda b: rank[b][1])
        # the scenario separates the measures, and needs the tie-break
        self.assertNotEqual(by_patches, by_unique)
        self.assertNotEqual(by_patches, by_lines)
        self.assertEqual(
            sum(rank[b][0] == rank[by_patches][0] for b in BRANCHES), 2)
        acme = [r for r in rows if r["name"] == "acme/proj"]
        self.assertEqual(len(acme), 1, rows)
        self.assertEqual(acme[0]["branch"], by_patches)
        self.assertEqual(acme[0]["patches"], rank[by_patches][0])
        self.assertEqual(acme[0]["ref"],
                         "refs/forkmap/github/acme%%2Fproj/%s" % by_patches)
        same = {r["branch"]: r for r in every if r["name"] == "acme/proj"}
        self.assertEqual(acme[0], same[by_patches])
        beta = [r for r in rows if r["name"] == "beta/proj"]
        self.assertEqual([r["branch"] for r in beta], ["master"])


if __name__ == "__main__":
    unittest.main()
