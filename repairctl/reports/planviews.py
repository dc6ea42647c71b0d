"""What `plan list`, `plan due`, `plan run` and `plan close` print: terminal tables and JSON-ready rows."""

from __future__ import annotations

from repairctl.office import schedule
from repairctl.text import cjk
from repairctl.text.i18n import _, ngettext


def plan_rows(maintenance) -> list[dict]:
    """Each plan as JSON: id, name, where, equipment, every, dates, start, end, trade, checklist."""
    return [{"id": p.id, "name": p.name, "where": p.where, "equipment": p.equipment,
             "every": schedule.every_text(p.every) if p.every else None,
             "dates": [f"{y:04d}-{m:02d}-{d:02d}" if y else f"{m:02d}-{d:02d}" for y, m, d in p.fixed],
             "start": p.start.isoformat() if p.start else None, "end": p.end.isoformat() if p.end else None,
             "trade": p.trade, "checklist": list(p.checklist)} for p in maintenance.plans.values()]


def plans_table(rows: list[dict]) -> str:
    """The plans as a table, or the line that says there are none."""
    if not rows:
        return _("no plans yet; add one with `repairctl plan add` (see plans.yaml)")
    headers = [_("plan"), _("name"), _("where"), _("when"), _("start"), _("trade"), _("checklist")]
    return cjk.table(headers, [[r["id"], r["name"], r["where"], " ".join(filter(None, [r["every"], *r["dates"]])),
                                r["start"] or "", r["trade"] or "", len(r["checklist"])] for r in rows])


def due_table(rows: list[dict], until) -> str:
    """The occurrences with no job yet, or the line that says none is due."""
    if not rows:
        return _("nothing due up to {day} without its job").format(day=until)
    headers = [_("job"), _("due"), _("plan"), _("name"), _("where"), _("trade")]
    return cjk.table(headers, [[r["id"], r["due"], r["plan"], r["name"], r["where"], r["trade"] or ""]
                               for r in rows])


def run_text(outcomes: list, until) -> str:
    """What `plan run` made: a line a job, then the count; or that nothing was due."""
    if not outcomes:
        return _("nothing to make: every job due up to {day} exists already").format(day=until)
    lines = [f"{o.order.id} {o.order.get('unit')} {o.order.get('description')}" for o in outcomes]
    lines.append(ngettext("made {n} planned job", "made {n} planned jobs", len(outcomes)).format(n=len(outcomes)))
    return "\n".join(lines)


def close_text(outcome, repairs: list) -> str:
    """What `plan close` did: the job's summary, and each repair order it opened."""
    lines = [f"{outcome.order.id} {outcome.summary}"]
    lines += [_("opened repair order {id}: {description}").format(id=r.order.id,
                                                                  description=r.order.get("description"))
              for r in repairs]
    return "\n".join(lines)
