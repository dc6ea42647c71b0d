"""Lining up Chinese text in a terminal or on a text slip, where a Chinese character takes two columns."""

from __future__ import annotations

from wcwidth import wcswidth


def width(text) -> int:
    """Terminal columns of text, a Chinese character counting two."""
    text = str(text)
    columns = wcswidth(text)
    return columns if columns >= 0 else len(text)  # control characters: count them plainly


def pad(text, columns: int, align: str = "left") -> str:
    """Pad text to columns terminal columns (align left, right or center); never cut it."""
    text = str(text)
    room = max(columns - width(text), 0)
    if align == "right":
        return " " * room + text
    if align == "center":
        return " " * (room // 2) + text + " " * (room - room // 2)
    return text + " " * room
