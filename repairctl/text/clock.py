"""Times: parsed in the office's timezone, stored as ISO 8601 with the offset, and what "now" is.

Not the service-level clocks (arrival, callback …): those are orders/sla.py.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from repairctl.errors import OfficeError, RepairError
from repairctl.text.i18n import _

FIRST_YEAR, LAST_YEAR = 2000, 2099  # the years an office's orders can fall in: outside them, a typo
EXAMPLE = "2026-11-23T14:05:00+08:00"  # a stored time, as messages show one
DEFAULT_ZONE = "Asia/Shanghai"  # an office.yaml without `timezone`, and the command line before an office is found


def zone(name: str) -> ZoneInfo:
    """Return the timezone called name, or raise a one-line error."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise OfficeError(_("unknown timezone {name} in office.yaml; use a name like Asia/Shanghai")
                          .format(name=repr(name))) from None


NOW_VARIABLE = "REPAIRCTL_NOW"


def now(tz: dt.tzinfo) -> dt.datetime:
    """The current time in tz, to the second.

    For tests and reproducible runs, the environment variable REPAIRCTL_NOW stands in for the
    clock: an ISO 8601 time such as 2026-11-25T12:00:00+08:00 (without an offset it is office
    time). It is read on every call, does not move, and is what `--at` defaults to, what the
    future check compares with and what `overdue` and `monthly` judge by. Unset, the real clock.
    """
    fixed = os.environ.get(NOW_VARIABLE)
    if fixed:
        try:
            return localise(dt.datetime.fromisoformat(fixed.strip()), tz)
        except ValueError:
            raise RepairError(_("{variable}={value} is not a time; write it as 2026-11-25T12:00:00+08:00, "
                                "or unset it to use the clock").format(variable=NOW_VARIABLE,
                                                                       value=repr(fixed))) from None
    return dt.datetime.now(tz).replace(microsecond=0)


def seconds_setting(name: str, default: float) -> float:
    """A duration in seconds from the environment variable name; default when it is unset or empty.

    For the waits that tests shorten (REPAIRCTL_GIT_LOCK_WAIT, REPAIRCTL_RACY_SECONDS).
    """
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise RepairError(_("{variable}={value} is not a number of seconds (0 or more); unset it for {default}")
                          .format(variable=name, value=repr(text), default=f"{default:g}"))
    return value


def parse_time(text: str, tz: dt.tzinfo, *, default: dt.datetime | None = None,
               notes: list[str] | None = None) -> dt.datetime:
    """Parse a time a clerk typed ('2026-11-23 14:00', '14:00', ISO 8601, 下午2点, 昨天 16:30) in the office timezone.

    Parts left out (the date in '14:00') are taken from default, which is now. A year outside
    2000..2099 is refused (a typo: 0026, 226), and so is a wall time the office's clocks skip (the
    hour lost when they go forward). A wall time they show twice (the hour repeated when they go
    back) is read as the first one, and a note saying so, and how to write the second, is added
    to notes.
    """
    base = (default or now(tz)).replace(second=0, microsecond=0, tzinfo=None)
    try:  # the common full forms ('2026-11-23 14:05', ISO 8601) without importing dateutil (10 ms)
        parsed = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        parsed = None
    if parsed is None:  # the forms a Chinese keyboard gives: 14：05, 下午2点, 昨天 16:30, 11月25日 9:20
        from repairctl.text import typedtime

        parsed = typedtime.read(text, base)
    if parsed is None:  # nothing guessed: dateutil read 8.55 as the 8th and 16 as the 16th, silently
        raise RepairError(_("cannot read time {text}; write it as 2026-11-23 14:05, 14:05, 14点05, "
                            "下午2点半 or 昨天 16:30").format(text=repr(text)))
    if ":" not in text and "T" not in text and "点" not in text and "时" not in text and parsed.time() == dt.time():
        # fromisoformat reads a bare day as its midnight: a day is not yet a time
        raise RepairError(_("time {text} has no time of day; write it as {day} 14:05").format(
            text=repr(text), day=f"{parsed:%Y-%m-%d}"))
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise RepairError(_("time {text} is in the year {year}; give a year from {first} to {last}, "
                            "e.g. 2026-11-23 14:00").format(text=repr(text), year=parsed.year, first=FIRST_YEAR,
                                                            last=LAST_YEAR))
    if parsed.tzinfo is not None:  # an offset given: one instant, nothing to guess
        return localise(parsed, tz)
    wall = parsed.replace(tzinfo=tz, microsecond=0, fold=0)
    if wall.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None, fold=0) != wall.replace(tzinfo=None):
        raise RepairError(_("time {text} does not exist in {zone}: the clocks skip it when they go forward; "
                            "check the hour").format(text=repr(text), zone=zone_name(tz)))
    second = wall.replace(fold=1)
    if notes is not None and second.utcoffset() != wall.utcoffset():
        notes.append(_("{time} came twice in {zone} (the clocks went back): read as the first, {first}; "
                       "for the second write {second}").format(time=show(wall), zone=zone_name(tz),
                                                               first=wall.isoformat(),
                                                               second=second.astimezone(tz).isoformat()))
    return wall


def day_span(day: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """A day in the office's zone: its midnight and the next (the end excluded)."""
    return dt.datetime.combine(day, dt.time(0), tz), dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tz)


def zone_name(tz: dt.tzinfo) -> str:
    """The name of a timezone as office.yaml gives it (Asia/Shanghai)."""
    return getattr(tz, "key", None) or str(tz)


def localise(value: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """Give a naive time the office timezone; keep an aware one as the same instant in tz."""
    if value.tzinfo is None:
        return value.replace(tzinfo=tz, microsecond=0)
    return value.astimezone(tz).replace(microsecond=0)


def stored_time(value, tz: dt.tzinfo) -> dt.datetime:
    """A time as an order file holds it, as the same instant in tz; else ValueError with a one-line reason.

    The one reading of a stored time: the reader (as_time: records, sla) and `check` (the rule
    `time` of orders/rules.py) both call it, so they never disagree. Valid is ISO 8601 with its
    UTC offset, as repairctl writes it (2026-11-25T08:00:00+08:00), in the years 2000..2099. A
    time without an offset is refused, from a hand edit too: written in one timezone and read in
    another it would move, and in the repeated hour of autumn it names two instants.
    """
    if isinstance(value, str):
        return _stored_text(value, tz)
    if isinstance(value, dt.datetime):  # ruamel's reading of an unquoted time
        return _checked(value, value.isoformat, tz)
    if isinstance(value, dt.date):
        raise ValueError(_("{date} has no time of day; write it like {example}").format(date=value.isoformat(),
                                                                                       example=EXAMPLE))
    raise ValueError(_("{value} is not a time; write it like {example}").format(value=_quoted(value), example=EXAMPLE))


@lru_cache(maxsize=4096)
def _stored_text(text: str, tz: dt.tzinfo) -> dt.datetime:
    # remembered: the rules, the clocks and the cache's row each read an order's times (1.5 µs each)
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(_("{value} is not a time; write it like {example}").format(value=_quoted(text),
                                                                                   example=EXAMPLE)) from None
    return _checked(parsed, lambda: text, tz)


def _checked(parsed: dt.datetime, text, tz: dt.tzinfo) -> dt.datetime:
    """parsed in tz, if its year and offset are those of a stored time (text() gives it as written)."""
    # the year before any arithmetic: year 1 moved to another offset overflows
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise ValueError(_("time {text} is in the year {year}; a time must fall in {first}..{last}")
                         .format(text=_cut(text()), year=parsed.year, first=FIRST_YEAR, last=LAST_YEAR))
    if parsed.tzinfo is None:
        raise ValueError(_("time {text} has no UTC offset; write it like {example}").format(text=_cut(text()),
                                                                                          example=EXAMPLE))
    return parsed.astimezone(tz).replace(microsecond=0)


def as_time(value, tz: dt.tzinfo) -> dt.datetime | None:
    """Read a time out of a loaded order file: None for none, else stored_time's reading (ValueError if bad)."""
    return None if value is None else stored_time(value, tz)


def _cut(text: str, limit: int = 40) -> str:
    """Text as a message shows it: a long one cut short, so the message stays one readable line."""
    return text if len(text) <= limit else text[:limit] + "…"


def _quoted(value) -> str:
    return repr(_cut(value)) if isinstance(value, str) else _cut(repr(value))


def show(value: dt.datetime | None) -> str:
    """A time as the desk reads it: 2026-11-23 14:05."""
    # isoformat, cut before the offset: twice as fast as strftime, and overdue shows thousands
    return value.isoformat(" ", "minutes")[:16] if value else ""
