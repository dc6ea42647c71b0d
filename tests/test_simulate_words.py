"""The simulated month reads like a real desk's: each order's words fit its catalogue item, and the
month uses what issues 14–15 added (quotes, payments, inspections, delays, corrections, sign-offs)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from repairctl.office.folder import load_office
from repairctl.orders import reading, simulate
from repairctl.orders import simulate_words as words
from repairctl.orders.check import check_office
from repairctl.store import yamlio
from repairctl.store.files import order_files

WATER = ("水", "滴", "渗")  # a power job's owner never says the tap still drips
POWER = ("灯", "电", "跳闸", "插座", "开关")


def orders_of(root):
    office = load_office(root)
    return [reading.read(path, office.tz) for path in order_files(office.orders_dir)]


@pytest.fixture(scope="module")
def example(example_office):
    return orders_of(example_office)


@pytest.fixture
def generated(office):
    """Another seed's fortnight, so the words fit by the table, not by luck of the example's seed."""
    now = dt.datetime(2026, 10, 16, 12, 0, tzinfo=office.tz)
    simulate.write(office, simulate.Simulator(office, seed=23).orders(dt.date(2026, 10, 1), dt.date(2026, 10, 16), now))
    assert check_office(office.root) == []
    return orders_of(office.root)


def test_every_in_house_item_has_its_words_and_no_code_is_unknown(office):
    items = office.catalogue.items
    assert set(words.ITEMS) == {code for code, item in items.items() if item.in_house}
    for code, said in words.ITEMS.items():
        assert said.says and said.work, code
        if items[code].category == "power":  # a lamp job takes no tap, and its owner never says it drips
            assert not any(w in text for text in said.unhappy + tuple(n for n, _ in said.materials) for w in WATER)
        if items[code].category == "water":
            assert not any(w in text for text in said.unhappy + tuple(n for n, _ in said.materials) for w in POWER)


@pytest.mark.parametrize("source", ["example", "generated"])
def test_descriptions_work_parts_and_complaints_fit_the_item(source, request):
    orders = request.getfixturevalue(source)
    complaints = Counter()
    for order in orders:
        code, job = order.get("item"), order.get("supplier_job")
        said = words.ITEMS.get(code)
        if job:
            continue
        if said is None:
            assert order.get("description") in words.UNCOVERED, order.id
            continue
        assert order.get("description") in said.says, (order.id, code, order.get("description"))
        if order.get("work"):
            assert order.get("work").removeprefix("返工：") == said.work, order.id
        parts = {name for name, _ in said.materials}
        assert {m["name"] for m in order.get("materials") or []} <= parts, (order.id, code)
        reason = (order.get("callback") or {}).get("reason")
        if reason:
            assert reason in said.unhappy + words.ANY_JOB + words.CHARGED, (order.id, code, reason)
            complaints["own" if reason in said.unhappy else "any"] += 1
            if code.startswith("E"):
                assert not any(w in reason for w in WATER), (order.id, reason)
    if source == "example":  # the item's own complaint is heard, not only the general ones
        assert complaints["own"] and complaints["any"]


def test_the_catalogue_examples_of_the_issue_read_right(example):
    bikes = [o for o in example if o.get("item") == "C14"]
    assert bikes and all(any(w in o.get("description") for w in ("单车", "自行车")) for o in bikes)
    assert all("漏水" not in o.get("description") and "跳闸" not in o.get("description")
               for o in example if o.get("item", "").startswith("C") or o.get("item") == "E05")


def test_the_example_month_uses_the_desk_features_in_realistic_shares(example):
    n = len(example)
    events = Counter()
    for order in example:
        for event in order.events:
            action = event["action"]
            if action == "inspected":
                action += "_pass" if event.get("passed") else "_fail"
            if action == "quoted":
                action += "_declined" if event.get("declined") else "_accepted"
            if action == "arrived" and event.get("from_slip"):
                action += "_from_slip"
            events[action] += 1
    fields = Counter(key for order in example for key in ("unsigned", "waiver", "quantity", "payment")
                     if order.get(key) is not None)
    signed = sum(1 for o in example if o.get("signed_by"))
    # each feature is present, and a few, not most: a real month, not a feature demo
    for action in ("quoted_accepted", "quoted_declined", "inspected_pass", "inspected_fail", "delayed", "edited",
                   "rescheduled", "absent", "arrived_from_slip", "fee_settled", "followed_up"):
        assert 0 < events[action] < n / 10, action
    assert 0 < fields["unsigned"] < signed / 10 and 0 < fields["waiver"] < n / 20 and fields["quantity"] > 0
    assert fields["payment"] > n / 2  # most charged jobs are paid at the finance desk
    assert all(o.get("signed_by") == o.get("name") for o in example if o.get("signed_by"))
    # a failed inspection is followed by the return visit and a second finish
    for order in example:
        actions = [e["action"] for e in order.events]
        if any(e["action"] == "inspected" and e.get("passed") is False for e in order.events):
            failed = next(i for i, e in enumerate(order.events) if e["action"] == "inspected")
            assert actions[failed + 1:failed + 3] == ["arrived", "finished"] or order.status == "assigned", order.id


def test_the_example_office_tracks_payments_as_new_offices_do(example_office):
    assert yamlio.load_fast(example_office / "office.yaml")["service_levels"]["payment_days"] == 7
