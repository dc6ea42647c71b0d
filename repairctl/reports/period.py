"""The period a report covers (统计期间): a month or an ISO week, as one small value.

003 §4.1.4.3 asks for the figures 每周、每月: a report's period is named by its label, "2026-10"
for a month or "2026-W45" for an ISO week, and ``of`` turns a label into a Period whose start
(inclusive) and end (exclusive) are aware datetimes in the office's timezone. Everything that
makes a report (stats, asof, verify) takes the label, so a month and a week go one code path.

- a month: [1st 00:00, next 1st 00:00); with office.yaml ``report: {cutoff_day: N}`` from day
  N+1 of the previous month to the end of day N (003 §4.1.3.2, the finance desk's month).
- a week: ISO 8601, Monday 00:00 to the next Monday 00:00 in office time; its year is the ISO
  week-numbering year (2026-W01 starts Monday 2025-12-29; week 53 exists only in a year whose
  ISO calendar has it, e.g. 2020 and 2026, not 2025). cutoff_day is a month's: a week ignores it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from repairctl.errors import RepairError
from repairctl.text import terms
from repairctl.text.i18n import _

MONTH, WEEK = "month", "week"
WEEK_RE = re.compile(r"(\d{4})-W(\d{2})")  # a week's label, as `report --week` hands it on
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """A report's period: kind (month|week), label, and start/end (end exclusive) in office time."""

    kind: str
    label: str
    start: dt.datetime
    end: dt.datetime

    @property
    def first_day(self) -> dt.date:
        return self.start.date()

    @property
    def last_day(self) -> dt.date:
        return (self.end - DAY).date()

    @property
    def months(self) -> list[str]:
        """The months (YYYY-MM) the period touches, oldest first: their folders hold its orders."""
        found, day = [], self.start.date().replace(day=1)
        while day < self.end.date():
            found.append(f"{day:%Y-%m}")
            day = (day + dt.timedelta(days=32)).replace(day=1)
        return found


def week_label(year: int, number: int) -> str:
    """2026-W45 for week number of ISO year; RepairError (one line) for a week that year has not."""
    try:
        dt.date.fromisocalendar(year, number, 1)
    except ValueError:
        if 1 <= number <= 53 and 1 <= year <= 9999:  # only week 53 of a year with 52 can fail here
            raise RepairError(_("{year} has no week 53 (its ISO weeks run 1 to 52); write {year}-W52 or "
                                "{next}-W01").format(year=year, next=year + 1)) from None
        raise RepairError(_("week {number} of {year} does not exist: ISO weeks run 1 to 52 (53 in some years); "
                            "write it as 2026-W45").format(number=number, year=year)) from None
    return f"{year:04d}-W{number:02d}"


def of(label: str, tz: dt.tzinfo, cutoff: int | None = None) -> Period:
    """The Period a label names ('YYYY-MM' or 'YYYY-Www'), in office time; cutoff_day applies to a month only."""
    week = WEEK_RE.fullmatch(label)
    if week:
        monday = dt.date.fromisocalendar(int(week[1]), int(week[2]), 1)
        sunday = monday + dt.timedelta(days=6)
        # from dates, not by adding 7 days to an aware time: a zone's midnight may move (DST)
        return Period(WEEK, label, _midnight(monday, tz), _midnight(sunday + DAY, tz))
    year, mon = map(int, label.split("-"))
    prev_year, prev_mon = (year, mon - 1) if mon > 1 else (year - 1, 12)
    if cutoff:
        return Period(MONTH, label, dt.datetime(prev_year, prev_mon, cutoff, tzinfo=tz) + DAY,
                      dt.datetime(year, mon, cutoff, tzinfo=tz) + DAY)
    next_year, next_mon = (year, mon + 1) if mon < 12 else (year + 1, 1)
    return Period(MONTH, label, dt.datetime(year, mon, 1, tzinfo=tz), dt.datetime(next_year, next_mon, 1, tzinfo=tz))


def _midnight(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=tz)


def mark(report: dict, label: str) -> None:
    """Make a week's report say so: "month" null (a week is no month), period.kind and period.label,
    period.cutoff_day null (a week ignores it).

    A month's report is left exactly as `monthly` always made it (its JSON consumers read it so).
    """
    if WEEK_RE.fullmatch(label):
        report["month"] = None
        report["period"].update(cutoff_day=None, kind=WEEK, label=label)


def label_of(report: dict) -> str:
    """The label of the period a report covers: 2026-10 or 2026-W45."""
    return report["period"].get("label") or report["month"]


def is_week(report: dict) -> bool:
    """Whether a report is of a week."""
    return report["period"].get("kind") == WEEK


def title(report: dict) -> str:
    """The workbook's heading: 示例管理处 2026年10月 维修服务月度统计, or (a week) 示例管理处 维修服务周报
    2026年第45周（11月2日—11月8日）."""
    r, label = terms.REPORT, label_of(report)
    if not is_week(report):
        when = r["month_title"].format(year=label[:4], month=int(label[5:7]))
        return f"{report['office']['name']} {when} {r['title']}".strip()
    first, last = (dt.date.fromisoformat(report["period"][k]) for k in ("first_day", "last_day"))
    # the year said once, unless the week runs into the next (2026-W01: 2025年12月29日—2026年1月4日)
    shown = (f"{first.month}月{first.day}日", f"{last.month}月{last.day}日") if first.year == last.year else \
        (f"{first.year}年{first.month}月{first.day}日", f"{last.year}年{last.month}月{last.day}日")
    when = r["week_title"].format(year=label[:4], week=int(label[6:]), first=shown[0], last=shown[1])
    return f"{report['office']['name']} {r['week_name']} {when}".strip()
