"""The money of an order from quote to payment: the owner's consent to a price (003 §4.1.2.3), payment at the
finance desk (000 §2.3: the technician takes no cash), and the fee's state derived from the file.

An order's fee state is derived, never stored:

- ``none``: nothing is charged (yet): the order is not finished, or its fee is 0, or still pending
  (`fee` settles it; until then no amount is known, so nothing can be paid);
- ``waived``: a waiver took the whole fee;
- ``due``: an amount is owed and no payment is recorded;
- ``paid``: the finance desk recorded the payment (`payment:` and the `paid` event).

A payment is the whole amount due, once: a partial payment is refused, with the amount due in the
message (the finance desk issues one receipt for one fee; docs/formats.md says why).
Pure functions over order documents and :class:`records.Order`; no files, no git.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from repairctl.errors import RepairError
from repairctl.office import settings
from repairctl.orders import lifecycle, records
from repairctl.orders.lifecycle import Step
from repairctl.store import yamlio
from repairctl.text import money, terms
from repairctl.text.i18n import _
from repairctl.text.inputs import check_text


def quote(*, amount: Decimal, accepted_by: str | None = None, declined: bool = False) -> Step:
    """A price quoted before the work (报价): accepted by the owner (named), or declined, which ends the order."""
    accepted_by = check_text("--accepted-by", accepted_by)
    if bool(accepted_by) == bool(declined):
        raise RepairError(_("give the owner's answer to the quote: --accepted-by NAME or --declined, "
                            "e.g. --accepted-by 张三"))
    if amount <= 0:
        raise RepairError(_("a quote of {amount} yuan: free work needs no quote; give the price, e.g. --amount 120")
                          .format(amount=money.shown(amount)))
    if declined:
        answer = {"amount": amount, "declined": True}
        summary = f"报价 {money.shown(amount)} 元, 业户不同意"
    else:
        answer = {"amount": amount, "accepted_by": accepted_by}
        summary = f"报价 {money.shown(amount)} 元, {accepted_by} 同意"
    return Step("quote", summary, {"quote": yamlio.flow_map(**answer)}, answer)


def pay(*, amount: Decimal, receipt: str, method: str = "cash") -> Step:
    """The owner paid the whole fee at the finance desk (000 §2.3), against a receipt (收据) number."""
    receipt = check_text("--receipt", receipt, required=True)
    if method not in terms.PAY_METHOD:
        raise RepairError(_("--method {method} is not one of {choices}").format(method=repr(method),
                                                                             choices=", ".join(terms.PAY_METHOD)))
    details = {"amount": amount, "receipt": receipt, "method": method}

    def payable(doc) -> None:
        order_id, order = doc.get("id"), records.Order(None, doc, dt.UTC)
        if doc.get("payment") is not None:
            paid = doc["payment"]
            raise RepairError(_("{id} is paid already ({amount} yuan, receipt {receipt}); a fee is paid once")
                              .format(id=order_id, amount=money.shown(money.read(paid.get("amount"))),
                                      receipt=paid.get("receipt")))
        if doc.get("fee_pending"):
            raise RepairError(_("{id}'s fee is still pending: the supervisor settles it first with "
                                "`repairctl fee {id} --amount X`").format(id=order_id))
        due = order.amount_due
        if due == 0:
            raise RepairError(_("{id} has nothing to pay: its fee is {state}").format(
                id=order_id, state=terms.shown(terms.FEE_STATE, fee_state(order))))
        if money.fen(amount) != due:
            raise RepairError(_("{id} owes {due} yuan, not {amount}: record the whole fee on one receipt, "
                                "e.g. --amount {due}").format(id=order_id, due=money.shown(due),
                                                              amount=money.shown(amount)))

    summary = f"缴费 {money.shown(amount)} 元, 收据 {receipt}, {terms.label(terms.PAY_METHOD, method)}"
    return Step("pay", summary, {"payment": yamlio.flow_map(**details)}, details, payable)


def fee_state(order: records.Order) -> str:
    """The order's fee: due, paid, waived or none (see the module docstring)."""
    if order.get("payment") is not None:
        return "paid"
    if order.status not in lifecycle.FINISHED or order.get("fee_pending"):
        return "none"
    if order.amount_due > 0:
        return "due"
    return "waived" if order.waived > 0 else "none"


def owed_since(order: records.Order) -> dt.datetime | None:
    """When the fee became payable (the close, or the settling of a pending fee), for one that is due or paid."""
    if fee_state(order) not in ("due", "paid"):
        return None
    return order.time_of("fee_settled", last=False) or order.time_of("finished", last=False)


def paid_amount(order: records.Order, as_of: dt.datetime | None = None) -> Decimal:
    """What the finance desk recorded as paid on the order (by as_of, when given), to the fen."""
    if order.get("payment") is None:
        return Decimal(0)
    paid_at = order.time_of("paid", last=False)
    if as_of is not None and paid_at is not None and paid_at.timestamp() > as_of.timestamp():
        return Decimal(0)
    return money.fen(money.read(order.get("payment").get("amount")))


def collected(finished, as_of: dt.datetime | None = None) -> dict:
    """实收 and 未收 of finished orders: what was paid by as_of, and what their settled fees still lack."""
    settled = [o for o in finished if not o.get("fee_pending")]
    due = money.fen(sum((o.amount_due for o in settled), Decimal(0)))
    paid = money.fen(sum((paid_amount(o, as_of) for o in settled), Decimal(0)))
    return {"collected": paid, "outstanding": due - paid}


# --- the quote at the close ------------------------------------------------------------------------


def accepted_quote(data) -> Decimal | None:
    """The amount of the quote the owner accepted, or None (no quote, or declined)."""
    answer = data.get("quote")
    if not isinstance(answer, dict) or answer.get("declined") or not answer.get("accepted_by"):
        return None
    return money.read(answer.get("amount"))


def checked_close(office, step: Step) -> Step:
    """The close step, refused for paid work without an accepted quote when office.yaml's
    fees.quote_required says so (besides whatever the step itself checks)."""
    required, _margin = settings.fees(office.config)
    if not required:
        return step
    own = step.validate

    def validate(doc) -> None:
        if own:
            own(doc)
        after = records.Order(None, {**doc, **step.fields}, office.tz)
        charged = after.materials_total + after.labour > 0 or after.get("fee_pending")
        if charged and accepted_quote(doc) is None:
            raise RepairError(_("{id} is paid work with no accepted quote (office.yaml fees.quote_required): quote "
                                "it first, e.g. `repairctl quote {id} --amount 120 --accepted-by 张三`")
                              .format(id=doc.get("id")))

    return Step(step.action, step.summary, step.fields, step.details, validate)


def over_quote(office, order: records.Order) -> list[str]:
    """A warning when the fee charged exceeds the accepted quote by more than office.yaml's fees.quote_margin."""
    quoted = accepted_quote(order.data)
    if quoted is None or order.get("fee_pending"):
        return []
    _required, margin = settings.fees(office.config)
    charged = order.amount_due
    if charged <= money.fen(quoted * (1 + margin)):
        return []
    return [_("{id}'s fee {fee} yuan is more than the accepted quote {quote} yuan by over {margin}: tell the owner "
              "before asking for payment (003 §4.1.2.3)").format(id=order.id, fee=money.shown(charged),
                                                                quote=money.shown(quoted), margin=f"{margin:.0%}")]
