"""The repair slip (维修单) and the message note (留言条), rendered from the office's own templates.

Python turns an order into plain, already formatted strings (``slip_context``); the jinja2
templates in the office's ``templates/`` folder only lay them out, so an office can reword or
redesign its paper without touching code. They run sandboxed (templating.py): a template that
came with `git pull` can print the slip's fields and nothing more. ``check_templates`` renders
every template against sample orders for `repairctl check`. jinja2 is imported by templating.py
alone, and only when a slip, a note or `check` needs it.
"""

from __future__ import annotations

from pathlib import Path

from repairctl.errors import Problem, RepairError
from repairctl.orders.records import Order
from repairctl.reports import templating
from repairctl.text import clock, money, terms
from repairctl.text.cjk import pad, width
from repairctl.text.i18n import _

BLANK = "________"  # a line to fill in by hand, as on a paper form
CUT = "\n" + "- " * 31 + "-\n\n"  # the cut line between the copies of a text slip
CHECKED, UNCHECKED = "■", "□"
SLIP_TEXT, SLIP_HTML, NOTE_TEXT = "slip.txt.j2", "slip.html.j2", "note.txt.j2"


def wrap(text, columns: int, indent: int = 0) -> str:
    """Break text into lines of at most columns terminal columns (at a space if it can), later lines indented."""
    lines, line = [], ""
    for char in str(text):
        if line and width(line + char) > columns:
            head, _space, tail = line.rpartition(" ")
            lines.append(head.rstrip() if head.strip() else line)
            line = tail if head.strip() else ""
        line += char
    lines.append(line)
    return ("\n" + " " * indent).join(lines)


def fill(value) -> str:
    """The value, or the fill-in line when it is blank."""
    return BLANK if value in (None, "") else str(value)


FILTERS = {"pad": pad, "wrap": wrap, "fill": fill}


def _material(line: dict) -> dict:
    """A material line as the slip prints it: quantity as written, price and amount to the fen."""
    qty, price = money.read(line.get("qty")), money.read(line.get("unit_price"))
    return {"name": str(line.get("name") or ""), "qty": money.written(qty), "unit_price": money.shown(price),
            "amount": money.shown(money.line(qty, price))}


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
        "materials_total": money.shown(order.materials_total) if order.materials_list else "",
        "labour": money.shown(order.labour) if order.get("labour") is not None else "",
        "waiver": money.shown(order.waived) if waiver else "", "waiver_approver": approver,
        "fee_pending": pending, "fee": money.shown(order.amount_due) if priced and not pending else "",
        "opinion": str(order.get("opinion") or ""), "signed_by": str(order.get("signed_by") or ""),
        "visit": clock.show(order.time_of("absent")),
        "visitor": str(order.get("technician") or (absent[-1].get("by") if absent else "") or ""),
    }


def _render(office, name: str, context: dict) -> str:
    """Render one template of the office in the sandbox; any fault of the template is a one-line RepairError."""
    text = templating.render(office.templates_dir, name, context, FILTERS)
    return text if name.endswith(".html.j2") else "".join(line.rstrip() + "\n" for line in text.splitlines())


def render_slip(office, order: Order, copies: list[str] | None = None, html: bool = False) -> str:
    """The slip, once per copy: text copies separated by a cut line, or one HTML page of all copies."""
    copies = list(copies or office.slip_copies)
    unknown = [c for c in copies if c not in office.slip_copies]
    if unknown:
        raise RepairError(_("no slip copy {copy}; this office prints {copies} (slip_copies in office.yaml)").format(
            copy=repr(unknown[0]), copies=", ".join(office.slip_copies)))
    context = slip_context(office, order)
    if html:
        return _render(office, SLIP_HTML, {**context, "copies": copies})
    return CUT.join(_render(office, SLIP_TEXT, {**context, "copy": copy}) for copy in copies)


def render_note(office, order: Order) -> str:
    """The message note (留言条) left at the door when the owner was not at home."""
    return _render(office, NOTE_TEXT, slip_context(office, order))


# Two orders every template must print: one with every field a slip or note shows filled in, and one
# just received with nothing else, so that both sides of a template's `if` and `for … else` run.
_FULL = {
    "id": "HQ-000000", "status": "called_back", "channel": "phone", "scope": "public", "unit": "1栋101",
    "name": "张三", "phone": "13800000000", "description": "厨房水龙头漏水", "item": "W01",
    "urgency": "appointment", "appointment": "2026-01-05T14:00:00+08:00", "technician": "李师傅", "work": "更换水龙头",
    "materials": [{"name": "水龙头", "qty": 1, "unit_price": 35}], "labour": 20,
    "waiver": {"amount": 5, "approved_by": "赵总监", "approver_role": "director"},
    "opinion": "满意", "signed_by": "张三", "fee_pending": False,
    "events": [{"action": action, "at": f"2026-01-05T{time}:00+08:00", "by": "王小红"} for action, time in (
        ("received", "09:00"), ("assigned", "09:05"), ("absent", "10:00"), ("arrived", "14:00"),
        ("finished", "15:00"), ("called_back", "16:00"))],
}
_BARE = {"id": "HQ-000000", "status": "received", "unit": "1栋101", "description": "报修",
         "events": [{"action": "received", "at": "2026-01-05T09:00:00+08:00", "by": "王小红"}]}


def check_templates(office, shown=lambda path: path) -> list[Problem]:
    """Every fault of the templates in the office's templates/ folder, found by rendering each against
    sample orders (syntax, unknown fields, refusals of the sandbox), at its file and line; shown(path)
    is how a path is printed."""
    folder, problems = office.templates_dir, []
    names = templating.names(folder)
    for name in (SLIP_TEXT, SLIP_HTML, NOTE_TEXT):
        if name not in names:
            problems.append(Problem(shown(folder / name), 1, 1, _("template is missing; copy it from a new office "
                                                                  "(`repairctl init`) or restore it with git")))
    samples = [slip_context(office, Order(office.orders_dir / "sample.yaml", data, office.tz))
               for data in (_FULL, _BARE)]
    extra = {"copy": office.slip_copies[0] if office.slip_copies else "", "copies": list(office.slip_copies)}
    for name in names:
        # one fault a template: the second sample would most likely stop at the same line
        found = next(filter(None, (templating.fault(folder, name, {**context, **extra}, FILTERS, shown)
                                   for context in samples)), None)
        if found:
            problems.append(found)
    return problems


def refuse_a_broken_note(office) -> None:
    """Refuse, before a visit is recorded, one whose message note (留言条) could not be printed after it:
    the note template's fault, at its file and line."""
    for problem in check_templates(office):
        if problem.path.name == Path(NOTE_TEXT).name:
            raise RepairError(f"{problem}; nothing was recorded")


def check_templates_at(root, shown=lambda path: path) -> list[Problem]:
    """check_templates for the office folder at root; nothing when the office cannot be loaded (check says why)."""
    from repairctl.office.folder import load_office

    try:
        office = load_office(root)
    except RepairError:
        return []
    return check_templates(office, shown)
