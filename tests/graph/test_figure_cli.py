"""The talk figure, end to end on a scripted history (fixed dates): the
canvas is exactly the size asked for in PNG, PDF and SVG; forks hang from
fork points at their merge bases; no text leaves its box or the canvas
(bounding boxes from the SVG); in the timeline layout x follows the date;
every figure is byte-identical on repeat."""
import json
import os
import re
import struct
import unittest
import xml.etree.ElementTree as ET

from fixture import Sandbox
from forkmap_run import run, run_census

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
NUM = re.compile(r"-?\d+(?:\.\d+)?")
UTF8_FORK = "\u00fcn\u00efc\u00f8d\u00e9-\u5206\u652f"


def day(s):
    return "2020-%s" % s


class Figure:
    """A rendered SVG: the canvas, and per graphviz node its boxes, text
    anchors and tooltip, in canvas points."""

    def __init__(self, data):
        root = ET.fromstring(data)
        vb = [float(v) for v in root.get("viewBox").split()]
        self.width, self.height = vb[2], vb[3]
        g = root.find(SVG + "g")
        m = re.search(r"scale\(([\d.]+) ([\d.]+)\).*translate\(([-\d.]+) "
                      r"([-\d.]+)\)", g.get("transform"))
        sx, sy, tx, ty = (float(v) for v in m.groups())
        self.tr = lambda x, y: (sx * (x + tx), sy * (y + ty))
        self.nodes, self.edges = {}, []
        for el in g.findall(SVG + "g"):
            title = el.findtext(SVG + "title")
            if el.get("class") == "edge":
                self.edges.append(tuple(title.split("--")))
            elif el.get("class") == "node":
                self.nodes[title] = self.node(el)

    def box(self, pts):
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        return (min(xs), min(ys), max(xs), max(ys))

    def node(self, el):
        n = {"boxes": [], "texts": [], "tooltip": None, "centre": None}
        for a in el.iter(SVG + "a"):
            n["tooltip"] = n["tooltip"] or a.get(XLINK + "title")
        for e in el.iter():
            tag = e.tag[len(SVG):]
            if tag == "ellipse":
                cx, cy = float(e.get("cx")), float(e.get("cy"))
                rx, ry = float(e.get("rx")), float(e.get("ry"))
                n["boxes"].append(self.box([self.tr(cx - rx, cy - ry),
                                            self.tr(cx + rx, cy + ry)]))
                n["centre"] = n["centre"] or self.tr(cx, cy)
            elif tag in ("polygon", "path"):
                v = [float(x) for x in NUM.findall(
                    e.get("points") or e.get("d"))]
                pts = [self.tr(v[i], v[i + 1]) for i in range(0, len(v) - 1,
                                                              2)]
                n["boxes"].append(self.box(pts))
                if tag == "polygon" and n["centre"] is None:
                    b = self.box(pts)
                    n["centre"] = ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
            elif tag == "text":
                n["texts"].append((self.tr(float(e.get("x")),
                                           float(e.get("y"))),
                                   e.get("text-anchor"), e.text or ""))
        return n

    def labels(self, prefix):
        return {k: " ".join(t[2] for t in v["texts"])
                for k, v in self.nodes.items() if k.startswith(prefix)}


def inside(pt, b, slack=0.6):
    return (b[0] - slack <= pt[0] <= b[2] + slack and
            b[1] - slack <= pt[1] <= b[3] + slack)


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def pdf_mediabox(data):
    m = re.search(rb"/MediaBox\s*\[\s*([\d.\s]+)\]", data)
    return [float(v) for v in m.group(1).split()]


class FigureTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox()
        up = cls.sb.repo("up")
        c = {}
        for name, date, tag in [
                ("c1", day("01-10"), "v1.0.0"), ("c2", day("02-01"), None),
                ("c3", day("03-01"), "v1.1.0-rc1"),
                ("c4", day("03-15"), None), ("c5", day("06-01"), "v1.1.0"),
                ("c6", day("09-01"), "v2.0.0"),
                ("c7", "2021-01-01T12:00:00+00:00", None),
                ("c8", "2021-02-01T12:00:00+00:00", None)]:
            if "T" not in date:
                date += "T12:00:00+00:00"
            c[name] = up.commit(name, date=date,
                                files={name + ".c": "int %s;\n" % name})
            if tag:
                up.tag(tag, annotated=True, date=date)
        forks = [("at-release", "c1", "2020-04-01"),
                 ("after-rc-a", "c3", "2020-05-01"),
                 ("after-rc-b", "c4", "2020-07-01"),
                 ("late", "c7", "2021-01-15"),
                 (UTF8_FORK, "c2", "2020-08-01")]
        for name, base, date in forks:
            up.git("branch", "forks/" + name, c[base])
            up.checkout("forks/" + name)
            up.commit("work of " + name, date=date + "T12:00:00+00:00",
                      files={"fork.c": "int %d;\n" % len(name)})
        up.checkout("master")
        cls.db = os.path.join(cls.sb.root, "f.db")
        cls.census = run_census(up.path, db=cls.db, env=cls.sb.env,
                                cwd=cls.sb.root).doc
        cls.n = 0

    @classmethod
    def tearDownClass(cls):
        cls.sb.cleanup()

    def render(self, ext, *args):
        FigureTest.n += 1
        out = os.path.join(self.sb.root, "fig%d.%s" % (FigureTest.n, ext))
        p = run(["render", "--db", self.db, "-o", out, *args],
                env=self.sb.env, cwd=self.sb.root)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, "rb") as f:
            return f.read()

    def test_release_field_keeps_its_meaning(self):
        rows = {f["name"]: f for f in self.census["forks"]}
        self.assertEqual(rows["after-rc-a"]["release"], "v1.1.0")
        self.assertEqual(rows["after-rc-a"]["base_tag"], "v1.1.0-rc1")
        # the base tag is a release: the release, though the merge base
        # is after it (the figure says "after v2.0.0...")
        self.assertEqual(rows["late"]["release"], "v2.0.0")

    def test_fork_points_at_merge_bases(self):
        fig = Figure(self.render("svg"))
        trunk = fig.labels("trunk")
        order = [trunk[k] for k in sorted(trunk, key=lambda k: int(k[5:]))]
        self.assertEqual(order, [
            "v1.0.0", "after v1.0.0\u2026", "after v1.1.0-rc1\u2026",
            "v1.1.0", "v2.0.0", "after v2.0.0\u2026", "master"])
        forks = fig.labels("fork")
        parent = {}
        for a, b in fig.edges:
            if b.startswith("fork"):
                parent[forks[b]] = trunk[a]
        self.assertEqual(parent["at-release"], "v1.0.0")
        # nearby forks grouped on one point
        self.assertEqual(parent["after-rc-a"], "after v1.1.0-rc1\u2026")
        self.assertEqual(parent["after-rc-b"], "after v1.1.0-rc1\u2026")
        self.assertEqual(parent["late"], "after v2.0.0\u2026")
        self.assertEqual(parent[UTF8_FORK], "after v1.0.0\u2026")
        # the trunk is a chain in that order
        chain = [(a, b) for a, b in fig.edges if b.startswith("trunk")]
        self.assertEqual(len(chain), len(order) - 1)

    def test_exact_canvas_sizes(self):
        for w, h in [(13.333333, 7.5), (10, 5.625)]:
            size = ["--width", str(w), "--height", str(h)]
            for dpi in (72, 96, 144, 200):
                png = self.render("png", *size, "--dpi", str(dpi))
                self.assertEqual(png_size(png),
                                 (round(w * dpi), round(h * dpi)),
                                 (w, h, dpi))
            self.assertEqual(pdf_mediabox(self.render("pdf", *size)),
                             [0, 0, round(w * 72), round(h * 72)])
            fig = Figure(self.render("svg", *size))
            self.assertAlmostEqual(fig.width, w * 72, delta=0.5)
            self.assertAlmostEqual(fig.height, h * 72, delta=0.5)
            # content fitted and centred
            boxes = [b for n in fig.nodes.values() for b in n["boxes"]]
            x0 = min(b[0] for b in boxes)
            x1 = max(b[2] for b in boxes)
            y0 = min(b[1] for b in boxes)
            y1 = max(b[3] for b in boxes)
            left, right = x0, fig.width - x1
            top, bottom = y0, fig.height - y1
            self.assertTrue(min(left, right, top, bottom) >= 0)
            self.assertTrue(abs(left - right) < 3 or abs(top - bottom) < 3,
                            (left, right, top, bottom))
        png = self.render("png", "--layout", "timeline", "--width",
                          "13.333333", "--height", "7.5", "--dpi", "96")
        self.assertEqual(png_size(png), (1280, 720))

    def check_fits(self, fig):
        canvas = (0, 0, fig.width, fig.height)
        legend_boxes = []
        for name, n in fig.nodes.items():
            for b in n["boxes"]:
                self.assertTrue(inside((b[0], b[1]), canvas) and
                                inside((b[2], b[3]), canvas), (name, b))
            n["texts"] = [t for t in n["texts"] if t[2].strip()]
            if not n["texts"]:
                continue
            # the text's own box: the pill of a node's label, the
            # transparent frame of a legend text
            box = n["boxes"][-1]
            for pt, anchor, text in n["texts"]:
                self.assertTrue(inside(pt, box), (name, text, pt, box))
                if anchor == "start":
                    self.assertGreaterEqual(pt[0], box[0] - 0.6)
            if name.startswith("legend_"):
                legend_boxes.append((name, box))
        for i, (a, ba) in enumerate(legend_boxes):
            for b, bb in legend_boxes[i + 1:]:
                self.assertFalse(overlap(ba, bb), (a, ba, b, bb))

    def test_no_text_leaves_its_box(self):
        title = ("The forks of a project with a very long name "
                 "\u00fcber-gro\u00df \u6f22\u5b57 and more words, enough "
                 "words to need three lines on a slide")
        for layout in ("network", "timeline"):
            fig = Figure(self.render("svg", "--width", "13.333333",
                                     "--height", "7.5", "--label", "both",
                                     "--title", title, "--layout", layout))
            self.check_fits(fig)
        # the long title wraps; the network keeps its size on the slide
        titled = fig.labels("legend_title")
        self.assertEqual(len(titled), 1)
        node = fig.nodes[list(titled)[0]]
        self.assertGreaterEqual(len(node["texts"]), 3)  # 2+ lines, subtitle
        short = Figure(self.render("svg", "--width", "13.333333", "--height",
                                   "7.5", "--label", "both", "--title", "x",
                                   "--layout", "timeline"))

        def net_width(f):
            xs = [n["centre"][0] for k, n in f.nodes.items()
                  if k.startswith(("fork", "trunk"))]
            return max(xs) - min(xs)
        self.assertGreater(net_width(fig), 0.9 * net_width(short))
        # --label both: a local fork's branch is its name, shown once
        for k, text in fig.labels("fork").items():
            self.assertEqual(len(fig.nodes[k]["texts"]), 1, text)

    def test_timeline_x_follows_dates(self):
        fig = Figure(self.render("svg", "--layout", "timeline"))
        dated = []
        for k, n in fig.nodes.items():
            if not k.startswith(("fork", "trunk")):
                continue
            m = re.search(r"(\d{4}-\d\d-\d\d)", n["tooltip"].replace(
                "&#45;", "-"))
            self.assertTrue(m, n["tooltip"])
            dated.append((m.group(1), n["centre"][0], k))
        self.assertEqual(len(dated), 7 + 5)
        by_date = sorted(dated)
        for (d0, x0, k0), (d1, x1, k1) in zip(by_date, by_date[1:]):
            if d1 > d0:
                self.assertLess(x0, x1, (k0, d0, k1, d1))
        # date ticks along the axis, in calendar order
        ticks = sorted((n["texts"][0][0][0], n["texts"][0][2])
                       for k, n in fig.nodes.items()
                       if k.startswith("legend_axis"))
        self.assertGreaterEqual(len(ticks), 3)
        self.assertEqual([t[1] for t in ticks], sorted(t[1] for t in ticks))
        for x, text in ticks:
            self.assertRegex(text, r"^\d{4}-\d\d")

    def test_repeatable(self):
        for ext in ("svg", "png", "pdf"):
            for layout in ("network", "timeline"):
                a = self.render(ext, "--layout", layout, "--width", "10",
                                "--height", "5.625")
                b = self.render(ext, "--layout", layout, "--width", "10",
                                "--height", "5.625")
                self.assertEqual(a, b, (ext, layout))

    def test_huge_networks_say_what_was_dropped(self):
        n = 2010
        csv = os.path.join(self.sb.root, "huge.csv")
        with open(csv, "w") as f:
            f.write("repo name,branch,base tag,base date,commits ahead,"
                    "head date,lines added,lines deleted\n")
            for i in range(n):
                f.write("o%d/x,main,v1.0,01/01/2020,%d,01/06/2020,%d,0\n"
                        % (i, i + 1, i))
        out = os.path.join(self.sb.root, "huge.svg")
        p = run(["render", "--csv", csv, "-o", out], env=self.sb.env,
                cwd=self.sb.root)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("warning: %d forks are too many" % n, p.stderr)
        self.assertIn("10 left out", p.stderr)
        with open(out, encoding="utf-8") as f:
            fig = Figure(f.read())
        self.assertEqual(len(fig.labels("fork")), 2000)
        sub = " ".join(fig.labels("legend_title").values())
        self.assertIn("2000 forks of %d" % n, sub)
        # the lightest ten are the ones left out
        self.assertNotIn("o0/x", fig.labels("fork").values())

    def test_fates_in_the_figure(self):
        # judged as of 2020-08-15: "late" is still to come, all active
        fig = Figure(self.render("svg", "--now", "2020-08-15"))
        tips = [n["tooltip"] for k, n in fig.nodes.items()
                if k.startswith("fork")]
        self.assertTrue(all("active" in t for t in tips), tips)
        legend = " ".join(fig.labels("legend_text").values())
        self.assertIn("active", legend)
        self.assertNotIn("quiet", legend)
        fig = Figure(self.render("svg", "--now", "2022-06-01"))
        legend = " ".join(fig.labels("legend_text").values())
        self.assertIn("quiet", legend)
        self.assertIn("trunk", legend)


if __name__ == "__main__":
    unittest.main()
