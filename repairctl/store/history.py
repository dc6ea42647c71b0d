"""The office as a past commit holds it: which commit a time or a name means, its files, and what changed since.

Paths given and returned are relative to the office folder (git runs there, and ls-tree, grep
and diff --relative answer relative to it), except where a docstring says otherwise. Nothing here
takes git's index lock or writes into the repository: reports/asof.py copies a commit's files
into a folder of its own and reads them there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
import subprocess
from dataclasses import dataclass
from pathlib import Path

from repairctl.store.gitlog import GitError, run
from repairctl.text.i18n import _

READ_ONLY = {"GIT_OPTIONAL_LOCKS": "0"}  # a read never takes index.lock from a clerk's commit
LINK, SUBMODULE = "120000", "160000"


@dataclass(frozen=True)
class Entry:
    """One file of a commit's tree: its mode, its blob and its path from the office folder."""

    mode: str
    blob: str
    path: str


def commit_of(root: Path, rev: str) -> tuple[str, dt.datetime] | None:
    """The full hash and committer time of the commit rev names (any name git accepts), or None."""
    if rev.startswith("-"):  # an option, not a name: never handed to git as one
        return None
    found = run(root, "rev-parse", "--verify", "-q", f"{rev}^{{commit}}", check=False, env=READ_ONLY)
    if found.returncode or not found.stdout.strip():
        return None
    commit = found.stdout.strip()
    return commit, committed_at(root, commit)


def committed_at(root: Path, commit: str) -> dt.datetime:
    """When commit was committed (git's committer date, with its offset)."""
    return dt.datetime.fromisoformat(run(root, "show", "-s", "--format=%cI", commit, env=READ_ONLY).stdout.strip())


def last_before(root: Path, when: dt.datetime) -> str | None:
    """The last commit on HEAD's first-parent line committed at or before when (to the second), or None."""
    # @epoch: no date format for git to guess at; --before counts the whole second as "at"
    out = run(root, "rev-list", "-1", "--first-parent", f"--before=@{int(when.timestamp())}", "HEAD",
              env=READ_ONLY).stdout.strip()
    return out or None


def first_commit(root: Path) -> tuple[str, dt.datetime]:
    """The first commit on HEAD's first-parent line, and when it was committed."""
    roots = run(root, "rev-list", "--first-parent", "--max-parents=0", "HEAD", env=READ_ONLY).stdout.split()
    return roots[-1], committed_at(root, roots[-1])


def listing(root: Path, commit: str, paths: list[str]) -> list[Entry]:
    """The files of commit under paths (files or folders, from the office folder), every level down."""
    out = run(root, "ls-tree", "-r", "-z", commit, "--", *paths, env=READ_ONLY).stdout
    entries = []
    for line in filter(None, out.split("\0")):
        info, _, path = line.partition("\t")
        mode, _, blob = info.split(" ")
        entries.append(Entry(mode, blob, path))
    return entries


def followed(root: Path, commit: str, entries: list[Entry], hops: int = 8) -> list[Entry]:
    """entries with each symbolic link replaced by the file it points to in the same commit, kept at the
    link's path (as the work tree's file is read through it); a link out of the repository, to a
    folder or to nothing stays a link."""
    result = []
    for entry in entries:
        current = entry
        for _hop in range(hops):
            if current.mode != LINK:
                break
            target = run(root, "cat-file", "blob", current.blob, env=READ_ONLY).stdout
            path = posixpath.normpath(posixpath.join(posixpath.dirname(current.path), target))
            try:
                found = [] if posixpath.isabs(path) else listing(root, commit, [path])
            except GitError:  # outside the repository
                found = []
            if len(found) != 1 or found[0].path != path:
                break
            current = found[0]
        result.append(entry if current.mode == LINK else Entry(current.mode, current.blob, entry.path))
    return result


def matching(root: Path, commit: str, pattern: str, paths: list[str]) -> set[str]:
    """The files of commit under paths whose text has a line matching pattern (an extended regex)."""
    if not paths:
        return set()
    # -I: binary files are no orders; grep answers 1 when nothing matched
    found = run(root, "grep", "-l", "-z", "-I", "-E", "-e", pattern, commit, "--", *paths, check=False,
                env=READ_ONLY)
    if found.returncode not in (0, 1):
        raise GitError(_("git grep: {said}").format(said=found.stderr.strip()))
    return {name.removeprefix(f"{commit}:") for name in found.stdout.split("\0") if name}


def write(root: Path, entries: list[Entry], folder: Path) -> None:
    """Write each entry's blob into folder at its path: a file, or a symbolic link as the commit has it."""
    entries = [e for e in entries if e.mode != SUBMODULE]  # another repository's commit: nothing to copy
    if not entries:
        return
    done = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"], check=False, capture_output=True,
                          input="".join(f"{e.blob}\n" for e in entries).encode(),
                          env={**os.environ, "LC_ALL": "C", **READ_ONLY})
    if done.returncode:
        raise GitError(_("git cat-file: {said}").format(said=done.stderr.decode(errors="replace").strip()))
    data, at, made, base = done.stdout, 0, set(), str(folder)
    for entry in entries:  # each answer: "<blob> blob <size>\n<bytes>\n", in the order asked
        header_end = data.index(b"\n", at)
        header = data[at:header_end].split()
        if len(header) != 3 or header[1] != b"blob":  # "<blob> missing": a clone without every object
            raise GitError(_("git cannot read {path} of the commit ({said}); run `git fetch` and try again")
                           .format(path=entry.path, said=b" ".join(header).decode()))
        size = int(header[2])
        body, at = data[header_end + 1:header_end + 1 + size], header_end + 2 + size
        # plain strings and open(): a month and its warranty is thousands of files, and pathlib doubles the cost
        target = os.path.join(base, entry.path)
        parent = os.path.dirname(target)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        if entry.mode == LINK:
            os.symlink(os.fsdecode(body), target)
        else:
            with open(target, "wb") as out:
                out.write(body)


def blob_of(root: Path | None, path: Path) -> str:
    """git's blob hash of the file at path as it would be committed (plain SHA-1 of its bytes outside git)."""
    if root is not None:
        return run(root, "hash-object", "--", str(path), env=READ_ONLY).stdout.strip()
    data = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def uncommitted(root: Path, paths: list[str], prefix: str) -> list[str]:
    """Which files under paths differ from HEAD or are not in git yet (from the office folder; prefix: the
    office's folder in its repository, as gitlog.head gives it)."""
    out = run(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--", *paths,
              env=READ_ONLY).stdout
    # porcelain names paths from the repository's top
    return sorted(entry[3:].removeprefix(prefix) for entry in out.split("\0") if len(entry) > 3)


def changed_since(root: Path, commit: str, paths: list[str]) -> list[tuple[str, str]]:
    """(status letter, path) of each file under paths that differs between commit and HEAD (A, M, D, T)."""
    out = run(root, "diff", "--name-status", "-z", "--no-renames", "--relative", commit, "HEAD", "--", *paths,
              env=READ_ONLY).stdout
    fields = [field for field in out.split("\0") if field]
    return list(zip(fields[0::2], fields[1::2], strict=True))
