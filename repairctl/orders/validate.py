"""`repairctl check`: every problem in the office's files, reported as FILE:LINE:COLUMN: message.

Files are read with the fast loader; only a file that has problems is read again with
ruamel, to find the line and column of each one. Rules come from the same tables the
commands use (lifecycle, catalogue, terms), so `check` and the commands never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from repairctl.errors import OfficeError, Problem, RepairError
from repairctl.orders import lifecycle, records
from repairctl.store import yamlio
from repairctl.text import clock, terms
from repairctl.text.inputs import check_phone

ACTION_OF_EVENT = {event: action for action, event in lifecycle.EVENT_NAME.items()}
REQUIRED = ("id", "status", "unit", "description", "events")
CHOICES = {"status": terms.STATUS, "channel": terms.CHANNEL, "scope": terms.SCOPE, "urgency": terms.URGENCY}
TEXT_FIELDS = ("unit", "name", "description", "technician", "work", "opinion", "signed_by", "cancel_reason")


@dataclass(frozen=True)
class Finding:
    """A problem at a key path inside one file, before its line and column are known."""

    keys: tuple
    message: str


def check_order_data(data, path: Path, tz: dt.tzinfo, catalogue) -> list[Finding]:
    """Every problem of one loaded order file (data may be anything YAML can hold)."""
    if not isinstance(data, dict):
        return [Finding((), "not an order: expected a mapping with id, status, events …")]
    found = [Finding((), f"missing required field `{key}`") for key in REQUIRED if data.get(key) in (None, "")]
    found += _identity(data, path, tz)
    for key, table in CHOICES.items():
        if key in data and not _one_of(data[key], table):
            found.append(Finding((key,), f"{key} {data[key]!r} is not one of {', '.join(table)}"))
    for key in TEXT_FIELDS:
        if data.get(key) is not None and not isinstance(data[key], (str, int)):
            found.append(Finding((key,), f"{key} must be text"))
    if data.get("phone") is not None:
        try:
            check_phone(str(data["phone"]))
        except RepairError:
            found.append(Finding(("phone",), f"phone {data['phone']!r} is not a phone number"))
    found += _codes(data, catalogue)
    found += _appointment(data, tz)
    found += _money(data)
    found += _events(data, tz)
    return found


def _one_of(value, table) -> bool:
    """Whether value is one of the table's keys (a list or mapping typed by hand is not)."""
    return isinstance(value, str) and value in table


def _identity(data: dict, path: Path, tz) -> list[Finding]:
    order_id = str(data.get("id", ""))
    if not records.ID_RE.match(order_id):
        return [Finding(("id",), f"id {order_id!r} is not an order ID like HQ-000123")]
    found = []
    if path.stem != order_id:
        found.append(Finding(("id",), f"id {order_id} does not match the file name {path.name}; rename one of them"))
    received = _first_time(data, tz)
    if received and (path.parent.parent.name, path.parent.name) != (f"{received:%Y}", f"{received:%m}"):
        found.append(Finding(("id",), f"received {received:%Y-%m}, so the file belongs in records/orders/{received:%Y/%m}/"))
    return found


def _first_time(data: dict, tz):
    events = data.get("events")
    if isinstance(events, list) and events and isinstance(events[0], dict):
        return _time(events[0].get("at"), tz)
    return None


def _time(value, tz) -> dt.datetime | None:
    try:
        return clock.as_time(value, tz) if value is not None else None
    except (ValueError, TypeError):
        return None


def _codes(data: dict, catalogue) -> list[Finding]:
    found = []
    for key, table, kind in (("item", catalogue.items, "catalogue item"), ("supplier_job", catalogue.jobs, "supplier job")):
        code = data.get(key)
        if code is not None and str(code).upper() not in table:
            found.append(Finding((key,), f"{key} {code!r} is not a {kind} code; see catalog.yaml and suppliers.yaml"))
    return found


def _appointment(data: dict, tz) -> list[Finding]:
    if data.get("urgency") == "appointment" and data.get("appointment") is None:
        return [Finding(("urgency",), "an appointment needs `appointment: TIME`")]
    if data.get("appointment") is not None and _strict_time(data["appointment"], tz):
        return [Finding(("appointment",), _strict_time(data["appointment"], tz))]
    return []


def _strict_time(value, tz) -> str | None:
    """Why value is not an ISO 8601 time with an offset, or None if it is one."""
    if isinstance(value, dt.datetime):
        return None if value.tzinfo else f"time {value.isoformat()} has no UTC offset; write it like 2026-11-23T14:05:00+08:00"
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return f"{value!r} is not a time; write it like 2026-11-23T14:05:00+08:00"
    return None if parsed.tzinfo else f"time {value} has no UTC offset; write it like 2026-11-23T14:05:00+08:00"


def _amount(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return Decimal(str(value))


def _money(data: dict) -> list[Finding]:
    found = []
    if data.get("labour") is not None and (_amount(data["labour"]) is None or _amount(data["labour"]) < 0):
        found.append(Finding(("labour",), "labour must be an amount of zero or more"))
    materials = data.get("materials")
    if materials is not None and not isinstance(materials, list):
        found.append(Finding(("materials",), "materials must be a list of {name, qty, unit_price}"))
    for n, material in enumerate(materials if isinstance(materials, list) else []):
        if not isinstance(material, dict) or not material.get("name"):
            found.append(Finding(("materials", n), "a material needs name, qty and unit_price"))
            continue
        for key in ("qty", "unit_price"):
            value = _amount(material.get(key))
            if value is None or value < 0 or (key == "qty" and value == 0):
                found.append(Finding(("materials", n, key), f"{key} of {material['name']} must be a positive amount"))
    for key in ("fee_pending",):
        if key in data and not isinstance(data[key], bool):
            found.append(Finding((key,), f"{key} must be true or false"))
    waiver = data.get("waiver")
    if waiver is not None:
        amount = _amount(waiver.get("amount")) if isinstance(waiver, dict) else None
        if amount is None or not waiver.get("approved_by") or not _one_of(waiver.get("approver_role"), terms.APPROVER_ROLE):
            found.append(Finding(("waiver",), "a waiver needs amount, approved_by and approver_role (director or company)"))
        elif amount >= lifecycle.DIRECTOR_WAIVER_LIMIT and waiver["approver_role"] != "company":
            found.append(Finding(("waiver",), f"a waiver of {amount} needs company approval (003 §4.1.4.4), not {waiver['approver_role']}"))
    return found


def _events(data: dict, tz) -> list[Finding]:
    events = data.get("events")
    if not isinstance(events, list) or not events:
        return [] if "events" not in data else [Finding(("events",), "events must be a list starting with received")]
    found, status, previous = [], None, None
    for n, event in enumerate(events):
        if not isinstance(event, dict):
            found.append(Finding(("events", n), "an event needs action, at and by"))
            continue
        action = event.get("action")
        if n == 0 and action != "received":
            found.append(Finding(("events", 0), "the first event must be `received`"))
        why = _strict_time(event.get("at"), tz) if event.get("at") is not None else "an event needs `at`"
        when = None if why else _time(event.get("at"), tz)
        if why:
            found.append(Finding(("events", n, "at") if "at" in event else ("events", n), why))
        elif previous and when < previous:
            found.append(Finding(("events", n, "at"), f"{action} at {clock.show(when)} is before the event above it ({clock.show(previous)})"))
        previous = when or previous
        if n == 0:
            status = "received"
        elif not _one_of(action, ACTION_OF_EVENT):
            found.append(Finding(("events", n, "action"), f"unknown event {action!r}; one of {', '.join(ACTION_OF_EVENT)}"))
        elif status not in lifecycle.ALLOWED_FROM[ACTION_OF_EVENT[action]]:
            found.append(Finding(("events", n, "action"), f"{action} cannot follow an order that is {status}"))
        else:
            status = lifecycle.state_after(ACTION_OF_EVENT[action], status)
    if status and _one_of(data.get("status"), terms.STATUS) and data["status"] != status:
        found.append(Finding(("status",), f"status is {data['status']} but the events say {status}"))
    return found


def position(node, keys: tuple) -> tuple[int, int]:
    """Line and column (from 1) of the deepest key of keys found in the node tree."""
    import yaml  # already loaded by compose(): only a file with problems has a tree to search

    mark = node.start_mark if node is not None else None
    for key in keys:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == key:
                    mark, child = key_node.start_mark, value_node
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            child = node.value[key]
            mark = child.start_mark
        if child is None:
            break
        node = child
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def problems_in(path: Path, findings: list[Finding], shown: Path) -> list[Problem]:
    """Give each finding of path its line and column."""
    try:
        tree = yamlio.compose(yamlio.decode(path.read_bytes(), path))
    except OfficeError:
        tree = None
    return [Problem(shown, *position(tree, f.keys), f.message) for f in findings]
