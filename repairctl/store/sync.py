"""Sharing the office's repository through a git server: fetch, merge, push, and push again when
someone pushed meanwhile. Git's own mechanics only; what an order is stays above (orders/sharing.py).

Always a merge, never a rebase: a commit keeps its hash once made, so a workbook that names the
commit it was made from can still be checked against it after any number of syncs. The server
takes one push at a time, and refuses one that does not contain what it holds: that refusal is
what makes a claim (office/desks.py) and a sync safe from two clerks at once.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from repairctl.store.files import ORDERS
from repairctl.store.gitlog import GitError, run
from repairctl.text.i18n import _

TRIES = 5  # pushes refused because someone pushed meanwhile, before sync gives up


@dataclass(frozen=True)
class Upstream:
    """Where this clone shares its branch: the remote, the branch there, and whether git knows it as
    the branch's upstream already (a first push sets it)."""

    remote: str
    branch: str
    tracking: bool

    @property
    def ref(self) -> str:
        return f"refs/remotes/{self.remote}/{self.branch}"

    @property
    def shown(self) -> str:
        return f"{self.remote}/{self.branch}"


@dataclass
class Exchanged:
    """What a sync did: commits pulled and pushed, order files the merges changed, whether a push was retried."""

    pulled: int = 0
    pushed: int = 0
    retried: int = 0
    upstream_set: bool = False
    changed: set[str] = field(default_factory=set)  # paths from the repository's top


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return run(root, *args, check=False)


def upstream(root: Path) -> Upstream:
    """The branch's upstream, or, with none set, the same branch on the one remote there is."""
    branch = _git(root, "symbolic-ref", "-q", "--short", "HEAD").stdout.strip()
    if not branch:
        raise GitError(_("HEAD is not on a branch (a detached HEAD): `git switch BRANCH` first, then sync"))
    remote = _git(root, "config", f"branch.{branch}.remote").stdout.strip()
    merge = _git(root, "config", f"branch.{branch}.merge").stdout.strip()
    if remote and remote != "." and merge.startswith("refs/heads/"):
        return Upstream(remote, merge.removeprefix("refs/heads/"), True)
    remotes = _git(root, "remote").stdout.split()
    if not remotes:
        raise GitError(_("this office has no git remote to share through: add one with `git remote add origin URL` "
                         "(a bare repository on a share, or Gitea; docs/sharing.md), then `repairctl join`"))
    if len(remotes) > 1:
        raise GitError(_("branch {branch} has no upstream and there are {n} remotes "
                         "({remotes}): choose one with `git push -u REMOTE {branch}`").format(
            branch=branch, n=len(remotes), remotes=", ".join(remotes)))
    return Upstream(remotes[0], branch, False)


def refuse_busy(root: Path) -> None:
    """Refuse while a merge, rebase, cherry-pick or revert of the clerk's own is under way: sync would
    mix its commits into it, or abort it."""
    names = {"MERGE_HEAD": "merge", "rebase-merge": "rebase", "rebase-apply": "rebase",
             "CHERRY_PICK_HEAD": "cherry-pick", "REVERT_HEAD": "revert"}
    paths = _git(root, "rev-parse", *(arg for name in names for arg in ("--git-path", name))).stdout.splitlines()
    for what, path in zip(names.values(), paths, strict=False):
        if (root / path).exists():
            raise GitError(_("a {what} is under way in this repository: finish it (`git {what} --continue`) or "
                             "abort it (`git {what} --abort`) first; nothing was changed").format(what=what))


def fetch(root: Path, up: Upstream) -> None:
    """Bring the remote's branches here; an unreachable remote changes nothing and says so in one line."""
    done = _git(root, "fetch", "-q", "--no-tags", up.remote)
    if done.returncode:
        url = _git(root, "remote", "get-url", up.remote).stdout.strip()
        raise GitError(_("cannot reach {remote} ({url}): {said}; nothing changed here and your "
                         "commits are kept: run the command again when the server can be reached").format(
            remote=up.remote, url=url, said=first_line(done.stderr)))


def remote_head(root: Path, up: Upstream) -> str | None:
    """The commit the remote's branch was at when last fetched; None when it has no such branch yet."""
    return _git(root, "rev-parse", "--verify", "-q", up.ref).stdout.strip() or None


def head(root: Path) -> str | None:
    """The commit HEAD is at (None before the first commit)."""
    return _git(root, "rev-parse", "--verify", "-q", "HEAD").stdout.strip() or None


def count(root: Path, revisions: str) -> int:
    """How many commits of revisions (`A..B`) are no merges: the changes someone made."""
    return int(_git(root, "rev-list", "--count", "--no-merges", revisions).stdout.strip() or 0)


def merge(root: Path, up: Upstream, into: Exchanged) -> None:
    """Merge the fetched remote branch into HEAD (`git merge --no-edit`), adding to into what it brought.

    A file git cannot merge (office.yaml changed on both sides) aborts the merge: HEAD, the index
    and the work tree are left as they were, and the one line says which files.
    """
    theirs, before = remote_head(root, up), head(root)
    if theirs is None or (before and _git(root, "merge-base", "--is-ancestor", theirs, before).returncode == 0):
        return  # nothing new there
    pulled = count(root, f"{before}..{theirs}" if before else theirs)
    done = _git(root, "merge", "--no-edit", "-q", up.ref)  # by name: "Merge remote-tracking branch 'origin/…'"
    if done.returncode:
        unmerged = [path for path in _git(root, "diff", "--name-only", "-z", "--diff-filter=U").stdout.split("\0")
                    if path]
        if _git(root, "rev-parse", "-q", "--verify", "MERGE_HEAD").returncode == 0:
            _git(root, "merge", "--abort")
        if unmerged:
            raise GitError(_("{paths} changed here and on {remote} in ways git cannot merge: nothing "
                             "was merged and nothing is lost; merge by hand with `git merge {remote}`, then sync")
                           .format(paths=", ".join(unmerged), remote=up.shown))
        # "Your local changes to the following files would be overwritten", each file on a line of its own
        files = [line.strip() for line in done.stderr.splitlines() if line.startswith("\t")]
        said = f"{first_line(done.stderr or done.stdout).rstrip(':')}{': ' + ', '.join(files) if files else ''}"
        raise GitError(_("cannot merge {remote}: {said}; nothing was merged").format(remote=up.shown, said=said))
    into.pulled += pulled
    changed = _git(root, "diff", "--name-only", "-z", "--no-renames", before, "HEAD", "--", ORDERS) if before else None
    into.changed |= {path for path in changed.stdout.split("\0") if path} if changed else set()


def push(root: Path, up: Upstream) -> bool:
    """Push HEAD to the remote's branch (setting it as the upstream if it was none); False when the
    server refused because it holds commits this clone has not merged (someone pushed meanwhile)."""
    upstream = [] if up.tracking else ["-u"]
    done = _git(root, "push", "--porcelain", *upstream, up.remote, f"HEAD:refs/heads/{up.branch}")
    if done.returncode == 0:
        return True
    said = done.stdout + done.stderr
    # refused as not containing the server's branch; or, pushed in the same instant as another clone,
    # refused when the branch moved between git reading it and updating it
    if "[rejected]" in said or "(failed to update ref)" in said or "cannot lock ref" in said:
        return False
    raise GitError(_("{remote} refused the push: {said}; your commits are kept here").format(
        remote=up.remote, said=first_line(done.stderr, said)))


def exchange(root: Path, up: Upstream) -> Exchanged:
    """Fetch, merge and push until the server takes the push (TRIES times at most)."""
    done = Exchanged()
    for _attempt in range(TRIES):
        fetch(root, up)
        merge(root, up, done)
        theirs = remote_head(root, up)
        if theirs == head(root):  # the server holds all this clone has (HEAD holds all it has: merged)
            if not up.tracking and theirs:
                _git(root, "branch", "-q", f"--set-upstream-to={up.remote}/{up.branch}")
                done.upstream_set = True
            return done
        outgoing = count(root, f"{theirs}..HEAD" if theirs else "HEAD")
        if push(root, up):
            done.pushed, done.upstream_set = outgoing, not up.tracking
            return done
        done.retried += 1
    raise GitError(_("{remote} kept changing while this clone pushed ({n} tries): your commits are kept "
                     "here; run the command again").format(remote=up.remote, n=TRIES))


def first_line(*texts: str) -> str:
    """Git's most telling line: its first `fatal:` or `error:` line, else its first line."""
    lines = [line.strip() for text in texts for line in text.splitlines() if line.strip()]
    telling = [line for line in lines if line.startswith(("fatal:", "error:", "!"))]
    return (telling or lines or ["failed"])[0]
