"""The desk's day in Chinese: every sentence a clerk reads — answers, refusals, warnings, tables — is
Chinese, typed as a Chinese input method types it (issue 13: "never meets an English sentence").

Each command runs as the installed `repairctl` in a process of its own, in zh_CN.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest

# what may stay ASCII inside a Chinese sentence: `commands`, --options, paths and file names, IDs,
# git's and the shell's words
NOT_PROSE = re.compile(r"`[^`]*`|'[^']*'|--?[\w-]+|\S*[/\\.]\S*|\b[A-Z]{2,}-\d+[A-Z]?\b|repairctl \w+|git \w+")
ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}")


def english_in(text: str) -> list[str]:
    """Runs of three or more English words left once commands, options, paths and IDs are set aside."""
    return ENGLISH.findall(NOT_PROSE.sub(" ", text))


def test_the_detector_finds_english_and_lets_commands_be():
    assert english_in("error: cannot close HQ-000018: the order is received")
    assert not english_in("无法完工 HQ-000018：该单状态为已受理；先用 `repairctl assign HQ-000018 --to 李师傅` 派工")
    assert not english_in("已写入 /tmp/月报 2026-11.xlsx，office.yaml 第 3 行")


class Desk:
    """A clerk typing at a terminal in Chinese: every answer kept, to be read for English afterwards."""

    def __init__(self, executable: str, root):
        self.executable, self.root, self.heard = executable, root, []

    def __call__(self, *args: str, status: int = 0) -> subprocess.CompletedProcess:
        env = {**os.environ, "REPAIRCTL_LANG": "zh_CN"}
        result = subprocess.run([self.executable, "--root", str(self.root), *args], capture_output=True,
                                text=True, env=env)
        assert result.returncode == status, (args, result.stdout, result.stderr)
        self.heard.append((args, result.stdout + result.stderr))
        return result


@pytest.fixture
def desk(executable, office_root) -> Desk:
    return Desk(executable, office_root)


def test_a_day_at_the_desk_is_chinese_from_end_to_end(desk, tmp_path):
    first = desk("new", "--unit", "3栋1201", "--name", "张三", "--phone", "+86 138-1234-5678",
                 "--desc", "厨房水龙头漏水", "--item", "W01", "--at", "昨天 16:30").stdout.split()[0]
    desk("new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678", "--desc", "水龙头又漏了",
         "--item", "W01", "--at", "今天 8:00", status=1)  # a second open order for the unit and item
    second = desk("new", "--unit", "5栋302", "--name", "李四", "--phone", "139 8765 4321", "--desc", "卫生间灯不亮",
                  "--item", "E01", "--appointment", "下午2点", "--at", "9:00").stdout.split()[0]
    desk("close", first, "--work", "更换水龙头", "--at", "10:00", status=1)  # not dispatched yet
    desk("assign", first, "--to", "李师傅", "--at", "昨天 16:40")
    desk("assign", "99", "--to", "李师傅", status=1)  # no such order
    desk("visit", first, "--arrived", "--by", "李师傅", "--at", "昨天 16:52")
    desk("close", first, "--signed-by", "张三", "--work", "更换水龙头", "--material", "水龙头：1：35元",
         "--labour", "20元", "--opinion", "满意", "--by", "李师傅", "--at", "昨天 17:20")
    desk("callback", first, "--method", "phone", "--unsatisfied", "--reason", "还在渗水", "--at", "8:40")
    desk("followup", first, "--note", "已重新紧固", "--at", "9:00")
    desk("assign", second, "--to", "陈师傅", "--at", "25点", status=2)  # a time no clock has
    desk("cancel", second, "--reason", "业户自行修好", "--at", "9:30")
    desk("list")
    desk("list", "--q", "不存在的东西")
    desk("show", first)
    desk("overdue")
    desk("check")
    desk("monthly", "2026-11", "--out", str(tmp_path / "月报.xlsx"))
    desk("nosuch", status=2)
    said = {" ".join(args): found for args, out in desk.heard if (found := english_in(out))}
    assert not said, said
