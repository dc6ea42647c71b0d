"""The company's total of the offices' monthly reports: monthly's keys, for the company as one desk.

Counts and amounts are added up (amounts exactly, as Decimals to the fen). Every rate is made
again from the summed counts (so it is weighted by orders, clocks or answers, never an average
of the offices' rates): completion, each clock's on-time rate, callback coverage, satisfaction,
rework. What the offices' reports cannot give exactly is left null rather than guessed:
``minutes.*.p90`` (a percentile of several offices needs their orders) and the breakdowns'
``on_time`` (they hold no counts of clocks). Average minutes are weighted by their counts.
Lists of orders are joined, each entry with its office's ``site``. The targets are the strictest
any office sets; the callback sample's is the sum of the offices' samples. docs/rollup.md says it all.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

from repairctl.orders import lifecycle
from repairctl.reports import complaints, maintenance, stats
from repairctl.text import money

_rate = stats._rate  # monthly's rounding: a total's rate is made as an office's is

GROUP_SUMS = ("count", "finished", "called_back", "satisfied")
GOALS = {"satisfaction": "satisfaction", "on_time_arrival": "on_time", "rework_rate": "rework_rate_max",
         "callback_unit": "callback_unit", "callback_all": "callback_all"}  # targets row -> office.yaml target


def _amount(values) -> Decimal:
    return money.fen(sum(values, Decimal(0)))


def _joined(reports: list[dict], key: str) -> list[dict]:
    """Each office's list under key, one list, each entry naming its office's site."""
    return [{"site": report["site"], **entry} for report in reports for entry in report[key]]


def total(reports: list[dict], name: str, left_out_offices: list[str]) -> dict:
    """The company's total of the offices' reports (see the module docstring)."""
    first = reports[0]
    add = {key: sum(report[key] for report in reports) for key in
           (*stats.COUNTS, "called_back", "satisfied", "rework_count")}
    done = {
        "office": {"site": "", "name": name},
        "month": first["month"],
        "period": _period([report["period"] for report in reports]),
        "as_of": first["as_of"],
        **{key: add[key] for key in ("received", "finished", "open")},
        "open_by_status": {status: sum(r["open_by_status"][status] for r in reports) for status in lifecycle.OPEN},
        "open_orders": _joined(reports, "open_orders"),
        "cancelled": add["cancelled"], "referred": add["referred"], "declined": add["declined"],
        "completion_rate": _rate(add["finished"], add["finished"] + add["open"]),
        "on_time": _clocks(reports),
        "minutes": {key: _minutes([report["minutes"][key] for report in reports]) for key in first["minutes"]},
        "callback_coverage": {scope: _coverage([report["callback_coverage"][scope] for report in reports])
                              for scope in first["callback_coverage"]},
        "callback_sample": _sample([report["callback_sample"] for report in reports]),
        "unsatisfied": _joined(reports, "unsatisfied"),
        "called_back": add["called_back"], "satisfied": add["satisfied"],
        "satisfaction_rate": _rate(add["satisfied"], add["called_back"]),
        "rework_count": add["rework_count"], "rework_rate": _rate(add["rework_count"], add["received"]),
        "rework": _joined(reports, "rework"),
        "fees": _fees(reports),
        "by_category": _groups(reports, "by_category", ("category", "name")),
        "by_item": _groups(reports, "by_item", ("code", "name", "category")),
        "uncovered": _joined(reports, "uncovered"),
        "suppliers": _suppliers(reports),
        "by_technician": _joined(reports, "by_technician"),
        "by_channel": _groups(reports, "by_channel", ("channel",)),
        **_issue15(reports),
        "planned": maintenance.total(reports),  # 计划完成率 (issue 16 §2)
        "complaints": complaints.total(reports),  # 投诉 (issue 15 §3)
    }
    done["targets"] = stats._targets(done, _goal(reports))  # the one place a report's targets are judged
    done["left_out"] = {"count": sum(report["left_out"]["count"] for report in reports),
                        "files": [os.path.join(report["folder"], name) for report in reports
                                  for name in report["left_out"]["files"]],
                        "offices": left_out_offices}
    # provenance: each office names its own commit and office.yaml (offices[n]); the company has none of
    # its own, and is as reproducible as its least: null when any office was read outside git
    unread = [report.get("uncommitted") for report in reports]
    done.update(commit=None, settings=None, uncommitted=None if None in unread else
                [os.path.join(report["folder"], name) for report in reports for name in report["uncommitted"]])
    return done


def _issue15(reports: list[dict]) -> dict:
    """Delays, inspections, sign-offs and the work-time standard: counts summed, rates made again from them."""
    def added(key, *names):
        return {name: sum(report[key][name] for report in reports) for name in names}

    inspection = added("inspection", "inspected", "first_pass", "rework")
    inspection["first_pass_rate"] = _rate(inspection["first_pass"], inspection["inspected"])
    worktime = added("worktime", "measured", "met")
    worktime["rate"] = _rate(worktime["met"], worktime["measured"])
    signoff = added("signoff", "signed", "unsigned", "not_recorded")
    signoff["unsigned_orders"] = [{"site": report["site"], **entry} for report in reports
                                  for entry in report["signoff"]["unsigned_orders"]]
    return {"delayed": sum(report["delayed"] for report in reports), "inspection": inspection,
            "signoff": signoff, "worktime": worktime}


def _period(periods: list[dict]) -> dict:
    """From the earliest start to the latest end: the offices' periods differ only by their cutoff days."""
    def when(text):
        return dt.datetime.fromisoformat(text)

    cutoffs = {period["cutoff_day"] for period in periods}
    return {"start": min((p["start"] for p in periods), key=when), "end": max((p["end"] for p in periods), key=when),
            "first_day": min(p["first_day"] for p in periods), "last_day": max(p["last_day"] for p in periods),
            "cutoff_day": cutoffs.pop() if len(cutoffs) == 1 else None,
            "months": sorted({month for period in periods for month in period.get("months", ())})}


def _clocks(reports: list[dict]) -> dict:
    """Each clock kind's met, missed and open summed, and its on-time rate made from them."""
    kinds = list(dict.fromkeys(kind for report in reports for kind in report["on_time"]))
    clocks = {}
    for kind in kinds:
        found = [report["on_time"][kind] for report in reports if kind in report["on_time"]]
        met, missed, still = (sum(clock[key] for clock in found) for key in ("met", "missed", "open"))
        clocks[kind] = {"met": met, "missed": missed, "open": still, "rate": _rate(met, met + missed)}
    return clocks


def _minutes(figures: list[dict]) -> dict:
    """Minutes of all offices: the count, the average weighted by the counts; no percentile (see above)."""
    counted = [figure for figure in figures if figure["count"]]
    count = sum(figure["count"] for figure in counted)
    average = round(sum(f["average"] * f["count"] for f in counted) / count, 1) if count else None
    return {"count": count, "average": average, "p90": None}


def _coverage(figures: list[dict]) -> dict:
    finished, called = sum(f["finished"] for f in figures), sum(f["called_back"] for f in figures)
    return {"finished": finished, "called_back": called, "rate": _rate(called, finished)}


def _sample(samples: list[dict]) -> dict:
    """Every office calls back its own sample (004 §5.4.3): the required households add up; share is the result."""
    households, required = sum(s["households"] for s in samples), sum(s["required"] for s in samples)
    return {"households": households, "share": _rate(required, households), "required": required,
            "called_back": sum(s["called_back"] for s in samples)}


def _fees(reports: list[dict]) -> dict:
    fees = [report["fees"] for report in reports]
    return {
        "materials": _amount(f["materials"] for f in fees), "labour": _amount(f["labour"] for f in fees),
        "waived": {"total": _amount(f["waived"]["total"] for f in fees),
                   "approvals": [{"site": r["site"], **a} for r in reports for a in r["fees"]["waived"]["approvals"]]},
        "pending": {"count": sum(f["pending"]["count"] for f in fees),
                    "amount": _amount(f["pending"]["amount"] for f in fees),
                    "ids": [order_id for f in fees for order_id in f["pending"]["ids"]]},
        "due": _amount(f["due"] for f in fees),
        "collected": _amount(f["collected"] for f in fees), "outstanding": _amount(f["outstanding"] for f in fees),
    }


def _groups(reports: list[dict], key: str, lead: tuple[str, ...]) -> list[dict]:
    """One breakdown of every office, its groups with the same lead fields added up."""
    merged: dict[tuple, dict] = {}
    for report in reports:
        for group in report[key]:
            into = merged.setdefault(tuple(group[f] for f in lead), dict.fromkeys(GROUP_SUMS, 0))
            for field in GROUP_SUMS:
                into[field] += group[field]
    return [{**dict(zip(lead, leads, strict=True)), "count": g["count"], "finished": g["finished"], "on_time": None,
             "called_back": g["called_back"], "satisfied": g["satisfied"],
             "satisfaction": _rate(g["satisfied"], g["called_back"])} for leads, g in merged.items()]


def _suppliers(reports: list[dict]) -> list[dict]:
    """Supplier jobs of every office by code, most first."""
    merged: dict[str, dict] = {}
    for report in reports:
        for job in report["suppliers"]:
            into = merged.setdefault(job["code"], {**job, "count": 0, "ids": []})
            into["count"] += job["count"]
            into["ids"] = into["ids"] + job["ids"]
    return sorted(merged.values(), key=lambda job: (-job["count"], job["code"]))


def _goal(reports: list[dict]) -> dict:
    """The strictest target any office sets for each measure (the highest least, the lowest most)."""
    goal: dict[str, float] = {}
    for report in reports:
        for target in report["targets"]:
            key = GOALS.get(target["measure"])
            if key is not None:
                pick = max if target["compare"] == ">=" else min
                goal[key] = pick(goal.get(key, target["target"]), target["target"])
    return goal
