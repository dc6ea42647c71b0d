"""Times: parsed in the office's timezone, stored as ISO 8601 with the offset, and what "now" is.

Not the service-level clocks (arrival, callback …): those are orders/sla.py.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from repairctl.errors import OfficeError, RepairError

DEFAULT_ZONE = "Asia/Shanghai"  # an office.yaml without `timezone`, and the command line before an office is found


def zone(name: str) -> ZoneInfo:
    """Return the timezone called name, or raise a one-line error."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise OfficeError(f"unknown timezone {name!r} in office.yaml; use a name like Asia/Shanghai") from None


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
            raise RepairError(f"{NOW_VARIABLE}={fixed!r} is not a time; write it as 2026-11-25T12:00:00+08:00, "
                              f"or unset it to use the clock") from None
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
        raise RepairError(f"{name}={text!r} is not a number of seconds (0 or more); unset it for {default:g}")
    return value


def parse_time(text: str, tz: dt.tzinfo, *, default: dt.datetime | None = None) -> dt.datetime:
    """Parse a time a clerk typed ('2026-11-23 14:00', '14:00', ISO 8601) in the office timezone.

    Parts left out (the date in '14:00') are taken from default, which is now.
    """
    base = (default or now(tz)).replace(second=0, microsecond=0, tzinfo=None)
    try:  # the common full forms ('2026-11-23 14:05', ISO 8601) without importing dateutil (10 ms)
        return localise(dt.datetime.fromisoformat(text.strip()), tz)
    except ValueError:
        pass
    from dateutil import parser as dateparser

    try:
        parsed = dateparser.parse(text.strip(), default=base)
    except (ValueError, OverflowError):
        raise RepairError(f"cannot read time {text!r}; write it as 2026-11-23 14:00 or 14:00") from None
    return localise(parsed, tz)


def localise(value: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """Give a naive time the office timezone; keep an aware one as the same instant in tz."""
    if value.tzinfo is None:
        return value.replace(tzinfo=tz, microsecond=0)
    return value.astimezone(tz).replace(microsecond=0)


def as_time(value, tz: dt.tzinfo) -> dt.datetime | None:
    """Read a time out of a loaded order file (a datetime, a date string or None)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return localise(value, tz)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    return localise(dt.datetime.fromisoformat(str(value)), tz)


def show(value: dt.datetime | None) -> str:
    """A time as the desk reads it: 2026-11-23 14:05."""
    # isoformat, cut before the offset: twice as fast as strftime, and overdue shows thousands
    return value.isoformat(" ", "minutes")[:16] if value else ""
