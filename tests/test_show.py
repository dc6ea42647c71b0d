"""`show`: every field of an order a person asks about, from hand-written order files in the format
issue 14 fixed (quote, payment, unsigned, quantity), as the terminal card and as JSON."""

from __future__ import annotations

import json
import re

from tests.test_i18n_reports import chinese

# a job from quote to payment: quoted and accepted, rescheduled twice, two materials, a waiver, paid,
# signed for, called back unsatisfied and followed up twice; E16's standard is per metre (× 3)
FULL = """\
id: HQ-000001
status: called_back
channel: phone
scope: unit
unit: 3栋1201
name: 张三
phone: '13812345678'
description: 阳台线管老化
item: E16
quantity: 3
urgency: appointment
appointment: 2026-10-06T14:00:00+08:00
technician: 李师傅
quote: {amount: 120, accepted_by: 张三}
work: 更换阻燃导线管三米
materials:
  - {name: 阻燃导线管, qty: 3, unit_price: 12.35}
  - {name: 接线盒, qty: 1.5, unit_price: 4}
labour: 60
waiver: {amount: 10, approved_by: 赵总监, approver_role: director}
opinion: 满意
signed_by: 张三
fee_pending: false
payment: {amount: 93.05, receipt: SJ-0012, method: wechat}
callback: {method: phone, satisfied: false, reason: 线管颜色不对}
followup: 已换同色线管，业户认可
events:
  - {action: received, at: 2026-10-05T09:00:00+08:00, by: 王小红}
  - {action: assigned, at: 2026-10-05T09:10:00+08:00, by: 王小红, to: 李师傅}
  - {action: rescheduled, at: 2026-10-05T09:30:00+08:00, by: 李师傅, to: 2026-10-06T09:00:00+08:00}
  - {action: rescheduled, at: 2026-10-06T08:00:00+08:00, by: 王小红, from: 2026-10-06T09:00:00+08:00,
     to: 2026-10-06T14:00:00+08:00}
  - {action: arrived, at: 2026-10-06T14:01:00+08:00, by: 李师傅}
  - {action: quoted, at: 2026-10-06T14:05:00+08:00, by: 李师傅, amount: 120, accepted_by: 张三}
  - {action: finished, at: 2026-10-06T15:00:00+08:00, by: 李师傅, signed_by: 张三}
  - {action: paid, at: 2026-10-06T16:00:00+08:00, by: 财务刘, amount: 93.05, receipt: SJ-0012, method: wechat}
  - {action: called_back, at: 2026-10-07T10:00:00+08:00, by: 王小红, method: phone, satisfied: false}
  - {action: followed_up, at: 2026-10-07T16:00:00+08:00, by: 王小红, note: 已约业户改天换线管}
  - {action: followed_up, at: 2026-10-08T11:00:00+08:00, by: 王小红, note: 已换同色线管，业户认可}
"""

# a public area's job, quoted and declined: unsigned, nothing owed
DECLINED = """\
id: HQ-000002
status: finished
channel: staff
scope: public
unit: 5栋大堂
name: 保安老周
phone: '13900001111'
description: 大堂水表要清洗
item: W04
urgency: immediate
technician: 陈师傅
quote: {amount: 80, declined: true}
unsigned: 验收人不在
fee_pending: false
events:
  - {action: received, at: 2026-10-05T10:00:00+08:00, by: 王小红}
  - {action: assigned, at: 2026-10-05T10:05:00+08:00, by: 王小红, to: 陈师傅}
  - {action: arrived, at: 2026-10-05T10:15:00+08:00, by: 陈师傅}
  - {action: finished, at: 2026-10-05T10:40:00+08:00, by: 陈师傅, unsigned: 验收人不在}
"""


def referred(order_id: str, job: str) -> str:
    return f"""\
id: {order_id}
status: referred
channel: phone
scope: unit
unit: 2栋301
name: 李四
phone: '13700002222'
description: 空调不制冷
supplier_job: {job}
urgency: immediate
events:
  - {{action: received, at: 2026-10-05T11:00:00+08:00, by: 王小红}}
  - {{action: referred, at: 2026-10-05T11:05:00+08:00, by: 王小红, job: {job}}}
"""


def test_show_card_has_every_yuan_from_quote_to_payment(clerk, place, check_golden):
    place(clerk, FULL)
    text = clerk("show", "HQ-000001").stdout
    check_golden("show_HQ-000001.txt", text)
    rows = text.splitlines()
    # the catalogue's own words, counted by the quantity; then how long it took, arrival to finish
    assert "standard     15分钟/米 × 3; took 59 min, over it" in rows
    assert "quote        120.00 yuan, accepted by 张三" in rows
    assert "materials    阻燃导线管 3 × 12.35 = 37.05 yuan" in rows
    assert "             接线盒 1.5 × 4.00 = 6.00 yuan" in rows and "             total 43.05 yuan" in rows
    assert "labour       60.00 yuan" in rows
    assert "waiver       10.00 yuan, approved by 赵总监 (director)" in rows
    assert "fee          93.05 yuan, paid" in rows
    assert "payment      93.05 yuan, receipt SJ-0012, WeChat Pay" in rows
    assert "signed by    张三" in rows
    assert "rescheduled  → 2026-10-06 09:00 (agreed 2026-10-05 09:30, 李师傅)" in rows
    assert "rescheduled  2026-10-06 09:00 → 2026-10-06 14:00 (agreed 2026-10-06 08:00, 王小红)" in rows
    assert "followup     2026-10-07 16:00  王小红  已约业户改天换线管" in rows  # each follow-up, not just the last
    assert "followup     2026-10-08 11:00  王小红  已换同色线管，业户认可" in rows


def test_show_json_adds_what_is_worked_out_with_english_keys(clerk, place):
    place(clerk, FULL)
    data = json.loads(clerk("show", "HQ-000001", "--format", "json").stdout)
    assert data["quote"] == {"amount": 120, "accepted_by": "张三"}
    assert data["payment"] == {"amount": 93.05, "receipt": "SJ-0012", "method": "wechat"}
    assert (data["amount_due"], data["materials_total"], data["fee_state"]) == (93.05, 43.05, "paid")
    assert data["standard"] == {"text": "15分钟/米", "quantity": 3, "allowed_minutes": 45.0, "taken_minutes": 59,
                                "met": False} and data["quantity"] == 3 and data["signed_by"] == "张三"
    assert data["reschedules"] == [
        {"from": None, "to": "2026-10-06T09:00:00+08:00", "at": "2026-10-05T09:30:00+08:00", "by": "李师傅"},
        {"from": "2026-10-06T09:00:00+08:00", "to": "2026-10-06T14:00:00+08:00", "at": "2026-10-06T08:00:00+08:00",
         "by": "王小红"}]
    assert "supplier" not in data


def test_a_declined_quote_and_an_unsigned_public_job(clerk, place):
    place(clerk, DECLINED, "HQ-000002")
    rows = clerk("show", "HQ-000002").stdout.splitlines()
    assert "quote        80.00 yuan, declined by the owner" in rows
    assert "acceptor     unsigned: 验收人不在" in rows  # a public area is signed for by its 验收人
    assert "fee          0.00 yuan" in rows and not any(r.startswith("payment") for r in rows)
    assert "standard     1小时内; took 25 min, within it（需声明若出现度量不准确与此清洗无关）" in rows  # W04 remark
    place(clerk, DECLINED.replace("item: W04\n", "item: W04\nquantity: 2\n"), "HQ-000002")
    # W04's standard is no per-unit one: the quantity does not multiply it
    shown = clerk("show", "HQ-000002").stdout
    assert "standard     1小时内; took 25 min, within it（需声明若出现度量不准确与此清洗无关）" in shown
    assert json.loads(clerk("show", "HQ-000002", "--format", "json").stdout)["fee_state"] == "none"


def test_fee_states_due_waived_pending_and_a_sign_off_not_recorded(clerk, place):
    due = DECLINED.replace("quote: {amount: 80, declined: true}\nunsigned: 验收人不在\n", "labour: 30\n")
    place(clerk, due, "HQ-000002")
    rows = clerk("show", "HQ-000002").stdout.splitlines()
    assert "fee          30.00 yuan, due" in rows and "acceptor     not recorded" in rows
    place(clerk, due.replace("labour: 30\n", "labour: 30\nwaiver: {amount: 30, approved_by: 赵总监}\n"), "HQ-000002")
    rows = clerk("show", "HQ-000002").stdout.splitlines()
    assert "fee          0.00 yuan, waived" in rows and "waiver       30.00 yuan, approved by 赵总监" in rows
    place(clerk, due.replace("fee_pending: false", "fee_pending: true"), "HQ-000002")
    assert json.loads(clerk("show", "HQ-000002", "--format", "json").stdout)["fee_state"] == "pending"


def test_a_referred_job_names_its_provider_or_says_none_is_named(clerk, place):
    place(clerk, referred("HQ-000003", "S01"), "HQ-000003")
    place(clerk, referred("HQ-000004", "S03"), "HQ-000004")
    assert "supplier     海尔代理公司" in clerk("show", "HQ-000003").stdout.splitlines()
    assert "supplier     none named" in clerk("show", "HQ-000004").stdout.splitlines()  # the seed's row is blank
    data = json.loads(clerk("show", "HQ-000004", "--format", "json").stdout)
    assert data["supplier"] == {"code": "S03", "name": "维修空调机", "provider": None} and data["standard"] is None


def test_show_speaks_the_desks_words(clerk, place):
    place(clerk, FULL)
    place(clerk, DECLINED, "HQ-000002")
    def rows(order_id):  # label and value, one space between: the Chinese card pads to its own widest label
        return [re.sub(r"^(\S+) {2,}", r"\1 ", row) for row in chinese("show", order_id, clerk=clerk).splitlines()]

    card = rows("HQ-000001")
    assert "维修时限 15分钟/米 × 3；用时 59 分钟，超出时限" in card
    assert "报价 120.00 元，张三同意" in card
    assert "材料 阻燃导线管 3 × 12.35 = 37.05 元" in card
    assert "减免 10.00 元，批准人 赵总监（物业总监）" in card
    assert "费用合计 93.05 元，已收" in card
    assert "缴费 93.05 元，收据 SJ-0012，微信" in card
    assert "业户签名 张三" in card
    assert "改约 2026-10-06 09:00 → 2026-10-06 14:00（2026-10-06 08:00 王小红约定）" in card
    public = rows("HQ-000002")
    assert "报价 80.00 元，业户不同意" in public and "验收人 未签：验收人不在" in public
