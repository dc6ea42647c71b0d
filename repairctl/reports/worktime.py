"""The monthly figures of the close (issue 14): the owner's sign-off and the catalogue's work-time
standard (标准工时达标率), for the office, per item and per technician.

Counted over the orders the monthly report counts (received in the period) that are finished. A job
is measured against its item's standard (orders/standard.py) when both its arrival and its finish are
recorded; a per-metre or per-unit job closed without its quantity, and an item without a standard
(视维修部位定, or none written), is not measured. stats.month_report adds these figures to its report;
views.py and workbook.py show them.
"""

from __future__ import annotations

from repairctl.orders import standard
from repairctl.orders.records import Order
from repairctl.reports.rates import rate as _rate
from repairctl.text import terms
from repairctl.text.i18n import _

FINISHED = ("finished", "called_back")



def _standards(orders, catalogue) -> list[standard.Standard]:
    found = (standard.of(o, catalogue) for o in orders if o.status in FINISHED)
    return [s for s in found if s is not None and s.met() is not None]


def _score(measured: list[standard.Standard]) -> dict:
    met = sum(1 for s in measured if s.met())
    return {"measured": len(measured), "met": met, "rate": _rate(met, len(measured))}


def signoff(orders: list[Order]) -> dict:
    """How the finished jobs were signed for: by whom recorded, unsigned (with the reasons), not recorded."""
    finished = [o for o in orders if o.status in FINISHED]
    unsigned = [o for o in finished if o.get("unsigned") and not o.get("signed_by")]
    signed = sum(1 for o in finished if o.get("signed_by"))
    return {"signed": signed, "unsigned": len(unsigned), "not_recorded": len(finished) - signed - len(unsigned),
            "unsigned_orders": [{"id": o.id, "unit": o.get("unit"), "technician": o.get("technician"),
                                 "reason": o.get("unsigned")} for o in unsigned]}


def figures(report: dict, orders: list[Order], catalogue) -> None:
    """Add the sign-off and the work-time standard to a monthly report: the office's, each item's (by_item)
    and each technician's (by_technician)."""
    measured = _standards(orders, catalogue)
    report["signoff"] = signoff(orders)
    report["worktime"] = _score(measured)
    for row in report.get("by_item", []):
        item = catalogue.items.get(row["code"])
        row["standard"] = item.limit_text() if item else ""
        row["worktime"] = _score([s for s in measured if s.item == row["code"]])
    for row in report.get("by_technician", []):
        row["worktime"] = _score([s for s in measured if s.technician == row["technician"]])


# the workbook's extra columns on the sheets 按项目 and 按维修人员 (terms.REPORT's words)
COLUMNS = ("worktime_measured", "worktime_met", "worktime_rate")


def columns(labels: list, rows: list[list], formats: tuple, groups: list[dict], *, integer: str, percent: str,
            with_standard: bool = False) -> tuple[list, list[list], tuple]:
    """A group sheet's labels, rows and formats with the work-time columns added (and the item's standard)."""
    extra = (["standard"] if with_standard else []) + list(COLUMNS)
    labels = [*labels, *(terms.REPORT[k] for k in extra)]
    rows = [[*row, *([g.get("standard", "")] if with_standard else []), g["worktime"]["measured"],
             g["worktime"]["met"], g["worktime"]["rate"]] for row, g in zip(rows, groups, strict=True)]
    formats = (*formats, *((None,) if with_standard else ()), integer, integer, percent)
    return labels, rows, formats


ITEMS_SHOWN = 10  # the terminal summary must fit a screen; the workbook's sheet 按项目 has every item


def _share(score: dict) -> str:
    rate = "—" if score["rate"] is None else f"{score['rate']:.1%}"
    return f"{rate} ({score['met']}/{score['measured']})"


def summary_lines(report: dict) -> list[str]:
    """The terminal summary's lines of the sign-off and the work-time standard, per technician and item."""
    def m(key):
        return terms.shown(terms.MEASURE, key)

    sign = report["signoff"]
    lines = [f"{m('signed')} {sign['signed']}  {m('unsigned')} {sign['unsigned']}  "
             f"{m('worktime_rate')} {_share(report['worktime'])}"]
    people = [f"{row['technician']} {_share(row['worktime'])}" for row in report["by_technician"]
              if row["worktime"]["measured"]]
    if people:
        lines.append(_("work-time standard by technician: {scores}").format(scores=", ".join(people)))
    items = [f"{row['code']} {_share(row['worktime'])}" for row in report["by_item"] if row["worktime"]["measured"]]
    if items:
        more = len(items) - ITEMS_SHOWN
        shown = ", ".join(items[:ITEMS_SHOWN]) + (" …" if more > 0 else "")
        lines.append(_("work-time standard by item: {scores}").format(scores=shown))
    return lines
