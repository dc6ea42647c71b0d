"""Editing through ruamel's round trip: comments, key order and layout kept, written atomically."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from repairctl.errors import OfficeError
from repairctl.store import files
from repairctl.store.yamlio.reading import BOM, read_text, refuse_hazards, syntax_error
from repairctl.text import money
from repairctl.text.i18n import _


def _represent_datetime(representer, value: dt.datetime):
    # ISO 8601 with the 'T' and the offset, plain, as a clerk would type it.
    return representer.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


def _represent_amount(representer, value: Decimal):
    # an amount's one written form (money.written), a plain YAML number: never through float
    text = money.written(value)
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return representer.represent_scalar(tag, text)


def _round_trip():
    # ruamel costs ~10 ms to import: only commands that write or edit pay it
    from ruamel.yaml import YAML

    rt = YAML()  # round-trip mode
    rt.width = 4096  # never fold Chinese text
    rt.preserve_quotes = True
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.representer.add_representer(dt.datetime, _represent_datetime)
    rt.representer.add_representer(Decimal, _represent_amount)
    rt.representer.ignore_aliases = lambda data: True
    return rt


def dump_text(data: Any) -> str:
    """Serialise data with the project's one round-trip dumper configuration."""
    out = io.StringIO()
    _round_trip().dump(data, out)
    return out.getvalue()


def plain(value: Any) -> Any:
    """What parse(dump_text(value)) reads back, without the round trip: times as the text written."""
    if isinstance(value, dict):
        return {plain(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dt.date):  # and so datetime
        return value.isoformat()  # the fast loader reads times as text, and the dumper writes isoformat()
    if isinstance(value, str):
        return str(value)  # ruamel's quoted and folded strings are str subclasses
    if isinstance(value, Decimal):  # an amount, read back as the number written: 35 an int, 12.35 a float
        text = money.written(value)
        return float(text) if "." in text else int(text)
    return value


def load_round_trip(path: Path, text: str | None = None) -> Any:
    """Parse a file (or its already-read text) with the round-trip loader, for editing."""
    if text is None:
        text, _bom = read_text(path)
    refuse_hazards(text, path)
    from ruamel.yaml.error import YAMLError as RuamelError

    try:
        return _round_trip().load(text)
    except RuamelError as exc:
        raise syntax_error(path, exc) from None
    except (ValueError, TypeError) as exc:  # a value such as the date 2026-13-40
        raise OfficeError(_("{path}: cannot read a value ({reason}); `repairctl check` shows where")
                          .format(path=path, reason=exc)) from None


@contextmanager
def edit(path: Path) -> Iterator[Any]:
    """Yield the round-trip document of path; on a clean exit write it back if it changed.

    The file keeps its byte-order mark and line ends. An exception inside the block
    leaves the file untouched.
    """
    original, had_bom = read_text(path)
    doc = load_round_trip(path, original)
    yield doc
    text = dump_text(doc)
    if "\r\n" in original:
        text = text.replace("\n", "\r\n")
    if text != original:
        files.write_atomic(path, BOM + text if had_bom else text)


# --- building round-trip documents: what ruamel needs to write an order as a person would ------


def document(comment: str, fields: dict):
    """A new mapping to write, with a comment line above it."""
    from ruamel.yaml.comments import (
        CommentedMap,  # ruamel: only commands that write pay for it
    )

    doc = CommentedMap(fields)
    doc.yaml_set_start_comment(comment)
    return doc


def block_list(items=()):
    """A list written one item a line."""
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq(items)


def flow_list(items=()):
    """A list written on one line ([a, b])."""
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def flow_map(**fields):
    """A mapping written on one line ({a: 1, b: 2}); None values are left out."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    # ruamel writes `? x` and `:x` plain inside {…}, where libyaml (the fast reader) refuses them
    mapping = CommentedMap((k, SingleQuotedScalarString(v) if isinstance(v, str) and v[:1] in "?:" else v)
                           for k, v in fields.items() if v is not None)
    mapping.fa.set_flow_style()
    return mapping


def block_map(**fields):
    """A mapping written one key a line."""
    from ruamel.yaml.comments import CommentedMap

    return CommentedMap(fields)


def literal(text: str):
    """Text written as a literal block (`|`), line for line: a whole file kept inside another."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    return LiteralScalarString(text)


def insert_before(doc, anchor: str, key: str, value) -> None:
    """Set doc[key]; a key doc lacks goes just above anchor, so a file reads top-down."""
    if key in doc or anchor not in doc or not hasattr(doc, "insert"):  # a plain dict has no order to keep
        doc[key] = value
        return
    keys = list(doc)
    position = keys.index(anchor)
    doc.insert(position, key, value)
    if position:
        _keep_comment_above(doc, keys[position - 1], key)


def _keep_comment_above(doc, previous: str, inserted: str) -> None:
    """ruamel hangs the comment lines above a key on the key before it; move them to the inserted key.

    An end-of-line comment on that key (``urgency: immediate  # note``) stays where it is.
    """
    slots = doc.ca.items.get(previous)
    token = slots[2] if slots and len(slots) > 2 else None
    if token is None or "\n" not in token.value:
        return
    eol, _, below = token.value.partition("\n")
    if not below.strip():
        return
    if eol.strip():
        token.value = eol + "\n"
    else:
        slots[2] = None
    from ruamel.yaml.tokens import CommentToken

    moved = CommentToken("\n" + below, token.start_mark, None)
    doc.ca.items[inserted] = [None, None, moved, None]
