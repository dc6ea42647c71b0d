"""The duty roster of calendar.yaml (值班表, 003 §4.1.1.1): who is on duty at night and on days off, by day of
the week (`weekly`) and by date (`dates`, a holiday's roster, winning over the week's), each a name and a phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from repairctl.errors import RepairError
from repairctl.office.values import date_of
from repairctl.office.values import name as _name
from repairctl.office.values import shown as _shown
from repairctl.text import inputs
from repairctl.text.i18n import _

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")  # duty.weekly's keys, Monday first
MAX_NAME = 40

Found = Iterator[tuple[tuple, str]]


class Duty(NamedTuple):
    """Who is on duty on a night or holiday, and their phone."""

    name: str
    phone: str


def who(value: dict) -> Duty:
    """The one on duty of a checked roster entry {name, phone}, the phone in its stored form."""
    return Duty(value["name"].strip(), inputs.check_phone(value["phone"], "phone"))


def findings(raw) -> Found:
    """Every problem of calendar.yaml's duty roster, as (key path, message)."""
    if raw is None:
        return
    if not isinstance(raw, dict):
        yield ("duty",), _("duty must be a mapping with weekly and dates, like `weekly: {周一: {name: 张三, phone: "
                           "'13800000001'}}`")
        return
    for key, value in raw.items():
        if key not in ("weekly", "dates"):
            yield ("duty", key), _("duty.{key} is not a part of the roster; it has weekly and dates").format(
                key=_name(key))
        elif value is not None and not isinstance(value, dict):
            yield ("duty", key), _("duty.{key} must be a mapping, one day a line").format(key=key)
        else:
            for day, entry in (value or {}).items():
                if key == "weekly" and day not in WEEKDAYS:
                    yield ("duty", key, day), _("duty.weekly: {day} is not a day of the week; write one of {days}"
                                                ).format(day=_shown(day), days=" ".join(WEEKDAYS))
                elif key == "dates" and date_of(day) is None:
                    yield ("duty", key, day), _("duty.dates: {day} is not a day; write it like 2026-10-01").format(
                        day=_shown(day))
                else:
                    yield from _who(entry, ("duty", key, day))


def _who(who, keys: tuple) -> Found:
    example = "{name: 张三, phone: '13800000001'}"
    if not isinstance(who, dict) or set(who) != {"name", "phone"}:
        yield keys, _("who is on duty is a name and a phone, and nothing else, like {example}").format(example=example)
        return
    name, phone = who["name"], who["phone"]
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME or inputs.fault(name, lines=False):
        yield (*keys, "name"), _("the name on duty must be text, like 张三, not {value}").format(value=_shown(name))
    if not isinstance(phone, str):
        yield (*keys, "phone"), _("the phone on duty must be in quotes, like '13800000001', not {value}").format(
            value=_shown(phone))
        return
    try:
        inputs.check_phone(phone, "phone")
    except RepairError as exc:
        yield (*keys, "phone"), str(exc)
