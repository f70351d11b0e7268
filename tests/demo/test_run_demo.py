"""The README's quick start runs demo/run-demo.sh: the demo census through
the GitHub emulator and a git daemon, a warm rerun, and the figure. This
test runs that script as a user would and checks what it promises."""
import csv
import json
import os
import sqlite3
import subprocess
import tempfile
import unittest

from fixture import sanitizer_env

SRC = os.environ.get("FORKMAP_SRC")
BIN = os.environ.get("FORKMAP_BIN")


class RunDemoTest(unittest.TestCase):
    def test_quickstart_demo(self):
        self.assertTrue(SRC and BIN, "ctest sets FORKMAP_SRC and FORKMAP_BIN")
        with tempfile.TemporaryDirectory() as tmp:
            env = sanitizer_env(dict(os.environ, FORKMAP_DEMO_DIR=tmp,
                                     GITHUB_TOKEN="must-not-leak-anywhere"))
            proc = subprocess.run(
                [os.path.join(SRC, "demo", "run-demo.sh"), BIN], env=env,
                capture_output=True, text=True, timeout=300)
            self.assertEqual(proc.returncode, 0, proc.stderr + proc.stdout)
            out = os.path.join(tmp, "out")
            # The table and where everything went.
            self.assertIn("acme/libwidget", proc.stdout)
            self.assertIn("oldcorp/libwidget", proc.stdout)
            for name in ("forks.csv", "forks.json", "forkmap.db",
                         "forks.svg", "forks.png"):
                self.assertIn(os.path.join(out, name), proc.stdout)
                self.assertGreater(os.path.getsize(os.path.join(out, name)),
                                   0, name)
            doc = json.load(open(os.path.join(out, "forks.json")))
            rows = {f["name"]: f for f in doc["forks"]}
            self.assertEqual(doc["upstream"], "widget/libwidget")
            # The fates the demo was built to show.
            self.assertEqual(rows["merged/libwidget"]["unique"], 0)
            self.assertGreater(rows["oldcorp/libwidget"]["unique"], 0)
            self.assertLess(rows["picks/libwidget"]["unique"],
                            rows["picks/libwidget"]["ahead"])
            self.assertTrue(all(f["source"] == "github" and not f["error"]
                                for f in doc["forks"]))
            with open(os.path.join(out, "forks.csv"), newline="") as f:
                header = next(csv.reader(f))
            self.assertEqual(header[:8], [
                "repo name", "branch", "base tag", "base date",
                "commits ahead", "head date", "lines added", "lines deleted"])
            # Two runs stored; the second was all conditional requests.
            db = sqlite3.connect(os.path.join(out, "forkmap.db"))
            runs = db.execute("SELECT requests, not_modified FROM runs "
                              "ORDER BY id").fetchall()
            db.close()
            self.assertEqual(len(runs), 2)
            self.assertGreater(runs[1][0], 0)
            self.assertEqual(runs[1][0], runs[1][1])
            with open(os.path.join(out, "forks.png"), "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
            # The token never lands in a file.
            for dirpath, _, files in os.walk(tmp):
                for name in files:
                    p = os.path.join(dirpath, name)
                    if os.path.islink(p):
                        continue
                    with open(p, "rb") as f:
                        self.assertNotIn(b"must-not-leak-anywhere", f.read(),
                                         p)


if __name__ == "__main__":
    unittest.main()
