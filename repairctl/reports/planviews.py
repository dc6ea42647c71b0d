"""What `plan list`, `plan due`, `plan run` and `plan close` print: terminal tables and JSON-ready rows."""

from __future__ import annotations

from repairctl.text import cjk
from repairctl.text.i18n import _, ngettext


def plan_rows(maintenance) -> list[dict]:
    """Each plan as JSON: id, name, where, equipment, every, dates, start, end, trade, checklist."""
    from repairctl.office import schedule  # `show` loads this module for card_rows: not the plans' reader

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


def card_rows(order) -> list[tuple[str, str]]:
    """`show`'s rows of a planned job (plan, due day, each checklist item and its result, repairs) or of a
    repair a planned job opened (from_plan_job); none for any other order."""
    rows = []
    if order.get("plan") is not None:
        rows += [(_("plan"), str(order.get("plan"))), (_("due"), str(order.get("due") or ""))]
        for n, entry in enumerate(order.get("checklist") or [], 1):
            entry = entry if isinstance(entry, dict) else {"item": entry}
            result = {"ok": _("in order"), "fault": _("fault")}.get(entry.get("result"), _("not checked yet"))
            note = f"：{entry['note']}" if entry.get("note") else ""
            rows.append((_("checklist") if n == 1 else "", f"{n} {entry.get('item')}  {result}{note}"))
        if order.get("repairs"):
            rows.append((_("repairs"), ", ".join(map(str, order.get("repairs")))))
    if order.get("from_plan_job"):
        rows.append((_("from planned job"), str(order.get("from_plan_job"))))
    return rows
