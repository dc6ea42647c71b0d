"""`show`: one order as a card for the terminal, and as JSON for scripts (English keys).

The card answers what a person asks about an order: who called and when, the item and its time
standard (the catalogue's 维修时限, with the quantity it is counted by), each reschedule with the times
it moved from and to, the materials line by line (qty × price), labour, the waiver and who approved it,
the quote and the owner's answer, the fee and its state (due, paid, waived), the payment with its
receipt, the sign-off (`signed_by`, or `unsigned` with the reason), the callback and every follow-up;
then the history. A field the file lacks makes no row. The file format is docs/formats.md's
(issue 14 fixed `quote`, `payment`, `unsigned` and `quantity`).
"""

from __future__ import annotations

from repairctl.errors import RepairError
from repairctl.orders import lifecycle, payments
from repairctl.orders import standard as work_standard
from repairctl.orders.records import Order
from repairctl.reports import planviews
from repairctl.text import cjk, clock, money, terms
from repairctl.text.i18n import N_, _

# payment methods (issue 14: cash | wechat | alipay | card | bank), said in the clerk's language
METHODS = {"cash": N_("cash"), "wechat": N_("WeChat Pay"), "alipay": N_("Alipay"), "card": N_("bank card"),
           "bank": N_("bank transfer")}


def entry(office, code):
    """The catalogue item or supplier job of code, or None (no code, or one the catalogue lacks: `check` says)."""
    try:
        return office.catalogue.lookup(str(code)) if code else None
    except RepairError:
        return None


def item_label(office, code: str | None) -> str:
    """A catalogue code with its name, e.g. 'W01 更换普通水龙头'."""
    if not code:
        return ""
    found = entry(office, code)
    return f"{code} {found.name}" if found else str(code)  # an unknown code still shows; `check` reports it


def standard(office, order: Order) -> str | None:
    """The item's time standard as the catalogue writes it (15分钟, 2小时内, 15分钟/米, 视维修部位定), or None."""
    item = entry(office, order.get("item"))
    return (item.limit_text() or None) if item is not None and item.in_house else None


def fee_state(order: Order) -> str:
    """The fee's state as the finance desk sees it (payments.fee_state: due, paid, waived, none), or
    pending while the supervisor has still to settle it."""
    if order.get("fee_pending") and order.get("payment") is None:
        return "pending"
    return payments.fee_state(order)


def reschedules(order: Order) -> list[dict]:
    """Each reschedule: the appointment it replaced (None when there was none), the new time, when, by whom."""
    def time(value):
        return clock.as_time(value, order.tz)

    return [{"from": time(e.get("from")), "to": time(e.get("to")), "at": time(e.get("at")), "by": e.get("by")}
            for e in order.events if e.get("action") == "rescheduled"]


def order_json(office, order: Order) -> dict:
    """An order as a JSON object: every field of the file, plus what is worked out from it."""
    data = dict(order.data)
    data["materials_total"] = order.materials_total
    data["fee_state"] = fee_state(order)
    data["standard"] = work_standard.as_json(order, office.catalogue)  # words, minutes allowed and taken, met
    data["reschedules"] = reschedules(order)
    job = entry(office, order.get("supplier_job"))
    if job is not None and not job.in_house:
        data["supplier"] = {"code": job.code, "name": job.name, "provider": job.provider}
    data["amount_due"] = order.amount_due  # last, as before these were added
    return data


def _yuan(value) -> str:
    return _("{amount} yuan").format(amount=money.shown(money.read(value)))


def _materials(order: Order) -> list[str]:
    """One line per material, qty × unit price = amount, and the total when there are several."""
    lines = []
    for m in order.materials_list:
        qty, price = money.read(m.get("qty")), money.read(m.get("unit_price"))
        lines.append(_("{name} {qty} × {price} = {amount} yuan").format(
            name=m.get("name", ""), qty=money.written(qty), price=money.shown(price),
            amount=money.shown(money.line(qty, price))))
    if len(lines) > 1:
        lines.append(_("total {amount} yuan").format(amount=money.shown(order.materials_total)))
    return lines


def _fee(order: Order) -> str:
    state = fee_state(order)
    if state == "pending":
        return _("pending")
    amount = money.shown(order.amount_due)
    return {"paid": _("{amount} yuan, paid"), "due": _("{amount} yuan, due"),
            "waived": _("{amount} yuan, waived")}.get(state, _("{amount} yuan")).format(amount=amount)


def _standard(office, order: Order) -> str | None:
    text, item = standard(office, order), entry(office, order.get("item"))
    if text is None:
        return None
    if order.get("quantity") is not None and "per" in (item.limit or {}):  # per metre or unit: this many of them
        text = _("{standard} × {quantity}").format(standard=text, quantity=order.get("quantity"))
    measured = work_standard.as_json(order, office.catalogue)
    if measured and measured["met"] is not None:  # arrival and finish both recorded: how long it took
        text += _("; took {minutes} min, {verdict}").format(
            minutes=measured["taken_minutes"], verdict=_("within it") if measured["met"] else _("over it"))
    remark = getattr(item, "remark", None)
    return f"{text}（{remark}）" if remark else text


def _quote(quote) -> str:
    amount = _yuan(quote.get("amount"))
    if quote.get("declined"):
        return _("{amount}, declined by the owner").format(amount=amount)
    if quote.get("accepted_by"):
        return _("{amount}, accepted by {name}").format(amount=amount, name=quote["accepted_by"])
    return amount


def _payment(payment) -> str:
    method = payment.get("method")
    return _("{amount}, receipt {receipt}, {method}").format(
        amount=_yuan(payment.get("amount")), receipt=payment.get("receipt", ""),
        method=_(METHODS[method]) if method in METHODS else method or "")


def _waiver(waiver) -> str:
    amount, name = _yuan(waiver.get("amount")), waiver.get("approved_by", "")
    role = terms.shown(terms.APPROVER_ROLE, waiver.get("approver_role"))
    if role:
        return _("{amount}, approved by {name} ({role})").format(amount=amount, name=name, role=role)
    return _("{amount}, approved by {name}").format(amount=amount, name=name)


def _sign_off(order: Order) -> str | None:
    if order.get("signed_by"):
        return str(order.get("signed_by"))
    if order.get("unsigned"):
        return _("unsigned: {reason}").format(reason=order.get("unsigned"))
    return _("not recorded") if order.status in lifecycle.FINISHED else None


def _callback(cb) -> str:
    answer = {True: _("satisfied"), False: _("not satisfied")}.get(cb.get("satisfied"), "")
    return f"{terms.shown(terms.CALLBACK_METHOD, cb.get('method'))} {answer} {cb.get('reason') or ''}".rstrip()


def _money_rows(order: Order, f) -> list[tuple[str, str | None]]:
    """Quote, materials, labour, waiver, fee and payment: every yuan from quote to payment."""
    rows = []
    if isinstance(order.get("quote"), dict):
        rows.append((f("quote"), _quote(order.get("quote"))))
    for n, line in enumerate(_materials(order)):
        rows.append((f("materials") if n == 0 else "", line))
    if order.get("labour") is not None:
        rows.append((f("labour"), _yuan(order.get("labour"))))
    if isinstance(order.get("waiver"), dict):
        rows.append((f("waiver"), _waiver(order.get("waiver"))))
    rows.append((f("fee"), _fee(order)))
    if isinstance(order.get("payment"), dict):
        rows.append((f("payment"), _payment(order.get("payment"))))
    return rows


def order_text(office, order: Order) -> str:
    """A readable card of one order: its fields (Chinese words, or the code words in English), then its history."""
    def f(key):
        return terms.shown(terms.FIELD, key)

    urgency = terms.shown(terms.URGENCY, order.get("urgency"))
    if order.appointment_time:
        urgency += f" {clock.show(order.appointment_time)}"
    rows = [  # the fields every order has a row for, blank until filled; the rows below only when there is one
        (f("id"), order.id), (f("status"), terms.shown(terms.STATUS, order.status)),
        (f("received"), clock.show(order.received)), (f("channel"), terms.shown(terms.CHANNEL, order.get("channel"))),
        (f("unit"), f"{order.get('unit', '')} ({terms.shown(terms.SCOPE, order.get('scope'))})"),
        (f("name"), order.get("name")), (f("phone"), order.get("phone")), (f("description"), order.get("description")),
        (f("item"), item_label(office, order.get("item") or order.get("supplier_job"))),
        (f("standard"), _standard(office, order)), (f("urgency"), urgency),
        (f("technician"), order.get("technician")), (f("work"), order.get("work")),
    ]
    rows = [(k, "" if v is None else v) for k, v in rows]
    job = entry(office, order.get("supplier_job"))
    if job is not None and not job.in_house:  # a job the seed's table names nobody for says so
        rows.append((f("supplier"), job.provider or _("none named")))
    for r in reschedules(order):
        moved = f"{clock.show(r['from'])} → {clock.show(r['to'])}" if r["from"] else f"→ {clock.show(r['to'])}"
        rows.append((f("rescheduled"), _("{moved} (agreed {when}, {who})").format(
            moved=moved, when=clock.show(r["at"]), who=r["by"] or "")))
    rows += [*_money_rows(order, f), (f("opinion"), order.get("opinion"))]
    # a public area's job is signed for by whoever accepts it for the office (验收人), not by an owner
    rows.append((f("acceptor" if order.get("scope") == "public" else "signed_by"), _sign_off(order)))
    if isinstance(order.get("callback"), dict):
        rows.append((f("callback"), _callback(order.get("callback"))))
    followed = [e for e in order.events if e.get("action") == "followed_up"]
    for e in followed:  # each follow-up, when and by whom: the field keeps only the last one's note
        when = clock.show(clock.as_time(e.get("at"), order.tz))
        rows.append((f("followup"), f"{when}  {e.get('by', '')}  {e.get('note') or ''}".rstrip()))
    if not followed and order.get("followup"):
        rows.append((f("followup"), order.get("followup")))
    if order.get("cancel_reason"):
        rows.append((f("reason"), order.get("cancel_reason")))
    rows += planviews.card_rows(order)  # a planned job's plan, due day and checklist (issue 16 §2)
    if order.get("conflict") is not None:  # a merge left two versions: this card shows ours
        from repairctl.orders.conflict import reason_of

        hint = _("keep one: `repairctl resolve {id} --take ours|theirs`").format(id=order.id)
        rows.append((_("unresolved conflict"), f"{reason_of(order.data)}; {hint}"))
    rows = [(k, v) for k, v in rows if v is not None]
    width = max(cjk.width(k) for k, _v in rows)
    lines = [f"{cjk.pad(k, width)}  {v}" for k, v in rows]
    lines.append("")
    for event in order.events:
        when = clock.show(clock.as_time(event.get("at"), order.tz))
        line = f"  {when}  {event.get('by', '')}  {terms.shown(terms.EVENT, event.get('action'))}"
        if event.get("action") == "edited":  # a correction says what it changed, as its commit does
            old, new, why = (" ".join(str(event.get(k, "—")).split()) for k in ("old", "new", "reason"))
            line += f" {event.get('field')} {old} → {new}（{why}）"  # on one line: a description may hold breaks
        lines.append(line)
    return "\n".join(lines)
