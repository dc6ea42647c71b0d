"""The 12-month trend of the workbook (近12个月趋势, issue 15 §6): the report's month and the 11 before it;
a week's report (report --week) has the 12-week trend instead, its week and the 11 before.

Each month's row holds its counts and main rates, made as the month's own report makes them (the
orders received in its period, clocks judged at the report's ``as_of``, rework within the warranty):
received, finished, open, completion_rate, the on-time rate of each targeted clock, satisfaction,
rework_rate, callback_unit, callback_all and worktime_rate. The report's month is taken from the
report itself; the 11 before are made from one read of their orders, with only what the rates need
(no breakdowns, fees or samples), so the trend costs about as much again as the month's own figures.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from repairctl.office import settings
from repairctl.orders import query, sla
from repairctl.reports import memo, stats, worktime
from repairctl.reports import period as periods

MONTHS = 12
# the rates of a row, each with the report's key it comes from (and the target it is held to, if any)
RATES = ("completion_rate", "satisfaction", "on_time_arrival", "on_time_appointment", "on_time_finish",
         "on_time_callback", "rework_rate", "callback_unit", "callback_all", "worktime_rate")
COUNTS = ("received", "finished", "open")


def window(month: str, count: int = MONTHS) -> list[str]:
    """The periods of the trend ending with month (a label: YYYY-MM, or a week's YYYY-Www), oldest first."""
    if week := periods.WEEK_RE.fullmatch(month):
        monday = dt.date.fromisocalendar(int(week[1]), int(week[2]), 1)
        return [periods.week_label(*(monday - dt.timedelta(weeks=n)).isocalendar()[:2])
                for n in range(count - 1, -1, -1)]
    first = dt.date(int(month[:4]), int(month[5:7]), 1)
    return [f"{first - relativedelta(months=n):%Y-%m}" for n in range(count - 1, -1, -1)]


def row(report: dict) -> dict:
    """A month's trend row out of its full report (stats.month_report)."""
    coverage = report["callback_coverage"]
    rates = {"completion_rate": report["completion_rate"], "satisfaction": report["satisfaction_rate"],
             **{f"on_time_{k}": report["on_time"][k]["rate"] for k in sla.TARGETED},
             "rework_rate": report["rework_rate"], "callback_unit": coverage["unit"]["rate"],
             "callback_all": coverage["all"]["rate"], "worktime_rate": report["worktime"]["rate"]}
    return {"month": periods.label_of(report), **{k: report[k] for k in COUNTS}, **rates}


def _figures(dated: list, office_like, month: str, levels, as_of, rework: set) -> tuple[dict, str | None]:
    """A month's trend row made from its orders as month_report would, but only the trend's figures; and
    from when on it holds: None while a targeted clock is open and not yet late (a later time may find it
    late), else the time every open clock is late by ('' when none is open)."""
    start, end = stats.period(month, office_like.tz, stats.cutoff_day(office_like.config))
    mine = [o for o in dated if start <= o.received < end and o.get("plan") is None]  # as stats._select
    verdicts: dict[str, list] = {k: [] for k in sla.TARGETED}
    late_by: list[dt.datetime] = []  # when each open clock became late (a verdict that no later time changes)
    for o in mine:
        for c in sla.obligations(o, levels):
            if c.kind in verdicts:
                verdicts[c.kind].append(found := stats.verdict(c, as_of))
                if c.done is None:
                    late_by.append(sla.later(c.due, c.grace + sla.MINUTE) if found is False else None)
    finished = [o for o in mine if o.status in stats.FINISHED]
    n_open = sum(o.status in stats.OPEN for o in mine)
    answers = [a for o in mine if (a := stats._answer(o)) is not None]
    units = [o for o in finished if o.get("scope", "unit") == "unit"]
    measured = worktime._score(worktime._standards(mine, office_like.catalogue))
    return {"month": month, "received": len(mine), "finished": len(finished), "open": n_open,
            "completion_rate": stats._rate(len(finished), len(finished) + n_open),
            "satisfaction": stats._rate(answers.count(True), len(answers)),
            **{f"on_time_{k}": stats._on_time(v)["rate"] for k, v in verdicts.items()},
            "rework_rate": stats._rate(sum(o.id in rework for o in mine), len(mine)),
            "callback_unit": stats._coverage(units)["rate"], "callback_all": stats._coverage(finished)["rate"],
            "worktime_rate": measured["rate"]}, (None if None in late_by else
                                                 max(late_by).astimezone(dt.UTC).isoformat() if late_by else "")


def trend(office, report: dict, levels, as_of: dt.datetime) -> list[dict]:
    """The trend rows of the report's month and the 11 before it, oldest first.

    A month whose clocks are all decided for good is kept in the office's derived state (memo.py) under
    the signatures of the files it was made from, and taken from there while none of them changed."""
    months = window(periods.label_of(report))[:-1]
    spans = {m: stats._months(office, m) for m in months}  # (period start, calendar months)
    warranty = relativedelta(months=levels.longest("warranty_months"))
    ends = {m: stats.period(m, office.tz, stats.cutoff_day(office.config))[1] for m in months}
    keys = memo.keys(office, {m: (start - warranty, ends[m], found) for m, (start, found) in spans.items()})
    kept = memo.load(office)
    rows = {m: kept[m]["row"] for m in months if keys[m] and memo.holds(kept.get(m), keys[m], as_of)}
    missing = [m for m in months if m not in rows]
    if missing:
        read = query.for_month(office, sorted({c for m in missing for c in spans[m][1]}),
                               spans[missing[0]][0] - warranty)
        dated = sorted((o for o in read if o.received), key=lambda o: (o.received, o.id))
        firsts = [spans[m][0] for m in missing]
        mine = [o for o in dated if o.received >= firsts[0]]  # rework of every missing month at once
        rework = {r["id"] for r in stats.rework_in(mine, dated, levels, settings.same_forms(office.config))}
        for m in missing:
            rows[m], holds_from = _figures(dated, office, m, levels, as_of, rework)
            if holds_from is not None and keys[m]:
                kept[m] = {"key": keys[m], "row": rows[m], "from": holds_from}
        memo.save(office, kept)
    return [*(rows[m] for m in months), row(report)]
