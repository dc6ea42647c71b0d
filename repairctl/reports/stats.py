"""Monthly management statistics (月度统计): 000 §5, 003 §4.1.4.3–4, 004 §5.2.2 and §5.4.3.

``month_report`` turns the office's orders into one plain dict (the JSON of ``monthly``) for the
orders RECEIVED in the period; ``order_rows`` gives one flat row per such order for the workbook.
Definitions (docs/monthly.md has them all):

- period: the calendar month in office time, [1st 00:00, next 1st 00:00); with office.yaml
  ``report: {cutoff_day: N}``, from day N+1 of the previous month to the end of day N (003 §4.1.3.2);
  or an ISO week, Monday to Monday (`report --week`, 003 §4.1.4.3): reports/period.py. ``month``
  below is the period's label, 2026-10 or 2026-W45.
- finished: finished or called_back; open: received, assigned, arrived;
  completion_rate = finished / (finished + open) (cancelled and referred left out).
- a clock (sla.Obligation) is decided once met (done by due) or missed (done late, or not done
  and already late at ``as_of``); on-time rate = met / decided, None when nothing is decided.
  Breakdowns count the technician's clocks (arrival, appointment, finish) only.
- rates are fractions 0..1 to 4 places (None when the denominator is 0); money in yuan as Decimals
  to the fen (money.fen), added up exactly: no float is ever summed.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from repairctl.errors import Incomplete
from repairctl.office import sampling, settings
from repairctl.orders import delays, lifecycle, payments, query, reading, records, sla
from repairctl.reports import crew, inspection, maintenance, misses, provenance, worktime
from repairctl.reports import period as periods
from repairctl.reports.rates import rate as _rate
from repairctl.text import money, terms
from repairctl.text.i18n import _
from repairctl.text.inputs import unit_key

FINISHED, OPEN = lifecycle.FINISHED, lifecycle.OPEN
CLOCKS, SERVICE = sla.TARGETED, sla.TECHNICIAN
CHANNELS = tuple(terms.CHANNEL)
# the month's counts of orders, in the report (declined: the owner said no to the quote)
COUNTS = ("received", "finished", "open", "cancelled", "referred", "declined")
TARGETS = {"satisfaction": 0.90, "on_time": 1.0, "rework_rate_max": 0.01, "callback_unit": 1.0, "callback_all": 0.60}


def cutoff_day(config: dict) -> int | None:
    """office.yaml report.cutoff_day (1..28; office/settings.py checked it), or None for the calendar month."""
    return (config.get("report") or {}).get("cutoff_day")


def targets(config: dict) -> dict:
    """The targets of office.yaml `targets:` (fractions 0..1; office/settings.py checked them), defaults filled in."""
    return {**TARGETS, **{key: float(value) for key, value in (config.get("targets") or {}).items()}}


def period(month: str, tz: dt.tzinfo, cutoff: int | None = None) -> tuple[dt.datetime, dt.datetime]:
    """Start (inclusive) and end (exclusive) of the period of month 'YYYY-MM' (or week 'YYYY-Www') in office time."""
    found = periods.of(month, tz, cutoff)
    return found.start, found.end


def verdict(clock, as_of: dt.datetime | None = None) -> bool | None:
    """True met, False missed (late, or still open past due at as_of), None still open."""
    met = clock.met()
    if met is None and as_of is not None and clock.late_minutes(as_of) > 0:
        return False
    return met



def _answer(order: records.Order) -> bool | None:
    """The owner's callback answer: True satisfied, False not, None not called back."""
    callback = order.get("callback")
    answer = callback.get("satisfied") if isinstance(callback, dict) else None
    return answer if isinstance(answer, bool) else None


def _on_time(verdicts: list) -> dict:
    """Met, missed and open clocks, and the rate met / (met + missed)."""
    met, missed = verdicts.count(True), verdicts.count(False)
    return {"met": met, "missed": missed, "open": verdicts.count(None), "rate": _rate(met, met + missed)}


def _minutes(orders, event: str, first: bool) -> dict:
    """Count, average and 90th percentile (nearest rank) of minutes from receipt to event."""
    # timestamps: real minutes, where two times of one zoneinfo zone subtract on the wall clock
    values = sorted((t.timestamp() - o.received.timestamp()) / 60 for o in orders
                    if (t := o.time_of(event, last=not first)))
    if not values:
        return {"count": 0, "average": None, "p90": None}
    p90 = values[math.ceil(0.9 * len(values)) - 1]
    return {"count": len(values), "average": round(sum(values) / len(values), 1), "p90": round(p90, 1)}


def _group(orders, clocks: dict, as_of) -> dict:
    """Count, finished, on-time rate (technician's clocks) and satisfaction of some orders."""
    verdicts = [verdict(c, as_of) for o in orders for c in clocks[o.id] if c.kind in SERVICE]
    answers = [a for o in orders if (a := _answer(o)) is not None]
    return {"count": len(orders), "finished": sum(o.status in FINISHED for o in orders),
            "on_time": _on_time(verdicts)["rate"], "called_back": len(answers), "satisfied": answers.count(True),
            "satisfaction": _rate(answers.count(True), len(answers))}


def _coverage(finished) -> dict:
    """How many finished jobs were called back, and the rate."""
    called = sum(_answer(o) is not None for o in finished)
    return {"finished": len(finished), "called_back": called, "rate": _rate(called, len(finished))}


def _select(orders, office_like, month: str):
    """(period start, end, every dated order oldest first, the repair orders received in the period).

    A planned maintenance job (计划性维修) is no owner's request: it is left out of the desk's figures
    (受理, 完成, the clocks, the channels) and counted apart by _planned (计划完成率)."""
    start, end = period(month, office_like.tz, cutoff_day(office_like.config))
    dated = sorted((o for o in orders if o.received), key=lambda o: (o.received, o.id))
    return start, end, dated, [o for o in dated if start <= o.received < end and o.get("plan") is None]


def _planned(orders, start: dt.datetime, end: dt.datetime) -> list:
    """The planned jobs received (that is, due) in the period."""
    return [o for o in orders if o.get("plan") is not None and o.received and start <= o.received < end]


def month_report(orders, office_like, month: str, levels, targets: dict, *, as_of: dt.datetime | None = None) -> dict:
    """The statistics of the orders received in month, as plain data (see the module docstring)."""
    start, end, dated, mine = _select(orders, office_like, month)
    clocks = {o.id: sla.obligations(o, levels) for o in mine}
    statuses = Counter(o.status for o in mine)
    finished = [o for o in mine if o.status in FINISHED]
    n_finished, n_open = len(finished), sum(statuses[s] for s in OPEN)
    kinds = [*CLOCKS, *sorted({c.kind for cs in clocks.values() for c in cs} - set(CLOCKS))]
    answers = [a for o in mine if (a := _answer(o)) is not None]
    forms = settings.same_forms(office_like.config)  # 3-1201 and 3栋1201 one unit, when the office says so
    rework = rework_in(mine, dated, levels, forms)
    report = {
        "office": {"site": getattr(office_like, "site", ""), "name": getattr(office_like, "name", "")},
        "month": month,
        "period": {"start": start.isoformat(), "end": end.isoformat(), "first_day": f"{start:%Y-%m-%d}",
                   "last_day": f"{end - dt.timedelta(days=1):%Y-%m-%d}", "cutoff_day": cutoff_day(office_like.config)},
        "as_of": as_of.isoformat() if as_of else None,
        "received": len(mine), "finished": n_finished, "open": n_open,
        "open_by_status": {s: statuses[s] for s in OPEN},
        "open_orders": [{"id": o.id, "unit": o.get("unit"), "status": o.status, "technician": o.get("technician"),
                         "last_event": o.events[-1].get("action") if o.events else None}
                        for o in mine if o.status in OPEN],
        "cancelled": statuses["cancelled"], "referred": statuses["referred"], "declined": statuses["declined"],
        "completion_rate": _rate(n_finished, n_finished + n_open),
        "on_time": {k: _on_time([verdict(c, as_of) for cs in clocks.values() for c in cs if c.kind == k])
                    for k in kinds},
        "minutes": {"to_arrival": _minutes([o for o in mine if o.get("urgency") != "appointment"], "arrived", True),
                    "to_finish": _minutes(mine, "finished", False)},
        **_callbacks(mine, finished, office_like.catalogue, forms, sampling.bands(office_like.config)),
        "called_back": len(answers), "satisfied": answers.count(True),
        "satisfaction_rate": _rate(answers.count(True), len(answers)),
        "rework_count": len(rework), "rework_rate": _rate(len(rework), len(mine)), "rework": rework,
        "fees": {**_fees(mine, finished), **payments.collected(finished, as_of)},  # 实收, 未收: orders/payments.py
        **_breakdowns(mine, office_like.catalogue, clocks, as_of),
    }
    worktime.figures(report, mine, office_like.catalogue)  # the sign-off and the work-time standard (issue 14)
    inspection.figures(report, mine)  # 一次验收合格率 and 返工 (issue 15)
    crew.figures(report, mine)  # 返工 per technician (issue 15 §6)
    report["delayed"] = delays.delayed(mine)  # orders given an approved later finish (延期, issue 15 §2)
    maintenance.figures(report, _planned(orders, start, end))  # 计划完成率 and faults found (issue 16 §2)
    report["targets"] = _targets(report, targets)
    periods.mark(report, month)  # a week's report: period.kind and period.label (reports/period.py)
    return report


def rework_in(mine, dated, levels, forms: bool = False) -> list[dict]:
    """The orders of mine that repeat an earlier job of dated within the warranty (返修): id, unit, item, of."""
    jobs: dict[tuple, list] = {}  # rework_of keeps only the same unit and item: hand it those, not every order
    for o in dated:
        jobs.setdefault((unit_key(o.get("unit"), forms), o.get("item")), []).append(o)
    return [{"id": o.id, "unit": o.get("unit"), "item": o.get("item"), "of": first.id} for o in mine
            if (first := sla.rework_of(o, [e for e in jobs[unit_key(o.get("unit"), forms), o.get("item")]
                                           if e.received < o.received], levels, forms)) is not None]


def _callbacks(mine, finished, catalogue, forms: bool = False, bands=sampling.DEFAULT) -> dict:
    """Callback coverage (003 §4.1.4.4), the sample of 004 §5.4.3, and the unsatisfied answers."""
    units = [o for o in finished if o.get("scope", "unit") == "unit"]
    households = {unit_key(o.get("unit"), forms) for o in units}
    answered = {unit_key(o.get("unit"), forms) for o in units if _answer(o) is not None}
    share, required = sampling.sample_size(len(households), bands)  # the office's bands (office.yaml)
    return {
        "callback_coverage": {"unit": _coverage(units), "all": _coverage(finished)},
        "callback_sample": {"households": len(households), "share": share, "required": required,
                            "called_back": len(answered)},
        "unsatisfied": [{"id": o.id, "unit": o.get("unit"), "item": (code := o.get("item") or o.get("supplier_job")),
                         "item_name": _name(catalogue, code), "technician": o.get("technician"),
                         "method": o.get("callback").get("method"), "reason": o.get("callback").get("reason")}
                        for o in mine if _answer(o) is False],
    }


def _fees(mine, finished) -> dict:
    """Materials, labour, waivers with their approvers, fees still pending, and what is due."""
    # each order's amount to the fen, added up: the total of the workbook's detail column
    def total(amounts):
        return money.fen(sum(map(money.fen, amounts), Decimal(0)))

    pending = [o for o in mine if o.get("fee_pending")]
    return {
        "materials": total(o.materials_total for o in mine),
        "labour": total(o.labour for o in mine),
        "waived": {"total": total(o.waived for o in mine),
                   "approvals": [{"id": o.id, "amount": money.fen(o.waived),
                                  "approved_by": o.get("waiver").get("approved_by"),
                                  "approver_role": o.get("waiver").get("approver_role")} for o in mine if o.waived]},
        "pending": {"count": len(pending), "amount": total(o.amount_due for o in pending),
                    "ids": [o.id for o in pending]},
        "due": total(o.amount_due for o in finished if not o.get("fee_pending")),
    }


def _breakdowns(mine, catalogue, clocks: dict, as_of) -> dict:
    """By category, by every catalogue item, uncovered requests, supplier referrals, technician, channel."""
    items: dict[str, list] = {code: [] for code in catalogue.items}
    jobs: dict[str, list] = {}
    uncovered = []
    for o in mine:
        code, job = o.get("item"), o.get("supplier_job")
        (items[code] if code in items else jobs.setdefault(job, []) if job else uncovered).append(o)
    technicians = sorted({str(o.get("technician")) for o in mine if o.get("technician")})
    channels = [*CHANNELS, *sorted({str(o.get("channel")) for o in mine if o.get("channel")} - set(CHANNELS))]

    def group(os_):
        return _group(os_, clocks, as_of)

    return {
        "by_category": [{"category": key, "name": name, **group([o for code, os_ in items.items() for o in os_
                                                                  if catalogue.items[code].category == key])}
                        for key, name in catalogue.categories.items()],
        "by_item": [{"code": code, "name": item.name, "category": item.category_name, **group(items[code])}
                    for code, item in catalogue.items.items()],
        "uncovered": [{"id": o.id, "unit": o.get("unit"), "description": o.get("description"), "status": o.status,
                       "item": o.get("item")} for o in uncovered],
        "suppliers": [{"code": code, "name": _name(catalogue, code),
                       "provider": getattr(catalogue.jobs.get(code), "provider", None), "count": len(os_),
                       "ids": [o.id for o in os_]}
                      for code, os_ in sorted(jobs.items(), key=lambda kv: (-len(kv[1]), kv[0]))],
        "by_technician": [{"technician": t, **group([o for o in mine if str(o.get("technician")) == t])}
                          for t in technicians],
        "by_channel": [{"channel": c, **group([o for o in mine if o.get("channel") == c])} for c in channels],
    }


def _name(catalogue, code) -> str:
    """The name of a catalogue item or supplier job; '' for an unknown code."""
    return getattr(catalogue.items.get(code) or catalogue.jobs.get(code), "name", "")


def _targets(report: dict, goal: dict) -> list[dict]:
    """Each watched measure beside its target, with passed True/False (None when there is no value)."""
    sample = report["callback_sample"]
    rows = [("satisfaction", report["satisfaction_rate"], goal["satisfaction"], ">=")]
    rows += [(f"on_time_{k}", report["on_time"][k]["rate"], goal["on_time"], ">=") for k in CLOCKS]
    rows += [("rework_rate", report["rework_rate"], goal["rework_rate_max"], "<="),
             ("callback_unit", report["callback_coverage"]["unit"]["rate"], goal["callback_unit"], ">="),
             ("callback_all", report["callback_coverage"]["all"]["rate"], goal["callback_all"], ">="),
             ("callback_sample", sample["called_back"] if sample["households"] else None, sample["required"], ">=")]
    return [{"measure": m, "value": v, "target": t, "compare": c,
             "passed": None if v is None else (v >= t if c == ">=" else v <= t)} for m, v, t, c in rows]


def order_rows(orders, office_like, month: str, levels, *, as_of: dt.datetime | None = None) -> list[dict]:
    """One flat row per order received in month, oldest first, for the workbook's detail sheet."""
    catalogue, rows = office_like.catalogue, []
    for o in _select(orders, office_like, month)[3]:
        code = o.get("item") or o.get("supplier_job")
        entry = catalogue.items.get(code)
        verdicts: dict[str, list] = {}
        for c in (clocks := sla.obligations(o, levels)):
            verdicts.setdefault(c.kind, []).append(verdict(c, as_of))
        callback = o.get("callback") if isinstance(o.get("callback"), dict) else {}
        rows.append({
            "id": o.id, "received": _naive(o.received), "unit": o.get("unit"), "name": o.get("name"),
            "phone": o.get("phone"), "description": o.get("description"), "item": code,
            "item_name": _name(catalogue, code), "category": getattr(entry, "category_name", ""),
            "technician": o.get("technician"), "status": o.status, "scope": o.get("scope"), "channel": o.get("channel"),
            "arrived": _naive(o.time_of("arrived", last=False)), "finished": _naive(o.time_of("finished")),
            "clocks": {k: (False if False in v else None if None in v else True) for k, v in verdicts.items()},
            "materials": money.fen(o.materials_total), "labour": money.fen(o.labour),
            "waived": money.fen(o.waived), "fee_pending": bool(o.get("fee_pending")),
            "satisfied": _answer(o), "callback_reason": callback.get("reason"),
            **misses.fields(o, clocks, as_of),  # urgency, appointment, why each missed clock was missed (issue 15)
        })
    return rows


def _naive(when: dt.datetime | None) -> dt.datetime | None:
    """A time as Excel holds it: office wall-clock time, no offset."""
    return when.replace(tzinfo=None) if when else None


def _months(office, month: str) -> tuple[dt.datetime, list[str]]:
    """The start of a month's (or week's) report period and the months (YYYY-MM) it spans: their folders hold
    its orders."""
    found = periods.of(month, office.tz, cutoff_day(office.config))
    return found.start, found.months


def monthly(office, month: str, *, as_of: dt.datetime | None = None,
            allow_broken: bool = False, detail: bool = True) -> tuple[dict, list[dict]]:
    """Read the month's orders and return (report, detail rows) for month.

    The orders read are those received in the months the period spans, and the earlier orders of
    the same units finished within the warranty before it (they decide rework). An order file in
    those months' folders that cannot be read refuses the report (Incomplete), unless allow_broken:
    then the report's left_out names it. Without detail, no rows are made, nor the workbook's trend and
    orders open at the period's end (report keys trend, open_at_end; rollup needs none of them).
    """
    levels, as_of = sla.of_office(office), as_of or office.now()  # each order by its own day's
    start, months = _months(office, month)
    broken = reading.left_out(office, months).files
    if broken and not allow_broken:
        raise Incomplete(_("{count} order file(s) of {month} cannot be read, so the figures would be wrong; fix them "
                           "(the lines above say where), or pass --allow-broken to report without them").format(
                             count=len(broken), month=month),
                         [problem for problems in broken.values() for problem in problems])
    orders = query.for_month(office, months, start - relativedelta(months=levels.longest("warranty_months")))
    report = month_report(orders, office, month, levels, targets(office.config), as_of=as_of)
    report["period"]["months"] = months
    left_out = sorted(str(path.relative_to(office.root)) for path in broken)  # as named wherever it is read
    report["left_out"] = {"count": len(broken), "files": left_out}
    from repairctl.reports import complaints  # the month's complaints (投诉, issue 15 §3)

    report["complaints"] = complaints.figures(office, report["period"], as_of, allow_broken)
    report.update(provenance.stamp(office, months, orders))  # commit, settings, uncommitted
    if detail:  # the workbook's 12-month trend and the orders open at the period's end (issue 15 §6)
        from repairctl.reports import backlog, trend

        report["trend"] = trend.trend(office, report, levels, as_of)
        report["open_at_end"] = backlog.rows(office, report, levels, office.catalogue)
    return report, order_rows(orders, office, month, levels, as_of=as_of) if detail else []
