"""What a clerk types: phone numbers and free text."""

from __future__ import annotations

import pytest

from repairctl.errors import RepairError
from repairctl.text.inputs import check_phone, check_text

GOOD = ["13812345678", "138-1234-5678", "138 1234 5678", "+86 138 1234 5678", "0755-12345678", "010-88886666",
        "(0755) 2345 6789", "88886666", "4008001234", "+1 415 555 0100", "8613812345678"]
BAD = ["1381234", "1381234567890", "12345", "abc", "0755", "138123456789a", "110", "+1 415", "9913812345678"]


@pytest.mark.parametrize("phone", GOOD)
def test_phones_that_can_be_dialled(phone):
    assert check_phone(f" {phone} ") == phone


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


def test_tabs_and_line_breaks_are_text():
    assert check_text("--desc", " 厨房\t漏水\n地上有水 ") == "厨房\t漏水\n地上有水"
