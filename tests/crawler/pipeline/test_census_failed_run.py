"""A run that could not list its forks is not a census: when the forge
resets the connection in the middle of the forks listing (every retry), the
census exits 11, keeps the run in the store as failed with its error (for
the history), and the latest good run stays the one stale, render and diff
use. Retries are real here (1 + 2 + 4 s of backoff)."""
import json
import sqlite3
import subprocess
import unittest

from fixture import Sandbox
from forkmap_run import forkmap_bin
from ghemu import Emulator, GitNet


class FailedRunTest(unittest.TestCase):
    def run_fm(self, sb, *args):
        return subprocess.run([forkmap_bin()] + list(args), env=sb.env,
                              capture_output=True, text=True, timeout=300)

    def test_reset_mid_listing_keeps_the_last_good_census(self):
        with Sandbox() as sb:
            net = GitNet.one_fork(sb)
            db = sb.path("store.db")
            repo = sb.path("gh.git")
            census = ["census", "-C", repo, "--upstream", "up/proj",
                      "--db", db, "-q"]
            with Emulator(net.doc(), git_root=net.root,
                          git_env=sb.env) as emu:
                good = self.run_fm(sb, *census, "--api", emu.url)
            self.assertEqual(good.returncode, 0, good.stderr)
            doc = net.doc()
            doc["upstream"]["fault"] = {"type": "reset", "paths": ["forks"]}
            with Emulator(doc, git_root=net.root, git_env=sb.env) as emu:
                bad = self.run_fm(sb, *census, "--api", emu.url)
            self.assertEqual(bad.returncode, 11, bad.stderr)
            self.assertIn("cannot list the forks of 'up/proj'", bad.stderr)
            self.assertIn("(after 3 retries)", bad.stderr)

            with sqlite3.connect(db) as con:
                runs = con.execute("SELECT id, error FROM runs ORDER BY id"
                                   ).fetchall()
                self.assertEqual(con.execute(
                    "SELECT count(*) FROM rows WHERE run_id = 2"
                ).fetchone()[0], 0)
            self.assertEqual(len(runs), 2)
            self.assertIsNone(runs[0][1])
            self.assertIn("cannot list the forks", runs[1][1])

            history = self.run_fm(sb, "history", "--db", db)
            self.assertEqual(history.returncode, 0, history.stderr)
            self.assertIn("failed: cannot list the forks", history.stdout)
            stale = self.run_fm(sb, "stale", "--db", db, "--json")
            self.assertEqual(stale.returncode, 0, stale.stderr)
            self.assertEqual(json.loads(stale.stdout)["upstream"],
                             "up/proj")
            render = self.run_fm(sb, "render", "--db", db, "-o",
                                 sb.path("f.dot"))
            self.assertEqual(render.returncode, 0, render.stderr)
            with open(sb.path("f.dot")) as f:
                self.assertIn("acme/proj", f.read())
            # the failed run asked for by id says why it has no census
            p = self.run_fm(sb, "render", "--db", db, "--run", "2", "-o",
                            sb.path("g.svg"))
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("failed", p.stderr)


if __name__ == "__main__":
    unittest.main()
