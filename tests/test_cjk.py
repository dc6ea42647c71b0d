"""cjk: terminal widths and aligned tables, checked against wcwidth as an independent measure."""

from __future__ import annotations

import pytest
from wcwidth import wcswidth

from repairctl.text import cjk


@pytest.mark.parametrize(
    "text",
    [
        "HQ-000001",
        "5栋1203",
        "厨房水龙头漏水",
        "ｆｕｌｌ",
        "é",
        "e\u0301",
        "维修—完工",
        "",
    ],
)
def test_width_counts_as_a_terminal_does(text):
    assert cjk.width(text) == wcswidth(text)


def test_pad_never_cuts_and_aligns():
    assert cjk.pad("客服", 6) == "客服  "
    assert cjk.pad("客服", 6, "right") == "  客服"
    assert cjk.pad("客服", 7, "center") == " 客服  "
    assert cjk.pad("厨房水龙头", 4) == "厨房水龙头"


def test_table_lines_up_chinese_and_ascii_columns():
    text = cjk.table(["单号", "地址/单元", "责任人"], [
        ["HQ-000008", "10栋403", "客服"],
        ["HQ-000026", "2栋401 东侧阳台", "工程主管"],
        ["HQ-7", "", "周师傅"],
    ])
    lines = text.splitlines()
    assert lines[0].split() == ["单号", "地址/单元", "责任人"]
    assert set(lines[1]) == {"-", " "}
    # each column starts at the same terminal column on every line, Chinese counted two columns
    def start(line, cell):
        return wcswidth(line[: line.index(cell)])

    assert start(lines[2], "10栋403") == start(lines[3], "2栋401") == start(lines[0], "地址/单元")
    assert (start(lines[2], "客服") == start(lines[3], "工程主管") == start(lines[4], "周师傅")
            == start(lines[0], "责任人"))
    assert lines[1].split("  ")[1] == "-" * wcswidth("2栋401 东侧阳台")  # the widest cell sets the width
    assert all(line == line.rstrip() for line in lines)  # no trailing blanks to trip a diff or a grep


def test_table_without_rows_is_headers_and_rule():
    assert cjk.table(["单号", "状态"], []) == "单号  状态\n----  ----"
