"""The commit repairctl writes itself, under git's index lock: exactly the command's files, on top of HEAD.

commits.py says when: whenever `git commit -m -- FILE` would do no more than write the commit.
The commit is byte for byte the one git commit would write, and the index afterwards the one
it would leave: the clerk's staged work still staged, the command's files as committed.
"""

from __future__ import annotations

import os
from pathlib import Path

from repairctl.store import indexlock
from repairctl.store.gitlog import GitError, explain, run
from repairctl.text.i18n import _


def write(root: Path, index: Path, changed: list[str], paths: list[str], message: str, env: dict, parent: str,
          alone: bool, pauses: list[float]) -> bool:
    """Commit paths (relative to root; changed: the same from the repository's top) on top of
    parent with message (tidied) and env (the author), holding index's lock throughout.

    alone: nothing else was staged when last asked. True when committed; False, with nothing
    done, when the repository has no index to lock (git commit makes one). If git refuses, or
    the lock is held past pauses, raises GitError with the index and HEAD as they were.
    """
    lock = indexlock.IndexLock(index)
    if not lock.take(pauses):
        return False
    try:
        in_lock = {"GIT_INDEX_FILE": str(lock.path)}
        # the lock is the index to be: the files' new entries go in, whatever the clerk staged stays
        _git(root, index, in_lock, "update-index", "--add", "--", *paths)
        staged = _git(root, index, in_lock, "write-tree") if alone else None
        head, changed = parent, sorted(changed)
        for _attempt in range(3):
            tree = staged if staged and _differs(root, head, staged) == changed else None
            if tree is None:
                # the clerk staged work of their own, or a commit of theirs went first: HEAD as it
                # is now plus the files, and nothing else
                now = _git(root, index, {}, "rev-parse", "--verify", "HEAD")
                if now != head:
                    head = now
                    continue
                tree = _tree_of(root, index, head, paths)
                differs = _differs(root, head, tree)
                if not differs:
                    raise GitError(_("nothing to commit: {paths} is as the last commit has it")
                                   .format(paths=", ".join(paths)))
                if differs != changed:  # cannot be: the tree is HEAD's plus paths
                    raise GitError(_("git: the commit would change {differs}, not only {changed}")
                                   .format(differs=", ".join(differs), changed=", ".join(changed)))
            made = _git(root, index, env, "commit-tree", tree, "-p", head, "-m", message)
            # the old value makes this compare-and-swap: a commit made meanwhile is never overwritten
            # (`git commit` of what is staged lets the index lock go before it writes HEAD)
            moved = run(root, "update-ref", "-m", f"commit: {message.partition(chr(10))[0]}", "HEAD", made, head,
                        check=False)
            if moved.returncode == 0:
                lock.install()
                return True
            if "but expected" not in moved.stderr:  # the disk, say, not a HEAD that moved
                raise GitError(explain(moved.stderr, index))
            head = _git(root, index, {}, "rev-parse", "--verify", "HEAD")
        raise GitError(_("HEAD kept moving while the command committed: nothing was committed; "
                         "run the command again"))
    except BaseException:
        lock.roll_back()
        raise


def _git(root: Path, index: Path, env: dict, *args: str) -> str:
    """Run one git command; its output, stripped, or GitError with git's complaint explained."""
    done = run(root, *args, env=env, check=False)
    if done.returncode:
        raise GitError(explain(done.stderr or done.stdout, index))
    return done.stdout.strip()


def _differs(root: Path, parent: str, tree: str) -> list[str]:
    """The paths (from the repository's top) that tree changes from parent's, sorted."""
    out = run(root, "diff-tree", "-r", "-z", "--name-only", "--no-renames", parent, tree).stdout
    return sorted(filter(None, out.split("\0")))


def _tree_of(root: Path, index: Path, head: str, paths: list[str]) -> str:
    """The tree of head with paths as they are in the work tree, built in a temporary index
    (what `git commit -- FILE` commits, leaving the real index's other entries alone)."""
    temporary = index.with_name(f"repairctl-index.{os.getpid()}")
    env = {"GIT_INDEX_FILE": str(temporary)}
    try:
        _git(root, index, env, "read-tree", head)
        _git(root, index, env, "update-index", "--add", "--", *paths)
        return _git(root, index, env, "write-tree")
    finally:
        temporary.unlink(missing_ok=True)
        Path(f"{temporary}.lock").unlink(missing_ok=True)
