"""JSON for scripts: keys in English, Chinese kept readable, times as ISO 8601, amounts exact.

dumps() writes one document, indented; lines() writes a list one row a line, as it is made,
so 100,000 rows never sit in memory.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal

from repairctl.text import money


def _json_value(value):
    """What JSON cannot hold as it is: times as ISO 8601 (json calls this)."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def dumps(data) -> str:
    """JSON as scripts read it, Chinese kept readable; amounts (Decimals) as numbers of two decimals."""
    if isinstance(data, list):
        return "\n".join(lines(data))
    return _indented(data, "")


def _indented(value, indent: str) -> str:
    """value as json.dumps(value, ensure_ascii=False, indent=2) writes it, but an amount as its own digits.

    json writes a Decimal only through float (and a float subclass only through float.__repr__),
    so the text of objects and arrays is put together here, and json writes every other value.
    """
    if isinstance(value, Decimal):
        return money.figure(value)  # 12.35, 55.00: a JSON number, exact
    inner = indent + "  "
    if isinstance(value, dict) and value:
        items = (f"{inner}{_json_key(key)}: {_indented(item, inner)}" for key, item in value.items())
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, (list, tuple)) and value:
        return "[\n" + ",\n".join(inner + _indented(item, inner) for item in value) + f"\n{indent}]"
    return json.dumps(value, ensure_ascii=False, default=_json_value)


def _json_key(key) -> str:
    """A key as json writes it: text; a number, true, false or null as its JSON text, quoted."""
    if not isinstance(key, str):
        if not (key is None or isinstance(key, (bool, int, float))):
            raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
        key = json.dumps(key)
    return json.dumps(key, ensure_ascii=False)


def lines(rows: Iterable) -> Iterator[str]:
    """A JSON list, one row a line, made one line at a time (so 100,000 rows never sit in memory)."""
    # one row a line: as readable as indent=, and json's C encoder, which indent= switches off, stays on
    encode = json.JSONEncoder(ensure_ascii=False, default=_json_value).encode
    yield "["
    previous = None
    for row in rows:
        if previous is not None:
            yield previous + ","
        previous = "  " + encode(row)
    if previous is not None:
        yield previous
    yield "]"
