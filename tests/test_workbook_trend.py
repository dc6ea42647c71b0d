"""The workbook's 近12个月趋势 and the target lines of its rate charts (issue 15 §6)."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl

from repairctl.reports import memo
from repairctl.store import files
from tests.test_workbook import chart_title, referenced, rows_by_label

HEADER = ["月份", "受理单数", "完成单数", "未完成单数", "完成率", "满意率", "到场及时率", "预约上门准时率",
          "完工及时率", "回访及时率", "返修率", "业户单元回访率", "完工单回访率", "标准工时达标率", "满意率目标",
          "及时率目标", "业户单元回访率目标"]


def report(clerk, month: str) -> dict:
    return json.loads(clerk("monthly", month, "--format", "json").stdout)


def test_the_trend_sheet_has_the_month_and_the_eleven_before_with_a_chart_of_the_rates(clerk, october, tmp_path):
    out = tmp_path / "trend.xlsx"
    clerk("monthly", "2026-10", "--out", str(out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:2] == ["汇总", "近12个月趋势"]
    ws = book["近12个月趋势"]
    assert [c.value for c in ws[1]] == HEADER and ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"
    rows = rows_by_label(ws, 2)
    assert list(rows) == [f"{year}年{month}月" for year, month in [(2025, 11), (2025, 12), *((2026, m) for m in
                                                                                           range(1, 11))]]
    october_row = {h: c.value for h, c in zip(HEADER, rows["2026年10月"], strict=True)}
    summary = rows_by_label(book["汇总"], 5)
    for label in ("受理单数", "完成单数", "未完成单数", "完成率", "满意率", "到场及时率", "完工及时率", "返修率",
                  "业户单元回访率", "标准工时达标率"):
        assert october_row[label] == summary[label][1].value, label
    assert october_row["满意率"] == 0.8 and october_row["受理单数"] == 12
    assert rows["2026年10月"][5].number_format == "0.0%" and rows["2026年10月"][1].number_format == "0"
    assert [c.value for c in rows["2026年9月"][1:4]] == [1, 1, 0]  # O1, the September job
    assert [c.value for c in rows["2026年8月"][1:6]] == [0, 0, 0, None, None]  # nothing: no rate
    assert [c.value for c in rows["2026年10月"][-3:]] == [0.9, 1, 1]  # office.yaml's targets (the defaults)

    (chart,) = ws._charts
    assert chart_title(chart) == "近12个月主要指标" and type(chart).__name__ == "LineChart"
    titles = [referenced(book, s.tx.strRef.f)[0] for s in chart.series]
    assert titles == ["满意率", "到场及时率", "完工及时率", "业户单元回访率", "标准工时达标率", "满意率目标",
                      "及时率目标", "业户单元回访率目标"]
    assert referenced(book, chart.series[0].cat.strRef.f)[-1] == "2026年10月"
    assert referenced(book, chart.series[0].val.numRef.f)[-1] == 0.8
    targets = chart.series[5:]
    assert all(s.graphicalProperties.line.prstDash == "dash" for s in targets)
    assert all(s.graphicalProperties.line.prstDash in (None, "solid") for s in chart.series[:5])
    assert referenced(book, targets[0].val.numRef.f) == [0.9] * 12
    assert chart.anchor._from.row >= 14  # under the table


def test_the_on_time_chart_of_the_summary_shows_each_clock_target_as_a_line(clerk, october, tmp_path):
    out = tmp_path / "targets.xlsx"
    clerk("monthly", "2026-10", "--out", str(out))
    book = openpyxl.load_workbook(out)
    clocks = book["汇总"]._charts[2]
    assert chart_title(clocks) == "各时限及时率"
    bar, line = clocks._charts
    assert (type(bar).__name__, type(line).__name__) == ("BarChart", "LineChart")
    (target,) = line.series
    assert target.tx.v == "目标" and target.graphicalProperties.line.prstDash == "dash"
    assert referenced(book, target.val.numRef.f) == [1, 1, 1, 1]  # each on-time rate's target: 100%
    assert referenced(book, target.cat.strRef.f) == referenced(book, bar.series[0].cat.strRef.f)
    assert line.axId == bar.axId  # drawn on the bars' own axes


def test_a_past_month_is_kept_and_made_again_once_its_orders_change(clerk, october, monkeypatch):
    o = october
    monkeypatch.setattr(files, "RACY_NS", 0)  # as if the files were written long ago (a file written in the
    # last seconds keeps nothing: its signature cannot yet tell a second change)
    first = report(clerk, "2026-10")["trend"]
    kept = json.loads((clerk.root / ".repairctl" / "trend.json").read_text("utf-8"))
    assert kept["2026-09"]["row"] == first[-2] and "2026-10" not in kept  # the report's own month: never kept
    assert first[-2] == report(clerk, "2026-09")["trend"][-1]  # as September's own report makes it
    clerk("inspect", o[1], "--fail", "--reason", "仍漏水", "--at", "2026-09-22 10:00")  # back to the technician
    again = report(clerk, "2026-10")["trend"]
    assert (again[-2]["finished"], again[-2]["open"], again[-2]["completion_rate"]) == (0, 1, 0.0)
    assert again[-2] == report(clerk, "2026-09")["trend"][-1] and again[:-2] == first[:-2]


def test_a_kept_month_holds_only_for_the_same_files_and_from_when_its_late_clocks_were_late():
    at = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    entry = {"key": "k", "row": {"month": "2026-09"}, "from": "2026-11-01T00:00:00+00:00"}
    assert memo.holds(entry, "k", at) and not memo.holds(entry, "other", at)
    assert not memo.holds(entry, "k", dt.datetime(2026, 10, 31, tzinfo=dt.UTC))  # judged before: not yet late
    assert memo.holds({**entry, "from": ""}, "k", dt.datetime(2000, 1, 1, tzinfo=dt.UTC))  # nothing open
    assert not memo.holds({**entry, "from": "soon"}, "k", at) and not memo.holds(None, "k", at)
