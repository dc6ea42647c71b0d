"""Plain-text, table and CSV views of orders for the terminal (one order, `show`: card.py; JSON for scripts:
jsonview.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from repairctl.errors import RepairError
from repairctl.orders.records import Order
from repairctl.text import cjk, clock, money, terms
from repairctl.text.i18n import _, language, ngettext

if TYPE_CHECKING:
    from repairctl.store import gitlog


LIST_COLUMNS = ("id", "received", "unit", "description", "item", "technician", "status")


def list_rows(orders: Iterable[Order]) -> Iterator[dict]:
    """One flat row per order for list output, one at a time."""
    for o in orders:
        yield {
            "id": o.id, "received": clock.show(o.received), "unit": o.get("unit", ""),
            "description": o.get("description", ""), "item": o.get("item") or o.get("supplier_job") or "",
            "technician": o.get("technician") or "", "status": o.status,
        }


def list_table(rows: Iterable[dict], filters: dict | None = None) -> str:
    """Rows as an aligned table with the terminal's headers (each row dict is let go once its cells are taken);
    none, a sentence saying so and naming the filters given."""
    headers = [terms.shown(terms.FIELD, c) for c in LIST_COLUMNS]
    body = [[_short(r[c]) if c != "status" else terms.shown(terms.STATUS, r[c]) for c in LIST_COLUMNS] for r in rows]
    if not body:
        given = " ".join(f"--{key} {_shown(value)}" for key, value in (filters or {}).items() if value is not None)
        return _("no orders match {filters}").format(filters=given) if given else _("no orders yet")
    return cjk.table(headers, body)


def _shown(value) -> str:
    """A filter's value as the clerk would type it again: quoted when it holds a space."""
    text = str(value)
    return f"'{text}'" if not text or any(c.isspace() for c in text) else text


def _short(text, limit: int = 24) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def csv_lines(rows: Iterable[dict], columns) -> Iterator[str]:
    """Rows as CSV with English headers, for scripts, one line at a time."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="")

    def line(write, *row) -> str:
        out.seek(0)
        out.truncate()
        write(*row)
        return out.getvalue()

    yield line(writer.writeheader)
    for row in rows:
        yield line(writer.writerow, row)


def _csv(rows, columns) -> str:
    """Rows as CSV with English headers, for scripts."""
    return "\n".join(csv_lines(rows, columns)) + "\n"


def history_text(entries: list[gitlog.Entry], tz) -> str:
    """An order's git history in plain words: when, who, what (and who recorded it, if someone else)."""
    lines = []
    for entry in entries:
        line = f"{clock.show(entry.when.astimezone(tz))}  {entry.who}  {entry.what}"
        if entry.recorder != entry.who or abs(entry.recorded - entry.when) > dt.timedelta(minutes=5):
            line += "  " + _("(recorded {when} by {who})").format(
                when=clock.show(entry.recorded.astimezone(tz)), who=entry.recorder)
        lines.append(line)
    return "\n".join(lines)


def referral_text(office, order: Order) -> str:
    """What to tell the owner of a referred job: the supplier to contact (000 §1.2)."""
    job = office.catalogue.lookup(order.get("supplier_job"))
    provider = job.provider or _("the office can give the names of specialist repairers")
    return _("{id} is a job for a specialist supplier: {code} {name} ({reason}); recommended: {provider}").format(
        id=order.id, code=job.code, name=job.name, reason=job.reason_text, provider=provider)


def new_summary(office, outcome) -> dict:
    """What `new --format json` prints: the ID, status, file and any suggestions or referral."""
    order = outcome.order
    summary = {"id": order.id, "status": order.status, "path": str(order.path.relative_to(office.root)),
               "suggestions": [{"code": s.code, "name": s.name, "in_house": s.in_house} for s in outcome.suggestions]}
    if order.get("supplier_job"):
        job = office.catalogue.lookup(order.get("supplier_job"))
        summary["supplier"] = {"code": job.code, "name": job.name, "provider": job.provider}
    return summary


def new_text(office, outcome) -> str:
    """What `new` prints: the ID first, then a referral or the suggested catalogue items."""
    order = outcome.order
    lines = [order.id]
    if order.get("supplier_job"):
        lines.append(referral_text(office, order))
    else:
        in_house = [f"{s.code} {s.name}" for s in outcome.suggestions if s.in_house]
        supplier = [f"{s.code} {s.name}" for s in outcome.suggestions if not s.in_house]
        if in_house:
            lines.append(_("suggested items (repairctl assign {id} --item CODE): {items}").format(
                id=order.id, items=_(", ").join(in_house)))
        if supplier:
            lines.append(_("if it is a specialist supplier's job (repairctl refer {id} --job CODE): {jobs}").format(
                id=order.id, jobs=_(", ").join(supplier)))
    remark = remark_line(office, order, every=False)
    if remark:
        lines.append(remark)
    return "\n".join(lines)


def remark_line(office, order, *, every: bool = True) -> str:
    """The item's remark as the desk says it: a remark to tell the owner (W04's water meter), or with every
    any other remark that narrows the item (大型吊灯除外); '' for none."""
    try:
        item = order.get("item") and office.catalogue.lookup(str(order.get("item")))
    except RepairError:  # an unknown code (a hand edit): `repairctl check` reports it
        return ""
    if not item or not item.in_house or not item.remark:
        return ""
    if item.warn_owner:
        return _("tell the owner: {remark}").format(remark=item.remark)
    return _("the item's remark: {remark}").format(remark=item.remark) if every else ""


OVERDUE_COLUMNS = ("id", "unit", "kind", "what", "due", "late_minutes", "holder", "minutes_past_due",
                   "escalated_to")


def overdue_rows(obligations, at: dt.datetime, steps=()) -> list[dict]:
    """One flat row per open obligation, judged at `at` (late_minutes > 0: late; an appointment only past its
    tolerance), and how far `at` is from the due time itself (minutes_past_due, negative before it);
    escalated_to: who must act next by office.yaml's escalation steps, or None."""
    from repairctl.office.escalation import escalated_to

    rows = []
    for ob in obligations:
        late, past = ob.late_minutes(at), (at.astimezone(dt.UTC) - ob.due.astimezone(dt.UTC)) // dt.timedelta(minutes=1)
        rows.append({"id": ob.order_id, "unit": ob.unit, "kind": ob.kind, "what": ob.what, "due": ob.due,
                     "late_minutes": late, "holder": ob.holder,
                     "minutes_past_due": past,
                     "escalated_to": escalated_to(steps, late)})
    return rows


def _late_or_left(row: dict) -> str:
    """超时 since the due time once late, else the time left to it (to the tolerance's end, past it)."""
    past = row.get("minutes_past_due", row["late_minutes"])
    if row["late_minutes"] > 0:  # late: 14:30 is 30 minutes past an appointment at 14:00, tolerance or not
        return _("late {span}").format(span=_span(past))
    return _("{span} left").format(span=_span(-past if past < 0 else -row["late_minutes"]))


def _span(minutes: int) -> str:
    """A length of time as the desk says it: 35分钟, 2小时5分钟, 1天3小时 (35m, 2h 5m, 1d 3h in English)."""
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return (_("{days}d {hours}h") if hours else _("{days}d")).format(days=days, hours=hours)
    if hours:
        return (_("{hours}h {minutes}m") if mins else _("{hours}h")).format(hours=hours, minutes=mins)
    return _("{minutes}m").format(minutes=mins)


# who holds a clock, as overdue_rows gives it (the desk's word, or a technician's name) -> the code word
_HOLDER_CODE = {word: code for code, word in terms.SLA_HOLDER.items()}  # 客服: clerk, the later key


def _what(row: dict) -> str:
    """What is owed on the terminal: the desk's word (紧急到场), or in English the clock (emergency arrival)."""
    if language() != "en":
        return row["what"]
    emergency = row["what"] == terms.SLA_WHAT_EMERGENCY.get(row["kind"])
    return ("emergency " if emergency else "") + terms.shown(terms.SLA_WHAT, row["kind"])


def overdue_table(rows: list[dict], *, complete: bool = True) -> str:
    """Obligations as an aligned table with the terminal's headers, late ones marked 超时 (late).

    complete: every order file was read; only then may no rows say that nothing is late.
    """
    if not rows:
        return (_("nothing is late or due soon") if complete else
                _("nothing is late or due soon among the orders that could be read; but some order files cannot "
                  "be read (see above), and they may hold late ones"))
    english = language() == "en"
    body = [
        [r["id"], _short(r["unit"]), _what(r), clock.show(r["due"]),
         _late_or_left(r),
         _holder(r, english)]
        for r in rows
    ]
    headers = [terms.shown(terms.OVERDUE, c) for c in ("id", "unit", "what", "due", "late", "holder")]
    return cjk.table(headers, body)


def _holder(row: dict, english: bool) -> str:
    """Who holds the clock on the terminal; once escalated, who must act next after it: 李师傅 → 工程主管."""
    def word(name):
        return _HOLDER_CODE.get(name, name) if english else name

    up = row.get("escalated_to")
    return f"{word(row['holder'])} → {word(up)}" if up and up != row["holder"] else word(row["holder"])


def overdue_csv(rows: list[dict]) -> str:
    """Obligations as CSV with English headers and ISO 8601 times, for scripts."""
    return _csv(({**r, "due": r["due"].isoformat()} for r in rows), OVERDUE_COLUMNS)


def _percent(rate) -> str:
    return "—" if rate is None else f"{rate:.1%}"


UNSATISFIED_SHOWN = 10  # the terminal summary must fit a screen; the workbook lists them all


def monthly_text(report: dict) -> str:
    """The monthly statistics for the terminal: counts, each target met or not, what needs a look."""
    # loaded already by `monthly`; `show` and `list` need them not
    from repairctl.reports import complaints, inspection, maintenance, stats, worktime

    def m(key):
        return terms.shown(terms.MEASURE, key)

    def r(key):
        return terms.shown(terms.REPORT, key)

    p = report["period"]
    heading = (_("{office} weekly repair statistics {week} ({first} to {last})") if p.get("kind") == "week" else
               _("{office} monthly repair statistics {month} ({first} to {last})"))  # a week: reports/period.py
    lines = [heading.format(office=report["office"]["name"], month=report["month"], week=p.get("label"),
                            first=p["first_day"], last=p["last_day"]).strip()]
    count = report["left_out"]["count"]
    if count:
        lines.append(ngettext("note: {count} order file of this period cannot be read and is not counted below",
                              "note: {count} order files of this period cannot be read and are not counted below",
                              count).format(count=count))
    lines.append("  ".join(f"{m(k)} {report[k]}" for k in stats.COUNTS)
                 + f"  {m('completion_rate')} {_percent(report['completion_rate'])}")
    if report["open"]:
        lines.append(_("open: {counts}").format(counts=_(", ").join(
            f"{terms.shown(terms.STATUS, s)} {n}" for s, n in report["open_by_status"].items() if n)))
    rows = []
    for t in report["targets"]:
        shown = (lambda v: "—" if v is None else str(v)) if t["measure"] == "callback_sample" else _percent
        result = r("no_data") if t["passed"] is None else r("passed") if t["passed"] else r("failed")
        target = ("≤ " if t["compare"] == "<=" else "≥ ") + shown(t["target"])
        rows.append([m(t["measure"]), shown(t["value"]), target, result])
    value = r("value_week") if report["period"].get("kind") == "week" else r("value")  # 本周, not 本月
    lines += ["", cjk.table([r("measure"), value, r("target"), r("result")], rows), ""]
    minutes, fees, sample = report["minutes"], report["fees"], report["callback_sample"]
    for key in ("to_arrival", "to_finish"):
        stat = minutes[key]
        if stat["count"]:
            lines.append(f"{m(key + '_average')} {stat['average']}  {m(key + '_p90')} {stat['p90']}")
    lines.append(f"{m('materials')} {money.shown(fees['materials'])}  {m('labour')} {money.shown(fees['labour'])}  "
                 f"{m('waived')} {money.shown(fees['waived']['total'])}  "
                 f"{m('pending_count')} {fees['pending']['count']}  "
                 f"{m('pending_amount')} {money.shown(fees['pending']['amount'])}")
    lines.append("  ".join(f"{m(key)} {money.shown(value)}" for key, value in (  # 应收, 实收, 减免, 未收
        ("due", fees["due"]), ("collected", fees["collected"]), ("waived", fees["waived"]["total"]),
        ("outstanding", fees["outstanding"]))))
    lines.append("  ".join((
        _("households served {households}").format(households=sample["households"]),
        _("callback sample {required} ({share})").format(required=sample["required"], share=f"{sample['share']:.0%}"),
        f"{m('rework_count')} {report['rework_count']}")))
    lines += worktime.summary_lines(report)
    lines += inspection.summary_lines(report)  # 一次验收合格率 and 返工 (issue 15)
    lines.append(f"{m('delayed')} {report['delayed']}")  # 延期单数: their own line (issue 15 §2)
    lines += maintenance.summary_lines(report)  # 计划完成率 and faults found (issue 16 §2)
    lines += complaints.summary_line(report)  # 投诉 (issue 15 §3)
    unsatisfied = report["unsatisfied"]
    for u in unsatisfied[:UNSATISFIED_SHOWN]:
        details = f"{u['id']} {u['unit'] or ''} {u['technician'] or ''} {u['reason'] or ''}".rstrip()
        lines.append(_("unsatisfied: {details}").format(details=details))
    more = len(unsatisfied) - UNSATISFIED_SHOWN
    if more > 0:
        lines.append(ngettext("… and {count} more unsatisfied callback: see the workbook's sheet 不满意回访",
                              "… and {count} more unsatisfied callbacks: see the workbook's sheet 不满意回访",
                              more).format(count=more))
    return "\n".join(lines)
