"""The terminal tables (cli/table.c, cli/columns.c): names are cut on
character boundaries and columns line up by display width -- a wide CJK
character or emoji takes two columns, a combining mark none -- while
dangerous characters and invalid UTF-8 stay escaped (fm_term_safe). The
base tag is shown whole."""
import os
import subprocess
import unicodedata
import unittest

from fixture import Sandbox

BIN = os.environ.get("FORKMAP_BIN")

CJK = "\u65e5\u672c"            # two wide characters: 4 columns
COMBINING = "cafe\u0301"        # five characters, 4 columns
EMOJI = "\U0001F98Afox"         # a wide emoji and 3 ASCII: 5 columns
BIDI = "\u202eevil"             # a right-to-left override: escaped
LONG = "a" + "\u6f22" * 25      # 51 columns: cut to fit 40
LONG2 = "ab" + "\u6f22" * 25    # 40 bytes would end inside a character
TAG = "v1.6.0-alpha20230802"


def columns(text):
    """The test's own oracle for display width (East Asian Wide and
    Fullwidth take 2, combining marks 0), for names of this file."""
    w = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return w


class TableTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox()
        up = cls.sb.repo("up")
        up.commit("one", files={"a.c": "int a;\n"})
        up.tag(TAG, annotated=True)
        up.commit("two", files={"a.c": "int a;\nint b;\n"})
        up.tag("v1.7.0", annotated=True)
        cls.up = up
        names = [CJK.encode(), COMBINING.encode(), EMOJI.encode(),
                 BIDI.encode(), LONG.encode(), LONG2.encode(), b"bad\xff",
                 b"plain"]
        base = up.rev("HEAD~1")
        for i, name in enumerate(names):
            tree = up.git("rev-parse", "HEAD~1^{tree}").strip()
            commit = up.git("commit-tree", tree, "-p", base, "-m",
                            "fork %d" % i).strip()
            subprocess.run([b"git", b"update-ref",
                            b"refs/heads/forks/" + name, commit.encode()],
                           cwd=up.path, env=cls.sb.env, check=True)
        cls.names = names

    @classmethod
    def tearDownClass(cls):
        cls.sb.cleanup()

    def census(self, lc_all="C"):
        env = dict(self.sb.env, LC_ALL=lc_all)
        p = subprocess.run([BIN, "census", "-C", self.up.path,
                            "--no-github", "--no-db", "--keep-empty"],
                           capture_output=True, env=env, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        # the table is valid UTF-8: no character was cut in half
        return p.stdout.decode("utf-8")

    def rows(self, out):
        lines = out.splitlines()
        header = next(i for i, l in enumerate(lines)
                      if l.startswith("fork "))
        return lines[header], lines[header + 1:header + 1 + len(self.names)]

    def test_columns_line_up_by_display_width(self):
        header, rows = self.rows(self.census())
        self.assertEqual(len(rows), len(self.names))
        # the header is ASCII: bytes are columns there
        tag_col = header.index("base tag")
        rel_col = header.index("release")
        for row in rows:
            with self.subTest(row=row):
                i = row.index(" " + TAG + " ")
                # whatever the name, the tag starts at the header's column
                self.assertEqual(columns(row[:i + 1]), tag_col, row)
                j = row.index("v1.7.0", i)
                self.assertEqual(columns(row[:j]), rel_col, row)

    def test_patches_and_fate_columns(self):
        header, rows = self.rows(self.census())
        cols = header.split()
        self.assertEqual(cols[-2:], ["commit", "fate"])
        fate_col = header.index("fate")
        # every fork is one empty commit: git cherry lists it (unique 1),
        # git patch-id prints nothing for it (no patch)
        oracle = self.up.git("diff-tree", "-p", "--no-renames",
                             self.up.rev("refs/heads/forks/plain"))
        self.assertNotIn("diff --git", oracle)
        for row in rows:
            with self.subTest(row=row):
                tail = row[row.index(" " + TAG + " "):].split()
                # tag release ahead behind unique patches +l -l date fate
                self.assertEqual(tail[4:6], ["1", "0"], row)
                fate = tail[-1]
                self.assertIn(fate, ("active", "quiet"), row)
                self.assertEqual(columns(row[:row.rindex(fate)]), fate_col,
                                 row)

    def test_names_are_cut_on_character_boundaries(self):
        _, rows = self.rows(self.census())
        cut = [r for r in rows if r.startswith("a\u6f22")]
        self.assertEqual(len(cut), 1, rows)
        cell = cut[0][:cut[0].index(" " + TAG)]
        # 40 columns at most: "a" and 19 wide characters (39), one space
        self.assertEqual(cell, "a" + "\u6f22" * 19 + " ")
        self.assertEqual(columns(cell), 40)
        cut = [r for r in rows if r.startswith("ab\u6f22")]
        self.assertEqual(len(cut), 1, rows)
        self.assertEqual(cut[0][:cut[0].index(" " + TAG)],
                         "ab" + "\u6f22" * 19)

    def test_wide_combining_and_emoji_names_are_kept(self):
        _, rows = self.rows(self.census())
        starts = {r.split(" ")[0] for r in rows}
        for name in (CJK, COMBINING, EMOJI, "plain"):
            self.assertIn(name, starts)

    def test_dangerous_characters_stay_escaped(self):
        out = self.census()
        self.assertNotIn("\u202e", out)
        self.assertIn("\\xe2\\x80\\xaeevil", out)
        self.assertIn("bad\\xff", out)
        _, rows = self.rows(out)
        for row in rows:
            self.assertFalse(any(unicodedata.category(c) == "Cc"
                                 for c in row), row)

    def test_base_tag_is_shown_whole(self):
        _, rows = self.rows(self.census())
        for row in rows:
            self.assertIn(" " + TAG + " ", row)

    def test_a_utf8_environment_gives_the_same_table(self):
        self.assertEqual(self.census("C"), self.census("C.UTF-8"))


if __name__ == "__main__":
    unittest.main()
