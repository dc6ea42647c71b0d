"""Plain-text, table, CSV and JSON views of orders for the terminal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

from repairctl import cjk, clock, gitlog, terms
from repairctl.records import Order


def _plain(value):
    """Make a loaded YAML value JSON-friendly: times as ISO 8601, amounts as numbers."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def order_json(order: Order) -> dict:
    """An order as a JSON object: every field of the file, plus the computed fee."""
    data = _plain(dict(order.data))
    data["amount_due"] = float(order.amount_due)
    return data


def dumps(data) -> str:
    """JSON as scripts read it, Chinese kept readable."""
    return json.dumps(_plain(data), ensure_ascii=False, indent=2)


def item_label(office, code: str | None) -> str:
    """A catalogue code with its name, e.g. 'W01 更换普通水龙头'."""
    if not code:
        return ""
    try:
        return f"{code} {office.catalogue.lookup(code).name}"
    except Exception:  # an unknown code still shows; `check` reports it
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
                                    f"{terms.SATISFIED.get(cb.get('satisfied'), '')} {cb.get('reason') or ''}".rstrip()))
    width = max(cjk.width(k) for k, _ in rows)
    lines = [f"{cjk.pad(k, width)}  {v if v is not None else ''}" for k, v in rows]
    lines.append("")
    for event in order.events:
        when = clock.show(clock.as_time(event.get("at"), order.tz))
        lines.append(f"  {when}  {event.get('by', '')}  {terms.label(terms.EVENT, event.get('action'))}")
    return "\n".join(lines)


LIST_COLUMNS = ("id", "received", "unit", "description", "item", "technician", "status")


def list_rows(orders: list[Order]) -> list[dict]:
    """One flat row per order for list output."""
    return [
        {
            "id": o.id, "received": clock.show(o.received), "unit": o.get("unit", ""),
            "description": o.get("description", ""), "item": o.get("item") or o.get("supplier_job") or "",
            "technician": o.get("technician") or "", "status": o.status,
        }
        for o in orders
    ]


def list_table(rows: list[dict]) -> str:
    """Rows as an aligned table with Chinese headers."""
    from tabulate import tabulate

    headers = [terms.FIELD[c] for c in LIST_COLUMNS]
    body = [[_short(r[c]) if c != "status" else terms.label(terms.STATUS, r[c]) for c in LIST_COLUMNS] for r in rows]
    return tabulate(body, headers=headers, tablefmt="simple", disable_numparse=True)


def _short(text, limit: int = 24) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def list_csv(rows: list[dict]) -> str:
    """Rows as CSV with English headers, for scripts."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=LIST_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


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
    return f"{order.id} 转介专业供应商: {job.code} {job.name} ({job.reason_text}); 推荐: {provider}"


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
    elif outcome.suggestions:
        lines.append("建议维修项目 (assign --item CODE): " +
                     ", ".join(f"{s.code} {s.name}" + ("" if s.in_house else " [供应商]") for s in outcome.suggestions))
    item = order.get("item") and office.catalogue.lookup(order.get("item"))
    if item and item.warn_owner and item.remark:
        lines.append(f"请告知业户: {item.remark}")
    return "\n".join(lines)
