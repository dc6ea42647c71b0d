"""What the desk does to complaints: file a new one, record its first answer, close it; and open one from
an unsatisfied callback. Each change locks the office, writes one file atomically through the round-trip
editor and commits it alone with a Chinese message, as the order commands do (orders/desk.py).

Decisions (README "Complaints"): a complaint is closed only after its first answer, since the 24 h clock
of the seeds measures that answer and a close must not hide a missed one; its category is --category when
given, else the item category of its first linked order that has an item, else 其他; an unsatisfied
callback that opens a complaint (`callback --complaint`) records the complaint's ID in the order's
callback, and the order's own follow-up clock gives way to the complaint's first-answer clock.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from repairctl.errors import RepairError
from repairctl.office import desks
from repairctl.orders import complaints, desk, lifecycle, records
from repairctl.orders.complaints import FOLDER, Complaint
from repairctl.store import files, gitlog, journal, yamlio
from repairctl.text import terms
from repairctl.text.i18n import _
from repairctl.text.inputs import check_phone, check_text

# the callback's method as the complaint's channel: the owner said it on the phone, at the door …
CALLBACK_CHANNEL = {"phone": "phone", "visit": "walk-in", "intercom": "phone", "questionnaire": "written"}


def header(complaint_id: str) -> str:
    """The comment atop a complaint file (a document: always Chinese)."""
    return f"投诉 {complaint_id}：可以手工修改，改完请运行 `repairctl check` 检查"


def next_id(office) -> str:
    """The next complaint ID of the office's series: one above the highest any desk's complaint ever had,
    in the folder or in git's history (a deleted one too), ending in this clone's desk letter."""
    letter = desks.letter(office.root)
    names = [path.stem for path in complaints.paths(office.root)]
    if office.in_git:  # a few complaints a month: the whole history of the folder is short to read
        done = gitlog.start_order_names(office.root, FOLDER, None, office.git_head[0]).result(check=False)
        names += [Path(line).stem for line in done.stdout.splitlines()] if done.returncode == 0 else []
    numbers = [int(m["number"]) for name in names if (m := complaints.ID_RE.match(name)) and m["site"] == office.site]
    return f"{office.site}-T{max(numbers, default=0) + 1:06d}{letter}"


def category_of(office, order_ids: list[str]) -> str:
    """The item category (供电类, 给排水类 …) of the first linked order that has a catalogue item, else 其他."""
    from repairctl.orders import reading

    for order_id in order_ids:
        order = reading.read(records.locate(office.orders_dir, order_id), office.tz)
        try:
            item = office.catalogue.lookup(str(order.get("item") or ""))
        except RepairError:
            continue
        if getattr(item, "category_name", None):
            return item.category_name
    return complaints.OTHER


def new(office, *, unit: str, name: str | None, phone: str | None, description: str, orders=(),
        channel: str = "phone", category: str | None = None, source: str | None = None,
        at: dt.datetime | None = None, by: str | None = None) -> Complaint:
    """File a new complaint and commit it; every linked order must exist."""
    by, at = desk.actor(office, by), desk.event_time(office, at)
    unit = check_text("--unit", unit, required=True)
    description = check_text("--desc", description, required=True, lines=True)
    name = check_text("--name", name)
    phone = check_phone(phone) if phone and phone.strip() else None
    if channel not in terms.CHANNEL:
        raise RepairError(_("--channel {value} is not a channel; use one of {choices}")
                          .format(value=channel, choices=", ".join(terms.CHANNEL)))
    linked = list(dict.fromkeys(records.check_id(o) for o in orders))
    for order_id in linked:
        records.locate(office.orders_dir, order_id)  # NotFound: a complaint about an order never filed
    category = check_text("--category", category) or category_of(office, linked)
    with office.lock():
        complaint_id = next_id(office)
        path = files.order_path(complaints.folder(office.root), complaint_id, at)
        doc = yamlio.document(header(complaint_id), {
            key: value for key, value in (("id", complaint_id), ("unit", unit), ("name", name), ("phone", phone),
                                          ("channel", channel), ("category", category),
                                          ("description", description), ("orders", linked or None),
                                          ("source", source)) if value is not None})
        if linked:
            doc["orders"] = yamlio.block_list(linked)
        doc["events"] = yamlio.block_list([yamlio.flow_map(action="received", at=at, by=by)])
        message = f"complaint {complaint_id}: 受理投诉 {unit} {_short(description)}"
        with journal.recorded(office.root, office.in_git, [path], message, by, at) as warnings:
            path.parent.mkdir(parents=True, exist_ok=True)
            files.write_atomic(path, yamlio.dump_text(doc), exclusive=True)
    return Complaint(path, yamlio.plain(doc), office.tz, warnings)


def _short(text: str) -> str:
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= 30 else line[:30] + "…"


def answer(office, complaint_id: str, note: str, *, at=None, by=None) -> Complaint:
    """Record the first answer to the complainant (投诉首次答复); refused once answered."""
    note = check_text("--note", note, required=True, lines=True)

    def fits(doc) -> dict:
        if _has(doc, "answered"):
            raise RepairError(_("{id} was answered already; record what followed with `repairctl complaint close "
                                "{id} --result TEXT --satisfied|--unsatisfied`").format(id=doc.get("id")))
        return {"note": note}

    return _change(office, complaint_id, "answered", fits, f"首次答复: {_short(note)}", at=at, by=by)


def close(office, complaint_id: str, result: str, satisfied: bool, *, at=None, by=None) -> Complaint:
    """Record how the complaint ended and whether the complainant was satisfied; refused before the first
    answer and once closed."""
    result = check_text("--result", result, required=True, lines=True)

    def fits(doc) -> dict:
        if _has(doc, "closed"):
            raise RepairError(_("{id} is closed already").format(id=doc.get("id")))
        if not _has(doc, "answered"):
            raise RepairError(_("{id} has no first answer yet: record it first with `repairctl complaint answer {id} "
                                "--note TEXT` (the 24 h clock measures it)").format(id=doc.get("id")))
        return {"result": result, "satisfied": satisfied}

    summary = f"结案({terms.SATISFIED[satisfied]}): {_short(result)}"
    return _change(office, complaint_id, "closed", fits, summary, at=at, by=by)


def _has(doc, action: str) -> bool:
    return any(event.get("action") == action for event in doc.get("events") or [])


def _change(office, complaint_id: str, action: str, fits, summary: str, *, at, by) -> Complaint:
    """One event on a complaint file, under the office lock, committed alone; the file must keep the rules."""
    by, at = desk.actor(office, by), desk.event_time(office, at)
    complaint_id = complaints.check_id(complaint_id)
    with office.lock():
        path = complaints.locate(office.root, complaint_id)
        _, problems = complaints.read(path, office.tz)
        if problems:
            raise RepairError(_("{problem}; fix the file first (`repairctl check` lists every problem)")
                              .format(problem=problems[0]))
        message = f"complaint {complaint_id}: {summary}"
        with journal.recorded(office.root, office.in_git, [path], message, by, at) as warnings, \
                yamlio.edit(path) as doc:
            details = fits(doc)
            lifecycle.check_event_time(doc, at, office.tz)
            doc["events"].append(yamlio.flow_map(action=action, at=at, by=by, **details))
    complaint, _problems = complaints.read(path, office.tz)
    complaint.warnings = warnings
    return complaint


def from_callback(office, order_id: str, step: lifecycle.Step, *, at=None, by=None):
    """An unsatisfied callback that opens a complaint: the complaint first (linked to the order, in the owner's
    words), then the callback with the complaint's ID; (the order's outcome, the complaint)."""
    by, at = desk.actor(office, by), desk.event_time(office, at)
    if step.details.get("satisfied") is not False:
        raise RepairError(_("--complaint goes with --unsatisfied --reason TEXT: a satisfied owner has no complaint"))
    with office.lock():
        path = records.locate(office.orders_dir, order_id)
        lifecycle.perform(yamlio.load_round_trip(path), step, at, by, office.tz)  # refused here: nothing written
        order = yamlio.load_round_trip(path)
        complaint = new(office, unit=str(order.get("unit") or ""), name=order.get("name"),
                        phone=str(order["phone"]) if order.get("phone") else None,
                        description=str(step.fields["callback"].get("reason") or ""), orders=[order_id],
                        channel=CALLBACK_CHANNEL.get(step.details.get("method"), "phone"), source="callback",
                        at=at, by=by)
        step.fields["callback"]["complaint"] = complaint.id
        outcome = desk.change(office, order_id, step, at=at, by=by)
    return outcome, complaint
