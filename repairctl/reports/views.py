"""Plain-text, table and CSV views of orders for the terminal (JSON for scripts: jsonview.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from repairctl.errors import RepairError
from repairctl.orders.records import Order
from repairctl.text import cjk, clock, terms

if TYPE_CHECKING:
    from repairctl.store import gitlog


def order_json(order: Order) -> dict:
    """An order as a JSON object: every field of the file, plus the computed fee."""
    data = dict(order.data)
    data["amount_due"] = order.amount_due
    return data


def item_label(office, code: str | None) -> str:
    """A catalogue code with its name, e.g. 'W01 更换普通水龙头'."""
    if not code:
        return ""
    try:
        return f"{code} {office.catalogue.lookup(code).name}"
    except RepairError:  # an unknown code still shows; `check` reports it
        return str(code)


def order_text(office, order: Order) -> str:
    """A readable card of one order: its fields in Chinese, then its history."""
    f = terms.FIELD
    urgency = terms.label(terms.URGENCY, order.get("urgency"))
    if order.appointment_time:
        urgency += f" {clock.show(order.appointment_time)}"
    rows = [
        (f["id"], order.id), (f["status"], terms.label(terms.STATUS, order.status)),
        (f["received"], clock.show(order.received)), (f["channel"], terms.label(terms.CHANNEL, order.get("channel"))),
        (f["unit"], f"{order.get('unit', '')} ({terms.label(terms.SCOPE, order.get('scope'))})"),
        (f["name"], order.get("name")), (f["phone"], order.get("phone")), (f["description"], order.get("description")),
        (f["item"], item_label(office, order.get("item") or order.get("supplier_job"))), (f["urgency"], urgency),
        (f["technician"], order.get("technician")), (f["work"], order.get("work")),
        (f["fee"], "待定" if order.get("fee_pending") else f"{order.amount_due:.2f} 元"),
    ]
    if order.get("callback"):
        cb = order.get("callback")
        rows.append((f["callback"], f"{terms.label(terms.CALLBACK_METHOD, cb.get('method'))} "
                                    f"{terms.SATISFIED.get(cb.get('satisfied'), '')} "
                                    f"{cb.get('reason') or ''}".rstrip()))
    if order.get("conflict") is not None:  # a merge left two versions: this card shows ours
        from repairctl.orders.conflict import reason_of

        hint = f"keep one: `repairctl resolve {order.id} --take ours|theirs`"
        rows.append(("未解决冲突", f"{reason_of(order.data)}; {hint}"))
    width = max(cjk.width(k) for k, _ in rows)
    lines = [f"{cjk.pad(k, width)}  {v if v is not None else ''}" for k, v in rows]
    lines.append("")
    for event in order.events:
        when = clock.show(clock.as_time(event.get("at"), order.tz))
        lines.append(f"  {when}  {event.get('by', '')}  {terms.label(terms.EVENT, event.get('action'))}")
    return "\n".join(lines)


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
    """Rows as an aligned table with Chinese headers (each row dict is let go once its cells are taken);
    none, a sentence saying so and naming the filters given."""
    headers = [terms.FIELD[c] for c in LIST_COLUMNS]
    body = [[_short(r[c]) if c != "status" else terms.label(terms.STATUS, r[c]) for c in LIST_COLUMNS] for r in rows]
    if not body:
        given = " ".join(f"--{key} {_shown(value)}" for key, value in (filters or {}).items() if value is not None)
        return f"no orders match {given}" if given else "no orders yet"
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
            line += f"  (录入: {clock.show(entry.recorded.astimezone(tz))} {entry.recorder})"
        lines.append(line)
    return "\n".join(lines)


def referral_text(office, order: Order) -> str:
    """What to tell the owner of a referred job: the supplier to contact (000 §1.2)."""
    job = office.catalogue.lookup(order.get("supplier_job"))
    provider = job.provider or "管理处可提供专业维修单位信息"
    return f"{order.id} 推荐专业供应商: {job.code} {job.name} ({job.reason_text}); 推荐: {provider}"


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
            lines.append(f"建议维修项目 (repairctl assign {order.id} --item CODE): " + ", ".join(in_house))
        if supplier:
            lines.append(f"如属专业供应商项目 (repairctl refer {order.id} --job CODE): " + ", ".join(supplier))
    item = order.get("item") and office.catalogue.lookup(order.get("item"))
    if item and item.warn_owner and item.remark:
        lines.append(f"请告知业户: {item.remark}")
    return "\n".join(lines)


OVERDUE_COLUMNS = ("id", "unit", "kind", "what", "due", "late_minutes", "holder")


def overdue_rows(obligations, at: dt.datetime) -> list[dict]:
    """One flat row per open obligation, judged at `at` (late_minutes > 0: late)."""
    return [
        {"id": ob.order_id, "unit": ob.unit, "kind": ob.kind, "what": ob.what, "due": ob.due,
         "late_minutes": ob.late_minutes(at), "holder": ob.holder}
        for ob in obligations
    ]


def _span(minutes: int) -> str:
    """A length of time as the desk says it: 35分钟, 2小时5分钟, 1天3小时."""
    o = terms.OVERDUE
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}{o['days']}" + (f"{hours}{o['hours']}" if hours else "")
    if hours:
        return f"{hours}{o['hours']}" + (f"{mins}{o['minutes']}" if mins else "")
    return f"{mins}{o['minutes']}"


def overdue_table(rows: list[dict], *, complete: bool = True) -> str:
    """Obligations as an aligned table with Chinese headers, late ones marked 超时.

    complete: every order file was read; only then may no rows say that nothing is late.
    """
    o = terms.OVERDUE
    if not rows:
        return o["none"] if complete else o["none_read"]
    body = [
        [r["id"], _short(r["unit"]), r["what"], clock.show(r["due"]),
         (f"{o['late_by']} {_span(r['late_minutes'])}" if r["late_minutes"] > 0
          else f"{o['left']} {_span(-r['late_minutes'])}"),
         r["holder"]]
        for r in rows
    ]
    headers = [o[c] for c in ("id", "unit", "what", "due", "late", "holder")]
    return cjk.table(headers, body)


def overdue_csv(rows: list[dict]) -> str:
    """Obligations as CSV with English headers and ISO 8601 times, for scripts."""
    return _csv(({**r, "due": r["due"].isoformat()} for r in rows), OVERDUE_COLUMNS)


def _percent(rate) -> str:
    return "—" if rate is None else f"{rate:.1%}"


UNSATISFIED_SHOWN = 10  # the terminal summary must fit a screen; the workbook lists them all


def monthly_text(report: dict) -> str:
    """The monthly statistics for the terminal, in Chinese: counts, each target met or not, what needs a look."""
    from repairctl.reports import stats  # loaded already by `monthly`, the one caller; `show` and `list` need it not
    m, r, p = terms.MEASURE, terms.REPORT, report["period"]
    lines = [f"{report['office']['name']} {r['title']} {report['month']} "
             f"({p['first_day']} {r['to']} {p['last_day']})".strip()]
    if report["left_out"]["count"]:
        lines.append(r["left_out"].format(count=report["left_out"]["count"]))
    lines.append("  ".join(f"{m[k]} {report[k]}" for k in stats.COUNTS)
                 + f"  {m['completion_rate']} {_percent(report['completion_rate'])}")
    if report["open"]:
        lines.append(f"{r['open_by_status']}: " + ", ".join(
            f"{terms.label(terms.STATUS, s)} {n}" for s, n in report["open_by_status"].items() if n))
    rows = []
    for t in report["targets"]:
        shown = (lambda v: "—" if v is None else str(v)) if t["measure"] == "callback_sample" else _percent
        result = r["no_data"] if t["passed"] is None else r["passed"] if t["passed"] else r["failed"]
        target = ("≤ " if t["compare"] == "<=" else "≥ ") + shown(t["target"])
        rows.append([m[t["measure"]], shown(t["value"]), target, result])
    lines += ["", cjk.table([r["measure"], r["value"], r["target"], r["result"]], rows), ""]
    minutes, fees, sample = report["minutes"], report["fees"], report["callback_sample"]
    for key in ("to_arrival", "to_finish"):
        stat = minutes[key]
        if stat["count"]:
            lines.append(f"{m[key + '_average']} {stat['average']}  {m[key + '_p90']} {stat['p90']}")
    lines.append(f"{m['materials']} {fees['materials']:.2f}  {m['labour']} {fees['labour']:.2f}  "
                 f"{m['waived']} {fees['waived']['total']:.2f}  {m['pending_count']} {fees['pending']['count']}  "
                 f"{m['pending_amount']} {fees['pending']['amount']:.2f}")
    lines.append(f"{m['households']} {sample['households']}{r['households_unit']}  {r['sample_required']} "
                 f"{sample['required']}{r['households_unit']} ({sample['share']:.0%})  "
                 f"{m['rework_count']} {report['rework_count']}")
    unsatisfied = report["unsatisfied"]
    for u in unsatisfied[:UNSATISFIED_SHOWN]:
        lines.append(f"{m['unsatisfied']}: {u['id']} {u['unit'] or ''} {u['technician'] or ''} "
                     f"{u['reason'] or ''}".rstrip())
    if len(unsatisfied) > UNSATISFIED_SHOWN:
        lines.append(f"… 另有 {len(unsatisfied) - UNSATISFIED_SHOWN} 条不满意回访, 见工作簿「不满意回访」表")
    return "\n".join(lines)
