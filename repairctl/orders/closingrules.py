"""The rules of what the close and after record: labour and materials, the waiver, the quote, the payment,
the sign-off and the quantity (issue 14). Registered into rules.RULES when rules.py is imported."""

from __future__ import annotations

from decimal import Decimal

from repairctl.errors import OfficeError
from repairctl.orders import fields, lifecycle, records
from repairctl.orders.rules import Found, Where, rule
from repairctl.text import terms
from repairctl.text.i18n import _


@rule("money")
def _money(data: dict, where: Where) -> Found:
    if data.get("labour") is not None and (fields.amount(data["labour"]) is None or fields.amount(data["labour"]) < 0):
        yield ("labour",), _("labour must be an amount of zero or more, to the fen, e.g. labour: 30.00")
    materials = data.get("materials")
    if materials is not None and not isinstance(materials, list):
        yield ("materials",), _("materials must be a list of {{name, qty, unit_price}}").format()
    for n, material in enumerate(materials if isinstance(materials, list) else []):
        if not isinstance(material, dict) or not material.get("name"):
            yield ("materials", n), _("a material needs name, qty and unit_price, "
                                      "e.g. name: 水龙头, qty: 1, unit_price: 35")
            continue
        for key in ("qty", "unit_price"):
            value = fields.amount(material.get(key))
            if value is None or value < 0 or (key == "qty" and value == 0):
                yield ("materials", n, key), _("{key} of {name} must be a positive amount").format(key=key,
                                                                                                  name=material["name"])
    if "fee_pending" in data and not isinstance(data["fee_pending"], bool):
        yield ("fee_pending",), _("fee_pending must be true or false")


def _amounted(data: dict, key: str) -> tuple[dict, Decimal | None]:
    """A money record of the file (waiver, quote, payment): the mapping ({} when it is none) and its amount."""
    held = data.get(key)
    return (held, fields.amount(held.get("amount"))) if isinstance(held, dict) else ({}, None)


@rule("waiver")
def _waiver(data: dict, where: Where) -> Found:
    if data.get("waiver") is None:
        return
    waiver, amount = _amounted(data, "waiver")
    role = waiver.get("approver_role")
    if amount is None or not waiver.get("approved_by") or not fields.one_of(role, terms.APPROVER_ROLE):
        yield ("waiver",), _("a waiver needs amount, approved_by and approver_role (director or company), e.g. "
                             "amount: 50, approved_by: 赵总监, approver_role: director")
    elif amount >= lifecycle.DIRECTOR_WAIVER_LIMIT and waiver["approver_role"] != "company":
        yield ("waiver",), _("a waiver of {amount} needs company approval (003 §4.1.4.4), not {role}: "
                                                      "write approver_role: company").format(
            amount=amount, role=waiver["approver_role"])


@rule("quote")
def _quote(data: dict, where: Where) -> Found:
    if data.get("quote") is None:
        return
    answer, amount = _amounted(data, "quote")
    accepted, declined = answer.get("accepted_by"), answer.get("declined")
    if amount is None or amount <= 0 or bool(accepted) == (declined is True) or declined not in (None, True):
        yield ("quote",), _("a quote needs amount and either accepted_by or declined: true, e.g. "
                            "quote: {{amount: 120, accepted_by: 张三}}").format()


@rule("payment")
def _payment(data: dict, where: Where) -> Found:
    if data.get("payment") is None:
        return
    paid, amount = _amounted(data, "payment")
    if amount is None or not paid.get("receipt") or not fields.one_of(paid.get("method"), terms.PAY_METHOD):
        yield ("payment",), _("a payment needs amount, receipt and method ({methods}), e.g. "
                              "payment: {{amount: 55, receipt: SJ-0012, method: wechat}}").format(
            methods=", ".join(terms.PAY_METHOD))
    elif data.get("status") not in lifecycle.FINISHED or data.get("fee_pending"):
        yield ("payment",), _("a payment belongs to a finished order whose fee is settled")
    else:
        try:
            due = records.Order(where.path, data, where.tz).amount_due
        except OfficeError:  # a broken amount is the rule `money`'s to name
            return
        if amount != due:
            yield ("payment", "amount"), _("payment amount {amount} is not the fee due {due}").format(
                amount=amount, due=due)


@rule("signoff")
def _signoff(data: dict, where: Where) -> Found:
    # close writes one of the two (orders/closing.py); a hand edit may write both
    if data.get("signed_by") and data.get("unsigned"):
        yield ("unsigned",), _("signed_by and unsigned exclude each other: keep signed_by if the owner signed, "
                               "else unsigned with the reason")
    quantity = data.get("quantity")
    if quantity is not None and (isinstance(quantity, bool) or fields.amount(quantity) is None
                                 or fields.amount(quantity) <= 0):
        yield ("quantity",), _("quantity must be a number more than zero (the metres or units done), e.g. quantity: 3")
