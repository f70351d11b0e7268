"""An interrupted census leaves the store consistent (README, exit code 9):
SIGINT while forkmap waits on a slow GitHub answer stops it within
seconds, without waiting for the answer, and the store keeps exactly the
runs it had, intact."""
import os
import signal
import sqlite3
import subprocess
import time
import unittest

from fixture import Sandbox
from forkmap_run import forkmap_bin
from ghemu import Emulator, GitNet


class InterruptTest(unittest.TestCase):
    def test_sigint_during_a_slow_request(self):
        with Sandbox() as sb:
            net = GitNet(sb)
            net.up.write("a.c", "int a;\n")
            net.up.commit("one")
            w = net.fork("acme", stars=3)
            w.write("b.c", "int b;\n")
            w.commit("acme: b")
            net.publish()
            doc = net.doc()
            doc["upstream"]["fault"] = {"type": "slow", "seconds": 60,
                                        "paths": ["forks"]}
            db = sb.path("store.db")
            # A finished run first: it must survive the interrupted one.
            local = sb.clone(net.up, "local")
            local.git("branch", "forks/x", "HEAD")
            local.git("commit", "-q", "--allow-empty", "-m", "x")
            local.git("branch", "-f", "forks/x", "HEAD")
            local.git("reset", "-q", "--hard", "HEAD~1")
            ok = subprocess.run([forkmap_bin(), "census", "-C", local.path,
                                 "--no-github", "--db", db, "-q"],
                                env=sb.env, capture_output=True, text=True)
            self.assertEqual(ok.returncode, 0, ok.stderr)
            with Emulator(doc, git_root=net.root, git_env=sb.env) as emu:
                proc = subprocess.Popen(
                    [forkmap_bin(), "census", "-C", sb.path("gh.git"),
                     "--upstream", "up/proj", "--api", emu.url, "--db", db],
                    env=sb.env, stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE, text=True)
                # The upstream is fetched first (its progress line says
                # "fetching"); the next request is the slow forks list.
                seen = []
                deadline = time.time() + 60
                while time.time() < deadline:
                    line = proc.stderr.readline()
                    if not line:
                        break
                    seen.append(line)
                    if line.startswith("forkmap: fetching"):
                        break
                self.assertTrue(seen and "fetching" in seen[-1],
                                "".join(seen))
                time.sleep(1.5)
                t0 = time.time()
                proc.send_signal(signal.SIGINT)
                out, err = proc.communicate(timeout=30)
                err = "".join(seen) + err
                took = time.time() - t0
            self.assertEqual(proc.returncode, 9, err)
            self.assertIn("error: interrupted", err)
            self.assertLess(took, 10, "interrupt waited for the answer")
            con = sqlite3.connect(db)
            self.assertEqual(con.execute("PRAGMA integrity_check")
                             .fetchone()[0], "ok")
            self.assertEqual(con.execute("SELECT COUNT(*) FROM runs")
                             .fetchone()[0], 1)
            self.assertEqual(con.execute("SELECT COUNT(*) FROM rows")
                             .fetchone()[0], 1)
            con.close()


if __name__ == "__main__":
    unittest.main()
