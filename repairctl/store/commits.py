"""Making the audit trail's commits: exactly the changed files, one commit, authored as the acting person.

repairctl writes the commit itself, as `git commit -m -- FILE` would write it, holding git's
index lock (indexlock.py) from start to end as git commit does, so a clerk's own git command
meanwhile is refused by git instead of sweeping the command's file into its commit or the
other way round. Under the lock: the file is staged in the lock's copy of the index
(update-index), the tree written (write-tree), a diff-tree makes sure it changes exactly the
command's files, commit-tree, update-ref from the old HEAD (a commit made meanwhile is never
overwritten), and the lock renamed onto the index. When the clerk has staged work of their own
(or HEAD moved), the tree is built in a temporary index read from HEAD instead, and the clerk's
work stays staged and out of the commit. This skips the stat of every file in the work tree
that `git commit` begins with (60 ms of its 120 at 100,000 files).

Whenever git would do more than write the commit (a prepare-commit-msg or post-commit hook,
commit.gpgSign, a commit.cleanup of strip or verbatim, no commit yet, a folder to add)
repairctl runs `git commit -- FILE` itself, which holds the lock on its own. A merge,
cherry-pick or revert in progress is refused: its commit is the clerk's to make.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import subprocess
import time
from pathlib import Path

from repairctl.store.gitlog import GitError, Started, explain, run
from repairctl.text import clock
from repairctl.text.i18n import _

HOOKS = ("prepare-commit-msg", "post-commit")  # what `git commit --no-verify` runs and plumbing would not
UNDER_WAY = {"MERGE_HEAD": "merge", "CHERRY_PICK_HEAD": "cherry-pick", "REVERT_HEAD": "revert"}
SETTINGS = r"^(commit\.gpgsign|commit\.cleanup|maintenance\.auto)$"  # read with one `git config` process
# `git commit -m` keeps a message the same way under these cleanup modes: tidy() does it
PLAIN_CLEANUP = ("", "default", "whitespace", "scissors")
FALSE = ("false", "no", "off", "0")


class Preflight:
    """What a commit needs to know, asked of git while the command writes its files."""

    def __init__(self, root: Path):
        self.root = root
        self._asked = {
            "staged": Started(root, "diff-index", "--cached", "--quiet", "HEAD", "--"),
            "where": Started(root, "rev-parse", "--show-prefix", "--git-path", "index", "--git-path", "hooks",
                             *(arg for name in UNDER_WAY for arg in ("--git-path", name)), "--verify", "-q", "HEAD"),
            "settings": Started(root, "config", "--get-regexp", SETTINGS),
        }
        self._answers: dict[str, subprocess.CompletedProcess] = {}

    def _answer(self, question: str) -> subprocess.CompletedProcess:
        if question not in self._answers:
            self._answers[question] = self._asked[question].result(check=False)
        return self._answers[question]

    def alone(self) -> bool:
        """Whether the index held nothing HEAD does not when asked (false too before the first commit)."""
        return self._answer("staged").returncode == 0

    def settings(self) -> dict[str, str]:
        """Those of SETTINGS that are set, by lower-case name, values lower-cased ('' for a bare `key`: true)."""
        pairs = (line.partition(" ") for line in self._answer("settings").stdout.splitlines())
        return {key.lower(): value.strip().lower() for key, _, value in pairs}

    def _where(self) -> list[str] | None:
        lines = self._answer("where").stdout.splitlines()
        return lines if len(lines) >= 3 + len(UNDER_WAY) else None  # fewer: not a repository

    def index(self) -> Path:
        """The repository's index file (.git/index, or a linked work tree's)."""
        lines = self._where()
        return self.root / (lines[1] if lines else ".git/index")

    def under_way(self) -> str | None:
        """The merge, cherry-pick or revert in progress, if one is."""
        lines = (self._where() or [])[3:3 + len(UNDER_WAY)]
        return next((kind for line, kind in zip(lines, UNDER_WAY.values(), strict=False)
                     if (self.root / line).exists()), None)

    def plain_parent(self) -> tuple[str, str] | None:
        """HEAD's commit and root's path in the repository, when writing the commit directly does
        all that `git commit -m` would; else None."""
        lines, settings = self._where(), self.settings()
        if (not lines or self._answer("where").returncode or len(lines) != 4 + len(UNDER_WAY)
                or settings.get("commit.gpgsign", "false") not in FALSE
                or settings.get("commit.cleanup", "") not in PLAIN_CLEANUP):
            return None
        if any(os.access(self.root / lines[2] / hook, os.X_OK) for hook in HOOKS):
            return None
        return lines[-1], lines[0]

    def stop(self) -> None:
        """End whatever is still running and close the pipes."""
        for started in self._asked.values():
            started.stop()


def commit(root: Path, paths: list[str], message: str, author: str | None, when: dt.datetime | None = None,
           *, existing: bool = False, preflight: Preflight | None = None) -> None:
    """Commit exactly paths (relative to root) with message, authored by author at when (author None:
    the git user). Nothing else staged, or in the work tree, goes into the commit; a refusal leaves
    the index and HEAD as they were.

    existing: the files were there before (most likely tracked). preflight: begun before the
    files were written, if the caller began one.
    """
    env = {}
    if author:
        env["GIT_AUTHOR_NAME"] = author
        env["GIT_AUTHOR_EMAIL"] = ""
    if when:
        env["GIT_AUTHOR_DATE"] = when.isoformat()
    asked = preflight or Preflight(root)
    try:
        plain = asked.plain_parent()
        alone, index, under_way = asked.alone(), asked.index(), asked.under_way()
        auto_maintenance = asked.settings().get("maintenance.auto", "true") not in FALSE
    finally:
        asked.stop()
    if under_way:
        raise GitError(_("a {what} is in progress in this repository: finish it with `git commit` "
                         "(or `git {what} --abort`) first, so that its commit holds only its own changes")
                       .format(what=under_way))
    # a folder (init commits ".") needs git add, which walks it and leaves out what .gitignore names
    if plain and all((root / path).is_file() for path in paths):
        from repairctl.store import plumbing  # the commit written under git's index lock

        parent, prefix = plain
        if plumbing.write(root, index, [prefix + path for path in paths], paths, tidy(message), env,
                          parent, alone, lock_pauses()):
            if auto_maintenance:
                _maintain(root)
            return
    _git_commit(root, paths, message, env, existing, index)


def _git_commit(root: Path, paths: list[str], message: str, env: dict, existing: bool, index: Path) -> None:
    """`git commit -- paths`: git takes the lock and commits only those paths, whatever else is staged.

    A new file is first staged as an intent to add (`git add -N`), which names it to git without
    staging its content: a `git commit` of the clerk's meanwhile leaves it out.
    """
    folders = not all((root / path).is_file() for path in paths)
    if folders:  # init: the first commit of a new repository, of everything it holds
        _check(root, index, _retrying(root, "add", "--", *paths))
        done = _retrying(root, "commit", "-q", "--no-verify", "-m", message, env=env)
    else:
        if not existing:
            _check(root, index, _retrying(root, "add", "-N", "--", *paths))
        # --no-verify: the command checked the order itself; a pre-commit hook is for hand edits
        done = _retrying(root, "commit", "-q", "--no-verify", "-m", message, "--", *paths, env=env)
        if done.returncode and existing and "did not match any file" in done.stderr:  # copied in by hand
            _check(root, index, _retrying(root, "add", "-N", "--", *paths))
            done = _retrying(root, "commit", "-q", "--no-verify", "-m", message, "--", *paths, env=env)
    if done.returncode != 0:
        run(root, "reset", "-q", "--", *paths, check=False)  # a refused command leaves the index as it was
        _check(root, index, done)


def _check(root: Path, index: Path, result: subprocess.CompletedProcess) -> None:
    if result.returncode != 0:
        raise GitError(explain(result.stderr or result.stdout, index))


def _maintain(root: Path) -> None:
    """What git commit does after each commit: pack loose objects once there are many."""
    done = run(root, "maintenance", "run", "--auto", "--quiet", check=False)
    if "is not a git command" in done.stderr:  # git before 2.29
        run(root, "gc", "--auto", "--quiet", check=False)


def tidy(message: str) -> str:
    """A message as `git commit -m` stores it: lines end at \\n only, without trailing spaces, tabs or CRs,
    and no leading, trailing or repeated blank lines."""
    lines, blank = [], False
    for line in message.split("\n"):
        line = line.rstrip(" \t\r")  # git's isspace(): space, tab, CR (and LF, split on)
        if line:
            if blank and lines:
                lines.append("")
            lines.append(line)
        blank = not line
    return "\n".join(lines)


LOCK_PAUSES = (0.05, 0.1, 0.2, 0.4, 0.6, 0.8)  # 2.15 s in all, between the tries of _retrying


def lock_pauses() -> list[float]:
    """The pauses between tries while another git process holds index.lock: LOCK_PAUSES, or, if the
    environment variable REPAIRCTL_GIT_LOCK_WAIT gives a number of seconds, pauses from that schedule
    (its last one repeated) adding up to it; 0 tries once. Tests that hold the lock on purpose set it to 0."""
    if not os.environ.get("REPAIRCTL_GIT_LOCK_WAIT", "").strip():
        return list(LOCK_PAUSES)
    left, pauses = clock.seconds_setting("REPAIRCTL_GIT_LOCK_WAIT", sum(LOCK_PAUSES)), []
    for pause in itertools.chain(LOCK_PAUSES, itertools.repeat(LOCK_PAUSES[-1])):
        if left <= 1e-6:
            return pauses
        pauses.append(min(pause, left))
        left -= pause


def _retrying(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """A git command that waits out, for about two seconds (lock_pauses()), another git process holding index.lock."""
    pauses = None
    while True:
        result = run(root, *args, env=env, check=False)
        if result.returncode == 0 or "index.lock" not in result.stderr:
            return result
        pauses = iter(lock_pauses()) if pauses is None else pauses
        pause = next(pauses, None)
        if pause is None:
            return result
        time.sleep(pause)

