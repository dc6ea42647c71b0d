"""What quote, pay and fees say in Chinese: the refusals a finance desk meets, the warning over a quote, the table.

Each command runs in a process of its own (test_i18n.run); the office is made in English, in this process.
"""

from __future__ import annotations

from tests.test_i18n import run
from tests.test_i18n_orders import english_left
from tests.test_payments import finish, set_office


def test_payment_refusals_and_the_fees_table_in_chinese(clerk):
    order = clerk.new()
    finish(clerk, order, "--labour", "80")
    wrong = run("pay", order, "--amount", "50", "--receipt", "SJ-1", cwd=clerk.root)
    assert wrong.returncode == 1
    assert wrong.stderr.strip() == (f"错误：{order} 应缴 80.00 元，不是 50.00 元：一笔费用开一张收据，全额登记，"
                                    "例如 --amount 80.00")
    clerk("pay", order, "--amount", "80", "--receipt", "SJ-1", "--method", "wechat")
    twice = run("pay", order, "--amount", "80", "--receipt", "SJ-2", cwd=clerk.root)
    assert f"{order} 已缴费（80.00 元，收据 SJ-1）；一笔费用只缴一次" in twice.stderr
    table = run("fees", cwd=clerk.root)
    assert table.returncode == 0, table.stderr
    assert "费用状态" in table.stdout and "已缴" in table.stdout and "微信" in table.stdout
    assert "应收费用(元) 80.00  实收(元) 80.00  减免(元) 0.00  未收(元) 0.00" in table.stdout
    assert not english_left(wrong.stderr + twice.stderr + table.stdout)


def test_quote_refusals_and_the_warning_over_the_quote_in_chinese(clerk):
    set_office(clerk, "fees: {quote_required: true}\n")
    order = clerk.new()
    clerk("assign", order, "--to", "李师傅", "--at", "2026-10-05 09:10")
    clerk("visit", order, "--arrived", "--at", "2026-10-05 09:15")
    unquoted = run("close", order, "--labour", "80", "--signed-by", "张三", "--at", "2026-10-05 11:00", cwd=clerk.root)
    assert unquoted.returncode == 1
    assert f"{order} 是有偿维修，但业户尚未同意报价" in unquoted.stderr
    clerk("quote", order, "--amount", "50", "--accepted-by", "张三", "--at", "2026-10-05 09:20")
    over = run("close", order, "--labour", "80", "--signed-by", "张三", "--at", "2026-10-05 11:00", cwd=clerk.root)
    assert over.returncode == 0, over.stderr
    assert f"{order} 的费用 80.00 元比业户同意的报价 50.00 元高出 10% 以上：收费前请先告知业户" in over.stderr
    declined = run("quote", order, "--amount", "50", "--declined", cwd=clerk.root)
    assert f"无法报价 {order}：该单状态为已完工" in declined.stderr
    assert not english_left(unquoted.stderr + over.stderr + declined.stderr)
