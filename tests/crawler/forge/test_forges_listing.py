"""Listing forks on every forge, through forkmap-github-driver --forge
(fm_forge_discover) and the emulators, without git: how many requests a
listing costs, which forks --top keeps, and the forks never pushed since
they were created (skipped without a fetch, not counted by --top).

- GitHub: listing all N forks costs 1 + ceil(N/100) counted requests cold
  and 0 warm (304s are free with a token);
- GitLab: sorted by stars on the server, paged by Link/x-next-page, the
  totals absent above 10,000 items (here: above `total_limit`); 429 with
  Retry-After is waited out on the virtual clock; a 304 is counted;
- Forgejo: no sort and no Link: every page is listed (until
  X-Total-Count, or a short page), the most starred kept; a server that
  caps limit lower than asked is followed.
"""
import json
import math
import os
import subprocess
import unittest

from fixture import Sandbox
from fjemu import ForgejoEmulator
from ghemu import DriverResult, Emulator, driver_bin, iso
from glemu import GitLabEmulator

TOKENS = {"github": ("GITHUB_TOKEN", "ghp_listTOKEN"),
          "gitlab": ("GITLAB_TOKEN", "glpat-listTOKEN"),
          "forgejo": ("FORGEJO_TOKEN", "fjlistTOKEN")}


def network(n, never=()):
    """up/proj with n forks f0000..: stars spread so that the listing
    order (creation) is not the star order; forks in `never` were never
    pushed after they were created."""
    forks = []
    for i in range(n):
        f = {"owner": "f%04d" % i, "repo": "proj",
             "stars": (i * 37) % 101, "created_at": iso(1600000000 + i)}
        f["pushed_at"] = f["created_at"] if i in never else iso(
            1600000000 + i + 86400)
        forks.append(f)
    return {"upstream": {"owner": "up", "repo": "proj",
                         "default_branch": "master"}, "forks": forks}


def expected_top(doc, top, ties_desc=False):
    """What --top N keeps of a listing by stars: the forks ranked above
    the Nth one that can carry work (never pushed ones included). Equal
    stars in creation order (GitLab: newest first, its id order)."""
    ranked = sorted(enumerate(doc["forks"]),
                    key=lambda p: (-p[1]["stars"],
                                   -p[0] if ties_desc else p[0]))
    keep, got = [], 0
    for _, f in ranked:
        if top and got >= top:
            break
        keep.append("%s/%s" % (f["owner"], f["repo"]))
        got += f["pushed_at"] != f["created_at"]
    return keep


class Listing(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox()

    @classmethod
    def tearDownClass(cls):
        cls.sb.cleanup()

    def drive(self, forge, api, *args):
        var, token = TOKENS[forge]
        env = {k: v for k, v in self.sb.env.items()
               if k not in ("GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN",
                            "FORGEJO_TOKEN", "GITEA_TOKEN")}
        env[var] = token
        argv = [driver_bin(), "--forge", forge, "--api", api,
                "--upstream", "up/proj"] + [str(a) for a in args]
        proc = subprocess.run(argv, env=env, capture_output=True,
                              text=True, timeout=300)
        self.assertNotIn(token, proc.stdout + proc.stderr)
        res = DriverResult(argv, proc)
        self.assertEqual(res.rc, 0, res.error)
        return res

    def assert_top(self, res, doc, top, ties_desc=False):
        names = [f["name"] for f in res.forks]
        self.assertEqual(names, expected_top(doc, top, ties_desc))
        never = {"%s/%s" % (f["owner"], f["repo"]) for f in doc["forks"]
                 if f["pushed_at"] == f["created_at"]}
        for f in res.forks:
            self.assertEqual(f["skipped"], "never pushed"
                             if f["name"] in never else None, f["name"])
        if top:
            self.assertEqual(sum(f["skipped"] is None for f in res.forks),
                             top)

    # -- GitHub -------------------------------------------------------------

    def test_github_lists_n_forks_in_ceil_n_over_100_then_free(self):
        doc = network(350)
        db = self.sb.path("gh-list.db")
        with Emulator(dict(doc, tokens=[TOKENS["github"][1]])) as emu:
            cold = self.drive("github", emu.url, "--top", 0, "--db", db)
            warm = self.drive("github", emu.url, "--top", 0, "--db", db)
        self.assertEqual(len(cold.forks), 350)
        self.assertEqual(cold.stats["counted"], 1 + math.ceil(350 / 100))
        self.assertEqual(warm.forks, cold.forks)
        self.assertEqual(warm.stats["counted"], 0)
        self.assertEqual(warm.stats["not_modified"], warm.stats["requests"])

    def test_github_top_counts_forks_that_can_carry_work(self):
        # the 60 most starred were never pushed: the top 50 that can
        # carry work are on the second page
        doc = network(300)
        ranked = sorted(range(300), key=lambda i: (-doc["forks"][i]["stars"],
                                                   i))
        doc = network(300, never=set(ranked[:60]))
        with Emulator(dict(doc, tokens=[TOKENS["github"][1]])) as emu:
            res = self.drive("github", emu.url, "--top", 50)
        self.assert_top(res, doc, 50)
        self.assertEqual(res.stats["counted"], 1 + 2)

    # -- GitLab -------------------------------------------------------------

    def test_gitlab_pages_sorted_by_stars_and_stops_at_top(self):
        doc = network(250)
        with GitLabEmulator(doc, tokens=[TOKENS["gitlab"][1]]) as emu:
            res = self.drive("gitlab", emu.api, "--top", 150)
            paths = [r["path"] for r in emu.log()["requests"]]
        self.assert_top(res, doc, 150, ties_desc=True)
        self.assertEqual(res.stats["counted"], 1 + 2)
        self.assertTrue(paths[1].startswith(
            "/api/v4/projects/up%2Fproj/forks?order_by=star_count"), paths)

    def test_gitlab_without_totals_pages_to_the_end(self):
        doc = network(250, never={3, 5})
        with GitLabEmulator(doc, tokens=[TOKENS["gitlab"][1]],
                            total_limit=100) as emu:
            res = self.drive("gitlab", emu.api, "--top", 0)
        self.assert_top(res, doc, 0, ties_desc=True)
        self.assertEqual(res.stats["counted"], 1 + 3)

    def test_gitlab_429_waits_out_the_window_and_304s_count(self):
        doc = network(250)
        db = self.sb.path("gl-429.db")
        with GitLabEmulator(doc, tokens=[TOKENS["gitlab"][1]],
                            rate_limit={"limit": 2, "window": 60}) as emu:
            res = self.drive("gitlab", emu.api, "--top", 0, "--emu-clock",
                             "--db", db)
            log = emu.log()
            warm = self.drive("gitlab", emu.api, "--top", 0, "--emu-clock",
                              "--db", db)
        self.assertEqual(len(res.forks), 250)
        self.assertGreaterEqual(res.stats["waits"], 1)
        # no request in a window after its limit, but after an advance
        served = [r for r in log["requests"] if r["status"] != 429]
        self.assertEqual(len(served), 4)
        self.assertTrue(log["events"], log)
        self.assertEqual(warm.forks, res.forks)
        self.assertEqual(warm.stats["not_modified"], 4)
        self.assertEqual(warm.stats["counted"], warm.stats["requests"])

    # -- Forgejo ------------------------------------------------------------

    def test_forgejo_lists_every_page_and_keeps_the_most_starred(self):
        doc = network(120, never={0, 11, 22})
        with ForgejoEmulator(doc, tokens=[TOKENS["forgejo"][1]]) as emu:
            res = self.drive("forgejo", emu.api, "--top", 5)
            paths = [r["path"] for r in emu.log()["requests"]]
        self.assert_top(res, doc, 5)
        self.assertEqual(res.stats["counted"], 1 + math.ceil(120 / 50))
        self.assertEqual(paths[1:], [
            "/api/v1/repos/up/proj/forks?page=%d&limit=50" % p
            for p in (1, 2, 3)])

    def test_forgejo_stops_at_the_total_and_follows_a_lower_cap(self):
        doc = network(100)
        with ForgejoEmulator(doc, tokens=[TOKENS["forgejo"][1]]) as emu:
            res = self.drive("forgejo", emu.api, "--top", 0)
        self.assertEqual(len(res.forks), 100)
        self.assertEqual(res.stats["counted"], 1 + 2)  # no empty page
        doc = network(95)
        with ForgejoEmulator(doc, tokens=[TOKENS["forgejo"][1]],
                             max_items=30) as emu:
            res = self.drive("forgejo", emu.api, "--top", 0)
            paths = [r["path"] for r in emu.log()["requests"]]
        self.assert_top(res, doc, 0)
        self.assertEqual(res.stats["counted"], 1 + math.ceil(95 / 30))
        self.assertEqual(paths[2], "/api/v1/repos/up/proj/forks?page=2"
                         "&limit=30")

    def test_forgejo_without_a_total_a_short_first_page_is_not_the_end(self):
        # a lower cap (30) and no X-Total-Count: the first page, shorter
        # than asked, is followed by more of its size until a short one
        doc = network(95)
        with ForgejoEmulator(doc, tokens=[TOKENS["forgejo"][1]],
                             max_items=30, send_total=False) as emu:
            res = self.drive("forgejo", emu.api, "--top", 0)
            paths = [r["path"] for r in emu.log()["requests"]]
        self.assertEqual(len(res.forks), 95)
        self.assertEqual(res.stats["counted"], 1 + math.ceil(95 / 30))
        self.assertEqual(paths[2], "/api/v1/repos/up/proj/forks?page=2"
                         "&limit=30")

    def test_forgejo_branch_links_without_spaces(self):
        doc = network(2)
        doc["forks"][0]["branches"] = ["b%02d" % i for i in range(70)]
        with ForgejoEmulator(doc, tokens=[TOKENS["forgejo"][1]]) as emu:
            res = self.drive("forgejo", emu.api, "--branches", "all")
        branches = sorted(f["branch"] for f in res.forks
                          if f["name"] == "f0000/proj")
        self.assertEqual(branches, ["b%02d" % i for i in range(70)])


if __name__ == "__main__":
    unittest.main()
