"""forkmap against a hostile forge API (tests/lib/hostile.py): every fault
of docs/faults.md, with what the library does (forkmap-github-driver, the
clock injected so that no wait is slept) and, in Census below, the exit
code of `forkmap census` itself.

The upstream up/proj has five forks listed two a page (three pages), so a
fault can hit the first page or a later one.
"""
import json
import subprocess
import time
import unittest

from fixture import Sandbox
from forkmap_run import forkmap_bin
from ghemu import GitNet, run_driver
from gitd import GitDaemon
from hostile import Hostile

FM_EHTTP = -8
FM_ERATELIMIT = -10
FM_ELISTING = -18  # include/forkmap/common.h
TOKEN = "ghp_hostileTESTTOKEN"
FIRST = "/repos/up/proj/forks?sort=stargazers&per_page=100"
PAGE = "/repositories/1/forks?per_page=100&page=%d"
FORKS = [{"name": "f%d/proj" % i, "stars": 100 - i} for i in range(5)]
SECONDARY = '{"message":"You have exceeded a secondary rate limit."}'


def discover(h, *args):
    return run_driver(h.url, "up/proj", "--emu-clock", "--timeout", "1",
                      "--top", "0", *args, token=TOKEN)


class Driver(unittest.TestCase):
    def run_fault(self, fault, forks=FORKS, *args):
        with Hostile(forks=forks, fault=fault) as h:
            res = discover(h, *args)
            return res, h.log(), h

    def assert_listing_failed(self, res, why):
        self.assertEqual(res.rc, FM_ELISTING, res.error)
        self.assertEqual(res.error,
                         "cannot list the forks of 'up/proj': " + why)

    # -- the connection ----------------------------------------------------

    def test_reset_before_the_answer_is_retried_then_fails(self):
        res, log, _ = self.run_fault({"type": "reset-at-once"})
        self.assert_listing_failed(
            res, "GET %s: Recv failure: Connection reset by peer (after 3 "
            "retries)" % FIRST)
        self.assertEqual(len(log), 1 + 4)
        self.assertEqual(res.stats["retries"], 3)

    def test_reset_before_the_body_is_retried_then_fails(self):
        res, log, _ = self.run_fault({"type": "reset-after-headers",
                                      "on": "forks:2"})
        self.assertEqual(res.rc, FM_ELISTING, res.error)
        self.assertRegex(res.error, r"truncated answer to GET %s: .*reset"
                         r".* \(after 3 retries\)$" % (PAGE % 2).replace(
                             "?", r"\?"))
        self.assertEqual([f["name"] for f in res.forks],
                         ["f0/proj", "f1/proj"])
        self.assertEqual(sum(e["path"] == PAGE % 2 for e in log), 4)

    def test_reset_mid_body_once_is_retried_and_the_list_completes(self):
        res, log, _ = self.run_fault({"type": "reset-mid-body",
                                      "on": "forks:2", "times": 1})
        self.assertEqual(res.rc, 0, res.error)
        self.assertEqual(len(res.forks), 5)
        self.assertEqual(res.stats["retries"], 1)

    def test_silence_after_the_headers_times_out(self):
        t0 = time.monotonic()
        res, log, _ = self.run_fault({"type": "silent-after-headers"})
        self.assert_listing_failed(
            res, "GET %s: the answer stalled (under 64 bytes/s for 1 s, or "
            "over 10 s in all) (after 3 retries)" % FIRST)
        self.assertLess(time.monotonic() - t0, 50)  # far from 60 s silence

    def test_trickle_is_a_stall(self):
        # a byte every 0.2 s: bytes keep coming, never fast enough
        res, log, _ = self.run_fault({"type": "trickle", "interval": 0.2})
        self.assert_listing_failed(
            res, "GET %s: the answer stalled (under 64 bytes/s for 1 s, or "
            "over 10 s in all) (after 3 retries)" % FIRST)

    # -- sizes -------------------------------------------------------------

    def test_announced_huge_body_is_refused_before_reading(self):
        res, log, _ = self.run_fault({"type": "huge-length"})
        self.assert_listing_failed(
            res, "GET %s: answer larger than 64 MB" % FIRST)
        self.assertEqual(len(log), 2)  # not retried

    def test_endless_chunked_body_is_cut_at_the_limit(self):
        res, log, _ = self.run_fault({"type": "huge-chunked"})
        self.assert_listing_failed(
            res, "GET %s: answer larger than 64 MB" % FIRST)
        self.assertEqual(len(log), 2)

    def test_gzip_bomb_is_cut_at_the_decoded_limit(self):
        res, log, _ = self.run_fault({"type": "gzip-bomb", "mb": 100})
        self.assert_listing_failed(
            res, "GET %s: answer larger than 64 MB" % FIRST)

    def test_header_flood_is_cut_by_libcurl(self):
        res, log, _ = self.run_fault({"type": "header-flood"})
        self.assertEqual(res.rc, FM_ELISTING, res.error)
        self.assertRegex(res.error, r"Too large response headers")
        self.assertLessEqual(len(log), 1 + 4)

    # -- redirects and links -----------------------------------------------

    def test_redirect_loop_stops_after_five_hops(self):
        res, log, _ = self.run_fault({"type": "redirect-loop"})
        self.assert_listing_failed(res, "GET %s: more than 5 redirects"
                                   % FIRST)
        self.assertEqual(len(log), 1 + 6)

    def test_endless_redirect_chain_stops_after_five_hops(self):
        res, log, _ = self.run_fault({"type": "redirect-chain"})
        self.assertEqual(res.rc, FM_ELISTING, res.error)
        self.assertTrue(res.error.endswith(": more than 5 redirects"),
                        res.error)
        self.assertEqual(len(log), 1 + 6)

    def assert_redirect_refused(self, to, shown):
        res, log, h = self.run_fault({"type": "redirect", "to": to})
        self.assert_listing_failed(
            res, "GET %s: 301 to %s refused: it leaves the GitHub API (%s)"
            % (FIRST, h.expand(shown), h.url))
        # asked of nobody else: every request came here, with the token
        self.assertEqual(len(log), 2)
        self.assertTrue(all(e["auth"] for e in log))
        self.assertFalse(h.other_asked)

    def test_redirect_to_another_port_is_refused(self):
        self.assert_redirect_refused(
            "http://127.0.0.1:{other}/repositories/1/forks",
            "http://127.0.0.1:{other}/repositories/1/forks")

    def test_redirect_to_another_host_is_refused(self):
        self.assert_redirect_refused(
            "http://127.0.0.2:{port}/repositories/1/forks",
            "http://127.0.0.2:{port}/repositories/1/forks")

    def test_redirect_to_a_link_local_address_is_refused(self):
        self.assert_redirect_refused(
            "http://169.254.169.254/latest/meta-data/",
            "http://169.254.169.254/latest/meta-data/")

    def test_redirect_with_credentials_is_refused_and_scrubbed(self):
        res, log, h = self.run_fault({
            "type": "redirect",
            "to": "http://user:pw-secret@127.0.0.1:{port}/repositories/1"})
        self.assertEqual(res.rc, FM_ELISTING, res.error)
        self.assertIn("refused: it leaves the GitHub API", res.error)
        self.assertNotIn("pw-secret", res.stdout + res.stderr)
        self.assertEqual(len(log), 2)

    def test_same_origin_move_is_followed(self):
        # GitHub's 301 of a renamed repository to /repositories/ID
        res, log, _ = self.run_fault({"type": "redirect", "on": "repo",
                                      "times": 1, "to": "/repositories/1"})
        self.assertEqual(res.rc, 0, res.error)
        self.assertEqual(len(res.forks), 5)
        self.assertEqual([e["path"] for e in log[:2]],
                         ["/repos/up/proj", "/repositories/1"])

    def test_link_loop_is_detected_at_the_first_repeat(self):
        # page 3 says the next page is page 1 (in its /repositories form)
        res, log, _ = self.run_fault({"type": "link", "on": "forks:3",
                                      "to": "{page1}"})
        self.assert_listing_failed(
            res, "pagination loop: the next page after GET %s is %s, a "
            "page already read" % (PAGE % 1, PAGE % 2))
        # pages 1, 2, 3, page 1 again; never page 2 twice
        self.assertEqual([e["path"] for e in log[1:]],
                         [FIRST, PAGE % 2, PAGE % 3, PAGE % 1])
        # the forks read are each there once
        self.assertEqual(sorted(f["name"] for f in res.forks),
                         ["f%d/proj" % i for i in range(5)])

    def test_link_off_origin_is_refused(self):
        res, log, _ = self.run_fault({"type": "link", "on": "forks:1",
                                      "to": "http://169.254.169.254/x"})
        self.assertEqual(res.rc, FM_ELISTING, res.error)
        self.assertRegex(res.error, r": GET http://169\.254\.169\.254/x "
                         r"refused: not on the GitHub API's origin "
                         r"http://127\.0\.0\.1:\d+$")
        self.assertEqual(len(log), 2)

    def test_duplicates_are_dropped_before_the_top_n(self):
        # f0 three times on pages 1 and 2: the top 3 are f0, f1, f2
        forks = [{"name": "f0/proj", "stars": 100, "id": 7},
                 {"name": "F0/Proj", "stars": 100, "id": 7},
                 {"name": "f0/proj", "stars": 99, "id": 7},
                 {"name": "f1/proj", "stars": 90},
                 {"name": "f2/proj", "stars": 80},
                 {"name": "f3/proj", "stars": 70}]
        with Hostile(forks=forks) as h:
            res = run_driver(h.url, "up/proj", "--emu-clock", "--top", "3",
                             token=TOKEN)
        self.assertEqual(res.rc, 0, res.error)
        self.assertEqual([f["name"] for f in res.forks],
                         ["f0/proj", "f1/proj", "f2/proj"])

    # -- numbers in headers ------------------------------------------------

    def test_retry_after_out_of_range_stops_with_a_clear_error(self):
        res, log, _ = self.run_fault({
            "type": "answer", "times": 1, "status": 403, "body": SECONDARY,
            "headers": {"Retry-After": "9" * 30}})
        self.assertEqual(res.rc, FM_ERATELIMIT, res.error)
        self.assertEqual(res.error,
                         "GitHub asks to wait 1000000000000 s (secondary "
                         "rate limit), more than the longest allowed wait "
                         "of 3600 s")
        self.assertEqual(len(log), 2)  # no burst: nothing after it

    def test_retry_after_zero_backs_off_instead_of_a_burst(self):
        res, log, _ = self.run_fault({
            "type": "answer", "times": 3, "status": 403, "body": SECONDARY,
            "headers": {"Retry-After": "0"}})
        self.assertEqual(res.rc, 0, res.error)
        self.assertEqual(len(res.forks), 5)
        self.assertEqual(res.stats["waits"], 3)
        self.assertEqual(res.stats["waited_seconds"], 1 + 2 + 4)

    def test_retry_after_http_date_is_read(self):
        with Hostile(forks=FORKS) as h:
            date = time.strftime("%a, %d %b %Y %H:%M:%S GMT",
                                 time.gmtime(h.now + 120))
            h.fault = {"type": "answer", "on": "forks", "times": 1,
                       "status": 429, "body": "{}",
                       "headers": {"Retry-After": date}}
            res = discover(h)
        self.assertEqual(res.rc, 0, res.error)
        self.assertEqual(res.stats["waited_seconds"], 120)

    def test_reset_out_of_range_stops_with_a_clear_error(self):
        res, log, _ = self.run_fault({
            "type": "answer", "times": 1,
            "headers": {"X-RateLimit-Remaining": "0",
                        "X-RateLimit-Reset": "9" * 40}})
        self.assertEqual(res.rc, FM_ERATELIMIT, res.error)
        self.assertRegex(res.error,
                         r"^GitHub API rate limit exhausted \(limit 5000\): "
                         r"it resets in \d{12} s, more than the longest "
                         r"allowed wait of 3600 s$")
        self.assertEqual(len(log), 2)

    def test_remaining_empty_or_not_a_number_is_unknown(self):
        for value in ("", "abc", "12abc", "-1"):
            res, log, _ = self.run_fault({
                "type": "answer", "headers": {"X-RateLimit-Remaining": value}})
            self.assertEqual(res.rc, 0, (value, res.error))
            self.assertEqual(len(res.forks), 5, value)
            self.assertEqual(res.stats["waits"], 0, value)

    # -- bodies ------------------------------------------------------------

    def assert_body_refused(self, body, why):
        res, log, _ = self.run_fault({"type": "answer", "body": body})
        self.assert_listing_failed(res, why)

    def test_html_body_is_not_json(self):
        self.assert_body_refused("<html><body>oops</body></html>",
                                 "not JSON: an HTML page from GET %s" % FIRST)

    def test_blank_body_is_not_json(self):
        self.assert_body_refused(" \n\t ", "not JSON: an empty answer (4 "
                                 "bytes of white space) to GET %s" % FIRST)

    def test_nul_in_a_string_is_an_error(self):
        self.assert_body_refused(
            '[{"full_name":"a/b\\u0000c"}]',
            "malformed JSON from GET %s: a string holds \\u0000 (NUL)"
            % FIRST)
        self.assert_body_refused(
            '[{"full_name":"a/b\0c"}]',
            "malformed JSON from GET %s: a NUL byte at byte 18" % FIRST)

    def test_trailing_garbage_is_an_error(self):
        self.assert_body_refused(
            "[] []", "malformed JSON from GET %s: more after the document "
            "at byte 2" % FIRST)

    def test_number_out_of_range_is_an_error(self):
        for n in ("1e300", "9223372036854775808", "-1e19"):
            self.assert_body_refused(
                '[{"full_name":"a/b","stargazers_count":%s}]' % n,
                "unexpected JSON from GET %s: entry 0: stargazers_count is "
                "out of range" % FIRST)


class Census(unittest.TestCase):
    """The exit codes of `forkmap census` for each kind of outcome: the
    upstream and its forks are real repositories behind git daemon, only
    the API is hostile."""

    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox()
        net = GitNet(cls.sb)
        net.up.write("a.c", "int a;\n")
        net.up.commit("one")
        for i in range(3):
            w = net.fork("f%d" % i, stars=10 - i)
            w.write("f%d.c" % i, "int f;\n")
            w.commit("f%d: own work" % i)
        net.publish()
        cls.net = net
        cls.daemon = GitDaemon(net.root, env=cls.sb.env)
        cls.daemon.start()

    @classmethod
    def tearDownClass(cls):
        cls.daemon.stop()
        cls.sb.cleanup()

    def census(self, fault, forks=None, *args):
        forks = forks or [{"name": "f%d/proj" % i, "stars": 10 - i}
                          for i in range(3)]
        repo = self.sb.path("repo-%d" % id(fault))
        with Hostile(forks=forks, fault=fault,
                     clone_base=self.daemon.base_url) as h:
            env = dict(self.sb.env)
            env["GITHUB_TOKEN"] = TOKEN
            proc = subprocess.run(
                [forkmap_bin(), "census", "-C", repo, "--upstream",
                 "up/proj", "--api", h.url, "--timeout", "2", "--quiet",
                 "--json", "-"] + list(args),
                env=env, capture_output=True, text=True, timeout=300)
            return proc, h.log()

    def test_census_exit_0_when_duplicates_are_dropped(self):
        forks = [{"name": "f0/proj", "stars": 10, "id": 5},
                 {"name": "f0/proj", "stars": 10, "id": 5},
                 {"name": "f1/proj", "stars": 9}]
        proc, _ = self.census(None, forks)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([f["name"] for f in json.loads(proc.stdout)["forks"]],
                         ["f0/proj", "f1/proj"])

    def test_census_exit_11_for_a_link_loop(self):
        proc, _ = self.census({"type": "link", "on": "forks:2",
                               "to": "{page1}"})
        self.assertEqual(proc.returncode, 11, proc.stderr)
        self.assertIn("pagination loop", proc.stderr)

    def test_census_exit_11_for_a_gzip_bomb(self):
        proc, _ = self.census({"type": "gzip-bomb", "mb": 80})
        self.assertEqual(proc.returncode, 11, proc.stderr)
        self.assertIn("answer larger than 64 MB", proc.stderr)

    def test_census_exit_11_for_a_reset_mid_body(self):
        # three retries after 1, 2 and 4 s of real time
        proc, _ = self.census({"type": "reset-mid-body", "on": "forks"})
        self.assertEqual(proc.returncode, 11, proc.stderr)
        self.assertIn("(after 3 retries)", proc.stderr)

    def test_census_exit_11_for_an_off_origin_redirect(self):
        proc, log = self.census({"type": "redirect", "on": "forks",
                                 "to": "http://127.0.0.2:{port}/x"})
        self.assertEqual(proc.returncode, 11, proc.stderr)
        self.assertIn("refused: it leaves the GitHub API", proc.stderr)

    def test_census_exit_10_for_an_html_repository_answer(self):
        proc, _ = self.census({"type": "answer", "on": "repo",
                               "body": "<html></html>"})
        self.assertEqual(proc.returncode, 10, proc.stderr)
        self.assertIn("not JSON: an HTML page from GET /repos/up/proj",
                      proc.stderr)

    def test_census_exit_8_for_a_reset_out_of_range(self):
        proc, _ = self.census({"type": "answer", "on": "forks",
                               "headers": {"X-RateLimit-Remaining": "0",
                                           "X-RateLimit-Reset": "9" * 40}})
        self.assertEqual(proc.returncode, 8, proc.stderr)
        self.assertIn("more than the longest allowed wait of 3600 s",
                      proc.stderr)

    def test_census_exit_0_for_an_unknown_remaining(self):
        proc, _ = self.census({"type": "answer", "on": "forks",
                               "headers": {"X-RateLimit-Remaining": ""}})
        self.assertEqual(proc.returncode, 0, proc.stderr)


if __name__ == "__main__":
    unittest.main()
