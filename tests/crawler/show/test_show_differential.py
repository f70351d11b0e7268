#!/usr/bin/env python3
"""`forkmap show` against the git CLI.

A fixture repository (git CLI, fixed dates) holds an upstream and a fork
that carries: patches carried twice (a merging rebase), a patch upstream
took (cherry-picked), an empty commit, a binary file, a deleted file and a
mode change, spread over directories that are and are not families of
siblings. The census stores the run; `forkmap show` must then give:

- a patch list whose copies are exactly the commits `git cherry -v U F`
  marks '+' (empty commits, which git patch-id gives no id, counted
  apart), grouped as `git patch-id --stable` groups them, each with the
  subject, author and date git prints for its first copy;
- as many patches as the contract's oracle for `patches` counts;
- directory sums equal to `git diff --numstat --no-renames MB F` summed by
  the documented key rule (implemented again here), and totals equal to
  the census row; unique commits per directory as `git diff-tree` names
  the paths they touch;
- a treemap that renders, and renders the same twice.
"""

import json
import os
import sqlite3
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                os.pardir, os.pardir, "lib"))

from fixture import Sandbox  # noqa: E402
import forkmap_run  # noqa: E402


ODD = "odd<b>&dir"


def build(sb):
    up = sb.repo("up")
    up.write("README", "hello\n")
    for d in ("hw/arm", "hw/pci", "target/arm", "target/i386",
              "include/hw/arm", "include/hw/pci", "docs"):
        up.write(d + "/base.c", "".join("line %d\n" % i for i in range(20)))
    up.write("hw/arm/blob.bin", b"\0\1\2binary\n")
    up.write("docs/old.txt", "old\ntext\n")
    up.write("tools/run.sh", "#!/bin/sh\necho run\n")
    up.commit("initial")
    up.tag("v1.0.0", annotated=True)
    up.branch("forks/acme")
    up.checkout("forks/acme")
    up.append("target/arm/base.c", "arm one\n")
    up.commit("target/arm: one")
    up.append("target/arm/base.c", "arm two\n")
    up.commit("target/arm: two")
    up.append("target/i386/base.c", "i386 one\ni386 two\n")
    up.write("target/i386/new.c", "new\n")
    up.commit("target/i386: add new.c")
    up.append("include/hw/arm/base.c", "decl\n")
    up.append("include/hw/pci/base.c", "decl\n")
    up.commit("include: two families")
    up.append("hw/arm/base.c", "board\n")
    up.append("README", "acme\n")
    up.commit("hw/arm: board, readme")
    up.write("hw/arm/blob.bin", b"\0\1\2binary v2\n")
    up.rm("docs/old.txt")
    up.chmod("tools/run.sh", True)
    up.write(ODD + "/x.c", "odd\n")  # a name from a forge: markup
    up.commit("binary, deletion, mode")
    up.git("commit", "--allow-empty", "-m", "nothing at all",
           env={"GIT_AUTHOR_DATE": sb.clock.next(),
                "GIT_COMMITTER_DATE": sb.clock.next()})
    old_tip = up.rev("HEAD")
    # upstream moves on and takes one of the fork's patches
    up.checkout("master")
    up.append("hw/pci/base.c", "upstream\n")
    up.commit("hw/pci: upstream work")
    up.cherry_pick(up.rev("forks/acme~6"))  # target/arm: one
    # a merging rebase: the fork's patches again on the new upstream,
    # then the old line merged in with -s ours
    up.checkout("forks/acme")
    up.git("checkout", "-q", "-b", "rebased", "master")
    for back in (5, 4, 3, 2, 1):  # skips the one upstream has
        up.cherry_pick(up.rev("%s~%d" % (old_tip, back)))
    up.git("merge", "-q", "-s", "ours", "--no-edit", old_tip,
           env={"GIT_AUTHOR_DATE": sb.clock.next(),
                "GIT_COMMITTER_DATE": sb.clock.next()})
    up.git("branch", "-q", "-f", "forks/acme", "HEAD")
    up.checkout("master")
    up.git("branch", "-q", "-D", "rebased")
    return up


def key_rule(paths, depth):
    """The directory keys of include/forkmap/show.h, written again: a
    file counts in its directory cut to depth components ("." at the top);
    a key with no file of its own and files in two or more subdirectories
    is split one level deeper."""
    def cut(path):
        comps = path.split("/")[:-1]
        base = "/".join(comps[:depth]) or "."
        child = comps[depth] if len(comps) > depth else None
        return base, child

    groups = {}
    for p in paths:
        base, child = cut(p)
        groups.setdefault(base, []).append(child)
    family = {b for b, ch in groups.items()
              if b != "." and None not in ch and len(set(ch)) >= 2}

    def key(path):
        base, child = cut(path)
        return base + "/" + child if base in family and child else base
    return key


class ShowDifferential(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox()
        cls.up = build(cls.sb)
        cls.db = cls.sb.path("store.db")
        cls.cwd = tempfile.mkdtemp(dir=cls.sb.root)
        res = forkmap_run.run_census(cls.up.path, db=cls.db, env=cls.sb.env,
                                     cwd=cls.cwd)
        cls.row = res.forks()["acme"]
        cls.U = cls.up.rev("master")
        cls.F = cls.up.rev("forks/acme")
        cls.MB = cls.up.git("merge-base", cls.U, cls.F).strip()

    @classmethod
    def tearDownClass(cls):
        cls.sb.cleanup()

    def show(self, *args, code=0):
        p = forkmap_run.run(["show", "-C", self.up.path, "--db", self.db,
                             "acme"] + list(args), env=self.sb.env,
                            cwd=self.cwd)
        self.assertEqual(p.returncode, code, p.stderr)
        return p

    def doc(self, *args):
        return json.loads(self.show("--json", *args).stdout)

    def cherry_plus(self):
        return [line.split(" ")[1] for line in
                self.up.git("cherry", self.U, self.F).splitlines()
                if line.startswith("+")]

    def is_empty(self, c):
        return self.up.rev(c + "^{tree}") == self.up.rev(c + "^^{tree}")

    def patch_id(self, c):
        diff = self.up.git("diff-tree", "-p", "--no-renames", c)
        out = self.up.git("patch-id", "--stable", input=diff).split()
        return out[0] if out else None

    def test_scenario_facts(self):
        # what the fixture must hold for the checks below to mean anything
        plus = self.cherry_plus()
        self.assertGreater(self.row["unique"], self.row["patches"])
        self.assertLess(self.row["unique"], self.row["ahead"])
        self.assertTrue(any(self.is_empty(c) for c in plus))

    def test_patch_list_is_git_cherry_plus(self):
        d = self.doc()
        plus = self.cherry_plus()
        copies = [c for p in d["patches"] for c in p["commits"]]
        self.assertEqual(len(copies), len(set(copies)))
        empty = {c for c in plus if self.is_empty(c)}
        self.assertEqual(set(copies) | empty, set(plus))
        self.assertFalse(set(copies) & empty)
        self.assertEqual(d["empty"], len(empty))
        for p in d["patches"]:
            self.assertEqual(p["copies"], len(p["commits"]))
            self.assertEqual(p["commit"], p["commits"][0])

    def test_patches_grouped_as_git_patch_id(self):
        d = self.doc()
        ids = []
        for p in d["patches"]:
            group = {self.patch_id(c) for c in p["commits"]}
            self.assertEqual(len(group), 1, p)
            ids.append(group.pop())
        self.assertEqual(len(ids), len(set(ids)))
        # the contract's oracle for patches
        plus = "".join(c + "\n" for c in self.cherry_plus())
        diffs = self.up.git("diff-tree", "--stdin", "-p", "--no-renames",
                            input=plus)
        oracle = {line.split()[0] for line in self.up.git(
            "patch-id", "--stable", input=diffs).splitlines()}
        self.assertEqual(len(d["patches"]), len(oracle))
        self.assertEqual(set(ids), oracle)
        self.assertEqual(d["total_patches"], self.row["patches"])
        self.assertEqual(d["fork"]["patches"], self.row["patches"])

    def test_first_copy_as_git_log_prints_it(self):
        for p in self.doc()["patches"]:
            first = min(p["commits"], key=lambda c: (
                int(self.up.git("log", "-1", "--format=%ct", c)), c))
            self.assertEqual(p["commit"], first)
            log = self.up.git("log", "-1", "--format=%s%n%an%n%aI",
                              p["commit"]).splitlines()
            self.assertEqual([p["subject"], p["author"], p["date"]], log)
            num = self.up.git("diff-tree", "--numstat", "--no-renames", "-r",
                              p["commit"] + "^", p["commit"]).splitlines()
            self.assertEqual(p["files"], len(num))
            self.assertEqual(p["insertions"], sum(
                int(x.split("\t")[0]) for x in num if x[0] != "-"))
            self.assertEqual(p["deletions"], sum(
                int(x.split("\t")[1]) for x in num if x[0] != "-"))

    def numstat(self):
        rows = []
        for line in self.up.git("diff", "--numstat", "--no-renames", "-z",
                                self.MB, self.F).split("\0"):
            if not line:
                continue
            ins, dele, path = line.split("\t", 2)
            rows.append((path, 0 if ins == "-" else int(ins),
                         0 if dele == "-" else int(dele)))
        return rows

    def check_dirs(self, depth):
        d = self.doc("--depth", str(depth))
        rows = self.numstat()
        key = key_rule([r[0] for r in rows], depth)
        want = {}
        for path, ins, dele in rows:
            w = want.setdefault(key(path), [0, 0, 0])
            w[0] += 1
            w[1] += ins
            w[2] += dele
        got = {x["path"]: [x["files"], x["insertions"], x["deletions"]]
               for x in d["directories"] if x["files"]}
        self.assertEqual(got, want)
        self.assertEqual([sum(v[i] for v in got.values()) for i in range(3)],
                         [self.row["files"], self.row["insertions"],
                          self.row["deletions"]])
        # unique commits touching each directory, from git diff-tree
        commits = {}
        for c in self.cherry_plus():
            if self.is_empty(c):
                continue
            paths = self.up.git("diff-tree", "--no-commit-id", "--name-only",
                                "-r", "--no-renames", "-z", c + "^",
                                c).split("\0")
            for k in {key(p) for p in paths if p}:
                commits[k] = commits.get(k, 0) + 1
        self.assertEqual({x["path"]: x["commits"] for x in d["directories"]
                          if x["commits"]}, commits)
        return got

    def test_directories_depth_2(self):
        got = self.check_dirs(2)
        # include/hw holds only subdirectories that changed: a family
        self.assertIn("include/hw/arm", got)
        self.assertNotIn("include/hw", got)

    def test_directories_depth_1(self):
        got = self.check_dirs(1)
        self.assertIn("target/arm", got)
        self.assertNotIn("target", got)
        self.assertIn("hw", got)  # hw/arm alone changed: not a family

    def test_directories_depth_3(self):
        self.check_dirs(3)

    def test_dirs_csv_is_the_json(self):
        d = self.doc()
        lines = self.show("--dirs-csv").stdout.splitlines()
        self.assertEqual(lines[0],
                         "path,files,insertions,deletions,commits,newest")
        self.assertEqual([line.split(",")[0] for line in lines[1:]],
                         [x["path"] for x in d["directories"]])

    def test_sort_and_limit(self):
        d = self.doc("--sort", "size")
        sizes = [p["insertions"] + p["deletions"] for p in d["patches"]]
        self.assertEqual(sizes, sorted(sizes, reverse=True))
        dates = [p["date"] for p in self.doc()["patches"]]
        self.assertEqual(len(dates), len(d["patches"]))
        lim = self.doc("--limit", "1")
        self.assertEqual(len(lim["patches"]), 1)
        self.assertEqual(lim["total_patches"], len(d["patches"]))
        csv = self.show("--csv", "--limit", "2").stdout.splitlines()
        self.assertEqual(csv[0], "commit,date,copies,files,insertions,"
                                 "deletions,author,subject")
        self.assertEqual(len(csv), 3)

    def test_table_names_the_fork_and_its_patches(self):
        out = self.show().stdout
        self.assertIn("acme:acme (local)", out)
        for p in self.doc()["patches"]:
            self.assertIn(p["commit"][:12], out)

    def test_treemap_renders_the_same_twice(self):
        for ext in ("svg", "png", "pdf"):
            a, b = self.sb.path("a." + ext), self.sb.path("b." + ext)
            self.show("-o", a, "--json")
            self.show("-o", b, "--json")
            with open(a, "rb") as fa, open(b, "rb") as fb:
                da, db = fa.read(), fb.read()
            self.assertGreater(len(da), 100)
            self.assertEqual(da, db, ext)
        with open(self.sb.path("a.svg"), encoding="utf-8") as f:
            svg = f.read()
        for x in self.doc()["directories"]:
            if x["insertions"] + x["deletions"] and x["path"] != ODD:
                self.assertIn(x["path"], svg)  # label or tooltip
        self.assertIn("box area: lines changed", svg)
        self.assertNotIn(ODD, svg)
        self.assertIn("odd&lt;b&gt;&amp;dir", svg)

    def test_errors(self):
        p = forkmap_run.run(["show", "-C", self.up.path, "--db", self.db,
                             "nobody"], env=self.sb.env, cwd=self.cwd)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("fork 'nobody' is not in the census run", p.stderr)
        p = forkmap_run.run(["show"], env=self.sb.env, cwd=self.cwd)
        self.assertEqual(p.returncode, 2)
        self.assertIn("show needs a FORK", p.stderr)
        p = forkmap_run.run(["show", "--help"], env=self.sb.env, cwd=self.cwd)
        self.assertEqual(p.returncode, 0)
        self.assertIn("family of siblings", p.stdout)

    def test_reader_never_writes(self):
        before = {n: os.stat(os.path.join(self.sb.root, n)).st_mtime_ns
                  for n in os.listdir(self.sb.root)}
        with open(self.db, "rb") as f:
            data = f.read()
        self.show("--json")
        with open(self.db, "rb") as f:
            self.assertEqual(f.read(), data)
        after = {n: os.stat(os.path.join(self.sb.root, n)).st_mtime_ns
                 for n in os.listdir(self.sb.root)}
        self.assertEqual(before, after)

    def test_census_without_patch_files_show_diffs_them(self):
        # --no-patch-files: the census keeps no patch's files (a faster
        # cold census); show then diffs them itself, to the same answer
        db = self.sb.path("no-files.db")
        forkmap_run.run_census(self.up.path, "--no-patch-files", db=db,
                               env=self.sb.env, cwd=self.cwd)
        con = sqlite3.connect(db)
        try:
            kept = con.execute("SELECT count(*) FROM patch_files").fetchone()
            with_files = sqlite3.connect(self.db).execute(
                "SELECT count(*) FROM patch_files").fetchone()
        finally:
            con.close()
        self.assertEqual(kept, (0,))
        self.assertGreater(with_files[0], 0)
        p = forkmap_run.run(["show", "-C", self.up.path, "--db", db, "acme",
                             "--json"], env=self.sb.env, cwd=self.cwd)
        self.assertEqual(p.returncode, 0, p.stderr)
        got, want = json.loads(p.stdout), self.doc()
        self.assertEqual(got["patches"], want["patches"])
        self.assertEqual(got["directories"], want["directories"])


if __name__ == "__main__":
    unittest.main()
