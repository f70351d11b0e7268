"""Run the forkmap binary under test.

ctest sets ``FORKMAP_BIN`` (the built program) and ``FORKMAP_SRC`` (the
source tree) for every python test; run by hand, export them yourself::

    FORKMAP_BIN=build/forkmap PYTHONPATH=tests/lib \\
        python3 tests/crawler/measure/test_metrics_differential.py

Typical use::

    from forkmap_run import run_census, census_json

    res = run_census(repo.path, "--keep-empty", env=sandbox.env)
    res.returncode        # 0: all measured, 1: some rows carry errors
    res.doc["forks"]      # the parsed JSON document
    doc = census_json(repo.path)   # just the document

Pass the fixture sandbox's environment (``Sandbox.env``) so forkmap, like
the git oracle, never sees the user's git configuration.
"""

import json
import os
import subprocess

__all__ = ["ForkmapError", "CensusResult", "forkmap_bin", "source_dir",
           "run", "run_census", "census_json"]

# Generous: the largest differential scenario measures a few hundred commits.
DEFAULT_TIMEOUT = 600


class ForkmapError(RuntimeError):
    """forkmap failed in a way no test expects (crash, usage error, bad
    JSON); the message carries the command line, exit code and stderr."""


class CensusResult:
    """Outcome of one `forkmap census` run."""

    def __init__(self, argv, returncode, stdout, stderr, doc):
        self.argv = argv
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.doc = doc

    def __repr__(self):
        return "CensusResult(rc=%d, forks=%d)" % (
            self.returncode, len((self.doc or {}).get("forks") or []))

    def forks(self):
        """{name: fork object} (names must be unique in a census)."""
        rows = {}
        for row in self.doc.get("forks") or []:
            if row.get("name") in rows:
                raise ForkmapError("duplicate fork name %r in census" %
                                   row.get("name"))
            rows[row.get("name")] = row
        return rows


def forkmap_bin():
    """Path of the forkmap program from FORKMAP_BIN (set by ctest)."""
    path = os.environ.get("FORKMAP_BIN")
    if not path:
        raise ForkmapError(
            "FORKMAP_BIN is not set: run this test through ctest, or export "
            "FORKMAP_BIN=/path/to/build/forkmap")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise ForkmapError("FORKMAP_BIN=%s is not an executable file "
                           "(is forkmap built?)" % path)
    return path


def source_dir():
    """The source tree (FORKMAP_SRC, else two levels above this file)."""
    return os.environ.get("FORKMAP_SRC") or os.path.dirname(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(args, env=None, cwd=None, timeout=DEFAULT_TIMEOUT, input=None):
    """Run `forkmap args...`; a CompletedProcess with text output."""
    argv = [forkmap_bin()] + list(args)
    try:
        return subprocess.run(argv, env=env, cwd=cwd, input=input,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout, text=True,
                              errors="surrogateescape")
    except subprocess.TimeoutExpired as e:
        raise ForkmapError("%s: timed out after %ss\nstderr:\n%s" % (
            " ".join(argv), timeout, e.stderr)) from None


def run_census(repo_path, *extra_args, env=None, cwd=None, offline=True,
               db=None, timeout=DEFAULT_TIMEOUT):
    """Run `forkmap census -C repo_path --json -` and parse the output.

    offline adds --no-github; the run is stored in `db` (--db), or not
    at all (--no-db) when db is None. Run it from a `cwd` without a
    forkmap.conf (the census reads ./forkmap.conf when present). Exit
    codes 0 and 1 (some forks carry errors) are results; anything else, or
    output that is not a JSON object, raises ForkmapError with stderr.
    """
    args = ["census", "-C", repo_path]
    if offline:
        args.append("--no-github")
    args += ["--db", db] if db else ["--no-db"]
    args += ["--json", "-"] + list(extra_args)
    proc = run(args, env=env, cwd=cwd, timeout=timeout)
    cmd = "forkmap " + " ".join(args)
    if proc.returncode not in (0, 1):
        raise ForkmapError("%s: exit %d\nstderr:\n%s" % (
            cmd, proc.returncode, proc.stderr))
    try:
        doc = json.loads(proc.stdout)
    except ValueError as e:
        raise ForkmapError("%s: stdout is not JSON (%s)\nstdout:\n%s\n"
                           "stderr:\n%s" % (cmd, e, proc.stdout[:2000],
                                            proc.stderr)) from None
    if not isinstance(doc, dict):
        raise ForkmapError("%s: JSON is not an object" % cmd)
    return CensusResult(args, proc.returncode, proc.stdout, proc.stderr, doc)


def census_json(repo_path, *extra_args, env=None, cwd=None):
    """The census JSON document (see run_census)."""
    return run_census(repo_path, *extra_args, env=env, cwd=cwd).doc
