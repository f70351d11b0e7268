"""The part of every forge emulator (ghemu.py GitHub, glemu.py GitLab,
fjemu.py Forgejo) that is not the forge's: starting and stopping the HTTP
server (and a real git daemon on the network's repositories), virtual
time, and the log of requests and events (python3 standard library).

A subclass sets `handler` (its BaseHTTPRequestHandler class), calls
EmuBase.__init__ and keeps what it logs in self.state (an EmuState or a
subclass): lock, offset (seconds added to the clock), seq, requests,
events.
"""
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gitd import GitDaemon  # noqa: E402

__all__ = ["EmuBase", "EmuState", "EmuServer"]


def admin_answer(emu, method, url, payload):
    """The admin endpoints every emulator serves under /_emu/ (the virtual
    clock, the request log, configure()): (HTTP status, JSON body)."""
    q = urllib.parse.parse_qs(url.query)
    try:
        if url.path == "/_emu/time":
            return 200, {"now": emu.now()}
        if url.path == "/_emu/advance" and method == "POST":
            return 200, {"now": emu.advance(int(q.get("seconds",
                                                      ["0"])[0]))}
        if url.path == "/_emu/log":
            return 200, emu.log()
        if url.path == "/_emu/log/clear" and method == "POST":
            emu.clear_log()
            return 200, {}
        if url.path == "/_emu/config" and method == "POST":
            emu.configure(**json.loads(payload or b"{}"))
            return 200, {}
    except (ValueError, KeyError, TypeError) as e:
        return 400, {"message": str(e)}
    return 404, {"message": "no such admin endpoint"}


class EmuState:
    """What an emulator logs, guarded by one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.offset = 0
        self.seq = 0
        self.requests = []
        self.events = []


class EmuServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # clients that hang up (timeouts, truncation tests) are normal here
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class EmuBase:
    """The server; a context manager that starts and stops it (and the
    git daemon when a git root is given without a git URL)."""

    handler = None
    thread_name = "emu"

    def __init__(self, network, state, git_root=None, git_url=None,
                 host="127.0.0.1", port=0, git_env=None, frozen=False):
        self.network = network
        self.state = state
        self.git_root = git_root
        self.git_url = git_url  # another emulator's daemon, or None
        self.host = host
        self.port = port
        self.git_env = git_env
        # frozen: virtual time moves only through advance() (exact waits);
        # otherwise it is real time plus the advances
        self.frozen_at = int(time.time()) if frozen else None
        self.daemon = None
        self.server = None
        self.thread = None

    # -- lifecycle ---------------------------------------------------------

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        try:
            if self.git_root and not self.git_url:
                self.daemon = GitDaemon(self.git_root, env=self.git_env)
                self.daemon.start()
                self.git_url = self.daemon.base_url
            self.server = EmuServer((self.host, self.port), self.handler)
            self.server.emu = self
            self.port = self.server.server_address[1]
            self.thread = threading.Thread(target=self.server.serve_forever,
                                           name=self.thread_name,
                                           daemon=True)
            self.thread.start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        if self.thread is not None:
            self.thread.join(5)
            self.thread = None
        if self.daemon is not None:
            self.daemon.stop()
            self.daemon = None

    @property
    def url(self):
        return "http://%s:%d" % (self.host, self.port)

    # -- time and log (the same as the admin endpoints) ---------------------

    def now(self):
        with self.state.lock:
            return self._now()

    def _now(self):
        base = self.frozen_at if self.frozen_at is not None else \
            int(time.time())
        return base + self.state.offset

    def advance(self, seconds):
        st = self.state
        with st.lock:
            st.offset += int(seconds)
            st.seq += 1
            st.events.append({"seq": st.seq, "kind": "advance",
                              "seconds": int(seconds), "time": self._now()})
            return self._now()

    def log(self):
        with self.state.lock:
            return {"requests": [dict(r) for r in self.state.requests],
                    "events": [dict(e) for e in self.state.events]}

    def clear_log(self):
        with self.state.lock:
            self.state.requests = []
            self.state.events = []

    def git_dir(self, repo):
        if not self.git_root:
            return None
        path = os.path.join(self.git_root, repo.owner, repo.name + ".git")
        return path if os.path.isdir(path) else None
