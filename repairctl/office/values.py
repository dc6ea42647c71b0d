"""The kinds of value office.yaml holds (a bounded whole number, a time of day, a date) and how a
message quotes a value or names a key: shared by settings.py and levels.py."""

from __future__ import annotations

import datetime as dt
import re

from repairctl.text import clock
from repairctl.text.i18n import _

TIME_OF_DAY = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class Whole:
    """A whole number within low..high, in unit; default when the key is left out."""

    # a plain class: a dataclass costs every command 1 ms at import, and load_office imports this module
    __slots__ = ("default", "high", "low", "unit")

    def __init__(self, default: int, low: int, high: int, unit: str):
        self.default, self.low, self.high, self.unit = default, low, high, unit

    def __repr__(self) -> str:
        return f"Whole({self.default}, {self.low}..{self.high} {self.unit})"

    def fault(self, value) -> str | None:
        # bool is an int to Python, but `arrival_minutes: yes` is surely a slip
        if isinstance(value, bool) or not isinstance(value, int):
            return _("must be a whole number, like {default}, not {value}").format(default=self.default,
                                                                                    value=shown(value))
        if value < self.low:
            return _("must be {low} or more, not {value}").format(low=self.low, value=value)
        if value > self.high:
            # unit is marked with N_ where the bound is made (minutes, hours, days, months)
            return _("must be {high} {unit} or less, not {value}").format(high=self.high, unit=_(self.unit),
                                                                          value=shown(value))
        return None


def time_fault(value) -> str | None:
    """Why value is no time of day in quotes ('22:00'), or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 22:00 as the base-60 number 1320
        return _("must be a time of day in quotes, like '22:00' (unquoted, YAML reads it as the number {value})"
                 ).format(value=value)
    match = TIME_OF_DAY.match(value) if isinstance(value, str) else None
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        return _("must be a time of day in quotes, like '22:00', not {value}").format(value=shown(value))
    return None


def time_of_day(value: str) -> dt.time:
    """A time of day that time_fault passed, as dt.time."""
    match = TIME_OF_DAY.match(value)
    return dt.time(int(match[1]), int(match[2]))


def date_of(value) -> dt.date | None:
    """A day written YYYY-MM-DD (repairctl's YAML reads it as text; ruamel as a date), or None if it is none."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    else:
        match = DATE.match(value) if isinstance(value, str) else None
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3])) if match else None
        except ValueError:  # 2026-02-30
            return None
    return day if day and clock.FIRST_YEAR <= day.year <= clock.LAST_YEAR else None


def shown(value) -> str:
    """A value as a message quotes it: repr (so nothing invisible reaches the terminal), a long one cut short."""
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


def name(key) -> str:
    """A key as a message names it: plain when it is plain text, else quoted like a value."""
    plain = isinstance(key, str) and re.fullmatch(r"[\w.-]{1,40}", key, re.ASCII)
    return key if plain else shown(key)
