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
from pathlib import Path

from repairctl.errors import RepairError
from repairctl.orders import fields, lifecycle, records
from repairctl.store import files
from repairctl.text import clock, i18n, inputs, terms
from repairctl.text.i18n import _
from repairctl.text.inputs import check_phone

ACTION_OF_EVENT = {event: action for action, event in lifecycle.EVENT_NAME.items()}
REQUIRED = ("id", "status", "unit", "description", "events")
CHOICES = {"status": terms.STATUS, "channel": terms.CHANNEL, "scope": terms.SCOPE, "urgency": terms.URGENCY}
TEXT_FIELDS = ("unit", "name", "description", "technician", "work", "opinion", "signed_by", "cancel_reason",
               "unsigned")
# the fields that may hold line breaks and tabs: those the commands take with check_text(lines=True)
# (the description, the work done, the owner's opinion, the reasons and notes); every other text is one line
MULTILINE = frozenset({"description", "work", "opinion", "cancel_reason", "reason", "note", "followup",
                       "old", "new"})  # an edited event's: a corrected description
# The rules whose findings make a file UNREADABLE: every read command leaves it out and names it,
# as `check` does. Each one breaks what the readers rely on, not just a desk rule: not a mapping
# (nothing to read); a time that does not parse, or names year 26 or year 1 (a clock computed from
# it is wrong or overflows, and the order would drop out of its month or crash the reader);
# a control, zero-width or bidi character, or an overlong text (a slip, a terminal or a sheet
# shows something other than what the file holds, and one unit counts as two); events that are no
# list of mappings beginning with `received` (no receipt, no clock: the order would drop out of
# every answer in silence).
UNREADABLE = frozenset({"mapping", "shape", "time", "characters"})
# The rules whose findings are warnings: `check` lists them, and exits 0 if they are all there is. An
# unresolved merge conflict leaves a file every command reads (as this side's version), and `check`,
# the pre-commit hook, must not stop the clerk from committing the merge it came from. Nor an edit of
# office.yaml that re-judges orders already reported (reports/rejudging.py): it may be meant.
WARNINGS = frozenset({"conflict", "rejudge",
                      "placeholder",  # office.yaml's phone still the shipped one (office/placeholder.py)
                      "holidays"})  # December, and next year's holidays not in calendar.yaml (office/calendarcheck.py)
# where a merge keeps the other side's whole file: many lines, and as long as an order file is
STORED = ("conflict", "theirs")


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
        return [Finding("mapping", (), _("not an order: expected a mapping with id, status, events …"))]
    where = Where(path, tz, catalogue)
    return [Finding(rule_id, keys, message) for rule_id, check in RULES.items() if only is None or rule_id in only
            for keys, message in check(data, where)]


@rule("shape")
def _shape(data: dict, where: Where) -> Found:
    events = data.get("events")
    if events in (None, "") or events == []:
        yield (), _("missing required field `events`: an order's events begin with `received`")
    elif not isinstance(events, list):
        yield ("events",), _("events must be a list starting with received")
    elif not all(isinstance(event, dict) for event in events):
        n = next(n for n, event in enumerate(events) if not isinstance(event, dict))
        yield ("events", n), _("an event needs action, at and by, e.g. action: assigned, "
                               "at: 2026-11-25T09:30:00+08:00, by: 刘芳")
    elif events[0].get("action") != "received":
        yield ("events", 0), _("the first event must be `received`")


# every field an order file may hold (docs/formats.md); any other is a typo (姓名: for name:) whose value no
# command would ever read, so it is named rather than ignored
FIELDS = frozenset({"id", "status", "channel", "scope", "unit", "name", "phone", "description", "item",
                    "supplier_job", "urgency", "appointment", "technician", "work", "materials", "labour", "waiver",
                    "opinion", "signed_by", "unsigned", "quantity", "fee_pending", "fee_settled", "callback",
                    "cancel_reason", "followup", "quote", "payment", "conflict", "events",
                    "plan", "due", "equipment", "trade", "checklist", "repairs", "from_plan_job"})  # orders/planned.py


@rule("field")
def _fields(data: dict, where: Where) -> Found:
    for key in data:
        if key not in FIELDS:
            yield (key,), _("{key} is no field of an order (a typo?); the fields are named in docs/formats.md, "
                            "e.g. name: 张三").format(key=repr(key))


@rule("required")
def _required(data: dict, where: Where) -> Found:
    for key in REQUIRED:
        if key != "events" and data.get(key) in (None, ""):  # events: the rule shape's
            yield (), _("missing required field `{key}`").format(key=key)


@rule("identity")
def _identity(data: dict, where: Where) -> Found:
    order_id, path = str(data.get("id", "")), where.path
    if not records.is_id(order_id):
        yield ("id",), _("id {id} is not an order ID like HQ-000123 or HQ-000123B").format(id=repr(order_id))
        return
    if path.stem != order_id:
        yield ("id",), _("id {id} does not match the file name {name}; rename one of them").format(id=order_id,
                                                                                                   name=path.name)
    received = fields.first_time(data, where.tz)
    # the folder rule of store/files.py: the orders folder, then the year and month received
    if received and path.parent != files.order_path(path.parent.parent.parent, path.stem, received).parent:
        yield ("id",), _("received {month}, so the file belongs in {folder}/").format(
            month=f"{received:%Y-%m}", folder=f"{files.ORDERS}/{received:%Y/%m}")


@rule("choice")
def _choices(data: dict, where: Where) -> Found:
    for key, table in CHOICES.items():
        if key in data and not fields.one_of(data[key], table):
            yield (key,), _("{key} {value} is not one of {choices}").format(
                key=key, value=repr(data[key]), choices=", ".join(f"{code} ({terms.shown(table, code)})"
                                                                  if i18n.language() != "en" else code
                                                                  for code in table))


@rule("text")
def _texts(data: dict, where: Where) -> Found:
    for key in TEXT_FIELDS:
        if data.get(key) is not None and not isinstance(data[key], (str, int)):
            yield (key,), _("{key} must be text").format(key=key)


@rule("characters")
def _characters(data: dict, where: Where) -> Found:
    if not fields.unfit_anywhere(data):  # the common case, without a key path for every text (70 µs an order)
        return
    for keys, text in fields.strings(data):
        field = next((key for key in reversed(keys) if isinstance(key, str)), "")
        if keys == STORED:  # a whole file: each of its lines is held to a text's limits
            why = next(filter(None, (inputs.fault(line, lines=True) for line in text.split("\n"))), None)
        else:
            why = inputs.fault(text, lines=field in MULTILINE and keys[-1] == field)
        if why:
            yield keys, _("{field} {why}").format(field=fields.named(keys), why=why)


@rule("phone")
def _phone(data: dict, where: Where) -> Found:
    if data.get("phone") is not None:
        try:
            check_phone(str(data["phone"]))
        except RepairError:
            yield ("phone",), _("phone {phone} is not a phone number, e.g. phone: 138-1234-5678").format(
                phone=repr(data["phone"]))


@rule("code")
def _codes(data: dict, where: Where) -> Found:
    catalogue = where.catalogue
    for key, table, sentence in (
            ("item", catalogue.items, _("{key} {code} is not a catalogue item code; see catalog.yaml and "
                                        "suppliers.yaml")),
            ("supplier_job", catalogue.jobs, _("{key} {code} is not a supplier job code; see catalog.yaml and "
                                               "suppliers.yaml"))):
        code = data.get(key)
        if code is not None and str(code).upper() not in table:
            yield (key,), sentence.format(key=key, code=repr(code))


# the event details that are times: a reschedule's replaced and new visit, a delay's old and new deadline
TIMED_DETAILS = {"rescheduled": ("from", "to"), "delayed": ("from", "until")}


@rule("time")
def _times(data: dict, where: Where) -> Found:
    if data.get("appointment") is not None and (why := fields.why_not_a_time(data["appointment"], where.tz)):
        yield ("appointment",), why
    events = data.get("events")
    for n, event in enumerate(events if isinstance(events, list) else []):
        if not isinstance(event, dict):
            continue  # the rule `events` says what an event needs
        if event.get("at") is None:
            yield (("events", n, "at") if "at" in event else ("events", n)), _(
                "an event needs `at`, e.g. `at: 2026-11-25T09:30:00+08:00`")
        elif why := fields.why_not_a_time(event["at"], where.tz):
            yield ("events", n, "at"), why
        # a reschedule notes the visit time it replaced and the new one: clocks run from both
        for key in TIMED_DETAILS.get(event.get("action"), ()):
            if event.get(key) is not None and (why := fields.why_not_a_time(event[key], where.tz)):
                yield ("events", n, key), why


@rule("appointment")
def _appointment(data: dict, where: Where) -> Found:
    if data.get("urgency") == "appointment" and data.get("appointment") is None:
        yield ("urgency",), _("an appointment needs `appointment: TIME`, e.g. `appointment: 2026-11-26T10:00:00+08:00`")


@rule("events")
def _events(data: dict, where: Where) -> Found:
    events = data.get("events")
    if not isinstance(events, list) or not events or not all(isinstance(event, dict) for event in events):
        return  # the rule shape's
    status, previous = None, None
    for n, event in enumerate(events):
        action = event.get("action")
        when = fields.time_or_none(event.get("at"), where.tz)  # a missing or broken time is the rule `time`'s
        if when and previous and when.timestamp() < previous.timestamp():  # real order: one zone compares on the wall
            yield ("events", n, "at"), _("{action} at {at} is before the event above it ({previous})").format(
                action=action, at=clock.show(when), previous=clock.show(previous))
        previous = when or previous
        if n == 0:
            status = "received"
        elif not fields.one_of(action, ACTION_OF_EVENT):
            yield ("events", n, "action"), _("unknown event {action}; one of {choices}").format(
                action=repr(action), choices=", ".join(ACTION_OF_EVENT))
        elif status not in lifecycle.ALLOWED_FROM[ACTION_OF_EVENT[action]]:
            yield ("events", n, "action"), _("{action} cannot follow an order that is {status}").format(
                action=action, status=status)
        else:
            status = lifecycle.state_after(ACTION_OF_EVENT[action], status, event)
    if status and fields.one_of(data.get("status"), terms.STATUS) and data["status"] != status:
        yield ("status",), _("status is {status} but the events say {replayed}").format(status=data["status"],
                                                                                       replayed=status)


# what a correction may change (orders/corrections.py writes one `edited` event per field)
EDITABLE = ("unit", "name", "phone", "description", "item")


@rule("edited")
def _edited(data: dict, where: Where) -> Found:
    events = data.get("events")
    for n, event in enumerate(events if isinstance(events, list) else []):
        if not isinstance(event, dict) or event.get("action") != "edited":
            continue
        if event.get("field") not in EDITABLE:
            yield ("events", n, "field") if "field" in event else ("events", n), _(
                "a correction names the field it changed, one of {fields}, e.g. field: unit").format(
                fields=", ".join(EDITABLE))
        if "new" not in event or not event.get("reason"):  # old is left out when the field was empty
            yield ("events", n), _("a correction keeps the new value and the reason, e.g. old: 3栋1201, "
                                   "new: 3栋1202, reason: 业户报错门牌")


@rule("conflict")
def _conflict(data: dict, where: Where) -> Found:
    if "conflict" not in data:
        return
    held, order_id = data["conflict"], data.get("id") or where.path.stem
    reason = held.get("reason") if isinstance(held, dict) else None
    reason = reason or _("no reason given")
    if isinstance(held, dict) and isinstance(held.get("theirs"), str):
        yield ("conflict",), _("unresolved conflict between two versions: {reason}; keep one with "
                               "`repairctl resolve {id} --take ours|theirs`").format(reason=reason, id=order_id)
    else:
        yield ("conflict",), _("unresolved conflict between two versions (its `theirs` text is missing): {reason}; "
                               "keep one with `repairctl resolve {id} --take ours|theirs`").format(reason=reason,
                                                                                                  id=order_id)


# the close's rules register themselves after these (and before any later family): imported last, as
# they need the decorator above
from repairctl.orders import closingrules, plannedrules  # noqa: E402,F401  (plannedrules: a planned job's fields)
