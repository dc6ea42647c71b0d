"""The office's calendar (calendar.yaml): the desk's working hours, China's public holidays and make-up
working days (调休) by date, and the duty roster for nights and holidays (003 §4.1.1.1).

The file is the truth: `init` and `calendar seed YEAR` fill its holidays from the chinese-calendar
library (office/holidays.py), and a clerk types next year's State Council schedule by hand when the
library does not have it yet. A day is a working day when it is Monday to Friday and no holiday, or
a Saturday or Sunday listed under `workdays` (调休上班). An office without the file has no calendar:
every clock counts calendar time, as before (office/workingtime.py counts working time).

Read like office.yaml: its parse remembered as JSON (no YAML parser on a warm command), checked on
every load, each problem placed at its line and column (Problem path:line:col).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from repairctl.errors import FileError, OfficeError, Problem, shown
from repairctl.office import duty
from repairctl.office.duty import Duty
from repairctl.office.values import date_of
from repairctl.office.values import name as _name
from repairctl.office.values import shown as _shown
from repairctl.store import state, yamlio
from repairctl.text import inputs
from repairctl.text.i18n import _

FILE = "calendar.yaml"
KEYS = ("working_hours", "holidays", "workdays", "duty")
HOURS = ((dt.time(8, 30), dt.time(17, 30)),)  # working_hours left out: 08:30-17:30, no lunch break
SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
MAX_SPANS, MAX_NAME = 4, 40
RULE, WARNING = "calendar", "holidays"  # check's rules: a problem of the file; December's warning (orders/rules.py)

Found = Iterator[tuple[tuple, str]]


@dataclass(frozen=True)
class Calendar:
    """calendar.yaml, checked: working hours (spans of a day, in order), holidays and make-up workdays by
    date with their names, the duty roster by weekday and by date; tz is the office's."""

    tz: dt.tzinfo
    hours: tuple[tuple[dt.time, dt.time], ...]
    holidays: dict[dt.date, str]
    workdays: dict[dt.date, str]
    weekly: dict[int, Duty]
    dated: dict[dt.date, Duty]

    def working(self, day: dt.date) -> bool:
        """Whether day is a working day: a weekday that is no holiday, or a make-up workday (调休上班)."""
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def name(self, day: dt.date) -> str | None:
        """The holiday's name, or the name of the holiday a make-up workday belongs to; None on other days."""
        return self.holidays.get(day) or self.workdays.get(day)

    def duty(self, day: dt.date) -> Duty | None:
        """Who is on duty from the end of day's working hours through the night (all day when day is off)."""
        return self.dated.get(day) or self.weekly.get(day.weekday())

    def day_length(self) -> dt.timedelta:
        """The working time of one working day: the sum of its spans."""
        return sum((_minutes(end) - _minutes(start) for start, end in self.hours), dt.timedelta(0))

    def years(self) -> set[int]:
        """The years the file lists holidays for."""
        return {day.year for day in self.holidays}


def _minutes(moment: dt.time) -> dt.timedelta:
    return dt.timedelta(hours=moment.hour, minutes=moment.minute)


def path_of(root: Path) -> Path:
    """Where the office's calendar file is."""
    return root / FILE


def load(root: Path, tz: dt.tzinfo) -> Calendar | None:
    """The office's calendar, or None when it has no calendar.yaml; FileError (calendar.yaml:LINE:COL: …) if bad."""
    path = path_of(root)
    if not path.is_file():
        return None
    raw = yamlio.load_remembered(path, state.folder(root) / "calendar.json")
    found = list(findings(raw))
    if found:
        first = place(path, found)[0]
        more = (_(" (and {n} more: `repairctl check` lists them)").format(n=len(found) - 1) if len(found) > 1 else "")
        raise FileError(Problem(first.path, first.line, first.column, first.message + more, RULE))
    return parsed(raw, tz)


def parsed(raw: dict, tz: dt.tzinfo) -> Calendar:
    """The Calendar of a parsed calendar.yaml that findings() passed."""
    roster = raw.get("duty") or {}
    return Calendar(
        tz=tz,
        hours=tuple(_span(text) for text in raw["working_hours"]) if raw.get("working_hours") else HOURS,
        holidays={date_of(day): str(text).strip() for day, text in (raw.get("holidays") or {}).items()},
        workdays={date_of(day): str(text).strip() for day, text in (raw.get("workdays") or {}).items()},
        weekly={duty.WEEKDAYS.index(day): duty.who(value) for day, value in (roster.get("weekly") or {}).items()},
        dated={date_of(day): duty.who(value) for day, value in (roster.get("dates") or {}).items()},
    )


def _span(text: str) -> tuple[dt.time, dt.time]:
    match = SPAN.match(text)
    return dt.time(int(match[1]), int(match[2])), dt.time(int(match[3]), int(match[4]))


def problems(root: Path) -> list[Problem]:
    """Every problem of the office's calendar.yaml, placed ([] when it is good or there is none)."""
    path = path_of(root)
    if not path.is_file():
        return []
    try:
        raw = yamlio.load_fast(path)
    except FileError as exc:
        return [Problem(shown(exc.problem.path), exc.problem.line, exc.problem.column, exc.problem.message, RULE)]
    except OfficeError as exc:
        return [Problem(shown(path), 1, 1, str(exc), RULE)]
    return place(path, list(findings(raw)))


def place(path: Path, found: list[tuple[tuple, str]]) -> list[Problem]:
    """Each finding at its line and column in the file at path, in file order."""
    try:
        tree = yamlio.compose(yamlio.decode(path.read_bytes(), path))
    except (OfficeError, OSError):
        tree = None
    return sorted(Problem(shown(path), *yamlio.position(tree, keys), message, RULE) for keys, message in found)


def missing_year(cal: Calendar | None, today: dt.date) -> int | None:
    """The year to type in: this year when the calendar lists no holiday of it (元旦 would be a working
    day), or next year in December when it lists none of that; else None."""
    if cal is None:
        return None
    if today.year not in cal.years():
        return today.year
    if today.month != 12 or today.year + 1 in cal.years():
        return None
    return today.year + 1


# --- checking ----------------------------------------------------------------------------------------


def findings(raw) -> Found:
    """Every problem of a parsed calendar.yaml, as (key path, message)."""
    if raw is None:
        return  # an empty file: no holidays, the default hours
    if not isinstance(raw, dict):
        yield (), _("calendar.yaml must be a mapping with {keys}").format(keys=", ".join(KEYS))
        return
    for key in raw:
        if key not in KEYS:
            yield (key,), _("{key} is not a part of calendar.yaml; it has {keys}").format(key=_name(key),
                                                                                        keys=", ".join(KEYS))
    yield from _hours(raw.get("working_hours"))
    holidays = yield from _days(raw.get("holidays"), "holidays")
    workdays = yield from _days(raw.get("workdays"), "workdays")
    for day, key in workdays.items():
        if day in holidays:
            yield ("workdays", key), _("{day} is listed both as a holiday and as a make-up workday; keep one").format(
                day=day)
        elif day.weekday() < 5:
            yield ("workdays", key), _("{day} is a weekday, a working day anyway; workdays lists only the Saturdays "
                                       "and Sundays worked in lieu (调休上班)").format(day=day)
    yield from duty.findings(raw.get("duty"))


def _hours(raw) -> Found:
    if raw is None:
        return
    example = "['08:30-17:30'] (a lunch break: ['08:30-12:00', '13:30-17:30'])"
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_SPANS:
        yield ("working_hours",), _("working_hours must be a list of 1 to {most} spans of the day, like {example}"
                                    ).format(most=MAX_SPANS, example=example)
        return
    last = None
    for n, text in enumerate(raw):
        match = SPAN.match(text) if isinstance(text, str) else None
        if not match or int(match[1]) > 23 or int(match[3]) > 23 or int(match[2]) > 59 or int(match[4]) > 59:
            yield ("working_hours", n), _("working_hours[{n}] must be a span of the day in quotes, like "
                                          "'08:30-17:30', not {value}").format(n=n, value=_shown(text))
            continue
        start, end = int(match[1]) * 60 + int(match[2]), int(match[3]) * 60 + int(match[4])
        if start >= end or (last is not None and start < last):
            yield ("working_hours", n), _("working_hours[{n}] {value} must end after it starts, and start after the "
                                          "span before it ends").format(n=n, value=_shown(text))
        last = end


def _days(raw, key: str):
    """The problems of holidays or workdays (a mapping of day to name); returns its good days and their keys."""
    good: dict[dt.date, str] = {}
    if raw is None:
        return good
    if not isinstance(raw, dict):
        yield (key,), _("{key} must be a mapping of days to names, one a line, like `2026-10-01: 国庆节`").format(
            key=key)
        return good
    for day, text in raw.items():
        when = date_of(day)
        if when is None:
            yield (key, day), _("{key}: {value} is not a day; write it like 2026-10-01").format(key=key,
                                                                                               value=_shown(day))
        elif not isinstance(text, str) or not text.strip() or len(text) > MAX_NAME or inputs.fault(text, lines=False):
            yield (key, day), _("{key}: {day} needs the holiday's name, like 国庆节, not {value}").format(
                key=key, day=day, value=_shown(text))
        else:
            good[when] = day
    return good
