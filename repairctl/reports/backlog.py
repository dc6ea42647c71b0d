"""The orders still open at the end of a report's period (期末未完成, issue 15 §6), from any month.

"Open at the end" is what the order's events say it was then, not its status today: each event before
the end is replayed by the lifecycle's rules (a failed inspection or a reopening sends it back, a
reschedule after arrival too), so an order finished since is still listed, and a report made later
lists the same orders. The end is the period's end, or the report's time while the period runs. Each
row has its age then and every clock late then, judged on the order as it stood (events before the
end; the appointment agreed then; the technician it was assigned to then). Other fields (unit, item)
are as the file has them now.

The orders looked at: those received before the end and open now, those first finished from the end
on, and those whose last event falls on the end's day or later that were cancelled, referred or
declined, or first finished within ORDERS_REOPENED before it (a reopening). An order reopened more than
that long after its first finish, and finished again after the end, is the one it can miss.
"""

from __future__ import annotations

import datetime as dt

from repairctl.orders import lifecycle, query, records, sla
from repairctl.reports import misses
from repairctl.text import clock

ACTION = {event: action for action, event in lifecycle.EVENT_NAME.items()}  # finished -> close, …
REOPENED = dt.timedelta(days=400)
HOUR = dt.timedelta(hours=1)


def _before(order: records.Order, moment: dt.datetime) -> list[dict]:
    """The order's events before moment, in file order."""
    return [e for e in order.events if (at := clock.as_time(e.get("at"), order.tz)) is not None and at < moment]


def status_at(events: list[dict]) -> str | None:
    """The status the events leave an order in (None before its receipt), by the lifecycle's rules."""
    status = None
    for event in events:
        name = event.get("action")
        if name == "received":
            status = "received"
        elif status is not None and name in ACTION:
            status = lifecycle.state_after(ACTION[name], status, event)
    return status


def as_it_was(order: records.Order, moment: dt.datetime) -> records.Order | None:
    """The order as it stood at moment (its events before it, the status, technician and appointment then),
    or None when it was not yet received."""
    events = _before(order, moment)
    status = status_at(events)
    if status is None:
        return None
    data = {**order.data, "events": events, "status": status}
    later = [e for e in order.events[len(events):] if e.get("action") == "rescheduled" and e.get("from")]
    if later:  # rebooked since: the time agreed then is the one the first later rebooking moved
        data["appointment"] = later[0]["from"]
    assigned = [e.get("to") for e in events if e.get("action") == "assigned" and e.get("to")]
    if assigned:
        data["technician"] = assigned[-1]
    elif any(e.get("action") == "assigned" for e in order.events[len(events):]):
        data.pop("technician", None)  # assigned only after the end
    return records.Order(order.path, data, order.tz)


def _candidates(office, moment: dt.datetime) -> list[records.Order]:
    """The orders that may have been open at moment (see the module docstring), oldest first."""
    day = f"{moment - dt.timedelta(days=1):%Y-%m-%d}"  # a stored time may carry another offset: a day's slack
    open_, stopped = lifecycle.OPEN, lifecycle.STOPPED
    last = "json_extract(data, '$.events[#-1].at') >= ?"
    where = (f"received < ? AND (status IN ({','.join('?' * len(open_))}) "
             f"OR (finished >= ? AND (finished >= ? OR {last})) "
             f"OR (finished IS NULL AND status IN ({','.join('?' * len(stopped))}) AND {last}))")
    epoch = int(moment.timestamp())
    params = (epoch, *open_, int((moment - REOPENED).timestamp()), epoch, day, *stopped, day)
    return query.orders(office, where, params)


def rows(office, report: dict, levels, catalogue) -> list[dict]:
    """One row per order open at the end of the report's period (or at its time, before the end), oldest first."""
    end = dt.datetime.fromisoformat(report["period"]["end"]).astimezone(office.tz)
    at = dt.datetime.fromisoformat(report["as_of"]).astimezone(office.tz) if report.get("as_of") else end
    moment = min(end, at)
    found = []
    for order in _candidates(office, moment):
        then = as_it_was(order, moment)
        if then is None or then.status not in lifecycle.OPEN or then.get("plan") is not None:
            continue  # a planned job is no owner's request: counted apart (计划完成率), as in 未完成单数
        code = then.get("item") or then.get("supplier_job")
        entry = catalogue.items.get(code) or catalogue.jobs.get(code)
        age = moment - then.received
        late = [f"{ob.what}超时{misses.span(ob.late_minutes(moment))}" for ob in sla.obligations(then, levels)
                if ob.done is None and ob.late_minutes(moment) > 0]
        found.append({"id": then.id, "received": then.received.replace(tzinfo=None), "unit": then.get("unit"),
                      "item": code, "item_name": getattr(entry, "name", ""), "status": then.status,
                      "technician": then.get("technician"), "age_days": round(age / dt.timedelta(days=1), 1),
                      "age_hours": age // HOUR, "late": "；".join(late)})
    return found

