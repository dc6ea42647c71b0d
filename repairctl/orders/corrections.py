"""Correcting what was recorded wrongly (issue 15 §5): a unit, a name, a phone, a description, an item.

Each corrected field is one `edited` event (field, old, new, reason) and one commit of its own, so
`log` tells every correction apart. Inputs are read as `new` reads them: phones in their stored form,
units in units.csv's form, items from the catalogue. The order keeps its status; the duplicate rule
(actions.open_duplicates) reads the order's fields, so it sees the corrected values at once.
"""

from __future__ import annotations

import datetime as dt

from repairctl.errors import RepairError
from repairctl.office import registry, settings
from repairctl.office.folder import Office
from repairctl.orders import reading, records
from repairctl.orders.desk import Outcome, change
from repairctl.orders.lifecycle import Step
from repairctl.text.i18n import _
from repairctl.text.inputs import check_phone, check_text, unit_key

# the fields a correction may change, in the order they are corrected, with the option that gives each
OPTIONS = {"unit": "--unit", "name": "--name", "phone": "--phone", "description": "--desc", "item": "--item"}


def typed(office: Office, order: records.Order, values: dict) -> dict:
    """The corrected values as `new` would store them, for the fields given (None: not given)."""
    given = {key: value for key, value in values.items() if value is not None}
    if not given:
        raise RepairError(_("what is to be corrected? give one of --unit, --name, --phone, --desc, --item, "
                            "e.g. --unit 3栋1202"))
    checked = {}
    for key, value in given.items():
        if key == "phone":
            checked[key] = check_phone(check_text("--phone", value, required=True))
        elif key == "item":
            checked[key] = _item(office, order, value)
        else:
            checked[key] = check_text(OPTIONS[key], value, required=True, lines=key == "description")
    if "unit" in checked and order.get("scope") != "public":
        checked["unit"] = _registered_unit(office, checked["unit"])
    return checked


def _item(office: Office, order: records.Order, code: str) -> str:
    """A catalogue item for the order: an in-house code, and never on a referred order (its job is the supplier's)."""
    if order.status == "referred":
        raise RepairError(_("{id} is referred to a supplier: its item cannot be corrected; record a new order if the "
                            "job is the desk's after all").format(id=order.id))
    job = office.catalogue.lookup(code.strip())
    if not job.in_house:
        raise RepairError(_("{code} {name} is a supplier job; use `repairctl refer {id} --job {code}`")
                          .format(code=job.code, name=job.name, id=order.id))
    return job.code


def _registered_unit(office: Office, unit: str) -> str:
    """The unit as records/units.csv writes it (3-1201 typed, 3栋1201 stored), as `new` records it."""
    forms = settings.same_forms(office.config)
    owners = registry.usable(office.root, forms)
    entry = owners.units.get(unit_key(unit, forms)) if owners.units is not None else None
    return entry.unit if entry else unit


def plan(office: Office, order: records.Order, values: dict, reason: str) -> list[Step]:
    """One step per field whose value changes; refuse if none does ("nothing to correct")."""
    reason = check_text("--reason", reason, required=True, lines=True)
    steps, checked = [], typed(office, order, values)
    for key, new in checked.items():
        old = order.get(key)
        if old != new:
            steps.append(_step(order.id, key, old, new, reason))
    if not steps:
        raise RepairError(_("nothing to correct: {id} already records {values}")
                          .format(id=order.id, values=", ".join(f"{k} {v}" for k, v in checked.items())))
    return steps


def _step(order_id: str, key: str, old, new, reason: str) -> Step:
    """The step that corrects one field; it refuses if the file changed meanwhile (another clerk's edit)."""
    def unchanged(doc) -> None:
        if doc.get(key) != old:
            raise RepairError(_("{id} changed while it was being corrected ({field} is now {value}); run the "
                                "command again").format(id=order_id, field=key, value=doc.get(key)))

    def one_line(text) -> str:  # a commit's first line holds the whole summary
        return " ".join(str(text).split()) if text is not None else "—"

    summary = f"更正 {key} {one_line(old)} → {one_line(new)}（{one_line(reason)}）"
    return Step("edit", summary, {key: new}, {"field": key, "old": old, "new": new, "reason": reason}, unchanged)


def correct(office: Office, order_id: str, *, reason: str, at: dt.datetime | None = None, by: str | None = None,
            **values) -> list[Outcome]:
    """Correct the given fields of an order, each as its own event and commit."""
    order_id = records.check_id(order_id)
    order = reading.read(records.locate(office.orders_dir, order_id), office.tz)
    return [change(office, order_id, step, by=by, at=at) for step in plan(office, order, values, reason)]
