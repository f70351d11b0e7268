#!/usr/bin/env python3
"""Row reuse: a census with a store (--db) reads back the rows of forks
whose key did not change (crawler/measure/reuse.c), and must give what a
census without a store (--no-db, every number measured) gives, field by
field, for every row and every release node, whatever changed in between:
nothing, one fork's head, the describe patterns or release regex, upstream
and its tags, or only a tag on an old commit.

A fully warm census loads no commit graph: `-v` prints the phase timings,
and the "loading the commit graph" line must be absent.
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                os.pardir, os.pardir, "lib"))

from fixture import Sandbox  # noqa: E402
import forkmap_run  # noqa: E402

GRAPH_PHASE = "census: loading the commit graph took"
# What a document says about the run that made it (its id in the store,
# its times), not about what was measured: the only keys that may differ.
RUN_KEYS = {"run_id", "started", "finished"}


class RowReuse(unittest.TestCase):
    def setUp(self):
        self.sb = Sandbox()
        self.db = self.sb.path("census.db")
        self.up = up = self.sb.repo("upstream")
        up.write("README", "upstream\n")
        up.write("src/a.c", "int a;\n")
        up.commit("initial")
        up.tag("v1.0.0", annotated=True)
        up.append("src/a.c", "int a2;\n")
        self.c2 = up.commit("a2")
        up.write("src/b.c", "int b;\n")
        up.commit("b")
        up.tag("v1.1.0")
        up.append("src/b.c", "int b2;\n")
        self.c4 = up.commit("b2")
        up.append("README", "more\n")
        up.commit("readme")
        up.tag("v1.2.0", annotated=True)
        up.append("src/a.c", "int a3;\n")
        self.c6 = up.commit("a3")

        up.branch("forks/acme", self.c2)
        up.checkout("forks/acme")
        up.write("acme.c", "int acme;\n")
        up.commit("acme: add")
        up.append("acme.c", "int acme2;\n")
        up.commit("acme: more")

        up.branch("forks/beta", self.c4)
        up.checkout("forks/beta")
        up.write("beta.c", "int beta;\n")
        up.commit("beta: add")
        up.cherry_pick(self.c6)  # a pick: unique < ahead

        up.branch("forks/gamma", "master")
        up.checkout("forks/gamma")
        up.append("src/b.c", "int gamma;\n")
        up.commit("gamma: b")

        up.branch("forks/empty", self.c4)  # ahead 0: skipped
        up.branch("forks/x-next", "forks/gamma")  # skipped by name
        up.checkout("master")

    def tearDown(self):
        self.sb.cleanup()

    def census(self, *args, db=True):
        """(document, stderr) of one census, stored in self.db or not."""
        res = forkmap_run.run_census(self.up.path, "-v", "--include-skipped",
                                     *args,
                                     db=self.db if db else None,
                                     env=self.sb.env, cwd=self.sb.path())
        self.assertEqual(res.returncode, 0, res.stderr)
        return res.doc, res.stderr

    def assert_same(self, warm, cold):
        """Every field of every row and release node, and of the census."""
        self.assertEqual(sorted(warm), sorted(cold))
        for key in sorted(set(warm) - {"forks", "releases"} - RUN_KEYS):
            self.assertEqual(warm[key], cold[key], key)
        self.assertEqual(len(warm["forks"]), len(cold["forks"]))
        for w, c in zip(warm["forks"], cold["forks"]):
            self.assertEqual(sorted(w), sorted(c))
            for field in sorted(c):
                self.assertEqual(w[field], c[field],
                                 "%s.%s" % (c.get("name"), field))
        self.assertEqual(len(warm["releases"]), len(cold["releases"]))
        for w, c in zip(warm["releases"], cold["releases"]):
            self.assertEqual(sorted(w), sorted(c))
            for field in sorted(c):
                self.assertEqual(w[field], c[field],
                                 "release %s.%s" % (c.get("tag"), field))

    def assert_warm_equals_cold(self, *args):
        """A census with the store equals one without; its stderr."""
        warm, err = self.census(*args)
        cold, _ = self.census(*args, db=False)
        self.assert_same(warm, cold)
        return warm, err

    def row(self, doc, name):
        return next(f for f in doc["forks"] if f["name"] == name)

    def test_unchanged_reuses_every_row_without_the_graph(self):
        first, err = self.census()
        self.assertIn(GRAPH_PHASE, err)
        self.assertIn("census: 0 of 4 rows reused", err)
        self.assertTrue(first["releases"])  # the nodes are exercised
        warm, err = self.assert_warm_equals_cold()
        self.assertNotIn(GRAPH_PHASE, err)
        self.assertIn("census: 4 of 4 rows reused", err)
        # and again: a fully warm census wrote nothing that changes it
        again, err = self.census()
        self.assertNotIn(GRAPH_PHASE, err)
        self.assert_same(again, warm)

    def test_force_pushed_fork_is_measured_again(self):
        before, _ = self.census()
        self.up.checkout("forks/acme")
        self.up.git("reset", "-q", "--hard", self.c2)
        self.up.write("acme.c", "int rewritten;\n")
        self.up.commit("acme: rewritten")
        self.up.checkout("master")
        warm, err = self.assert_warm_equals_cold()
        self.assertIn(GRAPH_PHASE, err)
        self.assertIn("census: 3 of 4 rows reused", err)
        self.assertNotEqual(self.row(warm, "acme")["head"],
                            self.row(before, "acme")["head"])

    def test_other_describe_patterns_are_not_served_stale_rows(self):
        before, _ = self.census()
        warm, err = self.assert_warm_equals_cold("--describe", "v1.0*")
        self.assertIn("census: 0 of 4 rows reused", err)
        self.assertNotEqual(self.row(warm, "gamma")["base_tag"],
                            self.row(before, "gamma")["base_tag"])

    def test_other_release_regex_is_not_served_stale_rows(self):
        before, _ = self.census()
        warm, err = self.assert_warm_equals_cold("--release",
                                                 r"^v1\.[01]\.0$")
        self.assertIn("census: 0 of 4 rows reused", err)
        self.assertNotEqual(self.row(warm, "gamma")["release"],
                            self.row(before, "gamma")["release"])

    def test_keep_empty_is_not_served_the_skip(self):
        before, _ = self.census()
        self.assertTrue(self.row(before, "empty")["skipped"])
        warm, _ = self.assert_warm_equals_cold("--keep-empty")
        self.assertFalse(self.row(warm, "empty")["skipped"])

    def test_new_upstream_release(self):
        before, _ = self.census()
        self.up.append("src/b.c", "int b3;\n")
        self.up.commit("b3")
        self.up.write("src/c.c", "int c;\n")
        self.up.commit("c")
        self.up.tag("v1.3.0", annotated=True)
        warm, err = self.assert_warm_equals_cold()
        self.assertIn(GRAPH_PHASE, err)
        self.assertNotEqual(warm["head"], before["head"])
        self.assertEqual(self.row(warm, "gamma")["behind"],
                         self.row(before, "gamma")["behind"] + 2)
        # the next census of that state is fully warm again
        again, err = self.census()
        self.assertNotIn(GRAPH_PHASE, err)
        self.assert_same(again, warm)

    def test_new_tag_on_an_old_commit(self):
        before, _ = self.census()
        self.up.tag("v1.0.5", target=self.c2)
        warm, _ = self.assert_warm_equals_cold()
        self.assertEqual(warm["head"], before["head"])
        acme = self.row(warm, "acme")
        self.assertEqual(acme["head"], self.row(before, "acme")["head"])
        self.assertEqual(acme["base_tag"], "v1.0.5")
        self.assertNotEqual(self.row(before, "acme")["base_tag"],
                            "v1.0.5")

    def test_moved_tag_is_not_served_stale_rows(self):
        before, _ = self.census()
        self.up.tag("v1.1.0", target=self.c2, force=True)
        warm, err = self.assert_warm_equals_cold()
        self.assertIn("census: 0 of 4 rows reused", err)
        self.assertNotEqual(self.row(warm, "acme")["base_tag"],
                            self.row(before, "acme")["base_tag"])


if __name__ == "__main__":
    unittest.main()
