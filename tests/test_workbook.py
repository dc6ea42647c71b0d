"""The monthly workbook: the hand-built month read back cell by cell with openpyxl."""

from __future__ import annotations

import datetime as dt
import itertools
import zipfile

import openpyxl
import pytest
from openpyxl.utils.cell import range_to_tuple

from repairctl.reports.workbook import _print, mask_phone


def rows_by_label(ws, first: int = 1) -> dict:
    """The cells of each row of a sheet, keyed by the value in column A."""
    return {row[0].value: row for row in ws.iter_rows(min_row=first)}


def referenced(book, ref: str) -> list:
    """The values a chart reference such as '汇总'!$B$6:$B$9 points at."""
    sheet, (min_col, min_row, max_col, max_row) = range_to_tuple(ref)
    ws = book[sheet]
    return [c.value for row in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col)
            for c in row]


def chart_title(chart) -> str:
    return "".join(run.t for p in chart.title.tx.rich.p for run in (p.r or []))


def test_october_workbook(clerk, october, tmp_path):
    o, FORMULA = october, october.formula  # the month of conftest.build_october, as in test_stats
    out = tmp_path / "月报.xlsx"
    result = clerk("monthly", "2026-10", "--out", str(out))
    assert f"wrote {out}" in result.stdout and "monthly repair statistics" in result.stdout
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["汇总", "近12个月趋势", "按类别", "按项目", "按维修人员", "按渠道", "未覆盖与供应商",
                               "不满意回访", "期末未完成", "明细", "投诉"]
    summary = book["汇总"]
    assert summary["A1"].value == "测试管理处 2026年10月 维修服务月度统计"
    assert summary["A2"].value == "统计期间: 2026-10-01 至 2026-10-31  统计时点: 2026-11-25 12:00"  # the pinned now
    assert [c.value for c in summary[4]] == ["指标", "本月", "目标", "是否达标"]
    rows = rows_by_label(summary, 5)
    # the same hand-worked figures as test_stats: satisfaction 4 of 5, arrival 4 of 9 ...
    assert [c.value for c in rows["满意率"]] == ["满意率", 0.8, 0.9, "未达标"]
    # the target shows which way it points (≥ 90.0%, ≤ 1.0%) and is still a number
    assert rows["满意率"][1].number_format == "0.0%" and rows["满意率"][2].number_format == '"≥ "0.0%'
    assert rows["返修率"][2].number_format == '"≤ "0.0%' and rows["满意率"][3].alignment.horizontal == "center"
    assert [c.value for c in rows["到场及时率"][1:]] == [0.4444, 1, "未达标"]
    assert [c.value for c in rows["预约上门准时率"][1:]] == [1, 1, "达标"]
    assert [c.value for c in rows["返修率"][1:]] == [0.0833, 0.01, "未达标"]
    assert [c.value for c in rows["完工单回访率"][1:]] == [0.7143, 0.6, "达标"]
    assert [c.value for c in rows["回访抽样户数"][1:]] == [5, 2, "达标"]
    assert rows["回访抽样户数"][1].number_format == "0"
    assert rows["回访抽样户数"][2].number_format == '"≥ "0'
    assert [c.value for c in rows["本月数据"]][:2] == ["本月数据", "本月"]  # the figures without a target
    assert rows["受理单数"][1].value == 12
    assert rows["完成率"][1].value == 0.7 and rows["完成率"][1].number_format == "0.0%"
    assert rows["材料费(元)"][1].value == 140 and rows["材料费(元)"][1].number_format == "#,##0.00"
    assert rows["费用待定金额(元)"][1].value == 50 and rows["受理至完工90%用时(分钟)"][1].value == 1500
    # the sign-off (O2-O8 finished, O8 unsigned) and the work-time standard (2 of 7 jobs kept it)
    assert rows["业户签认单数"][1].value == 6 and rows["未签认单数"][1].value == 1
    assert rows["标准工时达标率"][1].value == round(2 / 7, 4) and rows["标准工时达标率"][1].number_format == "0.0%"
    assert summary.freeze_panes == "A5" and summary.auto_filter.ref == "A4:D13"  # the nine targets
    fills = [rule.formula for cf in summary.conditional_formatting for rule in cf.rules]
    assert ['"达标"'] in fills and ['"未达标"'] in fills
    assert summary.column_dimensions["C"].width >= len("≥ 100.0%") + 2

    # charts: Chinese titles, named series, real categories and values, beside the tables (from F)
    bar, pie, clocks = summary._charts
    assert [chart_title(c) for c in (bar, pie, clocks)] == ["各类别单数", "回访满意度", "各时限及时率"]
    assert [c.series[0].tx.v for c in (bar, pie, clocks)] == ["单数", "回访数", "及时率"]  # not "Series1"
    assert bar.series[0].val.numRef.f.startswith("'按类别'!$B$2:")
    assert referenced(book, bar.series[0].cat.strRef.f) == referenced(book, "'按类别'!$A$2:$A$4")
    assert referenced(book, bar.series[0].val.numRef.f) == referenced(book, "'按类别'!$B$2:$B$4")
    assert referenced(book, pie.series[0].cat.strRef.f) == ["回访满意", "回访不满意"]
    assert referenced(book, pie.series[0].val.numRef.f) == [4, 1]
    assert referenced(book, clocks.series[0].cat.strRef.f) == [
        "到场及时率", "预约上门准时率", "完工及时率", "回访及时率"]
    assert referenced(book, clocks.series[0].val.numRef.f)[:2] == [0.4444, 1]
    assert clocks.dataLabels.showVal and clocks.dataLabels.numFmt == "0.0%" and not clocks.dataLabels.showCatName
    assert pie.dataLabels.showPercent and not bar.dataLabels.showSerName
    assert all(c.anchor._from.col >= 5 for c in (bar, pie, clocks))  # column F on: the tables end at D
    rows_taken = sorted(c.anchor._from.row for c in (bar, pie, clocks))
    assert all(b - a >= 14 for a, b in itertools.pairwise(rows_taken))  # 7 cm charts do not overlap

    # printing: the summary on one A4 page, data sheets landscape, one page wide, header row repeated
    assert summary.page_setup.orientation == "portrait" and summary.sheet_properties.pageSetUpPr.fitToPage
    assert (summary.page_setup.fitToWidth, summary.page_setup.fitToHeight) == (1, 1)
    for ws in book.worksheets[1:]:
        assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0) and ws.print_title_rows == "$1:$1"
    for ws in book:  # 明细 on A3 (test_workbook_detail)
        assert str(ws.page_setup.paperSize) == (ws.PAPERSIZE_A3 if ws.title == "明细" else ws.PAPERSIZE_A4)
        assert "&P" in ws.oddFooter.center.text
        assert ws.oddHeader.center.text.startswith("测试管理处 2026年10月 维修服务月度统计")

    category = rows_by_label(book["按类别"], 2)
    assert [c.value for c in category["供电类"]] == ["供电类", 3, 3, 0.8333, 2, 1, 0.5]
    assert category["供电类"][3].number_format == "0.0%"
    items = book["按项目"]
    assert items.max_row == 44 and [c.value for c in items[1]][:4] == ["编号", "项目", "类别", "单数"]
    assert [c.value for c in rows_by_label(items, 2)["W01"]][:5] == ["W01", "更换普通水龙头", "给排水类", 3, 1]
    assert [c.value for c in rows_by_label(book["按维修人员"], 2)["王师傅"]][:4] == ["王师傅", 4, 3, 0.625]
    assert rows_by_label(book["按渠道"], 2)["电话"][1].value == 8
    referred = rows_by_label(book["未覆盖与供应商"], 2)
    assert [c.value for c in referred["推荐供应商"]] == [
        "推荐供应商", "S24", "更换、维修室内暗敷给水管", "未指定", 1, o[12]]
    assert referred["目录未覆盖"][2].value == FORMULA and referred["目录未覆盖"][2].data_type == "s"
    assert [c.value for c in book["不满意回访"][2]] == [
        o[3], "3栋1202", "E01 更换各类普通灯泡", "王师傅", "电话", "到场太慢"]

    detail = book["明细"]
    header = [c.value for c in detail[1]]
    assert header[:12] == ["单号", "受理时间", "单元", "业户", "电话", "内容", "项目", "类别", "维修人员", "状态",
                           "到场时间", "完工时间"]
    assert header[12:] == ["到场达标", "预约上门达标", "完工达标", "回访达标", "材料费", "人工费", "减免",
                           "费用待定", "回访结果", "维修类型", "预约时间", "未达标原因"]
    lines = rows_by_label(detail, 2)
    assert list(lines) == [o[n] for n in range(2, 14)]  # October only, oldest first
    o7 = dict(zip(header, lines[o[7]], strict=True))
    assert o7["受理时间"].value == dt.datetime(2026, 10, 15, 9, 0)
    assert o7["受理时间"].number_format == "yyyy-mm-dd hh:mm"
    assert o7["电话"].value == "138****5678"  # masked unless --full-contacts
    assert o7["项目"].value == "E18 安装开关、插座" and o7["类别"].value == "供电类" and o7["状态"].value == "已回访"
    assert [o7[k].value for k in ("到场达标", "预约上门达标", "完工达标", "回访达标")] == ["是", None, "是", "否"]
    assert o7["到场达标"].alignment.horizontal == "center" and o7["费用待定"].alignment.horizontal == "center"
    assert [o7[k].value for k in ("材料费", "人工费", "减免", "费用待定")] == [60, 40, 20, "否"]
    assert o7["材料费"].number_format == "#,##0.00" and o7["回访结果"].value == "满意"
    o3 = {h: c.value for h, c in zip(header, lines[o[3]], strict=True)}
    assert o3["回访结果"] == "不满意: 到场太慢" and o3["到场达标"] == "否"
    formula = dict(zip(header, lines[o[10]], strict=True))["内容"]
    assert formula.value == FORMULA and formula.data_type == "s"  # the owner's text, never a formula
    assert detail.freeze_panes == "B2"  # the header and the order number stay in view
    for ws in book:
        assert ws.freeze_panes in ("A2", "A5", "B2") and ws.auto_filter.ref
    # Chinese counts two columns: the 内容 column is wide enough for the longest description
    assert detail.column_dimensions["F"].width >= len(FORMULA) + 2
    assert detail.column_dimensions["B"].width >= len("2026-10-15 09:00") + 2
    assert items.column_dimensions["B"].width >= 2 * len("更换各类开关、插座面板")
    with zipfile.ZipFile(out) as package:
        sheets = [n for n in package.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 11  # the 投诉 sheet (issue 15 §3) among them
        for name in sheets:
            xml = package.read(name).decode("utf-8")
            assert "<f>" not in xml and "<f " not in xml  # no cell holds a formula
        assert any(n.startswith("xl/charts/chart") for n in package.namelist())


def test_full_contacts_keeps_the_phone(clerk, tmp_path):
    clerk.new(at="2026-10-05 09:00")
    out = tmp_path / "full.xlsx"
    clerk("monthly", "2026-10", "--out", str(out), "--full-contacts", "--format", "json")
    assert openpyxl.load_workbook(out)["明细"]["E2"].value == "13812345678"


def test_an_empty_month_still_writes_the_workbook(clerk, tmp_path):
    out = tmp_path / "empty.xlsx"
    result = clerk("monthly", "2026-08", "--out", str(out), "--format", "json")
    assert result.stdout.startswith("{") and f"wrote {out}" in result.stderr  # stdout stays JSON
    book = openpyxl.load_workbook(out)
    rows = rows_by_label(book["汇总"], 5)
    assert rows["受理单数"][1].value == 0 and rows["满意率"][1].value is None and rows["满意率"][3].value == "无数据"
    assert book["明细"].max_row == 1 and len(book["汇总"]._charts) == 3


@pytest.mark.parametrize(("phone", "masked"), [
    ("13812345678", "138****5678"), ("0755-12345678", "075****5678"), ("123", "****"), ("", ""), (None, ""),
    ("1381234", "13****34"), ("88886666", "88****66"),  # a short number never shows all its digits
])
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


def test_print_header_keeps_an_ampersand_literal():
    ws = openpyxl.Workbook().active
    _print(ws, "A&B 管理处 2026年10月 维修服务月度统计")  # '&' alone would start a header code
    assert ws.oddHeader.center.text == "A&&B 管理处 2026年10月 维修服务月度统计 &A"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows is None  # rows only with a table
