"""Working time (工作时间): when a clock that counts only the desk's working hours falls due.

office.yaml `service_levels.working_time` says, per clock, how its limit is counted:

- left out: calendar time, every hour of the day and night (the seeds' clocks; orders/sla.py's `later`);
- `hours`: working hours. "24 working hours after T" counts only time inside calendar.yaml's
  working_hours on working days (weekdays that are no holiday, and make-up Saturdays and Sundays, 调休);
  a clock started outside them starts at the next opening.
- `days`: working days. Each 24 hours of the limit is one working day, counted as one working day's
  length of working time (08:30-17:30: 9 hours). So a clock started within working hours is due at the
  same time of day N working days later, and one started outside them (an evening, a weekend, a
  holiday) is due at closing time of the Nth working day: received Friday 19:00, 1 working day, due
  Monday 17:30. 001 §四.2's 小修 "2 天" is `finish_hours: 48` with `finish: days`.

Lateness stays in real minutes past the due time (a clock late at 18:00 is late by the evening too).
"""

from __future__ import annotations

import datetime as dt

from repairctl.errors import OfficeError
from repairctl.office.calendar import Calendar
from repairctl.office.levels import COUNTED, MODES  # noqa: F401 - the clocks and modes office.yaml may name
from repairctl.text.i18n import _

LONGEST = 3660  # days looked through for working time before giving up: a calendar with no working day
UTC = dt.UTC


def after(start: dt.datetime, delta: dt.timedelta, mode: str, cal: Calendar) -> dt.datetime:
    """The due time of a clock of limit delta started at start, counted as mode (hours or days) by cal."""
    if mode == "days":
        delta = cal.day_length() * (delta / dt.timedelta(hours=24))
    return add_working(start, delta, cal)


def add_working(start: dt.datetime, delta: dt.timedelta, cal: Calendar) -> dt.datetime:
    """The moment delta of working time has passed since start (in the office's timezone); a clock ending
    exactly at closing time is due then, not at the next opening."""
    local = start.astimezone(cal.tz)
    left = delta
    day = local.date()
    for _n in range(LONGEST):
        if cal.working(day):
            for opens, closes in cal.hours:
                begin = max(_at(day, opens, cal.tz), local)
                end = _at(day, closes, cal.tz)
                if begin >= end:
                    continue
                room = end.astimezone(UTC) - begin.astimezone(UTC)  # real time: a zone's clock change too
                if left <= room:
                    return (begin.astimezone(UTC) + left).astimezone(cal.tz)
                left -= room
        day += dt.timedelta(days=1)
    raise OfficeError(_("calendar.yaml leaves no working day in {days} days after {start}; check its holidays").format(
        days=LONGEST, start=f"{local:%Y-%m-%d}"))


def _at(day: dt.date, moment: dt.time, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, moment, tz)


def working_at(moment: dt.datetime, cal: Calendar) -> bool:
    """Whether moment falls inside working hours on a working day (closing time itself is outside)."""
    local = moment.astimezone(cal.tz)
    return cal.working(local.date()) and any(opens <= local.time() < closes for opens, closes in cal.hours)
