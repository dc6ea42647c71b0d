"""The life of an order: which action fits which state, and how each one changes the file.

Pure rules over a mapping (a round-trip YAML document when editing); no files, no git.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from repairctl.errors import RepairError, StateError
from repairctl.store import yamlio
from repairctl.text import clock, i18n, terms
from repairctl.text.i18n import N_, _

OPEN = ("received", "assigned", "arrived")  # still to be done: the clocks run
FINISHED = ("finished", "called_back")  # done and signed for
STOPPED = ("cancelled", "referred", "declined")  # ended without the desk's repair: nothing more is owed

# action -> the states it may start from
ALLOWED_FROM = {
    "assign": frozenset({"received", "assigned"}),
    "arrive": frozenset({"assigned"}),
    "absent": frozenset({"assigned"}),
    "reschedule": frozenset(OPEN),
    "close": frozenset({"assigned", "arrived"}),
    "fee": frozenset(FINISHED),
    "callback": frozenset({"finished"}),
    "cancel": frozenset(OPEN),
    "refer": frozenset(OPEN),
    "followup": frozenset({"called_back"}),
    "quote": frozenset(OPEN),  # before the work: repair only with the owner's consent (003 §4.1.2.3)
    "pay": frozenset(FINISHED),  # at the finance desk, once the fee is known (000 §2.3)
    "edit": frozenset(OPEN + FINISHED + STOPPED),  # a correction of what was recorded wrongly, at any time
    "inspect": frozenset(FINISHED),  # the supervisor's check of finished work (000 §3.2)
    "reopen": frozenset(FINISHED),  # closed by mistake: back to the technician, with approval
    "delay": frozenset(OPEN),  # an approved later finish for a job that cannot be done in time (003 §4.2.1.2)
}

# action -> the state it leaves the order in (absent: unchanged)
RESULT = {
    "assign": "assigned",
    "arrive": "arrived",
    "close": "finished",
    "callback": "called_back",
    "cancel": "cancelled",
    "refer": "referred",
}

# the word the file's history uses for each action
EVENT_NAME = {
    "assign": "assigned",
    "arrive": "arrived",
    "absent": "absent",
    "reschedule": "rescheduled",
    "close": "finished",
    "fee": "fee_settled",
    "callback": "called_back",
    "cancel": "cancelled",
    "refer": "referred",
    "followup": "followed_up",
    "quote": "quoted",
    "pay": "paid",
    "edit": "edited",
    "inspect": "inspected",
    "reopen": "reopened",
    "delay": "delayed",
}


# how a user typed each action, for refusals: the command in English, the desk's verb in Chinese
PHRASE = {"assign": N_("assign"), "arrive": N_("visit --arrived"), "absent": N_("visit --absent"),
          "reschedule": N_("visit --reschedule"), "close": N_("close"), "fee": N_("fee"), "callback": N_("callback"),
          "cancel": N_("cancel"), "refer": N_("refer"), "followup": N_("followup"),
          "quote": N_("quote"),
          "pay": N_("pay"),
          "edit": N_("edit"),
          "inspect": N_("inspect"),
          "reopen": N_("reopen"),
          "delay": N_("delay")}

# the command that performs each action, named in its commit message
COMMAND = {"arrive": "visit", "absent": "visit", "reschedule": "visit"}


# 003 §4.1.4.4: a director approves waivers under 500 yuan; company leadership from 500.
DIRECTOR_WAIVER_LIMIT = Decimal(500)


def require(doc, action: str) -> str:
    """Return the order's status if action fits it, else raise StateError with the reason."""
    status = str(doc.get("status", ""))
    allowed = ALLOWED_FROM[action]
    if status in allowed:
        return status
    order_id = doc.get("id", "?")
    action = _(PHRASE.get(action, action))
    label = terms.label(terms.STATUS, status)
    if status in STOPPED:
        raise StateError(_("cannot {action} {id}: the order is {status} ({label}); nothing more can be done on it")
                         .format(action=action, id=order_id, status=status, label=label))
    raise StateError(_("cannot {action} {id}: the order is {status} ({label}); {action} needs it to be {wanted}")
                     .format(action=action, id=order_id, status=status, label=label, wanted=states(allowed)))


def states(wanted) -> str:
    """States as a refusal names them: `assigned or received` (in Chinese the desk's words, 已派工或已受理)."""
    words = [str(s) if i18n.language() == "en" else terms.label(terms.STATUS, s) for s in sorted(wanted)]
    return _(" or ").join(words)


def last_event_time(doc, tz: dt.tzinfo) -> dt.datetime | None:
    """When the latest recorded event happened."""
    times = [clock.as_time(event.get("at"), tz) for event in doc.get("events") or []]
    times = [t for t in times if t]
    return max(times, key=dt.datetime.timestamp) if times else None  # real order, not the wall clock's


def check_event_time(doc, at: dt.datetime, tz: dt.tzinfo) -> None:
    """Refuse an event time earlier than the order's latest event: events stay in time order."""
    latest = last_event_time(doc, tz)
    if latest and at.timestamp() < latest.timestamp():  # 01:05 EST comes after 01:50 EDT the night clocks go back
        raise RepairError(_("--at {at} is before the order's last event ({latest}); events must stay in time order: "
                            "give a time after {latest}")
                          .format(at=clock.show(at), latest=clock.show(latest)))


def check_slip_time(doc, option: str, when: dt.datetime, at: dt.datetime, tz: dt.tzinfo) -> None:
    """Refuse a time from the paper slip that lies before the order's last event or after this step's time."""
    latest = last_event_time(doc, tz)
    if latest and when.timestamp() < latest.timestamp():
        raise RepairError(_("{option} {when} is before the order's last event ({latest}); check the paper slip")
                          .format(option=option, when=clock.show(when), latest=clock.show(latest)))
    if when.timestamp() > at.timestamp():
        raise RepairError(_("{option} {when} is after the close ({at}); check the paper slip, or give --at")
                          .format(option=option, when=clock.show(when), at=clock.show(at)))


def set_field(doc, key: str, value) -> None:
    """Set a field, placing a new one above the event list so the file reads top-down."""
    yamlio.insert_before(doc, "events", key, value)


def header(order_id: str) -> str:
    """The comment atop an order file, for the clerk who opens it by hand (a document: always Chinese)."""
    return f"维修单 {order_id}：可以手工修改，改完请运行 `repairctl check` 检查"


def new_document(order_id: str, fields: dict, at: dt.datetime, by: str):
    """A new order document: its ID, status received, the slip fields, and the received event."""
    doc = yamlio.document(header(order_id), {"id": order_id, "status": "received", **fields})
    doc["events"] = yamlio.block_list([yamlio.flow_map(action="received", at=at, by=by)])
    return doc


def record(doc, action: str, at: dt.datetime, by: str, **extra) -> None:
    """Append an event to the order's history in the file."""
    if doc.get("events") is None:
        doc["events"] = yamlio.block_list()
    doc["events"].append(yamlio.flow_map(action=action, at=at, by=by, **extra))


def state_after(action: str, status: str, event: dict | None = None) -> str:
    """The state an order in status is left in by action (which must fit it); event: its details, if any matter."""
    if action == "reschedule" and status == "arrived":
        return "assigned"  # the technician leaves; the next visit is booked
    if action == "quote" and (event or {}).get("declined") is True:
        return "declined"  # the owner said no to the price: no repair (003 §4.1.2.3)
    if action == "inspect":
        return "assigned" if (event or {}).get("passed") is False else status  # failed: 返工, back to the technician
    if action == "reopen":
        return "assigned"
    return RESULT.get(action, status)


@dataclass
class Step:
    """One action planned on an order: its commit summary, the fields it sets, what its event notes.

    validate, if given, sees the order document before the change and may refuse it.
    """

    action: str
    summary: str
    fields: dict = field(default_factory=dict)
    details: dict = field(default_factory=dict)
    validate: Callable | None = None
    # events the paper recorded before this one, applied first: (option, action, at, details)
    earlier: tuple = ()


def perform(doc, step: Step, at: dt.datetime, by: str, tz: dt.tzinfo) -> None:
    """Carry out a step on an order document: refuse if it does not fit, else change state, fields, events."""
    require(doc, step.action)  # a wrong state is the first thing to say
    if step.validate:
        step.validate(doc)
    for option, action, when, details in step.earlier:  # close --arrived-at: the slip's arrival, before the close
        check_slip_time(doc, option, when, at, tz)
        apply(doc, action, when, by, tz, **details)
    apply(doc, step.action, at, by, tz, **step.details)
    for key, value in step.fields.items():
        set_field(doc, key, value)


def apply(doc, action: str, at: dt.datetime, by: str, tz: dt.tzinfo, **details) -> None:
    """Check that action fits and stamp its state change and event on the order."""
    status = require(doc, action)
    check_event_time(doc, at, tz)
    doc["status"] = state_after(action, status, details)
    if action == "reschedule" and doc.get("appointment"):
        details = {"from": doc["appointment"], **details}  # the replaced time: its clock must stay known
    record(doc, EVENT_NAME.get(action, action), at, by, **details)


def check_waiver(amount: Decimal, approver_role: str, due: Decimal) -> None:
    """Refuse a waiver that the approver's level may not grant (003 §4.1.4.4) or that exceeds the fee."""
    if amount >= DIRECTOR_WAIVER_LIMIT and approver_role != "company":
        raise RepairError(_("a waiver of {amount} yuan needs company leadership (公司领导) approval; a property "
                            "director (物业总监) may approve under {limit}: use --approver-role company")
                          .format(amount=amount, limit=DIRECTOR_WAIVER_LIMIT))
    if amount > due:
        raise RepairError(_("cannot waive {amount} yuan: the fee is only {due} yuan").format(amount=amount, due=due))
