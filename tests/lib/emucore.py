"""What the GitLab and Forgejo emulators share (python3 standard library)
beyond emubase.py (the server's lifecycle with an optional real git
daemon, virtual time, the request log, shared with ghemu.py): the admin
endpoints, replies with weak ETags and 304s, and offset pagination. The network itself (repositories,
forks, git work trees) is ghemu's Network and GitNet, so one description
serves every forge.

A forge is a subclass of ForgeEmulator that says how a request
authenticates (`token_of`), which rate-limit answer or headers apply
(`limit`), and how a path is answered (`route`, returning a Reply).

Admin endpoints (never counted nor logged as API requests):

    GET  /_emu/time            {"now": N}
    POST /_emu/advance?seconds=N
    GET  /_emu/log             {"requests": [...], "events": [...]}
    POST /_emu/log/clear
    POST /_emu/config          JSON, given to configure(**doc)

Each logged request: seq, time (virtual), method, path (with query),
conditional (If-None-Match sent), auth (a token was sent; the token itself
is never logged), agent, status, counted.
"""
import email.utils
import hashlib
import json
import os
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emubase import EmuBase, EmuState, admin_answer  # noqa: E402
from ghemu import Network, iso, parse_iso  # noqa: E402,F401

__all__ = ["ForgeEmulator", "Reply", "Network", "iso", "parse_iso",
           "weak_etag", "page_of"]


def weak_etag(body):
    return 'W/"%s"' % hashlib.sha256(body).hexdigest()[:32]


class Reply:
    """One answer: status, JSON (obj) or raw body, headers. etag=False:
    no ETag and no 304 (errors, endpoints without conditional requests);
    free=True: not counted against the rate limit."""

    def __init__(self, status, obj=None, body=None, headers=None,
                 etag=True, free=False,
                 content_type="application/json"):
        self.status = status
        if body is None and obj is not None:
            body = json.dumps(obj, separators=(",", ":")).encode()
        self.body = body if body is not None else b""
        self.headers = dict(headers or {})
        self.headers.setdefault("Content-Type", content_type)
        self.etag = etag and status == 200
        self.free = free


def page_of(items, query, default, cap):
    """Offset pagination: (chunk, page, per_page, pages) for the page and
    per_page (or limit) the query asks, per_page defaulting to `default`
    and capped at `cap`."""
    def num(key, dflt):
        try:
            return int(query.get(key, dflt))
        except ValueError:
            return dflt
    per = num("per_page", num("limit", default))
    per = default if per <= 0 else min(per, cap)
    page = max(1, num("page", 1))
    pages = max(1, (len(items) + per - 1) // per)
    return items[(page - 1) * per:page * per], page, per, pages


def query_of(url):
    return dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))


def with_query(base, path, query, **set_):
    q = dict(query)
    q.update({k: str(v) for k, v in set_.items()})
    return "%s%s?%s" % (base, path, urllib.parse.urlencode(q))


class ForgeEmulator(EmuBase):
    """The server of a forge (see EmuBase for its lifecycle, time and
    log), frozen in time unless told otherwise."""

    server_name = "emu"

    def __init__(self, network, git_root=None, git_env=None, tokens=None,
                 host="127.0.0.1", frozen=True, git_url=None):
        if isinstance(network, dict):
            network = Network(network)
        super().__init__(network, EmuState(), git_root=git_root,
                         git_url=git_url, host=host, git_env=git_env,
                         frozen=frozen)
        self.tokens = list(tokens if tokens is not None else
                           network.doc.get("tokens") or [])

    @property
    def lock(self):
        return self.state.lock

    def configure(self, **kw):
        raise ValueError("nothing to configure: %s" % ", ".join(kw))

    # -- what a forge says ---------------------------------------------------

    def clone_url(self, repo):
        if self.git_url:
            return "%s/%s/%s.git" % (self.git_url, repo.owner, repo.name)
        return "https://%s/%s/%s.git" % (self.public_host, repo.owner,
                                         repo.name)

    def branch_list(self, repo):
        """[(name, sha)] of a repository, sorted by name."""
        import subprocess
        path = self.git_dir(repo)
        if path:
            out = subprocess.run(
                ["git", "--git-dir", path, "for-each-ref",
                 "--format=%(refname:short) %(objectname)", "refs/heads"],
                capture_output=True, text=True, env=self.git_env)
            return sorted(tuple(line.split(" ", 1))
                          for line in out.stdout.splitlines() if line)
        names = repo.branches or [repo.default_branch]
        return sorted((n, hashlib.sha1(("%s:%s" % (repo.full_name, n))
                                       .encode()).hexdigest())
                      for n in names)

    def token_of(self, headers):
        """(token, sent): the token a request carries, None when none;
        sent is True when an authentication header was there at all."""
        raise NotImplementedError

    def unauthorized(self):
        raise NotImplementedError

    def limit(self, token, now):
        """Called with the lock held before routing: (refusal Reply or
        None, a function(reply, counted) that adds the rate-limit
        headers and counts the request, or None)."""
        return None, None

    def route(self, method, url, headers):
        raise NotImplementedError


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def version_string(self):
        return self.server.emu.server_name

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def _dispatch(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        payload = self.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(self.path)
        at = url.path.find("/_emu/")  # also under the API: /api/v4/_emu/
        if at >= 0:
            self._admin(method, url._replace(path=url.path[at:]), payload)
        else:
            self._api(method, url)

    def _admin(self, method, url, payload):
        status, body = admin_answer(self.server.emu, method, url, payload)
        self._write(Reply(status, body, etag=False))

    def _api(self, method, url):
        emu = self.server.emu
        token, sent = emu.token_of(self.headers)
        inm = self.headers.get("If-None-Match")
        entry = {"method": method, "path": self.path,
                 "conditional": bool(inm), "auth": sent,
                 "agent": self.headers.get("User-Agent")}
        count = None
        with emu.lock:
            entry["time"] = emu._now()
            if sent and (token is None or
                         (emu.tokens and token not in emu.tokens)):
                reply = emu.unauthorized()
            else:
                reply, count = emu.limit(token, entry["time"])
        if reply is None:
            try:
                reply = emu.route(method, url, self.headers)
            except Exception as e:  # an emulator bug: say so loudly
                reply = Reply(500, {"message": "emulator error: %r" % e},
                              etag=False)
        with emu.lock:
            if reply.etag:
                tag = weak_etag(reply.body)
                reply.headers["ETag"] = tag
                if inm and any(t.strip() in (tag, tag[2:], "*")
                               for t in inm.split(",")):
                    reply.status = 304
                    reply.body = b""
            counted = False
            if count is not None:
                counted = count(reply)
            st = emu.state
            st.seq += 1
            entry.update(seq=st.seq, status=reply.status, counted=counted)
            st.requests.append(entry)
        self._write(reply)

    def _write(self, reply):
        self.send_response(reply.status)
        self.send_header("Date", email.utils.formatdate(usegmt=True))
        for k, v in reply.headers.items():
            self.send_header(k, v)
        if reply.status != 304:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if reply.status != 304:
            self.wfile.write(reply.body)


ForgeEmulator.handler = _Handler
