"""Domain exceptions and validation problems.

The library raises these; only the command layer turns them into click errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class RepairError(Exception):
    """A request the desk cannot carry out, with a one-line reason for the user."""


class OfficeError(RepairError):
    """The office folder or one of its files is missing or unreadable."""


class StateError(RepairError):
    """An action that does not fit the order's current state."""


class NotFound(RepairError):
    """An order ID, catalogue code or other name that does not exist."""


class Incomplete(RepairError):
    """An answer refused because files it needs cannot be read; problems names each (FILE:LINE:COL)."""

    def __init__(self, message: str, problems: list[Problem]):
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True, order=True)
class Problem:
    """One problem and where it is: in a file (line and column count from 1; a sheet's column may be
    its header), or, with no path, in a value given to a command (column names the field).

    rule names the check that found it, when a registry of rules did (orders/rules.py).
    """

    path: Path | None
    line: int
    column: int | str
    message: str
    rule: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}" if self.path is not None else self.message

    def as_dict(self) -> dict:
        """The problem as JSON-ready data."""
        data = {"path": None if self.path is None else str(self.path), "line": self.line, "column": self.column,
                "message": self.message}
        return {**data, "rule": self.rule} if self.rule else data


def shown(path: Path) -> Path:
    """A path as a problem shows it: relative to the working directory when it lies below it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def field_problem(key: str, message: str) -> Problem:
    """A problem with the value given for a field (an option of a command, a cell of a sheet's row)."""
    return Problem(None, 0, key, message)


class FileError(OfficeError):
    """A file that cannot be read as it stands (bad YAML, not UTF-8), with the position of the fault."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem
