"""Planned jobs (计划性维修): the work orders the office's maintenance plans make, one a plan and due day.

A planned job's ID is derived from its plan and due day, HQ-P01-20261201 (records.PLANNED_ID), and its
file holds only what the plan and the day decide: received at 00:00 of the due day, by the plan
(`计划P01`), never the clerk or the wall clock. So `plan run` made twice, or on two clones, writes the same
file with the same bytes, and git sees one file; a job whose file exists is never made again.

A planned job has one clock (kind `planned`): done (finished) by the end of its due day, held by its
technician or, before dispatch, the 工程主管. No owner signs it and nobody is called back: no arrival,
appointment, finish-hours, callback or fee clock applies. Its close records the checklist
(orders/plannedclose.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from repairctl.errors import RepairError
from repairctl.orders import lifecycle
from repairctl.store import files, yamlio
from repairctl.text.i18n import _

if TYPE_CHECKING:  # sla reads a planned job's clock on every order: it need not load the plans' reader
    from repairctl.office import plans
    from repairctl.office.folder import Office

KIND = "planned"


def job_id(site: str, plan_id: str, day: dt.date) -> str:
    """The ID of the job plan_id makes on day: HQ-P01-20261201."""
    return f"{site}-{plan_id}-{day:%Y%m%d}"


def received_at(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """When a planned job is received: 00:00 of its due day, the same on every clone."""
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=tz)


def maker(plan_id: str) -> str:
    """Who a planned job's receipt names: the plan, not the clerk who ran it."""
    return f"计划{plan_id}"  # a document's word: Chinese


@dataclass(frozen=True)
class Due:
    """One occurrence of a plan with no job yet: the plan, the day, the job's ID and file."""

    plan: plans.Plan
    day: dt.date
    id: str
    path: Path

    def as_dict(self) -> dict:
        """As JSON: plan, day, id, name, where, equipment, trade."""
        return {"id": self.id, "plan": self.plan.id, "due": self.day.isoformat(), "name": self.plan.name,
                "where": self.plan.where, "equipment": self.plan.equipment, "trade": self.plan.trade}


def due(office: Office, until: dt.date, maintenance: plans.Maintenance | None = None) -> list[Due]:
    """Every occurrence up to until (from each plan's start) whose job is not filed yet, by day then plan."""
    from repairctl.office import plans

    maintenance = maintenance or plans.load(office.root).usable()
    found = []
    for plan in maintenance.plans.values():
        first = plan.start or min(dt.date(year, month, day) for year, month, day in plan.fixed)
        for day in plan.due_days(first, until):
            order_id = job_id(office.site, plan.id, day)
            path = files.order_path(office.orders_dir, order_id, received_at(day, office.tz))
            if not path.exists():
                found.append(Due(plan, day, order_id, path))
    return sorted(found, key=lambda d: (d.day, d.plan.id))


def fields(plan: plans.Plan, day: dt.date) -> dict:
    """A planned job's fields, from its plan and day alone."""
    found = {"scope": "public", "unit": plan.where, "description": plan.name, "plan": plan.id,
             "due": day.isoformat(), "equipment": plan.equipment, "trade": plan.trade,
             "checklist": yamlio.block_list([yamlio.flow_map(item=item) for item in plan.checklist]) or None}
    return {key: value for key, value in found.items() if value is not None}


BACKFILL_DAYS = 31  # older jobs than this are made only when asked (--backfill): see run


def run(office: Office, until: dt.date, *, by: str, at: dt.datetime, backfill: bool = False) -> list:
    """Make the jobs due up to until that are not filed yet, in one commit; [] when there are none.

    A job due more than BACKFILL_DAYS ago is refused unless backfill: a plan whose start was typed years
    back (or never run) would make hundreds of jobs at once, all late, and change months already reported."""
    from repairctl.orders import desk  # the desk's writing, only for the command that writes

    if until > office.now().date():
        raise RepairError(_("--until {day} is after today: a planned job is made on its due day; "
                            "`repairctl plan due --until {day}` lists what is coming").format(day=until))
    with office.lock():  # listed and written as one step: two clerks running it make each job once
        pending = due(office, until)
        if not pending:
            return []
        oldest = office.now().date() - dt.timedelta(days=BACKFILL_DAYS)
        if not backfill and pending[0].day < oldest:
            old = sum(d.day < oldest for d in pending)
            raise RepairError(_("{count} of the {total} planned jobs are due more than {days} days ago (the first "
                                "{id}, due {day}); check the plans' start, or give --backfill to make them all")
                              .format(count=old, total=len(pending), days=BACKFILL_DAYS, id=pending[0].id,
                                      day=pending[0].day))
        drafts = [desk.Draft(fields(d.plan, d.day), maker(d.plan.id), received_at(d.day, office.tz))
                  for d in pending]
        ids = [d.id for d in pending]
        message = f"plan run: {len(ids)} 张计划性维修单 {ids[0]}" + (f" … {ids[-1]}" if len(ids) > 1 else "")
        return desk.create_many(office, drafts, message=message, by=by, at=at, ids=ids)


def deadline(order) -> dt.datetime | None:
    """When a planned job is late: the end of its due day (00:00 the day after), in the office's zone."""
    try:
        day = dt.date.fromisoformat(str(order.get("due")))
    except ValueError:
        return None
    return received_at(day + dt.timedelta(days=1), order.tz)


def clocks(order, make, supervisor: str) -> list:
    """The planned job's one clock, made by sla's `make`: due at the end of its due day."""
    due_at = deadline(order)
    if due_at is None:
        return []
    done = order.time_of("finished", last=False)
    if done is None and order.status in lifecycle.STOPPED:
        return []  # cancelled: nothing more is owed
    return [make(KIND, due_at, done, order.get("technician") or supervisor)]


def faults(order) -> list[dict]:
    """The checklist items a planned job's close found at fault: item, note, and the repair orders opened."""
    items = order.get("checklist") or []
    return [{"id": order.id, "plan": order.get("plan"), "where": order.get("unit"), "item": entry.get("item"),
             "note": entry.get("note"), "repairs": list(order.get("repairs") or [])}
            for entry in items if isinstance(entry, dict) and entry.get("result") == "fault"]
