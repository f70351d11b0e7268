"""A Forgejo/Gitea API v1 emulator for forkmap's tests (python3 standard
library), serving a ghemu network description (see ghemu.py) as Forgejo
repositories, shaped on Forgejo's and Gitea's API documentation:

    GET /api/v1/repos/{owner}/{repo}
    GET /api/v1/repos/{owner}/{repo}/forks       page, limit
    GET /api/v1/repos/{owner}/{repo}/branches    page, limit

with what Forgejo does:

- page/limit pagination: limit defaults to 30 (DEFAULT_PAGING_NUM) and is
  capped at MAX_RESPONSE_ITEMS (`max_items`, 50 by default);
- the fork list sends X-Total-Count and no Link, in the order the forks
  were made (no server-side sort by stars);
- the branch list sends X-Total-Count and a Link whose entries have no
  space after the comma (`<...>; rel="next",<...>; rel="last"`);
- a renamed repository answers 307 with a relative Location
  (/api/v1/repos/{new owner}/{new name}...);
- a blocked or deleted repository ("fault": "404" or "451") answers 404
  {"errors": null, "message": "The target couldn't be found.", "url": ...};
- authentication: "Authorization: token ..." (or Bearer); an unknown
  token answers 401 {"message": "user does not exist ...", "url": ...};
- no rate limits and no conditional requests (Forgejo sends neither by
  default): every request is answered in full and counted.

A fork's "pushed_at" is served as updated_at (Forgejo has no pushed_at):
one equal to its created_at is a fork never pushed.

    with ForgejoEmulator(net.doc(tokens=[T]), git_root=net.root) as emu:
        emu.url, emu.api          # http://127.0.0.1:PORT[/api/v1]
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emucore import ForgeEmulator, Reply, page_of, query_of  # noqa: E402
from emucore import with_query  # noqa: E402

__all__ = ["ForgejoEmulator"]


class ForgejoEmulator(ForgeEmulator):
    server_name = "Forgejo"
    public_host = "codeberg.org"

    def __init__(self, network, max_items=50, send_total=True, **kw):
        super().__init__(network, **kw)
        self.max_items = max_items
        # False: the fork list without X-Total-Count, as a proxy that
        # drops it (or a cached 304 without it) leaves a client
        self.send_total = send_total

    @property
    def api(self):
        return self.url + "/api/v1"

    def configure(self, max_items=None):
        with self.lock:
            if max_items is not None:
                self.max_items = int(max_items)

    def not_found(self):
        return Reply(404, {"errors": None,
                           "message": "The target couldn't be found.",
                           "url": self.api + "/swagger"}, etag=False)

    def token_of(self, headers):
        auth = headers.get("Authorization")
        if auth is None:
            return None, False
        parts = auth.split(None, 1)
        if len(parts) == 2 and parts[0].lower() in ("token", "bearer"):
            return parts[1].strip(), True
        return None, True

    def unauthorized(self):
        return Reply(401, {"message": "user does not exist [uid: 0, name: ]",
                           "url": self.api + "/swagger"}, etag=False,
                     free=True)

    def limit(self, token, now):
        return None, lambda reply: True

    ROUTE = re.compile(r"^/api/v1/repos/([^/]+)/([^/]+)(/forks|/branches)?$")

    def route(self, method, url, headers):
        m = self.ROUTE.match(url.path)
        if method != "GET" or not m:
            return self.not_found()
        net = self.network
        full = "%s/%s" % (m.group(1), m.group(2))
        repo = net.by_name.get(full.lower())
        if repo is None and full.lower() in net.renamed:
            repo = net.renamed[full.lower()]
            loc = "/api/v1/repos/%s%s" % (repo.full_name, m.group(3) or "")
            if url.query:
                loc += "?" + url.query
            return Reply(307, body=b"", headers={"Location": loc},
                         etag=False)
        if repo is None or (repo.fault or {}).get("type") in ("404", "451"):
            return self.not_found()
        if not m.group(3):
            return Reply(200, self.repo_obj(repo, True), etag=False)
        q = query_of(url)
        if m.group(3) == "/forks":
            kids = sorted(repo.children, key=lambda r: r.id)
            chunk, _, _, _ = page_of(kids, q, 30, self.max_items)
            return Reply(200, [self.repo_obj(r, False) for r in chunk],
                         headers={"X-Total-Count": str(len(kids))}
                         if self.send_total else {},
                         etag=False)
        items = self.branch_list(repo)
        chunk, page, per, pages = page_of(items, q, 30, self.max_items)
        rels = []
        q = dict(q, limit=str(per))
        if page < pages:
            rels.append(("next", page + 1))
            rels.append(("last", pages))
        if page > 1:
            rels.append(("first", 1))
            rels.append(("prev", page - 1))
        h = {"X-Total-Count": str(len(items))}
        if rels:
            h["Link"] = ",".join('<%s>; rel="%s"' % (
                with_query(self.url, url.path, q, page=n), rel)
                for rel, n in rels)
        body = [{"name": n, "commit": {"id": s}, "protected": False}
                for n, s in chunk]
        return Reply(200, body, headers=h, etag=False)

    def repo_obj(self, repo, full):
        never = repo.pushed_at == repo.created_at
        o = {"id": repo.id,
             "owner": {"id": repo.id + 7, "login": repo.owner,
                       "username": repo.owner},
             "name": repo.name, "full_name": repo.full_name,
             "description": repo.description or "", "empty": False,
             "private": False, "fork": repo.parent is not None,
             "mirror": False, "archived": False,
             "html_url": "https://%s/%s" % (self.public_host,
                                            repo.full_name),
             "ssh_url": "git@%s:%s.git" % (self.public_host,
                                           repo.full_name),
             "clone_url": self.clone_url(repo),
             "stars_count": repo.stars, "forks_count": repo.forks_count,
             "watchers_count": 1, "open_issues_count": 0,
             "default_branch": repo.default_branch,
             "created_at": repo.created_at,
             "updated_at": repo.created_at if never else repo.pushed_at}
        if full and repo.parent is not None:
            o["parent"] = self.repo_obj(repo.parent, False)
        return o
