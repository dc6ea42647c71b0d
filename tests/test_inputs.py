"""What a clerk types: phone numbers and free text, cleaned of what nobody sees, look-alikes folded."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repairctl.errors import RepairError
from repairctl.text import inputs
from repairctl.text.inputs import check_phone, check_text, unit_key

# as typed → as stored: a mobile its 11 digits, a landline 区号-号码, a foreign number as typed
GOOD = {"13812345678": "13812345678", "138-1234-5678": "13812345678", "138 1234 5678": "13812345678",
        "+86 138 1234 5678": "13812345678", "+86 139-1234-5678": "13912345678", "+8613912345678": "13912345678",
        "0086 139 1234 5678": "13912345678", "１３８１２３４５６７８": "13812345678",
        "＋８６ １３８ １２３４ ５６７８": "13812345678",
        "8613812345678": "13812345678", "0755-12345678": "0755-12345678", "0755 1234 5678": "0755-12345678",
        "075512345678": "0755-12345678", "(0755) 2345 6789": "0755-23456789", "010-88886666": "010-88886666",
        "01088886666": "010-88886666", "+86 10 8888 6666": "010-88886666", "+86 755 1234 5678": "0755-12345678",
        "0086 20 12345678": "020-12345678", "88886666": "88886666", "4008001234": "4008001234",
        "+1 415 555 0100": "+1 415 555 0100"}
BAD = ["1381234", "1381234567890", "12345", "abc", "0755", "138123456789a", "110", "+1 415", "9913812345678"]


@pytest.mark.parametrize("phone, stored", GOOD.items())
def test_phones_that_can_be_dialled_are_stored_in_one_form(phone, stored):
    assert check_phone(f" {phone} ") == stored
    assert check_phone(stored) == stored  # the stored form is its own: a second reading changes nothing
    assert inputs.phone_digits(phone) == inputs.phone_digits(stored)  # and the registry matches either


@pytest.mark.parametrize("phone", BAD)
def test_phones_that_cannot(phone):
    with pytest.raises(RepairError, match="is not a phone number"):
        check_phone(phone)


def test_an_empty_value_gets_an_example_of_its_own_kind():
    with pytest.raises(RepairError, match=r"--unit is empty; give a value, e\.g\. --unit 3栋1201"):
        check_text("--unit", "  ", required=True)
    with pytest.raises(RepairError, match=r"--name is empty; give a value, e\.g\. --name 张三"):
        check_text("--name", "", required=True)
    assert check_text("--work", "  ") is None and check_text("--work", " 换龙头 ") == "换龙头"


@pytest.mark.parametrize("text", ["漏水\x85厨房", "a\x00b", "a\u2028b", "\x1b[31m红"])
def test_control_characters_are_refused_with_their_code(text):
    with pytest.raises(RepairError, match=r"--desc holds the control character U\+00[0-9A-F]{2}|U\+2028"):
        check_text("--desc", text)


def test_tabs_and_line_breaks_are_text_where_lines_are_allowed():
    assert check_text("--desc", " 厨房\t漏水\n地上有水 ", lines=True) == "厨房\t漏水\n地上有水"


def test_a_paste_from_windows_keeps_its_lines_not_its_carriage_returns():
    assert check_text("--desc", "厨房漏水\r\n地上有水\r楼下也漏", lines=True) == "厨房漏水\n地上有水\n楼下也漏"
    with pytest.raises(RepairError, match="a line break"):  # a one-line field: still refused, as one line
        check_text("--unit", "3栋\r\n1201")


@pytest.mark.parametrize("option", ["--unit", "--name", "--by", "--to", "--signed-by", "--approved-by"])
@pytest.mark.parametrize("text, what", [("3栋\n1201", "a line break"), ("3栋\t1201", "a tab"),
                                        ("3栋\u20281201", "the control character U+2028")])
def test_a_one_line_field_refuses_a_line_break(option, text, what):
    with pytest.raises(RepairError, match=f"^{re.escape(option)} holds {re.escape(what)}"):
        check_text(option, text)


# typed -> kept: the invisible characters go; in a one-line field, look-alikes fold (NFKC)
ONE_LINE = [
    ("１栋１０１", "1栋101"),  # full-width digits
    ("1栋\u200b101", "1栋101"),  # zero-width space
    ("\u202e1栋101\u202c", "1栋101"),  # a right-to-left override and its end
    ("1栋\u2066101\u2069", "1栋101"),  # an isolate
    ("\ufeff1栋101", "1栋101"),  # a byte-order mark pasted from a file
    ("1栋\u200d\u200c\u2060\u200e\u200f\u061c101", "1栋101"),
    ("Ａ座１２０１", "A座1201"),  # full-width letters
    ("3栋\u30001201", "3栋 1201"),  # the ideographic space
    ("张三（业主）", "张三(业主)"),
]


@pytest.mark.parametrize("typed, kept", ONE_LINE)
def test_a_one_line_field_is_cleaned_and_folded(typed, kept):
    assert check_text("--unit", typed) == kept
    assert unit_key(typed) == unit_key(kept)  # stored as typed by a hand edit, it is the same unit


def test_text_with_lines_keeps_its_chinese_punctuation_but_not_what_nobody_sees():
    assert check_text("--desc", "厨房，漏水：（急）\u200b　１楼", lines=True) == "厨房，漏水：（急）　１楼"


def test_units_compare_without_spaces_widths_or_invisible_characters():
    assert len({unit_key(u) for u in ("1栋101", "1栋 101", "１栋１０１", "1栋\u200b101", " 1 栋 1 0 1 ",
                                      "1栋\u3000101", "\u202e1栋101")}) == 1
    assert unit_key("1栋101") != unit_key("1栋102") and unit_key(None) == "" and unit_key(1201) == "1201"


def test_phones_fold_full_width_digits_and_refuse_other_scripts():
    assert check_phone("１３８１２３４５６７８") == "13812345678"
    assert check_phone("138\u200b1234\u200b5678") == "13812345678"
    assert inputs.phone_digits("１３８-１２３４-５６７８") == "13812345678"
    with pytest.raises(RepairError, match="is not a phone number"):
        check_phone("١٣٨١٢٣٤٥٦٧٨")  # Arabic-Indic digits: no desk phone dials them
    with pytest.raises(RepairError, match="is not a phone number"):
        check_phone("138\n12345678")


FORBIDDEN = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\u200b", "\u200c", "\u200d",
             "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2060", "\u2066", "\u2067",
             "\u2068", "\u2069", "\u061c", "\ufeff"]


@pytest.mark.parametrize("character", FORBIDDEN)
def test_every_forbidden_character_is_a_fault_named_by_its_code(character):
    for lines in (False, True):
        why = inputs.fault(f"厨房{character}漏水", lines=lines)
        assert why and f"U+{ord(character):04X}" in why and character not in why


def test_a_text_longer_than_new_takes_is_a_fault():
    assert inputs.fault("漏" * inputs.MAX_TEXT, lines=False) is None
    assert inputs.fault("漏" * (inputs.MAX_TEXT + 1), lines=False) == "is 1001 characters long; keep it under 1000"


# what a clerk may paste: plain and full-width text, what NFKC expands or composes, and every unfit
# character (a chosen alphabet: Hypothesis's whole-Unicode one grows the test process by 200 MB)
PASTED = st.text(st.sampled_from(["a", "Z", "1", "栋", "，", "１", "Ａ", "\u3000", " ", "㍿", "ﷺ", "①", "e",
                                  "\u0301", "\t", "\n", "\r", *FORBIDDEN]), max_size=60)


@given(PASTED, st.booleans())
def test_what_a_command_accepts_the_file_rules_accept(text, lines):
    """Everything check_text lets into a file passes the rule `characters` of `check`."""
    try:
        kept = check_text("--desc", text, lines=lines)
    except RepairError:
        return
    assert kept is None or inputs.fault(kept, lines=lines) is None


# --- at the desk ---------------------------------------------------------------------------------------

NEW = ["new", "--name", "张三", "--phone", "13812345678", "--desc", "漏水", "--item", "W01"]


@pytest.mark.parametrize("args, status, message", [
    ([*NEW, "--unit", "3栋\n1201"], 1, "Error: --unit holds a line break; keep it to one line"),
    (["new", "--unit", "3栋1201", "--name", "张\n三", "--phone", "13812345678", "--desc", "漏水"], 1,
     "Error: --name holds a line break; keep it to one line"),
    (["new", "--unit", "3栋1201", "--name", "张三", "--phone", "138\n12345678", "--desc", "漏水"], 1,
     "is not a phone number"),
    ([*NEW, "--unit", "3栋1201", "--by", "王\n小红"], 1, "Error: --by holds a line break; keep it to one line"),
    (["assign", "HQ-000001", "--to", "李\n师傅"], 1, "Error: --to holds a line break; keep it to one line"),
    (["assign", "HQ-000001", "--to", "李师傅\x1b[2J"], 1, "Error: --to holds the control character U+001B; remove it"),
    (["close", "HQ-000001", "--signed-by", "张\n三"], 1, "Error: --signed-by holds a line break"),
    (["close", "HQ-000001", "--labour", "600", "--waive", "500", "--approved-by", "刘\n总", "--approver-role",
      "company"], 1, "Error: --approved-by holds a line break"),
    (["close", "HQ-000001", "--material", "水龙\n头:1:35"], 2, "material name holds a line break"),
    (["close", "HQ-000001", "--material", "水龙头\x07:1:35"], 2, "material name holds the control character U+0007"),
])
def test_a_line_break_in_a_one_line_field_is_refused_and_nothing_changes(clerk, snapshot, args, status, message):
    oid = clerk.new()
    clerk("assign", oid, "--to", "李师傅", "--at", "2026-10-05 09:05")
    before = snapshot(clerk)
    result = clerk(*args, ok=False)
    assert result.exit_code == status and message in result.output, result.output
    if status == 1:
        assert len(result.output.splitlines()) == 1
    assert snapshot(clerk) == before


def test_look_alike_units_are_one_unit_for_the_duplicate_rule(clerk, snapshot):
    first = clerk.new(unit="１栋１０１")
    assert "unit: 1栋101" in clerk.order_file(first).read_text("utf-8")
    before = snapshot(clerk)
    for unit in ("1栋101", "1栋\u200b101", "\u202e1栋 101", "１栋１０１"):
        result = clerk(*NEW, "--unit", unit, ok=False)
        assert result.exit_code == 1 and f"order {first} for " in result.output, unit
        assert "W01 is still open" in result.output and len(result.output.splitlines()) == 1
    assert snapshot(clerk) == before
    assert [row["id"] for row in _json(clerk("list", "--unit", "1栋\u200b１０１", "--format", "json"))] == [first]


def test_a_unit_stored_with_look_alikes_is_rework_of_the_plain_one():
    from repairctl.orders import sla
    from repairctl.orders.records import Order

    tz = ZoneInfo("Asia/Shanghai")

    def order(oid: str, unit: str, received: str, finished: str) -> Order:
        events = [{"action": "received", "at": f"{received}+08:00", "by": "王小红"},
                  {"action": "finished", "at": f"{finished}+08:00", "by": "李师傅"}]
        return Order(Path(f"{oid}.yaml"), {"id": oid, "status": "finished", "unit": unit, "item": "W01",
                                           "events": events}, tz)

    earlier = order("HQ-000001", "１栋１０１", "2026-10-01T09:00:00", "2026-10-01T10:00:00")  # a hand edit
    again = order("HQ-000002", "1栋\u200b101", "2026-10-20T09:00:00", "2026-10-20T10:00:00")
    assert sla.rework_of(again, [earlier], sla.levels({})) is earlier
    assert again.received == dt.datetime(2026, 10, 20, 9, 0, tzinfo=tz)


def _json(result) -> list:
    import json

    return json.loads(result.output)
