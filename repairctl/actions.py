"""The desk's actions on an order, one function per command: new, assign, visit, close, ..."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from repairctl import clock, lifecycle, records, terms
from repairctl.desk import (
    Outcome,
    actor,
    change,
    check_phone,
    check_text,
    create,
    event_time,
    money_total,
    number,
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


def assign(office: Office, order_id: str, *, to: str, item: str | None = None, at=None, by=None) -> Outcome:
    """Dispatch a technician (派工), optionally classifying the order at the same time."""
    to = check_text("--to", to, required=True)
    fields = {"technician": to}
    if item:
        job = office.catalogue.lookup(item)
        if not job.in_house:
            raise RepairError(f"{job.code} {job.name} is a supplier job; use `repairctl refer {order_id} --job {job.code}`")
        fields["item"] = job.code
    return change(office, order_id, "assign", f"派工给 {to}", by=by, at=at, fields=fields, details={"to": to})


def arrive(office: Office, order_id: str, *, at=None, by=None) -> Outcome:
    """The technician reached the site."""
    return change(office, order_id, "arrive", "到场", by=by, at=at)


def absent(office: Office, order_id: str, *, at=None, by=None) -> Outcome:
    """The owner was not at home: the technician leaves a message note (留言条)."""
    return change(office, order_id, "absent", "业户不在家, 留言条", by=by, at=at)


def reschedule(office: Office, order_id: str, *, when: dt.datetime, at=None, by=None) -> Outcome:
    """A new visit time agreed with the owner; it becomes the order's appointment (its urgency stays)."""
    when = clock.localise(when, office.tz)
    return change(office, order_id, "reschedule", f"改约 {clock.show(when)}", by=by, at=at,
                  fields={"appointment": when}, details={"to": when})


def close(office: Office, order_id: str, *, work: str | None = None, materials=(), labour: Decimal | None = None,
          opinion: str | None = None, signed_by: str | None = None, fee_pending: bool = False,
          waive: Decimal | None = None, approved_by: str | None = None, approver_role: str | None = None,
          at=None, by=None) -> Outcome:
    """The job is finished and signed for (验收), with work, materials and fee."""
    fields = {}
    if work := check_text("--work", work):
        fields["work"] = work
    if materials:
        fields["materials"] = [lifecycle.flow_map(name=n, qty=number(q), unit_price=number(p)) for n, q, p in materials]
    if labour is not None:
        fields["labour"] = number(labour)
    if waive:
        if not (approved_by and approver_role):
            raise RepairError("--waive needs --approved-by NAME and --approver-role director|company (003 §4.1.4.4)")
        lifecycle.check_waiver(waive, approver_role, money_total(list(materials), labour))
        fields["waiver"] = lifecycle.flow_map(amount=number(waive), approved_by=approved_by, approver_role=approver_role)
    if opinion := check_text("--opinion", opinion):
        fields["opinion"] = opinion
    if signed_by := check_text("--signed-by", signed_by):
        fields["signed_by"] = signed_by
    fields["fee_pending"] = fee_pending
    summary = "完工" + (", 费用待定" if fee_pending else f", 费用 {money_total(list(materials), labour) - (waive or 0)} 元")
    return change(office, order_id, "close", summary, by=by, at=at, fields=fields)


def settle_fee(office: Office, order_id: str, *, amount: Decimal, at=None, by=None) -> Outcome:
    """The engineering supervisor settles a fee that was left pending at close."""
    def pending(order: records.Order) -> None:
        if not order.get("fee_pending"):
            raise RepairError(f"{order.id} has no pending fee; its fee was settled at close")
    fields = {"fee_pending": False, "fee_settled": number(amount)}
    return change(office, order_id, "fee", f"费用结算 {amount} 元", by=by, at=at, fields=fields,
                  details={"amount": number(amount)}, validate=pending)


def callback(office: Office, order_id: str, *, method: str, satisfied: bool, reason: str | None = None,
             at=None, by=None) -> Outcome:
    """The clerk phoned (or visited) the owner back after the job (回访)."""
    reason = check_text("--reason", reason)
    if not satisfied and not reason:
        raise RepairError("--unsatisfied needs --reason TEXT: ask the owner why and record it (004 §5.4.2)")
    result = lifecycle.flow_map(method=method, satisfied=satisfied, reason=reason)
    summary = f"回访({terms.label(terms.CALLBACK_METHOD, method)}) {terms.SATISFIED[satisfied]}"
    return change(office, order_id, "callback", summary, by=by, at=at, fields={"callback": result},
                  details={"method": method, "satisfied": satisfied})


def followup(office: Office, order_id: str, *, note: str, at=None, by=None) -> Outcome:
    """An unsatisfied owner's complaint was handled and the owner told (004 §5.4.2); stops the followup clock."""
    note = check_text("--note", note, required=True)

    def unsatisfied(order: records.Order) -> None:
        if (order.get("callback") or {}).get("satisfied") is not False:
            raise RepairError(f"{order.id} needs no follow-up: the owner was satisfied at the callback")
    # the note goes in the event too, so a second follow-up does not lose the first one's words
    return change(office, order_id, "followup", f"跟进: {note}", by=by, at=at, fields={"followup": note},
                  details={"note": note}, validate=unsatisfied)


def cancel(office: Office, order_id: str, *, reason: str, at=None, by=None) -> Outcome:
    """Cancel an open order, with the reason."""
    reason = check_text("--reason", reason, required=True)
    return change(office, order_id, "cancel", f"取消: {reason}", by=by, at=at, fields={"cancel_reason": reason},
                  details={"reason": reason})


def refer(office: Office, order_id: str, *, job_code: str, at=None, by=None) -> Outcome:
    """On inspection the job is one for a specialist supplier (000 §2.2)."""
    job = office.catalogue.lookup(job_code)
    if job.in_house:
        raise RepairError(f"{job.code} {job.name} is an in-house item; refer takes a supplier job code (S01–S32)")
    return change(office, order_id, "refer", f"转介 {job.name}", by=by, at=at, fields={"supplier_job": job.code},
                  details={"job": job.code})
