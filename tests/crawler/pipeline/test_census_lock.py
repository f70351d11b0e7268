"""One census at a time per store: a census that finds the store's lock
held is refused at once (exit 12, a message naming the holder), before it
does any work -- no request to the forge, no fetch, no new run -- and the
census holding the lock is not disturbed. The lock is the kernel's
(a POSIX record lock), so a holder that dies leaves nothing stale behind."""
import fcntl
import os
import sqlite3
import subprocess
import unittest

from fixture import Sandbox
from forkmap_run import forkmap_bin
from ghemu import Emulator, GitNet


def runs_in(db):
    with sqlite3.connect(db) as con:
        return con.execute("SELECT count(*) FROM runs").fetchone()[0]


class CensusLockTest(unittest.TestCase):
    def setUp(self):
        self.sb = Sandbox()
        self.sb.__enter__()
        self.up = self.sb.repo("up")
        self.up.write("a.c", "int a;\n")
        self.up.commit("one")
        self.up.branch("forks/acme")
        self.up.git("checkout", "-q", "forks/acme")
        self.up.write("b.c", "int b;\n")
        self.up.commit("acme: b")
        self.up.git("checkout", "-q", "master")
        self.db = self.sb.path("store.db")

    def tearDown(self):
        self.sb.__exit__(None, None, None)

    def census(self, *extra):
        return subprocess.run(
            [forkmap_bin(), "census", "-C", self.up.path, "--no-github",
             "--db", self.db, "-q"] + list(extra),
            env=self.sb.env, capture_output=True, text=True, timeout=120)

    def hold_lock(self, pid_text="4242\n"):
        fd = os.open(self.db + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.ftruncate(fd, 0)
        os.write(fd, pid_text.encode())
        return fd

    def test_second_census_is_refused_before_any_work(self):
        first = self.census()
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertEqual(runs_in(self.db), 1)
        fd = self.hold_lock()
        try:
            p = self.census()
        finally:
            os.close(fd)
        self.assertEqual(p.returncode, 12, p.stderr)
        self.assertIn("another census (pid 4242) is running on the store",
                      p.stderr)
        self.assertIn(self.db, p.stderr)
        self.assertEqual(runs_in(self.db), 1)
        # the lock gone (its holder closed it), the census runs again
        again = self.census()
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(runs_in(self.db), 2)

    def test_refused_census_sends_no_request(self):
        with Sandbox() as sb:
            net = GitNet.one_fork(sb)
            with Emulator(net.doc(), git_root=net.root,
                          git_env=sb.env) as emu:
                fd = self.hold_lock()
                try:
                    p = subprocess.run(
                        [forkmap_bin(), "census", "-C", sb.path("gh.git"),
                         "--upstream", "up/proj", "--api", emu.url,
                         "--db", self.db, "-q"],
                        env=sb.env, capture_output=True, text=True,
                        timeout=120)
                finally:
                    os.close(fd)
                self.assertEqual(p.returncode, 12, p.stderr)
                self.assertEqual(emu.log()["requests"], [])
                self.assertFalse(os.path.exists(sb.path("gh.git")))

    def test_lock_of_a_dead_holder_is_not_stale(self):
        # a holder killed with -9 leaves the file but not the lock
        holder = subprocess.Popen(
            ["python3", "-c",
             "import fcntl,os,sys,time\n"
             "fd=os.open(sys.argv[1],os.O_RDWR|os.O_CREAT)\n"
             "fcntl.lockf(fd,fcntl.LOCK_EX)\n"
             "print('locked',flush=True)\ntime.sleep(60)\n",
             self.db + ".lock"], stdout=subprocess.PIPE, text=True)
        try:
            self.assertEqual(holder.stdout.readline().strip(), "locked")
            self.assertEqual(self.census().returncode, 12)
        finally:
            holder.kill()
            holder.wait()
        p = self.census()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.exists(self.db + ".lock"))

    def test_two_real_censuses_on_one_store(self):
        # the first census hangs on a silent git host while holding the
        # lock; the second is refused at once; the first, stopped, leaves
        # the store as it was and the lock free
        from silent import SilentHost
        import signal
        import time
        self.assertEqual(self.census().returncode, 0)
        with SilentHost(lifetime=60) as host:
            conf = self.sb.path("silent.conf")
            with open(conf, "w") as f:
                f.write('[fork "hang"]\n\turl = git://127.0.0.1:%d/x.git\n'
                        '\tbranch = master\n' % host.port)
            first = subprocess.Popen(
                [forkmap_bin(), "census", "-C", self.up.path,
                 "--no-github", "--db", self.db, "--config", conf,
                 "--timeout", "60", "-q"], env=self.sb.env,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                end = time.time() + 30
                while host.accepted < 1 and time.time() < end:
                    time.sleep(0.05)
                self.assertEqual(host.accepted, 1, "the fetch never began")
                second = self.census()
                self.assertEqual(second.returncode, 12, second.stderr)
                self.assertIn("another census (pid %d)" % first.pid,
                              second.stderr)
            finally:
                first.send_signal(signal.SIGTERM)
                out, err = first.communicate(timeout=30)
            self.assertEqual(first.returncode, 9, err)
        self.assertEqual(runs_in(self.db), 1)
        again = self.census()
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(runs_in(self.db), 2)

    def test_no_store_takes_no_lock(self):
        fd = self.hold_lock()
        try:
            p = subprocess.run(
                [forkmap_bin(), "census", "-C", self.up.path,
                 "--no-github", "--no-db", "-q"],
                env=self.sb.env, capture_output=True, text=True,
                timeout=120)
        finally:
            os.close(fd)
        self.assertEqual(p.returncode, 0, p.stderr)


if __name__ == "__main__":
    unittest.main()
