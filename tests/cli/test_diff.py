"""forkmap diff and forkmap log on a scripted history.

One upstream with fork branches under refs/heads/forks/, measured three
times with `forkmap census --db` while the forks change between the runs:
run 1, then a fork is added, one deleted, one moved, one rebased onto a
newer release, one's patch cherry-picked by upstream, one moved after a
long silence; run 2; nothing; run 3.

Ages are counted to a run's census time, which is the wall clock: the test
gives each run a fixed time afterwards (runs.started/finished in the
store), as nightly runs weeks apart would have, and the commits fixed
dates, so "went quiet" and "back" are decided by the dates below alone.
"""
import datetime
import json
import os
import re
import sqlite3
import unittest

from fixture import Sandbox
from forkmap_run import run, run_census

DAY = 86400
QUIET = "30"  # --quiet-days


def epoch(date):
    return int(datetime.datetime.fromisoformat(date).timestamp())


# The runs' census times: two weeks apart, then a day.
RUN_TIMES = {1: epoch("2020-03-01T00:00:00+00:00"),
             2: epoch("2020-03-15T00:00:00+00:00"),
             3: epoch("2020-03-16T00:00:00+00:00")}

HOSTILE = "evil|*<script>x\x1b[31m"

EXPECTED = {  # run 1 -> run 2
    "moving": {"moved", "gained"},
    "rebasing": {"moved", "rebased"},
    "upstreaming": {"lost", "upstreamed"},
    "doomed": {"gone"},
    "newbie": {"new"},
    "sleepy": {"quiet"},
    "waking": {"moved", "gained", "back"},
    HOSTILE: {"new", "failing"},
}


class HistoryScenario(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sb = sb = Sandbox()
        cls.db = sb.path("forkmap.db")
        up = cls.up = sb.repo("up")
        up.commit("one", files={"a.c": "int a;\n"},
                  date="2020-01-01T00:00:00+00:00")
        up.tag("v1.0.0")
        up.commit("two", files={"a.c": "int a;\nint b;\n"},
                  date="2020-02-01T00:00:00+00:00")
        up.tag("v1.1.0")

        def fork(name, start, path, date):
            """A commit on forks/NAME (made at start when given)."""
            if start:
                up.branch("forks/" + name, start)
            up.checkout("forks/" + name)
            up.commit(name + " " + path, files={path: path + date + "\n"},
                      date=date)
            up.checkout("master")

        fork("moving", "v1.0.0", "m.c", "2020-02-20T00:00:00+00:00")
        fork("rebasing", "v1.0.0", "r.c", "2020-02-21T00:00:00+00:00")
        fork("upstreaming", "v1.0.0", "u.c", "2020-02-25T00:00:00+00:00")
        fork("doomed", "v1.0.0", "d.c", "2020-02-26T00:00:00+00:00")
        fork("sleepy", "v1.0.0", "s.c", "2020-02-05T00:00:00+00:00")
        fork("waking", "v1.0.0", "w.c", "2020-01-05T00:00:00+00:00")
        fork("steady", "v1.0.0", "t.c", "2020-01-02T00:00:00+00:00")
        cls.census(1)

        fork("moving", None, "m2.c", "2020-03-08T00:00:00+00:00")
        fork("waking", None, "w2.c", "2020-03-10T00:00:00+00:00")
        fork("newbie", "v1.1.0", "n.c", "2020-03-12T00:00:00+00:00")
        up.git("branch", "-D", "forks/doomed")
        # rebased onto v1.1.0: the same patch on a newer base
        up.checkout("forks/rebasing")
        up.git("rebase", "-q", "v1.1.0",
               env={"GIT_COMMITTER_DATE": "2020-03-09T00:00:00+00:00"})
        up.checkout("master")
        # upstream takes the patch of forks/upstreaming
        up.cherry_pick("forks/upstreaming",
                       date="2020-03-05T00:00:00+00:00")
        conf = sb.path("hostile.conf")
        with open(conf, "w") as f:
            f.write('[fork "%s"]\n\turl = file://%s/none\n'
                    % (HOSTILE, sb.root))
        cls.census(2, "--config", conf)
        cls.census(3, "--config", conf)

    @classmethod
    def tearDownClass(cls):
        cls.sb.cleanup()

    @classmethod
    def census(cls, run_id, *args):
        res = run_census(cls.up.path, *args, env=cls.sb.env, db=cls.db,
                         cwd=cls.sb.root)
        assert res.returncode in (0, 1), res.stderr
        with sqlite3.connect(cls.db) as db:
            n = db.execute("UPDATE runs SET started = ?, finished = ? "
                           "WHERE id = ?", (RUN_TIMES[run_id] - 60,
                                            RUN_TIMES[run_id], run_id))
            assert n.rowcount == 1
        db.close()

    def forkmap(self, *args):
        return run(list(args), env=self.sb.env, cwd=self.sb.root)

    def diff_json(self, *args):
        p = self.forkmap("diff", "--db", self.db, "--quiet-days", QUIET,
                         "--json", *args)
        self.assertEqual(p.returncode, 0, p.stderr)
        return json.loads(p.stdout)

    # -- diff --------------------------------------------------------------

    def test_each_fork_is_classified(self):
        doc = self.diff_json("1", "2")
        got = {c["name"]: set(c["kinds"]) for c in doc["changes"]}
        self.assertEqual(got, EXPECTED)
        self.assertEqual((doc["a"]["run"], doc["b"]["run"]), (1, 2))
        self.assertEqual(doc["a"]["date"][:10], "2020-03-01")
        self.assertEqual(doc["b"]["date"][:10], "2020-03-15")
        self.assertEqual(doc["quiet_days"], int(QUIET))
        self.assertEqual(doc["summary"]["new"], 2)
        self.assertEqual(doc["summary"]["moved"], 3)
        self.assertEqual(doc["summary"]["fixed"], 0)

    def test_json_carries_old_and_new_values(self):
        doc = self.diff_json("1", "2")
        by = {c["name"]: c for c in doc["changes"]}
        moving = by["moving"]
        self.assertEqual((moving["old"]["ahead"], moving["new"]["ahead"]),
                         (1, 2))
        self.assertEqual(moving["new"]["head"],
                         self.up.rev("forks/moving"))
        reb = by["rebasing"]
        self.assertEqual((reb["old"]["release"], reb["new"]["release"]),
                         ("v1.0.0", "v1.1.0"))
        self.assertEqual(reb["new"]["merge_base"], self.up.rev("v1.1.0"))
        ups = by["upstreaming"]
        self.assertEqual((ups["old"]["unique"], ups["new"]["unique"]),
                         (1, 0))
        self.assertEqual(ups["old"]["head"], ups["new"]["head"])
        self.assertIsNone(by["doomed"]["new"])
        self.assertIsNone(by["newbie"]["old"])
        self.assertIsNotNone(by[HOSTILE]["new"]["error"])

    def test_defaults_are_the_two_latest_runs(self):
        doc = self.diff_json()
        self.assertEqual((doc["a"]["run"], doc["b"]["run"]), (2, 3))
        self.assertEqual(doc["changes"], [])
        doc = self.diff_json("1")
        self.assertEqual((doc["a"]["run"], doc["b"]["run"]), (1, 3))
        self.assertEqual({c["name"] for c in doc["changes"]},
                         set(EXPECTED))

    def test_exit_code_says_whether_runs_differ(self):
        base = ["diff", "--db", self.db, "--quiet-days", QUIET,
                "--exit-code"]
        self.assertEqual(self.forkmap(*base, "1", "2").returncode, 1)
        self.assertEqual(self.forkmap(*base, "2", "3").returncode, 0)
        self.assertEqual(self.forkmap(*base).returncode, 0)
        # without --exit-code differences are no failure
        self.assertEqual(self.forkmap("diff", "--db", self.db, "1", "2")
                         .returncode, 0)

    def test_markdown_has_a_table_row_per_change(self):
        p = self.forkmap("diff", "--db", self.db, "--quiet-days", QUIET,
                         "--markdown", "1", "2")
        self.assertEqual(p.returncode, 0, p.stderr)
        md = p.stdout
        self.assertTrue(md.startswith("## "), md)
        self.assertIn("8 forks changed", md)
        sections = dict(re.findall(r"^### (\w+) \((\d+)\)$", md, re.M))
        want = {}
        for kinds in EXPECTED.values():
            for k in kinds:
                want[k] = str(int(want.get(k, "0")) + 1)
        self.assertEqual(sections, want)
        rows = [l for l in md.splitlines() if l.startswith("| ")
                and not l.startswith("| fork ")]
        self.assertEqual(len(rows), sum(map(len, EXPECTED.values())))
        for line in rows:  # three cells each: no name split a table
            cells = re.split(r"(?<!\\)\|", line)
            self.assertEqual(len(cells), 5, line)
        self.assertRegex(md, r"\| rebasing \| rebasing \| .*release "
                             r"v1\\\.0\\\.0 → v1\\\.1\\\.0")

    def test_hostile_names_are_escaped(self):
        p = self.forkmap("diff", "--db", self.db, "--markdown", "1", "2")
        md = p.stdout
        self.assertNotIn("<script>", md)
        self.assertNotIn("\x1b", md)
        self.assertIn("evil\\|\\*&lt;script&gt;x\\\\x1b\\[31m", md)
        p = self.forkmap("diff", "--db", self.db, "1", "2")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("\x1b", p.stdout + p.stderr)
        self.assertIn("evil|*<script>x\\x1b[31m", p.stdout)
        # JSON keeps the name as it is (cJSON escapes it)
        names = {c["name"] for c in self.diff_json("1", "2")["changes"]}
        self.assertIn(HOSTILE, names)

    def test_table_shows_old_and_new_numbers(self):
        p = self.forkmap("diff", "--db", self.db, "--quiet-days", QUIET,
                         "1", "2")
        out = p.stdout
        self.assertIn("run 1 (2020-03-01) -> run 2 (2020-03-15)", out)
        self.assertRegex(out, r"(?m)^upstreamed:\n  upstreaming:upstreaming"
                              r" +unique 1 -> 0")
        self.assertRegex(out, r"(?m)^  moving:moving +head [0-9a-f]{7} -> "
                              r"[0-9a-f]{7}, ahead 1 -> 2$")
        self.assertRegex(out, r"(?m)^quiet:\n  sleepy:sleepy +last commit "
                              r"2020-02-05, 39 days before run B$")
        self.assertRegex(out, r"(?m)^back:\n  waking:waking +last commit "
                              r"2020-01-05 -> 2020-03-10$")

    def test_bad_runs_are_clear_errors(self):
        p = self.forkmap("diff", "--db", self.db, "1", "99")
        self.assertEqual(p.returncode, 4, p.stderr)
        self.assertRegex(p.stderr, r"^error: no census run 99")
        p = self.forkmap("diff", "--db", self.db, "one")
        self.assertEqual(p.returncode, 2)
        self.assertIn("RUN_A wants a whole number", p.stderr)
        p = self.forkmap("diff", "--db", self.db, "--json", "--markdown")
        self.assertEqual(p.returncode, 2)
        p = self.forkmap("diff", "--db", self.sb.path("none.db"))
        self.assertEqual(p.returncode, 5)
        self.assertIn("no census store", p.stderr)
        self.assertFalse(os.path.exists(self.sb.path("none.db")))

    def test_help(self):
        for cmd in ("diff", "log"):
            p = self.forkmap(cmd, "--help")
            self.assertEqual(p.returncode, 0)
            self.assertTrue(p.stdout.startswith("usage: forkmap " + cmd))
            self.assertIn("exit codes:", p.stdout)
            for line in p.stdout.splitlines():
                self.assertLessEqual(len(line), 79, line)
            self.assertIn(cmd, self.forkmap("--help").stdout)

    # -- log ---------------------------------------------------------------

    def log_json(self, fork):
        p = self.forkmap("log", "--db", self.db, "--json", fork)
        self.assertEqual(p.returncode, 0, p.stderr)
        return json.loads(p.stdout)

    def test_log_follows_one_fork_across_three_runs(self):
        doc = self.log_json("moving")
        self.assertEqual((doc["name"], doc["branch"], doc["source"]),
                         ("moving", "moving", "local"))
        runs = doc["runs"]
        self.assertEqual([r["run"] for r in runs], [1, 2, 3])
        self.assertEqual([r["ahead"] for r in runs], [1, 2, 2])
        self.assertEqual([r["date"][:10] for r in runs],
                         ["2020-03-01", "2020-03-15", "2020-03-16"])
        self.assertEqual(runs[2]["head"], self.up.rev("forks/moving"))
        self.assertNotEqual(runs[0]["head"], runs[1]["head"])
        ups = self.log_json("upstreaming:upstreaming")["runs"]
        self.assertEqual([r["unique"] for r in ups], [1, 0, 0])
        self.assertEqual([r["run"] for r in self.log_json(
            "doomed/doomed")["runs"]], [1])

    def test_log_table(self):
        p = self.forkmap("log", "--db", self.db, "rebasing")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0], "rebasing:rebasing (local), 3 runs")
        self.assertEqual(len(lines), 5)
        self.assertRegex(lines[2], r"^1 +2020-03-01 [0-9a-f]{7} [0-9a-f]{7}"
                                   r" v1\.0\.0 +1 +1 +1 ")
        self.assertIn(" v1.1.0 ", lines[3])

    def test_log_unknown_fork_is_an_error(self):
        p = self.forkmap("log", "--db", self.db, "nobody")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(p.stderr.strip().splitlines(),
                         ["error: fork 'nobody' is in no census run (give "
                          "NAME, NAME:BRANCH or NAME/BRANCH)"])
        p = self.forkmap("log", "--db", self.db)
        self.assertEqual(p.returncode, 2)


if __name__ == "__main__":
    unittest.main()
