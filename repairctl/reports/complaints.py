"""The month's complaints (投诉, issue 15 §3): the report's `complaints` key, its line in the terminal summary
and the workbook's 投诉 sheet.

Complaints counted are those received in the report's period (their files in its months' folders).
answered: with a first answer by the report's time; answered_in_time: that answer within
complaint_answer_hours of receipt; in_time_rate: answered_in_time over the complaints whose clock is
decided (answered, or unanswered and already late), None when none is; closed, satisfied: closed ones
and those closed with the complainant satisfied. by_category: the same counts per category.
"""

from __future__ import annotations

import datetime as dt

from repairctl.errors import Incomplete
from repairctl.orders import complaintindex, complaints, sla
from repairctl.reports.rates import rate
from repairctl.text import terms
from repairctl.text.i18n import _

SHEET = "投诉"  # a document: always Chinese
COLUMNS = ("投诉单号", "受理时间", "地址/单元", "投诉人", "渠道", "类别", "关联维修单", "投诉内容",
           "首次答复时间", "按时答复", "处理结果", "结案时间", "业户满意")


def _counts(found: list, verdicts: dict) -> dict:
    answered = [c for c in found if c.time("answered") is not None]
    in_time = [c for c in answered if verdicts[c.id] is True]
    decided = [c for c in found if verdicts[c.id] is not None]
    closed = [c for c in found if c.event("closed")]
    return {"received": len(found), "answered": len(answered), "answered_in_time": len(in_time),
            "decided": len(decided), "in_time_rate": rate(len(in_time), len(decided)),
            "closed": len(closed), "satisfied": sum(c.event("closed").get("satisfied") is True for c in closed)}


def figures(office, period: dict, as_of: dt.datetime, allow_broken: bool = False) -> dict:
    """The report's `complaints`: counts of the period's complaints, by category too, and the files left out
    (refused as Incomplete, naming them, unless allow_broken)."""
    start, end = dt.datetime.fromisoformat(period["start"]), dt.datetime.fromisoformat(period["end"])
    filed, problems = complaintindex.read_all(office, period["months"])
    found = [c for c in filed if start.timestamp() <= c.received.timestamp() < end.timestamp()]
    if problems and not allow_broken:
        raise Incomplete(_("{count} complaint file(s) of this period cannot be read, so the figures would be wrong; "
                           "fix them (the lines above say where), or pass --allow-broken to report without them")
                         .format(count=len({p.path for p in problems})), problems)
    schedule = sla.schedule(office.config, office.tz)
    verdicts = {c.id: _verdict(complaints.clock_of(c, schedule), as_of) for c in found}
    categories = sorted({c.category for c in found})
    return {**_counts(found, verdicts),
            "by_category": [{"category": name, **_counts([c for c in found if c.category == name], verdicts)}
                            for name in categories],
            "rows": [_row(c, verdicts[c.id]) for c in found],
            "left_out": [str(p) for p in problems]}


COUNTS = ("received", "answered", "answered_in_time", "decided", "closed", "satisfied")


def _added(groups: list[dict]) -> dict:
    """Counts summed, the in-time rate made again from them (over the decided clocks, as _counts does)."""
    done = {key: sum(group[key] for group in groups) for key in COUNTS}
    done["in_time_rate"] = rate(done["answered_in_time"], done["decided"])
    return done


def total(reports: list[dict]) -> dict:
    """The company's complaints (rollup): counts added up, by category too; rows and files left out joined,
    each row naming its office's site."""
    got = [(report["site"], report["complaints"]) for report in reports]
    names = sorted({group["category"] for _site, one in got for group in one["by_category"]})
    return {**_added([one for _site, one in got]),
            "by_category": [{"category": name, **_added([g for _site, one in got for g in one["by_category"]
                                                         if g["category"] == name])} for name in names],
            "rows": [{"site": site, **row} for site, one in got for row in one["rows"]],
            "left_out": [path for _site, one in got for path in one["left_out"]]}


def _verdict(ob, as_of: dt.datetime) -> bool | None:
    """Answered in time (True), late (False: answered late, or unanswered past due at as_of), else None."""
    if ob.done is not None and ob.done.timestamp() > as_of.timestamp():
        ob = sla.Obligation(ob.order_id, ob.unit, ob.kind, ob.due, None, ob.holder, ob.what)  # after the report
    if ob.done is not None:
        return ob.met()
    return False if ob.late_minutes(as_of) > 0 else None


def _row(c, in_time) -> dict:
    closed = c.event("closed") or {}
    return {"id": c.id, "received": c.received.isoformat(), "unit": c.data.get("unit"), "name": c.data.get("name"),
            "channel": c.data.get("channel"), "category": c.category, "orders": c.orders,
            "description": c.data.get("description"),
            "answered": c.time("answered").isoformat() if c.time("answered") else None, "in_time": in_time,
            "result": closed.get("result"), "closed": c.time("closed").isoformat() if closed else None,
            "satisfied": closed.get("satisfied")}


def summary_line(report: dict) -> list[str]:
    """The terminal summary's line of complaints (none when the report has no `complaints`)."""
    got = report.get("complaints")
    if not got:
        return []
    rate = "—" if got["in_time_rate"] is None else f"{got['in_time_rate']:.1%}"
    line = _("complaints received {received}, answered {answered}, in time {in_time} ({rate}), closed {closed}, "
             "satisfied {satisfied}").format(received=got["received"], answered=got["answered"],
                                             in_time=got["answered_in_time"], rate=rate, closed=got["closed"],
                                             satisfied=got["satisfied"])
    by = _(", ").join(f"{g['category']} {g['received']}" for g in got["by_category"])
    return [_("{summary} (by category: {categories})").format(summary=line, categories=by) if by else line]


def sheet(book, report: dict, table, time_format: str, percent: str) -> None:
    """The workbook's 投诉 sheet: one row per complaint of the period, then the counts by category."""
    got = report.get("complaints") or {"rows": [], "by_category": []}
    yes_no = {True: "是", False: "否", None: ""}

    def when(text):
        return dt.datetime.fromisoformat(text).replace(tzinfo=None) if text else None

    rows = [[r["id"], when(r["received"]), r["unit"], r["name"] or "", terms.label(terms.CHANNEL, r["channel"]),
             r["category"], "、".join(r["orders"]), r["description"], when(r["answered"]), yes_no[r["in_time"]],
             r["result"] or "", when(r["closed"]),
             "" if r["satisfied"] is None else terms.SATISFIED[r["satisfied"]]] for r in got["rows"]]
    formats = (None, time_format, *(None,) * 6, time_format, None, None, time_format, None)
    ws = book.create_sheet(SHEET)
    table(ws, list(COLUMNS), rows, formats)
    at = len(rows) + 3  # the counts by category below the list, a blank row between
    keys = ("category", "received", "answered", "answered_in_time", "in_time_rate", "closed", "satisfied")
    total = {"category": "合计", **{key: got.get(key, 0) for key in keys[1:]}}
    table_rows = [[g.get(key) for key in keys] for g in (*got["by_category"], total)]
    labels = ["类别", "受理", "已答复", "按时答复", "按时答复率", "已结案", "满意"]
    for n, values in enumerate([labels, *table_rows], at):
        for col, value in enumerate(values, 1):
            cell = ws.cell(row=n, column=col, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # a category typed by hand stays text, never a formula
            elif col == 5:
                cell.number_format = percent
