"""A GitHub REST API emulator for forkmap's tests (python3 standard library).

It serves, from a network description, the endpoints a fork census uses,
shaped on recorded GitHub responses (@octokit/fixtures: get-repository,
paginate-issues, rename-repository, errors) and GitHub's documentation:

    GET /repos/{o}/{r}                      the repository object
    GET /repos/{o}/{r}/forks                sort=newest|oldest|stargazers|watchers
    GET /repos/{o}/{r}/branches             per_page, page
    GET /repos/{o}/{r}/compare/{b}...{h}    basic (ahead_by/behind_by/status)
    GET /repositories/{id}[/...]            the same by repository id
    GET /rate_limit                         not counted, like GitHub's

with what makes GitHub hard to crawl:

- Link pagination (``<URL>; rel="next"``): the first page is requested as
  ``/repos/o/r/forks?...`` and every link points at
  ``/repositories/<id>/forks?...&page=N``; the rel values come in a shuffled
  (deterministic) order, and rel="last" is left out when a list has more
  than `omit_last_above` pages;
- primary rate limit: ``x-ratelimit-limit/remaining/reset/used/resource`` on
  every answer; an exhausted window answers 403 with GitHub's exact body
  until the (virtual) clock passes x-ratelimit-reset;
- secondary rate limits: 403 (or 429) with ``retry-after`` (or without);
- weak ETags (``W/"..."``) and Last-Modified; a matching If-None-Match or
  If-Modified-Since answers 304, which is not counted when a token is sent;
- 403 for requests without a User-Agent, 401 for a token it does not know;
- 301 for a renamed repository (to ``/repositories/<id>...``);
- per-repository faults: "404", "451", "409", "500-once", "502",
  "slow", "truncated", "truncated-close", "malformed",
  "redirect-other-host" (a 301 to http://localhost:PORT/..., to check that
  a client does not carry its token to another host); network faults:
  "reset" (the headers and half the body, then a TCP reset), "reset-once"
  (the same the first time a URL is asked, then a normal answer) and
  "silent" (the request is read and never answered: the connection stays
  open until the client hangs up, or `seconds`, 60 by default, pass).
  A fault may name "pages": [2, ...] to hit only those pages of a list
  (the first page is page 1).

Time is virtual: real time (or, with frozen=True, the start time) plus an
offset that tests advance through ``POST /_emu/advance?seconds=N``. Admin endpoints (``/_emu/...``) are never
counted nor logged as API requests:

    GET  /_emu/time            {"now": N}
    POST /_emu/advance?seconds=N
    GET  /_emu/log             {"requests": [...], "events": [...]}
    POST /_emu/log/clear
    POST /_emu/config          JSON: {"faults": {"o/r": FAULT|null},
                                      "rate_limit": {...}, "secondary": {...},
                                      "omit_last_above": N}

Each logged request: seq, time (virtual), method, path (with query), host,
conditional (If-None-Match or If-Modified-Since sent), auth (an
Authorization header was sent; the token itself is never logged), agent,
status, counted. Events (advances) carry seq and time too, so a test can
prove that no request was sent while a client waited.

Network description (JSON)::

    {
      "upstream": {"owner": "up", "repo": "proj", "default_branch": "master",
                   "stars": 1000},
      "forks": [
        {"owner": "acme", "repo": "proj", "stars": 12,
         "default_branch": "main",          # default: the parent's
         "parent": "up/proj",               # default: the upstream
         "forks_count": 3,                  # default: counted from parents
         "pushed_at": "2023-01-02T03:04:05Z",
         "branches": ["main", "wip"],       # when no git repository exists
         "fault": "451",                    # or {"type": "slow", "seconds": 3,
                                            #     "paths": ["branches"]}
         "renamed_from": "acme/oldname"}
      ],
      "rate_limit": {"limit": 5000, "remaining": 5000, "reset_in": 3600,
                     "anon_limit": 60,
                     "exhaust_at": [7]},    # the 7th request finds the
                                            # window used up (403)
      "secondary": {"at": [5], "retry_after": 30, "status": 403},
      "tokens": ["t0k"],                    # valid tokens; [] accepts any
      "omit_last_above": 10
    }

Git repositories live under ``<git-root>/<owner>/<repo>.git``; with a git
root the emulator starts a real `git daemon` on it and every clone_url is
``git://127.0.0.1:<daemonport>/<owner>/<repo>.git``. Branch lists come from
those repositories when they exist.

Use from tests::

    from ghemu import Emulator, Network
    with Emulator(Network(doc), git_root=root, tokens=["t0k"]) as emu:
        emu.url                 # http://127.0.0.1:PORT
        emu.advance(60); emu.log(); emu.configure(faults={...})

or as a program: ``python3 ghemu.py --network NET.json --git-root DIR
--port 0`` prints the URL on the first stdout line and serves until killed.
"""

import argparse
import datetime
import email.utils
import hashlib
import json
import os
import random
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emubase import EmuBase, EmuState, admin_answer  # noqa: E402

__all__ = ["Emulator", "Network", "EmuRepo", "main", "admin",
           "driver_bin", "run_driver", "DriverResult", "publish",
           "GitNet"]

DOC_RATE = ("https://docs.github.com/rest/overview/"
            "resources-in-the-rest-api#rate-limiting")
DOC_SECONDARY = ("https://docs.github.com/free-pro-team@latest/rest/"
                 "overview/rate-limits-for-the-rest-api"
                 "#about-secondary-rate-limits")
DOC_REDIRECT = "https://docs.github.com/v3/#http-redirects"
UA_REQUIRED = (
    "Request forbidden by administrative rules. Please make sure your "
    "request has a User-Agent header (https://docs.github.com/en/rest/"
    "overview/resources-in-the-rest-api#user-agent-required). Check "
    "https://developer.github.com for other possible causes.\n")
EXPOSE = ("ETag, Link, Location, Retry-After, X-GitHub-OTP, "
          "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, "
          "X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, "
          "X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, "
          "X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset")
FAULTS = ("404", "451", "409", "500-once", "502", "slow", "truncated",
          "truncated-close", "malformed", "redirect-other-host", "reset",
          "reset-once", "silent")


def iso(ts):
    return datetime.datetime.fromtimestamp(
        ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(s):
    return int(datetime.datetime.strptime(
        s, "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.timezone.utc).timestamp())


def normalize_fault(fault):
    """A fault as a dict {"type", "seconds", "paths"} (None: no fault)."""
    if fault is None:
        return None
    if isinstance(fault, (str, int)):
        fault = {"type": str(fault)}
    fault = dict(fault)
    if fault.get("type") not in FAULTS:
        raise ValueError("unknown fault %r (known: %s)" %
                         (fault.get("type"), ", ".join(FAULTS)))
    fault.setdefault("seconds", 60 if fault["type"] == "silent" else 3)
    fault.setdefault("paths", None)  # None: every endpoint of the repo
    fault.setdefault("pages", None)  # None: every page
    return fault


class EmuRepo:
    """One repository of the emulated network."""

    def __init__(self, doc, rid, parent=None):
        self.id = int(doc.get("id", rid))
        self.owner = doc["owner"]
        self.name = doc["repo"]
        self.parent = parent
        self.default_branch = doc.get("default_branch") or (
            parent.default_branch if parent else "master")
        self.stars = int(doc.get("stars", 0))
        self.explicit_forks_count = doc.get("forks_count")
        self.children = []
        base = 1600000000 + self.id
        self.created_at = doc.get("created_at") or iso(base)
        self.pushed_at = doc.get("pushed_at") or iso(base + 86400)
        self.updated_at = doc.get("updated_at") or self.pushed_at
        self.branches = doc.get("branches")
        self.fault = normalize_fault(doc.get("fault"))
        self.renamed_from = doc.get("renamed_from")
        self.description = doc.get("description")
        # a clone_url to announce instead of the served one (a hostile or
        # broken server: e.g. file:///etc)
        self.clone_url_override = doc.get("clone_url")
        self.failed_once = set()

    @property
    def full_name(self):
        return "%s/%s" % (self.owner, self.name)

    @property
    def forks_count(self):
        if self.explicit_forks_count is not None:
            return int(self.explicit_forks_count)
        return len(self.children)

    def root(self):
        r = self
        while r.parent:
            r = r.parent
        return r


class Network:
    """The repositories of one fork network, from its JSON description."""

    def __init__(self, doc):
        self.doc = doc
        self.repos = []
        self.by_name = {}
        self.by_id = {}
        self.renamed = {}
        next_id = [100000]

        def add(d, parent):
            r = EmuRepo(d, next_id[0], parent)
            next_id[0] = max(next_id[0], r.id) + 1
            key = r.full_name.lower()
            if key in self.by_name:
                raise ValueError("repository %s listed twice" % r.full_name)
            self.repos.append(r)
            self.by_name[key] = r
            self.by_id[r.id] = r
            if r.renamed_from:
                self.renamed[r.renamed_from.lower()] = r
            return r

        self.upstream = add(doc["upstream"], None)
        pending = list(doc.get("forks", []))
        # parents may come after their children in the file
        while pending:
            progress = False
            rest = []
            for d in pending:
                pname = (d.get("parent") or self.upstream.full_name).lower()
                parent = self.by_name.get(pname)
                if parent is None:
                    rest.append(d)
                    continue
                r = add(d, parent)
                parent.children.append(r)
                progress = True
            if not progress:
                raise ValueError("fork(s) with unknown parent: %s" % ", ".join(
                    "%s/%s" % (d["owner"], d["repo"]) for d in rest))
            pending = rest

    @classmethod
    def load(cls, path):
        with open(path) as f:
            return cls(json.load(f))

    def lookup(self, owner, repo):
        return self.by_name.get(("%s/%s" % (owner, repo)).lower())


class _State(EmuState):
    """Mutable emulator state, guarded by one lock."""

    def __init__(self, doc):
        super().__init__()
        rl = dict(doc.get("rate_limit") or {})
        self.limit = int(rl.get("limit", 5000))
        self.first_remaining = rl.get("remaining")
        self.reset_in = int(rl.get("reset_in", 3600))
        self.anon_limit = int(rl.get("anon_limit", 60))
        self.exhaust_at = list(rl.get("exhaust_at") or [])
        self.windows = {}
        self.secondary = dict(doc.get("secondary") or {})
        self.secondary_until = {}
        self.api_requests = 0
        self.omit_last_above = int(doc.get("omit_last_above", 10))
        self.tokens = list(doc.get("tokens") or [])


class Emulator(EmuBase):
    """The emulator server; a context manager that starts and stops it (and
    the git daemon when a git root is given)."""

    thread_name = "ghemu"

    def __init__(self, network, git_root=None, git_url=None, tokens=None,
                 host="127.0.0.1", port=0, git_env=None, frozen=False):
        if isinstance(network, dict):
            network = Network(network)
        super().__init__(network, _State(network.doc), git_root=git_root,
                         git_url=git_url, host=host, port=port,
                         git_env=git_env, frozen=frozen)
        if tokens is not None:
            self.state.tokens = list(tokens)

    def configure(self, faults=None, rate_limit=None, secondary=None,
                  omit_last_above=None):
        with self.state.lock:
            for name, fault in (faults or {}).items():
                repo = self.network.by_name.get(name.lower())
                if repo is None:
                    raise KeyError(name)
                repo.fault = normalize_fault(fault)
                repo.failed_once = set()
            if rate_limit is not None:
                st = self.state
                st.limit = int(rate_limit.get("limit", st.limit))
                st.anon_limit = int(rate_limit.get("anon_limit",
                                                   st.anon_limit))
                st.reset_in = int(rate_limit.get("reset_in", st.reset_in))
                if "exhaust_at" in rate_limit:
                    st.exhaust_at = list(rate_limit["exhaust_at"] or [])
                    st.api_requests = 0
                if "remaining" in rate_limit:
                    now = self._now()
                    for w in st.windows.values():
                        w["remaining"] = int(rate_limit["remaining"])
                        w["reset"] = now + st.reset_in
                    st.first_remaining = rate_limit["remaining"]
            if secondary is not None:
                self.state.secondary = dict(secondary)
                self.state.api_requests = 0
                self.state.secondary_until = {}
            if omit_last_above is not None:
                self.state.omit_last_above = int(omit_last_above)

    def clone_url(self, repo):
        if repo.clone_url_override:
            return repo.clone_url_override
        if self.git_url:
            return "%s/%s/%s.git" % (self.git_url, repo.owner, repo.name)
        return "https://github.com/%s/%s.git" % (repo.owner, repo.name)

    # -- rate limit windows (call with the lock held) ----------------------

    def _window(self, ident, authenticated):
        st = self.state
        now = self._now()
        w = st.windows.get(ident)
        limit = st.limit if authenticated else st.anon_limit
        if w is None:
            first = st.first_remaining if authenticated else None
            w = {"limit": limit,
                 "remaining": limit if first is None else int(first),
                 "reset": now + st.reset_in}
            st.windows[ident] = w
        elif now >= w["reset"]:
            w["remaining"] = w["limit"]
            w["reset"] = now + 3600
        return w


def _etag(body):
    return 'W/"%s"' % hashlib.sha256(body).hexdigest()


class _Reply:
    def __init__(self, status, obj=None, body=None, headers=None,
                 raw=False):
        self.status = status
        if body is None and obj is not None:
            body = json.dumps(obj, separators=(",", ":")).encode()
        self.body = body if body is not None else b""
        self.headers = dict(headers or {})
        self.raw = raw   # True: do not add ETag/conditional handling
        self.free = False  # True: not counted (rate-limit refusals, 401)
        self.fault = None
        self.fault_at = None  # where a truncated/malformed body breaks


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def version_string(self):
        return "GitHub.com"

    def log_message(self, fmt, *args):  # quiet
        pass

    @property
    def emu(self):
        return self.server.emu

    # -- entry points ------------------------------------------------------

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_HEAD(self):
        self._dispatch("HEAD")

    def _dispatch(self, method):
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        payload = self.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(self.path)
        if url.path.startswith("/_emu/"):
            self._admin(method, url, payload)
            return
        self._api(method, url)

    # -- admin ---------------------------------------------------------------

    def _admin(self, method, url, payload):
        self._send_plain(*admin_answer(self.emu, method, url, payload))

    def _send_plain(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    # -- the API -------------------------------------------------------------

    def _api(self, method, url):
        emu = self.emu
        st = emu.state
        agent = self.headers.get("User-Agent")
        auth = self.headers.get("Authorization")
        token = None
        if auth:
            parts = auth.split(None, 1)
            if len(parts) == 2 and parts[0].lower() in ("token", "bearer"):
                token = parts[1].strip()
            else:
                token = ""
        conditional = bool(self.headers.get("If-None-Match") or
                           self.headers.get("If-Modified-Since"))
        entry = {"method": method, "path": self.path,
                 "host": self.headers.get("Host"),
                 "conditional": conditional, "auth": auth is not None,
                 "agent": agent,
                 "accept": self.headers.get("Accept"),
                 "api_version": self.headers.get("X-GitHub-Api-Version")}

        with st.lock:
            now = emu._now()
            entry["time"] = now
            reply = None
            counted = False
            window = None
            if not agent:
                reply = _Reply(403, body=UA_REQUIRED.encode(),
                               headers={"Content-Type": "text/plain; "
                                        "charset=utf-8"}, raw=True)
                reply.free = True
            elif token is not None and (
                    token == "" or (st.tokens and token not in st.tokens)):
                reply = _Reply(401, {
                    "message": "Bad credentials",
                    "documentation_url": "https://docs.github.com/rest",
                    "status": "401"}, raw=True)
                reply.free = True
            else:
                ident = ("token:" + token) if token else (
                    "anon:" + self.client_address[0])
                window = emu._window(ident, token is not None)
                if url.path != "/rate_limit":
                    reply = self._limits(ident, window, token is not None,
                                         now)
                    if reply is not None:
                        reply.free = True
        # the route runs outside the lock (git, sleeping faults)
        if reply is None:
            try:
                reply = self._route(method, url)
            except Exception as e:  # an emulator bug: say so loudly
                reply = _Reply(500, {"message": "emulator error: %r" % e},
                               raw=True)
        with st.lock:
            if reply.status == 200 and not reply.raw:
                self._conditional(reply)
            # every answer counts except rate-limit refusals, /rate_limit
            # and (with a token) 304s, as on GitHub
            if window is not None and url.path != "/rate_limit" and \
                    not reply.free and \
                    not (reply.status == 304 and token is not None):
                window["remaining"] = max(0, window["remaining"] - 1)
                counted = True
            if window is not None:
                reply.headers.update(self._rate_headers(window))
            st.seq += 1
            entry["seq"] = st.seq
            entry["status"] = reply.status
            entry["counted"] = counted
            if reply.fault_at is not None:
                entry["fault_at"] = reply.fault_at
            st.requests.append(entry)
        self._send(reply, method)

    def _limits(self, ident, window, authenticated, now):
        """The rate-limit answer for this request, or None to serve it."""
        st = self.emu.state
        sec = st.secondary
        until = st.secondary_until.get(ident, 0)
        retry_after = sec.get("retry_after")
        if now < until:
            return self._secondary_reply(until - now if retry_after else
                                         None)
        st.api_requests += 1
        if st.api_requests in st.exhaust_at:
            # another client with the same token used the window up: this
            # client learns it from the refusal, not from a header
            window["remaining"] = 0
        if st.api_requests in (sec.get("at") or []):
            wait = int(retry_after) if retry_after else 60
            st.secondary_until[ident] = now + wait
            return self._secondary_reply(wait if retry_after else None)
        if window["remaining"] <= 0:
            who = ("user ID 1" if authenticated else
                   "%s. (But here's the good news: Authenticated requests "
                   "get a higher rate limit. Check out the documentation "
                   "for more details.)" % self.client_address[0])
            return _Reply(403, {
                "message": "API rate limit exceeded for %s." % who
                if authenticated else "API rate limit exceeded for %s" % who,
                "documentation_url": DOC_RATE}, raw=True)
        return None

    def _secondary_reply(self, retry_after):
        st = self.emu.state
        status = int(st.secondary.get("status", 403))
        headers = {}
        if retry_after is not None:
            headers["Retry-After"] = str(int(retry_after))
        return _Reply(status, {
            "message": "You have exceeded a secondary rate limit. Please "
                       "wait a few minutes before you try again. If you "
                       "reach out to GitHub Support for help, please "
                       "include the request ID 0000:0000:0000000:0000000:"
                       "00000000.",
            "documentation_url": DOC_SECONDARY}, headers=headers, raw=True)

    @staticmethod
    def _rate_headers(w):
        return {"X-RateLimit-Limit": str(w["limit"]),
                "X-RateLimit-Remaining": str(w["remaining"]),
                "X-RateLimit-Reset": str(w["reset"]),
                "X-RateLimit-Used": str(w["limit"] - w["remaining"]),
                "X-RateLimit-Resource": "core"}

    def _conditional(self, reply):
        etag = _etag(reply.body)
        reply.headers["ETag"] = etag
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        match = False
        if inm:
            tags = [t.strip() for t in inm.split(",")]
            bare = etag[2:]
            match = any(t == "*" or t == etag or t.lstrip("W/") == bare
                        for t in tags)
        elif ims and "Last-Modified" in reply.headers:
            try:
                since = email.utils.parsedate_to_datetime(ims)
                lm = email.utils.parsedate_to_datetime(
                    reply.headers["Last-Modified"])
                match = lm <= since
            except (TypeError, ValueError):
                match = False
        if match:
            reply.status = 304
            reply.body = b""
            # GitHub's 304 carries no Link: a client must keep its own
            reply.headers.pop("Link", None)

    def _send(self, reply, method):
        fault = reply.fault
        body = reply.body
        if fault == "silent":  # the client gave up: no answer at all
            self.close_connection = True
            return
        self.send_response(reply.status)
        headers = {
            "Date": email.utils.formatdate(usegmt=True),
            "Content-Type": "application/json; charset=utf-8",
            "Cache-Control": "private, max-age=60, s-maxage=60",
            "Vary": "Accept, Authorization, Cookie, X-GitHub-OTP",
            "X-GitHub-Media-Type": "github.v3; format=json",
            "X-GitHub-Api-Version-Selected": "2022-11-28",
            "Access-Control-Expose-Headers": EXPOSE,
            "Access-Control-Allow-Origin": "*",
            "X-GitHub-Request-Id": "%04X:%04X:%06X:%06X:%08X" % tuple(
                random.getrandbits(24) for _ in range(5)),
        }
        headers.update(reply.headers)
        truncate = fault in ("truncated", "truncated-close")
        for k, v in headers.items():
            self.send_header(k, v)
        if reply.status != 304:
            if fault == "truncated-close":
                self.send_header("Connection", "close")
            else:
                self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if reply.status == 304 or method == "HEAD":
            return
        if truncate or fault == "reset":
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            if fault == "reset":
                # linger 0: close() sends RST, not FIN ("connection reset")
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER,
                    struct.pack("ii", 1, 0))
                self.connection.close()
            return
        self.wfile.write(body)

    # -- routing ---------------------------------------------------------------

    ROUTE = re.compile(r"^/repos/([^/]+)/([^/]+)(/.*)?$")
    ROUTE_ID = re.compile(r"^/repositories/([0-9]+)(/.*)?$")

    def _route(self, method, url):
        emu = self.emu
        net = emu.network
        if method not in ("GET", "HEAD"):
            return _Reply(404, {"message": "Not Found",
                                "documentation_url":
                                    "https://docs.github.com/rest"})
        if url.path == "/rate_limit":
            return self._rate_limit()
        m = self.ROUTE.match(url.path)
        repo = rest = None
        by_id = False
        if m:
            owner, name, rest = m.group(1), m.group(2), m.group(3) or ""
            repo = net.lookup(owner, name)
            if repo is None:
                moved = net.renamed.get(("%s/%s" % (owner, name)).lower())
                if moved is not None:
                    return self._moved(emu.url, moved, rest, url.query)
        else:
            m = self.ROUTE_ID.match(url.path)
            if m:
                repo = net.by_id.get(int(m.group(1)))
                rest = m.group(2) or ""
                by_id = True
        if repo is None:
            return self._not_found(rest)
        kind = {"": "repo", "/forks": "forks", "/branches": "branches"}.get(
            rest, "compare" if rest.startswith("/compare/") else None)
        if kind is None:
            return self._not_found(rest)
        fault = repo.fault
        page = int(urllib.parse.parse_qs(url.query).get("page", ["1"])[0])
        if fault and (fault["paths"] is None or kind in fault["paths"]) \
                and (fault["pages"] is None or page in fault["pages"]):
            reply = self._fault(repo, fault, kind, rest, url, by_id)
            if reply is not None:
                return reply
        if kind == "repo":
            return self._repo_reply(repo)
        if kind == "forks":
            return self._forks(repo, url)
        if kind == "branches":
            return self._branches(repo, url)
        return self._compare(repo, rest[len("/compare/"):])

    def _not_found(self, rest):
        doc = "https://docs.github.com/rest/repos/repos#get-a-repository"
        if rest == "/forks":
            doc = "https://docs.github.com/rest/repos/forks#list-forks"
        elif rest == "/branches":
            doc = ("https://docs.github.com/rest/branches/branches"
                   "#list-branches")
        return _Reply(404, {"message": "Not Found", "documentation_url": doc,
                            "status": "404"}, raw=True)

    def _moved(self, base, repo, rest, query, host=None):
        loc = "%s/repositories/%d%s" % (host or base, repo.id, rest)
        if query:
            loc += "?" + query
        return _Reply(301, {"message": "Moved Permanently", "url": loc,
                            "documentation_url": DOC_REDIRECT},
                      headers={"Location": loc}, raw=True)

    def _fault(self, repo, fault, kind, rest, url, by_id):
        t = fault["type"]
        if t == "404":
            return self._not_found(rest)
        if t == "451":
            return _Reply(451, {
                "message": "Repository access blocked",
                "block": {"reason": "dmca",
                          "created_at": "2021-04-22T17:53:56Z",
                          "html_url": "https://github.com/github/dmca/blob/"
                                      "master/2021/04/2021-04-20-x.md"}},
                raw=True)
        if t == "409":
            if kind == "repo":
                return None  # the repository itself exists (size 0)
            return _Reply(409, {
                "message": "Git Repository is empty.",
                "documentation_url": "https://docs.github.com/rest/"
                                     "branches/branches#list-branches",
                "status": "409"}, raw=True)
        if t == "500-once":
            key = (kind, url.query)
            with self.emu.state.lock:
                first = key not in repo.failed_once
                repo.failed_once.add(key)
            if first:
                return _Reply(500, {"message": "Server Error"}, raw=True)
            return None
        if t == "502":
            return _Reply(502, body=b"<html><body><h1>502 Bad Gateway</h1>"
                          b"</body></html>\n",
                          headers={"Content-Type": "text/html"}, raw=True)
        if t == "slow":
            time.sleep(float(fault["seconds"]))
            return None
        if t == "silent":
            self._say_nothing(float(fault["seconds"]))
            reply = _Reply(0, raw=True)
            reply.fault = "silent"
            return reply
        if t in ("reset", "reset-once"):
            if t == "reset-once":
                key = ("reset", kind, url.query)
                with self.emu.state.lock:
                    first = key not in repo.failed_once
                    repo.failed_once.add(key)
                if not first:
                    return None
            reply = self._serve(repo, kind, rest, url)
            reply.fault = "reset"
            reply.raw = True
            return reply
        if t == "redirect-other-host":
            if by_id:
                return None
            return self._moved(self.emu.url, repo, rest, url.query,
                               host="http://localhost:%d" % self.emu.port)
        if t in ("truncated", "truncated-close", "malformed"):
            reply = self._serve(repo, kind, rest, url)
            if reply.status != 200:
                return reply
            body = reply.body
            if t == "malformed":
                # a stray byte where a member name must come, half-way in
                at = body.find(b',"', len(body) // 2) + 1
                if at <= 0:
                    at = len(body) // 2
                reply.body = body[:at] + b"@" + body[at:]
                reply.fault_at = at
            else:
                reply.fault_at = len(body) // 2  # bytes actually sent
            reply.fault = t if t != "malformed" else None
            reply.raw = True
            reply.headers["ETag"] = _etag(reply.body)
            return reply
        return None

    def _say_nothing(self, seconds):
        """Wait without answering until the client hangs up (bounded)."""
        end = time.monotonic() + seconds
        sock = self.connection
        while time.monotonic() < end:
            ready, _, _ = select.select([sock], [], [], 0.2)
            if ready:
                try:
                    if not sock.recv(4096, socket.MSG_PEEK):
                        return  # closed by the client
                except OSError:
                    return
                try:
                    sock.recv(4096)
                except OSError:
                    return

    def _serve(self, repo, kind, rest, url):
        if kind == "repo":
            return self._repo_reply(repo)
        if kind == "forks":
            return self._forks(repo, url)
        if kind == "branches":
            return self._branches(repo, url)
        return self._compare(repo, rest[len("/compare/"):])

    # -- bodies ----------------------------------------------------------------

    def _repo_obj(self, repo, full):
        emu = self.emu
        api = emu.url
        o = {"login": repo.owner, "id": 1000 + repo.id % 100000,
             "node_id": "MDQ6VXNlcj%d" % repo.id,
             "avatar_url": "https://avatars.githubusercontent.com/u/%d?v=4"
                           % repo.id,
             "gravatar_id": "", "url": "%s/users/%s" % (api, repo.owner),
             "html_url": "https://github.com/%s" % repo.owner,
             "type": "User", "site_admin": False}
        r = {"id": repo.id, "node_id": "MDEwOlJlcG9zaXRvcnk%d" % repo.id,
             "name": repo.name, "full_name": repo.full_name,
             "private": False, "owner": o,
             "html_url": "https://github.com/%s" % repo.full_name,
             "description": repo.description,
             "fork": repo.parent is not None,
             "url": "%s/repos/%s" % (api, repo.full_name),
             "forks_url": "%s/repos/%s/forks" % (api, repo.full_name),
             "branches_url": "%s/repos/%s/branches{/branch}" % (
                 api, repo.full_name),
             "compare_url": "%s/repos/%s/compare/{base}...{head}" % (
                 api, repo.full_name),
             "created_at": repo.created_at, "updated_at": repo.updated_at,
             "pushed_at": repo.pushed_at,
             "git_url": "git://github.com/%s.git" % repo.full_name,
             "ssh_url": "git@github.com:%s.git" % repo.full_name,
             "clone_url": emu.clone_url(repo),
             "svn_url": "https://github.com/%s" % repo.full_name,
             "homepage": None,
             "size": 0 if (repo.fault or {}).get("type") == "409" else 1234,
             "stargazers_count": repo.stars, "watchers_count": repo.stars,
             "language": "C", "has_issues": True, "has_projects": True,
             "has_downloads": True, "has_wiki": True, "has_pages": False,
             "has_discussions": False, "forks_count": repo.forks_count,
             "mirror_url": None, "archived": False, "disabled": False,
             "open_issues_count": 0, "license": None, "allow_forking": True,
             "is_template": False, "web_commit_signoff_required": False,
             "topics": [], "visibility": "public",
             "forks": repo.forks_count, "open_issues": 0,
             "watchers": repo.stars, "default_branch": repo.default_branch}
        if full:
            r["temp_clone_token"] = None
            r["network_count"] = repo.root().forks_count
            r["subscribers_count"] = 1
            if repo.parent is not None:
                r["parent"] = self._repo_obj(repo.parent, False)
                r["source"] = self._repo_obj(repo.root(), False)
        return r

    def _repo_reply(self, repo):
        lm = email.utils.formatdate(parse_iso(repo.updated_at), usegmt=True)
        return _Reply(200, self._repo_obj(repo, True),
                      headers={"Last-Modified": lm})

    def _page(self, items, url, repo, what):
        q = urllib.parse.parse_qsl(url.query, keep_blank_values=True)
        qd = dict(q)
        try:
            per_page = max(1, min(100, int(qd.get("per_page", 30))))
        except ValueError:
            per_page = 30
        try:
            page = max(1, int(qd.get("page", 1)))
        except ValueError:
            page = 1
        pages = max(1, (len(items) + per_page - 1) // per_page)
        chunk = items[(page - 1) * per_page:page * per_page]
        keep = [(k, v) for k, v in q if k != "page"]

        def link(n):
            query = urllib.parse.urlencode(keep + [("page", str(n))])
            return "%s/repositories/%d/%s?%s" % (self.emu.url, repo.id,
                                                 what, query)
        rels = []
        if page > 1:
            rels.append(("prev", link(page - 1)))
        if page < pages:
            rels.append(("next", link(page + 1)))
            if pages <= self.emu.state.omit_last_above:
                rels.append(("last", link(pages)))
        if page > 1:
            rels.append(("first", link(1)))
        random.Random("%d/%s/%d" % (repo.id, what, page)).shuffle(rels)
        headers = {}
        if rels:
            headers["Link"] = ", ".join('<%s>; rel="%s"' % (u, r)
                                        for r, u in rels)
        return chunk, headers

    def _forks(self, repo, url):
        qd = dict(urllib.parse.parse_qsl(url.query))
        sort = qd.get("sort", "newest")
        kids = list(repo.children)
        if sort in ("stargazers", "watchers"):
            kids.sort(key=lambda r: (-r.stars, r.id))
        elif sort == "oldest":
            kids.sort(key=lambda r: (r.created_at, r.id))
        else:
            kids.sort(key=lambda r: (r.created_at, r.id), reverse=True)
        chunk, headers = self._page(kids, url, repo, "forks")
        return _Reply(200, [self._repo_obj(r, False) for r in chunk],
                      headers=headers)

    def _branch_list(self, repo):
        path = self.emu.git_dir(repo)
        if path:
            out = subprocess.run(
                ["git", "--git-dir", path, "for-each-ref",
                 "--format=%(refname:short) %(objectname)", "refs/heads"],
                capture_output=True, text=True, env=self.emu.git_env)
            pairs = [line.split(" ", 1) for line in out.stdout.splitlines()
                     if line]
            return sorted((n, s) for n, s in pairs)
        names = repo.branches or [repo.default_branch]
        return sorted((n, hashlib.sha1(("%s:%s" % (repo.full_name, n))
                                       .encode()).hexdigest())
                      for n in names)

    def _branches(self, repo, url):
        items = self._branch_list(repo)
        chunk, headers = self._page(items, url, repo, "branches")
        api = self.emu.url
        body = [{"name": n,
                 "commit": {"sha": s, "url": "%s/repos/%s/commits/%s" % (
                     api, repo.full_name, s)},
                 "protected": False} for n, s in chunk]
        return _Reply(200, body, headers=headers)

    def _compare(self, repo, spec):
        spec = urllib.parse.unquote(spec)
        if "..." not in spec:
            return self._not_found("/compare")
        base, head = spec.split("...", 1)

        def resolve(ref, default):
            r = default
            if ":" in ref:
                owner, ref = ref.split(":", 1)
                r = self.emu.network.lookup(owner, default.name) or \
                    next((x for x in self.emu.network.repos
                          if x.owner.lower() == owner.lower()), None)
            if r is None:
                return None, None
            path = self.emu.git_dir(r)
            if not path:
                return None, None
            sha = subprocess.run(
                ["git", "--git-dir", path, "rev-parse", "--verify", "-q",
                 ref + "^{commit}"], capture_output=True, text=True,
                env=self.emu.git_env).stdout.strip()
            return (path, sha) if sha else (None, None)
        bpath, bsha = resolve(base, repo)
        hpath, hsha = resolve(head, repo)
        if not bsha or not hsha:
            return self._not_found("/compare")
        env = dict(self.emu.git_env or os.environ)
        env["GIT_ALTERNATE_OBJECT_DIRECTORIES"] = os.path.join(bpath,
                                                               "objects")
        out = subprocess.run(
            ["git", "--git-dir", hpath, "rev-list", "--left-right",
             "--count", "%s...%s" % (bsha, hsha)],
            capture_output=True, text=True, env=env).stdout.split()
        mb = subprocess.run(["git", "--git-dir", hpath, "merge-base", bsha,
                             hsha], capture_output=True, text=True,
                            env=env).stdout.strip()
        behind, ahead = (int(out[0]), int(out[1])) if len(out) == 2 else (0,
                                                                          0)
        status = ("identical" if not ahead and not behind else
                  "ahead" if not behind else "behind" if not ahead else
                  "diverged")
        return _Reply(200, {
            "url": "%s/repos/%s/compare/%s" % (self.emu.url, repo.full_name,
                                               spec),
            "status": status, "ahead_by": ahead, "behind_by": behind,
            "total_commits": ahead,
            "base_commit": {"sha": bsha},
            "merge_base_commit": {"sha": mb} if mb else None,
            "commits": [], "files": []})

    def _rate_limit(self):
        st = self.emu.state
        # the window was created by _api before routing
        w = next(iter(st.windows.values()), None) if st.windows else None
        auth = self.headers.get("Authorization")
        if auth:
            tok = auth.split(None, 1)[-1].strip()
            w = st.windows.get("token:" + tok, w)
        else:
            w = st.windows.get("anon:" + self.client_address[0], w)
        core = {"limit": w["limit"], "remaining": w["remaining"],
                "reset": w["reset"], "used": w["limit"] - w["remaining"],
                "resource": "core"}
        now = self.emu.now()
        search = {"limit": 30, "remaining": 30, "reset": now + 60,
                  "used": 0, "resource": "search"}
        graphql = dict(core, limit=5000, remaining=5000, used=0,
                       resource="graphql")
        return _Reply(200, {"resources": {"core": core, "search": search,
                                          "graphql": graphql},
                            "rate": core}, raw=True)


Emulator.handler = _Handler


# -- test support: the C driver and real git networks ---------------------

def driver_bin():
    """forkmap-github-driver, built next to FORKMAP_BIN (or
    FORKMAP_GH_DRIVER)."""
    path = os.environ.get("FORKMAP_GH_DRIVER")
    if not path:
        fm = os.environ.get("FORKMAP_BIN")
        if not fm:
            raise RuntimeError("FORKMAP_BIN is not set: run through ctest "
                               "or export it")
        path = os.path.join(os.path.dirname(fm), "forkmap-github-driver")
    if not os.access(path, os.X_OK):
        raise RuntimeError("%s is missing (build the forkmap-github-driver "
                           "target)" % path)
    return path


class DriverResult:
    def __init__(self, argv, proc):
        self.argv = argv
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        try:
            self.doc = json.loads(proc.stdout)
        except ValueError:
            raise RuntimeError("%s: exit %d, no JSON\nstdout:\n%s\nstderr:\n"
                               "%s" % (" ".join(argv), proc.returncode,
                                       proc.stdout[:2000], proc.stderr))
        self.forks = self.doc["forks"]
        self.stats = self.doc["stats"]
        self.error = self.doc["error"]
        self.rc = self.doc["rc"]

    def by_name(self):
        return {(f["name"], f["branch"]): f for f in self.forks}


def run_driver(api, upstream, *args, token="t0ken", env=None, timeout=300):
    """Run forkmap-github-driver; a DriverResult (doc, forks, stats ...)."""
    argv = [driver_bin(), "--api", api, "--upstream", upstream] + \
        [str(a) for a in args]
    e = dict(env if env is not None else os.environ)
    e.pop("GITHUB_TOKEN", None)
    e.pop("GH_TOKEN", None)
    if token:
        e["GITHUB_TOKEN"] = token
    proc = subprocess.run(argv, env=e, capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode not in (0, 1):
        raise RuntimeError("%s: exit %d\nstderr:\n%s" % (
            " ".join(argv), proc.returncode, proc.stderr))
    return DriverResult(argv, proc)


def publish(work_path, root, owner, name, env, empty=False):
    """Make <root>/<owner>/<name>.git a bare copy of a work repository
    (every branch and tag), or an empty bare repository."""
    dest = os.path.join(root, owner, name + ".git")
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    if empty:
        argv = ["git", "init", "--quiet", "--bare", dest]
    else:
        argv = ["git", "clone", "--quiet", "--bare", "--no-local",
                work_path, dest]
    subprocess.run(argv, env=env, check=True, capture_output=True)
    return dest


class GitNet:
    """Real repositories for an emulated network, built in a
    fixture.Sandbox: work trees to commit in (the upstream's is `up`), and
    bare copies under `root`/<owner>/<repo>.git for the git daemon::

        net = GitNet(sb)                    # upstream up/proj, work tree
        net.up.write("a", "1\n"); net.up.commit("one")
        w = net.fork("acme", stars=3)       # a work clone of the upstream
        w.write("b", "2\n"); w.commit("acme: b")
        net.fork("gone", git=False, fault="404")
        net.publish()                       # bare copies of every work tree
        with Emulator(net.doc(), git_root=net.root) as emu: ...
    """

    @classmethod
    def one_fork(cls, sb):
        """The smallest network worth a census, published: up/proj with
        one commit, and acme/proj (3 stars) one commit ahead of it."""
        net = cls(sb)
        net.up.write("a.c", "int a;\n")
        net.up.commit("one")
        w = net.fork("acme", stars=3)
        w.write("b.c", "int b;\n")
        w.commit("acme: b")
        net.publish()
        return net

    def __init__(self, sb, owner="up", name="proj"):
        self.sb = sb
        self.owner = owner
        self.name = name
        self.root = sb.path("gitnet")
        os.makedirs(self.root, exist_ok=True)
        self.up = sb.repo("work-%s-%s" % (owner, name))
        self.entries = []
        self.works = {}
        self.empty = set()

    @property
    def full_name(self):
        return "%s/%s" % (self.owner, self.name)

    def fork(self, owner, parent=None, git=True, empty=False, **entry):
        """Add fork owner/<name> (of the upstream, or of `parent`); returns
        its work tree (a clone of the parent's), or None without git."""
        full = "%s/%s" % (owner, self.name)
        e = {"owner": owner, "repo": self.name}
        if parent:
            e["parent"] = parent
        e.update(entry)
        self.entries.append(e)
        if empty:
            self.empty.add(full)
            return None
        if not git:
            return None
        src = self.works.get(parent) if parent else self.up
        work = self.sb.clone(src, "work-%s-%s" % (owner, self.name))
        self.works[full] = work
        return work

    def publish(self):
        """(Re)write the bare copies from the work trees."""
        import shutil
        env = self.sb.env
        for full, work in [(self.full_name, self.up)] + \
                list(self.works.items()):
            owner, name = full.split("/")
            dest = os.path.join(self.root, owner, name + ".git")
            if os.path.exists(dest):
                shutil.rmtree(dest)
            publish(work.path, self.root, owner, name, env)
        for full in self.empty:
            owner, name = full.split("/")
            dest = os.path.join(self.root, owner, name + ".git")
            if not os.path.exists(dest):
                publish(None, self.root, owner, name, env, empty=True)

    def doc(self, **extra):
        d = {"upstream": {"owner": self.owner, "repo": self.name,
                          "default_branch": self.up.current_branch()},
             "forks": self.entries}
        d.update(extra)
        return d


# -- admin client (for tests driving a separate emulator process) ----------

def admin(url, path, method="GET", data=None):
    req = urllib.request.Request(url + path, method=method,
                                 data=json.dumps(data).encode()
                                 if data is not None else None)
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"{}")


def main(argv=None):
    ap = argparse.ArgumentParser(description="GitHub REST API emulator")
    ap.add_argument("--network", required=True, help="network JSON file")
    ap.add_argument("--git-root", help="directory of <owner>/<repo>.git "
                    "repositories, served by git daemon")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--token", action="append",
                    help="accepted token (repeat; default: any)")
    args = ap.parse_args(argv)
    emu = Emulator(Network.load(args.network), git_root=args.git_root,
                   tokens=args.token, host=args.host, port=args.port)
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *a: done.set())
    with emu:
        print(emu.url, flush=True)
        if emu.git_url:
            print(emu.git_url, flush=True)
        done.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
