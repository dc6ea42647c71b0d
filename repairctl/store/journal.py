"""Crash safety between writing an order and committing it.

Before a command replaces an order file it notes the file and its commit message in
``.repairctl/journal.json``; after the commit it removes the note. A command killed
in between leaves the note behind, so the next command (and `check`) can say exactly
which file is uncommitted and `repairctl recover` can finish the commit. One note may
cover several new files committed together (an import): `recover` commits them all, or,
if the command was killed before it had written them all, removes those it wrote.

recorded() is that write-and-commit as one step: the note, the files written by the caller,
one commit authored as the acting person, and, should anything fail, the files put back.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from repairctl.errors import RepairError
from repairctl.store import commits, files, gitlog, indexlock
from repairctl.text import oserrors
from repairctl.text.i18n import N_, _

NAME = "journal.json"
NO_AUDIT = N_("not a git repository: the change is saved but there is no audit trail; "
              "run `git init` in the office folder")


def _file(root: Path) -> Path:
    return root / files.STATE / NAME


def read(root: Path) -> dict | None:
    """The note an interrupted command left, or None."""
    try:
        note = json.loads(_file(root).read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return None  # no note, or one cut short before it was complete: nothing was written after it
    return note if isinstance(note, dict) and {"path", "message"} <= set(note) else None


def paths_of(note: dict) -> list[str]:
    """Every file a note covers (a note of one command's files: one order, or a whole import)."""
    return list(note.get("paths") or [note["path"]])


@contextmanager
def entry(root: Path, path: Path | list[Path], message: str, author: str, when: dt.datetime) -> Iterator[None]:
    """Keep a note for the duration of one write-and-commit of path (or of several paths, committed together)."""
    paths = [str(p.relative_to(root)) for p in (path if isinstance(path, list) else [path])]
    note = {"path": paths[0], "message": message, "author": author, "when": when.isoformat()}
    if len(paths) > 1:
        note["paths"] = paths
    _file(root).parent.mkdir(exist_ok=True)
    files.write_atomic(_file(root), json.dumps(note, ensure_ascii=False))
    try:
        yield
    finally:
        # reached on success and on every refusal (which restores the file first); not on a kill
        _file(root).unlink(missing_ok=True)


def pending(root: Path) -> dict | None:
    """The note of an interrupted command whose file is still uncommitted; a stale note is dropped."""
    note = read(root)
    if note is None:
        return None
    if gitlog.dirty(root, *paths_of(note)):
        return note
    _file(root).unlink(missing_ok=True)  # killed before the write or after the commit: nothing to finish
    return None


def advice(note: dict) -> str:
    """One line saying what was interrupted and how to finish or undo it."""
    command = note["message"].split(":", 1)[0]
    paths = paths_of(note)
    if len(paths) > 1:
        return _("an interrupted `{command}` left {n} new order files uncommitted ({first} …); "
                 "run `repairctl recover` to commit them all (or, if it was cut short, remove them all)").format(
            command=command, n=len(paths), first=paths[0])
    return _("an interrupted `{command}` left {path} uncommitted; run `repairctl recover` to commit it, "
             "or `git checkout -- {path}` (for a new order, delete the file) to undo it").format(
        command=command, path=note["path"])


def require_settled(root: Path) -> None:
    """Refuse to start a change while an interrupted one is unfinished."""
    note = pending(root)
    if note:
        raise RepairError(advice(note))


def recover(root: Path) -> str | None:
    """Finish what an interrupted command left behind; returns what was done, or None if nothing was left.

    An index lock the command left is removed first when no process could still hold it
    (indexlock.clear_stale). The files are committed with the command's message. A note of
    several new files (an import) whose files were not all written is undone instead: the ones
    written are removed, so an import is never half done.
    """
    index = gitlog.index_file(root)
    done = [indexlock.clear_stale(index)] if index else []
    note = pending(root)
    if note is not None:
        done.append(_finish(root, note))
    return "\n".join(filter(None, done)) or None


def _finish(root: Path, note: dict) -> str:
    """Commit, or undo, the files of an interrupted command's note."""
    paths = paths_of(note)
    written = [p for p in paths if (root / p).exists()]
    command = note["message"].split(":", 1)[0]
    if len(paths) > 1 and len(written) < len(paths):
        for path in written:
            (root / path).unlink()
        _file(root).unlink(missing_ok=True)
        return _("undone: `{command}` was cut short after {done} of {n} files; removed them, run it again").format(
            command=command, done=len(written), n=len(paths))
    if gitlog.committed_as_is(root, paths):  # killed after its commit, before git's index was written
        gitlog.run(root, "reset", "-q", "--", *paths)
        _file(root).unlink(missing_ok=True)
        return _("committed already: {message} (git's index brought up to date)").format(message=note["message"])
    when = dt.datetime.fromisoformat(note["when"]) if note.get("when") else None
    commits.commit(root, paths, note["message"], author=note.get("author"), when=when)
    _file(root).unlink(missing_ok=True)
    return _("committed: {message}").format(message=note["message"])


DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


@contextmanager
def recorded(root: Path, audited: bool, paths: list[Path], message: str, by: str,
             at: dt.datetime) -> Iterator[list[str]]:
    """Around the block that writes paths: refuse if an earlier change is unfinished; then commit them
    in one commit, authored by `by` at `at` (audited: root is in git; else the files are only written).

    If the block fails or git refuses the commit, every file is put back as it was (a new
    one removed) and the error re-raised; a disk that fills says so. Yields the list of
    warnings the command should print.
    """
    warnings: list[str] = []
    if audited:
        require_settled(root)
        preflight = commits.Preflight(root)  # git answers on the other core while this process writes the files
    else:
        warnings.append(_(NO_AUDIT))
    kept = _Kept(root, paths)
    try:
        kept.keep()
        with entry(root, paths, message, by, at) if audited else nullcontext():
            try:
                yield warnings
                if audited:
                    commits.commit(root, [str(p.relative_to(root)) for p in paths], message, author=by, when=at,
                                   existing=kept.existed, preflight=preflight)
            except Exception:
                kept.put_back()
                raise
    except OSError as exc:
        if exc.errno not in DISK_FULL:
            raise
        if exc.filename:
            raise RepairError(_("the disk is full ({reason}) writing {path}: nothing was changed; "
                                "free some space and run the command again").format(
                reason=oserrors.reason(exc), path=_shown(root, exc.filename))) from None
        raise RepairError(_("the disk is full ({reason}): nothing was changed; "
                            "free some space and run the command again").format(reason=oserrors.reason(exc))) from None
    finally:
        kept.forget()
        if audited:
            preflight.stop()


def _shown(root: Path, filename) -> str:
    try:
        return str(Path(filename).relative_to(root))
    except ValueError:
        return str(filename)


class _Kept:
    """The files a command is about to replace, kept as they are until it has committed.

    Each is kept as a second name (a hard link in .repairctl/), so putting it back needs no free
    space and gives the very file back, bytes, mode and times; where the folder cannot take a
    link, its bytes are kept in memory and written back.
    """

    def __init__(self, root: Path, paths: list[Path]):
        self.root, self.paths = root, paths
        self.kept: dict[Path, Path | bytes | None] = {}

    @property
    def existed(self) -> bool:
        return all(self.kept.get(path) is not None for path in self.paths)

    def keep(self) -> None:
        for number, path in enumerate(self.paths):
            if not path.exists():
                self.kept[path] = None
                continue
            second = self.root / files.STATE / f"kept.{number}"  # the office lock is held: one command at a time
            second.parent.mkdir(exist_ok=True)
            second.unlink(missing_ok=True)
            try:
                os.link(path, second)
                self.kept[path] = second
            except OSError as exc:
                if exc.errno in DISK_FULL:
                    raise
                self.kept[path] = path.read_bytes()

    def put_back(self) -> None:
        """Restore every file as it was (None: it did not exist), touching only changed ones."""
        for path, old in self.kept.items():
            if old is None:
                path.unlink(missing_ok=True)
            elif isinstance(old, Path):
                os.replace(old, path)  # the same file under both names: nothing happens
            elif not path.exists() or path.read_bytes() != old:
                files.write_atomic(path, old)

    def forget(self) -> None:
        for old in self.kept.values():
            if isinstance(old, Path):
                old.unlink(missing_ok=True)
