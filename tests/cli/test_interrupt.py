"""An interrupted census leaves the store consistent (README, exit code 9):
SIGINT while forkmap waits on a slow GitHub answer stops it within
seconds, without waiting for the answer, and the store keeps exactly the
runs it had, intact.

Git hosts that accept a connection and then say nothing (tests/lib/
silent.py) neither hang a census nor make it deaf to signals: with
--timeout the fetch of that fork fails ("no progress for N s") and the
others are measured; SIGTERM or SIGINT stop it within a second, in the
first clone of an upstream too.
"""
import json
import os
import re
import signal
import sqlite3
import subprocess
import time
import unittest

from fixture import Sandbox
from forkmap_run import forkmap_bin
from ghemu import Emulator, GitNet
from gitd import GitDaemon
from silent import SilentHost

EXIT_INTERRUPTED = 9


def unstamped(line):
    """A progress line without the time stamp it has off a terminal."""
    return re.sub(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ", "", line)


def read_until(proc, prefix, limit=60):
    """stderr lines up to the first that starts with prefix (bounded)."""
    seen = []
    deadline = time.time() + limit
    while time.time() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen.append(line)
        if unstamped(line).startswith(prefix):
            break
    return seen


def leftovers(*dirs):
    """Temporary files of the atomic writer and stray ref locks."""
    found = []
    for top in dirs:
        for d, _, files in os.walk(top):
            found += [os.path.join(d, f) for f in files
                      if ".tmp-" in f or f.endswith(".lock")]
    return found


def signal_once_connected(proc, host, connections, sig):
    """Wait (bounded) until the silent host holds `connections`, then send
    sig; (stderr, seconds from the signal to the exit)."""
    try:
        end = time.time() + 30
        while host.accepted < connections and time.time() < end:
            time.sleep(0.05)
        if host.accepted != connections:
            raise AssertionError("%d connections to the silent host, not %d"
                                 % (host.accepted, connections))
        time.sleep(0.5)
        t0 = time.time()
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
        return err, time.time() - t0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def run_counts(db):
    con = sqlite3.connect(db)
    try:
        return (con.execute("PRAGMA integrity_check").fetchone()[0],
                con.execute("SELECT COUNT(*) FROM runs").fetchone()[0],
                con.execute("SELECT COUNT(*) FROM rows").fetchone()[0])
    finally:
        con.close()


class SilentGitHost(unittest.TestCase):
    """Configured forks: two good ones from git daemon, one silent."""

    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox()
        sb = cls.sb
        cls.up = sb.repo("up")
        cls.up.write("a.c", "int a;\n")
        cls.up.commit("one")
        for name in ("good", "also"):
            w = sb.clone(cls.up, name + "-work")
            w.write(name + ".c", "int %s;\n" % name)
            w.commit("%s: own work" % name)
            sb.clone(w, os.path.join("net", name + ".git"), bare=True)

    @classmethod
    def tearDownClass(cls):
        cls.sb.cleanup()

    def config(self, gd, host, scheme="git"):
        path = self.sb.path("forks-%s.conf" % scheme)
        with open(path, "w") as f:
            for name in ("good", "also"):
                f.write('[fork "%s"]\n\turl = %s\n\tbranch = master\n'
                        % (name, gd.url(name + ".git")))
            f.write('[fork "x"]\n\turl = %s\n\tbranch = master\n'
                    % host.url(scheme))
        return path

    def census(self, conf, *args, popen=False):
        argv = [forkmap_bin(), "census", "-C", self.up.path, "--no-github",
                "--config", conf] + list(args)
        if popen:
            return subprocess.Popen(argv, env=self.sb.env, cwd=self.sb.root,
                                    stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
        return subprocess.run(argv, env=self.sb.env, cwd=self.sb.root,
                              capture_output=True, text=True, timeout=120)

    def test_timeout_makes_an_error_row_and_the_others_are_measured(self):
        for scheme in ("git", "http", "https"):
            with self.subTest(scheme=scheme), \
                    GitDaemon(self.sb.path("net"), env=self.sb.env) as gd, \
                    SilentHost(lifetime=60) as host:
                conf = self.config(gd, host, scheme)
                t0 = time.time()
                res = self.census(conf, "--no-db", "--json", "-",
                                  "--timeout", "2")
                took = time.time() - t0
                self.assertEqual(res.returncode, 1, res.stderr)
                self.assertLess(took, 60)
                self.assertGreaterEqual(host.accepted, 1)
                rows = {r["name"]: r for r in json.loads(res.stdout)["forks"]}
                self.assertEqual(
                    rows["x"]["error"],
                    "cannot fetch '%s' branch 'master': no progress for 2 s"
                    % host.url(scheme))
                for name in ("good", "also"):
                    self.assertIsNone(rows[name]["error"], name)
                    self.assertEqual(rows[name]["ahead"], 1, name)

    def interrupt(self, sig):
        with GitDaemon(self.sb.path("net"), env=self.sb.env) as gd, \
                SilentHost(lifetime=60) as host:
            conf = self.config(gd, host)
            db = self.sb.path("store-%d.db" % sig)
            out = self.sb.path("out-%d" % sig)
            os.makedirs(out)
            ok = self.census(conf, "--db", db, "--timeout", "2", "-q",
                             "--json", os.path.join(out, "first.json"))
            self.assertEqual(ok.returncode, 1, ok.stderr)
            before = run_counts(db)
            proc = self.census(conf, "--db", db, "--timeout", "600",
                               "--json", os.path.join(out, "census.json"),
                               popen=True)
            seen = read_until(proc, "forkmap: fetching")
            # the first run left one connection; this one makes the second
            err, took = signal_once_connected(proc, host, 2, sig)
        self.assertEqual(proc.returncode, EXIT_INTERRUPTED,
                         "".join(seen) + err)
        self.assertIn("error: interrupted", err)
        self.assertLess(took, 5, "the signal waited for the silent host")
        self.assertEqual(run_counts(db), before)
        self.assertEqual(sorted(os.listdir(out)), ["first.json"])
        self.assertEqual(leftovers(out, os.path.join(self.up.git_dir,
                                                     "refs")), [])

    def test_sigterm_stops_a_fetch_from_a_silent_host(self):
        self.interrupt(signal.SIGTERM)

    def test_sigint_stops_a_fetch_from_a_silent_host(self):
        self.interrupt(signal.SIGINT)

    def test_deadline_stops_a_fetch_from_a_silent_host(self):
        with GitDaemon(self.sb.path("net"), env=self.sb.env) as gd, \
                SilentHost(lifetime=60) as host:
            conf = self.config(gd, host)
            t0 = time.time()
            res = self.census(conf, "--no-db", "--json", "-", "--timeout",
                              "600", "--deadline", "3")
            took = time.time() - t0
        self.assertEqual(res.returncode, EXIT_INTERRUPTED, res.stderr)
        self.assertIn("deadline", res.stderr)
        self.assertGreaterEqual(host.accepted, 1)
        self.assertLess(took, 30)


class SilentFirstClone(unittest.TestCase):
    """--upstream with no local clone yet: the upstream's clone_url (from
    the emulator) points at a silent host."""

    def census(self, sb, emu, *args):
        return [forkmap_bin(), "census", "-C", sb.path("new.git"),
                "--upstream", "up/proj", "--api", emu.url,
                "--no-db"] + list(args)

    def emulator(self, host):
        return Emulator({"upstream": {"owner": "up", "repo": "proj",
                                      "clone_url": host.url(
                                          "git", "up/proj.git")},
                         "forks": []})

    def test_timeout_stops_the_first_clone(self):
        with Sandbox() as sb, SilentHost(lifetime=60) as host, \
                self.emulator(host) as emu:
            t0 = time.time()
            res = subprocess.run(self.census(sb, emu, "--timeout", "2"),
                                 env=sb.env, cwd=sb.root,
                                 capture_output=True, text=True, timeout=120)
            took = time.time() - t0
            self.assertNotIn(res.returncode, (0, 1, EXIT_INTERRUPTED),
                             res.stderr)
            self.assertIn("cannot fetch '%s' branch 'master': no progress "
                          "for 2 s" % host.url("git", "up/proj.git"),
                          res.stderr)
            self.assertLess(took, 60)
            self.assertGreaterEqual(host.accepted, 1)
            # the half-made clone is gone: the next run starts afresh
            self.assertFalse(os.path.exists(sb.path("new.git")))

    def test_sigterm_stops_the_first_clone(self):
        with Sandbox() as sb, SilentHost(lifetime=60) as host, \
                self.emulator(host) as emu:
            proc = subprocess.Popen(
                self.census(sb, emu, "--timeout", "600"), env=sb.env,
                cwd=sb.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                text=True)
            err, took = signal_once_connected(proc, host, 1, signal.SIGTERM)
            self.assertEqual(proc.returncode, EXIT_INTERRUPTED, err)
            self.assertLess(took, 5, "the signal waited for the silent host")
            self.assertEqual(leftovers(sb.path("new.git")), [])
            self.assertFalse(os.path.exists(sb.path("new.git")))


class InterruptTest(unittest.TestCase):
    def test_sigint_during_a_slow_request(self):
        with Sandbox() as sb:
            net = GitNet.one_fork(sb)
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
                    if unstamped(line).startswith("forkmap: fetching"):
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
