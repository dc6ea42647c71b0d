"""The whole life of an order through the commands, and every refused transition."""

from __future__ import annotations

import json

import pytest

from repairctl.store import yamlio


def walk_to(clerk, state: str) -> str:
    """Create an order and take it to state with realistic times."""
    oid = clerk.new()
    steps = {
        "assigned": [("assign", oid, "--to", "李师傅", "--at", "2026-10-05 09:05")],
        "arrived": [("visit", oid, "--arrived", "--at", "2026-10-05 09:18")],
        "finished": [("close", oid, "--work", "更换水龙头", "--material", "水龙头:1:35", "--labour", "20",
                      "--signed-by", "张三", "--at", "2026-10-05 09:40")],
        "called_back": [("callback", oid, "--method", "phone", "--satisfied", "--at", "2026-10-05 15:00")],
    }
    order = ["assigned", "arrived", "finished", "called_back"]
    if state == "cancelled":
        clerk("cancel", oid, "--reason", "业户自行修好", "--at", "2026-10-05 09:10")
        return oid
    if state == "referred":
        clerk("refer", oid, "--job", "S24", "--at", "2026-10-05 09:10")
        return oid
    for step in order[: order.index(state) + 1] if state in order else []:
        for args in steps[step]:
            clerk(*args)
    return oid


def test_an_order_lives_from_new_to_callback(clerk):
    oid = walk_to(clerk, "called_back")
    assert oid == "HQ-000001"
    data = yamlio.load_fast(clerk.order_file(oid))
    assert data["status"] == "called_back"
    assert [e["action"] for e in data["events"]] == ["received", "assigned", "arrived", "finished", "called_back"]
    assert data["events"][2]["at"] == "2026-10-05T09:18:00+08:00"
    assert data["materials"] == [{"name": "水龙头", "qty": 1, "unit_price": 35}]
    shown = json.loads(clerk("show", oid, "--format", "json").output)
    assert shown["id"] == oid and shown["status"] == "called_back" and shown["amount_due"] == 55.0
    # one commit per change, each naming the command and the order, authored as the actor
    subjects = clerk.git("log", "--format=%an|%s").splitlines()
    assert subjects[:5] == [
        f"王小红|callback {oid}: 回访(电话) 满意",
        f"王小红|close {oid}: 完工, 费用 55.00 元",
        f"王小红|visit {oid}: 到场",
        f"王小红|assign {oid}: 派工给 李师傅",
        f"王小红|new {oid}: 3栋1201 厨房水龙头漏水",
    ]
    assert clerk.git("status", "--porcelain") == ""
    log = clerk("log", oid).output.splitlines()
    assert len(log) == 5 and log[0].startswith("2026-10-05 09:00  王小红  new ") and "派工给 李师傅" in log[1]


def test_by_names_the_author_and_at_the_author_date(clerk):
    oid = clerk.new()
    clerk("assign", oid, "--to", "李师傅", "--by", "赵主管", "--at", "2026-10-05 09:07")
    assert clerk.git("log", "-1", "--format=%an|%aI|%cn") == "赵主管|2026-10-05T09:07:00+08:00|王小红\n"
    assert "(recorded " in clerk("log", oid).output.splitlines()[1]


def test_absent_owner_prints_the_message_note(clerk):
    oid = walk_to(clerk, "assigned")
    out = clerk("visit", oid, "--absent", "--at", "2026-10-05 09:20").output
    assert "留言条" in out.replace(" ", "") and "3栋1201" in out and "0755-26001234" in out and "李师傅" in out
    assert yamlio.load_fast(clerk.order_file(oid))["status"] == "assigned"


def test_reschedule_moves_the_appointment(clerk):
    oid = walk_to(clerk, "arrived")
    clerk("visit", oid, "--reschedule", "2026-10-06 14:00", "--at", "2026-10-05 09:25")
    data = yamlio.load_fast(clerk.order_file(oid))
    assert data["status"] == "assigned" and data["urgency"] == "immediate"  # how it came in stays
    assert data["appointment"] == "2026-10-06T14:00:00+08:00"


def test_pending_fee_is_settled_later(clerk):
    oid = walk_to(clerk, "arrived")
    clerk("close", oid, "--signed-by", "业户", "--fee-pending", "--at", "2026-10-05 10:00")
    assert json.loads(clerk("show", oid, "--format", "json").output)["fee_pending"] is True
    clerk("fee", oid, "--amount", "80", "--by", "赵主管", "--at", "2026-10-06 10:00")
    shown = json.loads(clerk("show", oid, "--format", "json").output)
    assert shown["fee_pending"] is False and shown["amount_due"] == 80.0
    refused = clerk("fee", oid, "--amount", "90", ok=False)
    assert refused.exit_code == 1 and "no fee pending" in refused.output


def test_waiver_rules_follow_003(clerk):
    oid = walk_to(clerk, "arrived")
    big = ["close", oid, "--signed-by", "业户", "--material", "热水阀:1:600", "--waive", "600",
           "--approved-by", "刘总监"]
    refused = clerk(*big, "--approver-role", "director", ok=False)
    assert refused.exit_code == 1 and "公司领导" in refused.output
    clerk(*big, "--approver-role", "company")
    assert json.loads(clerk("show", oid, "--format", "json").output)["amount_due"] == 0.0


def test_unsatisfied_callback_needs_a_reason(clerk):
    oid = walk_to(clerk, "finished")
    assert "--reason" in clerk("callback", oid, "--method", "phone", "--unsatisfied", ok=False).output
    clerk("callback", oid, "--method", "visit", "--unsatisfied", "--reason", "还在滴水")
    assert yamlio.load_fast(clerk.order_file(oid))["callback"] == {
        "method": "visit", "satisfied": False, "reason": "还在滴水"}


REFUSED = [
    ("received", ["visit", "{id}", "--arrived"]),
    ("received", ["close", "{id}"]),
    ("received", ["callback", "{id}", "--method", "phone", "--satisfied"]),
    ("assigned", ["callback", "{id}", "--method", "phone", "--satisfied"]),
    ("arrived", ["visit", "{id}", "--absent"]),
    ("arrived", ["assign", "{id}", "--to", "王师傅"]),
    ("finished", ["close", "{id}"]),
    ("finished", ["cancel", "{id}", "--reason", "x"]),
    ("finished", ["fee", "{id}", "--amount", "5"]),
    ("called_back", ["callback", "{id}", "--method", "phone", "--satisfied"]),
    ("cancelled", ["assign", "{id}", "--to", "李师傅"]),
    ("cancelled", ["visit", "{id}", "--reschedule", "2026-10-07 10:00"]),
    ("cancelled", ["cancel", "{id}", "--reason", "again"]),
    ("referred", ["assign", "{id}", "--to", "李师傅"]),
    ("referred", ["close", "{id}"]),
]


@pytest.mark.parametrize("state,command", REFUSED, ids=[f"{s}-{c[0]}" for s, c in REFUSED])
def test_refused_transition_leaves_the_file_byte_for_byte(clerk, state, command):
    oid = walk_to(clerk, state)
    path = clerk.order_file(oid)
    before, head = path.read_bytes(), clerk.git("rev-parse", "HEAD")
    result = clerk(*[arg.format(id=oid) for arg in command], ok=False)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and len(result.output.strip().splitlines()) == 1
    assert path.read_bytes() == before
    assert clerk.git("rev-parse", "HEAD") == head and clerk.git("status", "--porcelain") == ""


def test_event_before_the_last_one_is_refused(clerk):
    oid = walk_to(clerk, "assigned")
    result = clerk("visit", oid, "--arrived", "--at", "2026-10-05 08:00", ok=False)
    assert result.exit_code == 1 and "time order" in result.output


def test_future_event_time_is_refused(clerk):
    result = clerk("new", "--unit", "1-101", "--name", "李四", "--phone", "13900000000", "--desc", "灯不亮",
                  "--at", "2099-01-01 10:00", ok=False)
    assert result.exit_code == 1 and "future" in result.output
    assert not list(clerk.root.glob("records/orders/*/*/*.yaml"))
