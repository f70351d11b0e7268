"""A GitLab REST API v4 emulator for forkmap's tests (python3 standard
library), serving a ghemu network description (see ghemu.py) as GitLab
projects, shaped on GitLab's API documentation:

    GET /api/v4/projects/:id                  by id or URL-encoded path
    GET /api/v4/projects/:id/forks            order_by=star_count|id|
                                              created_at|last_activity_at,
                                              sort=asc|desc, per_page, page
    GET /api/v4/projects/:id/repository/branches   per_page, page

with what GitLab does:

- offset pagination: per_page 20 by default, at most 100; x-page,
  x-per-page, x-next-page and x-prev-page (empty when none) on every
  list; x-total, x-total-pages and rel="last" only up to 10,000 items
  (`total_limit`); Link with rel="prev", "next", "first" (and "last")
  joined by ", ", pointing at the same path (path or id) as asked;
- a project moved to a new path: its old path answers 301 with Location
  /api/v4/projects/<id>;
- authentication: PRIVATE-TOKEN or Authorization: Bearer; an unknown
  token answers 401 {"message": "401 Unauthorized"};
- rate limits in fixed windows (`rate_limit`: {"limit": N, "window": S}):
  RateLimit-Limit, -Observed, -Remaining, -Reset (epoch) and -ResetTime
  (HTTP date) on every answer; over the limit, 429 with Retry-After and
  the body "Retry later"; a 304 counts like any request;
- weak ETags; a matching If-None-Match answers 304;
- 404 {"message": "404 Project Not Found"}; a fork with "fault": "404".

A fork whose "pushed_at" equals its "created_at" is a project whose
last_activity_at is its created_at (never pushed since it was forked).
Clone URLs are the git daemon's (http_url_to_repo), as for ghemu.

    with GitLabEmulator(net.doc(tokens=[T]), git_root=net.root) as emu:
        emu.url, emu.api          # http://127.0.0.1:PORT[/api/v4]
"""
import email.utils
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emucore import ForgeEmulator, Reply, page_of, query_of  # noqa: E402
from emucore import with_query  # noqa: E402

__all__ = ["GitLabEmulator"]

NOT_FOUND = {"message": "404 Project Not Found"}
ORDER = {"star_count": lambda r: r.stars, "id": lambda r: r.id,
         "created_at": lambda r: r.created_at,
         "last_activity_at": lambda r: r.pushed_at}


class GitLabEmulator(ForgeEmulator):
    server_name = "nginx"
    public_host = "gitlab.com"

    def __init__(self, network, total_limit=10000, rate_limit=None,
                 **kw):
        super().__init__(network, **kw)
        self.total_limit = total_limit
        rl = dict(rate_limit or self.network.doc.get("rate_limit") or {})
        self.rl_limit = int(rl.get("limit", 2000))
        self.rl_window = int(rl.get("window", 60))
        self.windows = {}

    @property
    def api(self):
        return self.url + "/api/v4"

    def configure(self, rate_limit=None, total_limit=None):
        with self.lock:
            if rate_limit is not None:
                self.rl_limit = int(rate_limit.get("limit", self.rl_limit))
                self.rl_window = int(rate_limit.get("window",
                                                    self.rl_window))
                self.windows = {}
            if total_limit is not None:
                self.total_limit = int(total_limit)

    def token_of(self, headers):
        tok = headers.get("PRIVATE-TOKEN")
        if tok is not None:
            return tok.strip() or None, True
        auth = headers.get("Authorization")
        if auth is None:
            return None, False
        parts = auth.split(None, 1)
        if len(parts) == 2 and parts[0].lower() == "bearer":
            return parts[1].strip(), True
        return None, True

    def unauthorized(self):
        return Reply(401, {"message": "401 Unauthorized"}, etag=False,
                     free=True)

    # -- fixed windows -----------------------------------------------------

    def limit(self, token, now):
        key = token or "anon"
        start = now - now % self.rl_window
        w = self.windows.get(key)
        if w is None or w["start"] != start:
            w = self.windows[key] = {"start": start, "used": 0}
        reset = start + self.rl_window

        def headers():
            return {"RateLimit-Limit": str(self.rl_limit),
                    "RateLimit-Observed": str(w["used"]),
                    "RateLimit-Remaining": str(max(0, self.rl_limit -
                                                   w["used"])),
                    "RateLimit-Reset": str(reset),
                    "RateLimit-ResetTime": email.utils.formatdate(
                        reset, usegmt=True)}
        if w["used"] >= self.rl_limit:
            h = headers()
            h["Retry-After"] = str(reset - now)
            return Reply(429, body=b"Retry later\n", headers=h,
                         etag=False, free=True,
                         content_type="text/plain"), None

        def count(reply):
            w["used"] += 1  # a 304 too: GitLab counts every request
            reply.headers.update(headers())
            return True
        return None, count

    # -- routes ------------------------------------------------------------

    ROUTE = re.compile(r"^/api/v4/projects/([^/]+)(/forks|"
                       r"/repository/branches)?$")

    def project(self, ident):
        net = self.network
        ident = urllib.parse.unquote(ident)
        if ident.isdigit():
            return net.by_id.get(int(ident)), False
        repo = net.by_name.get(ident.lower())
        if repo is not None:
            return repo, False
        moved = net.renamed.get(ident.lower())
        return moved, moved is not None

    def route(self, method, url, headers):
        m = self.ROUTE.match(url.path)
        if method != "GET" or not m:
            return Reply(404, {"error": "404 Not Found"}, etag=False)
        repo, moved = self.project(m.group(1))
        if repo is None or (repo.fault or {}).get("type") == "404":
            return Reply(404, NOT_FOUND, etag=False)
        if moved:
            loc = "%s/api/v4/projects/%d%s" % (self.url, repo.id,
                                               m.group(2) or "")
            if url.query:
                loc += "?" + url.query
            return Reply(301, {"message": "301 Moved Permanently"},
                         headers={"Location": loc}, etag=False)
        if not m.group(2):
            return Reply(200, self.project_obj(repo, True))
        q = query_of(url)
        if m.group(2) == "/forks":
            key = ORDER.get(q.get("order_by", "created_at"),
                            ORDER["created_at"])
            kids = sorted(repo.children, key=lambda r: (key(r), r.id),
                          reverse=q.get("sort", "desc") != "asc")
            return self.page(url, q, kids,
                             lambda r: self.project_obj(r, False))
        return self.page(url, q, self.branch_list(repo),
                         lambda b: {"name": b[0], "merged": False,
                                    "protected": False, "default": False,
                                    "commit": {"id": b[1],
                                               "short_id": b[1][:8]}})

    def page(self, url, q, items, shape):
        chunk, page, per, pages = page_of(items, q, 20, 100)
        big = len(items) > self.total_limit
        h = {"x-page": str(page), "x-per-page": str(per),
             "x-next-page": str(page + 1) if page < pages else "",
             "x-prev-page": str(page - 1) if page > 1 else ""}
        if not big:
            h["x-total"] = str(len(items))
            h["x-total-pages"] = str(pages)
        base = self.url
        q = dict(q, per_page=str(per))
        rels = []
        if page > 1:
            rels.append(("prev", page - 1))
        if page < pages:
            rels.append(("next", page + 1))
        rels.append(("first", 1))
        if not big:
            rels.append(("last", pages))
        h["Link"] = ", ".join('<%s>; rel="%s"' % (
            with_query(base, url.path, q, page=n), rel) for rel, n in rels)
        return Reply(200, [shape(x) for x in chunk], headers=h)

    def project_obj(self, repo, full):
        ns, path = repo.owner, repo.name
        web = "https://%s/%s/%s" % (self.public_host, ns, path)
        never = repo.pushed_at == repo.created_at
        o = {"id": repo.id, "description": repo.description,
             "name": path, "name_with_namespace": "%s / %s" % (ns, path),
             "path": path, "path_with_namespace": repo.full_name,
             "created_at": repo.created_at.replace("Z", ".000Z"),
             "default_branch": repo.default_branch,
             "tag_list": [], "topics": [],
             "ssh_url_to_repo": "git@%s:%s.git" % (self.public_host,
                                                   repo.full_name),
             "http_url_to_repo": self.clone_url(repo),
             "web_url": web, "readme_url": None, "forks_count":
             repo.forks_count, "avatar_url": None,
             "star_count": repo.stars,
             "last_activity_at": (repo.created_at if never else
                                  repo.pushed_at).replace("Z", ".000Z"),
             "namespace": {"id": repo.id + 7, "name": ns, "path": ns,
                           "kind": "user", "full_path": ns,
                           "parent_id": None,
                           "web_url": "https://%s/%s" % (self.public_host,
                                                         ns)},
             "visibility": "public", "archived": False,
             "empty_repo": False}
        if repo.parent is not None:
            o["forked_from_project"] = {
                "id": repo.parent.id,
                "path_with_namespace": repo.parent.full_name}
        if full:
            o["open_issues_count"] = 0
        return o
