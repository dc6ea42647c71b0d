"""The repair slip (维修单) and the message note (留言条), rendered from the office's own templates.

Python turns an order into plain, already formatted strings (``slip_context``, slipfields.py); the jinja2
templates in the office's ``templates/`` folder only lay them out, so an office can reword or
redesign its paper without touching code. They run sandboxed (templating.py): a template that
came with `git pull` can print the slip's fields and nothing more. ``check_templates`` renders
every template against sample orders for `repairctl check`. jinja2 is imported by templating.py
alone, and only when a slip, a note or `check` needs it.
"""

from __future__ import annotations

from pathlib import Path

from repairctl.errors import Problem, RepairError
from repairctl.office.folder import DEFAULTS
from repairctl.orders import reading, records
from repairctl.orders.records import Order
from repairctl.reports import templating
from repairctl.reports.slipfields import slip_context, trades
from repairctl.text.cjk import pad, width
from repairctl.text.i18n import _

BLANK = "________"  # a line to fill in by hand, as on a paper form
CUT = "\n" + "- " * 31 + "-\n\n"  # the cut line between the copies of a text slip
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


def _render(office, name: str, context: dict) -> str:
    """Render one template of the office in the sandbox; any fault of the template is a one-line RepairError."""
    text = templating.render(office.templates_dir, name, context, FILTERS)
    return text if name.endswith(".html.j2") else "".join(line.rstrip() + "\n" for line in text.splitlines())


def _copies(office, copies: list[str] | None) -> list[str]:
    """The copies asked for, each one this office prints (all of them by default)."""
    copies = list(copies or office.slip_copies)
    unknown = [c for c in copies if c not in office.slip_copies]
    if unknown:
        raise RepairError(_("no slip copy {copy}; this office prints {copies} (slip_copies in office.yaml)").format(
            copy=repr(unknown[0]), copies=", ".join(office.slip_copies)))
    return copies


def orders_of(office, order_ids) -> list[Order]:
    """The orders of the IDs given, read from their files, in the order given, each once."""
    return [reading.read(records.locate(office.orders_dir, order_id), office.tz)
            for order_id in dict.fromkeys(order_ids)]


def render_slip(office, order: Order, copies: list[str] | None = None, html: bool = False) -> str:
    """The slip, once per copy: text copies separated by a cut line, or one HTML page of all copies."""
    return render_slips(office, [order], copies, html)


def render_slips(office, orders: list[Order], copies: list[str] | None = None, html: bool = False) -> str:
    """Several slips, each once per copy: text slips one after the other with a cut line between every
    copy, or one print-ready HTML page with every copy of every slip, each on a page of its own."""
    if not orders:
        raise ValueError("render_slips needs at least one order")  # the command says there is nothing to print
    copies, staff = _copies(office, copies), trades(office)
    contexts = [slip_context(office, order, staff) for order in orders]
    if html:
        if len(contexts) > 1:
            _refuse_single_template(office)
        # one order's fields stay at the top too: an office's template from before `slips` still prints one
        single = contexts[0] if len(contexts) == 1 else {"label": contexts[0]["label"]}
        return _render(office, SLIP_HTML, {**single, "office_name": office.name, "slips": contexts,
                                           "copies": copies})
    return CUT.join(_render(office, SLIP_TEXT, {**context, "copy": copy}) for context in contexts for copy in copies)


def _refuse_single_template(office) -> None:
    """Refuse many slips on one page with an office's HTML template from before `slip --date` (it prints one)."""
    path = office.templates_dir / SLIP_HTML
    try:
        several = "slips" in path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return  # the render names what is wrong with it
    if not several:
        raise RepairError(_("{path} prints one order at a time (it is older than `slip --date`): print each with "
                            "`repairctl slip ID --html`, or take the new one (cp {shipped} {path}) and commit it")
                          .format(path=path, shipped=DEFAULTS / "templates" / SLIP_HTML))


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
    "opinion": "满意", "signed_by": "张三", "fee_pending": False, "quantity": 2,
    "callback": {"method": "phone", "satisfied": False, "reason": "仍有滴水"}, "followup": "已安排返修",
    "events": [{"action": action, "at": f"2026-01-05T{time}:00+08:00", "by": "王小红"} for action, time in (
        ("received", "09:00"), ("assigned", "09:05"), ("absent", "10:00"), ("arrived", "14:00"),
        ("finished", "15:00"), ("called_back", "16:00"))] + [
        {"action": "followed_up", "at": "2026-01-05T17:00:00+08:00", "by": "王小红", "note": "已安排返修"}],
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
    samples = [slip_context(office, Order(office.orders_dir / "sample.yaml", data, office.tz), {"李师傅": "水电工"})
               for data in (_FULL, _BARE)]
    extra = {"copy": office.slip_copies[0] if office.slip_copies else "", "copies": list(office.slip_copies),
             "slips": samples}
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
