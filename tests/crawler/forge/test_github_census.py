"""End to end: a census through the GitHub emulator equals the local census
of the same repositories, field by field; the skip rules apply to GitHub
forks; a nightly rerun costs (almost) nothing; faults are rows.

Two ways through the emulator:
- libforkmap as forkmap census calls it (forkmap-github-driver: init the
  local repository from the upstream, discover, fetch, measure);
- the forkmap program itself (`forkmap census --upstream --api`), which
  runs the census pipeline (fm_census_run) with fm_forge_discover.
The local census is `forkmap census --no-github` on a clone of the
upstream holding every fork branch as refs/heads/forks/<owner>/<repo>/<b>.
"""
import json
import os
import subprocess
import unittest

from fixture import Sandbox
from forkmap_run import forkmap_bin, run_census
from ghemu import Emulator, GitNet, run_driver

TOKEN = "ghp_censusTESTTOKEN"
METRICS = ("error", "head", "merge_base", "ahead", "behind",
           "ahead_first_parent", "unique", "base_tag", "release", "files",
           "insertions", "deletions", "head_date", "merge_base_date",
           "base_date")


def build(sb):
    net = GitNet(sb)
    up = net.up
    up.write("README", "hello\n")
    up.write("lib.c", "".join("int f%d;\n" % i for i in range(20)))
    up.commit("initial")
    up.tag("v1.0.0", annotated=True, message="1.0.0")
    up.write("lib.c", "".join("int f%d;\n" % i for i in range(25)))
    fix = up.commit("lib: five more")
    up.tag("v1.1.0")
    up.write("NEWS", "2.0 soon\n")
    up.commit("news")
    up.tag("v2.0.0-rc1")
    up.write("NEWS", "2.0 is out\n")
    up.commit("release 2.0")
    up.tag("v2.0.0", annotated=True, message="2.0.0")
    up.write("main.c", "int main(void) { return 0; }\n")
    up.commit("main")
    up.write("main.c", "int main(void) { return 1; }\n")
    up.commit("main: fail")

    w = net.fork("alpha", stars=50)
    w.git("reset", "-q", "--hard", "v1.0.0")
    w.write("alpha.c", "int alpha;\n" * 3)
    w.commit("alpha: add")
    w.write("README", "hello from alpha\n")
    w.commit("alpha: readme")
    w.rm("lib.c")
    w.commit("alpha: no lib")

    w = net.fork("beta", stars=40)
    w.write("beta.c", "int beta;\n")
    w.commit("beta: add")
    w.write("beta.c", "int beta = 2;\n")
    w.commit("beta: two")
    w.checkout("staging", create=True)
    w.write("stage", "s\n")
    w.commit("beta: staging")
    w.checkout("master")
    w.checkout("feature-next", create=True)
    w.write("next", "n\n")
    w.commit("beta: next")
    w.checkout("master")
    w.checkout("topic", create=True)
    w.git("reset", "-q", "--hard", "v1.0.0")
    w.cherry_pick(fix)
    w.write("topic", "t\n")
    w.commit("beta: topic")
    w.checkout("master")

    net.fork("gamma", stars=30)  # nothing of its own

    w = net.fork("delta", stars=20)
    w.git("reset", "-q", "--hard", "v1.1.0")
    w.write("delta.c", "int delta;\n")
    w.commit("delta: add")
    w.merge("v2.0.0", msg="merge 2.0.0")
    w.write("delta.c", "int delta = 2;\n")
    w.commit("delta: after merge")

    w = net.fork("eps", parent="alpha/proj", stars=5)
    w.write("eps.c", "int eps;\n")
    w.commit("eps: add")

    w = net.fork("lonely", stars=3)
    w.checkout("solo", orphan=True)
    w.write("other", "x\n")
    w.commit("unrelated")
    w.git("branch", "-q", "-D", "master")
    net.entries[-1]["default_branch"] = "solo"
    net.publish()
    return net


class Census(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox()
        cls.net = build(cls.sb)

    @classmethod
    def tearDownClass(cls):
        cls.sb.cleanup()

    def emulator(self, **extra):
        return Emulator(self.net.doc(tokens=[TOKEN], **extra),
                        git_root=self.net.root, git_env=self.sb.env)

    def local_census(self, rows, *args):
        """The same forks as local branches of a clone of the upstream."""
        local = self.sb.path("local-%d" % len(os.listdir(self.sb.root)))
        env = self.sb.env
        subprocess.run(["git", "clone", "-q", "--bare",
                        os.path.join(self.net.root, "up", "proj.git"),
                        local], env=env, check=True)
        for r in rows:
            if r["error"] and r["branch"] == "":
                continue
            owner, repo = r["name"].split("/")
            src = os.path.join(self.net.root, owner, repo + ".git")
            if not os.path.isdir(src):
                continue
            subprocess.run(["git", "--git-dir", local, "fetch", "-q",
                            "--no-tags", src,
                            "+refs/heads/%s:refs/heads/forks/%s/%s" % (
                                r["branch"], r["name"], r["branch"])],
                           env=env, check=True)
        return run_census(local, *args, env=env).doc

    def github_census(self, emu, *args):
        repo = self.sb.path("gh-%d" % len(os.listdir(self.sb.root)))
        out = repo + ".json"
        res = run_driver(emu.url, "up/proj", "--repo", repo, "--init",
                         "--measure", out, *args, token=TOKEN,
                         env=self.sb.env)
        self.assertEqual(res.rc, 0, res.error)
        with open(out) as f:
            return json.load(f), res

    def assert_same(self, gh, local):
        self.assertEqual(gh["head"], local["head"])
        self.assertEqual(gh["branch"], local["branch"])
        self.assertEqual(gh["releases"], local["releases"])
        lrows = {r["name"]: r for r in local["forks"]}
        compared = 0
        for r in gh["forks"]:
            if r["branch"] == "":
                continue
            lr = lrows.get("%s/%s" % (r["name"], r["branch"]))
            if r["error"] and r["error"].startswith("cannot fetch"):
                self.assertIsNone(lr)
                continue
            self.assertIsNotNone(lr, (r["name"], r["branch"]))
            for field in METRICS:
                self.assertEqual(r[field], lr[field],
                                 "%s %s: %s" % (r["name"], r["branch"],
                                                field))
            self.assertEqual(r["source"], "github")
            self.assertEqual(r["ref"], "refs/forkmap/github/%s/%s" % (
                r["name"].replace("/", "%2F"), r["branch"]))
            compared += 1
        return compared

    def test_equals_local_census_field_by_field(self):
        with self.emulator() as emu:
            gh, res = self.github_census(emu, "--branches", "all",
                                         "--depth", "2", "--keep-empty",
                                         "--no-skip")
        names = sorted((r["name"], r["branch"]) for r in gh["forks"])
        self.assertEqual(names, [
            ("alpha/proj", "master"), ("beta/proj", "feature-next"),
            ("beta/proj", "master"), ("beta/proj", "staging"),
            ("beta/proj", "topic"), ("delta/proj", "master"),
            ("eps/proj", "master"), ("gamma/proj", "master"),
            ("lonely/proj", "solo")])
        local = self.local_census(gh["forks"], "--keep-empty",
                                  "--no-skip", "--include-skipped")
        self.assertEqual(self.assert_same(gh, local), 9)
        rows = {(r["name"], r["branch"]): r for r in gh["forks"]}
        self.assertEqual(rows[("alpha/proj", "master")]["base_tag"],
                         "v1.0.0")
        self.assertEqual(rows[("eps/proj", "master")]["ahead"], 4)
        self.assertEqual(rows[("eps/proj", "master")]["stars"], 5)
        self.assertEqual(rows[("beta/proj", "topic")]["unique"], 1)
        self.assertEqual(rows[("beta/proj", "topic")]["ahead"], 2)
        self.assertIsNotNone(rows[("lonely/proj", "solo")]["error"])

    def test_skip_rules_apply_to_github_forks(self):
        with self.emulator() as emu:
            gh, _ = self.github_census(emu, "--branches", "all")
        rows = {(r["name"], r["branch"]): r for r in gh["forks"]}
        self.assertTrue(rows[("beta/proj", "staging")]["skipped"])
        self.assertTrue(rows[("beta/proj", "feature-next")]["skipped"])
        self.assertTrue(rows[("gamma/proj", "master")]["skipped"])
        self.assertIsNone(rows[("beta/proj", "master")]["skipped"])
        self.assertIsNone(rows[("alpha/proj", "master")]["skipped"])


class Program(unittest.TestCase):
    """`forkmap census` itself against the emulator."""

    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox()
        cls.net = build(cls.sb)

    @classmethod
    def tearDownClass(cls):
        cls.sb.cleanup()

    def census(self, emu, repo, *args, token=TOKEN):
        env = dict(self.sb.env)
        env["GITHUB_TOKEN"] = token
        argv = [forkmap_bin(), "census", "-C", repo, "--upstream",
                "up/proj", "--api", emu.url, "--json", "-", "--quiet"] + \
            list(args)
        proc = subprocess.run(argv, env=env, capture_output=True,
                              text=True, timeout=600)
        self.assertNotIn(token, proc.stdout + proc.stderr)
        if not any(r["path"].startswith("/repos/up/proj/forks")
                   for r in emu.log()["requests"]):
            self.fail("forkmap census sent no forks request to the API: "
                      "the census did not list forks on the forge "
                      "(fm_forge_discover)\nstderr: %s"
                      % proc.stderr)
        return proc

    def test_census_through_the_program(self):
        with Emulator(self.net.doc(tokens=[TOKEN]), git_root=self.net.root,
                      git_env=self.sb.env) as emu:
            repo = self.sb.path("prog-repo")
            db = self.sb.path("prog.db")
            proc = self.census(emu, repo, "--branches", "all", "--depth",
                               "2", "--db", db, "--include-skipped")
            self.assertEqual(proc.returncode, 1, proc.stderr)  # lonely
            doc = json.loads(proc.stdout)
            rows = {(r["name"], r["branch"]): r for r in doc["forks"]}
            self.assertEqual(len(rows), 9)
            self.assertEqual(rows[("eps/proj", "master")]["ahead"], 4)
            self.assertEqual(rows[("lonely/proj", "solo")]["error"],
                             "no common history with upstream branch "
                             "'master'")
            # nightly: everything revalidated, nothing counted
            emu.clear_log()
            proc2 = self.census(emu, repo, "--branches", "all", "--depth",
                                "2", "--db", db, "--include-skipped")
            self.assertEqual(proc2.returncode, 1, proc2.stderr)
            self.assertEqual(json.loads(proc2.stdout)["forks"],
                             doc["forks"])
            log = emu.log()["requests"]
            self.assertTrue(all(r["conditional"] for r in log), log)
            self.assertGreaterEqual(
                sum(r["status"] == 304 for r in log), 0.95 * len(log))

    def test_bad_token_exit_code(self):
        with Emulator(self.net.doc(tokens=[TOKEN]), git_root=self.net.root,
                      git_env=self.sb.env) as emu:
            env = dict(self.sb.env)
            env["GITHUB_TOKEN"] = "nope"
            proc = subprocess.run(
                [forkmap_bin(), "census", "-C", self.sb.path("bad-tok"),
                 "--upstream", "up/proj", "--api", emu.url, "--no-db",
                 "--quiet"], env=env, capture_output=True, text=True,
                timeout=300)
            self.assertEqual(proc.returncode, 6, proc.stderr)  # EXIT_AUTH
            self.assertEqual(proc.stderr.strip(),
                             "error: GitHub rejected the token (401 bad "
                             "credentials)")


if __name__ == "__main__":
    unittest.main()
