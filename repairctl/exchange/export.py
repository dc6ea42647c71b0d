"""`export`: orders as a CSV file that opens in Excel with the Chinese intact, one row per order.

The columns a new order is made of (受理时间, 地址/单元, 业户姓名, 联系电话, 维修内容, 维修项目 …)
carry the headers `import` reads, so an export re-imports; the columns of what happened
afterwards (单号, 状态, 到场时间, 费用 …) are left out by `import`.
"""

from __future__ import annotations

from collections.abc import Iterable

from repairctl.orders.records import Order
from repairctl.store import csvio
from repairctl.text import clock, headers, money, terms


def _yes(flag: bool) -> str:
    return headers.YES[0] if flag else headers.NO[0]


def _money(order: Order, amount) -> str:
    return money.figure(amount) if order.time_of("finished") else ""


def _callback(order: Order) -> str:
    result = order.get("callback") or {}
    if not result:
        return ""
    method = terms.label(terms.CALLBACK_METHOD, result.get("method"))
    text = f"{method} {terms.SATISFIED.get(result.get('satisfied'), '')}"
    return f"{text}: {result['reason']}" if result.get("reason") else text


def row(office, order: Order) -> list[str]:
    """One order as the cells of EXPORT's columns."""
    code = order.get("item") or order.get("supplier_job")
    job = (office.catalogue.items.get(str(code)) or office.catalogue.jobs.get(str(code))) if code else None
    first = order.events[0] if order.events else {}
    fee = headers.FEE_PENDING if order.get("fee_pending") else _money(order, order.amount_due)
    cells = {
        "id": order.id, "at": clock.show(order.received),
        "channel": terms.label(terms.CHANNEL, order.get("channel")).split("/")[0],
        "unit": order.get("unit", ""), "public": _yes(order.get("scope") == "public"),
        "name": order.get("name", ""), "phone": order.get("phone", ""), "description": order.get("description", ""),
        "item": f"{code} {job.name}" if job else code or "", "emergency": _yes(order.get("urgency") == "emergency"),
        "appointment": clock.show(order.appointment_time), "by": first.get("by", ""),
        "technician": order.get("technician", ""), "status": terms.label(terms.STATUS, order.status),
        "arrived": clock.show(order.time_of("arrived", last=False)), "finished": clock.show(order.time_of("finished")),
        "materials": _money(order, order.materials_total), "labour": _money(order, order.labour),
        "waived": _money(order, order.waived) if order.waived else "", "fee": fee, "callback": _callback(order),
    }
    cells["phone"] = csvio.Digits(cells["phone"] or "")  # Excel would show 13812345678 as 1.38E+10
    return [value if isinstance(value, csvio.Digits) else "" if value is None else str(value)
            for value in (cells[key] for key in headers.EXPORT)]


def export_bytes(office, orders: Iterable[Order]) -> tuple[bytes, int]:
    """The orders as CSV for Excel (UTF-8 with BOM, CRLF, Chinese headers, formulas neutralised), and how many."""
    count = 0

    def rows():
        nonlocal count
        for order in orders:
            count += 1
            yield row(office, order)

    return csvio.excel_bytes(list(headers.EXPORT.values()), rows()), count
