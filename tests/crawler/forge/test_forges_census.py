"""End to end on GitLab and Forgejo, as test_github_census does on GitHub:
`forkmap census --upstream gitlab:URL` (and forgejo:URL) through the
emulator (tests/lib/glemu.py, fjemu.py) and a real git daemon equals the
local census of the same repositories, field by field; a nightly rerun
revalidates (GitLab) or relists (Forgejo); several listings of one
network combine, each fork once; a renamed upstream is followed (301 on
GitLab, a relative 307 on Forgejo); tokens go in each forge's header and
never into an output or the store.
"""
import json
import os
import subprocess
import unittest

from fixture import Sandbox
from fjemu import ForgejoEmulator
from forkmap_run import forkmap_bin, run_census
from glemu import GitLabEmulator
from ghemu import Emulator
from test_github_census import METRICS, build

TOKEN = {"gitlab": "glpat-censusTESTTOKEN", "forgejo": "fjTOKENcensus123",
         "github": "ghp_censusTESTTOKEN"}
ENV = {"gitlab": "GITLAB_TOKEN", "forgejo": "FORGEJO_TOKEN",
       "github": "GITHUB_TOKEN"}
EMU = {"gitlab": GitLabEmulator, "forgejo": ForgejoEmulator}
FORKS = [("alpha/proj", "master"), ("beta/proj", "feature-next"),
         ("beta/proj", "master"), ("beta/proj", "staging"),
         ("beta/proj", "topic"), ("delta/proj", "master"),
         ("eps/proj", "master"), ("gamma/proj", "master"),
         ("lonely/proj", "solo")]


class Census(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox()
        cls.net = build(cls.sb)

    @classmethod
    def tearDownClass(cls):
        cls.sb.cleanup()

    def emulator(self, forge, doc=None, git_url=None):
        return EMU[forge](doc or self.net.doc(), git_root=self.net.root,
                          git_env=self.sb.env, tokens=[TOKEN[forge]],
                          git_url=git_url)

    def census(self, specs, *args, tokens=("gitlab", "forgejo", "github"),
               repo=None):
        repo = repo or self.sb.path("repo-%d" % len(os.listdir(
            self.sb.root)))
        env = dict(self.sb.env)
        for t in tokens:
            env[ENV[t]] = TOKEN[t]
        argv = [forkmap_bin(), "census", "-C", repo, "--upstream", specs[0],
                "--json", "-", "--quiet"]
        for m in specs[1:]:
            argv += ["--mirror", m]
        proc = subprocess.run(argv + list(args), env=env,
                              capture_output=True, text=True, timeout=600)
        for t in TOKEN.values():
            self.assertNotIn(t, proc.stdout + proc.stderr)
        self.assertIn(proc.returncode, (0, 1), proc.stderr)
        return json.loads(proc.stdout), repo, proc

    def local_census(self, rows, *args):
        local = self.sb.path("local-%d" % len(os.listdir(self.sb.root)))
        env = self.sb.env
        subprocess.run(["git", "clone", "-q", "--bare",
                        os.path.join(self.net.root, "up", "proj.git"),
                        local], env=env, check=True)
        for r in rows:
            src = os.path.join(self.net.root, r["name"] + ".git")
            subprocess.run(["git", "--git-dir", local, "fetch", "-q",
                            "--no-tags", src,
                            "+refs/heads/%s:refs/heads/forks/%s/%s" % (
                                r["branch"], r["name"], r["branch"])],
                           env=env, check=True)
        return run_census(local, *args, env=env).doc

    def assert_equals_local(self, forge, doc):
        self.assertEqual(sorted((r["name"], r["branch"])
                                for r in doc["forks"]), FORKS)
        local = self.local_census(doc["forks"], "--keep-empty", "--no-skip",
                                  "--include-skipped")
        for key in ("head", "branch", "releases"):
            self.assertEqual(doc[key], local[key], key)
        lrows = {r["name"]: r for r in local["forks"]}
        for r in doc["forks"]:
            lr = lrows["%s/%s" % (r["name"], r["branch"])]
            for field in METRICS:
                self.assertEqual(r[field], lr[field], "%s %s %s: %s" % (
                    forge, r["name"], r["branch"], field))
            self.assertEqual(r["source"], forge)
            self.assertEqual(r["ref"], "refs/forkmap/%s/%s/%s" % (
                forge, r["name"].replace("/", "%2F"), r["branch"]))
        rows = {(r["name"], r["branch"]): r for r in doc["forks"]}
        self.assertEqual(rows[("eps/proj", "master")]["ahead"], 4)
        self.assertEqual(rows[("eps/proj", "master")]["stars"], 5)
        self.assertEqual(rows[("beta/proj", "topic")]["unique"], 1)
        self.assertEqual(rows[("lonely/proj", "solo")]["error"],
                         "no common history with upstream branch 'master'")

    def run_equal(self, forge):
        with self.emulator(forge) as emu:
            db = self.sb.path("%s.db" % forge)
            args = ("--branches", "all", "--depth", "2", "--keep-empty",
                    "--no-skip", "--include-skipped", "--db", db)
            doc, repo, _ = self.census(["%s:%s/up/proj" % (forge, emu.url)],
                                       *args, tokens=(forge,))
            self.assert_equals_local(forge, doc)
            log = emu.log()["requests"]
            self.assertTrue(all(r["auth"] for r in log), log)
            with open(db, "rb") as f:
                self.assertNotIn(TOKEN[forge].encode(), f.read())
            # the nightly rerun
            emu.clear_log()
            doc2, _, _ = self.census(["%s:%s/up/proj" % (forge, emu.url)],
                                     *args, tokens=(forge,), repo=repo)
            self.assertEqual(doc2["forks"], doc["forks"])
            return log, emu.log()["requests"]

    def test_gitlab_equals_local_census(self):
        cold, warm = self.run_equal("gitlab")
        self.assertTrue(any(r["path"].startswith(
            "/api/v4/projects/up%2Fproj/forks?order_by=star_count")
            for r in cold), cold)
        # warm: every request revalidated and answered 304, yet counted
        self.assertTrue(all(r["conditional"] for r in warm), warm)
        self.assertEqual([r["status"] for r in warm], [304] * len(warm))
        self.assertTrue(all(r["counted"] for r in warm), warm)

    def test_forgejo_equals_local_census(self):
        cold, warm = self.run_equal("forgejo")
        self.assertTrue(any(r["path"].startswith(
            "/api/v1/repos/up/proj/forks?page=1&limit=50") for r in cold),
            cold)
        # no conditional requests on Forgejo: the warm run relists
        self.assertEqual(len(warm), len(cold))

    def test_listings_combine_each_fork_once(self):
        with self.emulator("gitlab") as gl, \
                self.emulator("forgejo", git_url=gl.git_url) as fj:
            specs = ["gitlab:%s/up/proj" % gl.url,
                     "forgejo:%s/up/proj" % fj.url,
                     "gitlab:%s/up/proj" % gl.url]
            doc, _, proc = self.census(specs, "--no-db", "--keep-empty",
                                       "--no-skip")
        # both forges serve each fork from the same git daemon: the same
        # clone URL, listed three times, kept once (the first time)
        names = sorted((r["name"], r["branch"], r["source"])
                       for r in doc["forks"])
        self.assertEqual(names, sorted(
            (n, b, "gitlab") for n, b in FORKS
            if b in ("master", "solo")
            and n != "eps/proj"))

    def test_listings_of_two_networks_add_up(self):
        doc_gh = self.net.doc(tokens=[TOKEN["github"]])
        with self.emulator("gitlab") as gl, \
                Emulator(doc_gh, git_root=self.net.root,
                         git_env=self.sb.env) as gh:
            # the GitHub side serves its clone URLs under another host
            # name of the same daemon: other forks, by identity
            gh.git_url = gh.git_url.replace("127.0.0.1", "localhost")
            doc, _, _ = self.census(["gitlab:%s/up/proj" % gl.url,
                                     "github:up/proj"], "--api", gh.url,
                                    "--no-db", "--keep-empty", "--no-skip")
            # a mirror on the API configured for its forge (--api) gets
            # that forge's token
            gh_log = gh.log()["requests"]
        self.assertTrue(gh_log and all(r["auth"] for r in gh_log), gh_log)
        got = sorted((r["name"], r["source"]) for r in doc["forks"])
        top = ["alpha/proj", "beta/proj", "delta/proj", "gamma/proj",
               "lonely/proj"]
        self.assertEqual(got, sorted([(n, "gitlab") for n in top] +
                                     [(n, "github") for n in top]))
        gl_rows = {r["name"]: r for r in doc["forks"]
                   if r["source"] == "gitlab"}
        for r in doc["forks"]:
            if r["source"] == "github" and not r["error"]:
                self.assertEqual(r["ahead"], gl_rows[r["name"]]["ahead"])

    def test_same_name_on_another_host_is_an_error_not_a_wrong_row(self):
        """Two GitLab hosts with different forks of the same name (here:
        the second serves its clone URLs under another host name, so by
        identity they are other forks) would share one ref,
        refs/forkmap/gitlab/<name>/<branch>: the first listing keeps it,
        the second's rows carry an error instead of the first's numbers."""
        with self.emulator("gitlab") as a, self.emulator("gitlab") as b:
            b.git_url = b.git_url.replace("127.0.0.1", "localhost")
            doc, _, _ = self.census(["gitlab:%s/up/proj" % a.url,
                                     "gitlab:%s/up/proj" % b.url],
                                    "--no-db", "--keep-empty", "--no-skip")
        rows = [r for r in doc["forks"] if not r.get("skipped")]
        refused = [r for r in rows if r["error"]
                   and "another listing has a different fork" in r["error"]]
        first = [r for r in rows if r not in refused]
        self.assertTrue([r for r in first if not r["error"]], rows)
        # one refused row for each fork of the first listing, by name
        self.assertEqual(sorted((r["name"], r["branch"]) for r in refused),
                         sorted((r["name"], r["branch"]) for r in first))
        for r in refused:
            self.assertIn("refs/forkmap/gitlab/", r["error"])

    def test_renamed_upstream_is_followed(self):
        for forge in ("gitlab", "forgejo"):
            doc = self.net.doc()
            doc["upstream"] = dict(doc["upstream"], renamed_from="up/old")
            with self.emulator(forge, doc) as emu:
                out, _, _ = self.census(
                    ["%s:%s/up/old" % (forge, emu.url)], "--no-db",
                    tokens=(forge,))
                statuses = [r["status"] for r in emu.log()["requests"]]
            self.assertIn(301 if forge == "gitlab" else 307, statuses)
            self.assertIn(("alpha/proj", "master"),
                          [(r["name"], r["branch"]) for r in out["forks"]])

    def test_never_pushed_fork_is_skipped_unfetched_on_every_forge(self):
        """idle/proj (45 stars) has no git repository at all: fetching it
        would fail. Never pushed, it is a skipped row, and --top 2 still
        measures two forks (alpha, beta)."""
        when = "2021-05-06T07:08:09Z"
        doc = self.net.doc(tokens=[TOKEN["github"]])
        doc["forks"] = doc["forks"] + [{
            "owner": "idle", "repo": "proj", "stars": 45,
            "created_at": when, "pushed_at": when}]
        for forge in ("github", "gitlab", "forgejo"):
            if forge == "github":
                emu = Emulator(doc, git_root=self.net.root,
                               git_env=self.sb.env)
                specs, extra = ["up/proj"], ["--api", None]
            else:
                emu = self.emulator(forge, doc)
                specs, extra = None, []
            with emu:
                if forge == "github":
                    extra[1] = emu.url
                else:
                    specs = ["%s:%s/up/proj" % (forge, emu.url)]
                out, _, _ = self.census(specs, "--top", "2", "--no-db",
                                        "--include-skipped", *extra,
                                        tokens=(forge,))
            rows = {r["name"]: r for r in out["forks"]}
            self.assertEqual(sorted(rows), ["alpha/proj", "beta/proj",
                                            "idle/proj"], forge)
            self.assertEqual(rows["idle/proj"]["skipped"], "never pushed")
            self.assertIsNone(rows["idle/proj"]["error"])
            self.assertEqual(rows["idle/proj"]["source"], forge)
            for name in ("alpha/proj", "beta/proj"):
                self.assertIsNone(rows[name]["skipped"], (forge, name))
                self.assertGreater(rows[name]["ahead"], 0)

    def gitlab_pair(self, tokens, env_of, name):
        """A census of two GitLab hosts serving one network from one git
        daemon: the upstream on the first, a --mirror on the second, each
        accepting tokens[i]; env_of(a, b) gives the environment. Returns
        (proc, the first's request log, the second's, the second's URL)."""
        doc = self.net.doc()
        a = GitLabEmulator(doc, git_root=self.net.root, git_env=self.sb.env,
                           tokens=[tokens[0]])
        with a, GitLabEmulator(doc, git_url=a.git_url,
                               git_root=self.net.root, git_env=self.sb.env,
                               tokens=[tokens[1]]) as b:
            proc = subprocess.run(
                [forkmap_bin(), "census", "-C", self.sb.path(name),
                 "--upstream", "gitlab:%s/up/proj" % a.url, "--mirror",
                 "gitlab:%s/up/proj" % b.url, "--no-db", "--json", "-",
                 "--quiet"], env=env_of(a, b), capture_output=True,
                text=True, timeout=300)
            self.assertIn(proc.returncode, (0, 1), proc.stderr)
            return proc, a.log()["requests"], b.log()["requests"], b.url

    def test_tokens_are_per_host(self):
        """Two GitLab hosts, each with its own token: FORKMAP_TOKEN_<HOST>
        over GITLAB_TOKEN, and neither sent to the other (each emulator
        refuses any other token with 401)."""
        def env_of(a, b):
            env = dict(self.sb.env, GITLAB_TOKEN="glpat-default")
            for emu, tok in ((a, "glpat-hostA"), (b, "glpat-hostB")):
                env["FORKMAP_TOKEN_127_0_0_1_%d" % emu.port] = tok
            return env
        proc, log_a, log_b, _ = self.gitlab_pair(
            ("glpat-hostA", "glpat-hostB"), env_of, "per-host")
        for log in (log_a, log_b):
            self.assertTrue(log and all(r["auth"] and r["status"] < 400
                                        for r in log), log)
        for t in ("glpat-hostA", "glpat-hostB", "glpat-default"):
            self.assertNotIn(t, proc.stdout + proc.stderr)

    def test_forge_token_not_sent_to_a_mirror_on_another_host(self):
        """GITLAB_TOKEN goes to the upstream's listing (the user named it)
        and to gitlab.com, never to a mirror on another host without a
        FORKMAP_TOKEN_<HOST> of its own: a config file can name any host
        (a mirror at gitlab.evil.example would get it otherwise)."""
        proc, up, mirror, mirror_url = self.gitlab_pair(
            ("glpat-default", "glpat-default"),
            lambda a, b: dict(self.sb.env, GITLAB_TOKEN="glpat-default"),
            "no-leak")
        self.assertTrue(up and all(r["auth"] for r in up), up)
        self.assertTrue(mirror and not any(r["auth"] for r in mirror),
                        mirror)
        self.assertIn("no token for the mirror listing at " + mirror_url,
                      proc.stderr)
        self.assertNotIn("glpat-default", proc.stdout + proc.stderr)

    def test_bad_token_is_refused_with_the_forge_named(self):
        with self.emulator("gitlab") as emu:
            env = dict(self.sb.env, GITLAB_TOKEN="nope")
            proc = subprocess.run(
                [forkmap_bin(), "census", "-C", self.sb.path("bad"),
                 "--upstream", "gitlab:%s/up/proj" % emu.url, "--no-db",
                 "--quiet"], env=env, capture_output=True, text=True,
                timeout=300)
        self.assertEqual(proc.returncode, 6, proc.stderr)
        self.assertEqual(proc.stderr.strip(), "error: GitLab rejected the "
                         "token (401 bad credentials)")


if __name__ == "__main__":
    unittest.main()
