"""Installing forkmap like a Debian tool: `cmake --install` into a DESTDIR
puts every file where it belongs (binary, man pages for every command,
bash and zsh completions, the example config, the systemd units and the
cron example); the man pages render with `man -l`; the bash completion
loads and completes commands and options from the program's --help; and
`cpack -G DEB` makes a package with the same files whose binary runs."""
import glob
import os
import shutil
import subprocess
import tempfile
import unittest


def build_dir():
    return os.path.dirname(os.environ["FORKMAP_BIN"])


def commands():
    out = subprocess.run([os.environ["FORKMAP_BIN"], "--help"],
                         capture_output=True, text=True).stdout
    section = out.split("commands:\n", 1)[1].split("\n\n", 1)[0]
    return [l.split()[0] for l in section.splitlines()
            if l.split() and l.split()[0] not in ("help", "version")]


EXPECTED = [
    "usr/local/bin/forkmap",
    "usr/local/share/man/man1/forkmap.1",
    "usr/local/share/bash-completion/completions/forkmap",
    "usr/local/share/zsh/vendor-completions/_forkmap",
    "usr/local/share/doc/forkmap/examples/forkmap.conf",
    "usr/local/share/doc/forkmap/examples/forkmap.cron",
    "usr/local/lib/systemd/system/forkmap@.service",
    "usr/local/lib/systemd/system/forkmap@.timer",
]


class InstallTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.destdir = tempfile.mkdtemp(prefix="forkmap-destdir-")
        env = dict(os.environ, DESTDIR=cls.destdir)
        p = subprocess.run(["cmake", "--install", build_dir(), "--prefix",
                            "/usr/local"], env=env, capture_output=True,
                           text=True)
        if p.returncode != 0:
            raise RuntimeError("cmake --install failed: " + p.stderr)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.destdir, ignore_errors=True)

    def at(self, rel):
        return os.path.join(self.destdir, rel)

    def test_every_file_is_installed(self):
        want = EXPECTED + ["usr/local/share/man/man1/forkmap-%s.1" % c
                           for c in commands()]
        got = sorted(os.path.relpath(os.path.join(d, f), self.destdir)
                     for d, _, fs in os.walk(self.destdir) for f in fs)
        self.assertEqual(sorted(want), got)
        self.assertTrue(os.access(self.at("usr/local/bin/forkmap"),
                                  os.X_OK))
        p = subprocess.run([self.at("usr/local/bin/forkmap"), "--version"],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0)
        # the units name the installed path, not the DESTDIR
        with open(self.at("usr/local/lib/systemd/system/"
                          "forkmap@.service")) as f:
            self.assertIn("ExecStart=/usr/local/bin/forkmap census",
                          f.read())

    def test_man_pages_render_for_every_command(self):
        self.assertGreaterEqual(len(commands()), 4)
        for c in [None] + commands():
            name = "forkmap" if c is None else "forkmap-" + c
            page = self.at("usr/local/share/man/man1/%s.1" % name)
            p = subprocess.run(["man", "-l", page], capture_output=True,
                               text=True, env=dict(os.environ,
                                                   MANPAGER="cat",
                                                   MANWIDTH="80"))
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn(name.upper() + "(1)", p.stdout)
            self.assertIn("SEE ALSO", p.stdout)
            if c is not None:
                # the options of the page are the command's --help
                self.assertIn("usage: forkmap " + c, p.stdout)

    def complete(self, *words):
        script = self.at("usr/local/share/bash-completion/completions/"
                         "forkmap")
        line = " ".join("'%s'" % w for w in words)
        cmd = ("source '%s'; COMP_WORDS=(forkmap %s); "
               "COMP_CWORD=%d; _forkmap; printf '%%s\\n' "
               "\"${COMPREPLY[@]}\"" % (script, line, len(words)))
        env = dict(os.environ, PATH=os.path.dirname(
            os.environ["FORKMAP_BIN"]) + ":" + os.environ["PATH"])
        p = subprocess.run(["bash", "-c", cmd], capture_output=True,
                           text=True, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout.split()

    def test_bash_completion_loads_and_completes(self):
        self.assertEqual(self.complete("cen"), ["census"])
        self.assertEqual(self.complete("census", "--fetch-p"),
                         ["--fetch-parallel"])
        self.assertEqual(self.complete("-C", "/tmp", "sta"), ["stale"])
        self.assertIn("--weight", self.complete("render", "--w"))
        self.assertEqual(sorted(self.complete("")),
                         sorted(commands() + ["help", "version"]))

    def test_zsh_completion_is_valid_zsh(self):
        zsh = shutil.which("zsh")
        self.assertIsNotNone(zsh, "zsh is a test dependency "
                             "(scripts/install-deps.sh)")
        p = subprocess.run([zsh, "-n", self.at(
            "usr/local/share/zsh/vendor-completions/_forkmap")],
            capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)


class DebianPackageTest(unittest.TestCase):
    def test_cpack_makes_a_deb_that_runs(self):
        work = tempfile.mkdtemp(prefix="forkmap-deb-")
        try:
            p = subprocess.run(
                ["cpack", "-G", "DEB", "-B", work, "--config",
                 os.path.join(build_dir(), "CPackConfig.cmake")],
                capture_output=True, text=True, cwd=work)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            debs = glob.glob(os.path.join(work, "forkmap_*.deb"))
            self.assertEqual(len(debs), 1, os.listdir(work))
            info = subprocess.run(["dpkg-deb", "-f", debs[0], "Package",
                                   "Depends"], capture_output=True,
                                  text=True).stdout
            self.assertIn("Package: forkmap", info)
            for dep in ("libgit2", "libcurl", "libsqlite3", "libgvc6",
                        "graphviz"):
                self.assertIn(dep, info)
            root = os.path.join(work, "root")
            subprocess.run(["dpkg-deb", "-x", debs[0], root], check=True)
            for rel in EXPECTED:
                self.assertTrue(os.path.exists(os.path.join(
                    root, rel.replace("usr/local/", "usr/"))), rel)
            with open(os.path.join(root, "usr/lib/systemd/system/"
                                   "forkmap@.service")) as f:
                self.assertIn("ExecStart=/usr/bin/forkmap ", f.read())
            p = subprocess.run([os.path.join(root, "usr/bin/forkmap"),
                                "--version"], capture_output=True,
                               text=True)
            self.assertEqual(p.returncode, 0)
            self.assertTrue(p.stdout.startswith("forkmap "))
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
