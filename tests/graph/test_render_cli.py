"""`forkmap render` end to end: census CSVs written by hand (forkmap's own
columns and the 8-column seed form), a census store made from the demo
network, every output format, options and error messages.

Run by ctest with FORKMAP_BIN and FORKMAP_SRC; by hand:

    FORKMAP_BIN=build/forkmap PYTHONPATH=tests/lib \\
        python3 tests/graph/test_render_cli.py
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

SRC = os.environ.get("FORKMAP_SRC") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(SRC, "tests", "lib"))

from fixture import sanitizer_env  # noqa: E402
from forkmap_run import forkmap_bin  # noqa: E402

SVG_NS = "{http://www.w3.org/2000/svg}"

SEED_HEADER = ("repo name,branch,base tag,base date,commits ahead,head date,"
               "lines added,lines deleted")
FULL_HEADER = SEED_HEADER + (
    ",source,ref,head,merge_base,behind,ahead_first_parent,unique,release,"
    "files,head_date_iso,merge_base_date_iso,base_date_iso,stars,patches,"
    "error,skipped")

# name, branch, base tag, base date, ahead, head date, added, deleted
SEED_ROWS = [
    ("alice/qemu", "master", "v7.0.0", "19/04/2022", 12, "01/06/2022", 400,
     20),
    ("bob/qemu", "riscv", "v8.0.0", "19/04/2023", 240, "02/03/2024", 9000,
     1200),
    ("carol/qemu", "main", "v8.0.0", "19/04/2023", 3, "15/05/2023", 40, 2),
    ("dave/qemu", "dev", "v8.2.0", "19/12/2023", 57, "20/05/2024", 3000,
     100),
    ("erin/qemu", "wip", "", "", 8, "01/01/2024", 10, 10),
]

# Names a forge could send: markup, entities, graphviz escapes, newlines.
HOSTILE = [
    'q"uote/x',
    "</text><script>alert(1)</script>",
    "amp&lt;&amp;/x",
    "new\nline/x",
    "back\\Nslash\\G/x",
    "]]><!--/x",
]


def csv_field(s):
    s = str(s)
    if any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def seed_csv(rows):
    lines = [SEED_HEADER]
    for r in rows:
        lines.append(",".join(csv_field(v) for v in r))
    return "\n".join(lines) + "\n"


def full_csv():
    """forkmap's own columns: releases known, one fork on the tip (no
    release), one failed fork that must not be drawn."""
    def row(name, branch, tag, bdate, ahead, hdate, ins, dele, release,
            error=""):
        return [name, branch, tag, bdate, ahead, hdate, ins, dele, "github",
                "refs/forkmap/" + name + "/" + branch, "a" * 40, "b" * 40, 5,
                ahead, ahead // 2 if ahead != "" else "", release, 3, "", "",
                "", 7, ahead // 3 if ahead != "" else "", error, ""]
    rows = [
        row("alice/qemu", "master", "v7.0.0", "19/04/2022", 12, "01/06/2022",
            400, 20, "v7.0.0"),
        row("bob/qemu", "riscv", "v8.0.0", "19/04/2023", 240, "02/03/2024",
            9000, 1200, "v8.0.0"),
        row("tipper/qemu", "main", "v8.2.0-rc1", "01/12/2023", 9,
            "01/05/2024", 90, 9, ""),
        row("broken/qemu", "main", "", "", "", "", "", "", "",
            "cannot fetch: 404 not found"),
    ]
    lines = [FULL_HEADER]
    for r in rows:
        lines.append(",".join(csv_field(v) for v in r))
    return "\n".join(lines) + "\n"


def svg_texts(path):
    """All text of the SVG's <text> elements, and the parsed root (parsing
    fails the test when the SVG is not well-formed XML)."""
    root = ET.parse(path).getroot()
    texts = ["".join(t.itertext()) for t in root.iter(SVG_NS + "text")]
    return texts, root


class RenderCli(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="forkmap-render-")
        self.bin = forkmap_bin()
        self.env = sanitizer_env(dict(os.environ, LC_ALL="C", TZ="UTC"))

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        with open(self.path(name), "w", encoding="utf-8",
                  newline="") as f:
            f.write(text)
        return self.path(name)

    def render(self, *args, ok=True, input=None):
        p = subprocess.run([self.bin, "render"] + list(args),
                           cwd=self.dir, env=self.env, input=input,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=300)
        if ok and p.returncode != 0:
            self.fail("forkmap render %s: exit %d\n%s" % (
                " ".join(args), p.returncode, p.stderr.decode()))
        return p

    def read(self, name):
        with open(self.path(name), "rb") as f:
            return f.read()

    # -- inputs -------------------------------------------------------

    def test_seed_csv_svg_has_every_fork_and_the_legend(self):
        csv = self.write("seed.csv", seed_csv(SEED_ROWS))
        self.render("--csv", csv, "-o", "forks.svg")
        texts, root = svg_texts(self.path("forks.svg"))
        joined = "\n".join(texts)
        for r in SEED_ROWS:
            self.assertIn(r[0], texts)
        # the trunk: base tags in date order, plus the tip for erin (no tag)
        for tag in ("v7.0.0", "v8.0.0", "v8.2.0", "upstream"):
            self.assertIn(tag, texts)
        self.assertIn("Fork network", texts)
        self.assertIn("5 forks", texts)
        self.assertIn("node area: lines changed", texts)
        self.assertIn("edge width: commits ahead", texts)
        self.assertIn("colour: date of the last commit", texts)
        self.assertTrue(re.search(r"\b20\d\d-\d\d\b", joined),
                        "no year-month tick in %r" % joined)
        self.assertEqual(root.tag, SVG_NS + "svg")

    def test_full_csv_hangs_release_less_fork_on_tip(self):
        csv = self.write("full.csv", full_csv())
        self.render("--csv", csv, "-o", "forks.dot")
        dot = self.read("forks.dot").decode()
        # tipper has no release: its edge comes from the tip node
        names = dict(re.findall(
            r'^\t(\w+)\s+\[[^\]]*?tooltip="?([^"\s,\]]+)', dot, re.M))
        tip = [n for n, t in names.items() if t == "upstream"]
        tipper = [n for n, t in names.items() if t == "tipper/qemu"]
        self.assertEqual(len(tip), 1, names)
        self.assertEqual(len(tipper), 1, names)
        self.assertRegex(dot, r"\b%s -- %s\b" % (tip[0], tipper[0]))
        self.assertNotIn("broken/qemu", dot)
        self.assertNotIn("v8.2.0-rc1", dot)
        self.render("--csv", csv, "-o", "forks.svg")
        texts, _ = svg_texts(self.path("forks.svg"))
        self.assertIn("3 forks", texts)

    def test_csv_from_stdin_to_stdout(self):
        p = self.render("--csv", "-", "-o", "-",
                        input=seed_csv(SEED_ROWS).encode())
        root = ET.fromstring(p.stdout)
        self.assertEqual(root.tag, SVG_NS + "svg")
        self.assertEqual(p.stderr, b"")

    def test_store_of_the_demo_network(self):
        demo = self.path("demo")
        subprocess.run(["bash", os.path.join(SRC, "demo", "make-demo.sh"),
                        demo], check=True, stdout=subprocess.DEVNULL,
                       timeout=300)
        env = dict(self.env, HOME=self.dir, GIT_CONFIG_NOSYSTEM="1")
        db = self.path("census.db")
        p = subprocess.run([self.bin, "census", "-C",
                            os.path.join(demo, "census.git"), "--no-github",
                            "--db", db, "-q"], cwd=self.dir, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=300)
        self.assertEqual(p.returncode, 0, "forkmap census failed:\n" +
                         p.stderr.decode())
        self.render("--db", db, "-o", "demo.svg", "--label", "both")
        texts, _ = svg_texts(self.path("demo.svg"))
        for name in ("acme", "oldcorp", "gfw", "zed", "v2.0.0", "v1.0.0",
                     "master"):
            self.assertIn(name, texts)
        self.assertNotIn("copycat", texts)  # ahead 0: skipped
        # the store knows tree lines: area is lines of code
        self.assertIn("node area: lines of code", texts)
        p = self.render("--db", db, "--run", "999", "-o", "x.svg", ok=False)
        self.assertEqual(p.returncode, 4)
        self.assertEqual(p.stderr.decode().strip().splitlines(),
                         ["error: no census run 999 in '%s'" % db])

    # -- formats --------------------------------------------------------

    def test_formats_by_extension_and_option(self):
        csv = self.write("seed.csv", seed_csv(SEED_ROWS))
        self.render("--csv", csv, "-o", "f.png")
        self.assertEqual(self.read("f.png")[:8], b"\x89PNG\r\n\x1a\n")
        self.render("--csv", csv, "-o", "f.pdf")
        self.assertEqual(self.read("f.pdf")[:5], b"%PDF-")
        self.render("--csv", csv, "-o", "f.dot")
        self.assertTrue(self.read("f.dot").startswith(b"graph forkmap {"))
        self.render("--csv", csv, "-o", "f.out", "--format", "png")
        self.assertEqual(self.read("f.out")[:4], b"\x89PNG")
        # an extension forkmap cannot write is an error, never an SVG
        # under the wrong name; no extension at all is SVG
        p = self.render("--csv", csv, "-o", "f.jpg", ok=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(b"name it .svg, .png, .pdf or .dot", p.stderr)
        self.assertFalse(os.path.exists(self.path("f.jpg")))
        self.render("--csv", csv, "-o", "plain")
        self.assertIn(b"<svg", self.read("plain"))
        # no -o: forks.svg, or forks.<format>
        self.render("--csv", csv)
        ET.parse(self.path("forks.svg"))
        self.render("--csv", csv, "--format", "pdf")
        self.assertEqual(self.read("forks.pdf")[:4], b"%PDF")

    def test_same_input_same_bytes(self):
        csv = self.write("seed.csv", seed_csv(SEED_ROWS))
        for ext in ("svg", "png", "pdf", "dot"):
            self.render("--csv", csv, "-o", "a." + ext)
            self.render("--csv", csv, "-o", "b." + ext)
            self.assertEqual(self.read("a." + ext), self.read("b." + ext),
                             ext)
        # another seed gives another layout
        self.render("--csv", csv, "-o", "c.svg", "--seed", "7")
        self.assertNotEqual(self.read("a.svg"), self.read("c.svg"))

    # -- untrusted names ----------------------------------------------

    def test_hostile_names_stay_text(self):
        rows = [(n, "<b>br\\N</b>", "v1.0.0", "01/01/2020", i + 1,
                 "01/02/2021", 10, 1) for i, n in enumerate(HOSTILE)]
        csv = self.write("hostile.csv", seed_csv(rows))
        self.render("--csv", csv, "-o", "h.svg", "--label", "both")
        raw = self.read("h.svg").decode()
        texts, root = svg_texts(self.path("h.svg"))
        # no element from a name, no comment, only svg's own vocabulary
        self.assertNotIn("<script", raw)
        self.assertNotIn("<b>", raw)
        self.assertNotIn("<!--/x", raw)
        tags = {e.tag.replace(SVG_NS, "") for e in root.iter()}
        self.assertFalse(tags - {"svg", "g", "title", "polygon", "path",
                                 "text", "ellipse", "a", "defs",
                                 "linearGradient", "stop", "polyline"},
                         tags)
        joined = "\n".join(texts)
        self.assertIn('q"uote/x', texts)
        self.assertIn("amp&lt;&amp;/x", texts)  # entities shown as typed
        self.assertIn("back\\Nslash\\G/x", texts)  # escapes not expanded
        self.assertIn("new\ufffdline/x", texts)
        self.assertIn("<b>br\\N</b>", texts)
        self.assertIn("</text><script>alert(1)</script>", texts)
        self.assertNotIn("backfork", joined)

    # -- options ------------------------------------------------------

    def test_top_since_label_theme(self):
        csv = self.write("seed.csv", seed_csv(SEED_ROWS))
        self.render("--csv", csv, "-o", "top.svg", "--top", "2")
        texts, _ = svg_texts(self.path("top.svg"))
        self.assertIn("bob/qemu", texts)
        self.assertIn("dave/qemu", texts)
        self.assertNotIn("alice/qemu", texts)
        self.assertTrue(any(t.startswith("2 forks of 5") for t in texts),
                        texts)
        self.render("--csv", csv, "-o", "lines.svg", "--top", "1",
                    "--weight", "lines")
        texts, _ = svg_texts(self.path("lines.svg"))
        self.assertIn("bob/qemu", texts)
        self.assertIn("edge width: lines changed", texts)

        self.render("--csv", csv, "-o", "since.svg", "--since",
                    "2024-01-01")
        texts, _ = svg_texts(self.path("since.svg"))
        self.assertEqual(sorted(t for t in texts if t.endswith("/qemu")),
                         ["bob/qemu", "dave/qemu", "erin/qemu"])

        self.render("--csv", csv, "-o", "branch.svg", "--label", "branch")
        texts, _ = svg_texts(self.path("branch.svg"))
        self.assertIn("riscv", texts)
        self.assertNotIn("bob/qemu", texts)
        self.render("--csv", csv, "-o", "none.svg", "--label", "none")
        texts, _ = svg_texts(self.path("none.svg"))
        self.assertNotIn("bob/qemu", texts)
        self.assertIn("v8.0.0", texts)  # releases keep their tags

        self.render("--csv", csv, "-o", "dark.svg", "--theme", "dark",
                    "--title", "QEMU <forks> & more")
        raw = self.read("dark.svg").decode()
        texts, _ = svg_texts(self.path("dark.svg"))
        self.assertIn("QEMU <forks> & more", texts)
        self.assertIn('fill="#16181d"', raw)
        self.render("--csv", csv, "-o", "clear.svg", "--transparent")
        self.assertNotIn('fill="#ffffff" stroke="transparent"',
                         self.read("clear.svg").decode())

    def test_size_and_dpi(self):
        csv = self.write("seed.csv", seed_csv(SEED_ROWS))
        self.render("--csv", csv, "-o", "s.svg", "--width", "13.33",
                    "--height", "7.5")
        root = ET.parse(self.path("s.svg")).getroot()
        w = float(root.get("width").rstrip("pt"))
        h = float(root.get("height").rstrip("pt"))
        self.assertLessEqual(w, 13.33 * 72 + 1)
        self.assertLessEqual(h, 7.5 * 72 + 1)
        self.assertTrue(abs(w - 13.33 * 72) < 2 or abs(h - 7.5 * 72) < 2)

        def png_size(name):
            data = self.read(name)
            return (int.from_bytes(data[16:20], "big"),
                    int.from_bytes(data[20:24], "big"))
        self.render("--csv", csv, "-o", "a.png", "--width", "10",
                    "--dpi", "100")
        self.assertLessEqual(png_size("a.png")[0], 1000)
        self.assertGreaterEqual(png_size("a.png")[0], 990)

    # -- errors -------------------------------------------------------

    def check_error(self, args, code, message, input=None):
        p = self.render(*args, ok=False, input=input)
        err = p.stderr.decode()
        self.assertEqual(p.returncode, code, err)
        self.assertTrue(err.startswith("error: "), err)
        self.assertIn(message, err.splitlines()[0])
        return err

    def test_usage_errors(self):
        csv = self.write("seed.csv", seed_csv(SEED_ROWS))
        self.check_error(["--csv", csv, "--weight", "stars"], 2, "--weight")
        self.check_error(["--csv", csv, "--format", "jpg"], 2, "--format")
        self.check_error(["--csv", csv, "--top", "0"], 2, "--top")
        self.check_error(["--csv", csv, "--since", "yesterday"], 2,
                         "--since")
        self.check_error(["--csv", csv, "--width", "-3"], 2, "--width")
        self.check_error(["--csv", csv, "--dpi", "lots"], 2, "--dpi")
        self.check_error(["--csv", csv, "--label", "all"], 2, "--label")
        self.check_error(["--csv", csv, "--theme", "blue"], 2, "--theme")
        self.check_error(["--csv", csv, "--db", "x.db"], 2, "--csv")
        self.check_error(["--csv", csv, "extra"], 2, "unexpected")
        p = self.render("--help")
        self.assertEqual(p.returncode, 0)
        for opt in ("--db", "--csv", "--weight", "--top", "--since",
                    "--label", "--theme", "--transparent", "--dpi"):
            self.assertIn(opt, p.stdout.decode())

    def test_input_and_output_errors(self):
        self.check_error(["--csv", "missing.csv"], 5, "missing.csv")
        self.check_error(["--db", "missing.db"], 5, "missing.db")
        bad = self.write("bad.csv", SEED_HEADER + "\nonly,two\n")
        self.check_error(["--csv", bad], 2, "")
        csv = self.write("seed.csv", seed_csv(SEED_ROWS))
        self.check_error(["--csv", csv, "-o", "no/such/dir/f.svg"], 5,
                         "no/such/dir/f.svg")
        self.assertFalse(os.path.exists(self.path("no")))


if __name__ == "__main__":
    unittest.main()
