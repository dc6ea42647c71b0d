"""Each rule of orders/rules.py on a plain mapping: quiet on a good order, its own finding on a bad one."""

from __future__ import annotations

import copy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repairctl.office.catalogue import load_catalogue
from repairctl.office.folder import DEFAULTS
from repairctl.orders import fields, rules
from repairctl.text import inputs

TZ = ZoneInfo("Asia/Shanghai")
PATH = Path("records/orders/2026/11/HQ-000007.yaml")
GOOD = {
    "id": "HQ-000007", "status": "called_back", "channel": "phone", "scope": "unit", "unit": "3栋1201",
    "name": "张三", "phone": "13812345678", "description": "厨房水龙头漏水", "item": "W01",
    "urgency": "appointment", "appointment": "2026-11-23T14:00:00+08:00", "technician": "李师傅",
    "materials": [{"name": "水龙头", "qty": 1, "unit_price": 35}, {"name": "生料带", "qty": 2, "unit_price": 1.5}],
    "labour": 20, "waiver": {"amount": 10, "approved_by": "赵总监", "approver_role": "director"},
    "fee_pending": False, "callback": {"method": "phone", "satisfied": True}, "signed_by": "张三",
    "events": [
        {"action": "received", "at": "2026-11-23T09:15:00+08:00", "by": "王小红"},
        {"action": "assigned", "at": "2026-11-23T09:20:00+08:00", "by": "王小红", "to": "李师傅"},
        {"action": "arrived", "at": "2026-11-23T13:58:00+08:00", "by": "李师傅"},
        {"action": "finished", "at": "2026-11-23T14:30:00+08:00", "by": "李师傅"},
        {"action": "called_back", "at": "2026-11-24T10:00:00+08:00", "by": "王小红"},
        {"action": "edited", "at": "2026-11-24T11:00:00+08:00", "by": "王小红", "field": "unit", "old": "3栋1202",
         "new": "3栋1201", "reason": "业户报错门牌"},
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
    "shape": [(("events",), KeyError, (), "missing required field `events`"),
              (("events",), {"received": "now"}, ("events",), "events must be a list"),
              (("events", 2), None, ("events", 2), "an event needs action, at and by"),
              (("events", 0, "action"), "recieved", ("events", 0), "the first event must be `received`")],
    "required": [(("unit",), KeyError, (), "missing required field `unit`")],
    "identity": [(("id",), "HQ-7", ("id",), "not an order ID"),
                 (("id",), "HQ-000008", ("id",), "does not match the file name"),
                 (("events", 0, "at"), "2026-10-31T09:15:00+08:00", ("id",), "belongs in records/orders/2026/10/")],
    "choice": [(("channel",), "fax", ("channel",), "channel 'fax' is not one of"),
               (("status",), ["received"], ("status",), "is not one of")],
    "text": [(("name",), {"first": "张"}, ("name",), "name must be text")],
    "phone": [(("phone",), "12345", ("phone",), "is not a phone number")],
    "code": [(("item",), "W99", ("item",), "not a catalogue item code")],
    "appointment": [(("appointment",), KeyError, ("urgency",), "needs `appointment: TIME`")],
    "time": [(("appointment",), "2026-11-23 14:00", ("appointment",), "has no UTC offset"),
             (("events", 1, "at"), "2026-11-23T09:20:00+8:00", ("events", 1, "at"), "is not a time"),
             (("events", 1, "at"), KeyError, ("events", 1), "an event needs `at`"),
             (("events", 2, "at"), "0026-11-23T13:58:00+08:00", ("events", 2, "at"), "in the year 26"),
             (("events", 4, "at"), "0001-01-01T00:00:00+08:00", ("events", 4, "at"), "in the year 1")],
    "characters": [(("unit",), "3栋\x1b[2J1201", ("unit",), "unit holds the control character U+001B"),
                   (("events", 1, "by"), "王\u202e红", ("events", 1, "by"), "events[1].by holds the invisible"),
                   (("callback", "reason"), "x" * 1001, ("callback", "reason"), "is 1001 characters long")],
    "money": [(("labour",), -5, ("labour",), "zero or more"), (("labour",), float("nan"), ("labour",), "zero or more"),
              (("labour",), 0.125, ("labour",), "to the fen"), (("labour",), float("inf"), ("labour",), "zero or more"),
              (("materials", 1, "qty"), 0, ("materials", 1, "qty"), "positive"),
              (("fee_pending",), "no", ("fee_pending",), "true or false")],
    "waiver": [(("waiver", "amount"), 600, ("waiver",), "needs company approval"),
               (("waiver", "approver_role"), "boss", ("waiver",), "approver_role (director or company)")],
    "events": [(("events", 3, "action"), "cleaned", ("events", 3, "action"), "unknown event 'cleaned'"),
               (("events", 2, "at"), "2026-11-23T09:00:00+08:00", ("events", 2, "at"), "before the event above it"),
               (("status",), "finished", ("status",), "the events say called_back")],
    "edited": [(("events", 5, "field"), "楼号", ("events", 5, "field"), "names the field it changed, one of unit"),
               (("events", 5, "reason"), KeyError, ("events", 5), "keeps the new value and the reason"),
               (("events", 5, "new"), KeyError, ("events", 5), "keeps the new value and the reason")],
    "conflict": [(("conflict",), {"reason": "HQ-000007: technician is 李师傅 in ours, 王师傅 in theirs",
                                  "theirs": "id: HQ-000007\n"}, ("conflict",), "resolve HQ-000007 --take ours|theirs"),
                 (("conflict",), "x", ("conflict",), "(its `theirs` text is missing)")],
    "quote": [(("quote",), {"amount": 40}, ("quote",), "either accepted_by or declined: true"),
              (("quote",), {"amount": 0, "accepted_by": "张三"}, ("quote",), "a quote needs amount"),
              (("quote",), {"amount": 40, "accepted_by": "张三", "declined": True}, ("quote",), "either accepted_by")],
    "payment": [(("payment",), {"amount": 48, "method": "wechat"}, ("payment",), "needs amount, receipt and method"),
                (("payment",), {"amount": 48, "receipt": "SJ-1", "method": "cheque"}, ("payment",), "method (cash"),
                (("payment",), {"amount": 40, "receipt": "SJ-1", "method": "cash"}, ("payment", "amount"),
                 "payment amount 40 is not the fee due 48.00")],
    "field": [(("姓名",), "张三", ("姓名",), "'姓名' is no field of an order (a typo?)"),
              (("foo",), "bar", ("foo",), "'foo' is no field")],
    "signoff": [(("unsigned",), "业户不在家", ("unsigned",), "signed_by and unsigned exclude each other"),
                (("quantity",), 0, ("quantity",), "more than zero"), (("quantity",), "3", ("quantity",), "a number"),
                (("quantity",), True, ("quantity",), "a number")],
    "planned": [(("checklist",), "x", ("checklist",), "checklist must be a list"),
                (("checklist",), [{"item": "a", "result": "fault"}], ("checklist", 0), "a fault needs its note"),
                (("checklist",), [{"item": "a", "result": "bad"}], ("checklist", 0, "result"), "is not ok or fault"),
                (("checklist",), [{"item": "a"}], ("checklist", 0), "the job is finished but this item has no result")],
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


# --- the rules that make a file unreadable: `time` and `characters` -------------------------------------

def test_the_unreadable_rules_are_registered_ones():
    assert {"mapping", "shape", "time", "characters"} == rules.UNREADABLE
    assert rules.UNREADABLE - {"mapping"} <= set(rules.RULES)


# every place a text can be, nested ones included, and a key
PLACES = [("unit",), ("name",), ("technician",), ("materials", 0, "name"), ("waiver", "approved_by"),
          ("callback", "reason"), ("events", 1, "by"), ("events", 1, "to"), ("description",)]
CHARACTERS = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u2028", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f",
              "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2060", "\u2066", "\u2067", "\u2068", "\u2069",
              "\u061c", "\ufeff"]


@pytest.mark.parametrize("character", CHARACTERS, ids=[f"U+{ord(c):04X}" for c in CHARACTERS])
@pytest.mark.parametrize("keys", PLACES, ids=[".".join(map(str, k)) for k in PLACES])
def test_a_forbidden_character_anywhere_is_found_where_it_is(catalogue, keys, character):
    data = copy.deepcopy(GOOD)
    data.setdefault("callback", {})["reason"] = "师傅态度好"
    set_path(data, keys, f"李{character}师傅")
    found = rules.check_order_data(data, PATH, TZ, catalogue)
    assert [(f.rule, f.keys) for f in found] == [("characters", keys)], found
    assert f"U+{ord(character):04X}" in found[0].message and character not in found[0].message


def test_a_key_that_holds_a_forbidden_character_is_found_and_not_repeated(catalogue):
    data = copy.deepcopy(GOOD)
    data["callback"]["not\u202eice"] = "x"
    found = rules.check_order_data(data, PATH, TZ, catalogue)
    assert [(f.rule, f.keys) for f in found] == [("characters", ("callback", "not\u202eice"))]
    assert found[0].message.startswith("callback.'not\\u202eice' holds the invisible character U+202E")


@pytest.mark.parametrize("keys", [("description",), ("work",), ("opinion",), ("cancel_reason",), ("followup",),
                                  ("callback", "reason"), ("events", 4, "note")])
def test_lines_and_tabs_are_text_in_the_fields_that_take_them(catalogue, keys):
    data = copy.deepcopy(GOOD)
    data.setdefault("callback", {})
    set_path(data, keys, "第一行\n\t第二行")
    assert rules.check_order_data(data, PATH, TZ, catalogue) == []


@pytest.mark.parametrize("keys", [("unit",), ("name",), ("technician",), ("events", 1, "by"), ("events", 1, "to"),
                                  ("materials", 0, "name")])
def test_a_line_break_or_tab_in_a_one_line_field_is_found(catalogue, keys):
    for text, what in (("李\n师傅", "holds a line break"), ("李\t师傅", "holds a tab")):
        data = copy.deepcopy(GOOD)
        set_path(data, keys, text)
        found = rules.check_order_data(data, PATH, TZ, catalogue)
        assert [(f.rule, f.keys) for f in found] == [("characters", keys)] and what in found[0].message


def test_deep_nesting_is_walked_without_recursion(catalogue):
    data = copy.deepcopy(GOOD)
    deep = node = {}
    for _ in range(5000):
        node["x"] = {}
        node = node["x"]
    node["y"] = "\x1b"
    data["notes"] = deep
    found = [f for f in rules.check_order_data(data, PATH, TZ, catalogue) if f.rule != "field"]  # notes: no field
    assert [f.rule for f in found] == ["characters"] and len(found[0].keys) == 5002


def test_a_reschedules_times_are_times_too(catalogue):
    data = copy.deepcopy(GOOD)
    data["status"] = "assigned"
    data["events"] = [*GOOD["events"][:2], {"action": "rescheduled", "at": "2026-11-23T10:00:00+08:00", "by": "王小红",
                                            "from": "0026-11-23T14:00:00+08:00", "to": "2026-11-24 14:00"}]
    found = rules.check_order_data(data, PATH, TZ, catalogue)
    assert [(f.rule, f.keys) for f in found] == [("time", ("events", 2, "from")), ("time", ("events", 2, "to"))]
    assert "in the year 26" in found[0].message and "has no UTC offset" in found[1].message


HAND_EDIT = """\
id: HQ-000001
status: assigned
unit: 7栋803
name: 陈先生
phone: '13700001111'
description: "洗手盆\\t下水管漏水\\n地上有水"
item: W08
technician: 李师傅
materials:
  - {name: "下水管\\e[2J", qty: 1, unit_price: 18.5}
events:
  - {action: received, at: 2026-10-06T08:30:00+08:00, by: 王小红}
  - {action: assigned, at: 0026-10-06T08:40:00+08:00, by: "王\\u200b小红", to: 李师傅}
"""


def test_check_places_time_and_character_findings_at_their_line_and_column(clerk, place, snapshot, monkeypatch):
    path = place(clerk, HAND_EDIT)
    monkeypatch.chdir(clerk.root)
    before = snapshot(clerk)
    result = clerk("check", "--format", "json", ok=False)
    assert result.exit_code == 1
    import json

    found = [(p["line"], p["column"], p["rule"], p["message"]) for p in json.loads(result.stdout)]
    assert found == [
        (10, 6, "characters", "materials[0].name holds the control character U+001B; remove it"),
        (13, 24, "time", "time 0026-10-06T08:40:00+08:00 is in the year 26; a time must fall in 2000..2099"),
        (13, 55, "characters", "events[1].by holds the invisible character U+200B (zero width space), which makes "
                               "text differ from what it shows; remove it"),
    ]
    text = clerk("check", ok=False).stdout
    assert text.splitlines()[0].startswith(f"{path.relative_to(clerk.root)}:10:6: materials[0].name")
    assert "\x1b" not in text and "\u200b" not in text
    assert snapshot(clerk) == before


TEXTS = st.text(st.sampled_from(["a", "栋", " ", "\n", "\t", "\x1b", "\u202e", "\u200b", "\x85", "\u3000"]), max_size=8)
NESTED = st.recursive(TEXTS | st.integers() | st.none(),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXTS | st.integers(), inner,
                                                                                 max_size=3), max_leaves=12)


@given(st.dictionaries(st.sampled_from(["unit", "description", "events", "x\u200b"]), NESTED, max_size=4))
def test_the_quick_look_never_misses_what_the_full_walk_finds(data):
    found = list(rules.RULES["characters"](data, rules.Where(PATH, TZ, None)))
    assert not found or fields.unfit_anywhere(data)
    # and what no field may hold (a character nobody sees, a control one) is always found
    if any(inputs.fault(text, lines=True) for _, text in fields.strings(data)):
        assert found
