"""The rules an order file must keep, as a registry of same-shaped functions (one per rule id).

Each rule reads a plain mapping, the order as the fast reader loads it, and yields
(key path, message) for what it finds wrong; check_order_data runs them all and tags every
finding with its rule's id. Rules come from the tables the commands use (lifecycle,
catalogue, terms), so `check` and the commands never disagree. Giving a finding its line
and column is check.py's business.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from repairctl.errors import OfficeError, RepairError
from repairctl.orders import lifecycle, records
from repairctl.store import files
from repairctl.text import clock, money, terms
from repairctl.text.inputs import check_phone

ACTION_OF_EVENT = {event: action for action, event in lifecycle.EVENT_NAME.items()}
REQUIRED = ("id", "status", "unit", "description", "events")
CHOICES = {"status": terms.STATUS, "channel": terms.CHANNEL, "scope": terms.SCOPE, "urgency": terms.URGENCY}
TEXT_FIELDS = ("unit", "name", "description", "technician", "work", "opinion", "signed_by", "cancel_reason")
# findings of these rules make a file unreadable to every read command, not only a problem `check`
# lists: a value no reader can take as it is (not a mapping, a time that is no time, hidden
# characters), where reading on would crash, count it wrong or show something else than the file says
UNREADABLE = frozenset({"mapping", "time", "characters"})


@dataclass(frozen=True)
class Finding:
    """A problem at a key path inside one file, before its line and column are known."""

    rule: str
    keys: tuple
    message: str


@dataclass(frozen=True)
class Where:
    """What a rule may need besides the mapping: the file, the office's timezone and catalogue."""

    path: Path
    tz: dt.tzinfo
    catalogue: object


Found = Iterator[tuple[tuple, str]]
RULES: dict[str, Callable[[dict, Where], Found]] = {}


def rule(rule_id: str):
    """Register a rule under its id; the rules run in the order they are registered."""
    def register(function: Callable[[dict, Where], Found]) -> Callable[[dict, Where], Found]:
        RULES[rule_id] = function
        return function
    return register


def check_order_data(data, path: Path, tz: dt.tzinfo, catalogue, only: frozenset | None = None) -> list[Finding]:
    """Every problem of one loaded order file (data may be anything YAML can hold); only: just these rules."""
    if not isinstance(data, dict):
        return [Finding("mapping", (), "not an order: expected a mapping with id, status, events …")]
    where = Where(path, tz, catalogue)
    return [Finding(rule_id, keys, message) for rule_id, check in RULES.items() if only is None or rule_id in only
            for keys, message in check(data, where)]


@rule("required")
def _required(data: dict, where: Where) -> Found:
    for key in REQUIRED:
        if data.get(key) in (None, ""):
            yield (), f"missing required field `{key}`"


@rule("identity")
def _identity(data: dict, where: Where) -> Found:
    order_id, path = str(data.get("id", "")), where.path
    if not records.ID_RE.match(order_id):
        yield ("id",), f"id {order_id!r} is not an order ID like HQ-000123"
        return
    if path.stem != order_id:
        yield ("id",), f"id {order_id} does not match the file name {path.name}; rename one of them"
    received = _first_time(data, where.tz)
    # the folder rule of store/files.py: the orders folder, then the year and month received
    if received and path.parent != files.order_path(path.parent.parent.parent, path.stem, received).parent:
        yield ("id",), f"received {received:%Y-%m}, so the file belongs in {files.ORDERS}/{received:%Y/%m}/"


@rule("choice")
def _choices(data: dict, where: Where) -> Found:
    for key, table in CHOICES.items():
        if key in data and not _one_of(data[key], table):
            yield (key,), f"{key} {data[key]!r} is not one of {', '.join(table)}"


@rule("text")
def _texts(data: dict, where: Where) -> Found:
    for key in TEXT_FIELDS:
        if data.get(key) is not None and not isinstance(data[key], (str, int)):
            yield (key,), f"{key} must be text"


@rule("phone")
def _phone(data: dict, where: Where) -> Found:
    if data.get("phone") is not None:
        try:
            check_phone(str(data["phone"]))
        except RepairError:
            yield ("phone",), f"phone {data['phone']!r} is not a phone number"


@rule("code")
def _codes(data: dict, where: Where) -> Found:
    catalogue = where.catalogue
    for key, table, kind in (("item", catalogue.items, "catalogue item"),
                             ("supplier_job", catalogue.jobs, "supplier job")):
        code = data.get(key)
        if code is not None and str(code).upper() not in table:
            yield (key,), f"{key} {code!r} is not a {kind} code; see catalog.yaml and suppliers.yaml"


@rule("appointment")
def _appointment(data: dict, where: Where) -> Found:
    if data.get("urgency") == "appointment" and data.get("appointment") is None:
        yield ("urgency",), "an appointment needs `appointment: TIME`"
    elif data.get("appointment") is not None and (why := _strict_time(data["appointment"])):
        yield ("appointment",), why


@rule("money")
def _money(data: dict, where: Where) -> Found:
    if data.get("labour") is not None and (_amount(data["labour"]) is None or _amount(data["labour"]) < 0):
        yield ("labour",), "labour must be an amount of zero or more, to the fen"
    materials = data.get("materials")
    if materials is not None and not isinstance(materials, list):
        yield ("materials",), "materials must be a list of {name, qty, unit_price}"
    for n, material in enumerate(materials if isinstance(materials, list) else []):
        if not isinstance(material, dict) or not material.get("name"):
            yield ("materials", n), "a material needs name, qty and unit_price"
            continue
        for key in ("qty", "unit_price"):
            value = _amount(material.get(key))
            if value is None or value < 0 or (key == "qty" and value == 0):
                yield ("materials", n, key), f"{key} of {material['name']} must be a positive amount"
    if "fee_pending" in data and not isinstance(data["fee_pending"], bool):
        yield ("fee_pending",), "fee_pending must be true or false"


@rule("waiver")
def _waiver(data: dict, where: Where) -> Found:
    waiver = data.get("waiver")
    if waiver is None:
        return
    amount = _amount(waiver.get("amount")) if isinstance(waiver, dict) else None
    if amount is None or not waiver.get("approved_by") or not _one_of(waiver.get("approver_role"), terms.APPROVER_ROLE):
        yield ("waiver",), "a waiver needs amount, approved_by and approver_role (director or company)"
    elif amount >= lifecycle.DIRECTOR_WAIVER_LIMIT and waiver["approver_role"] != "company":
        yield ("waiver",), f"a waiver of {amount} needs company approval (003 §4.1.4.4), not {waiver['approver_role']}"


@rule("events")
def _events(data: dict, where: Where) -> Found:
    events = data.get("events")
    if not isinstance(events, list) or not events:
        if "events" in data:
            yield ("events",), "events must be a list starting with received"
        return
    status, previous = None, None
    for n, event in enumerate(events):
        if not isinstance(event, dict):
            yield ("events", n), "an event needs action, at and by"
            continue
        action = event.get("action")
        if n == 0 and action != "received":
            yield ("events", 0), "the first event must be `received`"
        why = _strict_time(event.get("at")) if event.get("at") is not None else "an event needs `at`"
        when = None if why else _time(event.get("at"), where.tz)
        if why:
            yield (("events", n, "at") if "at" in event else ("events", n)), why
        elif previous and when.timestamp() < previous.timestamp():  # real order: same-zone times compare on the wall
            yield ("events", n, "at"), (f"{action} at {clock.show(when)} is before the event above it "
                                        f"({clock.show(previous)})")
        previous = when or previous
        if n == 0:
            status = "received"
        elif not _one_of(action, ACTION_OF_EVENT):
            yield ("events", n, "action"), f"unknown event {action!r}; one of {', '.join(ACTION_OF_EVENT)}"
        elif status not in lifecycle.ALLOWED_FROM[ACTION_OF_EVENT[action]]:
            yield ("events", n, "action"), f"{action} cannot follow an order that is {status}"
        else:
            status = lifecycle.state_after(ACTION_OF_EVENT[action], status)
    if status and _one_of(data.get("status"), terms.STATUS) and data["status"] != status:
        yield ("status",), f"status is {data['status']} but the events say {status}"


# --- what the rules share ---------------------------------------------------------------------------


def _one_of(value, table) -> bool:
    """Whether value is one of the table's keys (a list or mapping typed by hand is not)."""
    return isinstance(value, str) and value in table


def _first_time(data: dict, tz) -> dt.datetime | None:
    events = data.get("events")
    if isinstance(events, list) and events and isinstance(events[0], dict):
        return _time(events[0].get("at"), tz)
    return None


def _time(value, tz) -> dt.datetime | None:
    try:
        return clock.as_time(value, tz) if value is not None else None
    except (ValueError, TypeError):
        return None


def _strict_time(value) -> str | None:
    """Why value is not an ISO 8601 time with an offset, or None if it is one."""
    if isinstance(value, dt.datetime):
        return None if value.tzinfo else (f"time {value.isoformat()} has no UTC offset; "
                                           "write it like 2026-11-23T14:05:00+08:00")
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return f"{value!r} is not a time; write it like 2026-11-23T14:05:00+08:00"
    return None if parsed.tzinfo else f"time {value} has no UTC offset; write it like 2026-11-23T14:05:00+08:00"


def _amount(value) -> Decimal | None:
    """An amount as a file may hold it: a number (not text, not true), finite, to the fen at most; else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        amount = money.read(value)
    except OfficeError:  # .nan, .inf
        return None
    return amount if amount == money.fen(amount) else None
