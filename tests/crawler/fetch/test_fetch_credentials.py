"""A password in a configured fork URL (https://user:secret@host/...)
never reaches stdout, stderr, the CSV, the JSON or the store, even when
the fetch fails with a libgit2 message that quotes the URL ("malformed
URL '...'"), a connection error, or an HTTP server that refuses it.

End to end: `forkmap census -v` with configured forks whose fetches all
fail, every output and every file of the store grepped for the secret
(raw and percent-decoded); then `forkmap history`, `stale --json` and
`log` read the store back and are grepped too.
"""
import http.server
import os
import subprocess
import threading
import unittest

from fixture import Sandbox
from forkmap_run import forkmap_bin

SECRET = "pa55-s3cretWORD"
ENCODED = "pa55-s3cret%57ORD"  # the same password, percent-encoded
TOKEN_USER = "ghp_tokenAsUser0123"


class Refusing(http.server.BaseHTTPRequestHandler):
    """A git smart-HTTP host that refuses every request (401)."""

    def do_GET(self):
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="git"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Credentials(unittest.TestCase):
    def setUp(self):
        self.sb = Sandbox()
        self.up = self.sb.repo("up")
        self.up.write("a.c", "int a;\n")
        self.up.commit("one")
        self.srv = http.server.HTTPServer(("127.0.0.1", 0), Refusing)
        self.thread = threading.Thread(target=self.srv.serve_forever,
                                       daemon=True)
        self.thread.start()

    def tearDown(self):
        self.srv.shutdown()
        self.srv.server_close()
        self.sb.cleanup()

    def config(self):
        port = self.srv.server_address[1]
        forks = {
            # libgit2: "malformed URL 'http://user:...@127.0.0.1:99999/...'"
            "badport": "http://bob:%s@127.0.0.1:99999/x.git" % SECRET,
            "badhost": "http://bob:%s@[::1/x.git" % SECRET,
            # connection refused
            "closed": "https://bob:%s@127.0.0.1:1/x.git" % SECRET,
            # an HTTP host that refuses the credentials
            "refused": "http://bob:%s@127.0.0.1:%d/x.git" % (ENCODED, port),
            # a token as the user name
            "token": "http://%s@127.0.0.1:99999/x.git" % TOKEN_USER,
        }
        path = self.sb.path("forkmap.conf")
        with open(path, "w") as f:
            for name, url in forks.items():
                f.write('[fork "%s"]\n\turl = %s\n\tbranch = main\n'
                        % (name, url))
        return path, forks

    def run_fm(self, *args):
        return subprocess.run([forkmap_bin()] + list(args), env=self.sb.env,
                              capture_output=True, text=True, timeout=300,
                              cwd=self.sb.path())

    def assert_clean(self, what, data):
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        for secret in (SECRET, ENCODED, TOKEN_USER):
            self.assertNotIn(secret.encode(), data, what)

    def test_password_of_a_fork_url_is_in_no_output(self):
        conf, forks = self.config()
        db = self.sb.path("store", "census.db")
        os.makedirs(os.path.dirname(db))
        csv, js = self.sb.path("out.csv"), self.sb.path("out.json")
        proc = self.run_fm("--config", conf, "census", "-C", self.up.path,
                           "--no-github", "-v", "--db", db, "--csv", csv,
                           "--json", js, "--timeout", "5")
        self.assertEqual(proc.returncode, 1, proc.stderr)  # error rows
        self.assert_clean("stdout", proc.stdout)
        self.assert_clean("stderr", proc.stderr)
        # the failures are there, with the URL shown scrubbed
        self.assertIn("malformed URL 'http://***@127.0.0.1:99999/x.git'",
                      proc.stdout)
        self.assertIn("cannot fetch 'https://***@127.0.0.1:1/x.git'",
                      proc.stdout)
        for path in (csv, js):
            with open(path, "rb") as f:
                data = f.read()
            self.assert_clean(path, data)
            self.assertIn(b"***@127.0.0.1", data)
        for name in os.listdir(os.path.dirname(db)):
            with open(os.path.join(os.path.dirname(db), name), "rb") as f:
                self.assert_clean(name, f.read())
        # and what reads the store back
        for args in (["history", "--db", db],
                     ["stale", "--db", db, "--json"],
                     ["log", "--db", db, "badport"]):
            p = self.run_fm(*args)
            self.assert_clean(" ".join(args), p.stdout + p.stderr)


if __name__ == "__main__":
    unittest.main()
