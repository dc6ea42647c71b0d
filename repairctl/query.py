"""Finding orders by status, month, technician and unit."""

from __future__ import annotations

from repairctl import cache, lifecycle, records
from repairctl.office import Office


def find(office: Office, *, status: str | None = None, month: str | None = None, tech: str | None = None,
         unit: str | None = None) -> list[records.Order]:
    """The office's orders matching every filter given, oldest first ('open' means not yet finished)."""
    where, params = ["1"], []
    if month:
        where.append("month = ?")
        params.append(month)
    if unit:
        where.append("unit_key = ?")
        params.append(cache.unit_key(unit))
    orders = cache.orders(office, " AND ".join(where), tuple(params))

    def wanted(order: records.Order) -> bool:
        if status == "open" and order.status not in lifecycle.OPEN:
            return False
        if status and status != "open" and order.status != status:
            return False
        if month and (order.received is None or f"{order.received:%Y-%m}" != month):
            return False
        if tech and order.get("technician") != tech:
            return False
        return not unit or str(order.get("unit", "")).replace(" ", "") == unit.replace(" ", "")

    return sorted(filter(wanted, orders), key=lambda o: (o.received is None, o.received or 0, o.id))
