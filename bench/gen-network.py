#!/usr/bin/env python3
"""Generate a large synthetic fork network for forkmap's benchmark.

One bare repository, written by a single `git fast-import` fed on its stdin
(no git process per commit):

- refs/heads/master: the upstream, a linear-ish mainline with topic-branch
  merges; small realistic changes (one line of a C function, a new function,
  now and then a new file or a binary asset) over a tree of ~2,000 text files
  in ~100 directories; release commits tagged vX.Y.0 (annotated and
  lightweight), some vX.Y.0-rc1 tags and a few non-version tags;
- refs/heads/forks/fNN: forks based on releases and mainline points, each
  1k-20k commits ahead, of several kinds:
    plain        own work only
    sync         own work plus merges of later upstream points
    picks        own work plus cherry-picks of upstream commits (same diff
                 on a different base, so `git cherry` marks them '-')
    sync-picks   both
    mr-top       merging-rebase: every round re-applies the patch series on
                 a newer release, then an "ours" merge (first parent: the
                 rebased tip, second: the old tip; tree: the rebased tip)
    mr-bottom    merging-rebase, Git for Windows style: the round starts with
                 an "ours" merge (first parent: the new release, second: the
                 old tip; tree: the release), the patches follow

Everything is seeded: the same flags give the same commit ids. Dates are
fixed and increase along every line of history.

    bench/gen-network.py                      # full size, bench/data/net.git
    bench/gen-network.py --small -o /tmp/n.git
    bench/gen-network.py --upstream-commits 200000 --forks 40 --seed 7

Prints what it built; with --plan FILE also writes the per-fork plan (kind,
base, planned commit counts) as JSON.
"""

import argparse
import bisect
import json
import os
import random
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

START = 1262595600        # 2010-01-04 09:00 UTC: first upstream commit
END = 1751270400          # 2025-06-30 08:00 UTC: last upstream commit
DAY = 86400

TOPS = ["core", "net", "drivers", "fs", "lib", "tools", "arch", "block",
        "crypto", "sound", "mm", "ui", "hw", "util", "audio", "video",
        "storage", "monitor", "migration", "target"]
WORDS = ["alloc", "buffer", "cache", "channel", "clock", "codec", "config",
         "console", "context", "cursor", "device", "dispatch", "engine",
         "event", "fence", "filter", "frame", "handle", "header", "index",
         "input", "journal", "kernel", "layer", "link", "list", "lock",
         "loop", "map", "message", "module", "mutex", "node", "notify",
         "object", "option", "output", "packet", "page", "parser", "path",
         "pipe", "policy", "pool", "port", "power", "queue", "range",
         "record", "region", "register", "reply", "request", "ring",
         "route", "rule", "sample", "scheduler", "segment", "session",
         "signal", "slot", "socket", "state", "stream", "table", "target",
         "task", "thread", "timer", "token", "trace", "tree", "queue",
         "vector", "volume", "window", "worker", "zone"]
VERBS = ["init", "reset", "flush", "update", "check", "parse", "emit",
         "attach", "detach", "lookup", "insert", "remove", "sync", "probe",
         "scan", "commit", "release", "acquire", "encode", "decode",
         "validate", "prepare", "finish", "complete", "resize", "map",
         "unmap", "poll", "wait", "wake"]
OPS = ["read", "write", "map", "sync", "kick", "poll", "flush", "probe",
       "reset", "notify", "submit", "drain", "step"]
FIELDS = ["count", "pending", "inflight", "errors", "flags", "gen", "seq",
          "budget", "credits", "users"]
FIRST = ["Alice", "Bruno", "Chen", "Dana", "Emil", "Fatima", "Goran", "Hana",
         "Ivan", "Jana", "Kenji", "Lena", "Marco", "Nadia", "Omar", "Priya",
         "Quentin", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wei", "Ximena",
         "Yusuf", "Zoe"]
LAST = ["Andersen", "Berger", "Costa", "Dubois", "Eriksen", "Fischer",
        "Garcia", "Horvat", "Ito", "Jensen", "Kowalski", "Lindqvist",
        "Moreau", "Novak", "Okafor", "Petrov", "Quinn", "Rossi", "Sato",
        "Tanaka", "Ulrich", "Varga", "Weber", "Xu", "Young", "Zimmermann"]
TZS = ["+0000", "+0100", "+0200", "-0500", "-0800", "+0530", "+0900",
       "-0300", "+0800", "+1000"]


class Stream:
    """The fast-import command stream, buffered into the process's stdin."""

    def __init__(self, pipe):
        self.pipe = pipe
        self.buf = []
        self.size = 0
        self.marks = 0
        self.tips = {}          # ref -> mark of its current commit
        self.bytes = 0
        self.ncommits = 0
        self.nblobs = 0

    def w(self, b):
        self.buf.append(b)
        self.size += len(b)
        if self.size > (1 << 20):
            self.flush()

    def flush(self):
        if self.buf:
            data = b"".join(self.buf)
            self.pipe.write(data)
            self.bytes += len(data)
            self.buf = []
            self.size = 0

    def mark(self):
        self.marks += 1
        return self.marks

    def blob(self, data):
        m = self.mark()
        self.w(b"blob\nmark :%d\ndata %d\n" % (m, len(data)))
        self.w(data)
        self.w(b"\n")
        self.nblobs += 1
        return m

    def commit(self, ref, author, committer, msg, parent, merges=(),
               files=()):
        """author/committer: (ident bytes, epoch, tz str). parent: mark or
        None (root). files: [(path, blob mark)]."""
        m = self.mark()
        out = [b"commit %s\nmark :%d\n" % (ref, m),
               b"author %s %d %s\n" % (author[0], author[1],
                                       author[2].encode()),
               b"committer %s %d %s\n" % (committer[0], committer[1],
                                          committer[2].encode())]
        msg = msg.encode()
        out.append(b"data %d\n" % len(msg))
        out.append(msg)
        out.append(b"\n")
        if parent is not None and self.tips.get(ref) != parent:
            out.append(b"from :%d\n" % parent)
        for mg in merges:
            out.append(b"merge :%d\n" % mg)
        for path, blob in files:
            out.append(b"M 100644 :%d %s\n" % (blob, path))
        out.append(b"\n")
        self.w(b"".join(out))
        self.tips[ref] = m
        self.ncommits += 1
        return m

    def tag(self, name, commit, tagger, msg):
        msg = msg.encode()
        self.w(b"tag %s\nfrom :%d\ntagger %s %d %s\ndata %d\n%s\n" % (
            name.encode(), commit, tagger[0], tagger[1], tagger[2].encode(),
            len(msg), msg))

    def lightweight(self, ref, commit):
        self.w(b"reset %s\nfrom :%d\n\n" % (ref.encode(), commit))


class Text:
    """File contents. A text file is a header plus a sequence of C
    functions ("slots"); a slot's text is fixed by its id except for one
    line fixed by its revision, which sits with at least three unchanging
    lines on each side -- so one change has the same diff, context
    included, on any base where the slot is at the same revision. That is
    what lets a fork carry a true cherry-pick of an upstream commit."""

    def __init__(self):
        self.slots = {}         # sid -> (pre bytes, post bytes, kind, vars)
        self.headers = {}

    def slot(self, sid):
        s = self.slots.get(sid)
        if s is None:
            verb = VERBS[sid % len(VERBS)]
            noun = WORDS[(sid // len(VERBS)) % len(WORDS)]
            fn = "%s_%s_%d" % (verb, noun, sid)
            st = WORDS[(sid * 7 + 3) % len(WORDS)]
            v = st[0]
            field = FIELDS[sid % len(FIELDS)]
            if sid % 3:
                pre = ("/*\n * %s() - %s the %s of @%s\n * @%s: the %s to work "
                       "on\n * @n: how many %ss\n */\nint %s(struct %s *%s, int n)"
                       "\n{\n\tint ret = 0;\n\n\tif (!%s || n < 0)\n\t\treturn "
                       "-EINVAL;\n" % (fn, verb, noun, v, v, st, noun, fn, st,
                                       v, v))
                post = ("\tif (ret < 0)\n\t\tgoto out;\n\t%s->%s += n;\nout:\n"
                        "\treturn ret;\n}\n\n" % (v, field))
                kind = 0
            else:
                pre = ("static long %s(const struct %s *%s, long n)\n{\n\t"
                       "long acc = 0;\n\tint i;\n\n\tfor (i = 0; i < n; i++) {"
                       "\n\t\tacc += %s->%s;\n" % (fn, st, v, v, field))
                post = ("\t\tif (acc > %s_LIMIT)\n\t\t\tbreak;\n\t}\n\treturn "
                        "acc;\n}\n\n" % noun.upper())
                kind = 1
            s = (pre.encode(), post.encode(), kind, v)
            self.slots[sid] = s
        return s

    def varline(self, s, rev):
        op = OPS[rev % len(OPS)]
        if s[2] == 0:
            return b"\tret = %s->ops->%s(%s, n * %d + %d);\n" % (
                s[3].encode(), op.encode(), s[3].encode(), rev % 89 + 2, rev)
        return b"\t\tacc ^= %s->ops->%s(%s, i * %d + %d);\n" % (
            s[3].encode(), op.encode(), s[3].encode(), rev % 89 + 2, rev)

    def header(self, path):
        h = self.headers.get(path)
        if h is None:
            d = path.rsplit(b"/", 1)[0]
            h = (b"// SPDX-License-Identifier: GPL-2.0-or-later\n/*\n * %s\n"
                 b" *\n * Copyright (C) The Synthetic Project authors\n */\n"
                 b"#include <errno.h>\n#include \"%s/internal.h\"\n\n" % (
                     path, d))
            self.headers[path] = h
        return h

    def render(self, path, sids, revs):
        parts = [self.header(path)]
        for sid, rev in zip(sids, revs):
            s = self.slot(sid)
            parts.append(s[0])
            parts.append(self.varline(s, rev))
            parts.append(s[1])
        return b"".join(parts)


class Gen:
    def __init__(self, args):
        self.a = args
        self.rng = random.Random(args.seed)
        self.text = Text()
        self.next_sid = 1
        self.next_rev = 1
        self.S = None
        # upstream
        self.tree = {}          # path -> (sids, revs, mark) ; binary: (None, None, mark)
        self.main_marks = []    # mainline (first-parent of master) commits
        self.main_dates = []
        self.main_changes = []  # idx -> ((path, state), ...) applied there
        self.main_ops = []      # idx -> pickable ops ((p, sid, old, new), ...) or None
        self.main_msgs = []
        self.main_authors = []
        self.checkpoints = {}
        self.releases = []      # (tag, idx, annotated)
        self.rcs = []
        self.other_tags = []
        self.upstream_commits = 0
        self.topic_commits = 0
        self.merges = 0
        self.dirs = []
        self.dir_files = {}
        self.people = []

    # --- small helpers -----------------------------------------------------

    def sid(self):
        self.next_sid += 1
        return self.next_sid

    def rev(self):
        self.next_rev += 1
        return self.next_rev

    def person(self, rng=None):
        rng = rng or self.rng
        name = "%s %s" % (rng.choice(FIRST), rng.choice(LAST))
        email = "%s.%s@%s.example" % (name.split()[0].lower(),
                                      name.split()[1].lower(),
                                      rng.choice(["mail", "corp", "dev", "lab"]))
        return ("%s <%s>" % (name, email)).encode(), rng.choice(TZS)

    def ident(self, who, when):
        return (who[0], int(when), who[1])

    def subject(self, rng, path, sid=None):
        d = path.decode().rsplit("/", 1)[0]
        verb = rng.choice(VERBS)
        noun = rng.choice(WORDS)
        forms = ["%s: %s %s before use", "%s: fix %s %s ordering",
                 "%s: %s the %s under the lock", "%s: simplify %s of %s",
                 "%s: do not %s a stale %s", "%s: %s %s on error paths",
                 "%s: use the common %s %s helper", "%s: %s %s once"]
        return rng.choice(forms) % (d, verb, noun)

    def message(self, rng, path, who):
        s = self.subject(rng, path)
        if rng.random() < 0.5:
            return "%s\n\nSigned-off-by: %s\n" % (s, who[0].decode())
        return s + "\n"

    def render(self, path, sids, revs):
        return self.S.blob(self.text.render(path, sids, revs))

    # --- upstream ---------------------------------------------------------

    def initial_tree(self):
        rng = self.rng
        a = self.a
        names = set()
        while len(self.dirs) < a.dirs:
            d = "%s/%s" % (rng.choice(TOPS), rng.choice(WORDS))
            if d not in names:
                names.add(d)
                self.dirs.append(d.encode())
        self.dir_weights = []
        acc = 0.0
        for i in range(len(self.dirs)):
            acc += 1.0 / (1 + i) ** 0.8
            self.dir_weights.append(acc)
        per = max(1, int(a.files * 0.85) // a.dirs)
        files = []
        for d in self.dirs:
            used = set()
            self.dir_files[d] = []
            for _ in range(per):
                base = rng.choice(WORDS) + "_" + rng.choice(WORDS)
                while base in used:
                    base = rng.choice(WORDS) + "_" + rng.choice(WORDS)
                used.add(base)
                files.append(self.new_text_file(d, base.encode(), rng))
        for i in range(a.assets):
            p = b"assets/img%02d.png" % i
            data = rng.randbytes(rng.randrange(2000, 8000))
            self.tree[p] = (None, None, self.S.blob(b"\x89PNG\r\n\x1a\n\0" + data))
        self.tree[b"VERSION"] = (None, None, self.S.blob(b"0.1.0\n"))
        self.tree[b"NEWS"] = (None, None, self.S.blob(b"Synthetic project\n"))
        self.news = b"Synthetic project\n"
        return files

    def new_text_file(self, d, base, rng, nslots=None):
        p = d + b"/" + base + b".c"
        n = nslots or rng.randrange(2, 8)
        sids = tuple(self.sid() for _ in range(n))
        revs = tuple(self.rev() for _ in range(n))
        st = (sids, revs, self.render(p, sids, revs))
        self.tree[p] = st
        self.dir_files[d].append(p)
        return p

    def pick_path(self, rng, avoid=None):
        while True:
            d = self.dirs[bisect.bisect(self.dir_weights,
                                        rng.random() * self.dir_weights[-1])]
            if d != avoid:
                return d, rng.choice(self.dir_files[d])

    def upstream_change(self, rng, avoid_dir=None, only_dir=None):
        """One commit's worth of upstream changes: [(path, newstate)], the
        pickable (pure line change) ops or None, a message path."""
        nfiles = 1 if rng.random() < 0.72 else (2 if rng.random() < 0.8 else 3)
        changes = {}
        ops = []
        pickable = True
        for _ in range(nfiles):
            r = rng.random()
            if only_dir is not None:
                d = only_dir
                p = rng.choice(self.dir_files[d])
            else:
                d, p = self.pick_path(rng, avoid_dir)
            if r < 0.004 and self.a.assets and only_dir is None:
                p = b"assets/img%02d.png" % rng.randrange(self.a.assets)
                data = rng.randbytes(rng.randrange(2000, 8000))
                changes[p] = (None, None,
                              self.S.blob(b"\x89PNG\r\n\x1a\n\0" + data))
                pickable = False
                continue
            if r < 0.0065:
                base = (rng.choice(WORDS) + "_" + rng.choice(VERBS) +
                        "%d" % self.next_sid).encode()
                np = self.new_text_file(d, base, rng)
                changes[np] = self.tree[np]
                pickable = False
                continue
            st = changes.get(p) or self.tree[p]
            sids, revs = list(st[0]), list(st[1])
            if r < 0.06:
                k = rng.randrange(len(sids) + 1)
                sids.insert(k, self.sid())
                revs.insert(k, self.rev())
                pickable = False
            else:
                k = rng.randrange(len(sids))
                old = revs[k]
                revs[k] = self.rev()
                ops.append((p, sids[k], old, revs[k]))
            changes[p] = (tuple(sids), tuple(revs), None)
        out = []
        for p, st in changes.items():
            if st[2] is None:
                st = (st[0], st[1], self.render(p, st[0], st[1]))
            out.append((p, st))
        if not pickable or len({o[0] for o in ops}) != len(ops):
            ops = None
        return out, (tuple(ops) if ops else None), out[0][0]

    def main_commit(self, changes, msg, author, committer, ops, when,
                    merges=()):
        parent = self.main_marks[-1] if self.main_marks else None
        files = []
        for p, st in changes:
            self.tree[p] = st
            files.append((p, st[2]))
        m = self.S.commit(b"refs/heads/master", author, committer, msg,
                          parent, merges, files)
        self.main_marks.append(m)
        self.main_dates.append(when)
        self.main_changes.append(tuple(changes))
        self.main_ops.append(ops)
        self.main_msgs.append(msg)
        self.main_authors.append(author)
        idx = len(self.main_marks) - 1
        if idx % 1000 == 0:
            self.checkpoints[idx] = dict(self.tree)
        self.upstream_commits += 1
        return m

    def snapshot(self, idx):
        """The upstream tree at mainline commit idx."""
        c = idx - idx % 1000
        snap = dict(self.checkpoints[c])
        for i in range(c + 1, idx + 1):
            for p, st in self.main_changes[i]:
                snap[p] = st
        return snap

    def gen_upstream(self):
        a = self.a
        rng = self.rng
        S = self.S
        authors = [self.person() for _ in range(60)]
        maintainers = authors[:3]
        N = a.upstream_commits
        step = (END - START) / N
        tick = [0]

        def when():
            t = START + tick[0] * step + rng.random() * step * 0.4
            tick[0] += 1
            return int(t)

        # release schedule: releases evenly over the history
        nrel = a.releases
        rel_at = [int(N * (i + 0.6) / (nrel + 0.2)) for i in range(nrel)]
        versions = []
        major, minor = 1, 0
        for i in range(nrel):
            versions.append((major, minor))
            if i % 6 == 5:
                major, minor = major + 1, 0
            else:
                minor += 1
        gap = max(5, N // (4 * nrel))
        rc_at = [(rel_at[i] - gap, i) for i in range(nrel)
                 if i % 3 == 1 and rel_at[i] - gap > rel_at[i - 1]]
        other_at = [(int(N * f), "nightly-%d" % k)
                    for k, f in enumerate((0.13, 0.37, 0.58, 0.77, 0.91))]
        rel_i = 0

        self.initial_tree()
        t = when()
        who = maintainers[0]
        files = [(p, st[2]) for p, st in sorted(self.tree.items())]
        self.tree = dict(self.tree)
        m = S.commit(b"refs/heads/master", self.ident(who, t),
                     self.ident(who, t), "Initial import\n", None, (), files)
        self.main_marks.append(m)
        self.main_dates.append(t)
        self.main_changes.append(())
        self.main_ops.append(None)
        self.main_msgs.append("Initial import\n")
        self.main_authors.append(self.ident(who, t))
        self.checkpoints[0] = dict(self.tree)
        self.upstream_commits = 1

        while self.upstream_commits < N:
            count = self.upstream_commits
            if rel_i < nrel and count >= rel_at[rel_i]:
                major, minor = versions[rel_i]
                self.release_commit("v%d.%d.0" % (major, minor), when(),
                                    maintainers[rel_i % 3],
                                    annotated=(minor == 0 or rel_i % 2 == 0))
                rel_i += 1
                continue
            if rc_at and count >= rc_at[0][0]:
                i = rc_at.pop(0)[1]
                major, minor = versions[i]
                self.release_commit("v%d.%d.0-rc1" % (major, minor), when(),
                                    maintainers[i % 3], annotated=True,
                                    rc=True)
                continue
            if other_at and count >= other_at[0][0]:
                self.other_tags.append(other_at.pop(0)[1])
                S.lightweight("refs/tags/" + self.other_tags[-1],
                              self.main_marks[-1])
            if rng.random() < 1 / 30 and N - count > 40:
                self.topic(rng, when, authors, maintainers)
                continue
            changes, ops, p = self.upstream_change(rng)
            t = when()
            au = rng.choice(authors)
            cm = rng.choice(maintainers)
            self.main_commit(changes, self.message(rng, p, au),
                             self.ident(au, t - rng.randrange(0, 3 * DAY)),
                             self.ident(cm, t), ops, t)
        while rel_i < nrel:     # tiny networks: make sure all releases exist
            major, minor = versions[rel_i]
            self.release_commit("v%d.%d.0" % (major, minor), when(),
                                maintainers[0], annotated=True)
            rel_i += 1

    def release_commit(self, tag, t, who, annotated, rc=False):
        version = tag[1:]
        self.news = b"Version %s\n\n  * %d changes since the last release\n\n" % (
            version.encode(), self.rng.randrange(200, 900)) + self.news
        changes = [(b"VERSION", (None, None, self.S.blob(version.encode() + b"\n"))),
                   (b"NEWS", (None, None, self.S.blob(self.news)))]
        m = self.main_commit(changes, "Release %s\n" % version,
                             self.ident(who, t), self.ident(who, t), None, t)
        idx = len(self.main_marks) - 1
        if annotated:
            self.S.tag(tag, m, self.ident(who, t + 60),
                       "Version %s\n" % version)
        else:
            self.S.lightweight("refs/tags/" + tag, m)
        (self.rcs if rc else self.releases).append((tag, idx, annotated))

    def topic(self, rng, when, authors, maintainers):
        """A topic branch merged with --no-ff while mainline moved on in
        other directories."""
        S = self.S
        d = self.dirs[bisect.bisect(self.dir_weights,
                                    rng.random() * self.dir_weights[-1])]
        ntopic = rng.randrange(2, 9)
        nmain = rng.randrange(1, 6)
        order = [0] * ntopic + [1] * nmain
        rng.shuffle(order)
        fork_point = self.main_marks[-1]
        saved = dict(self.tree)
        ttree = {}
        tparent = fork_point
        au = rng.choice(authors)
        topic_msgs = []
        for lane in order:
            t = when()
            if lane == 0:
                # topic commit: changes against the topic's own tree
                cur = self.tree
                self.tree = dict(saved)
                self.tree.update(ttree)
                changes, _, p = self.upstream_change(rng, only_dir=d)
                self.tree = cur
                for q, st in changes:
                    ttree[q] = st
                msg = self.message(rng, p, au)
                topic_msgs.append(msg)
                tparent = S.commit(b"refs/heads/_topic", self.ident(au, t),
                                   self.ident(au, t), msg, tparent, (),
                                   [(q, st[2]) for q, st in changes])
                self.upstream_commits += 1
                self.topic_commits += 1
            else:
                changes, ops, p = self.upstream_change(rng, avoid_dir=d)
                ma = rng.choice(authors)
                cm = rng.choice(maintainers)
                self.main_commit(changes, self.message(rng, p, ma),
                                 self.ident(ma, t), self.ident(cm, t), ops, t)
        t = when()
        cm = rng.choice(maintainers)
        msg = "Merge branch '%s-%s' into master\n\n* %s\n" % (
            d.decode().replace("/", "-"), rng.choice(VERBS),
            "\n* ".join(m.split("\n")[0] for m in topic_msgs))
        self.main_commit(sorted(ttree.items()), msg, self.ident(cm, t),
                         self.ident(cm, t), None, t, merges=(tparent,))
        self.merges += 1

    # --- forks --------------------------------------------------------------

    def plan_forks(self):
        a = self.a
        rng = random.Random(a.seed * 7919 + 1)
        kinds = ["plain", "sync", "picks", "mr-top", "mr-bottom", "sync-picks"]
        plans = []
        n = a.forks
        lo, hi = a.min_ahead, a.max_ahead
        targets = [int(round(lo * (hi / lo) ** (i / max(1, n - 1))))
                   for i in range(n)]
        rng.shuffle(targets)
        nmain = len(self.main_marks)
        rel_idx = [r[1] for r in self.releases]
        for k in range(n):
            kind = kinds[k % len(kinds)]
            fate = ["active", "active", "stale", "abandoned"][
                (k // len(kinds) + k) % 4]
            plan = {"name": "f%02d" % k, "kind": kind, "target": targets[k],
                    "fate": fate}
            if kind.startswith("mr"):
                # base on an early-ish release, rounds on later releases
                nrounds = rng.randrange(2, 5)
                first = rng.randrange(0, max(1, len(rel_idx) - nrounds))
                later = sorted(rng.sample(range(first + 1, len(rel_idx)),
                                          min(nrounds - 1,
                                              len(rel_idx) - first - 1)))
                if fate != "active" and later:
                    later = later[:max(1, len(later) - 1)]
                plan["rounds"] = [first] + later
                plan["base"] = rel_idx[first]
            else:
                if rng.random() < 0.5:
                    plan["base"] = rel_idx[rng.randrange(len(rel_idx))]
                    plan["base_kind"] = "release"
                else:
                    plan["base"] = rng.randrange(nmain // 50, nmain * 19 // 20)
                    plan["base_kind"] = "mainline"
            t0 = self.main_dates[plan["base"]] + rng.randrange(DAY, 30 * DAY)
            if fate == "active":
                t1 = END + rng.randrange(-20 * DAY, 40 * DAY)
            elif fate == "stale":
                t1 = END - rng.randrange(180 * DAY, 540 * DAY)
            else:
                t1 = t0 + (END - t0) * rng.uniform(0.2, 0.6)
                t1 = min(t1, END - 730 * DAY)
            if kind.startswith("mr"):
                last = self.main_dates[rel_idx[plan["rounds"][-1]]]
                t1 = max(t1, last + 60 * DAY)
            t1 = max(t1, t0 + 30 * DAY)
            plan["t0"], plan["t1"] = int(t0), int(t1)
            plan["authors"] = [self.person(rng) for _ in range(rng.randrange(1, 5))]
            plans.append(plan)
        return plans

    def gen_fork(self, plan):
        kind = plan["kind"]
        if kind.startswith("mr"):
            return self.gen_mr_fork(plan)
        rng = random.Random(self.a.seed * 1000003 + int(plan["name"][1:]))
        S = self.S
        ref = b"refs/heads/forks/" + plan["name"].encode()
        A = plan["target"]
        t0, t1 = plan["t0"], plan["t1"]
        view = View(self, self.snapshot(plan["base"]), plan["base"])
        focus = self.focus(rng)
        syncs = set()
        if "sync" in kind:
            nsync = rng.randrange(1, 6)
            syncs = set(rng.sample(range(A // 10, A * 19 // 20), nsync))
        pick_rate = rng.uniform(0.05, 0.25) if "picks" in kind else 0.0
        tip = self.main_marks[plan["base"]]
        stats = {"commits": 0, "merges": 0, "picks": 0, "syncs": []}
        for j in range(A):
            t = t0 + (t1 - t0) * (j + 1) // (A + 1)
            who = plan["authors"][j % len(plan["authors"])]
            if j in syncs:
                s = bisect.bisect(self.main_dates, t - rng.randrange(0, 60 * DAY)) - 1
                if s > view.base_idx:
                    changes = view.rebase(self.snapshot(s), s)
                    tag = self.tag_at(s)
                    msg = ("Merge tag '%s'\n" % tag if tag else
                           "Merge branch 'master' of https://git.example.org/upstream\n")
                    tip = S.commit(ref, self.ident(who, t), self.ident(who, t),
                                   msg, tip, (self.main_marks[s],), changes)
                    stats["merges"] += 1
                    stats["commits"] += 1
                    stats["syncs"].append(s)
                    continue
            if pick_rate and rng.random() < pick_rate:
                picked = self.try_pick(rng, view, t)
                if picked is not None:
                    idx, ops = picked
                    files = view.apply(ops)
                    au = self.main_authors[idx]
                    tip = S.commit(ref, au, self.ident(who, t),
                                   self.main_msgs[idx], tip, (), files)
                    stats["picks"] += 1
                    stats["commits"] += 1
                    continue
            ops, p = view.fork_ops(rng, focus, plan["name"])
            files = view.apply(ops)
            tip = S.commit(ref, self.ident(who, t - rng.randrange(0, DAY)),
                           self.ident(who, t), self.message(rng, p, who), tip,
                           (), files)
            stats["commits"] += 1
        plan["stats"] = stats
        plan["merge_base_idx"] = view.base_idx

    def tag_at(self, idx):
        for tag, i, _ in self.releases:
            if i == idx:
                return tag
        return None

    def focus(self, rng):
        """The upstream files a fork works on: a few directories."""
        dirs = rng.sample(self.dirs, min(len(self.dirs), rng.randrange(2, 8)))
        files = []
        for d in dirs:
            files += self.dir_files[d]
        return [p for p in files if p in self.checkpoints[0]] or files

    def try_pick(self, rng, view, t):
        hi = bisect.bisect(self.main_dates, t) - 1
        lo = view.base_idx + 1
        if hi < lo:
            return None
        for _ in range(12):
            idx = rng.randrange(lo, hi + 1)
            ops = self.main_ops[idx]
            if not ops:
                continue
            ok = True
            for p, sid, old, new in ops:
                if view.rev_of(p, sid) != old:
                    ok = False
                    break
            if ok:
                return idx, [("m", p, sid, new) for p, sid, old, new in ops]
        return None

    def gen_mr_fork(self, plan):
        rng = random.Random(self.a.seed * 1000003 + int(plan["name"][1:]))
        S = self.S
        ref = b"refs/heads/forks/" + plan["name"].encode()
        lane = b"refs/heads/_lane"
        rounds = plan["rounds"]
        r = len(rounds)
        A = plan["target"]
        per = max(5, (A - (r - 1)) * 2 // (r * (r + 1)))
        focus = self.focus(rng)
        patches = []            # [(ops, author ident, message, path)]
        tip = None
        own = []
        stats = {"commits": 0, "merges": 0, "picks": 0, "rounds": []}
        t1 = plan["t1"]
        round_t = []
        for i, ri in enumerate(rounds):
            tag, idx, _ = self.releases[ri]
            start = plan["t0"] if i == 0 else self.main_dates[idx] + rng.randrange(DAY, 20 * DAY)
            round_t.append(start)
        round_t.append(t1)
        for i, ri in enumerate(rounds):
            tag, idx, _ = self.releases[ri]
            view = View(self, self.snapshot(idx), idx)
            view.own = own
            t = round_t[i]
            n_new = per if i < r - 1 else max(per, A - stats["commits"] - len(patches) - (1 if i else 0))
            who = plan["authors"][0]
            if i == 0:
                cur = self.main_marks[idx]
                on = ref
            elif plan["kind"] == "mr-bottom":
                cur = S.commit(ref, self.ident(who, t), self.ident(who, t),
                               "Start the merging-rebase to %s\n\nThis commit "
                               "starts the rebase of the previous round onto "
                               "%s.\n" % (tag, tag), self.main_marks[idx],
                               (tip,), ())
                stats["merges"] += 1
                stats["commits"] += 1
                on = ref
            else:
                cur = self.main_marks[idx]
                on = lane
            # re-apply the series (a rebase: one committer date, ticking)
            for k, (ops, au, msg, p) in enumerate(patches):
                files = view.apply(ops)
                cur = S.commit(on, au, self.ident(who, t + k), msg, cur, (),
                               files)
                stats["commits"] += 1
            if i > 0 and plan["kind"] == "mr-top":
                cur = S.commit(ref, self.ident(who, t + len(patches)),
                               self.ident(who, t + len(patches)),
                               "Merge the previous round into the rebase onto "
                               "%s\n\nAn \"ours\" merge: the tree is the "
                               "rebased series.\n" % tag, cur, (tip,), ())
                stats["merges"] += 1
                stats["commits"] += 1
            t = t + len(patches) + 60
            t_end = round_t[i + 1] - 60
            for k in range(n_new):
                tk = t + (t_end - t) * (k + 1) // (n_new + 1)
                who = plan["authors"][k % len(plan["authors"])]
                ops, p = view.fork_ops(rng, focus, plan["name"])
                files = view.apply(ops)
                au = self.ident(who, tk - rng.randrange(0, DAY))
                msg = self.message(rng, p, who)
                cur = S.commit(ref, au, self.ident(who, tk), msg, cur, (),
                               files)
                patches.append((ops, au, msg, p))
                stats["commits"] += 1
            tip = cur
            stats["rounds"].append(tag)
        plan["stats"] = stats
        plan["merge_base_idx"] = self.releases[rounds[-1]][1]


class View:
    """A fork's tree: an upstream snapshot plus the fork's own changes
    (per file: slot revisions it changed, slots and files it added)."""

    def __init__(self, gen, base, base_idx):
        self.g = gen
        self.base = base
        self.base_idx = base_idx
        self.mods = {}          # path -> {sid: rev}
        self.added = {}         # path -> [sid]
        self.cur = {}           # path -> (sids, revs, mark) where overlaid
        self.own = []

    def effective(self, p):
        b = self.base.get(p)
        m = self.mods.get(p, {})
        if b is not None and b[0] is not None:
            sids = list(b[0])
            revs = [m.get(s, r) for s, r in zip(b[0], b[1])]
        else:
            sids, revs = [], []
        for s in self.added.get(p, ()):
            sids.append(s)
            revs.append(m[s])
        return tuple(sids), tuple(revs)

    def rev_of(self, p, sid):
        m = self.mods.get(p)
        if m is not None and sid in m:
            return m[sid]
        b = self.base.get(p)
        if b is None or b[0] is None:
            return None
        try:
            return b[1][b[0].index(sid)]
        except ValueError:
            return None

    def apply(self, ops):
        touched = []
        for kind, p, sid, rev in ops:
            if kind == "a":
                self.added.setdefault(p, []).append(sid)
            self.mods.setdefault(p, {})[sid] = rev
            if p not in touched:
                touched.append(p)
        files = []
        for p in touched:
            sids, revs = self.effective(p)
            mark = self.g.render(p, sids, revs)
            self.cur[p] = (sids, revs, mark)
            files.append((p, mark))
        return files

    def rebase(self, new_base, idx):
        """Merge upstream up to idx in: the changed files, as (path, mark)."""
        old = self.base
        self.base = new_base
        self.base_idx = idx
        changes = []
        for p, st in new_base.items():
            if p in self.mods:
                continue
            o = old.get(p)
            if o is None or o[2] != st[2]:
                changes.append((p, st[2]))
        for p in self.mods:
            sids, revs = self.effective(p)
            c = self.cur[p]
            if (sids, revs) != (c[0], c[1]):
                mark = self.g.render(p, sids, revs)
                self.cur[p] = (sids, revs, mark)
                changes.append((p, mark))
        return changes

    def fork_ops(self, rng, focus, name):
        g = self.g
        ops = []
        nfiles = 1 if rng.random() < 0.7 else (2 if rng.random() < 0.75 else 3)
        path = None
        for _ in range(nfiles):
            r = rng.random()
            if r < 0.62:
                p = rng.choice(focus)
                sids, _ = self.effective(p)
                if not sids:
                    continue
                ops.append(("m", p, rng.choice(sids), g.rev()))
            elif r < 0.72:
                p = rng.choice(focus)
                ops.append(("a", p, g.sid(), g.rev()))
            elif r < 0.75 or not self.own:
                d = rng.choice(focus).rsplit(b"/", 1)[0]
                p = d + b"/%s_%s%d.c" % (name.encode(),
                                          rng.choice(WORDS).encode(),
                                          len(self.own))
                self.own.append(p)
                for _ in range(rng.randrange(2, 5)):
                    ops.append(("a", p, g.sid(), g.rev()))
            else:
                p = rng.choice(self.own)
                sids, _ = self.effective(p)
                if not sids:    # created by this very commit
                    continue
                ops.append(("m", p, rng.choice(sids), g.rev()))
            path = path or p
        if not ops:
            p = rng.choice(focus)
            ops.append(("a", p, g.sid(), g.rev()))
            path = p
        return ops, path


def git(*args, **kw):
    return subprocess.run(["git"] + list(args), check=True, **kw)


def main():
    ap = argparse.ArgumentParser(
        description="Generate a synthetic fork network (bare repository) "
        "with git fast-import.")
    ap.add_argument("-o", "--out", default=os.path.join(HERE, "data",
                                                        "net.git"),
                    help="bare repository to create (default: %(default)s)")
    ap.add_argument("--upstream-commits", type=int, default=100000)
    ap.add_argument("--forks", type=int, default=32)
    ap.add_argument("--min-ahead", type=int, default=1000)
    ap.add_argument("--max-ahead", type=int, default=20000)
    ap.add_argument("--files", type=int, default=2000,
                    help="files in the upstream tree (approximately)")
    ap.add_argument("--dirs", type=int, default=100)
    ap.add_argument("--releases", type=int, default=24)
    ap.add_argument("--assets", type=int, default=12,
                    help="binary files in assets/")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--small", action="store_true",
                    help="quick preset: 5,000 upstream commits, 8 forks "
                    "ahead 100-1,000, 400 files in 20 directories")
    ap.add_argument("--no-commit-graph", action="store_true",
                    help="do not write a commit-graph (as after `git gc`)")
    ap.add_argument("--plan", help="write the per-fork plan as JSON here")
    ap.add_argument("-f", "--force", action="store_true",
                    help="replace OUT if it exists")
    a = ap.parse_args()
    if a.small:
        explicit = set(arg.split("=")[0] for arg in sys.argv[1:])
        for opt, val in (("--upstream-commits", 5000), ("--forks", 8),
                         ("--min-ahead", 100), ("--max-ahead", 1000),
                         ("--files", 400), ("--dirs", 20)):
            if opt not in explicit:
                setattr(a, opt[2:].replace("-", "_"), val)
    if a.min_ahead < 1 or a.max_ahead < a.min_ahead:
        ap.error("need 1 <= --min-ahead <= --max-ahead")
    if a.upstream_commits < 10 * a.releases:
        ap.error("--upstream-commits too small for %d releases" % a.releases)

    out = os.path.abspath(a.out)
    if os.path.exists(out):
        if not a.force:
            ap.error("%s exists (use --force to replace it)" % out)
        shutil.rmtree(out)
    t_start = time.monotonic()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull,
               LC_ALL="C")
    git("init", "-q", "--bare", "--template=", "-b", "master", out, env=env)
    fi = subprocess.Popen(["git", "-C", out, "fast-import", "--quiet",
                           "--done", "--active-branches=10",
                           "--depth=50"], stdin=subprocess.PIPE, env=env)
    g = Gen(a)
    g.S = Stream(fi.stdin)
    try:
        g.gen_upstream()
        t_up = time.monotonic()
        plans = g.plan_forks()
        for plan in plans:
            g.gen_fork(plan)
        g.S.w(b"done\n")
        g.S.flush()
        fi.stdin.close()
    except BrokenPipeError:
        pass
    if fi.wait() != 0:
        sys.exit("gen-network: git fast-import failed")
    t_import = time.monotonic()
    git("-C", out, "update-ref", "--stdin", env=env, text=True,
        input="delete refs/heads/_topic\ndelete refs/heads/_lane\n")
    git("-C", out, "pack-refs", "--all", env=env)
    if not a.no_commit_graph:
        git("-C", out, "commit-graph", "write", "--reachable", "--no-progress",
            env=env)
    t_end = time.monotonic()

    size = 0
    for dirpath, _, files in os.walk(out):
        for f in files:
            size += os.path.getsize(os.path.join(dirpath, f))
    aheads = [p["stats"]["commits"] for p in plans]
    print("built %s in %.1f s (upstream %.1f s, forks %.1f s, finishing %.1f s)"
          % (a.out, t_end - t_start, t_up - t_start, t_import - t_up,
             t_end - t_import))
    print("  upstream: %d commits on master (%d mainline, %d on %d merged "
          "topic branches), %d files"
          % (g.upstream_commits, len(g.main_marks), g.topic_commits, g.merges,
             len(g.tree)))
    print("  tags: %d releases (%d annotated), %d release candidates, "
          "%d other: %s ... %s"
          % (len(g.releases), sum(1 for r in g.releases if r[2]), len(g.rcs),
             len(g.other_tags), g.releases[0][0], g.releases[-1][0]))
    print("  forks: %d, %d-%d commits ahead (total %d), kinds: %s"
          % (len(plans), min(aheads), max(aheads), sum(aheads),
             ", ".join("%s %d" % (k, sum(1 for p in plans if p["kind"] == k))
                       for k in sorted({p["kind"] for p in plans}))))
    print("  fast-import: %d commits, %d blobs, %.0f MB streamed; "
          "repository %.0f MB%s"
          % (g.S.ncommits, g.S.nblobs, g.S.bytes / 1e6, size / 1e6,
             "" if a.no_commit_graph else " (with commit-graph)"))
    if a.plan:
        doc = {"upstream_commits": g.upstream_commits,
               "releases": [r[0] for r in g.releases],
               "rcs": [r[0] for r in g.rcs], "other_tags": g.other_tags,
               "forks": [{k: v for k, v in p.items()
                          if k not in ("authors",)} for p in plans]}
        for f in doc["forks"]:
            f["base_tag_exact"] = g.tag_at(f["base"])
        with open(a.plan, "w") as f:
            json.dump(doc, f, indent=1)


if __name__ == "__main__":
    main()
