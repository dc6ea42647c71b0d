"""Planned maintenance in the monthly report (issue 16 §2): 计划完成率 and the faults planned jobs found.

A planned job is received on its due day (orders/planned.py), so the jobs due in the report period are
the planned ones received in it. 计划完成率 = those done by the end of their due day / those due.
"""

from __future__ import annotations

from repairctl.orders import planned
from repairctl.reports.rates import rate
from repairctl.text import terms
from repairctl.text.i18n import _

FAULTS_SHOWN = 5  # on the terminal; the JSON lists every one


def figures(report: dict, orders: list) -> None:
    """Add report["planned"]: due, done, on_time, rate (None when nothing fell due), open, faults."""
    jobs = [o for o in orders if o.get("plan") is not None and o.status != "cancelled"]
    on_time = done = 0
    for job in jobs:
        finished, deadline = job.time_of("finished", last=False), planned.deadline(job)
        done += finished is not None
        on_time += bool(finished and deadline and finished.timestamp() < deadline.timestamp())
    found = [fault for job in jobs for fault in planned.faults(job)]
    report["planned"] = {"due": len(jobs), "done": done, "on_time": on_time,
                         "rate": rate(on_time, len(jobs)),
                         "open": [job.id for job in jobs if job.time_of("finished", last=False) is None],
                         "faults": {"count": len(found), "list": found}}


def summary_lines(report: dict) -> list[str]:
    """The terminal summary's lines: 计划完成率 (on time / due) and each fault found (the first few)."""
    got = report.get("planned")
    if not got or not got["due"]:
        return []

    def m(key):
        return terms.shown(terms.MEASURE, key)

    rate = "—" if got["rate"] is None else f"{got['rate']:.1%}"
    lines = [f"{m('planned_due')} {got['due']}  {m('planned_rate')} {rate} ({got['on_time']}/{got['due']})  "
             f"{m('planned_faults')} {got['faults']['count']}"]
    for fault in got["faults"]["list"][:FAULTS_SHOWN]:
        repairs = ", ".join(fault["repairs"])
        lines.append(_("fault: {id} {where} {item}: {note}").format(**fault) + (f" → {repairs}" if repairs else ""))
    return lines


def sheet_rows(report: dict, integer: str, percent: str) -> list[tuple]:
    """The summary sheet's rows (measure key, value, number format)."""
    got = report["planned"]
    return [("planned_due", got["due"], integer), ("planned_on_time", got["on_time"], integer),
            ("planned_rate", got["rate"], percent), ("planned_faults", got["faults"]["count"], integer)]


def total(reports: list[dict]) -> dict:
    """The company's planned maintenance (rollup): counts summed, the rate made again from them, lists joined
    (each entry naming its office's site)."""
    got = [report["planned"] for report in reports]
    due, on_time = sum(g["due"] for g in got), sum(g["on_time"] for g in got)
    faults = [{"site": report["site"], **fault} for report in reports for fault in report["planned"]["faults"]["list"]]
    return {"due": due, "done": sum(g["done"] for g in got), "on_time": on_time,
            "rate": rate(on_time, due),
            "open": [job for g in got for job in g["open"]], "faults": {"count": len(faults), "list": faults}}
