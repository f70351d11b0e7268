"""forkmap show's terminal tables (cli/cmd_show.c) line up by display
width, as every table does (cli/columns.c): an author with wide characters
is cut to its column on a character boundary, and a directory with wide
characters is padded by columns; a path wider than its column is printed
whole."""
import os
import sys
import tempfile
import unittest
import unicodedata

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from fixture import Sandbox  # noqa: E402
import forkmap_run  # noqa: E402

WIDE_AUTHOR = "\u5c71\u7530\u592a\u90ce" * 4     # 16 wide chars: 32 columns
WIDE_DIR = "\u30c9\u30e9\u30a4\u30d0"           # 4 wide chars: 8 columns
LONG_DIR = "a" * 30 + "/" + "b" * 30            # 61 columns at depth 2


def columns(text):
    """The test's own display width: East Asian Wide/Fullwidth take 2."""
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


class ShowTable(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox()
        up = cls.sb.repo("up")
        up.write("README", "hello\n")
        up.commit("initial")
        up.tag("v1.0.0", annotated=True)
        up.branch("forks/acme")
        up.checkout("forks/acme")
        up.write(WIDE_DIR + "/x.c", "one\n")
        up.git("add", "-A")
        up.git("commit", "-q", "-m", "wide author",
               env={"GIT_AUTHOR_NAME": WIDE_AUTHOR,
                    "GIT_AUTHOR_DATE": cls.sb.clock.next(),
                    "GIT_COMMITTER_DATE": cls.sb.clock.next()})
        up.commit("plain author", files={LONG_DIR + "/y.c": "two\n"})
        up.checkout("master")
        cls.up = up
        cls.db = cls.sb.path("store.db")
        cls.cwd = tempfile.mkdtemp(dir=cls.sb.root)
        forkmap_run.run_census(up.path, db=cls.db, env=cls.sb.env,
                               cwd=cls.cwd)
        env = dict(cls.sb.env, LC_ALL="C.UTF-8")
        p = forkmap_run.run(["show", "-C", up.path, "--db", cls.db, "acme"],
                            env=env, cwd=cls.cwd)
        assert p.returncode == 0, p.stderr
        cls.lines = p.stdout.splitlines()

    @classmethod
    def tearDownClass(cls):
        cls.sb.cleanup()

    def table(self, first):
        at = next(i for i, l in enumerate(self.lines) if l.startswith(first))
        rows = []
        for line in self.lines[at + 1:]:
            if not line.strip():
                break
            rows.append(line)
        return self.lines[at], rows

    def test_authors_cut_and_aligned_by_display_width(self):
        header, rows = self.table("date ")
        self.assertEqual(len(rows), 2, self.lines)
        subject_col = header.index("subject")
        for row in rows:
            with self.subTest(row=row):
                for subject in ("wide author", "plain author"):
                    if row.endswith(subject):
                        start = row[:-len(subject)]
                        self.assertEqual(columns(start), subject_col, row)
        wide = next(r for r in rows if r.endswith("wide author"))
        # 20 columns: the first 10 wide characters, none cut in half
        self.assertIn(WIDE_AUTHOR[:10] + " wide author", wide)
        self.assertNotIn(WIDE_AUTHOR[:11], wide)

    def test_directories_padded_by_display_width_long_ones_whole(self):
        header, rows = self.table("directory ")
        files_end = header.index("files") + len("files")
        wide = next(r for r in rows if r.startswith(WIDE_DIR))
        # the number under "files" ends where the header's word ends
        self.assertEqual(columns(wide[:wide.index(" 1 ") + 2]), files_end,
                         wide)
        self.assertTrue(any(r.startswith(LONG_DIR + " ") for r in rows),
                        rows)


if __name__ == "__main__":
    unittest.main()
