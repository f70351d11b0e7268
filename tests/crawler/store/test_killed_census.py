"""A census killed with SIGKILL at any moment leaves the store intact: the
integrity check passes, no partial run is there (a run is one transaction:
it is all there or not at all), and the next census runs clean.

The fixture is many local fork branches (git fast-import), so that a cold
census takes long enough to be killed while it measures and while it
saves; the kill times are fractions of how long one cold census takes here,
so the test holds on a fast machine and a slow one. A kill that comes
after the commit (the census was done) finds the whole run stored."""
import os
import shutil
import signal
import sqlite3
import subprocess
import time
import unittest

from fixture import Sandbox

BIN = os.environ.get("FORKMAP_BIN")
FORKS = 800
COMMITS = 8
FRACTIONS = (0.05, 0.15, 0.3, 0.45, 0.6, 0.7, 0.8, 0.9, 1.0)


def fast_import_stream():
    """Upstream: 200 commits, a tag every 50; FORKS fork branches of
    COMMITS commits each, branching off all over upstream."""
    out = []
    w = out.append
    mark = 0
    when = 1500000000

    def commit(ref, msg, path, content, parent):
        nonlocal mark, when
        mark += 1
        when += 60
        w("commit %s\nmark :%d\ncommitter A <a@example.com> %d +0000\n"
          "data %d\n%s\n" % (ref, mark, when, len(msg), msg))
        if parent:
            w("from :%d\n" % parent)
        w("M 100644 inline %s\ndata %d\n%s\n" % (path, len(content),
                                                  content))
        return mark

    prev, trunk = None, []
    for i in range(200):
        body = "".join("line %d %d\n" % (i, j) for j in range(300))
        prev = commit("refs/heads/master", "up %d" % i, "src/f%d.c" % (i % 40),
                      body, prev)
        trunk.append(prev)
        if i % 50 == 0:
            w("tag v1.%d.0\nfrom :%d\ntagger A <a@example.com> %d +0000\n"
              "data 1\nv\n" % (i // 50, prev, when))
    for k in range(FORKS):
        p = trunk[(k * 7) % len(trunk)]
        for c in range(COMMITS):
            body = "".join("fork %d %d %d\n" % (k, c, j) for j in range(100))
            p = commit("refs/heads/forks/f%04d" % k, "fork %d %d" % (k, c),
                       "fork/k%d_%d.c" % (k, c % 3), body, p)
    return "".join(out)


class KilledCensusTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox()
        cls.up = cls.sb.repo("up")
        subprocess.run(["git", "fast-import", "--quiet"], cwd=cls.up.path,
                       env=cls.sb.env, input=fast_import_stream().encode(),
                       check=True)
        cls.up.git("pack-refs", "--all")
        # a store with one small run (ten forks) to start every test from
        cls.base = cls.sb.path("base.db")
        p = cls.census(cls.base, "--local", "refs/heads/forks/f000*")
        assert p.returncode == 0, p.stderr
        # how long a cold census of all forks takes on this machine
        t0 = time.monotonic()
        p = cls.census(cls.sb.path("timing.db"))
        cls.duration = time.monotonic() - t0
        assert p.returncode == 0, p.stderr

    @classmethod
    def tearDownClass(cls):
        cls.sb.cleanup()

    @classmethod
    def census(cls, db, *extra, wait=True):
        argv = [BIN, "census", "-C", cls.up.path, "--db", db, "-q", *extra]
        if not wait:
            return subprocess.Popen(argv, env=cls.sb.env, cwd=cls.sb.root,
                                    stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
        return subprocess.run(argv, env=cls.sb.env, cwd=cls.sb.root,
                              capture_output=True, text=True, timeout=600)

    def store_facts(self, db):
        """integrity_check, and {run id: rows} (runs without rows show)."""
        con = sqlite3.connect(db)
        try:
            integrity = con.execute("PRAGMA integrity_check").fetchall()
            runs = dict(con.execute(
                "SELECT r.id, count(w.pos) FROM runs r LEFT JOIN rows w"
                " ON w.run_id = r.id GROUP BY r.id").fetchall())
            orphans = con.execute(
                "SELECT count(*) FROM rows WHERE run_id NOT IN"
                " (SELECT id FROM runs)").fetchone()[0]
        finally:
            con.close()
        return integrity, runs, orphans

    def test_kill_at_any_moment_leaves_no_partial_run(self):
        self.assertTrue(BIN, "ctest sets FORKMAP_BIN")
        base_integrity, base_runs, _ = self.store_facts(self.base)
        self.assertEqual(base_integrity, [("ok",)])
        self.assertEqual(list(base_runs.values()), [10])
        killed = 0
        last = None
        for fraction in FRACTIONS:
            with self.subTest(fraction=fraction):
                db = self.sb.path("killed-%s.db" % fraction)
                shutil.copyfile(self.base, db)
                proc = self.census(db, wait=False)
                time.sleep(self.duration * fraction)
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                integrity, runs, orphans = self.store_facts(db)
                self.assertEqual(integrity, [("ok",)])
                self.assertEqual(orphans, 0)
                if runs == base_runs:  # killed before its commit
                    killed += 1
                else:  # the commit came first: the run is all there
                    self.assertEqual(len(runs), 2)
                    self.assertEqual(sorted(runs.values()), [10, FORKS])
                last = db
        # at least half of the kills must have come before the commit
        self.assertGreaterEqual(killed, len(FRACTIONS) // 2,
                                "census too fast to kill (%.2fs)" %
                                self.duration)
        # the next run on a killed store is clean: one more, complete run
        before = len(self.store_facts(last)[1])
        p = self.census(last)
        self.assertEqual(p.returncode, 0, p.stderr)
        integrity, runs, orphans = self.store_facts(last)
        self.assertEqual(integrity, [("ok",)])
        self.assertEqual(len(runs), before + 1)
        self.assertEqual(runs[max(runs)], FORKS)
        h = subprocess.run([BIN, "history", "--db", last],
                           capture_output=True, text=True, env=self.sb.env)
        self.assertEqual(h.returncode, 0, h.stderr)


if __name__ == "__main__":
    unittest.main()
