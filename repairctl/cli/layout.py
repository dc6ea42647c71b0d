"""click's help laid out by the columns a terminal gives each character: 维 takes two, a takes one.

click measures its help with `term_len` (characters) and wraps it with a TextWrapper that breaks only
at spaces. Chinese help has no spaces and twice the width per character, so it ran past the edge of
the terminal, its options' descriptions started in different columns, and a command's one-line
summary was cut in mid-word. `install` rebinds click's measure to display width (wcwidth's rule:
East Asian wide and full-width characters take two columns), lets lines break between two Chinese
characters (never before a closing mark such as ，or 。, nor after （, nor beside a digit), and
shortens a summary at its first full stop. English help is laid out exactly as click does it.
"""

from __future__ import annotations

import re
import unicodedata

import click
import click.core
import click.formatting
from click._compat import strip_ansi

# closing marks stay on the line of the character before them (禁则: no line starts with ，)
CLOSING = set("，。、；：！？）】」』》”’…%")
OPENING = set("（【「『《“‘")
ORIGINAL_SHORT_HELP = click.core._make_default_short_help


def columns(text: str) -> int:
    """The terminal columns text takes: two for each wide or full-width character."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in strip_ansi(text))


def _pieces(chunk: str) -> list[str]:
    """chunk cut where a line may break: only between two Chinese characters, never before a closing mark
    or after an opening one, nor between a character and the digits beside it (下午2点 stays whole)."""
    pieces: list[str] = []
    for char in chunk:
        joined = pieces and (not (_wide(char) and _wide(pieces[-1][-1])) or char in CLOSING
                             or pieces[-1][-1] in OPENING)
        if joined:
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def wide_wrapper() -> type:
    """click's TextWrapper, breaking between Chinese characters and cutting long words by columns (made at the
    first help that is wrapped: textwrap's import is a cost `show` need not pay)."""
    import click._textwrap

    class WideWrapper(click._textwrap.TextWrapper):
        def _split(self, text):
            return [piece for chunk in super()._split(text) for piece in _pieces(chunk)]

        def _handle_long_word(self, reversed_chunks, cur_line, cur_len, width):
            room, last, cut = max(width - cur_len, 1), reversed_chunks[-1], 0
            while cut < len(last) and columns(last[:cut + 1]) <= room:
                cut += 1
            if cut == 0 and not cur_line:
                cut = 1  # a character wider than the whole line still goes somewhere
            if cut:
                cur_line.append(last[:cut])
                reversed_chunks[-1] = last[cut:]

    click._textwrap.term_len = columns
    click._textwrap.TextWrapper = WideWrapper
    return WideWrapper


def short_help(help_text: str, limit: int) -> str:
    """A command's one-line summary: Chinese up to its first 。, cut to limit columns; English as click does."""
    if columns(help_text) == len(help_text):
        return ORIGINAL_SHORT_HELP(help_text, limit)
    first = re.split(r"(?<=。)|\n\s*\n", help_text.strip(), maxsplit=1)[0].replace("\n", " ")
    if columns(first) <= limit:
        return first
    while first and columns(first) > limit - 1:
        first = first[:-1]
    return first + "…"


def install() -> None:
    """Make click measure, wrap and summarise help by display width (idempotent)."""
    click.formatting.term_len = columns
    click.core._make_default_short_help = short_help
    if click.formatting.wrap_text is not _wrap_text:
        _wrap_text.original = click.formatting.wrap_text
        click.formatting.wrap_text = _wrap_text


def _wrap_text(*args, **kwargs):
    """click's wrap_text with the wide wrapper in place (put there at its first call)."""
    if not getattr(_wrap_text, "ready", False):
        wide_wrapper()
        _wrap_text.ready = True
    return _wrap_text.original(*args, **kwargs)
