"""Adding a maintenance plan to plans.yaml (`repairctl plan add`): checked, numbered, written and committed.

The file is changed through the round-trip editor, so a clerk's comments and layout survive, and
written atomically. A plan's ID is P and one above the highest number any plan has, ending in this
clone's desk letter when it has one (office/desks.py): two desks adding a plan offline get P03A and
P03B, never one ID. plans.yaml and equipment.yaml are merged by git keeping both sides' lines
(`merge=union`, as desks.yaml), so two plans added at once at the end of the file are both kept.
"""

from __future__ import annotations

import datetime as dt
import re

from repairctl.errors import RepairError
from repairctl.office import desks, plans, schedule
from repairctl.office.folder import DEFAULTS, Office
from repairctl.store import files, journal, yamlio
from repairctl.text.i18n import _
from repairctl.text.inputs import check_text

ATTRIBUTES = (f"/{plans.PLANS} merge=union", f"/{plans.EQUIPMENT} merge=union")


def add_plan(office: Office, *, name: str, where: str | None, every: str | None, start: dt.date | None,
             trade: str | None = None, checklist=(), equipment: str | None = None, dates=(),
             by: str, at: dt.datetime) -> plans.Plan:
    """Check a new plan, give it the next ID, append it to plans.yaml and commit that; return the plan."""
    name = check_text("--name", name, required=True)
    where = check_text("--where", where)
    trade = check_text("--trade", trade)
    items = [check_text("--checklist", item, required=True) for item in checklist]
    period = schedule.parse_every(every) if every else None
    fixed = [schedule.parse_fixed(day) for day in dates]
    if not period and not fixed:
        raise RepairError(_("say when the plan falls due: --every 1m (7d, 2w, 1m …) or --date 06-01"))
    if start is None and (period or any(day[0] is None for day in fixed)):
        raise RepairError(_("--every and a yearly --date need --start DATE, from which day the plan runs, "
                            "e.g. --start 2026-12-01"))
    letter = desks.letter(office.root) if office.in_git else ""
    path, gitattributes = office.root / plans.PLANS, office.root / ".gitattributes"
    with office.lock():
        known = plans.load(office.root).usable()  # a broken file is fixed first, not added to
        if equipment and equipment.strip().upper() not in known.equipment:
            raise RepairError(_("equipment {code} is not in {file}; add it there first (or leave out --equipment)")
                              .format(code=equipment, file=plans.EQUIPMENT))
        item = known.equipment.get(equipment.strip().upper()) if equipment else None
        where = where or (item.location if item else None)
        if not where:
            raise RepairError(_("--where is missing: say where the work is, e.g. --where B1水泵房"))
        plan_id = next_id(known.plans, letter)
        entry = {"id": plan_id, "name": name, "where": where, "equipment": item.code if item else None,
                 "every": schedule.every_text(period) if period else None,
                 "dates": [_written(day) for day in fixed] or None,
                 "start": start.isoformat() if start else None, "trade": trade, "checklist": items or None}
        entry = {key: value for key, value in entry.items() if value is not None}
        attributes = office.in_git and _attributes_missing(gitattributes)
        changed = [path] + ([gitattributes] if attributes else [])
        message = f"plan add {plan_id}: {name}（{where}）"  # the audit trail's words: Chinese
        with journal.recorded(office.root, office.in_git, changed, message, by, at):
            if not path.exists() or not path.read_text("utf-8").strip():
                files.write_atomic(path, (DEFAULTS / plans.PLANS).read_text("utf-8"))
            with yamlio.edit(path) as doc:
                _append(doc, entry)
            if attributes:
                _write_attributes(gitattributes)
        added = plans.load(office.root)
        if added.problems:  # never: what was checked is what was written; said rather than committed broken
            raise RepairError(str(added.problems[0]))
    return added.plans[plan_id]


def next_id(known: dict, letter: str) -> str:
    """P and one above the highest plan number, with this desk's letter: P01, P02 … or P03B."""
    numbers = [int(m[1]) for plan_id in known if (m := re.match(r"^P(\d+)", plan_id))]
    return f"P{max(numbers, default=0) + 1:02d}{letter}"


def _written(day: tuple) -> str:
    year, month, date = day
    return f"{year:04d}-{month:02d}-{date:02d}" if year else f"{month:02d}-{date:02d}"


def _append(doc, entry: dict) -> None:
    """Add the plan at the end of the file's list, one key a line, its lists on one line."""
    mapping = yamlio.block_map(**{key: (yamlio.flow_list(value) if isinstance(value, list) else value)
                                  for key, value in entry.items()})
    if doc is None or doc.get("plans") is None or len(doc["plans"]) == 0:
        doc["plans"] = yamlio.block_list([mapping])  # `plans: []` becomes a block list
    else:
        doc["plans"].append(mapping)


def _attributes_missing(path) -> list[str]:
    """The lines of ATTRIBUTES .gitattributes lacks."""
    text = path.read_text("utf-8") if path.exists() else ""
    return [line for line in ATTRIBUTES if line not in text.splitlines()]


def _write_attributes(path) -> None:
    """Have git merge plans.yaml and equipment.yaml by keeping both sides' lines."""
    text = path.read_text("utf-8") if path.exists() else ""
    missing = _attributes_missing(path)
    text += ("" if not text or text.endswith("\n") else "\n") + "\n".join(missing) + "\n"
    files.write_atomic(path, text)
