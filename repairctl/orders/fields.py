"""The values of a loaded order file as the rules read them: choices, times, amounts, and every text
with its key path (orders/rules.py).

Plain functions of plain data, so that a rule stays a few lines of what it requires.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from repairctl.errors import OfficeError
from repairctl.text import clock, inputs, money
from repairctl.text.i18n import _


def one_of(value, table) -> bool:
    """Whether value is one of the table's keys (a list or mapping typed by hand is not)."""
    return isinstance(value, str) and value in table


def first_time(data: dict, tz) -> dt.datetime | None:
    events = data.get("events")
    if isinstance(events, list) and events and isinstance(events[0], dict):
        return time_or_none(events[0].get("at"), tz)
    return None


def time_or_none(value, tz) -> dt.datetime | None:
    try:
        return clock.as_time(value, tz) if value is not None else None
    except (ValueError, TypeError):
        return None


def why_not_a_time(value, tz) -> str | None:
    """Why value is not a time an order file may hold, or None if it is one: the reader's own test."""
    try:
        clock.stored_time(value, tz)
    except ValueError as exc:
        return str(exc)
    return None


def unfit_anywhere(data) -> bool:
    """Whether any text in data, keys included, may be unfit: a line break anywhere counts, so a multi-line
    description only costs the full walk of strings."""
    search, longest = inputs.UNFIT.search, inputs.MAX_TEXT
    stack = [data]
    while stack:
        value = stack.pop()
        for key, item in value.items() if isinstance(value, dict) else enumerate(value):
            if isinstance(key, str) and (len(key) > longest or search(key)):
                return True
            if isinstance(item, str):
                if len(item) > longest or search(item):
                    return True
            elif isinstance(item, (dict, list)):
                stack.append(item)
    return False


def strings(data: dict) -> Iterator[tuple[tuple, str]]:
    """Every text in data, keys included, nested lists and mappings too, with its key path (no recursion:
    a hand edit may nest deeply)."""
    stack: list[tuple[tuple, object]] = [((), data)]
    while stack:
        keys, value = stack.pop()
        if isinstance(value, str):
            yield keys, value
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                if isinstance(key, str):
                    yield (*keys, key), key
                stack.append(((*keys, key), item))
        elif isinstance(value, list):
            stack.extend(((*keys, n), item) for n, item in reversed(list(enumerate(value))))


def named(keys: tuple) -> str:
    """A key path as a message names it: events[2].by."""
    path = "".join(f"[{key}]" if isinstance(key, int) else f".{_key(key)}" for key in keys).lstrip(".")
    return path or _("the order")


def _key(key) -> str:
    # a key that is itself unfit text is shown escaped: a message must not carry what it reports
    text = str(key)
    return ascii(text[:40]) if inputs.fault(text, lines=False) else text


def amount(value) -> Decimal | None:
    """An amount as a file may hold it: a number (not text, not true), finite, to the fen at most; else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        amount = money.read(value)
    except OfficeError:  # .nan, .inf
        return None
    return amount if amount == money.fen(amount) else None
