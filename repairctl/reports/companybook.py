"""The company workbook (公司汇总): the rollup of several offices' months as an Excel file.

Sheets: 公司汇总, a row per office with its figures, each target's value, target and 达标/未达标,
and the total (合计) made by ``total.py``; 排名, the offices best first; then a sheet per office,
its monthly summary as the monthly workbook writes it (``workbook._summary``). Cells are written
by the monthly workbook's own helpers, so text stays text and numbers keep their formats.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from repairctl.reports import provenance, stats
from repairctl.reports.rollup import Rollup, results
from repairctl.reports.workbook import (  # the monthly workbook's cell, table and page helpers, shared
    BAD,
    GOOD,
    INT,
    MONEY,
    PERCENT,
    SIGN,
    _fit,
    _header,
    _heading,
    _print,
    _put,
    _summary,
    _table,
)
from repairctl.text import terms

FIRST = 5  # the summary's first office row, under the title, the period and the header
SHEET_NAME = re.compile(r"[\[\]:*?/\\']")  # what Excel refuses in a sheet's name
FIGURES = (*((key, INT) for key in stats.COUNTS), ("completion_rate", PERCENT))
AFTER = (("rework_count", INT, lambda r: r["rework_count"]), ("due", MONEY, lambda r: r["fees"]["due"]),
         ("pending_amount", MONEY, lambda r: r["fees"]["pending"]["amount"]),
         ("worktime_rate", PERCENT, lambda r: r["worktime"]["rate"]),
         ("first_pass_rate", PERCENT, lambda r: r["inspection"]["first_pass_rate"]),
         ("inspection_rework", INT, lambda r: r["inspection"]["rework"]), ("delayed", INT, lambda r: r["delayed"]),
         ("planned_rate", PERCENT, lambda r: r["planned"]["rate"]),
         ("complaints_received", INT, lambda r: r["complaints"]["received"]),
         ("complaints_in_time_rate", PERCENT, lambda r: r["complaints"]["in_time_rate"]))


def _labels(report: dict) -> list[str]:
    """The summary's header: who, the figures, each target's value, target and result, money, targets met."""
    m, r, c = terms.MEASURE, terms.REPORT, terms.COMPANY
    labels = [c["rank"], c["site"], c["office"], *(m[key] for key, _ in FIGURES)]
    for target in report["targets"]:
        labels += [m[target["measure"]], m[target["measure"]] + r["target"], m[target["measure"]] + r["result"]]
    return [*labels, *(m[key] for key, _, _ in AFTER), c["met"]]


def _row(ws, row: int, report: dict, lead: tuple) -> None:
    """One office's (or the total's) row of the summary."""
    r = terms.REPORT
    cells = [(value, None) for value in lead] + [(report[key], fmt) for key, fmt in FIGURES]
    for target in report["targets"]:
        fmt = INT if target["measure"] == "callback_sample" else PERCENT
        sign, passed = SIGN.get(target["compare"], ""), target["passed"]
        cells += [(target["value"], fmt), (target["target"], f'"{sign} "{fmt}' if sign else fmt),
                  (r["no_data"] if passed is None else r["passed"] if passed else r["failed"], None)]
    met, missed = results(report)
    cells += [(value(report), fmt) for _, fmt, value in AFTER] + [(f"{met}/{met + missed}", None)]
    for col, (value, fmt) in enumerate(cells, 1):
        _put(ws, row, col, value, fmt)


def _company_summary(ws, done: Rollup) -> None:
    """The sheet a manager reads first: every office, the total, and what was left out."""
    r, c = terms.REPORT, terms.COMPANY
    period = done.total["period"]
    when = r["month_title"].format(year=done.month[:4], month=int(done.month[5:7]))
    _put(ws, 1, 1, f"{done.name} {when} {c['title']}".strip()).font = Font(bold=True, size=14)
    _put(ws, 2, 1, f"{r['period']}: {period['first_day']} {r['to']} {period['last_day']}")
    labels = _labels(done.offices[0])
    _header(ws, FIRST - 1, labels)
    for row, report in enumerate(done.offices, FIRST):
        _row(ws, row, report, (report["rank"], report["site"], report["office"]["name"]))
    last = FIRST + len(done.offices)
    _row(ws, last, done.total, ("", "", c["total"]))
    for cell in ws[last]:
        cell.font = Font(bold=True)
    left = done.total["left_out"]
    if left["count"] or left["offices"]:  # figures made without some offices or files: say so where they are read
        note = c["left_out"].format(offices=len(left["offices"]), files=left["count"])
        _put(ws, last + 2, 1, note).font = Font(bold=True, color="C00000")
        named = [(c["left_out_office"], line) for line in left["offices"]]
        named += [(r["left_out_file"], name) for name in left["files"]]
        for offset, (label, line) in enumerate(named, last + 3):
            _put(ws, offset, 1, label)
            _put(ws, offset, 2, line)
    area = f"A{FIRST}:{get_column_letter(len(labels))}{last}"
    for word, colour in ((r["passed"], GOOD), (r["failed"], BAD)):
        ws.conditional_formatting.add(area, CellIsRule(operator="equal", formula=[f'"{word}"'],
                                                       fill=PatternFill("solid", bgColor=colour)))
    for row in ws.iter_rows(min_row=FIRST, max_row=last, min_col=4):
        for cell in row:
            cell.alignment = Alignment(horizontal="center")
    ws.freeze_panes = f"D{FIRST}"  # the office's name stays in view while scrolling right
    ws.print_title_rows = f"{FIRST - 1}:{FIRST - 1}"  # every printed page repeats the header
    ws.auto_filter.ref = f"A{FIRST - 1}:{get_column_letter(len(labels))}{last - 1}"
    _fit(ws, skip_rows=2)


def _ranking(ws, done: Rollup) -> None:
    """The offices best first: rank, targets met and missed, completion and satisfaction."""
    m, c = terms.MEASURE, terms.COMPANY
    rows = [[o["rank"], o["site"], o["office"]["name"], *results(o), o["completion_rate"], o["satisfaction_rate"]]
            for o in sorted(done.offices, key=lambda o: (o["rank"], o["site"]))]
    _table(ws, [c["rank"], c["site"], c["office"], c["met"], c["missed"], m["completion_rate"], m["satisfaction"]],
           rows, (INT, None, None, INT, INT, PERCENT, PERCENT))


def sheet_name(report: dict) -> str:
    """HQ 翠苑管理处, as Excel allows a sheet's name (31 characters, none of []:*?/\\ ')."""
    return SHEET_NAME.sub("", f"{report['site']} {report['office']['name']}".strip())[:31].strip()


def write_company_book(done: Rollup, path) -> Path:
    """Write the company workbook to path (.xlsx) and return the path."""
    book = Workbook()
    summary = book.active
    summary.title = terms.COMPANY["summary"]
    _company_summary(summary, done)
    _ranking(book.create_sheet(terms.COMPANY["ranking"]), done)
    heading = f"{done.name} {terms.COMPANY['title']} {done.month}".strip()
    for ws in (summary, book[terms.COMPANY["ranking"]]):
        _print(ws, heading)
    for report in done.offices:
        ws = book.create_sheet(sheet_name(report))
        _summary(ws, report)
        provenance.write_lines(ws, report)  # each office's figures name the commit they were made from
        _print(ws, _heading(report), one_page=True)
    path = Path(path)
    book.save(path)
    return path
