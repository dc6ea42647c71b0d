"""Quote and consent, then payment (issue 14 §3): `quote`, `pay`, the fee's state, `fees`, the payment clock
of `overdue`, and monthly's 应收, 实收, 减免 and 未收; each in a real office, through the commands."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from decimal import Decimal as D

import openpyxl
import pytest

from repairctl.office import settings
from repairctl.orders import payments, reading
from repairctl.text import clock, terms

clerk_tz = clock.zone("Asia/Shanghai")


def finish(clerk, order: str, *close: str, at: str = "2026-10-05 11:00") -> None:
    """Dispatch, arrive and close an order (close's options as given), signed for by the owner."""
    clerk("assign", order, "--to", "李师傅", "--at", "2026-10-05 09:10")
    clerk("visit", order, "--arrived", "--at", "2026-10-05 09:20")
    clerk("close", order, "--work", "换阀芯", "--signed-by", "张三", "--at", at, *close)


def fees(clerk, *args: str) -> dict:
    return json.loads(clerk("fees", "--format", "json", *args).stdout, parse_float=D)


def set_office(clerk, text: str) -> None:
    """Add settings to office.yaml; a service level goes into the section the file has already."""
    path = clerk.root / "office.yaml"
    old = path.read_text("utf-8")
    if text.startswith("  "):  # init writes every level: this one's line is replaced
        key = text.split(":", 1)[0]
        kept = re.sub(rf"(?m)^{key}:.*\n", "", old)
        path.write_text(kept.replace("service_levels:\n", "service_levels:\n" + text, 1), "utf-8")
    else:  # a section the file has already (init writes `fees:`) is replaced
        key = text.split(":", 1)[0]
        path.write_text(re.sub(rf"(?m)^{key}:.*\n(?:[ #].*\n)*", "", old) + text, "utf-8")


def test_an_accepted_quote_then_the_whole_fee_paid_once_at_the_finance_desk(clerk):
    order = clerk.new()
    quoted = clerk("quote", order, "--amount", "120", "--accepted-by", "张三", "--at", "2026-10-05 09:05")
    assert quoted.stdout == f"{order} 报价 120.00 元, 张三 同意\n"
    finish(clerk, order, "--labour", "80", "--material", "阀芯:1:35")
    assert fees(clerk)["orders"][0]["state"] == "due"
    paid = clerk("pay", order, "--amount", "115", "--receipt", "SJ-0012", "--method", "wechat",
                 "--at", "2026-10-06 10:00")
    assert paid.stdout == f"{order} 缴费 115.00 元, 收据 SJ-0012, 微信\n"
    text = clerk.order_file(order).read_text("utf-8")
    assert "quote: {amount: 120, accepted_by: 张三}\n" in text
    assert "payment: {amount: 115, receipt: SJ-0012, method: wechat}\n" in text
    assert "  - {action: paid, at: 2026-10-06T10:00:00+08:00, by: 王小红, amount: 115, receipt: SJ-0012, " \
           "method: wechat}\n" in text
    assert "  - {action: quoted, at: 2026-10-05T09:05:00+08:00, by: 王小红, amount: 120, accepted_by: 张三}\n" in text
    assert clerk.git("log", "-1", "--format=%s") == f"pay {order}: 缴费 115.00 元, 收据 SJ-0012, 微信\n"
    row = fees(clerk)["orders"][0]
    assert (row["state"], row["fee"], row["paid"], row["receipt"], row["method"]) == \
        ("paid", D("115.00"), D("115.00"), "SJ-0012", "wechat")
    assert clerk("check").exit_code == 0


@pytest.mark.parametrize("amount, said", [
    ("100", "owes 115.00 yuan, not 100.00: record the whole fee on one receipt, e.g. --amount 115.00"),
    ("200", "owes 115.00 yuan, not 200.00"),
])
def test_a_payment_that_is_not_the_fee_due_is_refused_with_the_amount_due(clerk, snapshot, amount, said):
    order = clerk.new()
    finish(clerk, order, "--labour", "80", "--material", "阀芯:1:35")
    before = snapshot(clerk)
    refused = clerk("pay", order, "--amount", amount, "--receipt", "SJ-1", ok=False)
    assert refused.exit_code == 1
    assert said in refused.output and "Traceback" not in refused.output
    assert snapshot(clerk) == before


def test_paying_twice_before_the_close_with_nothing_due_or_a_fee_pending_is_refused(clerk, snapshot):
    order = clerk.new()
    early = clerk("pay", order, "--amount", "10", "--receipt", "SJ-1", ok=False)
    assert "cannot pay" in early.output and "called_back or finished" in early.output
    finish(clerk, order, "--labour", "30")
    clerk("pay", order, "--amount", "30", "--receipt", "SJ-1")
    before = snapshot(clerk)
    twice = clerk("pay", order, "--amount", "30", "--receipt", "SJ-2", ok=False)
    assert f"{order} is paid already (30.00 yuan, receipt SJ-1); a fee is paid once" in twice.output
    assert snapshot(clerk) == before

    free = clerk.new(unit="3栋1202")
    finish(clerk, free)
    nothing = clerk("pay", free, "--amount", "0", "--receipt", "SJ-3", ok=False)
    assert f"{free} has nothing to pay: its fee is none" in nothing.output
    waived = clerk.new(unit="3栋1203")
    finish(clerk, waived, "--labour", "20", "--waive", "20", "--approved-by", "赵总监", "--approver-role", "director")
    assert f"{waived} has nothing to pay: its fee is waived" in clerk("pay", waived, "--amount", "20",
                                                                      "--receipt", "SJ-4", ok=False).output
    pending = clerk.new(unit="3栋1204")
    finish(clerk, pending, "--fee-pending")
    said = clerk("pay", pending, "--amount", "20", "--receipt", "SJ-5", ok=False).output
    assert f"{pending}'s fee is still pending" in said and f"`repairctl fee {pending} --amount X`" in said
    clerk("fee", pending, "--amount", "20", "--at", "2026-10-06 09:00")
    clerk("pay", pending, "--amount", "20", "--receipt", "SJ-5", "--at", "2026-10-06 10:00")
    states = {row["id"]: row["state"] for row in fees(clerk)["orders"]}
    assert states == {order: "paid", waived: "waived", pending: "paid"}  # free work charges nothing: not listed


def test_a_declined_quote_ends_the_order_and_monthly_counts_it(clerk):
    order = clerk.new()
    clerk("assign", order, "--to", "李师傅", "--at", "2026-10-05 09:10")
    declined = clerk("quote", order, "--amount", "300", "--declined", "--at", "2026-10-05 09:30")
    assert declined.stdout == f"{order} 报价 300.00 元, 业户不同意\n"
    assert "status: declined\n" in clerk.order_file(order).read_text("utf-8")
    after = clerk("visit", order, "--arrived", ok=False)
    assert "the order is declined (业户不同意报价); nothing more can be done on it" in after.output
    report = json.loads(clerk("monthly", "2026-10", "--format", "json").stdout)
    assert (report["declined"], report["open"], report["received"]) == (1, 0, 1)
    assert "declined 1" in clerk("monthly", "2026-10").stdout
    assert clerk("check").exit_code == 0
    assert clerk("overdue", "--at", "2026-10-09 12:00").exit_code == 0  # no clock runs on a declined order


def test_quote_takes_exactly_one_answer_and_a_price(clerk):
    order = clerk.new()
    both = clerk("quote", order, "--amount", "50", "--accepted-by", "张三", "--declined", ok=False)
    assert both.exit_code == 2 and "give exactly one of --accepted-by, --declined" in both.output
    free = clerk("quote", order, "--amount", "0", "--accepted-by", "张三", ok=False)
    assert "free work needs no quote; give the price, e.g. --amount 120" in free.output


def test_quote_required_refuses_paid_work_without_consent_and_a_fee_over_the_margin_warns(clerk):
    set_office(clerk, "fees: {quote_required: true, quote_margin: 0.10}\n")
    clerk.git("commit", "-qam", "quotes required")
    order = clerk.new()
    clerk("assign", order, "--to", "李师傅", "--at", "2026-10-05 09:10")
    refused = clerk("close", order, "--labour", "80", "--signed-by", "张三", "--arrived-at", "2026-10-05 10:00",
                    "--at", "2026-10-05 11:00", ok=False)
    assert (f"{order} is paid work with no accepted quote (office.yaml fees.quote_required): quote it first, "
            f"e.g. `repairctl quote {order} --amount 120 --accepted-by 张三`") in refused.output
    clerk("quote", order, "--amount", "100", "--accepted-by", "张三", "--at", "2026-10-05 09:20")
    closed = clerk("close", order, "--labour", "111", "--signed-by", "张三", "--arrived-at", "2026-10-05 10:00",
                    "--at", "2026-10-05 11:00")
    assert (f"warning: {order}'s fee 111.00 yuan is more than the accepted quote 100.00 yuan by over 10%"
            in closed.stderr)
    free = clerk.new(unit="3栋1202")
    clerk("assign", free, "--to", "李师傅", "--at", "2026-10-05 09:10")
    kept = clerk("close", free, "--signed-by", "张三", "--arrived-at", "2026-10-05 10:00",
                    "--at", "2026-10-05 11:00")  # free work needs no quote
    assert "warning" not in kept.stderr
    within = clerk.new(unit="3栋1203")
    clerk("quote", within, "--amount", "100", "--accepted-by", "张三", "--at", "2026-10-05 09:20")
    clerk("assign", within, "--to", "李师傅", "--at", "2026-10-05 09:30")
    assert "warning" not in clerk("close", within, "--labour", "110", "--signed-by", "张三",
                                  "--arrived-at", "2026-10-05 10:00",
                                  "--at", "2026-10-05 11:00").stderr  # 10% over: within the margin


def test_by_default_no_quote_is_needed(clerk):
    order = clerk.new()
    clerk("assign", order, "--to", "李师傅", "--at", "2026-10-05 09:10")
    assert clerk("close", order, "--labour", "80", "--signed-by", "张三", "--arrived-at", "2026-10-05 10:00",
                    "--at", "2026-10-05 11:00").stderr == ""


@pytest.mark.parametrize("text, said", [
    ("fees: {quote_required: yes please}\n", "fees.quote_required 'yes please' must be true or false"),
    ("fees: {quote_margin: 10}\n", "fees.quote_margin 10 must be a fraction 0..1, e.g. 0.10 for 10%"),
    ("fees: {quote_marg: 0.1}\n", "fees.quote_marg is not a setting; fees has quote_required, quote_margin"),
    ("fees: true\n", "fees must be a mapping, like `fees: {quote_required: false, quote_margin: 0.10}`"),
    ("  payment_days: -1\n", "service_levels.payment_days must be 0 or more, not -1"),
])
def test_a_bad_fees_setting_is_named_at_its_line(clerk, text, said):
    set_office(clerk, text)
    problems = [str(p) for p in settings.problems(clerk.root / "office.yaml")]
    assert len(problems) == 1 and said in problems[0], problems
    assert said in clerk("list", ok=False).output


def test_a_fee_unpaid_after_payment_days_is_late_for_the_finance_desk(clerk):
    set_office(clerk, "  payment_days: 3\n")
    order = clerk.new()
    finish(clerk, order, "--labour", "30")
    clerk("callback", order, "--method", "phone", "--satisfied", "--at", "2026-10-05 15:00")
    early = json.loads(clerk("overdue", "--at", "2026-10-08 10:00", "--within", "30m", "--format", "json").stdout)
    assert early == []
    late = clerk("overdue", "--at", "2026-10-08 12:00", "--format", "json", ok=False)
    assert late.exit_code == 1
    assert [(r["kind"], r["due"], r["holder"], r["late_minutes"]) for r in json.loads(late.stdout)] == \
        [("payment", "2026-10-08T11:00:00+08:00", terms.SLA_HOLDER["finance"], 60)]
    assert "finance" in clerk("overdue", "--at", "2026-10-08 12:00", ok=False).stdout
    clerk("pay", order, "--amount", "30", "--receipt", "SJ-9", "--at", "2026-10-08 12:00")
    assert clerk("overdue", "--at", "2026-10-09 12:00").exit_code == 0


def test_fees_lists_a_months_fees_in_the_finance_period_with_the_totals(clerk):
    set_office(clerk, "report:\n  cutoff_day: 20\n")
    before = clerk.new(at="2026-10-20 09:00")  # the October period: 21 September to 20 October
    inside = clerk.new(at="2026-10-21 09:00", unit="3栋1202")  # the November period
    for order, day in ((before, "2026-10-20"), (inside, "2026-10-21")):
        clerk("assign", order, "--to", "李师傅", "--at", f"{day} 09:10")
        clerk("close", order, "--labour", "40", "--signed-by", "张三", "--arrived-at", f"{day} 10:00",
              "--at", f"{day} 11:00")
    clerk("pay", inside, "--amount", "40", "--receipt", "SJ-7", "--at", "2026-10-22 09:00")
    november = fees(clerk, "--month", "2026-11")
    assert [row["id"] for row in november["orders"]] == [inside]
    assert november["totals"] == {"orders": 1, "due": D("40.00"), "collected": D("40.00"), "waived": D("0.00"),
                                  "outstanding": D("0.00")}
    assert [row["id"] for row in fees(clerk, "--unpaid")["orders"]] == [before]
    assert fees(clerk, "--month", "2026-11", "--unpaid")["orders"] == []
    assert clerk("fees", "--month", "2026-11", "--unpaid").stdout == "no fee is unpaid in 2026-11\n"
    table = clerk("fees").stdout
    assert "due 80.00  collected 40.00  waived 0.00  outstanding 40.00" in table
    assert f"{inside}  3栋1202" in table and "SJ-7" in table and "cash" in table


def test_monthly_shows_receivable_received_waived_and_unpaid_as_of_its_time(clerk, tmp_path):
    paid, waived, unpaid = clerk.new(), clerk.new(unit="3栋1202"), clerk.new(unit="3栋1203")
    finish(clerk, paid, "--labour", "50.5")
    finish(clerk, waived, "--labour", "100", "--waive", "30", "--approved-by", "赵总监", "--approver-role", "director")
    finish(clerk, unpaid, "--material", "阀芯:2:12.25")
    clerk("pay", paid, "--amount", "50.50", "--receipt", "SJ-1", "--at", "2026-10-06 09:00")
    clerk("pay", waived, "--amount", "70", "--receipt", "SJ-2", "--method", "card", "--at", "2026-11-02 09:00")
    report = json.loads(clerk("monthly", "2026-10", "--format", "json").stdout, parse_float=D)["fees"]
    assert (report["due"], report["collected"], report["waived"]["total"], report["outstanding"]) == \
        (D("145.00"), D("120.50"), D("30.00"), D("24.50"))
    assert "due 145.00  collected 120.50  waived 30.00  outstanding 24.50" in clerk("monthly", "2026-10").stdout
    orders = [reading.read(clerk.order_file(o), clerk_tz) for o in (paid, waived, unpaid)]
    then = payments.collected(orders, dt.datetime(2026, 10, 31, 23, 0, tzinfo=clerk_tz))
    assert then == {"collected": D("50.50"), "outstanding": D("94.50")}  # paid in November: not yet, as of October
    out = tmp_path / "月报.xlsx"
    clerk("monthly", "2026-10", "--out", str(out))
    figures = {row[0].value: row[1].value for row in openpyxl.load_workbook(out)["汇总"].iter_rows(min_row=5)}
    m = terms.MEASURE
    assert [D(str(figures[m[k]])) for k in ("due", "collected", "waived", "outstanding")] == \
        [D("145"), D("120.5"), D("30"), D("24.5")]


def test_check_names_a_hand_edited_payment_or_quote_that_does_not_fit(clerk):
    order = clerk.new()
    finish(clerk, order, "--labour", "30")
    clerk("pay", order, "--amount", "30", "--receipt", "SJ-1")
    path = clerk.order_file(order)
    text = path.read_text("utf-8")
    path.write_text(text.replace("payment: {amount: 30,", "payment: {amount: 25,"), "utf-8")
    said = clerk("check", ok=False).output
    assert "payment amount 25 is not the fee due 30.00" in said
    path.write_text(text.replace("payment: {amount: 30, receipt: SJ-1, method: cash}",
                                 "payment: {amount: 30, method: cash}\nquote: {amount: 40}"), "utf-8")
    said = clerk("check", ok=False).output
    assert "a payment needs amount, receipt and method (cash, wechat, alipay, card, bank)" in said
    assert "a quote needs amount and either accepted_by or declined: true" in said


def test_the_installed_executable_quotes_and_takes_a_payment(clerk, executable):
    order = clerk.new()
    finish(clerk, order, "--labour", "60")

    def run(*args):
        return subprocess.run([executable, "--root", str(clerk.root), *args], capture_output=True, text=True)

    assert run("pay", order, "--amount", "60", "--receipt", "SJ-20", "--method", "alipay").returncode == 0
    again = run("pay", order, "--amount", "60", "--receipt", "SJ-21")
    assert again.returncode == 1
    assert again.stderr == f"Error: {order} is paid already (60.00 yuan, receipt SJ-20); a fee is paid once\n"
    bad = run("pay", order, "--amount", "60", "--receipt", "SJ-21", "--method", "cheque")
    assert bad.returncode == 2 and "'cheque' is not one of" in bad.stderr


def test_a_settled_fee_above_the_quote_warns_and_fees_names_a_file_it_cannot_read(clerk):
    order = clerk.new()
    clerk("quote", order, "--amount", "40", "--accepted-by", "张三", "--at", "2026-10-05 09:05")
    finish(clerk, order, "--fee-pending")
    settled = clerk("fee", order, "--amount", "60", "--at", "2026-10-06 09:00")
    assert f"warning: {order}'s fee 60.00 yuan is more than the accepted quote 40.00 yuan by over 10%" in settled.stderr
    broken = clerk.new(unit="3栋1202")
    clerk.order_file(broken).write_text("id: [\n", "utf-8")
    listed = clerk("fees", "--format", "json", ok=False)
    assert listed.exit_code == 1
    assert f"{broken}.yaml:" in listed.stderr
    assert json.loads(listed.stdout, parse_float=D)["orders"][0]["id"] == order  # what could be read, still answered
