"""The monthly workbook (月度统计表): the report of ``stats`` and its orders as an Excel file.

Sheets and labels are Chinese (from terms.py); numbers, percentages and times are real Excel
values with their formats. Amounts come from ``stats`` as Decimals to the fen, totals already
made exactly; openpyxl writes a Decimal's digits into the file (12.35 stays 12.35). Whatever an
owner or clerk typed is written as text and can never become a formula or an error code (see
``_put``). Phones are masked unless asked otherwise.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.series import SeriesLabel
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill

from repairctl.orders import sla
from repairctl.reports import complaints, crew, extrasheets, inspection, maintenance, provenance, stats, worktime
from repairctl.reports import period as periods
from repairctl.reports.sheets import (  # the cell, table and page helpers (companybook.py takes them from here)
    BAD,
    GOOD,
    INT,
    MINUTES,
    MONEY,
    PERCENT,
    TIME,
)
from repairctl.reports.sheets import fit as _fit
from repairctl.reports.sheets import header as _header
from repairctl.reports.sheets import page as _print
from repairctl.reports.sheets import put as _put
from repairctl.reports.sheets import table as _table
from repairctl.text import terms

CLOCKS = sla.TARGETED
SIGN = {">=": "≥", "<=": "≤"}
CHART_ANCHORS, CHART_SIZE = ("F4", "F19", "F34"), (14, 7)  # beside the tables (A:D), in cm
GROUP_COLUMNS = ("count", "finished", "on_time", "called_back", "satisfied", "satisfaction")
GROUP_FORMATS = (INT, INT, PERCENT, INT, INT, PERCENT)


def mask_phone(phone) -> str:
    """138****5678 for a mobile; a shorter number keeps only its first and last two digits."""
    digits = re.sub(r"\D", "", str(phone or ""))
    if len(digits) >= 11:
        return f"{digits[:3]}****{digits[-4:]}"
    return f"{digits[:2]}****{digits[-2:]}" if len(digits) >= 7 else ("****" if digits else "")


def _summary(ws, report: dict) -> dict:
    """The sheet a manager reads first; returns the rows the charts point at."""
    r, m, p = terms.REPORT, terms.MEASURE, report["period"]
    title = _put(ws, 1, 1, _heading(report))
    title.font = Font(bold=True, size=14)
    as_of = str(report.get("as_of") or "")[:16].replace("T", " ")
    _put(ws, 2, 1, f"{r['period']}: {p['first_day']} {r['to']} {p['last_day']}"
         + (f"  {r['as_of']}: {as_of}" if as_of else ""))
    week = periods.is_week(report)  # 本周, not 本月, above a week's figures
    _header(ws, 4, (r["measure"], r["value_week"] if week else r["value"], r["target"], r["result"]))
    row, at = 5, {}
    for target in report["targets"]:
        fmt = INT if target["measure"] == "callback_sample" else PERCENT
        passed = target["passed"]
        at[target["measure"]] = row
        _put(ws, row, 1, m[target["measure"]])
        _put(ws, row, 2, target["value"], fmt)
        sign = SIGN.get(target.get("compare"), "")
        _put(ws, row, 3, target["target"], f'"{sign} "{fmt}' if sign else fmt)  # ≥ 90.0%, still a number
        verdict = _put(ws, row, 4, r["no_data"] if passed is None else r["passed"] if passed else r["failed"])
        verdict.alignment, row = Alignment(horizontal="center"), row + 1
    last_target = row - 1
    _header(ws, row + 1, (r["figures_week"] if week else r["figures"],
                          r["value_week"] if week else r["value"]))  # after a blank row: the figures without a target
    row += 2
    fees, minutes, sample = report["fees"], report["minutes"], report["callback_sample"]
    plain = [
        *((k, report[k], INT) for k in stats.COUNTS),
        ("completion_rate", report["completion_rate"], PERCENT), ("rework_count", report["rework_count"], INT),
        ("to_arrival_average", minutes["to_arrival"]["average"], MINUTES),
        ("to_arrival_p90", minutes["to_arrival"]["p90"], MINUTES),
        ("to_finish_average", minutes["to_finish"]["average"], MINUTES),
        ("to_finish_p90", minutes["to_finish"]["p90"], MINUTES),
        ("satisfied", report["satisfied"], INT), ("unsatisfied", report["called_back"] - report["satisfied"], INT),
        ("households", sample["households"], INT),
        ("materials", fees["materials"], MONEY), ("labour", fees["labour"], MONEY),
        ("waived", fees["waived"]["total"], MONEY), ("due", fees["due"], MONEY),
        ("pending_count", fees["pending"]["count"], INT), ("pending_amount", fees["pending"]["amount"], MONEY),
        ("collected", fees["collected"], MONEY), ("outstanding", fees["outstanding"], MONEY),
        ("signed", report["signoff"]["signed"], INT), ("unsigned", report["signoff"]["unsigned"], INT),
        ("worktime_rate", report["worktime"]["rate"], PERCENT),
        *inspection.sheet_rows(report, INT, PERCENT),  # 一次验收合格率 and 返工 (issue 15)
        ("delayed", report["delayed"], INT),
        *maintenance.sheet_rows(report, INT, PERCENT),  # 计划完成率 (issue 16 §2)
    ]
    for key, value, fmt in plain:
        at[key] = row
        _put(ws, row, 1, m[key])
        _put(ws, row, 2, value, fmt)
        row += 1
    left_out = report["left_out"]
    if left_out["count"]:  # figures made without some files (--allow-broken): say so where they are read
        _put(ws, row + 1, 1, r["left_out"].format(count=left_out["count"])).font = Font(bold=True, color="C00000")
        for offset, name in enumerate(left_out["files"], start=2):
            _put(ws, row + offset, 1, r["left_out_file"])
            _put(ws, row + offset, 2, name)
    ws.freeze_panes = "A5"
    ws.auto_filter.ref = f"A4:D{last_target}"  # e.g. show only 未达标
    rule = f"D5:D{last_target}"
    for word, colour in ((r["passed"], GOOD), (r["failed"], BAD)):
        ws.conditional_formatting.add(rule, CellIsRule(operator="equal", formula=[f'"{word}"'],
                                                       fill=PatternFill("solid", bgColor=colour)))
    _fit(ws, skip_rows=2)  # the title may run long across the empty columns
    for col, least in zip("BCD", (12, 12, 10), strict=True):  # room for "≥ 100.0%" and the verdict
        ws.column_dimensions[col].width = max(ws.column_dimensions[col].width, least)
    return at


def _heading(report: dict) -> str:
    """示例管理处 2026年10月 维修服务月度统计 (a week's: 示例管理处 维修服务周报 2026年第45周（11月2日—11月8日）)"""
    return periods.title(report)


def _charts(ws, at: dict, category_sheet, categories: int) -> None:
    """Native charts beside the summary tables: orders by category, satisfaction, on-time per clock."""
    r = terms.REPORT

    def plot(chart, title, sheet, first, last, series, labels):
        chart.title = title
        chart.add_data(Reference(sheet, min_col=2, min_row=first, max_row=last))
        names = Reference(sheet, min_col=1, min_row=first, max_row=last)  # text: strRef, not set_categories' numRef
        chart.series[0].cat, chart.series[0].tx = AxDataSource(strRef=StrRef(f=str(names))), SeriesLabel(v=series)
        flags = {"showVal": True, "showCatName": False, "showSerName": False, "showLegendKey": False,
                 "showPercent": False}  # say each one: a missing flag reads as on in some viewers
        chart.dataLabels = DataLabelList(**{**flags, **labels})
        chart.width, chart.height = CHART_SIZE
        if isinstance(chart, BarChart):
            chart.legend, chart.varyColors = None, False
            chart.x_axis.delete = chart.y_axis.delete = False
        return chart

    bar = plot(BarChart(), r["chart_category"], category_sheet, 2, categories + 1, r["count"], {})
    bar.y_axis.scaling.min = 0
    pie = plot(PieChart(), r["chart_satisfaction"], ws, at["satisfied"], at["unsatisfied"], r["called_back"],
               {"showPercent": True, "separator": "; "})
    pie.legend.position = "b"
    first, last = at[f"on_time_{CLOCKS[0]}"], at[f"on_time_{CLOCKS[-1]}"]
    clocks = plot(BarChart(), r["chart_on_time"], ws, first, last, r["on_time"], {"numFmt": "0.0%"})
    clocks.y_axis.number_format, clocks.y_axis.scaling.min, clocks.y_axis.scaling.max = "0%", 0, 1
    extrasheets.target_line(clocks, ws, first, last)  # each clock's target beside its rate
    for chart, anchor in zip((bar, pie, clocks), CHART_ANCHORS, strict=True):
        ws.add_chart(chart, anchor)


def _group_rows(groups, *lead) -> list[list]:
    return [[*(g[k] for k in lead), *(g[k] for k in GROUP_COLUMNS)] for g in groups]


def _group_labels(*lead: str) -> list[str]:
    return [*lead, *(terms.REPORT[k] for k in GROUP_COLUMNS)]


def _item(code, name) -> str:
    """E18 安装开关、插座: the code alone means nothing to a reader."""
    return f"{code} {name or ''}".strip() if code else ""


def _detail_rows(rows: list[dict], full_contacts: bool) -> list[list]:
    r = terms.REPORT
    marks = {True: r["yes"], False: r["no"], None: r["undecided"]}
    out = []
    for o in rows:
        answer = o["satisfied"]
        reason = f": {o['callback_reason']}" if o["callback_reason"] else ""
        callback = "" if answer is None else terms.SATISFIED[answer] + reason
        out.append([
            o["id"], o["received"], o["unit"], o["name"], o["phone"] if full_contacts else mask_phone(o["phone"]),
            o["description"], _item(o["item"], o["item_name"]), o["category"],
            o["technician"], terms.label(terms.STATUS, o["status"]), o["arrived"], o["finished"],
            *(marks[o["clocks"][k]] if k in o["clocks"] else "" for k in CLOCKS),
            o["materials"], o["labour"], o["waived"], r["yes"] if o["fee_pending"] else r["no"], callback,
        ])
    return out


def write_workbook(report: dict, orders_rows: list[dict], path, *, full_contacts: bool = False,
                   allow_broken: bool = False) -> Path:
    """Write the monthly workbook to path (.xlsx) and return the path; it says what it was made from
    (provenance.write), so that `monthly --verify` can make it again."""
    r, s = terms.REPORT, terms.SHEET
    book = Workbook()
    summary = book.active
    summary.title = s["summary"]
    at = _summary(summary, report)
    provenance.write(book, summary, report, full_contacts=full_contacts, allow_broken=allow_broken)
    category = book.create_sheet(s["category"])
    _table(category, _group_labels(r["category"]), _group_rows(report["by_category"], "name"), (None, *GROUP_FORMATS))
    _table(book.create_sheet(s["item"]), *worktime.columns(
        _group_labels(r["code"], r["item"], r["category"]), _group_rows(report["by_item"], "code", "name", "category"),
        (None, None, None, *GROUP_FORMATS), report["by_item"], integer=INT, percent=PERCENT, with_standard=True))
    _table(book.create_sheet(s["technician"]), *crew.columns(*worktime.columns(
        _group_labels(r["technician"]), _group_rows(report["by_technician"], "technician"), (None, *GROUP_FORMATS),
        report["by_technician"], integer=INT, percent=PERCENT), report["by_technician"], integer=INT))  # + 返工
    channels = [{**g, "channel": terms.label(terms.CHANNEL, g["channel"])} for g in report["by_channel"]]
    _table(book.create_sheet(s["channel"]), _group_labels(r["channel"]), _group_rows(channels, "channel"),
           (None, *GROUP_FORMATS))
    referrals = extrasheets.uncovered_rows(report)  # grouped by description, most frequent first
    referrals += [[r["supplier"], j["code"], j["name"], j["provider"] or r["provider_none"], j["count"],
                   ", ".join(j["ids"])] for j in report["suppliers"]]
    _table(book.create_sheet(s["suppliers"]), [r[k] for k in ("kind", "code", "name", "provider", "count", "orders")],
           referrals, (None, None, None, None, INT, None))
    unsatisfied = [[u["id"], u["unit"], _item(u["item"], u.get("item_name")), u["technician"],
                    terms.label(terms.CALLBACK_METHOD, u["method"]), u["reason"]] for u in report["unsatisfied"]]
    _table(book.create_sheet(s["unsatisfied"]),
           [r[k] for k in ("orders", "unit", "item", "technician", "method", "reason")], unsatisfied, (None,) * 6)
    labels = [r[k] for k in ("orders", "received", "unit", "owner", "phone", "description", "item", "category",
                             "technician", "status", "arrived", "finished_at")]
    marks = [f"{terms.SLA_WHAT[k]}{r['on_time_of']}" for k in CLOCKS] + [r["fee_pending"]]
    labels += [*marks[:-1], *(r[k] for k in ("materials", "labour", "waived", "fee_pending", "callback_result"))]
    formats = (None, TIME, *(None,) * 8, TIME, TIME, *(None,) * 4, MONEY, MONEY, MONEY, None, None)
    more, extra, more_formats = extrasheets.detail_columns(orders_rows)  # 维修类型, 预约时间, 未达标原因
    detail = book.create_sheet(s["detail"])
    rows = [a + b for a, b in zip(_detail_rows(orders_rows, full_contacts), extra, strict=True)]
    _table(detail, labels + more, rows, formats + more_formats,
           freeze="B2", center=marks)  # B2: the order number stays in view while scrolling right
    extrasheets.add(book, report)  # 近12个月趋势 second, 期末未完成 before 明细 (issue 15 §6)
    complaints.sheet(book, report, _table, TIME, PERCENT)  # 投诉 (issue 15 §3)
    _charts(summary, at, category, len(report["by_category"]))
    for ws in book:
        _print(ws, _heading(report), one_page=ws is summary)
    extrasheets.detail_layout(detail)  # A3, long text wrapped
    path = Path(path)
    book.save(path)
    return path
