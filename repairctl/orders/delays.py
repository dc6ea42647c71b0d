"""Delays (延期, issue 15 §2; 003 §4.1.4.1, §4.2.1.2–4): an approved later finish for a job that cannot be
done in time (parts on order, the owner away).

`delay ID --until TIME --reason TEXT --approved-by NAME` records one `delayed` event (from, until, reason,
approved_by). `from` is the finish deadline it replaced, so the original deadline and the reason stay in
the record; sla.approved_until reads the latest delay's `until` as the finish clock's due time. A delay
only moves the deadline later: an earlier `until` would make the clock stricter, which no approval means.
"""

from __future__ import annotations

import datetime as dt

from repairctl.errors import RepairError
from repairctl.orders import sla
from repairctl.orders.lifecycle import Step
from repairctl.orders.records import Order
from repairctl.text import clock
from repairctl.text.i18n import _
from repairctl.text.inputs import check_text


def deadline(office, doc) -> dt.datetime | None:
    """The order's finish deadline now (after any earlier delay), by the limits in force at its receipt."""
    order = Order(office.orders_dir, doc, office.tz)
    finish = [ob for ob in sla.obligations(order, sla.of_office(office)) if ob.kind == "finish"]
    return finish[0].due if finish else None


def delay(office, *, until: dt.datetime, reason: str, approved_by: str) -> Step:
    """The step that moves an open order's finish clock to the approved time `until`."""
    until = clock.localise(until, office.tz)
    reason = check_text("--reason", reason, required=True, lines=True)
    approved_by = check_text("--approved-by", approved_by, required=True)

    def not_earlier(doc) -> None:
        current = deadline(office, doc)
        if current is not None and until.timestamp() < current.timestamp():  # real order, as the clocks compare
            raise RepairError(_("--until {until} is before {id}'s finish deadline ({deadline}); a delay only moves "
                                "it later: give a time after {deadline}, e.g. --until {example}")
                              .format(until=clock.show(until), id=doc.get("id", "?"), deadline=clock.show(current),
                                      example=f"{sla.later(current, dt.timedelta(days=1)):%Y-%m-%dT%H:%M}"))
        # the replaced deadline first: the event reads "from … until …, why, approved by whom"
        if current is not None:
            # a plain datetime: read from the document being edited, the time is ruamel's TimeStamp, which
            # would be written back as a tagged !!timestamp
            plain = dt.datetime.fromtimestamp(current.timestamp(), office.tz).replace(microsecond=0)
            step.details = {"from": plain, **step.details}

    step = Step("delay", f"延期至 {clock.show(until)}（{' '.join(reason.split())}，{approved_by} 批准）", {},
                {"until": until, "reason": reason, "approved_by": approved_by}, not_earlier)
    return step


def delayed(orders) -> int:
    """How many of the orders were given an approved delay (monthly counts them on their own line)."""
    return sum(1 for order in orders if any(event.get("action") == "delayed" for event in order.events))
