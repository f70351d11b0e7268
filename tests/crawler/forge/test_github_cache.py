"""Conditional requests: the store keeps ETag/Last-Modified, body and Link
per URL; a second census of an unchanged network revalidates everything and
is answered 304 (free for authenticated clients), including the Link
pagination the 304 answers do not carry.
"""
import os
import tempfile
import unittest

from ghemu import Emulator, run_driver

TOKEN = "ghp_cacheTESTTOKEN"


def network():
    forks = [{"owner": "u%04d" % i, "repo": "proj", "stars": 1000 - i,
              "branches": ["master", "topic-%d" % (i % 3)]}
             for i in range(260)]
    # a few forks with forks of their own
    for i in range(0, 40, 8):
        forks.append({"owner": "n%04d" % i, "repo": "proj",
                      "parent": "u%04d/proj" % i, "stars": 1})
    return {"upstream": {"owner": "up", "repo": "proj"}, "forks": forks,
            "tokens": [TOKEN], "omit_last_above": 2}


class Conditional(unittest.TestCase):
    ARGS = ("--top", "0", "--depth", "2", "--branches", "all")

    def test_second_run_is_all_304(self):
        with tempfile.TemporaryDirectory() as tmp, \
                Emulator(network()) as emu:
            db = os.path.join(tmp, "forkmap.db")
            cold = run_driver(emu.url, "up/proj", "--db", db, *self.ARGS,
                              token=TOKEN)
            self.assertEqual(cold.rc, 0, cold.error)
            first = emu.log()["requests"]
            self.assertFalse(any(r["conditional"] for r in first))
            self.assertEqual(cold.stats["not_modified"], 0)
            emu.clear_log()

            warm = run_driver(emu.url, "up/proj", "--db", db, *self.ARGS,
                              token=TOKEN)
            self.assertEqual(warm.rc, 0, warm.error)
            self.assertEqual(warm.forks, cold.forks)
            second = emu.log()["requests"]
            self.assertEqual(len(second), len(first))
            self.assertTrue(all(r["conditional"] for r in second))
            n304 = sum(r["status"] == 304 for r in second)
            self.assertGreaterEqual(n304, 0.95 * len(second))
            self.assertEqual(n304, len(second))
            self.assertEqual(warm.stats["not_modified"], len(second))
            self.assertEqual(warm.stats["counted"], 0)
            self.assertFalse(any(r["counted"] for r in second))
            # the pages after the first were found through the stored Link
            self.assertIn("/repositories/100000/forks?sort=stargazers"
                          "&per_page=100&page=3",
                          [r["path"] for r in second])

    def test_changed_answer_is_fetched_again(self):
        with tempfile.TemporaryDirectory() as tmp, \
                Emulator(network()) as emu:
            db = os.path.join(tmp, "forkmap.db")
            run_driver(emu.url, "up/proj", "--db", db, "--top", "0",
                       token=TOKEN)
            # a fork on the second page gains stars and moves to the top
            emu.network.by_name["u0150/proj"].stars = 5000
            emu.clear_log()
            res = run_driver(emu.url, "up/proj", "--db", db, "--top", "0",
                             token=TOKEN)
            self.assertEqual(res.forks[0]["name"], "u0150/proj")
            self.assertEqual(res.forks[0]["stars"], 5000)
            statuses = [r["status"] for r in emu.log()["requests"]]
            # repository unchanged; pages 1 and 2 changed; page 3 did not
            self.assertEqual(statuses, [304, 200, 200, 304])

    def test_without_store_nothing_is_conditional(self):
        with Emulator(network()) as emu:
            run_driver(emu.url, "up/proj", "--top", "0", token=TOKEN)
            run_driver(emu.url, "up/proj", "--top", "0", token=TOKEN)
            self.assertFalse(any(r["conditional"]
                                 for r in emu.log()["requests"]))

    def test_errors_are_not_cached(self):
        net = network()
        net["forks"][3]["fault"] = {"type": "451", "paths": ["branches"]}
        with tempfile.TemporaryDirectory() as tmp, Emulator(net) as emu:
            db = os.path.join(tmp, "forkmap.db")
            args = ("--db", db, "--top", "10", "--branches", "all")
            run_driver(emu.url, "up/proj", *args, token=TOKEN)
            emu.configure(faults={"u0003/proj": None})
            emu.clear_log()
            res = run_driver(emu.url, "up/proj", *args, token=TOKEN)
            self.assertFalse(any(f["error"] for f in res.forks))
            log = emu.log()["requests"]
            fixed = [r for r in log if r["path"].startswith(
                "/repos/u0003/proj/branches")]
            self.assertEqual([(r["conditional"], r["status"])
                              for r in fixed], [(False, 200)])


if __name__ == "__main__":
    unittest.main()
