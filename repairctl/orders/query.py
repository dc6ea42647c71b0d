"""Asking the office's cache: orders by status, month, technician and unit; open clocks; one stored order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from repairctl.office.folder import Office
from repairctl.orders import index, lifecycle, records
from repairctl.store import cache as store
from repairctl.text.inputs import unit_key

if TYPE_CHECKING:
    from repairctl.orders.sla import Obligation


def iter_orders(office: Office, where: str = "1", params: tuple = (), *,
                thorough: bool = True) -> Iterator[records.Order]:
    """The readable orders matching an SQL condition on the cache's indexed columns, oldest first, one at a time."""
    for path, data in index.cache(office).orders(where, params, thorough=thorough):
        yield records.Order(path, data, office.tz)


def orders(office: Office, where: str = "1", params: tuple = (), *, thorough: bool = True) -> list[records.Order]:
    """The readable orders matching an SQL condition on the cache's indexed columns, oldest first."""
    return list(iter_orders(office, where, params, thorough=thorough))


def find(office: Office, *, status: str | None = None, month: str | None = None, tech: str | None = None,
         unit: str | None = None) -> Iterator[records.Order]:
    """The office's orders matching every filter given, oldest first ('open': not yet finished), one at a time."""
    where, params = ["1"], []
    if status == "open":
        where.append(f"status IN ({','.join('?' * len(lifecycle.OPEN))})")
        params += lifecycle.OPEN
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
        params.append(unit_key(unit))
    return iter_orders(office, " AND ".join(where), tuple(params))


def open_clocks(office: Office, until: dt.datetime) -> list[Obligation]:
    """Every open clock of the office due by `until` (late ones included)."""
    # sla and dateutil: 5 ms of imports that `show` and `list` need not pay
    from repairctl.orders.sla import Obligation

    rows = index.cache(office).clocks(int(until.timestamp()))
    # due was stored in office time with its offset: read back as it is (astimezone costs 10 ms a 5,000)
    return [Obligation(order_id, unit, kind, dt.datetime.fromisoformat(due), None, holder, what,
                       grace=dt.timedelta(seconds=grace)) for order_id, unit, kind, due, holder, what, grace in rows]


def stored_order(office: Office, path: Path) -> records.Order | None:
    """The order in one file as the cache holds it while the file is as it was read; else None (read the file)."""
    data = store.stored_row(office.root, path, index.ROWS)
    return None if data is None else records.Order(path, data, office.tz)


def unreadable(office: Office) -> int:
    """How many order files could not be read (queries leave them out; `check` names them)."""
    return index.cache(office).unreadable()
