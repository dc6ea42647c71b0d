"""The conflict a merge leaves in an order file: our version stands, theirs is kept whole beside it.

When two machines changed one order in contradiction (merging.py), the file keeps our version
and gains a top-level ``conflict:`` mapping: ``reason``, one line naming what each side did, and
``theirs``, the other version's whole text as a literal block. Every command reads the file as
our version; `check` warns of it; a change is refused until `repairctl resolve` keeps one.
"""

from __future__ import annotations

from pathlib import Path

from repairctl.errors import FileError, OfficeError
from repairctl.store import yamlio
from repairctl.text.i18n import _

KEY = "conflict"
THEIRS = "theirs"


def reason_of(data) -> str | None:
    """The one-line reason of the unresolved conflict an order's data holds, or None."""
    if not isinstance(data, dict) or KEY not in data:
        return None
    held = data[KEY]
    reason = held.get("reason") if isinstance(held, dict) else None
    return " ".join(str(reason).split()) if reason else _("{id}: an unresolved conflict").format(id=data.get("id"))


def stored(data) -> str | None:
    """The other version's text a conflict keeps, or None."""
    held = data.get(KEY) if isinstance(data, dict) else None
    return held.get(THEIRS) if isinstance(held, dict) and isinstance(held.get(THEIRS), str) else None


def contradiction(path: Path) -> str | None:
    """The one-line description of the unresolved conflict the order file at path holds, or None."""
    try:
        return reason_of(yamlio.load_fast(path))
    except OfficeError:
        return None


def chain(text: str | None) -> list[str]:
    """An order file's text and each version its conflict keeps, nested in one another (none for None)."""
    found = []
    while text is not None and text not in found:
        found.append(text)
        try:
            text = stored(yamlio.parse(text))
        except FileError:  # a kept version that is no YAML: it holds nothing more
            break
    return found


def versions(text: str | None) -> list[str]:
    """The versions an order file holds, each without its conflict block: its own, then those kept in it."""
    found = []
    for held in chain(text):
        try:
            found.append(removed(held) if stored(yamlio.parse(held)) is not None else held)
        except FileError:  # no YAML: the version as it is
            found.append(held)
    return found


def added(text: str, reason: str, theirs: str) -> str:
    """An order file's text with a conflict block (in place of any it held): the reason, and their text."""
    theirs = theirs.replace("\r\n", "\n")
    doc = yamlio.load_round_trip(Path("ours"), text)
    doc.pop(KEY, None)
    doc[KEY] = yamlio.block_map(reason=reason, theirs=yamlio.literal(theirs))
    written = yamlio.dump_text(doc)
    if stored(yamlio.parse(written)) != theirs:  # a text a literal block cannot hold as it is (rare): quoted
        doc[KEY][THEIRS] = theirs
        written = yamlio.dump_text(doc)
    return line_ends(text, written)


def removed(text: str) -> str:
    """An order file's text without its conflict block: our version, as it was before the merge."""
    doc = yamlio.load_round_trip(Path("ours"), text)
    doc.pop(KEY, None)
    return line_ends(text, yamlio.dump_text(doc))


def line_ends(original: str, text: str) -> str:
    """text with the line ends of original (a file saved on Windows keeps its CRLF)."""
    return text.replace("\n", "\r\n") if "\r\n" in original else text
