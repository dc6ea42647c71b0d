"""The rules of a planned job's own fields (orders/planned.py): its ID names its plan and due day, `due` is that
day, each checklist entry names its item and, once closed, its result. Registered into rules.RULES when
rules.py is imported."""

from __future__ import annotations

from repairctl.orders import records
from repairctl.orders.rules import Found, Where, rule
from repairctl.text.i18n import _

RESULTS = ("ok", "fault")


@rule("planned")
def _planned(data: dict, where: Where) -> Found:
    form = records.PLANNED_ID.match(str(data.get("id", "")))
    if data.get("plan") is None and form:
        yield ("id",), _("{id} is a planned job's ID but the file has no `plan:`; add `plan: {plan}`").format(
            id=data.get("id"), plan=form["plan"])
    due = str(data.get("due", ""))
    if form and data.get("plan") is not None and (str(data["plan"]) != form["plan"]
                                                  or due.replace("-", "") != form["due"]):
        yield ("plan",), _("plan {plan} and due {due} do not match the ID {id}; the ID is the plan and its due day")\
            .format(plan=data["plan"], due=due, id=data.get("id"))
    checklist = data.get("checklist")
    if checklist is not None and not isinstance(checklist, list):
        yield ("checklist",), _("checklist must be a list of {{item: …}}, e.g. - {{item: 检查有无漏水}}").format()
        return
    finished = data.get("status") in ("finished", "called_back")
    for n, entry in enumerate(checklist or []):
        if not isinstance(entry, dict) or not entry.get("item"):
            yield ("checklist", n), _("a checklist entry needs its item, e.g. - {{item: 检查有无漏水}}").format()
        elif entry.get("result") is not None and entry["result"] not in RESULTS:
            yield ("checklist", n, "result"), _("result {value} is not ok or fault").format(value=repr(entry["result"]))
        elif entry.get("result") == "fault" and not entry.get("note"):
            yield ("checklist", n), _("a fault needs its note: what is wrong, e.g. note: 漏油")
        elif finished and entry.get("result") is None:
            yield ("checklist", n), _("the job is finished but this item has no result; write result: ok, or "
                                      "result: fault with a note")
