"""The nightly census as cron and systemd run it: `cmake --install`
installs a systemd service and timer and a cron.d example that name the
installed binary; systemd-analyze verify accepts the units (and rejects a
broken one, so the check can fail); the service treats exit 1 ("some forks
have an error row") as success, reads the token from an EnvironmentFile,
and is sandboxed (ProtectSystem=strict, writable state directory only)."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest


def build_dir():
    return os.path.dirname(os.environ["FORKMAP_BIN"])


class NightlyUnitsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.prefix = tempfile.mkdtemp(prefix="forkmap-install-")
        p = subprocess.run(["cmake", "--install", build_dir(), "--prefix",
                            cls.prefix], capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError("cmake --install failed: " + p.stderr)
        cls.units = os.path.join(cls.prefix, "lib", "systemd", "system")
        cls.bin = os.path.join(cls.prefix, "bin", "forkmap")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.prefix, ignore_errors=True)

    def read(self, *parts):
        with open(os.path.join(self.prefix, *parts)) as f:
            return f.read()

    def verify(self, *paths):
        return subprocess.run(["systemd-analyze", "verify"] + list(paths),
                              capture_output=True, text=True)

    def test_installed_units_verify(self):
        service = os.path.join(self.units, "forkmap@nightly.service")
        timer = os.path.join(self.units, "forkmap@nightly.timer")
        p = self.verify(service, timer)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertNotIn("forkmap@", p.stderr)

    def test_broken_unit_fails_verify(self):
        broken_dir = tempfile.mkdtemp(prefix="forkmap-units-")
        try:
            text = self.read("lib", "systemd", "system", "forkmap@.service")
            text = text.replace(self.bin, self.bin + "-missing")
            with open(os.path.join(broken_dir, "forkmap@.service"),
                      "w") as f:
                f.write(text)
            p = self.verify(os.path.join(broken_dir,
                                         "forkmap@nightly.service"))
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("not executable", p.stderr)
        finally:
            shutil.rmtree(broken_dir)

    def test_service_runs_the_installed_census(self):
        text = self.read("lib", "systemd", "system", "forkmap@.service")
        exec_start = re.search(r"^ExecStart=(.*)$", text, re.M).group(1)
        self.assertTrue(exec_start.startswith(self.bin + " census "),
                        exec_start)
        self.assertTrue(os.access(self.bin, os.X_OK))
        self.assertIn("--config /etc/forkmap/%i.conf", exec_start)
        self.assertIn("--deadline", exec_start)
        self.assertRegex(text, r"(?m)^SuccessExitStatus=1$")
        self.assertRegex(text, r"(?m)^EnvironmentFile=-/etc/forkmap/token$")
        self.assertRegex(text, r"(?m)^ProtectSystem=strict$")
        self.assertRegex(text, r"(?m)^ReadWritePaths=/var/lib/forkmap$")
        self.assertNotIn("@FORKMAP_BINDIR@", text)
        # the token never goes on a command line
        self.assertNotIn("TOKEN", exec_start)

    def test_timer_runs_nightly(self):
        text = self.read("lib", "systemd", "system", "forkmap@.timer")
        self.assertRegex(text, r"(?m)^OnCalendar=\*-\*-\* 0?3:15:00$")
        self.assertRegex(text, r"(?m)^Persistent=true$")
        self.assertRegex(text, r"(?m)^WantedBy=timers.target$")

    def test_cron_line_names_the_installed_binary(self):
        text = self.read("share", "doc", "forkmap", "examples",
                         "forkmap.cron")
        lines = [l for l in text.splitlines()
                 if l.strip() and not l.startswith("#")]
        self.assertEqual(len(lines), 1, text)
        fields = lines[0].split(None, 6)
        self.assertEqual(fields[:5], ["15", "3", "*", "*", "*"])
        self.assertEqual(fields[5], "forkmap")  # the cron.d user field
        self.assertIn("exec %s census" % self.bin, fields[6])
        self.assertIn("/etc/forkmap/token", fields[6])
        # the command is valid sh
        p = subprocess.run(["sh", "-n", "-c", fields[6]],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)


if __name__ == "__main__":
    unittest.main()
