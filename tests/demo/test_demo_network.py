"""The bundled demo network (demo/make-demo.sh): the forks have the fates the
demo promises, measured with the git CLI oracles of DESIGN.md, and -- once
`forkmap census` works -- forkmap reports the same numbers.

Run by ctest with FORKMAP_SRC (source tree) and FORKMAP_BIN (the forkmap
program); by hand:

    python3 tests/demo/test_demo_network.py             # oracle part only
    FORKMAP_BIN=build/forkmap python3 tests/demo/test_demo_network.py
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

SRC = os.environ.get("FORKMAP_SRC") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(SRC, "tests", "lib"))

MAKE_DEMO = os.path.join(SRC, "demo", "make-demo.sh")
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
DESCRIBE = ["v[0-9]*", "[0-9]*"]
RELEASE_RE = re.compile(r"^v?[0-9]+\.[0-9]+\.[0-9]+$")
SKIPPED_BY_NAME = {"staging", "foo-next"}

# What the demo is built to be (see the header of demo/make-demo.sh). Pinned
# so an accidental change of the demo is noticed; the fates below say why
# each number is what it is.
EXPECTED = {
    #          ahead behind fp unique base_tag      release
    "acme":    (9,   3,     7, 7,     "v2.0.0",     "v2.0.0"),
    "oldcorp": (5,   36,    5, 5,     "v1.0.0",     "v1.0.0"),
    "merged":  (3,   28,    3, 0,     "v1.1.0",     "v1.1.0"),
    "legacy":  (5,   30,    5, 3,     "v1.1.0",     "v1.1.0"),
    "picks":   (5,   9,     5, 2,     "v2.0.0-rc1", "v2.0.0"),
    "gfw":     (13,  6,     6, 11,    "v2.0.0",     "v2.0.0"),
    "zed":     (8,   6,     6, 7,     "v2.0.0",     "v2.0.0"),
    "copycat": (0,   0,     0, 0,     "v2.0.0",     "v2.0.0"),
    "staging": (2,   0,     2, 2,     "v2.0.0",     "v2.0.0"),
    "foo-next": (1,  1,     1, 1,     "v2.0.0",     "v2.0.0"),
}


def clean_env(home):
    """The environment of every git and forkmap call: no user or system
    git configuration, no inherited GIT_* variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(HOME=home, GIT_CONFIG_NOSYSTEM="1", LC_ALL="C", TZ="UTC")
    env.pop("XDG_CONFIG_HOME", None)
    return env


class Git:
    def __init__(self, path, env):
        self.path = path
        self.env = env

    def run(self, *args, check=True):
        p = subprocess.run(["git", "-C", self.path] + list(args),
                           env=self.env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if check and p.returncode != 0:
            raise AssertionError("git %s: exit %d\n%s" % (
                " ".join(args), p.returncode, p.stderr))
        return p

    def out(self, *args):
        return self.run(*args).stdout.strip()

    def lines(self, *args):
        return [l for l in self.run(*args).stdout.splitlines() if l]

    def rev(self, name):
        return self.out("rev-parse", "--verify", "-q", name + "^{commit}")

    def date(self, rev):
        return self.out("log", "-1", "--format=%cI", rev)

    def shortstat(self, *args):
        """(files, insertions, deletions) of `git ... --shortstat`."""
        text = self.out(*args)
        nums = []
        for word in ("file", "insertion", "deletion"):
            m = re.search(r"(\d+) %ss?" % word, text)
            nums.append(int(m.group(1)) if m else 0)
        return tuple(nums)

    def oracle(self, upstream, fork):
        """Every metric of DESIGN.md's contract for one fork branch, with
        exactly the git commands the contract names."""
        U, F = upstream, fork
        mb = self.out("merge-base", U, F)
        row = {
            "head": self.rev(F),
            "merge_base": mb,
            "ahead": int(self.out("rev-list", "--count", "%s..%s" % (U, F))),
            "behind": int(self.out("rev-list", "--count", "%s..%s" % (F, U))),
            "ahead_first_parent": int(self.out(
                "rev-list", "--count", "--first-parent", "%s..%s" % (U, F))),
            "unique": sum(1 for l in self.lines("cherry", U, F)
                          if l.startswith("+")),
        }
        match = []
        for pattern in DESCRIBE:
            match += ["--match", pattern]
        p = self.run("describe", "--tags", "--abbrev=0", *match, mb,
                     check=False)
        base_tag = p.stdout.strip() if p.returncode == 0 else ""
        row["base_tag"] = base_tag
        if RELEASE_RE.match(base_tag):
            row["release"] = base_tag
        else:
            rel = [t for t in self.lines("tag", "--contains", mb,
                                         "--sort=v:refname")
                   if RELEASE_RE.match(t)]
            row["release"] = rel[0] if rel else ""
        (row["files"], row["insertions"], row["deletions"]) = self.shortstat(
            "diff", "--shortstat", "--no-renames", mb, F)
        row["head_date"] = self.date(F)
        row["merge_base_date"] = self.date(mb)
        row["base_date"] = self.date(base_tag + "^{commit}") if base_tag \
            else ""
        return row

    def tree_lines(self, tag):
        return self.shortstat("diff-tree", "-r", "--shortstat", EMPTY_TREE,
                              tag)[1]


def build(out, env):
    """Run make-demo.sh into out; (stdout, stderr, seconds)."""
    p = subprocess.run(["bash", MAKE_DEMO, out], env=env, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=300)
    if p.returncode != 0:
        raise AssertionError("make-demo.sh failed (%d):\n%s%s" % (
            p.returncode, p.stdout, p.stderr))
    return p.stdout, p.stderr


class DemoNetwork(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="forkmap-demo-test.")
        home = os.path.join(cls.tmp, "home")
        os.mkdir(home)
        cls.env = clean_env(home)
        cls.out = os.path.join(cls.tmp, "demo")
        cls.stdout, cls.stderr = build(cls.out, cls.env)
        cls.census = Git(os.path.join(cls.out, "census.git"), cls.env)
        cls.forks = [r[len("refs/heads/forks/"):] for r in cls.census.lines(
            "for-each-ref", "--format=%(refname)", "refs/heads/forks/")]
        cls.rows = {f: cls.census.oracle("master", "forks/" + f)
                    for f in cls.forks}
        with open(os.path.join(cls.out, "network.json")) as f:
            cls.network = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def row(self, name):
        return self.rows[name]

    # --- the script itself ------------------------------------------------

    def test_prints_one_line(self):
        # (its speed, < 10 s, is measured by hand: a timed assertion here
        # would flake on a loaded machine)
        self.assertEqual(self.stderr, "")
        self.assertEqual(self.stdout.splitlines(),
                         ["built demo network in " + self.out])

    def test_idempotent_and_deterministic(self):
        other = os.path.join(self.tmp, "again")
        os.mkdir(other)
        with open(os.path.join(other, "junk"), "w") as f:
            f.write("not a demo\n")
        # refuses to wipe a directory it did not build
        p = subprocess.run(["bash", MAKE_DEMO, other], env=self.env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertNotEqual(p.returncode, 0)
        self.assertTrue(os.path.exists(os.path.join(other, "junk")))
        os.unlink(os.path.join(other, "junk"))
        build(other, self.env)
        build(other, self.env)   # rebuilding over itself is fine

        def refs(root):
            found = {}
            for dirpath, dirnames, _ in os.walk(root):
                for d in list(dirnames):
                    if d.endswith(".git") or d == "upstream":
                        repo = os.path.join(dirpath, d)
                        found[os.path.relpath(repo, root)] = Git(
                            repo, self.env).out(
                                "for-each-ref",
                                "--format=%(objectname) %(refname)")
                        dirnames.remove(d)
            return found
        self.assertEqual(refs(self.out), refs(other))
        with open(os.path.join(other, "network.json")) as f:
            self.assertEqual(json.load(f), self.network)

    def test_no_machine_paths_in_outputs(self):
        with open(os.path.join(self.out, "network.json")) as f:
            self.assertNotIn(self.tmp, f.read())
        # no remote points back into the build machine's file system
        for dirpath, dirnames, _ in os.walk(self.out):
            for d in list(dirnames):
                if d.endswith(".git") or d == "upstream":
                    repo = Git(os.path.join(dirpath, d), self.env)
                    self.assertEqual(repo.lines("remote"), [], repo.path)
                    dirnames.remove(d)

    # --- upstream -----------------------------------------------------------

    def test_upstream_history_and_tags(self):
        up = Git(os.path.join(self.out, "upstream"), self.env)
        self.assertEqual(up.out("symbolic-ref", "HEAD"), "refs/heads/master")
        self.assertEqual(up.out("status", "--porcelain"), "")
        for f in ("README.md", "Makefile", "include/widget.h", "src/widget.c",
                  "src/util.c", "assets/logo.png"):
            self.assertTrue(os.path.isfile(os.path.join(up.path, f)), f)
        # the logo is binary, so it carries no lines
        self.assertEqual(up.out("diff", "--numstat", EMPTY_TREE, "HEAD", "--",
                                "assets/logo.png"),
                         "-\t-\tassets/logo.png")
        kinds = {t: up.out("cat-file", "-t", "refs/tags/" + t)
                 for t in up.lines("tag")}
        self.assertEqual(kinds, {
            "v1.0.0": "tag", "v1.1.0": "commit", "v1.1.1": "tag",
            "v1.2.0": "tag", "v2.0.0-rc1": "tag", "v2.0.0": "tag",
            "snapshot-2023-05": "commit"})
        # v1.1.1 lives on the release branch only
        self.assertNotEqual(up.run("merge-base", "--is-ancestor", "v1.1.1",
                                   "master", check=False).returncode, 0)
        self.assertEqual(up.rev("stable-1.1"), up.rev("v1.1.1"))
        first = up.out("log", "--reverse", "--format=%cI", "master").split()[0]
        self.assertEqual(first[:7], "2022-01")
        self.assertEqual(up.date("master")[:7], "2024-02")
        self.assertGreaterEqual(len(up.lines("rev-list", "--merges",
                                             "master")), 1)
        for tag in ("v1.0.0", "v1.2.0", "v2.0.0"):
            self.assertGreater(up.tree_lines(tag), 50)
        self.assertLess(up.tree_lines("v1.0.0"), up.tree_lines("v2.0.0"))

    # --- the fates ---------------------------------------------------------

    def test_census_branches(self):
        self.assertEqual(sorted(self.forks), sorted(EXPECTED))
        self.assertEqual(self.census.out("symbolic-ref", "HEAD"),
                         "refs/heads/master")
        self.assertEqual(self.census.out("rev-parse", "--is-bare-repository"),
                         "true")

    def test_oracle_numbers_are_the_designed_ones(self):
        for name, (ahead, behind, fp, unique, base, rel) in EXPECTED.items():
            r = self.row(name)
            got = (r["ahead"], r["behind"], r["ahead_first_parent"],
                   r["unique"], r["base_tag"], r["release"])
            self.assertEqual(got, (ahead, behind, fp, unique, base, rel),
                             name)

    def test_acme_is_active(self):
        r = self.row("acme")
        newest = max(self.rows[n]["head_date"] for n in self.rows)
        self.assertEqual(r["head_date"], newest)
        self.assertGreater(r["head_date"], self.census.date("master"))
        self.assertGreater(r["unique"], 0)
        self.assertLess(r["behind"], 5)
        # its own topic merge: the first-parent line is shorter
        self.assertLess(r["ahead_first_parent"], r["ahead"])
        # synced with master after the release: the merge base is no tag
        self.assertEqual(self.census.lines("tag", "--points-at",
                                           r["merge_base"]), [])
        self.assertGreater(r["merge_base_date"], r["base_date"])
        self.assertEqual(r["base_tag"], "v2.0.0")
        # the rebranded logo is a binary change: a file, no lines
        files = self.census.lines("diff", "--name-only", "--no-renames",
                                  r["merge_base"], "forks/acme")
        self.assertIn("assets/logo.png", files)

    def test_oldcorp_is_abandoned_with_real_work(self):
        r = self.row("oldcorp")
        self.assertGreater(r["unique"], 0)
        self.assertEqual(r["unique"], r["ahead"])
        self.assertLess(r["head_date"], "2022-12-31")
        self.assertEqual(r["base_tag"], "v1.0.0")
        self.assertEqual(r["merge_base"], self.census.rev("v1.0.0"))
        self.assertGreater(r["behind"], 30)
        self.assertGreater(r["insertions"], 0)

    def test_merged_was_merged_back(self):
        r = self.row("merged")
        self.assertGreater(r["ahead"], 0)
        self.assertEqual(r["unique"], 0)
        # not by a merge: by applying its patches upstream
        self.assertNotEqual(self.census.run(
            "merge-base", "--is-ancestor", "forks/merged", "master",
            check=False).returncode, 0)

    def test_legacy_is_on_the_release_branch(self):
        r = self.row("legacy")
        self.assertEqual(r["merge_base"], self.census.rev("v1.1.0"))
        self.assertEqual(self.census.run(
            "merge-base", "--is-ancestor", "v1.1.1", "forks/legacy",
            check=False).returncode, 0)
        # the release branch backport and a backport of its own are upstream
        self.assertLess(0, r["unique"])
        self.assertLess(r["unique"], r["ahead"])
        self.assertEqual(r["release"], "v1.1.0")

    def test_picks_carries_upstream_fixes(self):
        r = self.row("picks")
        self.assertEqual(r["ahead"] - r["unique"], 3)
        self.assertEqual(r["base_tag"], "v2.0.0-rc1")
        self.assertEqual(r["release"], "v2.0.0")
        self.assertEqual(len([l for l in self.census.lines(
            "log", "--format=%b", "master..forks/picks")
            if l.startswith("(cherry picked from commit")]), 3)

    def test_gfw_is_a_merging_rebase(self):
        r = self.row("gfw")
        starts = [l for l in self.census.lines(
            "log", "--merges", "--format=%s", "master..forks/gfw")
            if l.startswith("Start the merging-rebase to ")]
        self.assertEqual(sorted(starts), [
            "Start the merging-rebase to v1.2.0",
            "Start the merging-rebase to v2.0.0"])
        # the old rounds hang off the "ours" merges: reachable, not on the
        # first-parent line
        self.assertLess(r["ahead_first_parent"], r["ahead"])
        self.assertEqual(r["base_tag"], "v2.0.0")
        self.assertEqual(r["merge_base"], self.census.rev("v2.0.0"))
        # each "ours" merge keeps the tree of the new release
        for merge in self.census.lines("rev-list", "--merges",
                                       "master..forks/gfw"):
            self.assertEqual(self.census.out("rev-parse", merge + "^{tree}"),
                             self.census.out("rev-parse", merge + "^1^{tree}"))

    def test_zed_is_a_fork_of_acme(self):
        mb = self.census.out("merge-base", "forks/acme", "forks/zed")
        self.assertNotEqual(mb, self.row("acme")["merge_base"])
        self.assertEqual(self.census.run(
            "merge-base", "--is-ancestor", mb, "master",
            check=False).returncode, 1)   # acme's own work
        # zed carries acme's work up to that point plus two commits
        own = int(self.census.out("rev-list", "--count", "master.." + mb))
        self.assertEqual(self.row("zed")["ahead"], own + 2)

    def test_skipped_branches(self):
        self.assertEqual(self.row("copycat")["ahead"], 0)
        self.assertEqual(self.row("copycat")["head"],
                         self.census.rev("master"))
        for name in SKIPPED_BY_NAME:
            self.assertGreater(self.row(name)["ahead"], 0, name)

    # --- GitHub-like layout ------------------------------------------------

    def test_network_json_and_bare_repositories(self):
        net = self.network
        self.assertEqual(net["upstream"]["owner"], "widget")
        self.assertEqual(net["upstream"]["repo"], "libwidget")
        self.assertEqual(net["upstream"]["default_branch"], "master")
        self.assertEqual(net["upstream"]["stars"], 1200)
        up = Git(os.path.join(self.out, "git", "widget", "libwidget.git"),
                 self.env)
        self.assertEqual(up.rev("master"), self.census.rev("master"))
        names = {"widget/libwidget"}
        stars = []
        for fork in net["forks"]:
            full = "%s/%s" % (fork["owner"], fork["repo"])
            names.add(full)
            stars.append(fork["stars"])
            repo = Git(os.path.join(self.out, "git", fork["owner"],
                                    fork["repo"] + ".git"), self.env)
            self.assertEqual(repo.out("rev-parse", "--is-bare-repository"),
                             "true", full)
            self.assertEqual(repo.out("symbolic-ref", "HEAD"),
                             "refs/heads/" + fork["default_branch"], full)
            tip = repo.rev(fork["default_branch"])
            # owners are the census names of the same forks
            self.assertEqual(tip, self.census.rev("forks/" + fork["owner"]),
                             full)
            utc = subprocess.run(
                ["git", "-C", repo.path, "log", "-1",
                 "--date=format-local:%Y-%m-%dT%H:%M:%SZ", "--format=%cd",
                 tip], env=dict(self.env, TZ="UTC"), text=True,
                stdout=subprocess.PIPE, check=True).stdout.strip()
            self.assertEqual(fork["pushed_at"], utc, full)
            self.assertRegex(fork["pushed_at"],
                             r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        for fork in net["forks"]:
            self.assertIn(fork["parent"], names)
        self.assertEqual(stars, sorted(stars, reverse=True))
        parents = {f["owner"]: f["parent"] for f in net["forks"]}
        self.assertEqual(parents["zed"], "acme/libwidget")
        self.assertEqual(
            {f["owner"]: f["default_branch"] for f in net["forks"]}["legacy"],
            "stable-1.1")

    # --- forkmap agrees with the oracle ------------------------------------

    def census_doc(self, *args):
        if not os.environ.get("FORKMAP_BIN"):
            self.skipTest("FORKMAP_BIN not set (run through ctest)")
        from forkmap_run import run_census
        res = run_census(self.census.path, *args, env=self.env)
        self.assertEqual(res.returncode, 0, res.stderr)
        return res.forks()

    def skipped_by_default(self, name):
        return name in SKIPPED_BY_NAME or self.rows[name]["ahead"] == 0

    def test_forkmap_census_matches_oracle(self):
        rows = self.census_doc()
        # skipped forks are left out of the JSON unless asked for
        self.assertEqual(sorted(rows), sorted(
            n for n in self.forks if not self.skipped_by_default(n)))
        for name, got in sorted(rows.items()):
            oracle = self.rows[name]
            self.assertIsNone(got.get("error"), name)
            self.assertFalse(got.get("skipped"), name)
            for field in ("ahead", "unique", "base_tag", "behind"):
                self.assertEqual(got.get(field), oracle[field],
                                 "%s: %s" % (name, field))

    def test_forkmap_census_lists_skipped_forks(self):
        rows = self.census_doc("--include-skipped")
        self.assertEqual(sorted(rows), sorted(self.forks))
        for name, got in rows.items():
            if self.skipped_by_default(name):
                self.assertTrue(got.get("skipped"), "%s not skipped" % name)
            else:
                self.assertFalse(got.get("skipped"), name)

    def test_forkmap_census_every_field(self):
        # nothing skipped: every fork of the demo measured and compared
        rows = self.census_doc("--no-skip", "--keep-empty")
        mismatches = []
        self.assertEqual(sorted(rows), sorted(self.forks))
        for name, oracle in sorted(self.rows.items()):
            got = rows[name]
            if got.get("error") or got.get("skipped"):
                mismatches.append("%s: error %r, skipped %r" % (
                    name, got.get("error"), got.get("skipped")))
                continue
            for field, want in oracle.items():
                if got.get(field) != want:
                    mismatches.append("%s.%s: forkmap %r, oracle %r" % (
                        name, field, got.get(field), want))
            if got.get("source") != "local":
                mismatches.append("%s.source: %r" % (name, got.get("source")))
            if got.get("ref") != "refs/heads/forks/" + name:
                mismatches.append("%s.ref: %r" % (name, got.get("ref")))
        self.assertEqual(mismatches, [])

    def test_forkmap_release_tree_lines(self):
        if not os.environ.get("FORKMAP_BIN"):
            self.skipTest("FORKMAP_BIN not set (run through ctest)")
        from forkmap_run import run_census
        doc = run_census(self.census.path, env=self.env).doc
        releases = {r["tag"]: r for r in doc.get("releases") or []}
        want = {r["release"] for n, r in self.rows.items()
                if r["release"] and not self.skipped_by_default(n)}
        self.assertEqual(set(releases), want)
        for tag, r in releases.items():
            self.assertEqual(r.get("tree_lines"), self.census.tree_lines(tag),
                             tag)
            self.assertEqual(r.get("commit"), self.census.rev(tag), tag)
            self.assertEqual(r.get("date"), self.census.date(tag), tag)

if __name__ == "__main__":
    unittest.main(verbosity=2)
