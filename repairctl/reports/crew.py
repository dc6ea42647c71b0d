"""The per-technician figures the workbook's 按维修人员 adds (issue 15 §6): 返工, the failed inspections of
each technician's jobs (inspection.py counts them for the office), beside the jobs, the work-time standard
and the callbacks' satisfaction the sheet has already.
"""

from __future__ import annotations

from repairctl.text import terms


def figures(report: dict, orders) -> None:
    """Add each by_technician row's rework: the failed inspections of the orders the technician holds."""
    failed: dict[str, int] = {}
    for o in orders:
        count = sum(e.get("action") == "inspected" and e.get("passed") is False for e in o.events)
        if count and o.get("technician"):
            failed[str(o.get("technician"))] = failed.get(str(o.get("technician")), 0) + count
    for row in report.get("by_technician", []):
        row["rework"] = failed.get(row["technician"], 0)


def columns(labels: list, rows: list[list], formats: tuple, groups: list[dict], *, integer: str):
    """The technician sheet's labels, rows and formats with the 返工 column added."""
    return ([*labels, terms.MEASURE["inspection_rework"]],
            [[*row, g.get("rework", 0)] for row, g in zip(rows, groups, strict=True)], (*formats, integer))
