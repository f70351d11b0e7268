"""The forkmap program's contract with its users: --help for every
command, one-line errors, and the documented exit codes (README.md)."""
import os
import re
import stat
import subprocess
import tempfile
import unittest

from fixture import Sandbox

BIN = os.environ.get("FORKMAP_BIN")


ENV = None  # the sandbox's clean environment, set in setUp


def run(*args, cwd=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True,
                          cwd=cwd, env=ENV, timeout=120)


class CliTest(unittest.TestCase):
    def setUp(self):
        self.assertTrue(BIN, "ctest sets FORKMAP_BIN")
        global ENV
        self.sb = Sandbox()
        self.addCleanup(self.sb.cleanup)
        ENV = self.sb.env
        self.up = self.sb.repo("up")
        self.up.commit("one", files={"a.c": "int a;\n"})
        self.up.tag("v1.0.0", annotated=True)
        self.up.checkout("forks/acme", create=True)
        self.up.commit("acme", files={"b.c": "int b;\n"})
        self.up.checkout("master")

    def assert_one_line_error(self, proc, code, *words):
        self.assertEqual(proc.returncode, code, proc.stderr)
        lines = [l for l in proc.stderr.splitlines()
                 if l.startswith("error: ")]
        self.assertEqual(len(lines), 1, proc.stderr)
        self.assertEqual(proc.stderr.strip().splitlines()[-1], lines[0])
        for w in words:
            self.assertIn(w, lines[0])

    def test_help_for_every_command(self):
        top = run("--help")
        self.assertEqual(top.returncode, 0)
        for cmd in ("census", "render", "stale", "history"):
            self.assertIn(cmd, top.stdout)
            p = run(cmd, "--help")
            self.assertEqual(p.returncode, 0, cmd)
            self.assertIn("usage: forkmap " + cmd, p.stdout)
            self.assertEqual(p.stderr, "")
        self.assertIn("exit codes", top.stdout)
        self.assertRegex(run("--version").stdout, r"^forkmap \d+\.\d+")

    def test_exit_codes_in_readme_equal_help(self):
        """One table: README's exit codes are what --help prints."""
        with open(os.path.join(os.environ["FORKMAP_SRC"],
                               "README.md")) as f:
            readme = f.read()
        section = readme.split("### Exit codes", 1)[1].split("\n## ", 1)[0]
        documented = re.findall(r"^\| (\d+) \| (.+?) \|$", section, re.M)
        helped = re.findall(r"^  (\d+) +(.+)$",
                            run("--help").stdout.split("exit codes:")[1],
                            re.M)
        self.assertGreaterEqual(len(documented), 11)
        self.assertEqual([(c, m.replace("`", "")) for c, m in documented],
                         helped)
        census = run("census", "--help").stdout
        helps = "".join(run(c, "--help").stdout
                        for c in ("census", "render", "stale", "history"))
        for line in (run("--help").stdout + helps).splitlines():
            self.assertLessEqual(len(line), 79, line)
        self.assertEqual(re.findall(r"^  (\d+) +(.+)$",
                                    census.split("exit codes:")[1], re.M),
                         helped)

    def test_global_options_before_the_command_as_in_git(self):
        # -C before the command: run as if started there
        p = run("-C", self.up.path, "census", "--no-db", "--no-github",
                "--json", "-")
        self.assertIn(p.returncode, (0, 1), p.stderr)
        self.assertIn('"forks"', p.stdout)
        # a later relative -C is taken from the earlier one
        parent, name = os.path.split(self.up.path)
        p = run("-C", parent, "-C", name, "census", "--no-db",
                "--no-github", "--json", "-")
        self.assertIn(p.returncode, (0, 1), p.stderr)
        p = run("-C", os.path.join(self.sb.root, "nope"), "census")
        self.assertEqual(p.returncode, 4)
        self.assertIn("cannot change to", p.stderr)
        # a global --config, relative to the -C directory
        with open(os.path.join(self.up.path, "g.conf"), "w") as f:
            f.write("[github]\n\ttop = lots\n")
        p = run("-C", self.up.path, "--config", "g.conf", "census",
                "--no-db")
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("g.conf", p.stderr)

    def test_history_finds_the_default_store_like_the_other_readers(self):
        p = run("census", "-C", self.up.path, "--no-github", "-q")
        self.assertIn(p.returncode, (0, 1), p.stderr)
        for args in (("history", "-C", self.up.path),
                     ("-C", self.up.path, "history")):
            h = run(*args)
            self.assertEqual(h.returncode, 0, h.stderr)
            self.assertEqual(len(h.stdout.strip().splitlines()), 2,
                             h.stdout)  # the header and one run

    def test_version_and_help_commands(self):
        for args in (("version",), ("-V",), ("--version",)):
            p = run(*args)
            self.assertEqual(p.returncode, 0)
            self.assertRegex(p.stdout, r"^forkmap \d+\.\d+\.\d+\n$")
        p = run("help", "stale")
        self.assertEqual(p.returncode, 0)
        self.assertTrue(p.stdout.startswith("usage: forkmap stale"))
        self.assertTrue(run("help").stdout.startswith("usage: forkmap"))

    def test_a_census_without_forks_says_where_forks_come_from(self):
        p = run("census", "-C", self.up.path, "--no-db", "--no-github",
                "--local", "refs/heads/nothing/*")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("hint: no forks found", p.stderr)
        self.assertIn("--upstream OWNER/REPO", p.stderr)
        p = run("census", "-C", self.up.path, "--no-db", "--no-github",
                "--local", "refs/heads/nothing/*", "-q")
        self.assertEqual(p.stderr, "")

    def test_misspelled_command_gets_a_hint(self):
        p = run("cesnus")
        self.assertEqual(p.returncode, 2)
        self.assertIn("error: 'cesnus' is not a forkmap command", p.stderr)
        self.assertIn("hint: did you mean 'census'?", p.stderr)
        p = run("frobnicate")
        self.assertNotIn("did you mean", p.stderr)
        p = run("\x1b[31mevil")
        self.assertNotIn("\x1b", p.stderr)

    def test_usage_errors_exit_2(self):
        self.assertEqual(run().returncode, 2)
        self.assertEqual(run("frobnicate").returncode, 2)
        p = run("census", "--top", "zero")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--top", p.stderr)
        self.assertEqual(run("census", "--no-such-option").returncode, 2)

    def test_limits_agree_between_options_config_and_help(self):
        """One settings table: what --help says is what both the option
        and the config key accept (fetch.parallel was 64 on the command
        line but silently 32 in the fetcher)."""
        helptext = run("census", "--help").stdout
        limits = {"--fetch-parallel": ("fetch", "parallel"),
                  "--concurrency": ("github", "concurrency"),
                  "--top": ("github", "top"),
                  "--depth": ("github", "depth")}
        conf = os.path.join(self.sb.root, "lim.conf")
        for opt, (section, key) in limits.items():
            m = re.search(re.escape(opt) + r" N .*\(default (\d+), at most "
                          r"(\d+)\)", helptext)
            self.assertIsNotNone(m, opt)
            most = int(m.group(2))
            over = str(most + 1)
            p = run("census", "-C", self.up.path, "--no-db", opt, over)
            self.assertEqual(p.returncode, 2, opt)
            self.assertIn("error: %s wants a whole number from" % opt,
                          p.stderr)
            self.assertIn("to %d, not '%s'" % (most, over), p.stderr)
            with open(conf, "w") as f:
                f.write("[%s]\n\t%s = %s\n" % (section, key, over))
            p = run("census", "-C", self.up.path, "--no-db", "--config",
                    conf)
            self.assert_one_line_error(p, 3, key, "and %d" % most)
            with open(conf, "w") as f:
                f.write("[%s]\n\t%s = %d\n" % (section, key, most))
            p = run("census", "-C", self.up.path, "--no-db", "--no-github",
                    "--config", conf, "-q")
            self.assertIn(p.returncode, (0, 1), (opt, p.stderr))

    def test_missing_repository_exit_4(self):
        missing = os.path.join(self.sb.root, "nope")
        p = run("census", "-C", missing, "--no-db")
        self.assert_one_line_error(p, 4, missing)

    def test_unknown_upstream_branch_exit_4(self):
        p = run("census", "-C", self.up.path, "--no-db", "--branch", "nope")
        self.assert_one_line_error(p, 4, "nope")

    def test_misspelled_branch_gets_a_hint(self):
        p = run("census", "-C", self.up.path, "--no-db", "--branch",
                "mastr")
        self.assert_one_line_error(p, 4, "'mastr' not found",
                                   "did you mean 'master'?")
        p = run("census", "-C", self.up.path, "--no-db", "--branch",
                "zzzzzzzz")
        self.assertNotIn("did you mean", p.stderr)

    def test_output_paths_are_escaped_in_the_summary(self):
        out = os.path.join(self.sb.root, "f\x1b[31m.csv")
        p = run("census", "-C", self.up.path, "--no-db", "--no-github",
                "--csv", out)
        self.assertIn(p.returncode, (0, 1), p.stderr)
        self.assertTrue(os.path.exists(out))
        self.assertNotIn("\x1b", p.stderr)
        self.assertIn("CSV written to", p.stderr)
        self.assertIn("\\x1b[31m.csv", p.stderr)

    def test_bad_config_exit_3(self):
        conf = os.path.join(self.sb.root, "bad.conf")
        with open(conf, "w") as f:
            f.write("[github]\n\ttop = lots\n")
        p = run("census", "-C", self.up.path, "--no-db", "--config", conf)
        self.assert_one_line_error(p, 3, "top")
        with open(conf, "w") as f:
            f.write("[census\n")
        p = run("census", "-C", self.up.path, "--no-db", "--config", conf)
        self.assert_one_line_error(p, 3)
        p = run("census", "-C", self.up.path, "--no-db", "--config",
                os.path.join(self.sb.root, "absent.conf"))
        self.assert_one_line_error(p, 3, "absent.conf")

    def test_options_override_config(self):
        conf = os.path.join(self.sb.root, "f.conf")
        with open(conf, "w") as f:
            f.write("[census]\n\tlocal = refs/heads/none/*\n")
        p = run("census", "-C", self.up.path, "--no-db", "--config", conf,
                "--json", "-")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn('"acme"', p.stdout)
        p = run("census", "-C", self.up.path, "--no-db", "--config", conf,
                "--local", "refs/heads/forks/*", "--json", "-")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn('"acme"', p.stdout)

    def test_table_store_and_history(self):
        db = os.path.join(self.sb.root, "c.db")
        p = run("census", "-C", self.up.path, "--db", db)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("acme", p.stdout)
        self.assertIn("v1.0.0", p.stdout)
        self.assertIn("1 measured", p.stderr)
        self.assertIn(db, p.stderr)
        run("census", "-C", self.up.path, "--db", db, "-q")
        h = run("history", "--db", db)
        self.assertEqual(h.returncode, 0, h.stderr)
        self.assertEqual(len(h.stdout.strip().splitlines()), 3)  # header + 2

    def test_stale_report(self):
        """forkmap stale lists a fork with unique work once its last commit
        is older than --months, judged as of --now."""
        import datetime
        import json
        db = os.path.join(self.sb.root, "s.db")
        p = run("census", "-C", self.up.path, "--db", db, "--json", "-")
        self.assertEqual(p.returncode, 0, p.stderr)
        acme = json.loads(p.stdout)["forks"][0]
        self.assertEqual(acme["name"], "acme")
        self.assertGreater(acme["unique"], 0)
        head = datetime.datetime.fromisoformat(acme["head_date"])

        def stale(days, *extra):
            when = (head + datetime.timedelta(days=days)).date().isoformat()
            q = run("stale", "--db", db, "--now", when, "--json", *extra)
            self.assertEqual(q.returncode, 0, q.stderr)
            return json.loads(q.stdout)["stale"]

        self.assertEqual(stale(30), [])
        listed = stale(400)
        self.assertEqual([f["name"] for f in listed], ["acme"])
        self.assertTrue(listed[0]["quiet"])
        self.assertIn(listed[0]["idle_days"], (399, 400))
        self.assertEqual(stale(400, "--months", "24"), [])
        t = run("stale", "--db", db, "--now", "2100-01-01")
        self.assertEqual(t.returncode, 0, t.stderr)
        self.assertIn("acme", t.stdout)
        self.assertIn("quiet", t.stdout)
        missing = run("stale", "--db", os.path.join(self.sb.root, "no.db"))
        self.assert_one_line_error(missing, 5, "no.db")

    def test_default_store_in_git_dir(self):
        p = run("census", "-C", self.up.path, "-q")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.up.path, ".git",
                                                     "forkmap.db")))

    def test_failed_run_keeps_previous_output(self):
        out = os.path.join(self.sb.root, "forks.json")
        with open(out, "w") as f:
            f.write("previous")
        p = run("census", "-C", self.up.path, "--no-db", "--json", out,
                "--branch", "nope")
        self.assertEqual(p.returncode, 4)
        with open(out) as f:
            self.assertEqual(f.read(), "previous")
        self.assertEqual(sorted(os.listdir(self.sb.root)),
                         sorted(["forks.json", "home", "up"]))

    def test_output_to_a_device_is_written_in_place(self):
        """--json /dev/null must not replace /dev/null with a file; a FIFO
        stands in for the device here (a regression must not break the
        machine's /dev/null)."""
        fifo = os.path.join(self.sb.root, "pipe")
        os.mkfifo(fifo)
        reader = subprocess.Popen(["cat", fifo], stdout=subprocess.PIPE)
        p = run("census", "-C", self.up.path, "--no-db", "--json", fifo,
                "-q")
        data = reader.communicate(timeout=60)[0]
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(b'"acme"', data)
        self.assertTrue(stat.S_ISFIFO(os.stat(fifo).st_mode))

    def test_unwritable_output_exit_5(self):
        p = run("census", "-C", self.up.path, "--no-db", "--csv",
                os.path.join(self.sb.root, "no", "such", "dir", "x.csv"))
        self.assert_one_line_error(p, 5, "x.csv")

    def test_hostile_names_are_escaped_on_the_terminal(self):
        """A configured fork whose name carries a terminal escape sequence
        and whose URL fails: its error row is printed, escaped."""
        conf = os.path.join(self.sb.root, "evil.conf")
        with open(conf, "w") as f:
            f.write('[fork "evil\x1b[31mred"]\n\turl = file://%s/none\n'
                    % self.sb.root)
        p = run("census", "-C", self.up.path, "--no-db", "--config", conf)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("evil", p.stdout)
        self.assertIn("error:", p.stdout)
        self.assertNotIn("\x1b", p.stdout + p.stderr)


if __name__ == "__main__":
    unittest.main()
