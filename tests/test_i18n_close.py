"""What the close says in Chinese (issue 14 §2): the sign-off, the slip's arrival and the quantity refused,
and the monthly summary's lines of the sign-off and the work-time standard."""

from __future__ import annotations

from tests.test_i18n import run
from tests.test_i18n_orders import english_left


def test_the_close_refusals_are_chinese(clerk):
    order = clerk.new(item="E16", desc="更换线管")
    clerk("assign", order, "--to", "李师傅", "--at", "2026-10-05 09:05")
    unsigned = run("close", order, "--work", "换线管", cwd=clerk.root)
    assert unsigned.returncode == 1
    assert unsigned.stderr.strip() == (f"错误：{order} 完工须有业户签认：给 --signed-by 签字人；"
                                       "没人签字就给 --unsigned 原因，例如 --signed-by 张三 或 --unsigned 业户不在家")
    no_arrival = run("close", order, "--signed-by", "张三", cwd=clerk.root)
    assert no_arrival.stderr.strip() == (f'错误：{order} 没有登记到场时间；请按纸质维修单给 --arrived-at，'
                                         '例如 --arrived-at "10:15"')
    no_quantity = run("close", order, "--signed-by", "张三", "--arrived-at", "2026-10-05 09:15", cwd=clerk.root)
    assert no_quantity.stderr.strip() == (f"错误：{order} 是 E16 更换阻燃导线管，时限按 15分钟/米 计："
                                          "请用 --quantity 数量 给出维修数量，例如 --quantity 3")
    for result in (unsigned, no_arrival, no_quantity):
        assert result.returncode == 1 and not english_left(result.stderr)


def test_the_monthly_lines_of_the_close_are_chinese(clerk):
    order = clerk.new()
    clerk("assign", order, "--to", "李师傅", "--at", "2026-10-05 09:05")
    clerk("close", order, "--unsigned", "业户不在家", "--arrived-at", "2026-10-05 09:10", "--at", "2026-10-05 09:20")
    text = run("monthly", "2026-10", cwd=clerk.root).stdout
    assert "业户签认单数 0  未签认单数 1  标准工时达标率 100.0% (1/1)" in text
    assert "各维修人员标准工时达标率：李师傅 100.0% (1/1)" in text and "各项目标准工时达标率：W01 100.0% (1/1)" in text
