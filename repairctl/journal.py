"""Crash safety between writing an order and committing it.

Before a command replaces an order file it notes the file and its commit message in
``.repairctl/journal.json``; after the commit it removes the note. A command killed
in between leaves the note behind, so the next command (and `check`) can say exactly
which file is uncommitted and `repairctl recover` can finish the commit.
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from repairctl import gitlog, yamlio
from repairctl.errors import RepairError

NAME = "journal.json"


def _file(root: Path) -> Path:
    return root / ".repairctl" / NAME


def read(root: Path) -> dict | None:
    """The note an interrupted command left, or None."""
    try:
        note = json.loads(_file(root).read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return None  # no note, or one cut short before it was complete: nothing was written after it
    return note if isinstance(note, dict) and {"path", "message"} <= set(note) else None


@contextmanager
def entry(root: Path, path: Path, message: str, author: str, when: dt.datetime) -> Iterator[None]:
    """Keep a note for the duration of one write-and-commit of path."""
    note = {"path": str(path.relative_to(root)), "message": message, "author": author, "when": when.isoformat()}
    _file(root).parent.mkdir(exist_ok=True)
    yamlio.write_atomic(_file(root), json.dumps(note, ensure_ascii=False))
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
    if gitlog.dirty(root, note["path"]):
        return note
    _file(root).unlink(missing_ok=True)  # killed before the write or after the commit: nothing to finish
    return None


def advice(note: dict) -> str:
    """One line saying what was interrupted and how to finish or undo it."""
    command = note["message"].split(":", 1)[0]
    return (f"an interrupted `{command}` left {note['path']} uncommitted; run `repairctl recover` to commit it, "
            f"or `git checkout -- {note['path']}` (for a new order, delete the file) to undo it")


def require_settled(root: Path) -> None:
    """Refuse to start a change while an interrupted one is unfinished."""
    note = pending(root)
    if note:
        raise RepairError(advice(note))


def recover(root: Path) -> str | None:
    """Commit the file an interrupted command left behind, with its message; returns that message."""
    note = pending(root)
    if note is None:
        return None
    when = dt.datetime.fromisoformat(note["when"]) if note.get("when") else None
    gitlog.commit(root, [note["path"]], note["message"], author=note.get("author"), when=when)
    _file(root).unlink(missing_ok=True)
    return note["message"]
