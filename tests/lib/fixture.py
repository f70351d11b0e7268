"""Deterministic git repositories for forkmap's tests, built with the git CLI.

Everything a test builds must come out the same on every machine and every
run: the same commit ids, the same dates, no trace of the user's own git
configuration. This module gives three things:

- ``Clock``: a fake, monotonic clock handing out distinct, increasing
  committer dates in ISO 8601 with a rotating set of UTC offsets
  (``2020-01-01T12:00:00+02:00``, then ``...-05:00``, ``...+05:30``, ...), so
  date formatting with offsets is exercised everywhere for free;
- ``Sandbox``: a temporary directory holding a private ``HOME`` and any number
  of repositories sharing one clock and one clean environment;
- ``Repo``: a thin wrapper over one repository (work tree or bare) with the
  few operations fixtures need (write/rm/mv files, commit, branch, merge,
  cherry-pick, tag) and ``git(...)`` for everything else.

Typical use::

    from fixture import Sandbox

    with Sandbox() as sb:
        up = sb.repo("upstream")              # git init -b master
        up.write("README", "hello\\n")
        up.commit("initial")                  # date from the sandbox clock
        up.tag("v1.0.0", annotated=True)
        up.branch("forks/acme")
        up.checkout("forks/acme")
        up.write("acme.c", b"int x;\\n")
        up.commit("acme: add x", date="2021-05-06T07:08:09-05:00")
        print(up.git("rev-list", "--count", "master..forks/acme"))

The environment used for every git call (``Sandbox.env``) is also the one to
hand to programs under test (forkmap reads git configuration through libgit2
too): ``HOME`` and ``XDG_CONFIG_HOME`` point into the sandbox,
``GIT_CONFIG_NOSYSTEM=1``, every inherited ``GIT_*`` variable is dropped, and
``LC_ALL=C``/``TZ=UTC`` make git's output stable.
"""

import datetime
import os
import shutil
import stat
import subprocess
import tempfile

__all__ = ["Clock", "GitError", "Repo", "Sandbox", "clean_env",
           "EMPTY_TREE"]

# The id of the empty tree (the same in every SHA-1 repository).
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


class GitError(RuntimeError):
    """A git command failed; carries the command, exit code and output."""

    def __init__(self, args, returncode, stdout, stderr):
        self.args_ = list(args)
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        super().__init__("git %s: exit %d\n%s%s" % (
            " ".join(args), returncode, stdout, stderr))


def sanitizer_env(env):
    """Under AddressSanitizer, graphviz and the font stack leak inside
    (tests/graph/lsan.supp says where and why): every forkmap a test runs
    gets those suppressions, with full stacks so forkmap's own leaks still
    show. The one place tests set this up."""
    supp = os.path.join(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), "graph", "lsan.supp")
    asan = env.get("ASAN_OPTIONS")
    if "fast_unwind_on_malloc" not in (asan or ""):
        env["ASAN_OPTIONS"] = (asan + ":" if asan else "") + \
            "fast_unwind_on_malloc=0"
    env["LSAN_OPTIONS"] = "suppressions=%s:print_suppressions=0" % supp
    return env


def clean_env(home, extra=None):
    """An environment for git (and forkmap) that ignores the user's setup.

    Drops inherited GIT_* variables (GIT_DIR, GIT_AUTHOR_DATE ... would
    silently change what a fixture builds), points HOME and XDG_CONFIG_HOME
    at `home`, disables the system config and pins locale and time zone.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({
        "HOME": home,
        "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ADVICE": "0",
        "LC_ALL": "C",
        "LANG": "C",
        "TZ": "UTC",
    })
    if extra:
        env.update(extra)
    return sanitizer_env(env)


class Clock:
    """A fake clock: every `next()` is later than the previous one.

    Dates are ISO 8601 strings with an explicit offset, as git's ``%cI``
    prints them, so a test can compare them verbatim. Offsets rotate through
    `offsets` (including half- and three-quarter-hour zones and negative
    ones) while the instants keep increasing in UTC.
    """

    OFFSETS = ("+02:00", "-05:00", "+05:30", "+00:00", "-09:30", "+13:45",
               "+01:00", "-03:00")

    def __init__(self, start="2020-01-01T12:00:00+00:00", step=3600,
                 offsets=OFFSETS):
        self._now = datetime.datetime.fromisoformat(start)
        self._step = datetime.timedelta(seconds=step)
        self._offsets = tuple(offsets)
        self._count = 0

    @staticmethod
    def _tz(offset):
        sign = -1 if offset[0] == "-" else 1
        hours, minutes = offset[1:].split(":")
        return datetime.timezone(sign * datetime.timedelta(
            hours=int(hours), minutes=int(minutes)))

    def next(self, step=None):
        """Advance by `step` seconds (default: the clock's step); the date."""
        delta = self._step if step is None else datetime.timedelta(
            seconds=step)
        if delta.total_seconds() <= 0:
            raise ValueError("the clock only moves forward")
        self._now += delta
        offset = self._offsets[self._count % len(self._offsets)]
        self._count += 1
        return self._now.astimezone(self._tz(offset)).isoformat()

    def advance_to(self, date):
        """Move the clock to ISO `date` if it is later than now (after a
        test gave an explicit date, later automatic dates stay after it)."""
        when = datetime.datetime.fromisoformat(date)
        if when > self._now:
            self._now = when


class Sandbox:
    """A temporary directory with a private HOME, a clock and repositories.

    Use as a context manager (or call `cleanup()`); everything under
    `root` is removed at the end.
    """

    def __init__(self, prefix="forkmap-test-", clock=None):
        self._tmp = tempfile.TemporaryDirectory(prefix=prefix)
        self.root = os.path.realpath(self._tmp.name)
        self.home = os.path.join(self.root, "home")
        os.makedirs(os.path.join(self.home, ".config"))
        self.clock = clock or Clock()
        self.env = clean_env(self.home)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()

    def cleanup(self):
        # Loose objects are read-only; make sure they can be removed.
        for top, dirs, files in os.walk(self.root):
            for name in dirs + files:
                p = os.path.join(top, name)
                if not os.path.islink(p):
                    try:
                        os.chmod(p, os.stat(p).st_mode | stat.S_IWUSR)
                    except OSError:
                        pass
        self._tmp.cleanup()

    def path(self, *parts):
        """An absolute path under the sandbox root."""
        return os.path.join(self.root, *parts)

    def repo(self, name, bare=False, branch="master"):
        """`git init` a new repository `name` under the sandbox."""
        path = self.path(name)
        os.makedirs(path, exist_ok=True)
        args = ["init", "-q", "-b", branch]
        if bare:
            args.append("--bare")
        run_git(args + [path], cwd=self.root, env=self.env)
        repo = Repo(path, self.env, self.clock, bare=bare)
        repo.configure()
        return repo

    def clone(self, source, name, bare=False, mirror=False, extra=()):
        """`git clone` `source` (a Repo or a path/URL) to a new repository."""
        src = source.path if isinstance(source, Repo) else source
        path = self.path(name)
        args = ["clone", "-q"]
        if mirror:
            args.append("--mirror")
        elif bare:
            args.append("--bare")
        args += list(extra) + [src, path]
        run_git(args, cwd=self.root, env=self.env)
        repo = Repo(path, self.env, self.clock, bare=bare or mirror)
        repo.configure()
        return repo


def run_git(args, cwd, env, input=None, check=True):
    """Run git; return (returncode, stdout, stderr) as text.

    Output is decoded as UTF-8 with surrogate escapes, so odd bytes survive.
    Raises GitError on failure when `check` is true.
    """
    if isinstance(input, str):
        input = input.encode()
    # Never inherit stdin: git reads it in places (repack feeds revisions
    # to pack-objects), and whatever the caller's stdin holds must not
    # leak into a fixture.
    proc = subprocess.run(["git"] + list(args), cwd=cwd, env=env,
                          input=input if input is not None else b"",
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = proc.stdout.decode("utf-8", "surrogateescape")
    err = proc.stderr.decode("utf-8", "surrogateescape")
    if check and proc.returncode != 0:
        raise GitError(args, proc.returncode, out, err)
    return proc.returncode, out, err


class Repo:
    """One repository. `path` is the work tree (or the bare directory).

    Every mutating call that creates a commit or an annotated tag takes an
    optional `date` (ISO 8601 with offset); without one the sandbox clock
    gives the next date. Methods return the new commit id where there is one.
    """

    def __init__(self, path, env, clock=None, bare=False):
        self.path = path
        self.env = env
        self.clock = clock or Clock()
        self.bare = bare

    def __repr__(self):
        return "Repo(%r)" % self.path

    def configure(self):
        """Local identity and settings that keep builds deterministic."""
        for key, value in (("user.name", "Fixture Author"),
                           ("user.email", "author@example.org"),
                           ("commit.gpgsign", "false"),
                           ("tag.gpgsign", "false"),
                           ("core.autocrlf", "false"),
                           ("gc.auto", "0"),
                           ("maintenance.auto", "false"),
                           ("merge.renames", "false"),
                           ("advice.detachedHead", "false")):
            self.git("config", key, value)

    # -- running git -------------------------------------------------------

    def git(self, *args, input=None, env=None, check=True):
        """Run `git args...` in the repository; its stdout as text."""
        return self.run(*args, input=input, env=env, check=check)[1]

    def run(self, *args, input=None, env=None, check=True):
        """Run git; (returncode, stdout, stderr), raising only if `check`."""
        full = self.env if not env else dict(self.env, **env)
        return run_git(args, cwd=self.path, env=full, input=input,
                       check=check)

    def rev(self, rev):
        """The full object id `rev` names (peeled to what rev names)."""
        return self.git("rev-parse", "--verify", "-q", rev).strip()

    @property
    def git_dir(self):
        """Absolute path of the .git directory (the repo itself if bare)."""
        d = self.git("rev-parse", "--git-dir").strip()
        return os.path.normpath(os.path.join(self.path, d))

    def _date(self, date):
        if date is None:
            return self.clock.next()
        self.clock.advance_to(date)
        return date

    def _dated(self, date):
        date = self._date(date)
        return {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}

    # -- the work tree -----------------------------------------------------

    def _abs(self, path):
        if self.bare:
            raise RuntimeError("bare repository has no work tree")
        return os.path.join(self.path, path)

    def write(self, path, content, executable=False):
        """Write a file (str is encoded as UTF-8 verbatim: no newline is
        added). Parent directories are created."""
        full = self._abs(path)
        os.makedirs(os.path.dirname(full) or ".", exist_ok=True)
        if os.path.islink(full):
            os.unlink(full)
        if isinstance(content, str):
            content = content.encode("utf-8")
        with open(full, "wb") as f:
            f.write(content)
        if executable:
            self.chmod(path, True)

    def append(self, path, content):
        """Append to a file (created when missing)."""
        full = self._abs(path)
        os.makedirs(os.path.dirname(full) or ".", exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        with open(full, "ab") as f:
            f.write(content)

    def read(self, path):
        """The bytes of a work-tree file."""
        with open(self._abs(path), "rb") as f:
            return f.read()

    def exists(self, path):
        return os.path.lexists(self._abs(path))

    def chmod(self, path, executable):
        """Set or clear the executable bits of a file."""
        full = self._abs(path)
        mode = os.stat(full).st_mode
        if executable:
            mode |= stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH
        else:
            mode &= ~(stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        os.chmod(full, mode)

    def symlink(self, path, target):
        """Make `path` a symbolic link to `target` (replacing a file)."""
        full = self._abs(path)
        os.makedirs(os.path.dirname(full) or ".", exist_ok=True)
        if os.path.lexists(full):
            os.unlink(full)
        os.symlink(target, full)

    def rm(self, path):
        """Remove a file or directory from the work tree (staged by the
        next commit)."""
        full = self._abs(path)
        if os.path.isdir(full) and not os.path.islink(full):
            shutil.rmtree(full)
        else:
            os.unlink(full)

    def mv(self, src, dst):
        """Rename a work-tree path (a delete plus an add for git)."""
        full = self._abs(dst)
        os.makedirs(os.path.dirname(full) or ".", exist_ok=True)
        os.rename(self._abs(src), full)

    def gitlink(self, path, commit):
        """Stage a submodule entry (mode 160000) pointing at `commit`; no
        .gitmodules is written, which is enough for tree diffs. An empty
        directory stands for the unpopulated submodule, so later
        `git add -A` keeps the entry."""
        os.makedirs(self._abs(path), exist_ok=True)
        self.git("update-index", "--add", "--cacheinfo",
                 "160000,%s,%s" % (commit, path))

    # -- history -----------------------------------------------------------

    def commit(self, msg, date=None, allow_empty=False, add_all=True,
               files=None):
        """Commit the work tree (git add -A) with a fixed date; the id.

        `files` is an optional {path: content or None} written (None:
        removed) before committing.
        """
        for path, content in (files or {}).items():
            if content is None:
                self.rm(path)
            else:
                self.write(path, content)
        if add_all:
            self.git("add", "-A")
        args = ["commit", "-q", "--no-verify", "-m", msg]
        if allow_empty:
            args.append("--allow-empty")
        self.git(*args, env=self._dated(date))
        return self.rev("HEAD")

    def commit_tree(self, tree, parents=(), msg="commit", date=None):
        """Write a commit object directly (no ref moves); its id."""
        args = ["commit-tree", tree, "-m", msg]
        for p in parents:
            args += ["-p", p]
        return self.git(*args, env=self._dated(date)).strip()

    def branch(self, name, start="HEAD", force=False):
        """Create branch `name` at `start`."""
        args = ["branch", "--no-track"]
        if force:
            args.append("-f")
        self.git(*args, name, start)

    def checkout(self, rev, create=False, orphan=False):
        """Check out `rev`; `create` makes branch `rev` at HEAD first,
        `orphan` starts an unborn branch with an empty index and tree."""
        if orphan:
            self.git("checkout", "-q", "--orphan", rev)
            self.git("rm", "-rq", "--cached", "--ignore-unmatch", ".")
            for name in os.listdir(self.path):
                if name != ".git":
                    self.rm(name)
        elif create:
            self.git("checkout", "-q", "-b", rev)
        else:
            self.git("checkout", "-q", rev)

    def current_branch(self):
        return self.git("symbolic-ref", "--short", "HEAD").strip()

    def merge(self, *refs, msg=None, strategy=None, favor=None, ff=False,
              date=None, resolve=None):
        """Merge `refs` into HEAD with a fixed date; the new HEAD.

        strategy: "ours", "octopus", ... (-s); favor: "ours"/"theirs"
        (-X, for conflicting hunks). Without ff a merge commit is always
        made. On a conflict `resolve(repo)` (if given) fixes the work tree
        and the merge is committed; otherwise the merge is aborted and
        GitError raised.
        """
        args = ["merge", "-q", "--no-edit"]
        args.append("--ff" if ff else "--no-ff")
        if strategy:
            args += ["-s", strategy]
        if favor:
            args += ["-X", favor]
        args += ["-m", msg or "Merge %s" % ", ".join(refs)]
        args += list(refs)
        env = self._dated(date)
        code, out, err = self.run(*args, env=env, check=False)
        if code != 0:
            if resolve is None:
                self.run("merge", "--abort", check=False)
                raise GitError(args, code, out, err)
            resolve(self)
            self.git("add", "-A")
            self.git("commit", "-q", "--no-verify", "--no-edit", env=env)
        return self.rev("HEAD")

    def cherry_pick(self, commit, date=None, favor=None, mainline=None,
                    x=False):
        """Cherry-pick `commit` onto HEAD with a fixed committer date (the
        author and author date stay those of the original); the new HEAD.
        Empty results are kept as empty commits."""
        args = ["cherry-pick", "--allow-empty", "--keep-redundant-commits"]
        if x:
            args.append("-x")
        if favor:
            args += ["-X", favor]
        if mainline:
            args += ["-m", str(mainline)]
        args.append(commit)
        env = {"GIT_COMMITTER_DATE": self._date(date)}
        code, out, err = self.run(*args, env=env, check=False)
        if code != 0:
            self.run("cherry-pick", "--abort", check=False)
            raise GitError(args, code, out, err)
        return self.rev("HEAD")

    def revert(self, commit, date=None):
        """Revert `commit` on HEAD with a fixed date; the new HEAD."""
        self.git("revert", "--no-edit", commit, env=self._dated(date))
        return self.rev("HEAD")

    def hash_commit(self, tree, parents=(), msg="commit",
                    date_raw="1600000000 +0000"):
        """Write a commit object verbatim (for dates `git commit` cannot
        produce, such as the "-0000" offset); its id. `date_raw` is git's
        internal "EPOCH +HHMM" form, used for author and committer."""
        body = "tree %s\n" % tree
        body += "".join("parent %s\n" % p for p in parents)
        ident = "Fixture Author <author@example.org> %s" % date_raw
        body += "author %s\ncommitter %s\n\n%s\n" % (ident, ident, msg)
        return self.git("hash-object", "-t", "commit", "-w", "--stdin",
                        input=body).strip()

    def tag(self, name, target="HEAD", annotated=False, message=None,
            date=None, force=False):
        """Tag `target`; annotated tags get a tagger date (`date` or the
        clock's next). Returns the id of the tag ref's object."""
        args = ["tag"]
        if force:
            args.append("-f")
        env = None
        if annotated:
            args += ["-a", "-m", message or "Release %s" % name]
            env = {"GIT_COMMITTER_DATE": self._date(date)}
        args += [name, target]
        self.git(*args, env=env)
        return self.rev("refs/tags/" + name)

    def update_ref(self, ref, value):
        self.git("update-ref", ref, value)

    def delete_ref(self, ref):
        self.git("update-ref", "-d", ref)

    def refs(self, pattern="refs/"):
        """{refname: object id} for refs under `pattern`."""
        out = self.git("for-each-ref", "--format=%(refname) %(objectname)",
                       pattern)
        return dict(line.split(" ", 1) for line in out.splitlines())

    def loose_object_path(self, oid):
        """Path of the loose object file of `oid` (it may not exist)."""
        return os.path.join(self.git_dir, "objects", oid[:2], oid[2:])

    def delete_loose_object(self, oid):
        """Remove a loose object (for missing-object scenarios). Raises
        if it is not loose (packed repositories need unpacking first)."""
        p = self.loose_object_path(oid)
        os.chmod(p, 0o644)
        os.unlink(p)
