"""Recording a new request: checking what the clerk typed, the duplicate rule of 003 §4.1.6, referrals."""

from __future__ import annotations

import datetime as dt

from repairctl import clock, lifecycle, records, terms
from repairctl.desk import (
    Outcome,
    actor,
    check_phone,
    check_text,
    create,
    event_time,
)
from repairctl.errors import RepairError
from repairctl.office import Office


def open_duplicates(office: Office, unit: str, item: str | None) -> list[records.Order]:
    """Open orders for the same unit and item (003 §4.1.6), so a job is not dispatched twice."""
    key = unit.replace(" ", "")
    return [
        order
        for order in records.read_all(office.orders_dir, office.tz)
        if order.status in lifecycle.OPEN
        and str(order.get("unit", "")).replace(" ", "") == key
        and (item is None or order.get("item") == item)
    ]


def new_order(office: Office, *, unit: str, name: str, phone: str, description: str, item: str | None = None,
              channel: str = "phone", appointment: dt.datetime | None = None, emergency: bool = False,
              public: bool = False, force: bool = False, at: dt.datetime | None = None, by: str | None = None) -> Outcome:
    """Record a new request; a supplier job is recorded as referred."""
    unit = check_text("--unit", unit, required=True)
    description = check_text("--desc", description, required=True)
    name = check_text("--name", name, required=True)
    phone = check_phone(phone)
    if appointment and emergency:
        raise RepairError("--appointment and --emergency exclude each other: an emergency is attended at once")
    by, at = actor(office, by), event_time(office, at)
    job = office.catalogue.lookup(item) if item else None
    suggestions = [] if job else office.catalogue.suggest(description)
    warnings = []
    duplicates = open_duplicates(office, unit, job.code if job else None)
    if duplicates and job and not force:
        raise RepairError(
            f"order {duplicates[0].id} for {unit} {job.code} is still open ({terms.label(terms.STATUS, duplicates[0].status)}); "
            "do not dispatch the same job twice (003 §4.1.6), or pass --force if this is a different fault"
        )
    if duplicates and not job:
        warnings.append(f"{unit} already has open orders: {', '.join(o.id for o in duplicates)}")
    fields = {"channel": channel, "scope": "public" if public else "unit", "unit": unit, "name": name,
              "phone": phone, "description": description}
    if job:
        fields["item" if job.in_house else "supplier_job"] = job.code
    if appointment:
        fields["urgency"] = "appointment"
        fields["appointment"] = clock.localise(appointment, office.tz)
    else:
        fields["urgency"] = "emergency" if emergency else "immediate"
    referral = {"action": "refer", "job": job.code} if job and not job.in_house else None
    outcome = create(office, fields, by=by, at=at, extra_event=referral)
    outcome.warnings[:0] = warnings
    outcome.suggestions = suggestions
    return outcome
