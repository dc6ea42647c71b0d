"""Money is Decimal from file to figure: typed, written, read back, totalled, shown as JSON and in Excel."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_check import GOOD
from test_hand_edits import place

from repairctl.errors import OfficeError
from repairctl.orders import lifecycle
from repairctl.store import yamlio
from repairctl.text import money

D = Decimal


def test_parse_takes_what_a_clerk_types():
    assert money.parse("19.99") == D("19.99") and money.parse(" 35 ") == 35
    assert str(money.parse("1e2")) == "100" and str(money.parse("0.50")) == "0.5" and str(money.parse("-0")) == "0"
    assert money.parse("１２.５") == D("12.5")  # a Chinese input method's full-width digits
    for typed, why in (("x", "not a number"), ("-1", "zero or more"), ("nan", "zero or more"),
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
           "materials": [lifecycle.flow_map(name="水龙头", qty=D(3), unit_price=D("19.99"))]}
    text = yamlio.dump_text(doc)
    assert text == "labour: 0.1\nfee: 35.5\nwhole: 55\nmaterials:\n  - {name: 水龙头, qty: 3, unit_price: 19.99}\n"
    assert yamlio.parse(text) == yamlio.plain(doc)  # what a new order's answer is built from without reading


# check's hand-written order, with an int labour and a float unit price: 3 × 12.5 + 20 = 57.50
HAND_WRITTEN = GOOD.replace("qty: 1, unit_price: 18.5", "qty: 3, unit_price: 12.5").replace("labour: 15", "labour: 20")


def test_a_hand_written_amount_that_is_no_number_is_one_line(desk):
    place(desk, HAND_WRITTEN.replace("labour: 20", "labour: 二十"))
    result = desk("show", "HQ-000001", "--format", "json", ok=False)
    assert result.exit_code != 0 and "amount '二十' is not a number" in result.output
    assert "Traceback" not in result.output
