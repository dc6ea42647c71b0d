"""Stub until the merge driver lands (issue 12, branch `merge`): no order holds a contradiction yet."""

from __future__ import annotations

from pathlib import Path


def contradiction(path: Path) -> str | None:
    """The one-line description of the unresolved `conflict:` the order file holds, or None."""
    return None
