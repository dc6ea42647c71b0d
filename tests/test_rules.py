"""Each rule of orders/rules.py on a plain mapping: quiet on a good order, its own finding on a bad one."""

from __future__ import annotations

import copy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from repairctl.office.catalogue import load_catalogue
from repairctl.office.folder import DEFAULTS
from repairctl.orders import rules

TZ = ZoneInfo("Asia/Shanghai")
PATH = Path("records/orders/2026/11/HQ-000007.yaml")
GOOD = {
    "id": "HQ-000007", "status": "called_back", "channel": "phone", "scope": "unit", "unit": "3栋1201",
    "name": "张三", "phone": "13812345678", "description": "厨房水龙头漏水", "item": "W01",
    "urgency": "appointment", "appointment": "2026-11-23T14:00:00+08:00", "technician": "李师傅",
    "materials": [{"name": "水龙头", "qty": 1, "unit_price": 35}, {"name": "生料带", "qty": 2, "unit_price": 1.5}],
    "labour": 20, "waiver": {"amount": 10, "approved_by": "赵总监", "approver_role": "director"},
    "fee_pending": False, "callback": {"method": "phone", "satisfied": True},
    "events": [
        {"action": "received", "at": "2026-11-23T09:15:00+08:00", "by": "王小红"},
        {"action": "assigned", "at": "2026-11-23T09:20:00+08:00", "by": "王小红", "to": "李师傅"},
        {"action": "arrived", "at": "2026-11-23T13:58:00+08:00", "by": "李师傅"},
        {"action": "finished", "at": "2026-11-23T14:30:00+08:00", "by": "李师傅"},
        {"action": "called_back", "at": "2026-11-24T10:00:00+08:00", "by": "王小红"},
    ],
}


def set_path(data: dict, keys: tuple, value) -> None:
    for key in keys[:-1]:
        data = data[key]
    if value is KeyError:
        del data[keys[-1]]
    else:
        data[keys[-1]] = value


# rule id -> (the change that breaks it, the key path reported, words of the message)
BROKEN = {
    "required": [(("unit",), KeyError, (), "missing required field `unit`")],
    "identity": [(("id",), "HQ-7", ("id",), "not an order ID"),
                 (("id",), "HQ-000008", ("id",), "does not match the file name"),
                 (("events", 0, "at"), "2026-10-31T09:15:00+08:00", ("id",), "belongs in records/orders/2026/10/")],
    "choice": [(("channel",), "fax", ("channel",), "channel 'fax' is not one of"),
               (("status",), ["received"], ("status",), "is not one of")],
    "text": [(("name",), {"first": "张"}, ("name",), "name must be text")],
    "phone": [(("phone",), "12345", ("phone",), "is not a phone number")],
    "code": [(("item",), "W99", ("item",), "not a catalogue item code")],
    "appointment": [(("appointment",), KeyError, ("urgency",), "needs `appointment: TIME`"),
                    (("appointment",), "2026-11-23 14:00", ("appointment",), "has no UTC offset")],
    "money": [(("labour",), -5, ("labour",), "zero or more"), (("labour",), float("nan"), ("labour",), "zero or more"),
              (("labour",), 0.125, ("labour",), "to the fen"), (("labour",), float("inf"), ("labour",), "zero or more"),
              (("materials", 1, "qty"), 0, ("materials", 1, "qty"), "positive"),
              (("fee_pending",), "no", ("fee_pending",), "true or false")],
    "waiver": [(("waiver", "amount"), 600, ("waiver",), "needs company approval"),
               (("waiver", "approver_role"), "boss", ("waiver",), "approver_role (director or company)")],
    "events": [(("events", 3, "action"), "cleaned", ("events", 3, "action"), "unknown event 'cleaned'"),
               (("events", 2, "at"), "2026-11-23T09:00:00+08:00", ("events", 2, "at"), "before the event above it"),
               (("status",), "finished", ("status",), "the events say called_back")],
}


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    root = tmp_path_factory.mktemp("office")
    for name in ("catalog.yaml", "suppliers.yaml"):
        (root / name).write_bytes((DEFAULTS / name).read_bytes())
    return load_catalogue(root)


def test_a_good_order_breaks_no_rule(catalogue):
    assert rules.check_order_data(copy.deepcopy(GOOD), PATH, TZ, catalogue) == []


def test_every_registered_rule_is_tried_here():
    assert set(BROKEN) == set(rules.RULES)


@pytest.mark.parametrize(("rule_id", "keys", "value", "at", "words"),
                         [(rule_id, *case) for rule_id, cases in BROKEN.items() for case in cases])
def test_one_broken_field_is_found_by_its_rule(catalogue, rule_id, keys, value, at, words):
    data = copy.deepcopy(GOOD)
    set_path(data, keys, value)
    found = rules.check_order_data(data, PATH, TZ, catalogue)
    # the first finding is the field's own; a broken event may make the status disagree too
    assert (found[0].rule, found[0].keys) == (rule_id, at) and words in found[0].message, found
    assert {f.rule for f in found} == {rule_id}, found


def test_a_rule_runs_alone_on_a_mapping(catalogue):
    where = rules.Where(PATH, TZ, catalogue)
    assert list(rules.RULES["phone"]({"phone": "+86 138-1234-5678"}, where)) == []
    assert [keys for keys, _ in rules.RULES["phone"]({"phone": "138"}, where)] == [("phone",)]


def test_what_is_not_a_mapping_is_one_finding(catalogue):
    assert [(f.rule, f.keys) for f in rules.check_order_data(["id: HQ-1"], PATH, TZ, catalogue)] == [("mapping", ())]
