"""Readers never write: history, stale and render open the census store
read-only. They read a store they cannot write (as another user, in a
directory they cannot write), create nothing when it is missing, and refuse
without touching it a file that is not a forkmap store, a schema version
out of range, or one that needs a migration (which only the census does).
Failed runs show in the history with their error and are never the run a
reader picks by default."""
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest

from fixture import Sandbox

BIN = os.environ.get("FORKMAP_BIN")
SRC = os.environ.get("FORKMAP_SRC") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
SCHEMA_VERSION = 5
HINT = "run 'forkmap census' on it once to migrate"


def snapshot(directory):
    """{name: sha256} of every file in directory (what a reader may not
    change, add or remove)."""
    out = {}
    for name in sorted(os.listdir(directory)):
        with open(os.path.join(directory, name), "rb") as f:
            out[name] = hashlib.sha256(f.read()).hexdigest()
    return out


def execute(db, *statements):
    """Run SQL on db with python's own sqlite3 (not forkmap's code)."""
    con = sqlite3.connect(db)
    try:
        for sql in statements:
            con.execute(sql)
        con.commit()
    finally:
        con.close()


class StoreReadersTest(unittest.TestCase):
    def setUp(self):
        self.assertTrue(BIN, "ctest sets FORKMAP_BIN")
        self.sb = Sandbox()
        self.addCleanup(self.sb.cleanup)
        self.env = dict(self.sb.env)  # with the sanitizer suppressions
        self.up = self.sb.repo("up")
        self.up.commit("one", files={"a.c": "int a;\n"})
        self.up.tag("v1.0.0", annotated=True)
        self.up.checkout("forks/acme", create=True)
        self.up.commit("acme", files={"b.c": "int b;\n"})
        self.up.checkout("master")
        # a directory of its own, reachable by another user (mode 0755)
        self.dir = tempfile.mkdtemp(prefix="fm-readers-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        os.chmod(self.dir, 0o755)

    def run_fm(self, *args, user=None, cwd=None):
        argv = [BIN, *args]
        if user:
            argv = ["runuser", "-u", user, "--"] + argv
        return subprocess.run(argv, capture_output=True, text=True,
                              env=self.env, cwd=cwd or self.dir,
                              timeout=120)

    def census(self, db, *extra):
        return self.run_fm("census", "-C", self.up.path, "--db", db, "-q",
                           *extra)

    def store(self, name="c.db"):
        db = os.path.join(self.dir, name)
        p = self.census(db)
        self.assertEqual(p.returncode, 0, p.stderr)
        return db

    def readers(self, db):
        """history, stale and render on db (render to stdout)."""
        return {
            "history": self.run_fm("history", "--db", db),
            "stale": self.run_fm("stale", "--db", db, "--now",
                                 "2100-01-01", "--json"),
            "render": self.run_fm("render", "--db", db, "--format", "svg",
                                  "-o", "-"),
        }

    def assert_error(self, proc, code, *words):
        self.assertEqual(proc.returncode, code, proc.stderr)
        last = proc.stderr.strip().splitlines()[-1]
        self.assertTrue(last.startswith("error: "), proc.stderr)
        for w in words:
            self.assertIn(w, last)

    @unittest.skipUnless(os.geteuid() == 0 and shutil.which("runuser"),
                         "needs root and runuser (util-linux)")
    def test_unprivileged_reader_of_an_unwritable_directory(self):
        db = self.store()
        os.chmod(db, 0o644)
        before = snapshot(self.dir)
        # no -wal/-shm at rest; the census's lock file stays (the lock is not)
        self.assertEqual(list(before), ["c.db", "c.db.lock"])
        out = tempfile.mkdtemp(prefix="fm-readers-out-")
        self.addCleanup(shutil.rmtree, out, True)
        os.chmod(out, 0o777)
        svg = os.path.join(out, "f.svg")
        h = self.run_fm("history", "--db", db, user="nobody", cwd=out)
        self.assertEqual(h.returncode, 0, h.stderr)
        self.assertEqual(len(h.stdout.strip().splitlines()), 2, h.stdout)
        s = self.run_fm("stale", "--db", db, "--now", "2100-01-01",
                        "--json", user="nobody", cwd=out)
        self.assertEqual(s.returncode, 0, s.stderr)
        self.assertEqual([f["name"] for f in json.loads(s.stdout)["stale"]],
                         ["acme"])
        r = self.run_fm("render", "--db", db, "-o", svg, user="nobody",
                        cwd=out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(svg) as f:
            self.assertIn("acme", f.read())
        self.assertEqual(snapshot(self.dir), before)

    @unittest.skipUnless(os.geteuid() == 0 and shutil.which("runuser"),
                         "needs root and runuser (util-linux)")
    def test_unprivileged_reader_while_a_writer_has_the_store_open(self):
        """A census holding the store open: its -wal and -shm are there,
        not writable by the reader, who still reads the committed runs."""
        db = self.store()
        w = sqlite3.connect(db, isolation_level=None)
        self.addCleanup(w.close)
        w.execute("BEGIN IMMEDIATE")
        w.execute("INSERT INTO blob_lines VALUES ('k', 1)")
        self.assertTrue(os.path.exists(db + "-shm"))
        before = snapshot(self.dir)
        h = self.run_fm("history", "--db", db, user="nobody", cwd="/")
        self.assertEqual(h.returncode, 0, h.stderr)
        self.assertEqual(len(h.stdout.strip().splitlines()), 2, h.stdout)
        self.assertEqual(snapshot(self.dir), before)
        w.execute("COMMIT")

    def test_reader_leaves_no_file_beside_the_store(self):
        db = self.store()
        before = snapshot(self.dir)
        for name, p in self.readers(db).items():
            self.assertEqual(p.returncode, 0, name + ": " + p.stderr)
        self.assertEqual(snapshot(self.dir), before)

    def test_history_of_a_missing_store_creates_nothing(self):
        db = os.path.join(self.dir, "missing.db")
        p = self.run_fm("history", "--db", db)
        self.assert_error(p, 5, "no census store at '%s'" % db,
                          "run forkmap census first")
        self.assertEqual(os.listdir(self.dir), [])

    def assert_foreign_untouched(self, *statements):
        """A file python's sqlite3 made with statements: refused by the
        readers and the census, byte for byte as it was."""
        db = os.path.join(self.dir, "other.db")
        execute(db, *statements)
        before = snapshot(self.dir)
        for name, p in self.readers(db).items():
            self.assert_error(p, 5, "not a forkmap store")
        self.assert_error(self.census(db), 5, "not a forkmap store")
        self.assertEqual(snapshot(self.dir), before)

    def test_foreign_sqlite_file_untouched(self):
        self.assert_foreign_untouched("CREATE TABLE notes (body TEXT)",
                                      "INSERT INTO notes VALUES ('mine')")

    def test_foreign_application_id_untouched(self):
        self.assert_foreign_untouched("CREATE TABLE runs (x)",
                                      "PRAGMA application_id = 7",
                                      "PRAGMA user_version = 3")

    def test_schema_versions_out_of_range_refused_untouched(self):
        db = self.store()
        for version, words in ((-1, "invalid schema version -1"),
                               (SCHEMA_VERSION + 1,
                                "schema version %d is newer" %
                                (SCHEMA_VERSION + 1))):
            execute(db, "PRAGMA user_version = %d" % version)
            before = snapshot(self.dir)
            for name, p in self.readers(db).items():
                self.assert_error(p, 5, words)
            self.assert_error(self.census(db), 5, words)
            self.assertEqual(snapshot(self.dir), before)

    def test_store_needing_migration_refused_by_readers_migrated_by_census(
            self):
        db = self.store()
        execute(db, "ALTER TABLE runs DROP COLUMN error",
                "ALTER TABLE rows DROP COLUMN patches",
                "DROP TABLE patch_files",
                "DROP TABLE row_cache", "DROP TABLE node_cache",
                "PRAGMA application_id = 0", "PRAGMA user_version = 2")
        before = snapshot(self.dir)
        want = ("store '%s' has schema version 2, this forkmap reads %d: %s"
                % (db, SCHEMA_VERSION, HINT))
        for name, p in self.readers(db).items():
            self.assert_error(p, 5, want)
        self.assertEqual(snapshot(self.dir), before)
        p = self.census(db)
        self.assertEqual(p.returncode, 0, p.stderr)
        con = sqlite3.connect(db)
        self.assertEqual(con.execute("PRAGMA user_version").fetchone()[0],
                         SCHEMA_VERSION)
        self.assertEqual(con.execute("SELECT count(*) FROM runs")
                         .fetchone()[0], 2)
        con.close()
        for name, p in self.readers(db).items():
            self.assertEqual(p.returncode, 0, name + ": " + p.stderr)

    def add_failed_run(self, db, error):
        con = sqlite3.connect(db)
        cur = con.execute(
            "INSERT INTO runs (upstream, branch, head, head_tree_lines,"
            " started, finished, requests, not_modified, remaining,"
            " complete, error) VALUES ('up', 'master', '', 0, 1, 2, 0, 0,"
            " -1, 0, ?)", (error,))
        run_id = cur.lastrowid
        con.commit()
        con.close()
        return run_id

    def test_failed_run_in_history_never_the_default(self):
        db = self.store()
        hostile = "cannot list forks: \x1b[31m401\x1b[0m"
        bad = self.add_failed_run(db, hostile)
        h = self.run_fm("history", "--db", db)
        self.assertEqual(h.returncode, 0, h.stderr)
        lines = h.stdout.strip().splitlines()
        self.assertEqual(len(lines), 3, h.stdout)
        self.assertTrue(lines[1].startswith("%-5d" % bad), lines[1])
        self.assertIn("failed: cannot list forks: ", lines[1])
        self.assertNotIn("\x1b", h.stdout)
        self.assertNotIn("failed:", lines[2])
        # stale and render read the good run behind it
        s = self.run_fm("stale", "--db", db, "--now", "2100-01-01",
                        "--json")
        self.assertEqual(s.returncode, 0, s.stderr)
        self.assertEqual([f["name"] for f in json.loads(s.stdout)["stale"]],
                         ["acme"])
        r = self.run_fm("render", "--db", db, "--format", "svg", "-o", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("acme", r.stdout)
        # asked for by id, the failed run says why it failed
        p = self.run_fm("stale", "--db", db, "--run", str(bad))
        self.assert_error(p, 4, "census run %d in '%s' failed: "
                          "cannot list forks: " % (bad, db))
        self.assertNotIn("\x1b", p.stderr)
        p = self.run_fm("render", "--db", db, "--run", "999", "-o", "-")
        self.assert_error(p, 4, "no census run 999 in '%s'" % db)

    def test_only_failed_runs_no_default(self):
        db = self.store()
        execute(db, "DELETE FROM runs")
        self.add_failed_run(db, "timed out")
        p = self.run_fm("stale", "--db", db)
        self.assert_error(p, 4, "no census run in '%s' yet" % db)


if __name__ == "__main__":
    unittest.main()
