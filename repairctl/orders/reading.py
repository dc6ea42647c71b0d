"""Reading order files as every command and `check` do: strictly, or not at all.

A file is read whole or named as unreadable, never half-read: YAML the fast reader refuses (a
syntax error, a duplicate key, an anchor, a merge conflict's markers), a link in place of a
file, or a finding of the rules in rules.UNREADABLE (a time that is no time, hidden
characters). `check` and the read commands name such a file by the same FILE:LINE:COL lines,
and the cache (index.py) keeps the same verdict for every file it holds.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from repairctl.errors import FileError, OfficeError, Problem, shown
from repairctl.orders import records, rules
from repairctl.store import yamlio

LINK = ("is a symbolic link, and an order file must be the file itself: "
        "replace the link with a copy of what it points to, or delete it")


def load(path: Path):
    """The data of one order file, as the fast reader reads it; FileError where it cannot be read."""
    if path.is_symlink():
        raise FileError(Problem(path, 1, 1, LINK))
    try:
        return yamlio.load_fast(path)
    except FileError:
        raise
    except OfficeError as exc:  # missing, or no permission
        raise FileError(Problem(path, 1, 1, str(exc).removeprefix(f"{path}: "))) from None


def blocking(findings: list[rules.Finding]) -> list[rules.Finding]:
    """The findings that make a file unreadable."""
    return [f for f in findings if f.rule in rules.UNREADABLE]


def place(path: Path, findings: list[rules.Finding], seen_as: Path | None = None) -> list[Problem]:
    """Give each finding of the file at path its line and column (seen_as: the path as the user sees it)."""
    try:
        tree = yamlio.compose(yamlio.decode(path.read_bytes(), path))
    except OfficeError:
        tree = None
    return [Problem(seen_as or shown(path), *yamlio.position(tree, f.keys), f.message, f.rule) for f in findings]


class Unreadable(FileError):
    """An order file no command may read: its first problem, and all of them."""

    def __init__(self, problems: list[Problem]):
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        first = problems[0]
        super().__init__(Problem(first.path, first.line, first.column,
                                 f"{first.message}{more}; `repairctl check` lists every problem", first.rule))
        self.problems = problems


def read(path: Path, tz: dt.tzinfo) -> records.Order:
    """One order, read as the cache and `check` read it, or Unreadable naming where and why."""
    try:
        data = load(path)
    except FileError as exc:
        raise Unreadable([Problem(shown(path), exc.problem.line, exc.problem.column, exc.problem.message)]) from None
    found = rules.check_order_data(data, path, tz, None, only=rules.UNREADABLE)
    if found:
        raise Unreadable(place(path, found))
    return records.Order(path, data, tz)


def named(unreadable_rows) -> list[list[Problem]]:
    """The problems of each unreadable order file, one list a file, from query.unreadable's rows."""
    found = []
    for path, findings, error in unreadable_rows:
        if error:
            found.append([Problem(shown(path), *error)])
        else:
            stored = [rules.Finding(rule, tuple(keys), message) for rule, keys, message in findings]
            found.append(place(path, blocking(stored)))
    return found
