"""--deadline bounds a whole census (for cron): a run still waiting on a
slow forge answer when the deadline passes stops within seconds, exits 9
with a message that names the deadline, and leaves the store and the
outputs as they were."""
import os
import sqlite3
import subprocess
import time
import unittest

from fixture import Sandbox
from forkmap_run import forkmap_bin
from ghemu import Emulator, GitNet


class CensusDeadlineTest(unittest.TestCase):
    def test_deadline_stops_a_run_waiting_on_the_forge(self):
        with Sandbox() as sb:
            net = GitNet.one_fork(sb)
            doc = net.doc()
            doc["upstream"]["fault"] = {"type": "slow", "seconds": 60,
                                        "paths": ["forks"]}
            db = sb.path("store.db")
            csv = sb.path("forks.csv")
            with open(csv, "w") as f:
                f.write("previous\n")
            with Emulator(doc, git_root=net.root, git_env=sb.env) as emu:
                start = time.time()
                p = subprocess.run(
                    [forkmap_bin(), "census", "-C", sb.path("gh.git"),
                     "--upstream", "up/proj", "--api", emu.url, "--db", db,
                     "--csv", csv, "--deadline", "3", "-q"],
                    env=sb.env, capture_output=True, text=True, timeout=120)
                took = time.time() - start
            self.assertEqual(p.returncode, 9, p.stderr)
            self.assertIn("stopped at the deadline (3 s)", p.stderr)
            self.assertLess(took, 30, "the slow answer was waited for")
            with open(csv) as f:
                self.assertEqual(f.read(), "previous\n")
            self.assertEqual([n for n in os.listdir(sb.root)
                              if ".tmp-" in n], [])
            if os.path.exists(db):
                with sqlite3.connect(db) as con:
                    self.assertEqual(con.execute(
                        "SELECT count(*) FROM runs").fetchone()[0], 0)
                    self.assertEqual(con.execute(
                        "PRAGMA integrity_check").fetchone()[0], "ok")

    def test_deadline_is_validated_like_every_number(self):
        p = subprocess.run([forkmap_bin(), "census", "--deadline", "0"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--deadline wants a whole number from 1", p.stderr)


if __name__ == "__main__":
    unittest.main()
