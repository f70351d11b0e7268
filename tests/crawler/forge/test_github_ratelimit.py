"""Rate limits, with the clock injected: forkmap-github-driver --emu-clock
makes fm_ctx_now ask the emulator's virtual clock and fm_ctx_sleep advance
it (POST /_emu/advance) instead of sleeping. The emulator's log then shows
exactly when each request was sent in virtual time, so these tests prove
that nothing was sent during a wait, and they never sleep for real.
"""
import os
import tempfile
import unittest

from ghemu import Emulator, run_driver

FM_ELISTING = -18  # include/forkmap/common.h
TOKEN = "ghp_ratelimitTESTTOKEN"


def network(nforks=350, rate_limit=None, secondary=None, **extra):
    forks = [{"owner": "u%04d" % i, "repo": "proj", "stars": nforks - i}
             for i in range(nforks)]
    doc = {"upstream": {"owner": "up", "repo": "proj"}, "forks": forks,
           "tokens": [TOKEN]}
    if rate_limit:
        doc["rate_limit"] = rate_limit
    if secondary:
        doc["secondary"] = secondary
    doc.update(extra)
    return doc


def discover(emu, *args, **kw):
    return run_driver(emu.url, "up/proj", "--emu-clock", "--top", "0",
                      *args, token=TOKEN, **kw)


class Waiting(unittest.TestCase):
    def assert_silent_during(self, log, wait_start_seq, until):
        """No request between the one that caused a wait and the clock
        reaching `until`; the next one is sent at or after `until`."""
        reqs = log["requests"]
        advances = [e for e in log["events"] if e["seq"] > wait_start_seq]
        self.assertTrue(advances, "the client never advanced the clock")
        first_adv = advances[0]["seq"]
        between = [r for r in reqs if wait_start_seq < r["seq"] < first_adv]
        self.assertEqual(between, [], "requests sent during the wait")
        later = [r for r in reqs if r["seq"] > first_adv]
        self.assertTrue(later)
        self.assertGreaterEqual(later[0]["time"], until)

    def test_primary_exhaustion_waits_until_reset(self):
        net = network(rate_limit={"limit": 5000, "remaining": 2,
                                  "reset_in": 900})
        with Emulator(net, frozen=True) as emu:
            t0 = emu.now()
            res = discover(emu)
            self.assertEqual(res.rc, 0, res.error)
            self.assertFalse(res.doc["clock_failed"])
            self.assertEqual(len(res.forks), 350)
            log = emu.log()
            reqs = log["requests"]
            # the client saw remaining 0 and did not ask again: no 403
            self.assertEqual([r["status"] for r in reqs], [200] * 5)
            self.assertEqual(res.stats["waits"], 1)
            waits = res.doc["waits"]
            self.assertEqual(len(waits), 1)
            reset = t0 + 900
            self.assertEqual(waits[0]["until"], reset + 1)
            self.assertEqual(res.stats["waited_seconds"], 901)
            self.assertIn("waiting", res.doc["phases"])
            self.assert_silent_during(log, reqs[1]["seq"],
                                      waits[0]["until"])

    def test_refusal_when_someone_else_used_the_limit(self):
        # the 3rd request finds the window empty (403 with GitHub's body)
        net = network(rate_limit={"limit": 5000, "reset_in": 600,
                                  "exhaust_at": [3]})
        with Emulator(net, frozen=True) as emu:
            res = discover(emu)
            self.assertEqual(res.rc, 0, res.error)
            self.assertEqual(len(res.forks), 350)
            log = emu.log()
            reqs = log["requests"]
            refused = [r for r in reqs if r["status"] == 403]
            self.assertEqual(len(refused), 1)
            self.assertEqual(res.stats["waits"], 1)
            until = res.doc["waits"][0]["until"]
            self.assert_silent_during(log, refused[0]["seq"], until)
            # the refused page is asked again, once
            retry = [r for r in reqs if r["seq"] > refused[0]["seq"]][0]
            self.assertEqual(retry["path"], refused[0]["path"])
            self.assertEqual(retry["status"], 200)

    def test_secondary_limit_retry_after_honoured_exactly(self):
        net = network(secondary={"at": [3], "retry_after": 45})
        with Emulator(net, frozen=True) as emu:
            res = discover(emu)
            self.assertEqual(res.rc, 0, res.error)
            self.assertEqual(len(res.forks), 350)
            log = emu.log()
            reqs = log["requests"]
            limited = [r for r in reqs if r["status"] == 403]
            self.assertEqual(len(limited), 1)
            self.assertEqual(res.stats["waits"], 1)
            self.assertEqual(res.stats["waited_seconds"], 45)
            self.assertEqual(log["events"][0]["seconds"], 45)
            self.assert_silent_during(log, limited[0]["seq"],
                                      limited[0]["time"] + 45)

    def test_secondary_limit_without_retry_after_backs_off_60s(self):
        net = network(secondary={"at": [2], "status": 429})
        with Emulator(net, frozen=True) as emu:
            res = discover(emu)
            self.assertEqual(res.rc, 0, res.error)
            self.assertEqual(res.stats["waits"], 1)
            self.assertEqual(res.stats["waited_seconds"], 60)
            log = emu.log()
            limited = [r for r in log["requests"] if r["status"] == 429]
            self.assertEqual(len(limited), 1)
            self.assert_silent_during(log, limited[0]["seq"],
                                      limited[0]["time"] + 60)

    def test_wait_beyond_max_wait_stops_cleanly_and_rerun_resumes(self):
        net = network(rate_limit={"limit": 5000, "remaining": 3,
                                  "reset_in": 3600})
        with tempfile.TemporaryDirectory() as tmp, \
                Emulator(net, frozen=True) as emu:
            db = os.path.join(tmp, "cache.db")
            res = discover(emu, "--db", db, "--max-wait", "600")
            self.assertEqual(res.rc, -10)  # FM_ERATELIMIT
            self.assertEqual(res.error,
                             "GitHub API rate limit exhausted (limit "
                             "5000): it resets in 3601 s, more than the "
                             "longest allowed wait of 600 s")
            first = emu.log()["requests"]
            self.assertEqual(len(first), 3)
            self.assertTrue(all(r["status"] == 200 for r in first))
            self.assertEqual(res.stats["waits"], 0)
            # an hour later, the rerun revalidates what it has (free 304s)
            # and only pays for the rest
            emu.advance(3601)
            emu.clear_log()
            res = discover(emu, "--db", db, "--max-wait", "600")
            self.assertEqual(res.rc, 0, res.error)
            self.assertEqual(len(res.forks), 350)
            again = emu.log()["requests"]
            self.assertEqual([r["status"] for r in again],
                             [304, 304, 304, 200, 200])
            self.assertEqual(res.stats["counted"], 2)

    def test_server_errors_are_retried_with_backoff(self):
        net = network(100)
        net["upstream"]["fault"] = {"type": "500-once", "paths": ["forks"]}
        with Emulator(net, frozen=True) as emu:
            res = discover(emu)
            self.assertEqual(res.rc, 0, res.error)
            self.assertEqual(len(res.forks), 100)
            self.assertEqual(res.stats["retries"], 1)
            log = emu.log()
            statuses = [r["status"] for r in log["requests"]]
            self.assertEqual(statuses, [200, 500, 200])
            # the backoff went through the injected clock: 1 s
            self.assertEqual([e["seconds"] for e in log["events"]], [1])

    def test_server_errors_give_up_after_three_retries(self):
        # the upstream's own list: no census without it (FM_ELISTING)
        net = network(100)
        net["upstream"]["fault"] = {"type": "502", "paths": ["forks"]}
        with Emulator(net, frozen=True) as emu:
            res = discover(emu)
            self.assertEqual(res.rc, FM_ELISTING, res.error)
            self.assertEqual(
                res.error,
                "cannot list the forks of 'up/proj': GET /repos/up/proj/"
                "forks?sort=stargazers&per_page=100: 502 Bad Gateway (after "
                "3 retries)")
            self.assertEqual(res.forks, [])
            log = emu.log()
            self.assertEqual([e["seconds"] for e in log["events"]],
                             [1, 2, 4])
            self.assertEqual(len(log["requests"]), 1 + 4)

    def test_concurrent_requests_share_one_wait(self):
        # forks of forks listed by 4 threads; the window empties midway
        forks = [{"owner": "p%02d" % i, "repo": "proj", "stars": 100 - i}
                 for i in range(12)]
        forks += [{"owner": "k%02d" % i, "repo": "proj",
                   "parent": "p%02d/proj" % i, "stars": 1}
                  for i in range(12)]
        net = {"upstream": {"owner": "up", "repo": "proj"}, "forks": forks,
               "tokens": [TOKEN],
               "rate_limit": {"remaining": 6, "reset_in": 300}}
        with Emulator(net, frozen=True) as emu:
            res = discover(emu, "--depth", "2", "--concurrency", "4")
            self.assertEqual(res.rc, 0, res.error)
            self.assertEqual(len(res.forks), 24)
            self.assertEqual(res.stats["waits"], 1)
            log = emu.log()
            self.assertEqual(len(log["events"]), 1)
            adv = log["events"][0]
            before = [r for r in log["requests"] if r["seq"] < adv["seq"]]
            after = [r for r in log["requests"] if r["seq"] > adv["seq"]]
            # 6 answers empty the window; up to 3 more requests were
            # already in flight (sent before the 6th answer came) and are
            # refused, then asked again after the one wait
            self.assertEqual(sum(r["status"] == 200 for r in before), 6)
            refused = [r for r in before if r["status"] != 200]
            self.assertLessEqual(len(refused), 3)
            self.assertTrue(all(r["status"] == 403 for r in refused))
            self.assertTrue(all(r["status"] == 200 for r in after))
            self.assertEqual(len(after), 14 - 6)
            self.assertTrue(all(r["time"] >= adv["time"] for r in after))


if __name__ == "__main__":
    unittest.main()
