"""The progress display (cli/progress.c) over a census of an emulated
network big enough for several reports per step: on a pseudo-terminal a
live line with counts (done/total), percent and ETA in every long phase --
listing, fetching, loading the commit graph, walks, patch ids, line counts
-- in the order the census runs them; off a terminal one time-stamped line
when a phase starts and one timed line per step, not one per report; with
-q nothing at all on stderr. Assertions are on content and order, never on
how long anything took."""
import fcntl
import os
import pty
import re
import struct
import subprocess
import termios
import unittest

from fixture import Sandbox
from forkmap_run import forkmap_bin
from ghemu import Emulator, GitNet

UPSTREAM = 400          # commits of the upstream
BASE = 200              # the forks branch off its 200th commit
FORKS = {"acme": 120, "beta": 90, "gamma": 60}   # commits each fork adds
STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"


def fast_import(repo, ref, parent, commits, prefix, env):
    """`commits` commits on ref (after parent, a commit id or None), each
    changing one of 16 files; returns the ids, oldest first."""
    lines = []
    for i in range(commits):
        body = ("int %s_%d;\n" % (prefix, i)).encode()
        msg = ("%s %d\n" % (prefix, i)).encode()
        lines.append(b"commit %s\nmark :%d\n" % (ref.encode(), i + 1))
        lines.append(b"committer T <t@example.com> %d +0000\n"
                     % (1500000000 + i * 3600))
        lines.append(b"data %d\n%s" % (len(msg), msg))
        if i == 0 and parent:
            lines.append(b"from %s\n" % parent.encode())
        lines.append(b"M 100644 inline %s_%d.c\ndata %d\n%s\n"
                     % (prefix.encode(), i % 16, len(body), body))
    for i in range(commits):
        lines.append(b"get-mark :%d\n" % (i + 1))
    p = subprocess.run(["git", "fast-import", "--quiet", "--force"],
                       input=b"".join(lines), cwd=repo.path, env=env,
                       capture_output=True, check=True)
    return p.stdout.decode().split()


def segments(raw):
    """The lines a terminal showed: each redraw starts with \\r ESC[K."""
    text = raw.decode("utf-8", "replace")
    return [s for s in re.split(r"\r\x1b\[K|\r?\n", text) if s]


class ProgressTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox()
        net = GitNet(cls.sb)
        env = cls.sb.env
        ups = fast_import(net.up, "refs/heads/master", None, UPSTREAM, "up",
                          env)
        net.up.git("reset", "-q", "--hard", "master")
        net.up.tag("v1.0.0", target=ups[BASE - 50], annotated=True)
        net.up.tag("v1.1.0", target=ups[BASE + 50], annotated=True)
        for i, (name, n) in enumerate(sorted(FORKS.items())):
            w = net.fork(name, stars=10 - i)
            fast_import(w, "refs/heads/master", ups[BASE - 1], n, name, env)
            w.git("reset", "-q", "--hard", "master")
        net.publish()
        cls.net = net
        cls.emu = Emulator(net.doc(), git_root=net.root, git_env=env)
        cls.emu.__enter__()
        cls.runs = 0

    @classmethod
    def tearDownClass(cls):
        cls.emu.__exit__(None, None, None)
        cls.sb.cleanup()

    def argv(self, *extra, db=None):
        """A census from scratch (a new clone) so that every phase runs."""
        type(self).runs += 1
        return [forkmap_bin(), "census", "-C",
                self.sb.path("gh-%d.git" % self.runs), "--upstream",
                "up/proj", "--api", self.emu.url, "--threads", "2"] + \
            (["--db", db] if db else ["--no-db"]) + list(extra)

    def on_terminal(self, *extra, cols=200):
        """stderr on a pseudo-terminal of cols columns; stdout a pipe."""
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ,
                    struct.pack("HHHH", 24, cols, 0, 0))
        p = subprocess.Popen(self.argv(*extra), env=self.sb.env,
                             cwd=self.sb.root, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        raw = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the other end is closed
                break
            if not chunk:
                break
            raw += chunk
        os.close(master)
        out = p.stdout.read()
        p.stdout.close()
        self.assertEqual(p.wait(timeout=120), 0, raw)
        return raw, out

    def counts(self, lines, pattern):
        """(done, total) of every line matching pattern, in order."""
        got = []
        for line in lines:
            m = re.search(pattern, line)
            if m:
                got.append((int(m.group(1)), int(m.group(2))))
        return got

    def assert_steps(self, got, what):
        """One step's reports: from 0, growing, ending with all done."""
        self.assertGreaterEqual(len(got), 3, what)
        total = got[0][1]
        self.assertGreater(total, 0, what)
        self.assertEqual(got[0][0], 0, what)
        self.assertEqual(got[-1], (total, total), what)
        for (a, _), (b, t) in zip(got, got[1:]):
            self.assertEqual(t, total, what)
            self.assertGreater(b, a, what)

    def test_terminal_shows_counts_and_eta_in_every_phase(self):
        raw, _ = self.on_terminal()
        lines = segments(raw)
        text = "\n".join(lines)
        # listing: the top N of the upstream's forks
        self.assertIn("listing: %d/%d forks" % (len(FORKS), len(FORKS)),
                      text)
        fetched = self.counts(lines, r"^fetching: (\d+)/(\d+) forks")
        self.assertEqual(fetched[0], (0, len(FORKS)))
        self.assertEqual(fetched[-1], (len(FORKS), len(FORKS)))
        self.assertEqual(len(fetched), len(FORKS) + 1)
        # every commit of the network, once
        total = UPSTREAM + sum(FORKS.values())
        self.assertIn("measuring: loading %d commits" % total, text)
        walks = self.counts(lines, r"walking history (\d+)/(\d+) forks")
        self.assertEqual(walks[-1], (len(FORKS), len(FORKS)))
        # both sides of every fork: its own commits and upstream's since
        ids = self.counts(lines, r"header ids (\d+)/(\d+) commits")
        self.assert_steps(ids, "header ids")
        self.assertEqual(ids[0][1], sum(FORKS.values()) + UPSTREAM - BASE)
        diffs = self.counts(lines, r"line counts (\d+)/(\d+) diffs")
        self.assert_steps(diffs, "line counts")
        # the forks, the release node v1.1.0 and the upstream tip
        self.assertEqual(diffs[0][1], len(FORKS) + 2)
        # a step under way says how far and how long is left
        under_way = [l for l in lines
                     if re.search(r"header ids (\d+)/\d+ commits \(", l)
                     and not l.startswith("measuring: header ids 0/")]
        self.assertTrue(under_way, text)
        for line in under_way:
            m = re.search(r"header ids (\d+)/(\d+) commits "
                          r"\((\d+)%, ETA \d+:\d\d\)", line)
            self.assertTrue(m, line)
            self.assertEqual(int(m.group(3)),
                             100 * int(m.group(1)) // int(m.group(2)))
        # in the order the census runs them
        order = ["listing:", "fetching:", "measuring: loading",
                 "walking history", "header ids", "line counts"]
        firsts = [next(i for i, l in enumerate(lines) if w in l)
                  for w in order]
        self.assertEqual(firsts, sorted(firsts), text)
        # the live line is taken back before the table
        self.assertTrue(raw.endswith(b"\r\x1b[K")
                        or b"\r\x1b[Kforkmap: " in raw, raw[-300:])

    def test_live_line_fits_a_narrow_terminal(self):
        raw, _ = self.on_terminal(cols=40)
        for line in segments(raw):
            if line.startswith(("listing", "fetching", "measuring")):
                self.assertLessEqual(len(line), 39, line)

    def test_off_a_terminal_lines_are_stamped_and_one_per_step(self):
        p = subprocess.run(self.argv(), env=self.sb.env, cwd=self.sb.root,
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        progress = [l for l in p.stderr.splitlines()
                    if re.match(STAMP + " forkmap: ", l)]
        for line in p.stderr.splitlines():
            # the summary lines are not progress; nothing is redrawn
            self.assertNotIn("\r", line)
            self.assertNotIn("\x1b", line)
        steps = [re.sub("^" + STAMP + " forkmap: ", "", l)
                 for l in progress]
        # a step's line comes once, when it ends, with its time
        for what in ("header ids", "line counts", "walking history",
                     "measuring: loading "):
            done = [s for s in steps if what in s]
            self.assertEqual(len(done), 1, steps)
            self.assertRegex(done[0], r" in \d+\.\d s$")
        self.assertIn("measuring: header ids %d/%d commits" %
                      ((sum(FORKS.values()) + UPSTREAM - BASE,) * 2),
                      "\n".join(steps))
        # no flood: a few lines per phase, not one per report
        self.assertLessEqual(len(progress), 16, steps)
        starts = [s for s in steps if not re.search(r" in \d", s)]
        # the upstream is read, cloned (the first census), its forks
        # listed and fetched, then measured
        self.assertEqual([s.split(":")[0] for s in starts],
                         ["listing", "fetching", "listing", "fetching",
                          "measuring"], steps)

    def test_patch_id_cache_reads_and_writes_are_counted(self):
        db = self.sb.path("store-%d.db" % self.runs)
        p = subprocess.run(self.argv(db=db), env=self.sb.env,
                           cwd=self.sb.root, capture_output=True, text=True,
                           timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        n = sum(FORKS.values()) + UPSTREAM - BASE
        steps = [l for l in p.stderr.splitlines() if " in " in l]
        want = ["cached ids %d/%d commits" % (n, n),
                "header ids %d/%d commits" % (n, n),
                "storing ids %d/%d commits" % (n, n)]
        at = [next(i for i, l in enumerate(steps) if w in l) for w in want]
        self.assertEqual(at, sorted(at), steps)
        # with a store, the files of each distinct patch are kept for
        # `show`: counted too, after the ids
        files = [l for l in steps if "patch files" in l]
        self.assertEqual(len(files), 1, steps)
        m = re.search(r"patch files (\d+)/(\d+) patches,", files[0])
        self.assertTrue(m, files[0])
        self.assertEqual(m.group(1), m.group(2))
        self.assertGreater(int(m.group(1)), 0)
        self.assertGreater(steps.index(files[0]), at[-1], steps)

    def test_quiet_prints_nothing_on_stderr(self):
        # a token: without one a warning says so, and warnings pass -q
        self.sb.env["GITHUB_TOKEN"] = "test-token"
        self.addCleanup(self.sb.env.pop, "GITHUB_TOKEN")
        raw, out = self.on_terminal("-q")
        self.assertEqual(raw, b"")
        self.assertEqual(out, b"")
        p = subprocess.run(self.argv("-q"), env=self.sb.env,
                           cwd=self.sb.root, capture_output=True,
                           timeout=120)
        self.assertEqual((p.returncode, p.stderr), (0, b""))


if __name__ == "__main__":
    unittest.main()
