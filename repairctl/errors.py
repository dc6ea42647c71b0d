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


@dataclass(frozen=True, order=True)
class Problem:
    """One validation problem at a position in a file (line and column count from 1)."""

    path: Path
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"

    def as_dict(self) -> dict:
        """The problem as JSON-ready data."""
        return {"path": str(self.path), "line": self.line, "column": self.column, "message": self.message}


class FileError(OfficeError):
    """A file that cannot be read as it stands (bad YAML, not UTF-8), with the position of the fault."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem
