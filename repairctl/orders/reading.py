"""Reading order files as every command and `check` do: strictly, or not at all.

A file is read whole or named as unreadable, never half-read: YAML the fast reader refuses (a
syntax error, a duplicate key, an anchor, a merge conflict's markers), a link in place of a
file, or a finding of the rules in rules.UNREADABLE (a time that is no time, hidden
characters). `check` and the read commands name such a file by the same FILE:LINE:COL lines,
and the cache (index.py) keeps the same verdict for every file it holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from repairctl.errors import FileError, OfficeError, Problem, shown
from repairctl.orders import query, records
from repairctl.store import files, yamlio
from repairctl.text.i18n import N_, _

if TYPE_CHECKING:
    from repairctl.orders.rules import Finding

# The rules are imported where a file is read or found broken, not here: a warm `overdue` asks
# left_out() whether anything was left out (nothing, usually) and need not load them (3 ms).

STRAY = N_("not read as an order: order files are records/orders/YYYY/MM/ID.yaml; move it there, or out of records/")
LINK = N_("is a symbolic link, and an order file must be the file itself: "
          "replace the link with a copy of what it points to, or delete it")


def load(path: Path):
    """The data of one order file, as the fast reader reads it; FileError where it cannot be read."""
    if path.is_symlink():
        raise FileError(Problem(path, 1, 1, _(LINK)))
    try:
        return yamlio.load_fast(path)
    except FileError:
        raise
    except OfficeError as exc:  # missing, or no permission
        raise FileError(Problem(path, 1, 1, str(exc).removeprefix(f"{path}: "))) from None


def blocking(findings: list[Finding]) -> list[Finding]:
    """The findings that make a file unreadable."""
    from repairctl.orders.rules import UNREADABLE

    return [f for f in findings if f.rule in UNREADABLE]


def place(path: Path, findings: list[Finding], seen_as: Path | None = None) -> list[Problem]:
    """Give each finding of the file at path its line and column (seen_as: the path as the user sees it)."""
    try:
        tree = yamlio.compose(yamlio.decode(path.read_bytes(), path))
    except OfficeError:
        tree = None
    return [Problem(seen_as or shown(path), *yamlio.position(tree, f.keys), f.message, f.rule) for f in findings]


class Unreadable(FileError):
    """An order file no command may read: its first problem, and all of them."""

    def __init__(self, problems: list[Problem]):
        first = problems[0]
        if len(problems) > 1:
            message = _("{problem} (and {n} more problem(s)); `repairctl check` lists every problem").format(
                problem=first.message, n=len(problems) - 1)
        else:
            message = _("{problem}; `repairctl check` lists every problem").format(problem=first.message)
        super().__init__(Problem(first.path, first.line, first.column, message, first.rule))
        self.problems = problems


def read(path: Path, tz: dt.tzinfo) -> records.Order:
    """One order, read as the cache and `check` read it, or Unreadable naming where and why."""
    try:
        data = load(path)
    except FileError as exc:
        raise Unreadable([Problem(shown(path), exc.problem.line, exc.problem.column, exc.problem.message)]) from None
    from repairctl.orders import rules

    found = rules.check_order_data(data, path, tz, None, only=rules.UNREADABLE)
    if found:
        raise Unreadable(place(path, found))
    return records.Order(path, data, tz)


def named(unreadable_rows) -> list[list[Problem]]:
    """The problems of each unreadable order file, one list a file, from query.unreadable's rows."""
    from repairctl.orders.rules import Finding

    found = []
    for path, findings, error in unreadable_rows:
        if error:
            found.append([Problem(shown(path), *error)])
        else:
            stored = [Finding(rule, tuple(keys), message) for rule, keys, message in findings]
            found.append(place(path, blocking(stored)))
    return found


@dataclass
class LeftOut:
    """What an answer had to leave out: each file's problems (FILE:LINE:COL: why), by its path, and the IDs
    two files claim."""

    files: dict[Path, list[Problem]] = field(default_factory=dict)
    twice: dict[str, list[Path]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """What to say of them on stderr, one line each."""
        said = [str(problem) for problems in self.files.values() for problem in problems]
        if self.files:
            said.append(_("warning: {n} order file(s) cannot be read and are left out of this answer; fix them as "
                          "the lines above say, then run `repairctl check`").format(n=len(self.files)))
        for order_id, paths in self.twice.items():
            names = ", ".join(str(shown(path)) for path in paths)
            said.append(_("warning: {id} is the ID of {n} files ({names}); counted once: give all but one a new ID")
                        .format(id=order_id, n=len(paths), names=names))
        return said


def _may_be_of(path: Path, office, months: list[str] | None) -> bool:
    """Whether a stray file may hold an order of months: any, unless it lies in another month's folder."""
    parts = path.relative_to(office.root / files.ORDERS).parts
    if months is None or len(parts) < 3 or not files.is_month(parts[0], parts[1]):
        return True
    return f"{parts[0]}-{parts[1]}" in months


def left_out(office, months: list[str] | None = None, *, among_open: bool = False) -> LeftOut:
    """The order files an answer leaves out (in months' folders, if given): the unreadable ones and those
    the folder rule does not see; and the IDs that two files claim (among_open: of open clocks only)."""
    broken = list(query.unreadable(office, months))
    found = dict(zip((path for path, _, _ in broken), named(broken), strict=True)) if broken else {}
    found.update((path, [Problem(shown(path), 1, 1, _(STRAY))]) for path in query.strays(office)
                 if _may_be_of(path, office, months))
    return LeftOut(found, query.twice_used_ids(office, among_open=among_open))
