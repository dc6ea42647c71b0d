"""The workbook's 期末未完成: the orders open at the period's end, from any month, as they stood then (issue 15 §6)."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl

HEADER = ["单号", "受理时间", "单元", "项目", "状态", "维修人员", "开单天数", "开单小时", "超时时限"]


def backlog(clerk, tmp_path, *extra: str) -> list[list]:
    out = tmp_path / "backlog.xlsx"
    clerk("monthly", "2026-10", "--out", str(out), *extra)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames.index("期末未完成") == book.sheetnames.index("明细") - 1
    ws = book["期末未完成"]
    assert [c.value for c in ws[1]] == HEADER and ws.print_title_rows == "$1:$1"
    assert ws["G2"].number_format == "0.0" and ws["B2"].number_format == "yyyy-mm-dd hh:mm"
    return [[c.value for c in row] for row in ws.iter_rows(min_row=2)]


def test_the_orders_open_at_the_end_with_their_age_and_the_clocks_late_then(clerk, october, tmp_path):
    o = october
    rows = backlog(clerk, tmp_path)
    assert [r[0] for r in rows] == [o[9], o[10], o[13]]  # O11 cancelled, O12 referred, the rest finished
    nine, ten, thirteen = rows
    # O9: received 10-25 10:00, dispatched, never visited: 6 days 14 hours old at 11-01 00:00
    assert nine[1] == dt.datetime(2026, 10, 25, 10, 0) and nine[2] == "9栋0101" and nine[3].startswith("C01 ")
    assert nine[4:] == ["已派工", "王师傅", 6.6, 158, "到场超时6天13小时；完工超时5天14小时"]
    assert ten[3:] == [None, "已受理", None, 3.5, 85, "到场超时3天12小时；完工超时2天13小时"]
    assert thirteen[6:] == [0.0, 0, None]  # the last minute of October: nothing late yet


def test_an_order_finished_since_the_end_is_still_listed_as_it_stood(clerk, october, tmp_path):
    o = october
    before = backlog(clerk, tmp_path)
    clerk("visit", o[9], "--arrived", "--at", "2026-11-02 09:00")
    clerk("close", o[9], "--at", "2026-11-02 10:00", "--signed-by", "业户")
    clerk("assign", o[10], "--to", "李师傅", "--at", "2026-11-02 11:00")  # its technician came after the end
    assert backlog(clerk, tmp_path) == before


def test_an_order_open_for_a_year_is_listed_and_the_report_from_history_lists_it_too(clerk, october, tmp_path):
    settings = clerk.root / "office.yaml"  # a paper slip of last year entered now
    settings.write_text(settings.read_text("utf-8").replace("backdate_days: 400", "backdate_days: 800"), "utf-8")
    clerk.git("commit", "-qam", "backdate_days")
    # received and dispatched before the trend's year and the warranty before it: --as-of copies it as open
    old = clerk.new("--at", "2025-06-03 09:00", unit="12栋0101")
    clerk("assign", old, "--to", "王师傅", "--at", "2025-06-03 09:10")
    rows = backlog(clerk, tmp_path)
    assert rows[0][0] == old and rows[0][4:6] == ["已派工", "王师傅"] and rows[0][7] == 516 * 24 - 9
    live = json.loads(clerk("monthly", "2026-10", "--format", "json").stdout)["open_at_end"]
    made = json.loads(clerk("monthly", "2026-10", "--as-of", "HEAD", "--format", "json").stdout)["open_at_end"]
    assert made == live and [r["id"] for r in live] == [old, october[9], october[10], october[13]]
    out = tmp_path / "backlog.xlsx"
    assert "every figure matches" in clerk("monthly", "--verify", str(out)).stdout
