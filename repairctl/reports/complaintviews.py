"""Complaints on the terminal and as JSON: `complaint show` and `complaint list`."""

from __future__ import annotations

import datetime as dt

from repairctl.orders import complaints
from repairctl.orders.complaints import Complaint
from repairctl.text import cjk, clock, terms
from repairctl.text.i18n import N_, _

STATUS = {"open": N_("awaiting answer"), "answered": N_("answered, not closed"), "closed": N_("complaint closed")}


def _event(event: dict | None) -> dict | None:
    if event is None:
        return None
    return {key: (value if key != "at" else str(value)) for key, value in event.items() if key != "action"}


def as_json(complaint: Complaint, schedule) -> dict:
    """One complaint as `show --format json` and `list --format json` give it."""
    data, ob = complaint.data, complaints.clock_of(complaint, schedule)
    return {"id": complaint.id, "status": complaint.status, "unit": data.get("unit"), "name": data.get("name"),
            "phone": data.get("phone"), "channel": data.get("channel"), "category": complaint.category,
            "description": data.get("description"), "orders": complaint.orders, "source": data.get("source"),
            "received": complaint.received.isoformat(), "answer_due": ob.due.isoformat(),
            "answered_in_time": ob.met(), "answered": _event(complaint.event("answered")),
            "closed": _event(complaint.event("closed")), "received_by": complaint.event("received").get("by")}


def show_text(complaint: Complaint, schedule, at: dt.datetime) -> str:
    """One complaint for the terminal: who, what, the linked orders, the first-answer clock and the close."""
    data, ob = complaint.data, complaints.clock_of(complaint, schedule)
    lines = [f"{complaint.id}  {_(STATUS[complaint.status])}",
             _("unit {unit}  complainant {name} {phone}  channel {channel}  category {category}").format(
                 unit=data.get("unit"), name=data.get("name") or "", phone=data.get("phone") or "",
                 channel=terms.shown(terms.CHANNEL, data.get("channel")), category=complaint.category),
             _("said: {text}").format(text=data.get("description"))]
    if complaint.orders:
        lines.append(_("linked orders: {ids}").format(ids=", ".join(complaint.orders)))
    received = complaint.event("received")
    lines.append(_("received {at} by {by}; first answer due {due}").format(
        at=clock.show(complaint.received), by=received.get("by"), due=clock.show(ob.due)))
    if answered := complaint.event("answered"):
        kept = _("in time") if ob.met() else _("late")
        lines.append(_("answered {at} by {by} ({kept}): {note}").format(
            at=clock.show(ob.done), by=answered.get("by"), kept=kept, note=answered.get("note")))
    elif ob.late_minutes(at) > 0:
        lines.append(_("the first answer is late: it was due {due}").format(due=clock.show(ob.due)))
    if closed := complaint.event("closed"):
        lines.append(_("closed {at} by {by}, {satisfied}: {result}").format(
            at=clock.show(complaint.time("closed")), by=closed.get("by"),
            satisfied=_("satisfied") if closed.get("satisfied") else _("unsatisfied"), result=closed.get("result")))
    return "\n".join(lines)


def selected(found: list[Complaint], *, only_open: bool = False, month: str | None = None) -> list[Complaint]:
    """The complaints a listing shows: not yet closed (only_open), received in month (YYYY-MM)."""
    return [c for c in found if (not only_open or c.status != "closed")
            and (month is None or f"{c.received:%Y-%m}" == month)]


def list_text(found: list[Complaint], schedule) -> str:
    """Complaints as an aligned table, oldest first; a line saying so when there are none."""
    if not found:
        return _("no complaints")
    headers = [_("ID"), _("received"), _("unit"), _("category"), _("status"), _("answer due")]
    rows = [[c.id, clock.show(c.received), c.data.get("unit"), c.category, _(STATUS[c.status]),
             clock.show(complaints.clock_of(c, schedule).due)] for c in found]
    return cjk.table(headers, rows)
