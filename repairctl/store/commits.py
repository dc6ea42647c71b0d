"""Making the audit trail's commits: exactly the changed files, one commit, authored as the acting person.

With nothing else staged (the usual case) the index is HEAD's plus the change, so repairctl
writes the commit itself, as `git commit -m` would write it: update-index, write-tree, a
diff-tree to make sure the tree changes exactly the command's files, commit-tree, update-ref
from the old HEAD. That skips the stat of every file in the work tree that `git commit` begins
with (60 ms of its 120 at 100,000 files), which a commit of named files does not need.
Whenever git would do more than write the commit (a prepare-commit-msg or post-commit hook,
commit.gpgSign, a commit.cleanup of strip or verbatim, a merge, cherry-pick or revert in
progress, no commit yet) repairctl runs `git commit` itself. Work a clerk staged by hand is
left staged and out of the commit.
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

HOOKS = ("prepare-commit-msg", "post-commit")  # what `git commit --no-verify` runs and plumbing would not
UNDER_WAY = ("MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD")  # git commit would finish these
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
            "where": Started(root, "rev-parse", "--show-prefix", "--git-path", "hooks",
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

    def plain_parent(self) -> tuple[str, str] | None:
        """HEAD's commit and root's path in the repository, when writing the commit directly does
        all that `git commit -m` would; else None."""
        where = self._answer("where")
        lines = where.stdout.splitlines()
        settings = self.settings()
        if (where.returncode or len(lines) != 3 + len(UNDER_WAY)
                or settings.get("commit.gpgsign", "false") not in FALSE
                or settings.get("commit.cleanup", "") not in PLAIN_CLEANUP):
            return None
        hooks, under_way = self.root / lines[1], [self.root / line for line in lines[2:-1]]
        if any(os.access(hooks / hook, os.X_OK) for hook in HOOKS) or any(path.exists() for path in under_way):
            return None
        return lines[-1], lines[0]

    def stop(self) -> None:
        """End whatever is still running and close the pipes."""
        for started in self._asked.values():
            started.stop()


def commit(root: Path, paths: list[str], message: str, author: str | None, when: dt.datetime | None = None,
           *, existing: bool = False, preflight: Preflight | None = None) -> None:
    """Commit exactly paths (relative to root) with message, authored by author at when.

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
        plain = asked.plain_parent() if asked.alone() else None
        auto_maintenance = asked.settings().get("maintenance.auto", "true") not in FALSE
    finally:
        asked.stop()
    # a folder (init commits ".") needs git add, which walks it and leaves out what .gitignore names
    files = all((root / path).is_file() for path in paths)
    if plain and files:
        parent, prefix = plain
        _stage(root, paths, add=True)
        try:
            if _write_commit(root, [prefix + path for path in paths], message, env, parent):
                if auto_maintenance:
                    _maintain(root)
                return
        except Exception:
            run(root, "reset", "-q", "--", *paths, check=False)  # a refused command leaves the index as it was
            raise
        alone = False  # someone staged or committed meanwhile: git commits the paths alone, on top
    else:
        # asked again now, just before git reads the index: the preflight's answer is a few ms old
        alone = run(root, "diff-index", "--cached", "--quiet", "HEAD", "--", check=False).returncode == 0
        if existing:  # most likely tracked: git stages them itself, reading the index once
            first = _retrying(root, "commit", "-q", "--no-verify", "-m", message, *(["-i"] if alone else []),
                              "--", *paths, env=env)
            if first.returncode == 0:
                return
            if not alone and "did not match any file" not in first.stderr:
                raise GitError(explain(first.stderr or first.stdout))
            # -i says only "nothing added to commit" for a file git does not know: stage it first
        _stage(root, paths, add=files)
    # --no-verify: the command checked the order itself; a pre-commit hook is for hand edits
    done = _retrying(root, "commit", "-q", "--no-verify", "-m", message, *([] if alone else ["--", *paths]), env=env)
    if done.returncode != 0:
        run(root, "reset", "-q", "--", *paths, check=False)  # a refused command leaves the index as it was
        raise GitError(explain(done.stderr or done.stdout))


def _stage(root: Path, paths: list[str], *, add: bool) -> None:
    """Put paths in the index: update-index --add (git add without its search for ignored and
    untracked files: 15 ms less at 100,000 files) for files, git add for a folder."""
    staged = _retrying(root, *(["update-index", "--add"] if add else ["add"]), "--", *paths)
    if staged.returncode != 0:
        raise GitError(explain(staged.stderr or staged.stdout))


def _write_commit(root: Path, changed: list[str], message: str, env: dict, parent: str) -> bool:
    """Commit the index on top of parent, as `git commit -m` would, if it changes exactly `changed`
    (paths from the repository's top); False, committing nothing, if it does not or HEAD moved."""
    tree = _retrying(root, "write-tree")
    if tree.returncode != 0:
        raise GitError(explain(tree.stderr or tree.stdout))
    tree_id = tree.stdout.strip()
    # the index may have gained a clerk's `git add` since the preflight: then git commits the paths alone
    differs = run(root, "diff-tree", "-r", "-z", "--name-only", "--no-renames", parent, tree_id).stdout
    if sorted(filter(None, differs.split("\0"))) != sorted(changed):
        return False
    text = tidy(message)
    made = run(root, "commit-tree", tree_id, "-p", parent, "-m", text, env=env).stdout.strip()
    subject = text.partition("\n")[0]
    # the old value makes this compare-and-swap: a commit made meanwhile is never overwritten
    moved = run(root, "update-ref", "-m", f"commit: {subject}", "HEAD", made, parent, check=False)
    return moved.returncode == 0


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
