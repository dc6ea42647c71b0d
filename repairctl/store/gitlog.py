"""Git as the audit trail: running git, reading an order's history, and what changed (commits.py makes the commits)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from repairctl.errors import RepairError
from repairctl.text.i18n import N_, _


class GitError(RepairError):
    """Git refused; the message is git's own first line, with a hint."""


class Started:
    """A git command running in the background; result() waits for it."""

    def __init__(self, root: Path, *args: str, env: dict | None = None, text: bool = True):
        try:
            self.process = subprocess.Popen(
                ["git", "-C", str(root), *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=text,
                # English messages whatever the clerk's locale: explain() and commits.py read them
                env={**os.environ, "LC_ALL": "C", **(env or {})},
            )
        except FileNotFoundError:
            raise GitError(_("git is not installed; install git to keep the audit trail")) from None

    def result(self, check: bool = True) -> subprocess.CompletedProcess:
        out, err = self.process.communicate()
        if check and self.process.returncode != 0:
            raise GitError(explain(err or out))
        return subprocess.CompletedProcess(self.process.args, self.process.returncode, out, err)

    def stop(self) -> None:
        """End the command if it is still running (only for reads, which hold no lock), and close its pipes."""
        if self.process.returncode is not None:
            return  # result() has waited for it already
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()


def run(root: Path, *args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run one git command in root and wait for it; with check, a refusal raises GitError."""
    return Started(root, *args, env=env).result(check)


# ENOSPC and EDQUOT as git says them; where it says neither ("couldn't write ….lock"), the free space decides
DISK_FULL = (N_("No space left on device"), N_("Disk quota exceeded"), N_("Out of diskspace"))


def explain(stderr: str, index: Path | None = None) -> str:
    """Turn git's complaint into one line that says how to fix it (index: the repository's index
    file, to say who holds its lock, and whether its disk is full)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    text = " ".join(lines)
    full = next((_("{reason}, said git").format(reason=_(reason)) for reason in DISK_FULL if reason in text),
                None) or _full(index)
    if full:  # before index.lock: git names the lock file it could not write
        return _("the disk is full ({full}): nothing was committed; free some space and run the command again"
                 ).format(full=full)
    if "index.lock" in text:
        if index is not None:
            from repairctl.store import indexlock

            return indexlock.advice(index)
        return _("git is busy or a git command crashed (index.lock exists); "
                 "wait, or remove .git/index.lock if no git command is running")
    if "tell me who you are" in text or "empty ident" in text or "user.email" in text:
        return _("git does not know who you are; "
                 "run: git config user.name 'Your Name' && git config user.email you@example.com")
    # git's own line stays git's (it speaks English here: LC_ALL=C); the words around it are ours
    return _("git: {said}").format(said=lines[0]) if lines else _("git: failed")


def _full(index: Path | None) -> str | None:
    """How little room is left where git writes, when too little for a new index (twice its size and
    a megabyte: git writes the new one beside the old); None when there is room, or no telling."""
    if index is None:
        return None
    try:
        room = os.statvfs(index.parent)
        size = index.stat().st_size if index.exists() else 0
    except OSError:
        return None
    free = (room.f_bfree if os.geteuid() == 0 else room.f_bavail) * room.f_frsize  # root may use the reserve
    return _("{kb} KB free where git writes").format(kb=free // 1024) if free < 2 * size + (1 << 20) else None


def in_repo(root: Path) -> bool:
    """Whether root lies inside a git work tree."""
    try:
        return run(root, "rev-parse", "--is-inside-work-tree", check=False).stdout.strip() == "true"
    except GitError:
        return False


def init(root: Path) -> None:
    """Make root a git repository unless it already lies inside one."""
    if not in_repo(root):
        run(root, "init", "-q")


def check_identity(folder: Path) -> None:
    """Refuse, before anything is written, when git could not name the committer."""
    run(folder, "var", "GIT_COMMITTER_IDENT")


def user_name(root: Path) -> str | None:
    """The git user's name (user.name), or None when none is configured."""
    try:
        name = run(root, "config", "user.name", check=False).stdout.strip()
    except GitError:
        return None
    return name or None


def dirty(root: Path, path: str, *more: str) -> bool:
    """Whether path (or any of more) has changes git has not committed."""
    return bool(run(root, "status", "--porcelain", "--", path, *more).stdout.strip())


def index_file(root: Path) -> Path | None:
    """The index file of root's repository (.git/index, or a linked work tree's); None outside git."""
    found = run(root, "rev-parse", "--git-path", "index", check=False)
    return root / found.stdout.strip() if found.returncode == 0 and found.stdout.strip() else None


def committed_as_is(root: Path, paths: list[str]) -> bool:
    """Whether HEAD holds every one of paths (relative to root) as the work tree has it."""
    listed = run(root, "ls-tree", "-z", "--name-only", "HEAD", "--", *paths, check=False).stdout
    same = run(root, "diff", "--quiet", "HEAD", "--", *paths, check=False).returncode == 0
    return same and len([name for name in listed.split("\0") if name]) == len(paths)


def start_committed(root: Path, path: str) -> Started:
    """Start asking git for HEAD's bytes of path (relative to root): differs_from_head() takes the answer."""
    return Started(root, "cat-file", "blob", f"HEAD:./{path}", env={"GIT_OPTIONAL_LOCKS": "0"}, text=False)


def differs_from_head(root: Path, path: str, data: bytes, started: Started | None = None) -> bool:
    """Whether the file at path (relative to root), which holds data, is not as HEAD has it: edited,
    staged, or not tracked. One cat-file (2 ms at 100,000 files, where a git status takes 40) answers
    when the bytes are HEAD's; git status decides otherwise (filters and line ends are git's to apply)."""
    committed = (started or start_committed(root, path)).result(check=False)
    if committed.returncode == 0 and committed.stdout == data:
        return False
    return dirty(root, path)


@dataclass(frozen=True)
class Entry:
    """One commit touching an order: when it happened, who did it, what was done."""

    when: dt.datetime
    who: str
    recorded: dt.datetime
    recorder: str
    what: str


def history(root: Path, path: str) -> list[Entry]:
    """The commits that touched path, oldest first, following renames."""
    fmt = "%aI%x1f%an%x1f%cI%x1f%cn%x1f%s"
    out = run(root, "log", "--follow", f"--format={fmt}", "--", path).stdout
    entries = []
    for line in reversed(out.splitlines()):
        when, who, recorded, recorder, what = line.split("\x1f", 4)
        entries.append(Entry(dt.datetime.fromisoformat(when), who, dt.datetime.fromisoformat(recorded), recorder, what))
    return entries


# --- what changed: the derived cache asks git instead of reading every file -----------------


def head(root: Path) -> tuple[str | None, str] | None:
    """The HEAD commit (None before the first commit) and root's path inside the repository;
    None when root is not in a git repository."""
    result = run(root, "rev-parse", "--show-prefix", "--verify", "-q", "HEAD", check=False)
    lines = result.stdout.splitlines()
    if not lines:  # not a repository: rev-parse printed no prefix at all
        return None
    return (lines[1] if len(lines) > 1 and result.returncode == 0 else None), lines[0]


def changed_between(root: Path, base: str, commit: str, folder: str) -> list[tuple[str, str]] | None:
    """(status letter, path from the repository top) of each file under folder that differs between two
    commits ('D': not in commit); None if git cannot tell (the old commit is gone)."""
    result = run(root, "diff", "--name-status", "-z", "--no-renames", base, commit, "--", folder, check=False)
    if result.returncode:
        return None
    fields = [field for field in result.stdout.split("\0") if field]
    return list(zip(fields[0::2], fields[1::2], strict=True))


def start_uncommitted(root: Path, folder: str) -> Started:
    """Start asking git which files under folder it tracks and finds modified, added or deleted."""
    # untracked files are left to the caller (cache watches folder mtimes): listing them costs git
    # as much again as the rest of the status at 100,000 files
    return Started(root, "status", "--porcelain=v1", "-z", "--untracked-files=no", "--no-renames", "--", folder,
                   env={"GIT_OPTIONAL_LOCKS": "0"})  # a read never takes index.lock from a commit


def uncommitted(root: Path, folder: str, started: Started | None = None) -> list[str]:
    """Paths (from the repository top) under folder that git tracks and that are modified, added or
    deleted: the answer of started (start_uncommitted), or of a status run now."""
    out = (started or start_uncommitted(root, folder)).result().stdout
    return [entry[3:] for entry in out.split("\0") if len(entry) > 3]


def untracked(root: Path, folder: str) -> list[str]:
    """Paths (from the repository top) under folder that git does not track (and does not ignore)."""
    out = run(root, "ls-files", "-z", "--others", "--exclude-standard", "--full-name", "--", folder).stdout
    return [path for path in out.split("\0") if path]


def start_order_names(root: Path, folder: str, since: str | None, until: str) -> Started:
    """Start listing (from the repository's top, a line each) the files under folder that the commits
    reachable from until, and not from since, added or deleted; its result fails if since is gone."""
    # --no-renames: a renamed order is the deletion of its old name; --root: the first commit's files too
    revisions = [f"{since}..{until}"] if since else [until]
    return Started(root, "log", "--format=", "--name-only", "--diff-filter=AD", "--no-renames", "--root",
                   *revisions, "--", folder, env={"GIT_OPTIONAL_LOCKS": "0"})
