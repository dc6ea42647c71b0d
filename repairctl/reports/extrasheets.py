"""The monthly workbook's sheets and columns of issue 15 §6, beside workbook.py, which calls them.

- 近12个月趋势: the report's month and the 11 before (trend.py), counts and rates, and a line chart
  of the main rates with each rate's target as a dashed line;
- 期末未完成: the orders open at the period's end (backlog.py), with their age and the clocks late then;
- the target line on the summary's 各时限及时率 chart;
- 未覆盖 grouped by description (lightly normalised), most frequent first;
- 明细's print layout: A3 landscape, one page wide, the header row on every page, long text wrapped
  in narrower columns.

Labels are the workbook's own (LABELS) or terms.py's; the cells are written by sheets.py.
"""

from __future__ import annotations

import re
import unicodedata

from openpyxl.chart import LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment

from repairctl.reports import period as periods
from repairctl.reports import sheets, trend
from repairctl.text import terms

LABELS = {
    "trend": "近12个月趋势",
    "trend_weeks": "近12周趋势",  # a week's report (report --week)
    "open_at_end": "期末未完成",
    "month": "月份",
    "received": "受理时间",
    "orders": "单号",
    "unit": "单元",
    "item": "项目",
    "status": "状态",
    "technician": "维修人员",
    "age_days": "开单天数",
    "age_hours": "开单小时",
    "late": "超时时限",
    "chart_trend": "近12个月主要指标",
    "chart_trend_weeks": "近12周主要指标",
    "week": "周",
    "target": "目标",
    "target_of": "{measure}目标",
    "on_time": "及时率",
    "urgency": "维修类型",
    "appointment": "预约时间",
    "missed": "未达标原因",
}
# the trend's rates drawn on its chart, and the targets drawn with them (target key, the rate it belongs to)
CHARTED = ("satisfaction", "on_time_arrival", "on_time_finish", "callback_unit", "worktime_rate")
TARGETS = (("satisfaction", "satisfaction"), ("on_time", "on_time_arrival"), ("callback_unit", "callback_unit"))
COLOURS = {"satisfaction": "2E75B6", "on_time_arrival": "ED7D31", "on_time_finish": "A5A5A5",
           "callback_unit": "70AD47", "worktime_rate": "7030A0", "on_time": "ED7D31"}
CHART_SIZE = (26, 11)  # cm: twelve months read apart
WRAPPED, NARROW = ("内容", "回访结果", LABELS["missed"]), 26  # 明细's long text, wrapped in columns this wide
PUNCTUATION = "。，,.!！?？；;:：、…~～-—_·'\"“”‘’()（）[]【】 "


def _month(label: str) -> str:
    """2026年10月, or a week's 2026年第45周."""
    if periods.WEEK_RE.fullmatch(label):
        return f"{label[:4]}年第{int(label[6:])}周"
    return terms.REPORT["month_title"].format(year=label[:4], month=int(label[5:7]))


def _target(report: dict, key: str):
    """The target of a trend column: satisfaction, on_time (every clock's), callback_unit."""
    measure = "on_time_arrival" if key == "on_time" else key
    return next((t["target"] for t in report["targets"] if t["measure"] == measure), None)


def add(book, report: dict) -> None:
    """The trend as the second sheet and the orders open at the period's end before the last (明细), when the
    report has them (stats.monthly makes them with the detail rows)."""
    if "trend" in report:
        trend_sheet(book.create_sheet(LABELS["trend_weeks" if periods.is_week(report) else "trend"], 1), report)
    if "open_at_end" in report:
        backlog_sheet(book.create_sheet(LABELS["open_at_end"], len(book.sheetnames) - 1), report)


def trend_sheet(ws, report: dict) -> None:
    """The 12-month trend: one row a month, the rates' targets beside them, and the line chart under it."""
    m = terms.MEASURE
    keys = (*trend.COUNTS, *trend.RATES)
    names = {"satisfaction": m["satisfaction"], "callback_unit": m["callback_unit"], "on_time": LABELS["on_time"]}
    week = periods.is_week(report)
    labels = [LABELS["week" if week else "month"], *(m[k] for k in keys),
              *(LABELS["target_of"].format(measure=names[k]) for k, _ in TARGETS)]
    goals = [_target(report, k) for k, _ in TARGETS]
    rows = [[_month(r["month"]), *(r[k] for k in keys), *goals] for r in report["trend"]]
    formats = (None, *(sheets.INT for _ in trend.COUNTS), *(sheets.PERCENT for _ in (*trend.RATES, *TARGETS)))
    sheets.table(ws, labels, rows, formats)
    chart = LineChart()
    chart.title, chart.width, chart.height = LABELS["chart_trend_weeks" if week else "chart_trend"], *CHART_SIZE
    chart.y_axis.number_format, chart.y_axis.scaling.min, chart.y_axis.scaling.max = "0%", 0, 1
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.legend.position = "b"
    last = len(rows) + 1
    months = Reference(ws, min_col=1, min_row=2, max_row=last)
    columns = [(labels.index(m[k]) + 1, k, False) for k in CHARTED]
    columns += [(len(labels) - len(TARGETS) + n + 1, key, True) for n, (key, _) in enumerate(TARGETS)]
    for col, key, dashed in columns:
        chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=last), titles_from_data=True)
        series = chart.series[-1]
        series.cat = AxDataSource(strRef=StrRef(f=str(months)))  # the months as text, as the summary's charts
        series.smooth = False
        series.graphicalProperties.line.solidFill = COLOURS[key]
        series.graphicalProperties.line.width = 12700 if dashed else 22225  # EMU: 1 pt, 1.75 pt
        if dashed:
            series.graphicalProperties.line.dashStyle = "dash"
    ws.add_chart(chart, f"A{last + 3}")


def target_line(clocks, ws, first: int, last: int) -> None:
    """Add the target of each on-time rate (the summary's column C, rows first..last) to the bar chart clocks."""
    line = LineChart()
    line.add_data(Reference(ws, min_col=3, min_row=first, max_row=last))
    names = Reference(ws, min_col=1, min_row=first, max_row=last)
    series = line.series[0]
    series.cat, series.tx = AxDataSource(strRef=StrRef(f=str(names))), SeriesLabel(v=LABELS["target"])
    series.graphicalProperties.line.solidFill, series.graphicalProperties.line.dashStyle = "C00000", "dash"
    series.smooth = False
    clocks += line  # drawn on the bar chart's own axes
    clocks.legend = None


def backlog_sheet(ws, report: dict) -> None:
    """The orders open at the period's end: one row each, oldest first."""
    keys = ("orders", "received", "unit", "item", "status", "technician", "age_days", "age_hours", "late")
    rows = [[o["id"], o["received"], o["unit"], f"{o['item'] or ''} {o['item_name'] or ''}".strip(),
             terms.label(terms.STATUS, o["status"]), o["technician"], o["age_days"], o["age_hours"], o["late"]]
            for o in report["open_at_end"]]
    sheets.table(ws, [LABELS[k] for k in keys], rows,
                 (None, sheets.TIME, None, None, None, None, sheets.MINUTES, sheets.INT, None))


def _key(text) -> str:
    """A description as the desk would group it: full-width folded, no spaces, no punctuation, any case."""
    folded = unicodedata.normalize("NFKC", str(text or "")).casefold()
    return "".join(c for c in re.sub(r"\s+", "", folded) if c not in PUNCTUATION)


def uncovered_rows(report: dict) -> list[list]:
    """未覆盖 grouped by description, most frequent first: kind, the codes given, description, '', count, IDs."""
    groups: dict[str, list] = {}
    for u in report["uncovered"]:
        groups.setdefault(_key(u["description"]), []).append(u)
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [[terms.REPORT["uncovered"], ", ".join(dict.fromkeys(str(u["item"]) for u in found if u["item"])),
             found[0]["description"], "", len(found), ", ".join(u["id"] for u in found)] for _, found in ordered]


def detail_columns(rows: list[dict]) -> tuple[list[str], list[list], tuple]:
    """明细's added columns: 维修类型, 预约时间, 未达标原因 (labels, one list per row, formats)."""
    return ([LABELS[k] for k in ("urgency", "appointment", "missed")],
            [[terms.label(terms.URGENCY, o["urgency"] or "immediate"), o["appointment"], o["missed"] or None]
             for o in rows],
            (None, sheets.TIME, None))


def detail_layout(ws) -> None:
    """明细 printed so it can be read: A3 landscape, one page wide, header repeated, long text wrapped."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "1:1"
    ws.page_margins.left = ws.page_margins.right = 0.3
    for cell in ws[1]:
        if cell.value in WRAPPED:
            letter = cell.column_letter
            ws.column_dimensions[letter].width = min(ws.column_dimensions[letter].width, NARROW)
            for (value,) in ws.iter_rows(min_row=2, min_col=cell.column, max_col=cell.column):
                value.alignment = Alignment(wrap_text=True, vertical="top")
