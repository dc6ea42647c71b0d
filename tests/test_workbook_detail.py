"""The workbook's 明细 additions and print layout, 未覆盖 grouped, and 返工 per technician (issue 15 §6)."""

from __future__ import annotations

import datetime as dt

import openpyxl

from tests.test_workbook import rows_by_label


def workbook(clerk, tmp_path, month: str = "2026-10"):
    out = tmp_path / f"{month}.xlsx"
    clerk("monthly", month, "--out", str(out))
    return openpyxl.load_workbook(out)


def detail(book) -> dict:
    """Each order's 明细 row as {header: value}, by order ID."""
    ws = book["明细"]
    header = [c.value for c in ws[1]]
    return {row[0]: dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)}


def test_detail_has_urgency_appointment_and_why_each_missed_clock_was_missed(clerk, october, tmp_path):
    o = october
    book = workbook(clerk, tmp_path)
    header = [c.value for c in book["明细"][1]]
    assert header[-3:] == ["维修类型", "预约时间", "未达标原因"]
    rows = detail(book)
    # O8: arrived 5 minutes late, finished an hour late unsigned, never called back (judged at the pinned now)
    assert rows[o[8]]["维修类型"] == "即时维修" and rows[o[8]]["预约时间"] is None
    assert rows[o[8]]["未达标原因"] == "到场超时5分钟；完工超时1小时（未签认：业户不在家）；超时未回访"
    # O6: an appointment kept in every clock: its agreed time, no reason
    assert rows[o[6]]["维修类型"] == "预约维修" and rows[o[6]]["预约时间"] == dt.datetime(2026, 10, 12, 9, 0)
    assert rows[o[6]]["未达标原因"] is None
    assert rows[o[7]]["未达标原因"] == "回访超时1天"  # called back 48 h after the finish: 24 h late
    assert rows[o[3]]["未达标原因"] == "到场超时15分钟"
    # O9: dispatched, never visited: both its clocks are late at the report's time
    assert rows[o[9]]["未达标原因"] == "超时未到场；超时未完工"


def test_a_delay_and_a_failed_inspection_are_the_reasons_of_a_late_finish(clerk, tmp_path):
    late = clerk.new("--at", "2026-10-05 09:00", unit="1栋0101")
    clerk("assign", late, "--to", "李师傅", "--at", "2026-10-05 09:05")
    clerk("visit", late, "--arrived", "--at", "2026-10-05 09:10")
    clerk("delay", late, "--until", "2026-10-07T18:00", "--reason", "配件待到货", "--approved-by", "王主管",
          "--at", "2026-10-05 12:00")
    clerk("close", late, "--at", "2026-10-07 20:00", "--signed-by", "业户")
    redo = clerk.new("--at", "2026-10-06 09:00", unit="2栋0202")
    clerk("assign", redo, "--to", "李师傅", "--at", "2026-10-06 09:05")
    clerk("visit", redo, "--arrived", "--at", "2026-10-06 09:10")
    clerk("close", redo, "--at", "2026-10-06 10:00", "--signed-by", "业户")
    clerk("inspect", redo, "--fail", "--reason", "接口仍渗水", "--at", "2026-10-06 15:00")
    clerk("visit", redo, "--arrived", "--at", "2026-10-08 09:00")  # the return visit
    clerk("close", redo, "--at", "2026-10-08 10:00", "--signed-by", "业户")
    book = workbook(clerk, tmp_path)
    rows = detail(book)
    assert rows[late]["未达标原因"] == "完工超时2小时（延期：配件待到货）；超时未回访"
    assert rows[redo]["未达标原因"] == "完工超时1天1小时（返工：接口仍渗水）；超时未回访"
    people = book["按维修人员"]
    assert [c.value for c in people[1]][-1] == "返工次数"
    assert rows_by_label(people, 2)["李师傅"][-1].value == 1  # one failed inspection of his jobs


def test_uncovered_requests_are_grouped_by_their_description_most_frequent_first(clerk, tmp_path):
    ids = [clerk.new("--at", f"2026-10-0{n} 09:00", item=None, unit=f"1栋010{n}", desc=desc)
           for n, desc in enumerate(["门禁卡失灵", "门禁卡 失灵。", "阳台晾衣架坏了", "门禁卡失灵！"], start=1)]
    book = workbook(clerk, tmp_path)
    rows = [[c.value for c in row] for row in book["未覆盖与供应商"].iter_rows(min_row=2)]
    assert rows == [["目录未覆盖", None, "门禁卡失灵", None, 3, f"{ids[0]}, {ids[1]}, {ids[3]}"],
                    ["目录未覆盖", None, "阳台晾衣架坏了", None, 1, ids[2]]]


def test_detail_prints_on_a3_landscape_one_page_wide_with_its_header_on_every_page(clerk, october, tmp_path):
    ws = workbook(clerk, tmp_path)["明细"]
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A3 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0) and ws.print_title_rows == "$1:$1"
    columns = {c.value: c.column_letter for c in ws[1]}
    for label in ("内容", "回访结果", "未达标原因"):  # long text wraps in a narrow column
        assert ws.column_dimensions[columns[label]].width <= 26
        assert ws[f"{columns[label]}2"].alignment.wrap_text
