"""The month's figures of the supervisor's inspection (000 §3.2, 003 §4.2.3.2): 一次验收合格率 and the 返工 count.

一次验收合格率 = orders whose first inspection passed / orders inspected; 返工 counts every failed
inspection (an order sent back twice counts twice). Orders are those the month's report counts (received in
the period).
"""

from __future__ import annotations

from repairctl.orders.records import Order
from repairctl.reports.rates import rate
from repairctl.text import terms


def _inspections(order: Order) -> list[dict]:
    return [e for e in order.events if e.get("action") == "inspected"]


def figures(report: dict, orders: list[Order]) -> None:
    """Add report["inspection"]: inspected, first_pass, first_pass_rate (None when nothing was inspected), rework."""
    firsts = [found[0].get("passed") is True for o in orders if (found := _inspections(o))]
    rework = sum(e.get("passed") is False for o in orders for e in _inspections(o))
    passed = sum(firsts)
    report["inspection"] = {"inspected": len(firsts), "first_pass": passed,
                            "first_pass_rate": rate(passed, len(firsts)), "rework": rework}


def summary_lines(report: dict) -> list[str]:
    """The terminal summary's line: orders inspected, 一次验收合格率 (passed/inspected) and the 返工 count."""
    def m(key):
        return terms.shown(terms.MEASURE, key)

    got = report["inspection"]
    rate = "—" if got["first_pass_rate"] is None else f"{got['first_pass_rate']:.1%}"
    return [f"{m('inspected')} {got['inspected']}  {m('first_pass_rate')} {rate} ({got['first_pass']}/"
            f"{got['inspected']})  {m('inspection_rework')} {got['rework']}"]


def sheet_rows(report: dict, integer: str, percent: str) -> list[tuple]:
    """The summary sheet's rows (measure key, value, number format)."""
    got = report["inspection"]
    return [("inspected", got["inspected"], integer), ("first_pass_rate", got["first_pass_rate"], percent),
            ("inspection_rework", got["rework"], integer)]
