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
