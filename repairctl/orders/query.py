"""Finding orders by status, month, technician and unit."""

from __future__ import annotations

from typing import Iterator

from repairctl.store import cache
from repairctl.orders import lifecycle, records
from repairctl.office.folder import Office


def find(office: Office, *, status: str | None = None, month: str | None = None, tech: str | None = None,
         unit: str | None = None) -> Iterator[records.Order]:
    """The office's orders matching every filter given, oldest first ('open': not yet finished), one at a time."""
    where, params = ["1"], []
    if status == "open":
        where.append(f"status IN ({','.join('?' * len(lifecycle.OPEN))})")
        params += sorted(lifecycle.OPEN)
    elif status:
        where.append("status = ?")
        params.append(status)
    if month:
        where.append("month = ?")
        params.append(month)
    if tech:
        where.append("technician = ?")
        params.append(tech.strip())
    if unit:
        where.append("unit_key = ?")
        params.append(records.unit_key(unit))
    return cache.iter_orders(office, " AND ".join(where), tuple(params))
