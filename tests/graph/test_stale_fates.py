"""Fates on scripted histories (fixed commit dates), judged with an
injected "now" (`stale --now`): quiet forks are the abandoned ones, hard
forks (alive, far behind) are reported apart from them, merged forks are
in neither, and the census JSON carries each fork's fate."""
import json
import os
import re
import unittest

from fixture import Sandbox
from forkmap_run import run, run_census


class StaleFatesTest(unittest.TestCase):
    def setUp(self):
        self.sb = Sandbox()
        self.addCleanup(self.sb.cleanup)
        up = self.sb.repo("up")
        up.commit("one", date="2019-01-10T12:00:00+00:00",
                  files={"a.c": "int a;\n"})
        up.tag("v1.0.0", annotated=True)
        old = up.rev("HEAD")
        up.commit("two", date="2019-06-01T12:00:00+00:00",
                  files={"up.c": "int up;\n"})
        fix = up.rev("HEAD")
        up.commit("three", date="2022-01-01T12:00:00+00:00",
                  files={"a.c": "int a2;\n"})
        up.tag("v2.0.0", annotated=True)
        recent = up.rev("HEAD")
        # quiet: unique work from 2019, on the old base
        up.checkout("forks/quiet", create=True)
        up.git("reset", "-q", "--hard", old)
        up.commit("q", date="2019-02-01T12:00:00+00:00",
                  files={"q.c": "int q;\n"})
        # hard fork: the same old base, but commits in 2022
        up.checkout("master")
        up.checkout("forks/hard", create=True)
        up.git("reset", "-q", "--hard", old)
        up.commit("h1", date="2021-12-20T12:00:00+00:00",
                  files={"h.c": "int h;\n"})
        # active: on the recent base, recent commits
        up.checkout("master")
        up.checkout("forks/active", create=True)
        up.git("reset", "-q", "--hard", recent)
        up.commit("a", date="2021-12-30T12:00:00+00:00",
                  files={"act.c": "int act;\n"})
        # merged: its one commit is upstream (same patch)
        up.checkout("master")
        up.checkout("forks/merged", create=True)
        up.git("reset", "-q", "--hard", old)
        up.commit("same as two", date="2019-05-01T12:00:00+00:00",
                  files={"up.c": "int up;\n"})
        up.checkout("master")
        self.assertNotEqual(fix, up.rev("forks/merged"))
        self.up = up
        self.db = os.path.join(self.sb.root, "f.db")
        self.census = run_census(up.path, db=self.db, env=self.sb.env,
                                 cwd=self.sb.root).doc

    def stale(self, now, *extra):
        p = run(["stale", "--db", self.db, "--now", now, "--json", *extra],
                env=self.sb.env, cwd=self.sb.root)
        self.assertEqual(p.returncode, 0, p.stderr)
        return json.loads(p.stdout)

    def test_census_json_has_fates(self):
        fates = {f["name"].split("/")[-1]: f["fate"]
                 for f in self.census["forks"]}
        self.assertEqual(fates["merged"], "merged")
        # judged as of the census's end, years after every commit
        self.assertEqual(fates["quiet"], "quiet")
        self.assertEqual(fates["hard"], "quiet")

    def test_hard_forks_apart_from_abandoned(self):
        doc = self.stale("2022-01-10")
        self.assertEqual([f["name"] for f in doc["stale"]], ["quiet"])
        self.assertEqual(doc["stale"][0]["fate"], "quiet")
        self.assertEqual([f["name"] for f in doc["hard_forks"]], ["hard"])
        self.assertEqual(doc["hard_forks"][0]["fate"], "hard_fork")
        self.assertTrue(doc["hard_forks"][0]["far_behind"])
        # the threshold moves it: a merge base 3 years back is not 48
        # months back
        doc = self.stale("2022-01-10", "--base-months", "48")
        self.assertEqual(doc["hard_forks"], [])
        # a year later the hard fork (and the active one) went quiet too
        doc = self.stale("2023-01-10")
        self.assertEqual(sorted(f["name"] for f in doc["stale"]),
                         ["active", "hard", "quiet"])
        self.assertEqual(doc["hard_forks"], [])
        # the table reports them in two groups
        p = run(["stale", "--db", self.db, "--now", "2022-01-10"],
                env=self.sb.env, cwd=self.sb.root)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = p.stdout
        self.assertLess(out.index("abandoned"), out.index("hard forks"))
        self.assertLess(out.index("quiet"), out.index("hard forks"))
        lines = out.splitlines()
        heading = [i for i, l in enumerate(lines)
                   if l.startswith("hard forks")]
        row = [i for i, l in enumerate(lines) if re.match(r"hard +\d", l)]
        self.assertEqual(len(heading), 1, out)
        self.assertEqual(len(row), 1, out)
        self.assertGreater(row[0], heading[0])
        self.assertIn("hard fork", lines[row[0]])


if __name__ == "__main__":
    unittest.main()
