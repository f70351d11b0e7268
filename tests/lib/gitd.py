"""A real `git daemon` on a free loopback port, for tests that fetch.

Serves every repository under `base` (``--export-all``) as
``git://127.0.0.1:PORT/<path relative to base>``::

    from gitd import GitDaemon

    with GitDaemon("/tmp/net") as gd:
        url = gd.url("acme/proj.git")   # git://127.0.0.1:PORT/acme/proj.git
        ...

The daemon runs in its own process group so that stop() (called on leaving
the `with` block) also ends the per-connection children it forked. Only
the processes this object started are ever signalled.
"""

import os
import signal
import socket
import subprocess
import tempfile
import time

__all__ = ["GitDaemon", "free_port"]


def free_port(host="127.0.0.1"):
    """A TCP port that was free a moment ago (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class GitDaemon:
    """`git daemon --reuseaddr --listen=HOST --port=PORT --base-path=BASE
    --export-all BASE`, started by start() or `with`."""

    def __init__(self, base, host="127.0.0.1", env=None, git="git"):
        self.base = os.path.abspath(base)
        self.host = host
        self.env = env
        self.git = git
        self.port = None
        self.proc = None
        self._err = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    @property
    def base_url(self):
        return "git://%s:%d" % (self.host, self.port)

    def url(self, path):
        """The git:// URL of `path` (relative to base)."""
        return "%s/%s" % (self.base_url, path.lstrip("/"))

    def start(self, attempts=5):
        last = None
        for _ in range(attempts):
            port = free_port(self.host)
            argv = [self.git, "daemon", "--reuseaddr",
                    "--listen=%s" % self.host, "--port=%d" % port,
                    "--base-path=%s" % self.base, "--export-all",
                    "--informative-errors", self.base]
            # stderr to a file: a pipe nobody reads could fill up
            err = tempfile.TemporaryFile()
            proc = subprocess.Popen(argv, env=self.env,
                                    stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=err,
                                    start_new_session=True)
            if self._wait_ready(proc, port):
                self.proc = proc
                self.port = port
                self._err = err
                return self
            last = self._reap(proc, err)
        raise RuntimeError("git daemon did not start: %s" % last)

    def _wait_ready(self, proc, port, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                return False
            try:
                with socket.create_connection((self.host, port), 0.2):
                    return True
            except OSError:
                time.sleep(0.05)
        return False

    @staticmethod
    def _reap(proc, err):
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        err.seek(0)
        text = err.read().decode(errors="replace").strip()
        err.close()
        return text

    def stop(self):
        """End the daemon and its children (its own process group)."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        self._err.close()
