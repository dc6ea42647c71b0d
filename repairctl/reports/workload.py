"""The technicians' load (`workload`) and the dispatch suggestions of `assign ID` without --to, as text or JSON.

The counting is orders/trades.py's; here only how it is shown.
"""

from __future__ import annotations

import datetime as dt

from repairctl.office import registry
from repairctl.orders import trades
from repairctl.text import cjk
from repairctl.text.i18n import _


def minutes(span: dt.timedelta) -> int:
    """A summed standard in whole minutes."""
    return int(span.total_seconds() // 60)


def rows(office, day: dt.date) -> list[dict]:
    """One row per technician: trade, open and done jobs with their standards in minutes; for JSON."""
    return [{"technician": load.name, "trade": load.trade, "open": len(load.open), "done": len(load.done),
             "open_minutes": minutes(load.open_allowed), "done_minutes": minutes(load.done_allowed),
             "unmeasured": load.unmeasured, "open_ids": load.open, "done_ids": load.done}
            for load in trades.loads(office, day).values()]


def table(day: dt.date, found: list[dict]) -> str:
    """The terminal table of `workload`."""
    if not found:
        return _("no technician in records/staff.csv and no job dispatched on {day}").format(day=day)
    head = (_("technician"), _("trade"), _("open"), _("open minutes"), _("done"), _("done minutes"), _("no standard"))
    lines = [[r["technician"], r["trade"] or "-", str(r["open"]), str(r["open_minutes"]), str(r["done"]),
              str(r["done_minutes"]), str(r["unmeasured"])] for r in found]
    title = _("workload on {day} (open at the day's end, done on the day; minutes: the catalogue's time "
              "standards summed)").format(day=day)
    return title + "\n" + cjk.table(list(head), lines)


def for_order(office, order_id: str, item: str | None = None) -> str:
    """What `assign ID [--item CODE]` without --to prints: the technicians of the item's trade, least loaded today
    first (the item given, else the order's)."""
    from repairctl.orders import query, reading, records

    order = query.stored_order(office, path := records.locate(office.orders_dir, order_id)) or reading.read(
        path, office.tz)
    if item:
        office.catalogue.lookup(item)  # an unknown code is refused as `assign --to` refuses it
    code = item or order.get("item")
    return suggestion(office, order, code, trades.category_of(office, code), office.now().date())


def suggestion(office, order, item: str | None, category: str | None, day: dt.date) -> str:
    """The technicians of the category (every one with none), least loaded on day first, and how to assign."""
    if registry.usable(office.root).staff is None:
        return _("no records/staff.csv, so no trades to match; nothing was changed. Assign with "
                 "`repairctl assign {id} --to NAME`").format(id=order.id)
    found = trades.suggest(office, category, day)
    if category is None:
        head = _("{id} has no catalogue item, so every technician is listed, least loaded today first:").format(
            id=order.id)
    elif not found:
        return _("no technician in records/staff.csv has the trade of {item} ({category}); nothing was changed. "
                 "Assign with `repairctl assign {id} --to NAME`").format(
                     item=item, category=office.catalogue.categories.get(category, category), id=order.id)
    else:
        head = _("{id} {item} ({category}): its technicians, least loaded today first:").format(
            id=order.id, item=item, category=office.catalogue.categories.get(category, category))
    lines = [head]
    for load in found:
        lines.append("  " + _("{name} ({trade}): {open} open, {done} done today").format(
            name=load.name, trade=load.trade or "-", open=len(load.open), done=len(load.done)))
    lines.append(_("nothing was changed; assign with `repairctl assign {id} --to NAME`").format(id=order.id))
    return "\n".join(lines)
