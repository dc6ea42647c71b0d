"""What dispatch by trade says in Chinese: `assign ID` without --to, the other-trade warning, `workload`."""

from __future__ import annotations

from tests.test_i18n import run
from tests.test_i18n_orders import english_left


def test_suggestions_warning_and_workload_are_chinese(clerk):
    (clerk.root / "records" / "staff.csv").write_text("姓名,工种\n李师傅,水工\n陈师傅,电工\n", encoding="utf-8")
    order = clerk.new(at="2026-11-25 09:00")
    listed = run("assign", order, cwd=clerk.root)
    assert listed.returncode == 0
    assert listed.stdout.splitlines() == [f"{order} W01（给排水类）的维修人员，今天工作少的在前：",
                                          "  李师傅（水工）：未完成 0 单，今天已完工 0 单",
                                          f"未做任何修改；派工请用 `repairctl assign {order} --to NAME`"]
    warned = run("assign", order, "--to", "陈师傅", cwd=clerk.root)
    assert warned.returncode == 0
    assert "陈师傅 的工种是电工（records/staff.csv），W01 属于给排水类；仍已派工" in warned.stderr
    table = run("workload", cwd=clerk.root)
    assert table.stdout.startswith("2026-11-25 工作量")
    assert "维修人员" in table.stdout and "工种" in table.stdout
    assert not english_left(listed.stdout + warned.stderr + table.stdout)
