"""Chinese help laid out in terminal columns: within the terminal's width, descriptions in one column."""

from __future__ import annotations

import re

import pytest

from repairctl.cli import layout
from tests.test_i18n import run


def test_a_chinese_character_takes_two_columns():
    assert layout.columns("3栋1201") == 7
    assert layout.columns("ＨＱ") == 4  # full-width letters too
    assert layout.columns("\x1b[1m维修\x1b[0m") == 4  # colours take none


def test_lines_break_between_chinese_characters_never_before_a_closing_mark():
    wrapper = layout.wide_wrapper()(width=12)
    lines = wrapper.wrap("报修内容，用业户的原话，例如 3栋1201 的水龙头漏水。")
    assert all(layout.columns(line) <= 12 for line in lines)
    assert "".join(lines).replace(" ", "") == "报修内容，用业户的原话，例如3栋1201的水龙头漏水。"
    assert not any(line[0] in layout.CLOSING for line in lines)


def test_a_summary_is_the_first_sentence_cut_to_its_columns():
    assert layout.short_help("登记一张新的报修单。其余的话。", 40) == "登记一张新的报修单。"
    cut = layout.short_help("检查每个维修单文件和管理处文件：每个问题一行（文件:行:列: 说明）。", 30)
    assert cut.endswith("…") and layout.columns(cut) <= 30
    assert layout.short_help("Record a new request. More words.", 45) == "Record a new request."


@pytest.mark.parametrize("command", [(), ("new",), ("list",), ("close",)])
def test_chinese_help_fits_an_80_column_terminal_in_one_column(tmp_path, command):
    result = run(*command, "--help", cwd=tmp_path, env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # an option with a long choice list is one word click cannot break, in English as in Chinese
    text = [line for line in lines if not re.fullmatch(r"\s+--\S+ \[\S+\]", line)]
    assert max(layout.columns(line) for line in text) <= 80, "\n".join(lines)
    # every description of the options starts in one column (the first long option's)
    starts = {layout.columns(m.group(1)) for line in lines if (m := re.match(r"(\s+-\S.*?\s{2,})\S", line))}
    assert len(starts) == 1, starts


def test_placeholders_are_in_the_readers_words(tmp_path):
    chinese = run("close", "--help", cwd=tmp_path)
    assert chinese.stdout.startswith("用法: repairctl close [选项] 单号")
    assert "--signed-by 姓名" in chinese.stdout and "--material 名称:数量:单价" in chinese.stdout
    assert "--approver-role [director|company]" in chinese.stdout  # the values to type stay
    missing = run("show", cwd=tmp_path)
    assert missing.returncode == 2 and "缺少参数 '单号'" in missing.stderr
    assert run("--help", cwd=tmp_path).stdout.startswith("用法: repairctl [选项] 命令 [参数]...")
    english = run("close", "--help", cwd=tmp_path, lang="en")
    assert english.stdout.startswith("Usage: repairctl close [OPTIONS] ID") and "--signed-by NAME" in english.stdout
