"""Fork discovery through the GitHub emulator (tests/lib/ghemu.py):
pagination as GitHub does it, top-N by stars, forks of forks, branches,
request headers, redirects, credentials and an unreachable API.

Runs crawler/forge/github.c through forkmap-github-driver (built next to
FORKMAP_BIN).
"""
import os
import re
import socket
import unittest

from ghemu import Emulator, run_driver

TOKEN = "ghp_discoveryTESTTOKEN"


def network(nforks=250, **extra):
    """An upstream with `nforks` forks of distinct star counts (stars are a
    permutation, so the top N is unambiguous)."""
    forks = [{"owner": "u%04d" % i, "repo": "proj",
              "stars": (i * 7919) % nforks + 1} for i in range(nforks)]
    doc = {"upstream": {"owner": "up", "repo": "proj", "stars": 5000},
           "forks": forks, "tokens": [TOKEN]}
    doc.update(extra)
    return doc


def api_requests(emu):
    return emu.log()["requests"]


class Pagination(unittest.TestCase):
    def test_all_forks_over_three_pages_both_url_forms(self):
        with Emulator(network(250, omit_last_above=2)) as emu:
            res = run_driver(emu.url, "up/proj", "--top", "0",
                             token=TOKEN)
            self.assertEqual(res.rc, 0, res.error)
            names = [f["name"] for f in res.forks]
            self.assertEqual(len(names), 250)
            self.assertEqual(len(set(names)), 250)
            stars = [f["stars"] for f in res.forks]
            self.assertEqual(stars, sorted(stars, reverse=True))
            paths = [r["path"] for r in api_requests(emu)]
            # 1 (repository) + 3 pages, each page exactly as linked
            self.assertEqual(paths, [
                "/repos/up/proj",
                "/repos/up/proj/forks?sort=stargazers&per_page=100",
                "/repositories/100000/forks?sort=stargazers&per_page=100"
                "&page=2",
                "/repositories/100000/forks?sort=stargazers&per_page=100"
                "&page=3"])
            self.assertEqual(res.stats["requests"], 4)
            self.assertEqual(res.stats["max_listed"], 250)

    def test_emulator_shuffles_rel_order_and_omits_last(self):
        # the property the test above relies on: the client cannot assume
        # rel="next" comes first, nor that rel="last" exists
        import urllib.request
        with Emulator(network(450, omit_last_above=3)) as emu:
            orders = set()
            has_last = []
            for page in (2, 3, 4):
                req = urllib.request.Request(
                    emu.url + "/repositories/100000/forks?sort=stargazers"
                    "&per_page=100&page=%d" % page,
                    headers={"User-Agent": "t", "Authorization":
                             "Bearer " + TOKEN})
                with urllib.request.urlopen(req) as r:
                    link = r.headers["Link"]
                rels = re.findall(r'rel="(\w+)"', link)
                orders.add(tuple(rels))
                has_last.append("last" in rels)
            self.assertGreater(len(orders), 1)
            self.assertEqual(has_last, [False, False, False])
            res = run_driver(emu.url, "up/proj", "--top", "0",
                             token=TOKEN)
            self.assertEqual(len(res.forks), 450)

    def test_top_n_stops_paging(self):
        with Emulator(network(250)) as emu:
            res = run_driver(emu.url, "up/proj", "--top", "150",
                             token=TOKEN)
            self.assertEqual(res.rc, 0, res.error)
            stars = [f["stars"] for f in res.forks]
            # stars are 1..250, so the top 150 are 250..101
            self.assertEqual(stars, list(range(250, 100, -1)))
            self.assertEqual(len(api_requests(emu)), 1 + 2)

    def test_top_50_costs_two_requests(self):
        with Emulator(network(250)) as emu:
            res = run_driver(emu.url, "up/proj", "--top", "50",
                             token=TOKEN)
            self.assertEqual([f["stars"] for f in res.forks],
                             list(range(250, 200, -1)))
            self.assertEqual(len(api_requests(emu)), 2)
            f = res.forks[0]
            self.assertEqual(f["source"], "github")
            self.assertEqual(f["branch"], "master")
            self.assertEqual(f["ref"],
                             "refs/forkmap/github/%s/master"
                             % f["name"].replace("/", "%2F"))
            self.assertEqual(f["url"],
                             "https://github.com/%s.git" % f["name"])
            self.assertEqual(f["depth"], 1)


def nested_network():
    """up/proj <- a/proj <- a2/proj <- a3/proj; b/proj <- b2/proj;
    c/proj (no forks); default branches differ."""
    return {
        "upstream": {"owner": "up", "repo": "proj", "stars": 100},
        "forks": [
            {"owner": "a", "repo": "proj", "stars": 30},
            {"owner": "b", "repo": "proj", "stars": 20,
             "default_branch": "main"},
            {"owner": "c", "repo": "proj", "stars": 10},
            {"owner": "a2", "repo": "proj", "stars": 5,
             "parent": "a/proj"},
            {"owner": "b2", "repo": "proj", "stars": 4,
             "parent": "b/proj", "default_branch": "dev"},
            {"owner": "a3", "repo": "proj", "stars": 1,
             "parent": "a2/proj"},
        ],
        "tokens": [TOKEN]}


class Depth(unittest.TestCase):
    def run_depth(self, depth):
        with Emulator(nested_network()) as emu:
            res = run_driver(emu.url, "up/proj", "--depth", depth,
                             token=TOKEN)
            self.assertEqual(res.rc, 0, res.error)
            return res, [r["path"] for r in api_requests(emu)]

    def test_depth_1(self):
        res, paths = self.run_depth(1)
        self.assertEqual([(f["name"], f["depth"]) for f in res.forks],
                         [("a/proj", 1), ("b/proj", 1), ("c/proj", 1)])
        self.assertEqual(len(paths), 2)

    def test_depth_2_lists_only_forks_with_forks(self):
        res, paths = self.run_depth(2)
        self.assertEqual(
            [(f["name"], f["branch"], f["depth"]) for f in res.forks],
            [("a/proj", "master", 1), ("b/proj", "main", 1),
             ("c/proj", "master", 1), ("a2/proj", "master", 2),
             ("b2/proj", "dev", 2)])
        # c/proj has forks_count 0: never asked
        self.assertEqual(sorted(paths[2:]), [
            "/repos/a/proj/forks?sort=stargazers&per_page=100",
            "/repos/b/proj/forks?sort=stargazers&per_page=100"])
        self.assertEqual(len(paths), 1 + 1 + 2)

    def test_depth_3(self):
        res, paths = self.run_depth(3)
        self.assertIn(("a3/proj", 3),
                      [(f["name"], f["depth"]) for f in res.forks])
        self.assertEqual(len(res.forks), 6)
        self.assertEqual(len(paths), 1 + 1 + 2 + 1)

    def test_concurrent_listing_gives_the_same_forks(self):
        with Emulator(nested_network()) as emu:
            serial = run_driver(emu.url, "up/proj", "--depth", 3,
                                token=TOKEN)
            par = run_driver(emu.url, "up/proj", "--depth", 3,
                             "--concurrency", 4, "--branches", "all",
                             token=TOKEN)
            self.assertEqual([f["name"] for f in serial.forks],
                             [f["name"] for f in par.forks])


class Branches(unittest.TestCase):
    NET = {"upstream": {"owner": "up", "repo": "proj"},
           "forks": [{"owner": "a", "repo": "proj", "default_branch": "main",
                      "branches": ["main", "feature/x", "feature/y", "wip",
                                   "staging"], "stars": 3},
                     {"owner": "b", "repo": "proj", "stars": 1}],
           "tokens": [TOKEN]}

    def test_all_branches(self):
        with Emulator(self.NET) as emu:
            res = run_driver(emu.url, "up/proj", "--branches", "all",
                             token=TOKEN)
            got = [(f["name"], f["branch"], f["ref"]) for f in res.forks]
            self.assertEqual(got, [
                ("a/proj", "feature/x", "refs/forkmap/github/a%2Fproj/feature/x"),
                ("a/proj", "feature/y", "refs/forkmap/github/a%2Fproj/feature/y"),
                ("a/proj", "main", "refs/forkmap/github/a%2Fproj/main"),
                ("a/proj", "staging", "refs/forkmap/github/a%2Fproj/staging"),
                ("a/proj", "wip", "refs/forkmap/github/a%2Fproj/wip"),
                ("b/proj", "master", "refs/forkmap/github/b%2Fproj/master")])
            paths = [r["path"] for r in api_requests(emu)]
            self.assertIn("/repos/a/proj/branches?per_page=100", paths)

    def test_glob(self):
        with Emulator(self.NET) as emu:
            res = run_driver(emu.url, "up/proj", "--branches", "feature/*",
                             token=TOKEN)
            self.assertEqual([(f["name"], f["branch"]) for f in res.forks],
                             [("a/proj", "feature/x"),
                              ("a/proj", "feature/y")])

    def test_default_branch_costs_no_branch_request(self):
        with Emulator(self.NET) as emu:
            res = run_driver(emu.url, "up/proj", "--branches", "default",
                             token=TOKEN)
            self.assertEqual([(f["name"], f["branch"]) for f in res.forks],
                             [("a/proj", "main"), ("b/proj", "master")])
            self.assertFalse(any("/branches" in r["path"]
                                 for r in api_requests(emu)))

    def test_branches_paginated(self):
        net = {"upstream": {"owner": "up", "repo": "proj"},
               "forks": [{"owner": "a", "repo": "proj",
                          "branches": ["b%03d" % i for i in range(230)]}],
               "tokens": [TOKEN]}
        with Emulator(net) as emu:
            res = run_driver(emu.url, "up/proj", "--branches", "all",
                             token=TOKEN)
            self.assertEqual(len(res.forks), 230)
            self.assertEqual(sum("branches" in r["path"] or
                                 "/repositories/" in r["path"]
                                 for r in api_requests(emu)), 3)


class Script(unittest.TestCase):
    def test_emulator_as_a_program(self):
        import json
        import subprocess
        import sys
        import tempfile
        import urllib.request
        with tempfile.TemporaryDirectory() as tmp:
            netfile = os.path.join(tmp, "net.json")
            with open(netfile, "w") as f:
                json.dump(nested_network(), f)
            os.makedirs(os.path.join(tmp, "git"))
            src = os.environ.get("FORKMAP_SRC") or os.path.dirname(
                os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
            proc = subprocess.Popen(
                [sys.executable, os.path.join(src, "tests", "lib",
                                              "ghemu.py"),
                 "--network", netfile, "--git-root",
                 os.path.join(tmp, "git"), "--port", "0"],
                stdout=subprocess.PIPE, text=True)
            try:
                url = proc.stdout.readline().strip()
                git_url = proc.stdout.readline().strip()
                self.assertRegex(url, r"^http://127\.0\.0\.1:\d+$")
                self.assertRegex(git_url, r"^git://127\.0\.0\.1:\d+$")
                res = run_driver(url, "up/proj", "--depth", 3,
                                 token=TOKEN)
                self.assertEqual(len(res.forks), 6)
                self.assertTrue(res.forks[0]["url"].startswith(git_url))
                with urllib.request.urlopen(url + "/_emu/log") as r:
                    log = json.loads(r.read())
                self.assertEqual(len(log["requests"]), 5)
            finally:
                proc.terminate()
                proc.wait(10)
                proc.stdout.close()


class Protocol(unittest.TestCase):
    def test_headers_on_every_request(self):
        with Emulator(nested_network()) as emu:
            run_driver(emu.url, "up/proj", "--depth", 3, token=TOKEN)
            for r in api_requests(emu):
                self.assertTrue(r["agent"].startswith("forkmap/"), r)
                self.assertEqual(r["accept"], "application/vnd.github+json")
                self.assertEqual(r["api_version"], "2022-11-28")
                self.assertTrue(r["auth"], r)

    def test_emulator_refuses_requests_without_user_agent(self):
        with Emulator(nested_network()) as emu:
            # urllib always sends a User-Agent: speak HTTP by hand
            with socket.create_connection(("127.0.0.1", emu.port)) as s:
                s.sendall(b"GET /repos/up/proj HTTP/1.1\r\nHost: x\r\n"
                          b"Connection: close\r\n\r\n")
                data = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            self.assertTrue(data.startswith(b"HTTP/1.1 403"), data[:100])
            self.assertIn(b"User-Agent", data)

    def test_renamed_upstream_is_followed(self):
        net = nested_network()
        net["upstream"]["renamed_from"] = "oldowner/oldproj"
        with Emulator(net) as emu:
            res = run_driver(emu.url, "oldowner/oldproj", token=TOKEN)
            self.assertEqual(res.rc, 0, res.error)
            self.assertEqual([f["name"] for f in res.forks],
                             ["a/proj", "b/proj", "c/proj"])
            log = api_requests(emu)
            self.assertEqual(log[0]["status"], 301)
            self.assertEqual(log[1]["path"], "/repositories/100000")
            # the listing uses the new name: no second redirect
            self.assertEqual(log[2]["path"],
                             "/repos/up/proj/forks?sort=stargazers"
                             "&per_page=100")

    def test_redirect_to_another_host_is_refused_and_gets_no_token(self):
        # a 301 to http://localhost:PORT (the same server, another origin)
        net = nested_network()
        net["forks"][0]["fault"] = {"type": "redirect-other-host",
                                    "paths": ["branches"]}
        with Emulator(net) as emu:
            res = run_driver(emu.url, "up/proj", "--branches", "all",
                             token=TOKEN)
            self.assertEqual(res.rc, 0, res.error)
            row = res.by_name()[("a/proj", "master")]
            self.assertEqual(
                row["error"],
                "GET /repos/a/proj/branches?per_page=100: 301 to "
                "http://localhost:%d/repositories/%d/branches?per_page=100 "
                "refused: it leaves the GitHub API (%s)"
                % (emu.port, emu.network.lookup("a", "proj").id, emu.url))
            log = api_requests(emu)
            moved = [r for r in log if r["status"] == 301]
            self.assertEqual(len(moved), 1)
            # nothing was asked of the other origin, token or not
            self.assertTrue(all(r["host"].startswith("127.") for r in log),
                            log)
            self.assertTrue(all(r["auth"] for r in log))
            # the other forks are listed as usual
            self.assertIsNone(res.by_name()[("c/proj", "master")]["error"])

    def test_bad_token_is_fatal_in_one_line(self):
        with Emulator(nested_network()) as emu:
            res = run_driver(emu.url, "up/proj", token="wrong")
            self.assertEqual(res.rc, -9)  # FM_EAUTH
            self.assertEqual(res.error,
                             "GitHub rejected the token (401 bad "
                             "credentials)")

    def test_token_never_in_output_or_store(self):
        import tempfile
        net = nested_network()
        net["forks"][1]["fault"] = "451"
        with tempfile.TemporaryDirectory() as tmp, Emulator(net) as emu:
            db = os.path.join(tmp, "c.db")
            res = run_driver(emu.url, "up/proj", "--db", db, "--depth", 2,
                             "--branches", "all", token=TOKEN)
            self.assertNotIn(TOKEN, res.stdout + res.stderr)
            for name in os.listdir(tmp):
                with open(os.path.join(tmp, name), "rb") as f:
                    self.assertNotIn(TOKEN.encode(), f.read())

    def test_anonymous(self):
        net = nested_network()
        net["tokens"] = []
        with Emulator(net) as emu:
            res = run_driver(emu.url, "up/proj", token=None)
            self.assertEqual(res.rc, 0, res.error)
            self.assertEqual(res.stats["remaining"], 58)
            self.assertFalse(any(r["auth"] for r in api_requests(emu)))

    def test_unreachable_api_is_fatal_in_one_line(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        # nothing listens there now
        res = run_driver("http://127.0.0.1:%d" % port, "up/proj",
                         token=TOKEN)
        self.assertEqual(res.rc, -15)  # FM_ENET
        self.assertTrue(res.error.startswith(
            "cannot reach the GitHub API at http://127.0.0.1:%d: " % port),
            res.error)
        self.assertNotIn("\n", res.error)

    def test_missing_upstream(self):
        with Emulator(nested_network()) as emu:
            res = run_driver(emu.url, "nobody/nothing", token=TOKEN)
            self.assertEqual(res.rc, -11)  # FM_ENOTFOUND
            self.assertEqual(res.error,
                             "GitHub has no repository 'nobody/nothing' "
                             "(GET /repos/nobody/nothing: 404 Not Found)")

    def test_invalid_upstream_name(self):
        res = run_driver("http://127.0.0.1:9", "../etc", token=TOKEN)
        self.assertEqual(res.rc, -3)  # FM_EINVAL
        self.assertIn("OWNER/REPO", res.error)


if __name__ == "__main__":
    unittest.main()
