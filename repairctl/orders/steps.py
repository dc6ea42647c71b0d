"""Each desk action on an existing order as a plan (a Step): checked inputs, the fields it sets, its event.

Pure: no files and no git. desk.change performs a step on an order file and commits it;
the simulator performs the same steps on documents in memory, so both write identical orders.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from repairctl.errors import RepairError
from repairctl.orders import closing, lifecycle
from repairctl.orders.lifecycle import Step
from repairctl.store import yamlio
from repairctl.text import clock, money, terms
from repairctl.text.i18n import _
from repairctl.text.inputs import check_text


def assign(office, *, to: str, item: str | None = None) -> Step:
    """Dispatch a technician (派工), optionally classifying the order at the same time."""
    to = check_text("--to", to, required=True)
    fields = {"technician": to}
    if item:
        job = office.catalogue.lookup(item)
        if not job.in_house:
            raise RepairError(_("{code} {name} is a supplier job; use `repairctl refer ID --job {code}`")
                              .format(code=job.code, name=job.name))
        fields["item"] = job.code
    return Step("assign", f"派工给 {to}", fields, {"to": to})


def arrive() -> Step:
    """The technician reached the site."""
    return Step("arrive", "到场")


def absent() -> Step:
    """The owner was not at home: the technician leaves a message note (留言条)."""
    return Step("absent", "业户不在家, 留言条")


def reschedule(office, *, when: dt.datetime) -> Step:
    """A new visit time agreed with the owner; it becomes the order's appointment (its urgency stays)."""
    when = clock.localise(when, office.tz)
    return Step("reschedule", f"改约 {clock.show(when)}", {"appointment": when}, {"to": when})


def close(office=None, *, work: str | None = None, materials=(), labour: Decimal | None = None,
          opinion: str | None = None, signed_by: str | None = None, unsigned: str | None = None,
          arrived_at: dt.datetime | None = None, quantity: Decimal | None = None, fee_pending: bool = False,
          waive: Decimal | None = None, approved_by: str | None = None, approver_role: str | None = None) -> Step:
    """The job is finished and signed for (验收), with work, materials and fee; the sign-off, the slip's
    arrival and the quantity as orders/closing.py checks them (office: its catalogue and timezone)."""
    signed = closing.sign_off(signed_by, unsigned)
    quantity = closing.check_quantity(quantity)
    fields = {}
    if work := check_text("--work", work, lines=True):
        fields["work"] = work
    # amounts go into the file as the Decimals they are: yamlio writes each in money.written's form
    if materials:
        fields["materials"] = [yamlio.flow_map(name=n, qty=q, unit_price=p) for n, q, p in materials]
    if labour is not None:
        fields["labour"] = labour
    fee = money.total(((q, p) for _, q, p in materials), labour)
    if waive:
        approved_by = check_text("--approved-by", approved_by)
        if not (approved_by and approver_role):
            raise RepairError(_("--waive needs --approved-by NAME and --approver-role director|company (003 §4.1.4.4), "
                                "e.g. --approved-by 赵总监 --approver-role director"))
        lifecycle.check_waiver(waive, approver_role, fee)
        fields["waiver"] = yamlio.flow_map(amount=waive, approved_by=approved_by, approver_role=approver_role)
    if opinion := check_text("--opinion", opinion, lines=True):
        fields["opinion"] = opinion
    fields.update(signed)
    if quantity is not None:
        fields["quantity"] = quantity
    fields["fee_pending"] = fee_pending
    summary = "完工" + (", 费用待定" if fee_pending else f", 费用 {money.shown(fee - (waive or 0))} 元")
    validate = closing.validator(office, signed=signed, arrived_at=arrived_at, quantity=quantity)
    return Step("close", summary, fields, dict(signed), validate, closing.slip_arrival(office, arrived_at))


def _fee_is_pending(doc) -> None:
    if not doc.get("fee_pending"):
        raise RepairError(_("{id} has no fee pending: it was settled at close or already by `fee`")
                          .format(id=doc.get("id")))


def settle_fee(*, amount: Decimal) -> Step:
    """The engineering supervisor settles a fee that was left pending at close."""
    fields = {"fee_pending": False, "fee_settled": amount}
    return Step("fee", f"确定收费 {money.shown(amount)} 元", fields, {"amount": amount}, _fee_is_pending)


def callback(*, method: str, satisfied: bool, reason: str | None = None) -> Step:
    """The clerk phoned (or visited) the owner back after the job (回访)."""
    reason = check_text("--reason", reason, lines=True)
    if not satisfied and not reason:
        raise RepairError(_('--unsatisfied needs --reason TEXT: ask the owner why and record it (004 §5.4.2), '
                            'e.g. --reason "仍在漏水"'))
    result = yamlio.flow_map(method=method, satisfied=satisfied, reason=reason)
    summary = f"回访({terms.label(terms.CALLBACK_METHOD, method)}) {terms.SATISFIED[satisfied]}"
    return Step("callback", summary, {"callback": result}, {"method": method, "satisfied": satisfied})


def _was_unsatisfied(doc) -> None:
    if (doc.get("callback") or {}).get("satisfied") is not False:
        raise RepairError(_("{id} needs no follow-up: the owner was satisfied at the callback")
                          .format(id=doc.get("id")))


def followup(*, note: str) -> Step:
    """An unsatisfied owner's complaint was handled and the owner told (004 §5.4.2); stops the followup clock."""
    note = check_text("--note", note, required=True, lines=True)
    # the note goes in the event too, so a second follow-up does not lose the first one's words
    return Step("followup", f"跟进: {note}", {"followup": note}, {"note": note}, _was_unsatisfied)


def cancel(*, reason: str) -> Step:
    """Cancel an open order, with the reason."""
    reason = check_text("--reason", reason, required=True, lines=True)
    return Step("cancel", f"取消: {reason}", {"cancel_reason": reason}, {"reason": reason})


def refer(office, *, job_code: str) -> Step:
    """On inspection the job is one for a specialist supplier (000 §2.2)."""
    job = office.catalogue.lookup(job_code)
    if job.in_house:
        raise RepairError(_("{code} {name} is an in-house item; refer takes a supplier job code (S01–S32), "
                            "e.g. --job S01")
                          .format(code=job.code, name=job.name))
    return Step("refer", f"推荐供应商 {job.name}", {"supplier_job": job.code}, {"job": job.code})
