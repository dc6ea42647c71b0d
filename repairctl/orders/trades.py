"""Dispatch by trade (工种): which catalogue categories a technician of staff.csv can take, and each
technician's load on a day (open jobs, jobs done, their catalogue time standards summed).

staff.csv's 工种 column is matched with the item's category in catalog.yaml (power, water, civil) by
TRADES: 电→power, 水→water, 水电→both, 土建/木/泥/油漆→civil, 综合→all; a category of catalog.yaml may
name words of its own (`trades: [空调工]`), which take the place of the default for those words. A cell
may hold several trades separated by / or 、 (水/土建). A technician whose trade is empty or known to
neither is of no known trade: never suggested by trade, never warned about. Reads the cache (orders/query.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from repairctl.office import registry
from repairctl.orders import lifecycle, query, standard
from repairctl.orders.records import Order
from repairctl.text import clock
from repairctl.text.i18n import _

POWER, WATER, CIVIL = "power", "water", "civil"
# The words the desk writes in 工种, and the catalogue categories each covers.
TRADES = {
    "电": {POWER}, "电工": {POWER}, "强电": {POWER}, POWER: {POWER},
    "水": {WATER}, "水工": {WATER}, "给排水": {WATER}, "管工": {WATER}, WATER: {WATER},
    "水电": {POWER, WATER}, "水电工": {POWER, WATER},
    "土建": {CIVIL}, "木": {CIVIL}, "木工": {CIVIL}, "泥": {CIVIL}, "泥工": {CIVIL}, "泥水": {CIVIL},
    "瓦工": {CIVIL}, "油漆": {CIVIL}, "油漆工": {CIVIL}, "杂工": {CIVIL}, CIVIL: {CIVIL},
    "综合": {POWER, WATER, CIVIL}, "综合维修": {POWER, WATER, CIVIL},
}


def categories(trade: str | None, own: dict | None = None) -> frozenset[str]:
    """The catalogue categories a 工种 cell covers (own: the catalogue's words, before TRADES); empty when
    the trade is empty or unknown."""
    found: set[str] = set()
    for word in registry.split(trade or ""):
        word = word.strip().lower()
        found |= (own or {}).get(word) or TRADES.get(word, set())
    return frozenset(found)


def mismatch(trade: str | None, category: str | None, own: dict | None = None) -> bool:
    """Whether a technician of this trade is of another trade than the category: known, and not covering it."""
    covered = categories(trade, own)
    return bool(category and covered and category not in covered)


def category_of(office, code: str | None) -> str | None:
    """The catalogue category of an item code; None for no code or a supplier job."""
    item = office.catalogue.items.get(str(code or "").strip().upper())
    return item.category if item is not None else None


def other_trade(office, order: Order, name: str) -> str | None:
    """The warning when name's trade (staff.csv) is not the item's category; None when it fits or is unknown."""
    trade = (registry.usable(office.root).staff or {}).get(name)
    category = category_of(office, order.get("item"))
    if not mismatch(trade, category, office.catalogue.trades):
        return None
    return _("{name}'s trade is {trade} (records/staff.csv) but {item} is {category} work; assigned anyway").format(
        name=name, trade=trade, item=order.get("item"), category=office.catalogue.categories.get(category, category))


@dataclass
class Load:
    """One technician's jobs on a day: open at its end, finished on it, and the standards they allow."""

    name: str
    trade: str = ""
    open: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    open_allowed: dt.timedelta = dt.timedelta(0)
    done_allowed: dt.timedelta = dt.timedelta(0)
    unmeasured: int = 0  # jobs whose item sets no standard (视维修部位定, checking items, unclassified)

    @property
    def jobs(self) -> int:
        """Open and done: the count that orders the suggestions."""
        return len(self.open) + len(self.done)


def _allowed(office, order: Order) -> dt.timedelta | None:
    item = office.catalogue.items.get(str(order.get("item") or "").upper())
    return standard.allowed(item, order.get("quantity")) if item is not None else None


def loads(office, day: dt.date) -> dict[str, Load]:
    """Every technician's load on day: staff.csv's (in its order, with their trade) and any other seen that day.

    Open: dispatched to them before the day's end and not finished by it, or open again (rework); cancelled,
    referred and declined orders are not. Done: first finished on the day."""
    staff = registry.usable(office.root).staff or {}
    found = {name: Load(name, trade) for name, trade in staff.items()}
    start, end = clock.day_span(day, office.tz)
    where = ("technician IS NOT NULL AND technician != '' AND received < ? AND "
             f"(status IN ({','.join('?' * len(lifecycle.OPEN))}) OR finished >= ?)")
    params = (int(end.timestamp()), *lifecycle.OPEN, int(start.timestamp()))
    for order in query.iter_orders(office, where, params):
        # a hand-edited file may name a technician with no dispatch event: its receipt stands in
        dispatched = order.time_of("assigned", last=False) or order.received
        finished = order.time_of("finished", last=False)
        if dispatched >= end:
            continue  # dispatched after the day: not yet theirs
        done = finished is not None and start <= finished < end
        # still open at the day's end: finished after it, or not finished (a job sent back for rework is open
        # again though finished before); cancelled, referred and declined orders are nobody's load
        if not done and not (order.status in lifecycle.OPEN or (finished is not None and finished >= end)):
            continue
        load = found.setdefault(order.get("technician"), Load(order.get("technician")))
        allowed = _allowed(office, order)
        (load.done if done else load.open).append(order.id)
        if allowed is None:
            load.unmeasured += 1
        elif done:
            load.done_allowed += allowed
        else:
            load.open_allowed += allowed
    return found


def suggest(office, category: str | None, day: dt.date) -> list[Load]:
    """The technicians of staff.csv whose trade covers the category (all of them with no category),
    least loaded on day first, then in staff.csv's order."""
    staff = registry.usable(office.root).staff or {}
    known = loads(office, day)
    fit = [known[name] for name, trade in staff.items() if category is None
           or category in categories(trade, office.catalogue.trades)]
    return sorted(fit, key=lambda load: load.jobs)
