"""The repair slip (维修单) and the message note (留言条), rendered from the office's own templates.

Python turns an order into plain, already formatted strings (``slip_context``); the jinja2
templates in the office's ``templates/`` folder only lay them out, so an office can reword or
redesign its paper without touching code. jinja2 is imported here alone: commands that print
nothing pay nothing for it.
"""

from __future__ import annotations

import jinja2

from repairctl.errors import RepairError
from repairctl.orders.records import Order
from repairctl.text import clock, money, terms
from repairctl.text.cjk import pad, width

BLANK = "________"  # a line to fill in by hand, as on a paper form
CUT = "\n" + "- " * 31 + "-\n\n"  # the cut line between the copies of a text slip
CHECKED, UNCHECKED = "■", "□"
SLIP_TEXT, SLIP_HTML, NOTE_TEXT = "slip.txt.j2", "slip.html.j2", "note.txt.j2"


def wrap(text, columns: int, indent: int = 0) -> str:
    """Break text into lines of at most columns terminal columns (at a space if it can), later lines indented."""
    lines, line = [], ""
    for char in str(text):
        if line and width(line + char) > columns:
            head, _, tail = line.rpartition(" ")
            lines.append(head.rstrip() if head.strip() else line)
            line = tail if head.strip() else ""
        line += char
    lines.append(line)
    return ("\n" + " " * indent).join(lines)


def fill(value) -> str:
    """The value, or the fill-in line when it is blank."""
    return BLANK if value in (None, "") else str(value)


def _material(line: dict) -> dict:
    """A material line as the slip prints it: quantity as written, price and amount to the fen."""
    qty, price = money.read(line.get("qty")), money.read(line.get("unit_price"))
    return {"name": str(line.get("name") or ""), "qty": money.written(qty), "unit_price": money.figure(price),
            "amount": money.figure(money.line(qty, price))}


def _item(office, order: Order) -> str:
    """Category and item for an in-house job; the job and the recommended supplier for a referred one."""
    code = order.get("item") or order.get("supplier_job")
    if not code:
        return ""
    try:
        entry = office.catalogue.lookup(str(code))
    except RepairError:  # an unknown code still prints; `repairctl check` reports it
        return str(code)
    if entry.in_house:
        return f"{entry.category_name}  {entry.name}（{entry.code}）"
    provider = f"  {terms.FIELD['supplier']}：{entry.provider}" if entry.provider else ""
    return f"{terms.SLIP['supplier_job']}：{entry.name}（{entry.code}）{provider}"


def slip_context(office, order: Order) -> dict:
    """Everything a slip or note prints, as plain formatted strings (blank fields are '')."""
    waiver = order.get("waiver") or {}
    approver = str(waiver.get("approved_by") or "")
    if approver and waiver.get("approver_role"):
        approver += f"（{terms.label(terms.APPROVER_ROLE, waiver['approver_role'])}）"
    pending = bool(order.get("fee_pending"))
    priced = any((order.get("fee_settled") is not None, order.materials_list,
                  order.get("labour") is not None, order.time_of("finished")))
    absent = [e for e in order.events if e.get("action") == "absent"]
    scope = f"（{terms.SCOPE['public']}）" if order.get("scope") == "public" else ""
    return {
        "label": {**terms.FIELD, **terms.SLIP},
        "office_name": office.name, "office_phone": office.phone, "id": order.id,
        "received": clock.show(order.received),
        "unit": str(order.get("unit") or "") + scope,
        "name": str(order.get("name") or ""), "phone": str(order.get("phone") or ""),
        "description": str(order.get("description") or ""),
        "urgency": [{"key": key, "label": text, "mark": CHECKED if key == order.get("urgency") else UNCHECKED}
                    for key, text in terms.URGENCY.items()],
        "appointment": clock.show(order.appointment_time),
        "item": _item(office, order),
        "technician": str(order.get("technician") or ""),
        "arrived": clock.show(order.time_of("arrived")), "finished": clock.show(order.time_of("finished")),
        "work": str(order.get("work") or ""),
        "materials": [_material(m) for m in order.materials_list],
        "materials_total": money.figure(order.materials_total) if order.materials_list else "",
        "labour": money.figure(order.labour) if order.get("labour") is not None else "",
        "waiver": money.figure(order.waived) if waiver else "", "waiver_approver": approver,
        "fee_pending": pending, "fee": money.figure(order.amount_due) if priced and not pending else "",
        "opinion": str(order.get("opinion") or ""), "signed_by": str(order.get("signed_by") or ""),
        "visit": clock.show(order.time_of("absent")),
        "visitor": str(order.get("technician") or (absent[-1].get("by") if absent else "") or ""),
    }


def _render(office, name: str, context: dict) -> str:
    """Render one template of the office, turning any failure of the template into a one-line RepairError."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(office.templates_dir), undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(("html", "html.j2"), default_for_string=False, default=False),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters.update(pad=pad, wrap=wrap, fill=fill)
    path = office.templates_dir / name
    try:
        text = env.get_template(name).render(context)
    except jinja2.TemplateNotFound as error:
        raise RepairError(f"template {office.templates_dir / error.name} is missing; copy it from a new office "
                          "(`repairctl init`) or restore it with git") from None
    except jinja2.TemplateSyntaxError as error:
        raise RepairError(f"template {error.filename or path} is broken at line {error.lineno}: {error.message}; "
                          "fix it or restore it with git") from None
    except (jinja2.TemplateError, TypeError, ValueError) as error:  # e.g. an unknown field or a filter misused
        reason = (str(error).splitlines() or [type(error).__name__])[0]
        raise RepairError(f"template {path} failed: {reason}; fix it or restore it with git") from None
    return text if name.endswith(".html.j2") else "".join(line.rstrip() + "\n" for line in text.splitlines())


def render_slip(office, order: Order, copies: list[str] | None = None, html: bool = False) -> str:
    """The slip, once per copy: text copies separated by a cut line, or one HTML page of all copies."""
    copies = list(copies or office.slip_copies)
    unknown = [c for c in copies if c not in office.slip_copies]
    if unknown:
        raise RepairError(f"no slip copy {unknown[0]!r}; this office prints {', '.join(office.slip_copies)} "
                          "(slip_copies in office.yaml)")
    context = slip_context(office, order)
    if html:
        return _render(office, SLIP_HTML, {**context, "copies": copies})
    return CUT.join(_render(office, SLIP_TEXT, {**context, "copy": copy}) for copy in copies)


def render_note(office, order: Order) -> str:
    """The message note (留言条) left at the door when the owner was not at home."""
    return _render(office, NOTE_TEXT, slip_context(office, order))
