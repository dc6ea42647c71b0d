"""The catalogue's work-time standard (维修时限) as a clock: from the technician's arrival to the finish.

catalog.yaml writes each item's standard in one of a few shapes (office/catalogue.py checks them):
``{minutes: N}`` (15分钟), ``{within_hours: N}`` (2小时内), ``{minutes: N, per: metre|bicycle}``
(15分钟/米, per unit: the order's ``quantity`` times N), ``{depends_on_part: true}`` (视维修部位定) and
null (no standard written: the checking items). The last two set no clock. The catalogue's own note
says the standard is for one unit in ideal conditions and for reference (仅供参考): a measure of the
work, not an obligation owed to the owner, so it is no clock of `overdue` (orders/sla.py) and is
counted only by `monthly` (reports/worktime.py).

Pure functions over an order and its catalogue item; no files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from repairctl.orders.records import Order
from repairctl.text import clock

MINUTE = dt.timedelta(minutes=1)


def per_unit(item) -> bool:
    """Whether the item's standard is per metre or per unit, so a close must give its quantity."""
    return bool(item is not None and getattr(item, "limit", None) and "per" in item.limit and "minutes" in item.limit)


def allowed(item, quantity=None) -> dt.timedelta | None:
    """The work time the standard allows for the item (times quantity when per unit); None: no standard."""
    limit = getattr(item, "limit", None) or {}
    if "within_hours" in limit:
        return dt.timedelta(hours=limit["within_hours"])
    if "minutes" not in limit:
        return None  # 视维修部位定, or nothing written
    if "per" in limit:
        if quantity is None:
            return None  # a per-unit job closed before --quantity existed: not measurable
        return dt.timedelta(minutes=float(Decimal(str(quantity)) * limit["minutes"]))
    return dt.timedelta(minutes=limit["minutes"])


@dataclass(frozen=True, slots=True)
class Standard:
    """The work-time clock of one finished order: what was allowed, what it took, and whether it was kept."""

    order_id: str
    item: str
    technician: str
    text: str  # as the catalogue prints it: 15分钟/米
    quantity: object
    allowed: dt.timedelta
    arrived: dt.datetime | None
    finished: dt.datetime | None

    def taken(self) -> dt.timedelta | None:
        """Arrival to finish, in real time (UTC); None until both are recorded."""
        if self.arrived is None or self.finished is None:
            return None
        return self.finished.astimezone(dt.UTC) - self.arrived.astimezone(dt.UTC)

    def met(self) -> bool | None:
        """True if the job took no longer than the standard allows (to the minute), None while unmeasured."""
        taken = self.taken()
        return None if taken is None else taken // MINUTE <= self.allowed / MINUTE


def arrival(order: Order) -> dt.datetime | None:
    """When the technician arrived for the visit that finished the job: the last arrival before the finish."""
    last = None
    for event in order.events:
        if event.get("action") == "arrived":
            last = clock.as_time(event.get("at"), order.tz)
        elif event.get("action") == "finished":
            break
    return last


def of(order: Order, catalogue) -> Standard | None:
    """The order's work-time clock, or None when its item has no standard (or it has no item)."""
    code = order.get("item")
    item = catalogue.items.get(str(code)) if code else None
    limit = allowed(item, order.get("quantity"))
    if limit is None:
        return None
    return Standard(order.id, item.code, str(order.get("technician") or ""), item.limit_text(),
                    order.get("quantity"), limit, arrival(order), order.time_of("finished", last=False))


def as_json(order: Order, catalogue) -> dict | None:
    """The standard as `show --format json` gives it: the catalogue's words, minutes allowed, taken, kept."""
    code = order.get("item")
    item = catalogue.items.get(str(code)) if code else None
    if item is None or not item.limit:
        return None
    found = of(order, catalogue)
    taken = found.taken() if found else None
    return {"text": item.limit_text(), "quantity": order.get("quantity"),
            "allowed_minutes": None if found is None else round(found.allowed / MINUTE, 1),
            "taken_minutes": None if taken is None else taken // MINUTE,
            "met": None if found is None else found.met()}
