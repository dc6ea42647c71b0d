"""What `repairctl plan` says in Chinese: a refusal, a checklist gap, what run made (one process each)."""

from __future__ import annotations

from tests.test_i18n import run
from tests.test_i18n_orders import english_left


def test_plan_commands_speak_chinese(clerk):
    bad = run("plan", "add", "--name", "巡检", "--where", "1栋", "--every", "1y", "--start", "2026-12-01",
              cwd=clerk.root)
    assert bad.returncode == 1
    assert bad.stderr.strip() == "错误：周期 '1y' 不对；写数字加 d、w 或 m（天、周、月），例如 7d, 2w, 1m"
    assert run("plan", "add", "--name", "消防巡检", "--where", "全小区", "--every", "2w", "--start", "2026-11-02",
               "--checklist", "灭火器", "--checklist", "消防栓", cwd=clerk.root).stdout == "P01\n"
    made = run("plan", "run", cwd=clerk.root)
    assert made.stdout.splitlines()[-1] == "生成了 2 张计划维修单"
    clerk("assign", "HQ-P01-20261102", "--to", "李师傅", "--at", "2026-11-02 09:00")
    gap = run("plan", "close", "HQ-P01-20261102", "--ok", "1", cwd=clerk.root)
    assert "每个检查项目都要记录：2 消防栓 没有写" in gap.stderr
    due = run("plan", "due", cwd=clerk.root)
    assert due.stdout.startswith("到 2026-11-25 为止，没有到期而未生成维修单的计划")
    assert not english_left(bad.stderr + made.stdout + gap.stderr + due.stdout)
