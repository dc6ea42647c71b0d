"""Lining up Chinese text in a terminal or on a text slip, where a Chinese character takes two columns."""

from __future__ import annotations

import unicodedata

_EXTRA: dict[str, int] = {}  # columns a character takes beyond one: wide +1, combining -1, learnt as met


def _learn(text: str) -> None:
    for c in text:
        _EXTRA[c] = -1 if unicodedata.combining(c) else 1 if unicodedata.east_asian_width(c) in "WF" else 0


def width(text) -> int:
    """Terminal columns of text: wide and full-width characters count two, combining marks none."""
    # unicodedata is built in; wcwidth would cost 10 ms of start-up for the same answer here
    text = str(text)
    if text.isascii():
        return len(text)
    try:
        return len(text) + sum(map(_EXTRA.__getitem__, text))  # one C loop: overdue measures thousands of cells
    except KeyError:
        _learn(text)
        return len(text) + sum(map(_EXTRA.__getitem__, text))


def pad(text, columns: int, align: str = "left") -> str:
    """Pad text to columns terminal columns (align left, right or center); never cut it."""
    text = str(text)
    room = max(columns - width(text), 0)
    if align == "right":
        return " " * room + text
    if align == "center":
        return " " * (room // 2) + text + " " * (room - room // 2)
    return text + " " * room


def table(headers: list[str], rows: list[list]) -> str:
    """Rows under headers as left-aligned columns two spaces apart, with a rule of dashes under the headers."""
    columns = [[str(cell) for cell in column] for column in zip(headers, *rows, strict=True)]
    # a desk's cells repeat (units, holders, 超时 1天): each distinct text is measured once
    known: dict[str, int] = {}
    for column in columns:
        for cell in column:
            if cell not in known:
                known[cell] = width(cell)
    widths = [max(map(known.__getitem__, column)) for column in columns]
    # column by column rather than line by line: 5,000 late clocks are laid out in a few milliseconds
    padded = [[cell + " " * (w + 2 - known[cell]) for cell in column]
              for column, w in zip(columns[:-1], widths, strict=False)]
    lines = [line.rstrip() for line in map("".join, zip(*padded, columns[-1], strict=True))]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
