"""Network faults of the API, with the clock injected (--emu-clock: the
backoff of a retry advances the emulator's virtual clock instead of
sleeping): a connection reset in the middle of page 2 of the upstream's
forks list is retried and the list completes; a reset that persists, or a
server that reads the request and never answers, fails the discovery with
FM_ELISTING after three retries (1, 2, 4 s of virtual time), each request
given up after --timeout seconds without a byte.
"""
import time
import unittest

from ghemu import Emulator, run_driver

FM_ELISTING = -18  # include/forkmap/common.h
TOKEN = "ghp_networkTESTTOKEN"
PAGE2 = r"/repositories/\d+/forks\?sort=stargazers&per_page=100&page=2"


def network(fault, nforks=150):
    # 150 forks: two pages of 100, so the fault can hit page 2 only
    forks = [{"owner": "u%04d" % i, "repo": "proj", "stars": nforks - i}
             for i in range(nforks)]
    up = {"owner": "up", "repo": "proj", "fault": fault}
    return {"upstream": up, "forks": forks, "tokens": [TOKEN]}


def discover(emu, *args):
    return run_driver(emu.url, "up/proj", "--emu-clock", "--top", "0",
                      *args, token=TOKEN)


class NetworkFaults(unittest.TestCase):
    def page2_requests(self, log):
        return [r for r in log["requests"] if r["path"].endswith("&page=2")]

    def test_reset_mid_page_is_retried_and_the_list_completes(self):
        fault = {"type": "reset-once", "paths": ["forks"], "pages": [2]}
        with Emulator(network(fault), frozen=True) as emu:
            res = discover(emu)
            self.assertEqual(res.rc, 0, res.error)
            self.assertEqual(len(res.forks), 150)
            self.assertEqual(len({f["name"] for f in res.forks}), 150)
            self.assertEqual(res.stats["retries"], 1)
            log = emu.log()
            self.assertEqual(len(self.page2_requests(log)), 2)
            self.assertEqual([e["seconds"] for e in log["events"]], [1])

    def test_reset_that_persists_fails_with_elisting(self):
        fault = {"type": "reset", "paths": ["forks"], "pages": [2]}
        with Emulator(network(fault), frozen=True) as emu:
            res = discover(emu)
            self.assertEqual(res.rc, FM_ELISTING, res.error)
            self.assertRegex(
                res.error,
                r"^cannot list the forks of 'up/proj': truncated answer to "
                r"GET %s: .*[Cc]onnection reset.* \(after 3 retries\)$"
                % PAGE2)
            # the first page's forks are kept, no row stands for the list
            self.assertEqual(len(res.forks), 100)
            self.assertTrue(all(f["error"] is None for f in res.forks))
            log = emu.log()
            self.assertEqual(len(self.page2_requests(log)), 4)
            self.assertEqual([e["seconds"] for e in log["events"]],
                             [1, 2, 4])

    def test_silent_server_times_out_and_is_retried_bounded(self):
        fault = {"type": "silent", "seconds": 30, "paths": ["forks"]}
        with Emulator(network(fault), frozen=True) as emu:
            t0 = time.monotonic()
            res = discover(emu, "--timeout", "1")
            took = time.monotonic() - t0
            self.assertEqual(res.rc, FM_ELISTING, res.error)
            self.assertEqual(
                res.error,
                "cannot list the forks of 'up/proj': GET /repos/up/proj/"
                "forks?sort=stargazers&per_page=100: no answer within 1 s "
                "(after 3 retries)")
            # four tries of about 1 s each, far from the server's 30 s
            self.assertLess(took, 20)
            # a silent request is logged once the client hung up
            end = time.monotonic() + 10
            while True:
                log = emu.log()
                forks = [r for r in log["requests"]
                         if "/forks" in r["path"]]
                if len(forks) >= 4 or time.monotonic() > end:
                    break
                time.sleep(0.1)
            self.assertEqual(len(forks), 4)
            self.assertEqual([e["seconds"] for e in log["events"]],
                             [1, 2, 4])


if __name__ == "__main__":
    unittest.main()
