"""When a maintenance plan falls due (计划性维修): every N days, weeks or months from its start, or on fixed dates.

Pure date arithmetic over calendar dates (a plan's due day is a day, not a time). Months count from the
start each time, not from the last due day, so a plan started on 31 January falls due on 28 February (29 in
a leap year), 31 March, 30 April …: the day is clipped to the month's last and never drifts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from dateutil.relativedelta import relativedelta

from repairctl.errors import RepairError
from repairctl.text.i18n import _

EVERY = re.compile(r"^\s*(\d{1,3})\s*([dwm])\s*$", re.I)
EVERY_EXAMPLE = "7d, 2w, 1m"
FIXED = re.compile(r"^(?:(\d{4})-)?(\d{2})-(\d{2})$")  # 2026-06-01 once; 06-01 every year
DATES_EXAMPLE = "[2026-06-01, 12-01]"


def parse_every(text) -> tuple[int, str]:
    """(n, unit) of 7d, 2w or 1m (days, weeks, months), or a one-line refusal."""
    match = EVERY.match(str(text)) if isinstance(text, (str, int)) else None
    if not match or not 1 <= int(match[1]) <= 366:
        raise RepairError(_("every {value} is not a period; write a number and d, w or m (days, weeks, months), "
                            "e.g. {example}").format(value=repr(text), example=EVERY_EXAMPLE))
    return int(match[1]), match[2].lower()


def every_text(every: tuple[int, str]) -> str:
    """How the file writes a period: 7d, 2w, 1m."""
    return f"{every[0]}{every[1]}"


def parse_day(text, what: str) -> dt.date:
    """A day written YYYY-MM-DD (a YAML date too), or a one-line refusal naming what it is."""
    if isinstance(text, dt.date) and not isinstance(text, dt.datetime):
        return text
    match = FIXED.match(str(text).strip())
    try:
        if match and match[1]:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass
    raise RepairError(_("{what} {value} is not a day; write it as 2026-12-01").format(what=what, value=repr(text)))


def parse_fixed(text) -> tuple[int | None, int, int]:
    """A fixed date of a plan: (year, month, day) once, or (None, month, day) every year; else a refusal."""
    if isinstance(text, dt.date) and not isinstance(text, dt.datetime):
        return text.year, text.month, text.day
    match = FIXED.match(str(text).strip())
    try:
        if match:
            year, month, day = (int(match[1]) if match[1] else None), int(match[2]), int(match[3])
            dt.date(year or 2028, month, day)  # 02-29 is a day in a leap year: every year has one then
            return year, month, day
    except ValueError:
        pass
    raise RepairError(_("date {value} is not a day; write 2026-06-01 for once, or 06-01 for every year, e.g. "
                        "dates: {example}").format(value=repr(text), example=DATES_EXAMPLE))


def due_days(start: dt.date | None, every: tuple[int, str] | None, fixed: tuple, first: dt.date,
             last: dt.date, end: dt.date | None = None) -> list[dt.date]:
    """The days from first to last (both included) a plan falls due: from start, every period or on its
    fixed dates, up to end if it has one; oldest first."""
    last = min(last, end) if end else last
    if start:
        first = max(first, start)
    if first > last:
        return []
    days = set(_fixed(fixed, first, last)) if fixed else set()
    if every:
        days.update(_periodic(start or first, every, first, last))
    return sorted(days)


def _periodic(start: dt.date, every: tuple[int, str], first: dt.date, last: dt.date) -> Iterator[dt.date]:
    n, unit = every
    if unit == "m":
        k = max(0, ((first.year - start.year) * 12 + first.month - start.month) // n - 1)  # skip whole periods
        while (day := start + relativedelta(months=k * n)) <= last:
            if day >= first:
                yield day
            k += 1
        return
    step = n * (7 if unit == "w" else 1)
    k = max(0, (first - start).days // step)
    while (day := start + dt.timedelta(days=k * step)) <= last:
        if day >= first:
            yield day
        k += 1


def _fixed(fixed: tuple, first: dt.date, last: dt.date) -> Iterator[dt.date]:
    for year, month, day in fixed:
        for y in ([year] if year else range(first.year, last.year + 1)):
            try:
                when = dt.date(y, month, day)
            except ValueError:
                continue  # 02-29 in a year without one: not due that year
            if first <= when <= last:
                yield when
