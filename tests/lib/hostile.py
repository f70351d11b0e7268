"""A hostile forge API for forkmap's tests (python3 standard library,
127.0.0.1 only): a small GitHub (one upstream and its forks, Link
pagination) that answers one chosen request the way a broken or malicious
server would, on the wire::

    from hostile import Hostile

    with Hostile(forks=forks, fault={"type": "trickle", "on": "forks"}) as h:
        run_driver(h.url, "up/proj", "--emu-clock", ...)
        h.log()              # [{"path", "host", "auth", "fault"}, ...]

The real GitHub emulator (ghemu.py) is faithful to what GitHub does; this
server is the opposite: it does what GitHub never does. It speaks HTTP/1.1
over raw sockets (one answer per connection, "Connection: close"), so it
can reset, go silent, trickle and lie about lengths.

Served: GET /repos/up/proj and /repositories/1 (the repository),
/repos/up/proj/forks and /repositories/1/forks (`page_size` forks a page,
most starred first, Link rel="next" as absolute /repositories/1 URLs), and
the virtual clock of ghemu's admin API (GET /_emu/time, POST
/_emu/advance?seconds=N) so that forkmap-github-driver --emu-clock never
sleeps through a wait.

A fault is {"type": T, "on": WHERE, "times": N, ...}: WHERE is "repo",
"forks" (every page) or "forks:P" (page P only); N how many matching
requests get it (default: all). Types:

    reset-at-once         TCP reset before any byte of the answer
    reset-after-headers   the headers, then a reset before the body
    reset-mid-body        the headers and half the body, then a reset
    silent-after-headers  the headers, then nothing (until the client goes)
    trickle               the body one byte every `interval` s (0.2)
    huge-length           Content-Length of 10 GB, then zeros
    huge-chunked          an endless chunked body
    gzip-bomb             Content-Encoding: gzip, `mb` (100) MB of JSON
                          white space from about 100 KB on the wire
    header-flood          header lines without end
    redirect-loop         302 to the URL asked
    redirect-chain        302 to a new URL every time (?hop=N)
    redirect              `status` (301) to `to` ({port}: this server's
                          port, {other}: another port of 127.0.0.1)
    link                  the Link rel="next" is `to` (same placeholders;
                          {page1}: the first page's URL)
    answer                `status` (200) with extra `headers` and, if
                          given, `body` (str) instead of the real one

Each logged request: path, host, auth (an Authorization header came; the
token itself is never logged), fault (the type applied, or None).
"""

import gzip
import json
import socket
import struct
import threading
import time
import urllib.parse
import zlib

__all__ = ["Hostile", "TYPES"]

UPSTREAM_ID = 1


def _fork_obj(f, clone_base):
    owner, repo = f["name"].split("/")
    return {"id": f.get("id", 1000 + zlib.crc32(f["name"].encode()) % 10**6),
            "full_name": f["name"],
            "clone_url": "%s/%s/%s.git" % (clone_base, owner, repo),
            "default_branch": f.get("branch", "master"),
            "stargazers_count": f.get("stars", 0),
            "forks_count": 0,
            "pushed_at": "2024-01-02T03:04:05Z",
            "created_at": "2023-01-02T03:04:05Z"}


class Hostile:
    def __init__(self, forks=None, fault=None, page_size=2,
                 clone_base="git://127.0.0.1:9", upstream="up/proj",
                 lifetime=120.0):
        self.forks = list(forks or [])
        self.fault = dict(fault) if fault else None
        if self.fault and self.fault.get("type") not in TYPES:
            raise ValueError("unknown fault %r" % self.fault.get("type"))
        self.page_size = page_size
        self.clone_base = clone_base
        self.upstream = upstream
        self.lifetime = lifetime
        self.now = int(time.time())
        self._lock = threading.Lock()
        self._log = []
        self._hits = 0
        self._stop = threading.Event()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        # a second listener: "another port" that must never be asked
        self._other = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._other.bind(("127.0.0.1", 0))
        self._other.listen(8)
        self.other_port = self._other.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._bomb = None
        self.other_asked = None  # after the with block: was it connected?
        if self.fault and self.fault["type"] == "gzip-bomb":
            # made before serving: compressing takes a while, and a client
            # with a short timeout must not see that as a silent server
            self._gzip_bomb(int(self.fault.get("mb", 100)))

    # -- lifecycle ---------------------------------------------------------

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(10)
        self.other_asked = self.other_port_asked()
        self._sock.close()
        self._other.close()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def log(self):
        with self._lock:
            return [dict(e) for e in self._log]

    def other_port_asked(self):
        """1 when anyone connected to the other port."""
        self._other.settimeout(0)
        try:
            c, _ = self._other.accept()
            c.close()
            return True
        except (BlockingIOError, socket.timeout, OSError):
            return False

    def expand(self, s):
        return s.format(port=self.port, other=self.other_port,
                        page1="%s/repositories/%d/forks?per_page=100&page=1"
                        % (self.url, UPSTREAM_ID))

    # -- the server --------------------------------------------------------

    def _serve(self):
        end = time.monotonic() + self.lifetime
        while not self._stop.is_set() and time.monotonic() < end:
            try:
                c, _ = self._sock.accept()
            except (socket.timeout, OSError):
                continue
            threading.Thread(target=self._handle, args=(c,),
                             daemon=True).start()

    def _read_request(self, c):
        c.settimeout(10)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = c.recv(65536)
            if not chunk:
                return None
            data += chunk
            if len(data) > 1 << 20:
                return None
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        lines = head.split("\r\n")
        method, target, _ = (lines[0].split(" ") + ["", ""])[:3]
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        return method, target, headers

    def _handle(self, c):
        try:
            req = self._read_request(c)
            if req:
                self._answer(c, *req)
        except OSError:
            pass
        finally:
            try:
                c.close()
            except OSError:
                pass

    # -- answers -----------------------------------------------------------

    def _send(self, c, status, headers, body=b""):
        reason = {200: "OK", 301: "Moved Permanently", 302: "Found",
                  403: "Forbidden", 404: "Not Found", 429: "Too Many "
                  "Requests"}.get(status, "Whatever")
        out = ["HTTP/1.1 %d %s" % (status, reason),
               "Connection: close"]
        if not any(k.lower() == "content-length" for k, _ in headers):
            headers = headers + [("Content-Length", str(len(body)))]
        out += ["%s: %s" % kv for kv in headers]
        c.sendall(("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + body)

    @staticmethod
    def _reset(c):
        # linger 0: close() sends RST, not FIN
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                     struct.pack("ii", 1, 0))
        c.close()

    def _hold(self, c, seconds=60.0):
        """Say nothing until the client hangs up (bounded)."""
        c.settimeout(0.2)
        end = time.monotonic() + seconds
        while time.monotonic() < end and not self._stop.is_set():
            try:
                if not c.recv(4096):
                    return
            except socket.timeout:
                continue
            except OSError:
                return

    def _admin(self, c, method, url):
        q = urllib.parse.parse_qs(url.query)
        if url.path == "/_emu/advance" and method == "POST":
            with self._lock:
                self.now += int(q.get("seconds", ["0"])[0])
        body = json.dumps({"now": self.now}).encode()
        self._send(c, 200, [("Content-Type", "application/json")], body)

    def _route(self, path, query):
        """(kind, page) of an API path; kind None: not found."""
        up = "/repos/%s" % self.upstream
        p = dict(urllib.parse.parse_qsl(query)).get("page", "1")
        page = int(p) if p.isdigit() else 1
        if path in (up, "/repositories/%d" % UPSTREAM_ID):
            return "repo", page
        if path in (up + "/forks", "/repositories/%d/forks" % UPSTREAM_ID):
            return "forks", page
        return None, page

    def _real(self, kind, page):
        """The honest answer: (status, headers, body bytes)."""
        hdrs = [("Content-Type", "application/json; charset=utf-8"),
                ("X-RateLimit-Limit", "5000"),
                ("X-RateLimit-Remaining", "4999"),
                ("X-RateLimit-Reset", str(self.now + 3600)),
                ("X-RateLimit-Resource", "core")]
        if kind == "repo":
            owner, repo = self.upstream.split("/")
            obj = {"id": UPSTREAM_ID, "full_name": self.upstream,
                   "clone_url": "%s/%s/%s.git" % (self.clone_base, owner,
                                                  repo),
                   "default_branch": "master", "stargazers_count": 10,
                   "forks_count": len(self.forks)}
            return 200, hdrs, json.dumps(obj).encode(), None
        forks = sorted(self.forks, key=lambda f: -f.get("stars", 0))
        n = self.page_size
        chunk = forks[(page - 1) * n:page * n]
        nxt = None
        if page * n < len(forks):
            nxt = "%s/repositories/%d/forks?per_page=100&page=%d" % (
                self.url, UPSTREAM_ID, page + 1)
        body = json.dumps([_fork_obj(f, self.clone_base)
                           for f in chunk]).encode()
        return 200, hdrs, body, nxt

    def _matches(self, kind, page):
        f = self.fault
        if not f:
            return False
        on = f.get("on", "forks")
        if on == kind or on == "%s:%d" % (kind, page):
            with self._lock:
                self._hits += 1
                return f.get("times") is None or self._hits <= f["times"]
        return False

    def _answer(self, c, method, target, headers):
        url = urllib.parse.urlsplit(target)
        if url.path.startswith("/_emu/"):
            self._admin(c, method, url)
            return
        kind, page = self._route(url.path, url.query)
        fault = self._matches(kind, page) and self.fault or None
        with self._lock:
            self._log.append({"path": target, "host": headers.get("host"),
                              "auth": "authorization" in headers,
                              "fault": fault["type"] if fault else None})
        if kind is None:
            self._send(c, 404, [("Content-Type", "application/json")],
                       b'{"message":"Not Found"}')
            return
        status, hdrs, body, nxt = self._real(kind, page)
        t = fault["type"] if fault else None
        if t == "link":
            nxt = self.expand(fault["to"])
        if nxt:
            hdrs.append(("Link", '<%s>; rel="next"' % nxt))
        if t is None or t == "link":
            self._send(c, status, hdrs, body)
        elif t == "answer":
            if "body" in fault:
                body = fault["body"].encode("latin-1")
            self._send(c, fault.get("status", 200),
                       hdrs + list(fault.get("headers", {}).items()), body)
        elif t == "reset-at-once":
            self._reset(c)
        elif t in ("reset-after-headers", "reset-mid-body",
                   "silent-after-headers", "trickle"):
            head = self._head(status, hdrs, len(body))
            c.sendall(head)
            if t == "reset-mid-body":
                c.sendall(body[:len(body) // 2])
            if t.startswith("reset"):
                time.sleep(0.05)
                self._reset(c)
            elif t == "silent-after-headers":
                self._hold(c)
            else:
                self._trickle(c, body, float(fault.get("interval", 0.2)))
        elif t == "huge-length":
            c.sendall(self._head(status, hdrs, 10 << 30))
            self._stream(c, b"\0" * 65536)
        elif t == "huge-chunked":
            c.sendall(self._head(status, hdrs, None,
                                 [("Transfer-Encoding", "chunked")]))
            block = b" " * 65536
            c.sendall(b"1\r\n[\r\n")
            self._stream(c, b"%x\r\n%s\r\n" % (len(block), block))
        elif t == "gzip-bomb":
            bomb = self._gzip_bomb(int(fault.get("mb", 100)))
            c.sendall(self._head(status, hdrs, len(bomb),
                                 [("Content-Encoding", "gzip")]))
            self._send_all(c, bomb)
        elif t == "header-flood":
            c.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n")
            self._stream(c, b"X-Pad: " + b"a" * 1000 + b"\r\n")
        elif t == "redirect-loop":
            self._send(c, 302, [("Location", target)])
        elif t == "redirect-chain":
            hop = int(dict(urllib.parse.parse_qsl(url.query)).get("hop", 0))
            q = [(k, v) for k, v in urllib.parse.parse_qsl(url.query)
                 if k != "hop"] + [("hop", str(hop + 1))]
            self._send(c, 302, [("Location", "%s?%s" % (
                url.path, urllib.parse.urlencode(q)))])
        elif t == "redirect":
            self._send(c, fault.get("status", 301),
                       [("Location", self.expand(fault["to"]))])
        else:
            raise ValueError("unknown fault %r" % t)

    @staticmethod
    def _head(status, hdrs, length, extra=()):
        lines = ["HTTP/1.1 %d OK" % status, "Connection: close"]
        lines += ["%s: %s" % kv for kv in list(hdrs) + list(extra)]
        if length is not None:
            lines.append("Content-Length: %d" % length)
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _send_all(self, c, data):
        try:
            c.sendall(data)
        except OSError:
            pass
        self._hold(c, 10)

    def _stream(self, c, block, limit=1 << 30):
        """block after block until the client hangs up (or limit bytes)."""
        sent = 0
        try:
            while sent < limit and not self._stop.is_set():
                c.sendall(block)
                sent += len(block)
        except OSError:
            pass

    def _trickle(self, c, body, interval):
        try:
            for i in range(len(body)):
                if self._stop.is_set():
                    return
                c.sendall(body[i:i + 1])
                time.sleep(interval)
        except OSError:
            pass

    def _gzip_bomb(self, mb):
        if self._bomb is None:
            raw = b"[" + b" " * (mb << 20) + b"]"
            self._bomb = gzip.compress(raw, 9)
        return self._bomb


TYPES = ("reset-at-once", "reset-after-headers", "reset-mid-body",
         "silent-after-headers", "trickle", "huge-length", "huge-chunked",
         "gzip-bomb", "header-flood", "redirect-loop", "redirect-chain",
         "redirect", "link", "answer")
