"""Money is Decimal from file to figure: typed, written, read back, totalled, shown as JSON and in Excel."""

from __future__ import annotations

import json
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from repairctl.errors import OfficeError
from repairctl.orders import lifecycle, reading, steps
from repairctl.reports import jsonview
from repairctl.store import files, yamlio
from repairctl.text import money, terms

D = Decimal


def test_parse_takes_what_a_clerk_types():
    assert money.parse("19.99") == D("19.99") and money.parse(" 35 ") == 35
    assert str(money.parse("0.50")) == "0.5" and str(money.parse("-0")) == "0"
    assert money.parse("1,200.50") == D("1200.5")  # as amounts are shown: 1,200.50
    assert money.parse("１２.５") == D("12.5")  # a Chinese input method's full-width digits
    for typed, why in (("x", "not a number"), ("-1", "zero or more"), ("nan", "not a number"), ("inf", "not a number"),
                       ("1e3", "not a number"), ("1,20", "not a number"),
                       ("1000000.01", "more than 1000000"), ("0.001", "more than two decimals")):
        with pytest.raises(ValueError, match=why):
            money.parse(typed, "labour")


def test_read_is_exact_for_every_form_a_file_holds():
    assert money.read(20) == D(20) and money.read(12.5) == D("12.5") and money.read("12.35") == D("12.35")
    assert money.read(None) == 0 and money.read("") == 0 and money.read(D("0.1")) == D("0.1")
    # the float YAML reads from 19.99 (19.989999999999998436805981327779591083526611328125) gives 19.99 back
    assert D(19.99) != D("19.99") and money.read(19.99) == D("19.99")
    assert money.read(yamlio.parse("a: 0.1")["a"]) + money.read(yamlio.parse("a: 0.2")["a"]) == D("0.3")
    for bad in ("abc", True, float("nan"), float("inf")):
        with pytest.raises(OfficeError, match="not a number"):
            money.read(bad)


def test_one_written_form_and_the_figures():
    assert [money.written(D(x)) for x in ("35", "35.50", "12.35", "1E+2", "0.00", "60.170")] == \
        ["35", "35.5", "12.35", "100", "0", "60.17"]
    assert money.line(D("1.5"), D("12.35")) == D("18.53")  # 18.525, half up (四舍五入)
    assert money.total([(D(3), D("19.99")), (D(1), D("0.2"))], D("0.1")) == D("60.27")
    assert money.figure(D(55)) == "55.00" and money.figure(D("0.1") + D("0.2")) == "0.30"


def test_yaml_writes_a_decimal_in_its_one_form_and_reads_it_back():
    doc = {"labour": D("0.10"), "fee": D("35.50"), "whole": D("55.00"),
           "materials": [yamlio.flow_map(name="水龙头", qty=D(3), unit_price=D("19.99"))]}
    text = yamlio.dump_text(doc)
    assert text == "labour: 0.1\nfee: 35.5\nwhole: 55\nmaterials:\n  - {name: 水龙头, qty: 3, unit_price: 19.99}\n"
    assert yamlio.parse(text) == yamlio.plain(doc)  # what a new order's answer is built from without reading


def close_two_orders(clerk) -> tuple[str, str]:
    """HQ-000001: 3 × 19.99 + 1 × 0.2 materials, 0.1 labour, 12.35 waived; HQ-000002: labour 0.2."""
    first, second = clerk.new(), clerk.new("--unit", "3栋1202", at="2026-10-06 09:00")
    clerk("assign", first, "--to", "李师傅", "--at", "2026-10-05 09:05")
    clerk("close", first, "--signed-by", "业户", "--arrived-at", "2026-10-05 09:15", "--material", "水龙头:3:19.99",
          "--material", "生料带:1:0.2", "--labour", "0.1", "--waive", "12.35", "--approved-by", "赵总监",
          "--approver-role", "director", "--at", "2026-10-05 09:40")
    clerk("assign", second, "--to", "李师傅", "--at", "2026-10-06 09:05")
    clerk("close", second, "--signed-by", "业户", "--arrived-at", "2026-10-06 09:15", "--labour", "0.2",
          "--at", "2026-10-06 09:40")
    return first, second


def test_amounts_reach_the_file_show_monthly_and_the_workbook_exactly(clerk, tmp_path):
    first, second = close_two_orders(clerk)
    text = clerk.order_file(first).read_text("utf-8")
    assert "  - {name: 水龙头, qty: 3, unit_price: 19.99}\n  - {name: 生料带, qty: 1, unit_price: 0.2}\n" in text
    assert "\nlabour: 0.1\n" in text
    assert "\nwaiver: {amount: 12.35, approved_by: 赵总监, approver_role: director}\n" in text
    assert clerk.git("log", "-1", "--skip=2", "--format=%s").strip() == f"close {first}: 完工, 费用 47.92 元"
    clerk("check")

    shown = clerk("show", first, "--format", "json").output
    assert '\n  "amount_due": 47.92\n}' in shown and '"labour": 0.1,' in shown
    exact = json.loads(shown, parse_float=D)
    assert exact["amount_due"] == D("47.92") and exact["materials"][0]["unit_price"] == D("19.99")
    assert json.loads(clerk("show", second, "--format", "json").output, parse_float=D)["amount_due"] == D("0.20")

    report = clerk("monthly", "2026-10", "--format", "json").output
    fees = json.loads(report, parse_float=D)["fees"]
    # as floats: 59.97 + 0.2 = 60.17000000000001 (3 × 19.99 = 59.97 only by luck), 0.1 + 0.2 = 0.30000000000000004
    assert fees == {"materials": D("60.17"), "labour": D("0.30"),
                    "waived": {"total": D("12.35"),
                               "approvals": [{"id": first, "amount": D("12.35"), "approved_by": "赵总监",
                                              "approver_role": "director"}]},
                    "pending": {"count": 0, "amount": D("0.00"), "ids": []}, "due": D("48.12"),
                    "collected": D("0.00"), "outstanding": D("48.12")}
    assert '"labour": 0.30,' in report and '"due": 48.12' in report

    out = tmp_path / "月报.xlsx"
    clerk("monthly", "2026-10", "--out", str(out))
    book = openpyxl.load_workbook(out)
    figures = {row[0].value: row[1] for row in book["汇总"].iter_rows(min_row=5)}
    m = terms.MEASURE
    assert {k: D(str(figures[m[k]].value)) for k in ("materials", "labour", "waived", "due")} == \
        {"materials": D("60.17"), "labour": D("0.3"), "waived": D("12.35"), "due": D("48.12")}
    assert figures[m["due"]].number_format == "#,##0.00"
    detail = book["明细"]
    column = {cell.value: cell.column for cell in detail[1]}
    r = terms.REPORT
    assert [[D(str(detail.cell(row, column[r[k]]).value)) for k in ("materials", "labour", "waived")]
            for row in (2, 3)] == [[D("60.17"), D("0.1"), D("12.35")], [D(0), D("0.2"), D(0)]]
    with zipfile.ZipFile(out) as archive:  # the digits in the file itself, as Excel reads them
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>48.12</v>" in sheet and "<v>60.17</v>" in sheet and "<v>0.3</v>" in sheet


def test_an_amount_edit_applied_twice_is_a_no_op(clerk):
    first, _ = close_two_orders(clerk)
    path = clerk.order_file(first)
    before = path.read_bytes()
    # a clerk's 0.10, or the Decimal read back from the file, is the 0.1 already written: nothing changes
    step = steps.close(materials=[("水龙头", D(3), D("19.99")), ("生料带", D(1), D("0.20"))], labour=D("0.10"),
                       waive=D("12.35"), approved_by="赵总监", approver_role="director")
    for _ in range(2):
        with yamlio.edit(path) as doc:
            lifecycle.set_field(doc, "labour", money.read(doc["labour"]))
            for key in ("materials", "labour", "waiver"):
                lifecycle.set_field(doc, key, step.fields[key])
        assert path.read_bytes() == before
    assert yamlio.dump_text(yamlio.load_round_trip(path)) == before.decode("utf-8")


# a paper slip typed in by hand, with an int labour and a float unit price: 3 × 12.5 + 20 = 57.50
HAND_WRITTEN = """\
id: HQ-000001
status: finished
unit: 9栋101
name: 吴女士
phone: '13900002222'
description: 阳台地漏堵塞
item: W09
urgency: immediate
technician: 赵师傅
materials: [{name: 疏通剂, qty: 3, unit_price: 12.5}]
labour: 20
events:
  - {action: received, at: 2026-10-06T08:30:00+08:00, by: 王小红}
  - {action: assigned, at: 2026-10-06T08:40:00+08:00, by: 王小红, to: 赵师傅}
  - {action: finished, at: 2026-10-06T09:30:00+08:00, by: 赵师傅}
"""


def test_a_hand_written_int_and_float_read_exactly(clerk, monkeypatch, place):
    monkeypatch.setattr(files, "RACY_NS", 0)  # the cache trusts a row read just now (see files.signature)
    place(clerk, HAND_WRITTEN)
    clerk("check")
    data = yamlio.load_fast(clerk.order_file("HQ-000001"))
    assert type(data["labour"]) is int and type(data["materials"][0]["unit_price"]) is float
    # read through the cache (its rows hold the parse as JSON): show does not read the file again
    clerk("list")
    monkeypatch.setattr(reading, "read", lambda *a: pytest.fail("show read the file, not the cache"))
    shown = clerk("show", "HQ-000001", "--format", "json").output
    assert '"unit_price": 12.5\n' in shown and '"labour": 20,' in shown and '"amount_due": 57.50' in shown
    fees = json.loads(clerk("monthly", "2026-10", "--format", "json").output, parse_float=D)["fees"]
    assert (fees["materials"], fees["labour"], fees["due"]) == (D("37.50"), D("20.00"), D("57.50"))


def test_a_hand_written_amount_that_is_no_number_is_one_line(clerk, place):
    place(clerk, HAND_WRITTEN.replace("labour: 20", "labour: 二十"))
    result = clerk("show", "HQ-000001", "--format", "json", ok=False)
    assert result.exit_code != 0 and "amount '二十' is not a number" in result.output
    assert "Traceback" not in result.output


def test_json_writes_everything_but_amounts_as_json_does():
    data = {"a": [], "b": {}, "c": [1, 2.5, None, True, "中文\n\"引号\"", {"d": [[], {}], 1: 2, None: 3, False: 4}],
            "e": 0.1 + 0.2}
    assert jsonview.dumps(data) == json.dumps(data, ensure_ascii=False, indent=2)
    assert jsonview.dumps({"fee": D("0.1") + D("0.2")}) == '{\n  "fee": 0.30\n}'
