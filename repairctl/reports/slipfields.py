"""The fields of a repair slip (维修单), as plain formatted strings: every box of the seeds' paper forms.

000 §4 and 003 §4.1.1.3 ask the slip for who took the call and how (受理人, 受理方式), when it was
dispatched and to whom with their trade (派工时间, 维修人员, 工种), the area (区域), the times the
office's clocks require (要求到场, 要求完工), the item with its work-time standard (维修时限) and remark,
materials and labour, the times on site, the owner's opinion and the signatures with their dates,
and on a reprint the callback. ``slip_context`` turns one order into those strings; the templates
only lay them out (slips.py). A signature box is a blank line until the job is closed: a slip
printed at dispatch is signed by hand, and a reprint marks what the record holds as signed.
"""

from __future__ import annotations

from repairctl.errors import RepairError
from repairctl.orders import sla
from repairctl.orders.records import Order
from repairctl.text import clock, money, terms

CHECKED, UNCHECKED = "■", "□"
# a public area has no owner: the caller reported it (报修人) and someone of the office accepts it (验收人)
PUBLIC_LABELS = {"name": "caller", "signed_by": "acceptor", "opinion": "acceptor_opinion"}


def trades(office) -> dict[str, str]:
    """Each technician's trade (工种) from records/staff.csv; {} without one, or when it cannot be read
    (`repairctl check` names its problems; a slip still prints, the trade left blank)."""
    from repairctl.office import registry

    try:
        return dict(registry.load(office.root).staff or {})
    except (RepairError, OSError):
        return {}


def _material(line: dict) -> dict:
    """A material line as the slip prints it: quantity as written, price and amount to the fen."""
    qty, price = money.read(line.get("qty")), money.read(line.get("unit_price"))
    return {"name": str(line.get("name") or ""), "qty": money.written(qty), "unit_price": money.shown(price),
            "amount": money.shown(money.line(qty, price))}


def entry_of(office, order: Order):
    """The catalogue entry of the order's item or supplier job; None for none or an unknown code (check says so)."""
    code = order.get("item") or order.get("supplier_job")
    if not code:
        return None
    try:
        return office.catalogue.lookup(str(code))
    except RepairError:
        return None


def item_text(office, order: Order) -> str:
    """Category and item for an in-house job; the job and the recommended supplier for a referred one."""
    entry = entry_of(office, order)
    if entry is None:  # an unknown code still prints; `repairctl check` reports it
        return str(order.get("item") or order.get("supplier_job") or "")
    if entry.in_house:
        return f"{entry.category_name}  {entry.name}（{entry.code}）"
    provider = f"  {terms.FIELD['supplier']}：{entry.provider}" if entry.provider else ""
    return f"{terms.SLIP['supplier_job']}：{entry.name}（{entry.code}）{provider}"


def limit_text(office, order: Order) -> str:
    """The item's 维修时限 as the catalogue writes it (15分钟, 2小时内, 15分钟/米), with the quantity when one is
    recorded for a per-metre or per-unit standard (15分钟/米 × 3)."""
    entry = entry_of(office, order)
    if entry is None or not entry.in_house:
        return ""
    text = entry.limit_text()
    quantity = order.get("quantity")
    if text and quantity is not None and (entry.limit or {}).get("per"):
        text += f" × {money.written(money.read(quantity))}"
    return text


def due_times(office, order: Order) -> tuple[str, str]:
    """The times the office's clocks require: on site (the agreed time of an appointment) and finished."""
    try:
        clocks = sla.obligations(order, sla.of_office(office))
    except (ValueError, TypeError, RepairError):  # a broken time or setting: the boxes are filled by hand
        return "", ""
    visits = [ob.due for ob in clocks if ob.kind in ("arrival", "appointment")]
    finish = [ob.due for ob in clocks if ob.kind == "finish"]
    return clock.show(visits[-1] if visits else None), clock.show(finish[-1] if finish else None)


def _event(order: Order, action: str) -> dict:
    """The last event of this action, or {}."""
    return next((e for e in reversed(order.events) if e.get("action") == action), {})


def signatures(order: Order) -> dict:
    """The signature boxes: blank lines while the job is open; after the close what the record holds,
    marked as signed (张三（已签）), or the reason it was not (未签：业户不在家), each with its date."""
    finished = order.time_of("finished")
    if finished is None:
        return {"signed_by": "", "signed_date": "", "technician_signed": "", "technician_date": ""}
    day = f"{finished:%Y-%m-%d}"
    owner = ""
    if order.get("signed_by"):
        owner = f"{order.get('signed_by')}（{terms.SLIP['signed']}）"
    elif order.get("unsigned"):
        owner = f"{terms.SLIP['unsigned']}：{order.get('unsigned')}"
    # the close is the technician's word only when the technician recorded it; a clerk's entry is not a signature
    technician = str(order.get("technician") or "")
    by_technician = technician and _event(order, "finished").get("by") == technician
    return {"signed_by": owner, "signed_date": day if owner else "",
            "technician_signed": f"{technician}（{terms.SLIP['signed']}）" if by_technician else "",
            "technician_date": day if by_technician else ""}


def callback_text(order: Order) -> str:
    """The callback's result on a reprint: when, how, the answer and its reason, who called; '' before it."""
    done = _event(order, "called_back")
    if not done:
        return ""
    result = order.get("callback") or {}
    satisfied = result.get("satisfied", done.get("satisfied"))
    parts = [clock.show(order.time_of("called_back")),
             terms.label(terms.CALLBACK_METHOD, result.get("method") or done.get("method")),
             terms.SATISFIED.get(satisfied, "")]
    text = "  ".join(p for p in parts if p)
    if result.get("reason"):
        text += f"：{result['reason']}"
    if done.get("by"):
        text += f"（{done['by']}）"
    if order.get("followup"):
        text += f"；{terms.EVENT['followed_up']}：{order.get('followup')}"
    return text


def labels(order: Order) -> dict:
    """The slip's words; a public area's speak of the caller (报修人) and the acceptor (验收人), not an owner."""
    words = {**terms.FIELD, **terms.SLIP}
    if order.get("scope") == "public":
        words.update({key: terms.SLIP[word] for key, word in PUBLIC_LABELS.items()})
    return words


def slip_context(office, order: Order, staff: dict[str, str] | None = None) -> dict:
    """Everything a slip or note prints, as plain formatted strings (blank fields are ''); staff is trades()."""
    waiver = order.get("waiver") or {}
    approver = str(waiver.get("approved_by") or "")
    if approver and waiver.get("approver_role"):
        approver += f"（{terms.label(terms.APPROVER_ROLE, waiver['approver_role'])}）"
    pending = bool(order.get("fee_pending"))
    priced = any((order.get("fee_settled") is not None, order.materials_list,
                  order.get("labour") is not None, order.time_of("finished")))
    absent = [e for e in order.events if e.get("action") == "absent"]
    technician = str(order.get("technician") or "")
    entry = entry_of(office, order)
    due_arrival, due_finish = due_times(office, order)
    return {
        "label": labels(order), "public": order.get("scope") == "public",
        "office_name": office.name, "office_phone": office.phone, "id": order.id,
        "received": clock.show(order.received), "clerk": str(_event(order, "received").get("by") or ""),
        "channel": terms.label(terms.CHANNEL, order.get("channel")),
        "scope": terms.label(terms.SCOPE, order.get("scope") or "unit"),
        "unit": str(order.get("unit") or ""),
        "name": str(order.get("name") or ""), "phone": str(order.get("phone") or ""),
        "description": str(order.get("description") or ""),
        "urgency": [{"key": key, "label": text, "mark": CHECKED if key == order.get("urgency") else UNCHECKED}
                    for key, text in terms.URGENCY.items()],
        "appointment": clock.show(order.appointment_time),
        "item": item_text(office, order), "limit": limit_text(office, order),
        "remark": str(getattr(entry, "remark", None) or ""),
        "dispatched": clock.show(order.time_of("assigned")),
        "technician": technician, "trade": (trades(office) if staff is None else staff).get(technician, ""),
        "due_arrival": due_arrival, "due_finish": due_finish,
        "arrived": clock.show(order.time_of("arrived")), "finished": clock.show(order.time_of("finished")),
        "work": str(order.get("work") or ""),
        "materials": [_material(m) for m in order.materials_list],
        "materials_total": money.shown(order.materials_total) if order.materials_list else "",
        "labour": money.shown(order.labour) if order.get("labour") is not None else "",
        "waiver": money.shown(order.waived) if waiver else "", "waiver_approver": approver,
        "fee_pending": pending, "fee": money.shown(order.amount_due) if priced and not pending else "",
        "opinion": str(order.get("opinion") or ""), **signatures(order),
        "callback": callback_text(order),
        "visit": clock.show(order.time_of("absent")),
        "visitor": str(technician or (absent[-1].get("by") if absent else "") or ""),
    }
