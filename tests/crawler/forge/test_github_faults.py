"""Per-fork faults become fork rows with a precise error, and discovery,
fetching and measuring go on: 404 (deleted), 451 (blocked), 409 (empty),
a fetch failure, truncated and malformed answers, a slow answer past the
timeout, a failed listing of forks of forks, and (from the census engine)
a fork with no history in common with upstream.

Forks are real repositories served by git daemon; discovery, fetch and
measure run through forkmap-github-driver (libforkmap, as forkmap census
calls it).
"""
import json
import os
import re
import subprocess
import unittest

from fixture import Sandbox
from ghemu import Emulator, GitNet, run_driver

TOKEN = "ghp_faultsTESTTOKEN"
BR = "?per_page=100"


def build(sb):
    net = GitNet(sb)
    up = net.up
    up.write("README", "hello\n")
    up.commit("initial")
    up.tag("v1.0.0", annotated=True)
    up.write("src.c", "int main(void) { return 0; }\n")
    up.commit("add src")

    def fork(owner, stars, **kw):
        w = net.fork(owner, stars=stars, **kw)
        if w is not None:
            w.write("%s.txt" % owner, "%s was here\n" % owner)
            w.commit("%s: own work" % owner)
        return w

    fork("good", 100)
    fork("gone", 90, git=False, fault="404")
    fork("blocked", 80, git=False, fault="451")
    fork("empty", 70, empty=True, fault={"type": "409",
                                          "paths": ["branches"]})
    fork("nogit", 60, git=False)
    fork("trunc", 50, fault={"type": "truncated", "paths": ["branches"]})
    fork("cut", 45, fault={"type": "truncated-close",
                           "paths": ["branches"]})
    fork("bad", 40, fault={"type": "malformed", "paths": ["branches"]})
    fork("slow", 35, fault={"type": "slow", "seconds": 3,
                            "paths": ["branches"]})
    fork("flaky", 30, fault={"type": "500-once", "paths": ["branches"]})
    fork("lister", 25, fault={"type": "malformed", "paths": ["forks"]})
    w = net.fork("kid", parent="good/proj", stars=1)
    w.write("kid.txt", "kid\n")
    w.commit("kid: own work")
    net.fork("lost", parent="lister/proj", git=False)  # never listed
    # a server pointing a clone at the local file system: refused
    net.fork("local", stars=22, git=False, clone_url="file:///etc")
    w = fork("lonely", 20)
    w.checkout("solo", orphan=True)
    w.write("other.txt", "another project\n")
    w.commit("unrelated root")
    w.git("branch", "-q", "-D", "master")
    net.entries[-1]["default_branch"] = "solo"
    net.publish()
    return net


class Faults(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox()
        cls.net = build(cls.sb)

    @classmethod
    def tearDownClass(cls):
        cls.sb.cleanup()

    def emulator(self):
        return Emulator(self.net.doc(tokens=[TOKEN]),
                        git_root=self.net.root, git_env=self.sb.env)

    def run_census(self, emu, *args):
        repo = self.sb.path("local-%d" % id(args))
        out = self.sb.path("census-%d.json" % id(args))
        res = run_driver(emu.url, "up/proj", "--emu-clock", "--repo", repo,
                         "--init", "--measure", out, "--timeout", "1",
                         *args, token=TOKEN, env=self.sb.env)
        with open(out) as f:
            census = json.load(f)
        return res, census

    def assert_malformed_at(self, msg, path, at):
        # the byte cJSON stopped at: the stray byte or the one after it
        m = re.match(r"^malformed JSON from GET (\S+) at byte (\d+)$", msg)
        self.assertTrue(m, msg)
        self.assertEqual(m.group(1), path)
        self.assertIn(int(m.group(2)), (at, at + 1), msg)

    def git_url(self, emu, owner):
        return "%s/%s/proj.git" % (emu.git_url, owner)

    def test_api_faults_with_all_branches(self):
        with self.emulator() as emu:
            res, census = self.run_census(emu, "--branches", "all",
                                          "--depth", "2")
            self.assertEqual(res.rc, 0, res.error)
            log = emu.log()["requests"]
            rows = {(r["name"], r["branch"]): r for r in census["forks"]}
            err = {k: r["error"] for k, r in rows.items()}

            self.assertIsNone(err[("good/proj", "master")])
            self.assertIsNone(err[("flaky/proj", "master")])
            self.assertIsNone(err[("kid/proj", "master")])
            self.assertEqual(rows[("good/proj", "master")]["ahead"], 1)
            self.assertEqual(
                err[("gone/proj", "master")],
                "GET /repos/gone/proj/branches%s: 404 Not Found" % BR)
            self.assertEqual(
                err[("blocked/proj", "master")],
                "GET /repos/blocked/proj/branches%s: 451 Repository "
                "access blocked (dmca)" % BR)
            self.assertEqual(
                err[("empty/proj", "master")],
                "GET /repos/empty/proj/branches%s: 409 Git Repository is "
                "empty." % BR)
            self.assertRegex(
                err[("trunc/proj", "master")],
                r"^truncated answer to GET /repos/trunc/proj/branches\?"
                r"per_page=100: transfer closed with \d+ bytes remaining "
                r"to read \(after 3 retries\)$")
            cut = [r for r in log if r["path"].startswith(
                "/repos/cut/proj/branches")][0]
            self.assertEqual(
                err[("cut/proj", "master")],
                "truncated JSON from GET /repos/cut/proj/branches%s: it "
                "ends inside a value at byte %d" % (BR, cut["fault_at"]))
            bad = [r for r in log if r["path"].startswith(
                "/repos/bad/proj/branches")][0]
            self.assert_malformed_at(
                err[("bad/proj", "master")],
                "/repos/bad/proj/branches" + BR, bad["fault_at"])
            self.assertEqual(
                err[("slow/proj", "master")],
                "GET /repos/slow/proj/branches%s: no answer within 1 s "
                "(after 3 retries)" % BR)
            lister = [r for r in log if r["path"].startswith(
                "/repos/lister/proj/forks")][0]
            self.assertTrue(err[("lister/proj", "")].startswith(
                "cannot list forks of 'lister/proj': "))
            self.assert_malformed_at(
                err[("lister/proj", "")].split(": ", 1)[1],
                "/repos/lister/proj/forks?sort=stargazers&per_page=100",
                lister["fault_at"])
            # lister itself is measured: only its listing failed
            self.assertIsNone(err[("lister/proj", "master")])
            self.assertNotIn("lost/proj", [k[0] for k in rows])
            self.assertEqual(rows[("kid/proj", "master")]["ahead"], 2)
            # flaky once; trunc and slow (transient) three times each
            self.assertEqual(res.stats["retries"], 1 + 3 + 3)

    def test_fetch_faults_with_default_branches(self):
        with self.emulator() as emu:
            res, census = self.run_census(emu)
            self.assertEqual(res.rc, 0, res.error)
            rows = {r["name"]: r for r in census["forks"]}
            self.assertEqual(len(rows), 13)  # kid needs --depth 2
            self.assertRegex(rows["local/proj"]["error"],
                             r"clone_url that is not https, http or git: "
                             r"refused$")
            for owner in ("gone", "blocked", "nogit"):
                self.assertEqual(
                    rows["%s/proj" % owner]["error"],
                    "cannot fetch '%s' branch 'master': remote error: "
                    "no such repository: /%s/proj.git"
                    % (self.git_url(emu, owner), owner))
            self.assertEqual(
                rows["empty/proj"]["error"],
                "cannot fetch '%s' branch 'master': the remote has no "
                "branch 'master' (empty repository)"
                % self.git_url(emu, "empty"))
            self.assertEqual(rows["lonely/proj"]["error"],
                             "no common history with upstream branch "
                             "'master'")
            self.assertEqual(rows["lonely/proj"]["branch"], "solo")
            for owner in ("good", "trunc", "cut", "bad", "slow", "flaky",
                          "lister"):
                row = rows["%s/proj" % owner]
                self.assertIsNone(row["error"], owner)
                self.assertEqual(row["ahead"], 1, owner)
                self.assertEqual(row["base_tag"], "v1.0.0", owner)

    def test_refetch_transfers_nothing_new(self):
        with self.emulator() as emu:
            repo = self.sb.path("refetch")
            first = run_driver(emu.url, "up/proj", "--repo", repo, "--init",
                               token=TOKEN, env=self.sb.env)
            self.assertEqual(first.rc, 0, first.error)
            packs = sorted(os.listdir(os.path.join(repo, "objects",
                                                   "pack")))
            again = run_driver(emu.url, "up/proj", "--repo", repo,
                               token=TOKEN, env=self.sb.env)
            self.assertEqual(again.rc, 0, again.error)
            self.assertEqual(
                sorted(os.listdir(os.path.join(repo, "objects", "pack"))),
                packs)
            self.assertEqual([f["error"] for f in first.forks],
                             [f["error"] for f in again.forks])
            out = subprocess.run(
                ["git", "--git-dir", repo, "for-each-ref",
                 "--format=%(refname)", "refs/forkmap/", "refs/tags/",
                 "refs/heads/"], capture_output=True, text=True,
                env=self.sb.env).stdout.split()
            self.assertIn("refs/forkmap/github/good%2Fproj/master", out)
            self.assertIn("refs/tags/v1.0.0", out)
            self.assertIn("refs/heads/master", out)
            self.assertNotIn("refs/forkmap/github/gone%2Fproj/master", out)


if __name__ == "__main__":
    unittest.main()
