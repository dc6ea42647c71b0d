"""A technician's day sheet (派工单) and the jobs of a day, ordered by building for the route.

A job is on day D's sheet of its technician when it is to be done that day: an appointment agreed
for D, or any other order dispatched on D; and a job of an earlier day still open when D began is
carried over (前日未完成), so nothing dispatched falls off the sheet. Cancelled and referred orders
are no one's job. `dispatch` prints the sheets and `slip --date` the slips of the same jobs.

The day sheet is a document, like the slip: Chinese, from text/terms.py's DAYSHEET, never
translated. It is laid out here, not from a template: it holds no box the office fills in.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

from repairctl.orders import lifecycle, query
from repairctl.orders.records import Order
from repairctl.reports.slipfields import entry_of, limit_text, trades
from repairctl.text import clock, terms
from repairctl.text.cjk import pad
from repairctl.text.inputs import unit_key

WORDS = terms.DAYSHEET
RULE, DOUBLE = "-" * 64, "=" * 64
BUILDING = re.compile(r"(\d+)(?:-|号楼|栋|幢|座)")


@dataclass
class Job:
    """One order on a day sheet, and whether it was carried over from an earlier day."""

    order: Order
    carried: bool


def _visit_day(order: Order) -> dt.date | None:
    """The day the job is to be done: an appointment's day, else the day it was (last) dispatched."""
    when = order.appointment_time or order.time_of("assigned") or order.received
    return when.date() if when else None


def jobs(office, day: dt.date, tech: str | None = None) -> list[Job]:
    """The jobs of day, of every technician or of tech alone, in route order (route_key)."""
    start, end = clock.day_span(day, office.tz)
    where = ("technician IS NOT NULL AND technician != '' AND received < ? AND "
             f"(status IN ({','.join('?' * len(lifecycle.OPEN))}) OR finished >= ?)")
    params: list = [int(end.timestamp()), *lifecycle.OPEN, int(start.timestamp())]
    if tech:
        where += " AND technician = ?"
        params.append(tech.strip())
    found = []
    for order in query.iter_orders(office, where, tuple(params)):
        visit = _visit_day(order)
        if visit is None or visit > day or order.status in lifecycle.STOPPED:
            continue
        finished = order.time_of("finished", last=False)
        if visit < day and finished is not None and finished < start:
            continue
        found.append(Job(order, visit < day))
    return sorted(found, key=lambda job: route_key(job.order))


def route_key(order: Order) -> tuple:
    """Building by building, then unit by unit up the floors, then by time: the order a technician walks."""
    unit = unit_key(order.get("unit"), forms=True)
    building = BUILDING.match(unit)
    room = unit[building.end():] if building else unit
    when = order.appointment_time or order.received
    return (building is None, int(building[1]) if building else 0, (len(room), room) if room.isdigit() else (99, room),
            when.timestamp() if when else 0, order.id)


def by_technician(found: list[Job]) -> dict[str, list[Job]]:
    """The jobs of each technician, technicians by name, each one's jobs in route order."""
    sheets: dict[str, list[Job]] = {}
    for job in found:
        sheets.setdefault(str(job.order.get("technician")), []).append(job)
    return dict(sorted(sheets.items()))


def _row(office, job: Job, day: dt.date) -> dict:
    """One job as the sheet prints it."""
    order = job.order
    urgency = order.get("urgency") or "immediate"
    appointment = order.appointment_time
    if appointment:
        time = f"{appointment:%H:%M}" if appointment.date() == day else clock.show(appointment)
    else:
        time = WORDS.get(urgency, "")
    entry = entry_of(office, order)
    notes = [WORDS["carried"]] if job.carried else []
    if any(e.get("action") == "absent" for e in order.events):
        notes.append(WORDS["absent"])
    if getattr(entry, "remark", None):
        notes.append(entry.remark)
    if order.status in ("arrived", "finished", "called_back"):
        notes.append(WORDS["arrived" if order.status == "arrived" else "finished"])
    unit = str(order.get("unit") or "")
    if order.get("scope") == "public":
        unit += f"（{terms.SCOPE['public']}）"
    contact = " ".join(str(order.get(key) or "") for key in ("name", "phone")).strip()
    return {"id": order.id, "unit": unit, "contact": contact,
            "time": time, "item": f"{entry.code} {entry.name}" if entry else str(order.get("item") or ""),
            "limit": limit_text(office, order), "description": str(order.get("description") or ""),
            "notes": "；".join(notes)}


def _heading(office, name: str, trade: str, day: dt.date, count: int) -> tuple[str, str]:
    who = name + (f"（{trade}）" if trade else "")
    return (f"{office.name}  {WORDS['title']}",
            f"{WORDS['technician']}：{who}    {WORDS['date']}：{day:%Y-%m-%d}    {WORDS['count'].format(n=count)}")


def sheet_text(office, day: dt.date, found: list[Job], tech: str | None = None) -> str:
    """The day sheets as text, one per technician (tech's alone, even with no job), 64 columns wide."""
    staff, sheets, out = trades(office), by_technician(found), []
    if tech and not sheets:
        sheets = {tech.strip(): []}
    if not sheets:
        return f"{office.name}  {WORDS['title']}  {day:%Y-%m-%d}\n{WORDS['none']}\n"
    for name, jobs_of in sheets.items():
        title, heading = _heading(office, name, staff.get(name, ""), day, len(jobs_of))
        lines = [pad(title, 64, "center"), heading, DOUBLE]
        for number, job in enumerate(jobs_of, 1):
            row = _row(office, job, day)
            lines.append(f"{pad(str(number), 4)}{pad(row['unit'], 21)} {pad(row['time'], 17)}{row['id']}")
            for key in ("contact", "item", "limit", "description", "notes"):
                if row[key]:
                    lines.append(f"    {pad(WORDS[key], 10)}{row[key]}")
            lines.append(RULE)
        if not jobs_of:
            lines += [WORDS["none"], RULE]
        lines.append(f"{WORDS['received_sign']}：________")
        out.append("".join(line.rstrip() + "\n" for line in lines))
    return "\f".join(out)  # a form feed: each technician's sheet on a page of its own when printed


STYLE = """
  @page { size: A4 landscape; margin: 10mm; }
  body { margin: 0; font: 10pt/1.4 "SimSun", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif; }
  .sheet + .sheet { break-before: page; page-break-before: always; }
  h1 { font-size: 15pt; text-align: center; letter-spacing: .3em; margin: 0 0 2mm; }
  .head { display: flex; justify-content: space-between; margin-bottom: 2mm; }
  table { width: 100%; border-collapse: collapse; }
  th, td { border: 1px solid #000; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
  th { background: #f2f2f2; white-space: nowrap; }
  .sign { margin-top: 4mm; }
"""
COLUMNS = ("number", "unit", "time", "contact", "item", "limit", "description", "notes", "id")


def sheet_html(office, day: dt.date, found: list[Job], tech: str | None = None) -> str:
    """The day sheets as one print-ready HTML page, each technician's on a sheet of its own; text escaped."""
    staff, sheets = trades(office), by_technician(found)
    if tech and not sheets:
        sheets = {tech.strip(): []}
    esc = html.escape
    parts = [f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
             f"<title>{esc(WORDS['title'])} {day:%Y-%m-%d}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"]
    if not sheets:
        parts.append(f"<p>{esc(office.name)} {esc(WORDS['title'])} {day:%Y-%m-%d}：{esc(WORDS['none'])}</p>\n")
    for name, jobs_of in sheets.items():
        title, heading = _heading(office, name, staff.get(name, ""), day, len(jobs_of))
        head = "".join(f"<span>{esc(part)}</span>" for part in heading.split("    "))
        rows = [f"<tr><td>{number}</td>" + "".join(f"<td>{esc(row[key])}</td>" for key in COLUMNS[1:]) + "</tr>"
                for number, row in enumerate((_row(office, job, day) for job in jobs_of), 1)]
        if not rows:
            rows = [f'<tr><td colspan="{len(COLUMNS)}">{esc(WORDS["none"])}</td></tr>']
        parts.append(f'<section class="sheet">\n<h1>{esc(title)}</h1>\n<div class="head">{head}</div>\n<table>\n'
                     "<tr>" + "".join(f"<th>{esc(WORDS[key])}</th>" for key in COLUMNS) + "</tr>\n"
                     + "\n".join(rows) + f"\n</table>\n<p class=\"sign\">{esc(WORDS['received_sign'])}："
                     "________________</p>\n</section>\n")
    parts.append("</body>\n</html>\n")
    return "".join(parts)
