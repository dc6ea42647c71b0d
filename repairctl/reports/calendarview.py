"""`repairctl calendar`: a month of the office's calendar (working day or not, the holiday's name, who is on
duty) and who to phone tonight, as text or JSON; and `calendar seed YEAR`, committed."""

from __future__ import annotations

import datetime as dt

from repairctl.errors import OfficeError
from repairctl.office import calendar, holidays
from repairctl.text import cjk
from repairctl.text.i18n import N_, _

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def require(office) -> calendar.Calendar:
    """The office's calendar; a one-line refusal when it has no calendar.yaml."""
    cal = office.calendar
    if cal is None:
        raise OfficeError(_("{root}: no {file}; make one with `repairctl calendar seed {year}`").format(
            root=office.root, file=calendar.FILE, year=office.now().year))
    return cal


def duty_day(cal: calendar.Calendar, now: dt.datetime) -> dt.date:
    """The day whose roster is on duty now: a night's duty runs from closing time to the next opening, so
    before a working day's first opening it is still the day before's (at 02:00 on Tuesday, Monday's); a
    day off's roster holds that whole day."""
    early = cal.working(now.date()) and now.time() < cal.hours[0][0]
    return now.date() - dt.timedelta(days=1) if early else now.date()


def day_row(cal: calendar.Calendar, day: dt.date) -> dict:
    """One day: its date, whether it is a working day, the holiday's (or make-up day's) name, who is on duty."""
    duty = cal.duty(day)
    return {"date": day.isoformat(), "weekday": day.isoweekday(), "working": cal.working(day),
            "name": cal.name(day), "makeup": day in cal.workdays,
            "duty": {"name": duty.name, "phone": duty.phone} if duty else None}


def month_rows(cal: calendar.Calendar, month: str) -> list[dict]:
    """Every day of month (YYYY-MM), in order."""
    year, number = map(int, month.split("-"))
    day = dt.date(year, number, 1)
    found = []
    while day.month == number:
        found.append(day_row(cal, day))
        day += dt.timedelta(days=1)
    return found


def month_text(cal: calendar.Calendar, month: str, rows: list[dict]) -> str:
    """The terminal table of `calendar show`."""
    head = [_("date"), _("day"), _("working"), _("holiday"), _("on duty")]
    lines = [[row["date"], _(WEEKDAYS[row["weekday"] - 1]), _("yes") if row["working"] else _("no"),
              _name(row), _who(row["duty"])] for row in rows]
    hours = ", ".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in cal.hours)
    title = _("{month}: {n} working days; working hours {hours}").format(
        month=month, n=sum(row["working"] for row in rows), hours=hours)
    return title + "\n" + cjk.table(head, lines)


def _name(row: dict) -> str:
    if row["makeup"]:
        return _("{name} (make-up workday)").format(name=row["name"])
    return row["name"] or ""


def _who(duty: dict | None) -> str:
    return f"{duty['name']} {duty['phone']}" if duty else "-"


def duty_text(row: dict) -> str:
    """Who to phone on the night of row's day (and all day when it is off)."""
    if row["duty"] is None:
        return _("nobody is on duty on {day} in calendar.yaml; add the roster under duty").format(day=row["date"])
    when = _("from closing time") if row["working"] else _("all day")
    return _("on duty {day} ({when}): {who}").format(day=row["date"], when=when, who=_who(row["duty"]))


def seed(office, year: int) -> str:
    """Add year's holidays from chinese-calendar to calendar.yaml and commit it; what was done, in one line."""
    with office.lock():
        path, days_off, makeup = holidays.seed(office.root, year)
        if office.in_git:
            from repairctl.store import commits

            commits.commit(office.root, [calendar.FILE], f"calendar: {year} 年法定节假日和调休（chinese-calendar）",
                           author=None)
    return _("{path}: added {year}'s {holidays} holidays and {workdays} make-up workdays from chinese-calendar").format(
        path=path, year=year, holidays=days_off, workdays=makeup)
