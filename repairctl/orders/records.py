"""Order files: where they live, how IDs are made, and a read-only view of one order.

An order is ``records/orders/YYYY/MM/<ID>.yaml``, filed under the month it was
received. IDs are ``<SITE>-<NNNNNN>``: one numbered series per office (the stub
numbering of 000 §4), prefixed by the site code so merged offices never collide.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from repairctl.text import clock
from repairctl.store import yamlio
from repairctl.errors import NotFound, OfficeError, RepairError

ID_RE = re.compile(r"^(?P<site>[A-Z][A-Z0-9]{0,9})-(?P<number>\d{6,})$")


def check_id(text: str) -> str:
    """Return text as an order ID (upper-cased), or raise if it cannot be one."""
    candidate = text.strip().upper()
    if not ID_RE.match(candidate):
        raise RepairError(f"{text!r} is not an order ID; IDs look like HQ-000123")
    return candidate


def order_path(orders_dir: Path, order_id: str, received: dt.datetime) -> Path:
    """Where the order with this ID, received at this time, is filed."""
    return orders_dir / f"{received:%Y}" / f"{received:%m}" / f"{order_id}.yaml"


def month_dirs(orders_dir: Path) -> list[Path]:
    """Every YYYY/MM folder of orders, oldest first."""
    if not orders_dir.is_dir():
        return []
    return sorted(
        month
        for year in os.scandir(orders_dir)
        if year.is_dir() and year.name.isdigit()
        for month in map(Path, os.scandir(year.path))
        if month.is_dir() and month.name.isdigit()
    )


def order_files(orders_dir: Path) -> Iterator[Path]:
    """Every order file, oldest month first."""
    for month in month_dirs(orders_dir):
        yield from sorted(month.glob("*.yaml"))


def locate(orders_dir: Path, order_id: str) -> Path:
    """The file of an order, found by ID alone."""
    order_id = check_id(order_id)
    found = [month / f"{order_id}.yaml" for month in month_dirs(orders_dir) if (month / f"{order_id}.yaml").is_file()]
    if not found:
        raise NotFound(f"no order {order_id} in {orders_dir}; `repairctl list` shows the orders")
    if len(found) > 1:
        raise OfficeError(f"order {order_id} is filed twice: {found[0]} and {found[1]}; keep one")
    return found[0]


def next_id(orders_dir: Path, site: str) -> str:
    """The next free ID of this office's series (call it under the office lock)."""
    return next_ids(orders_dir, site, 1)[0]


def _highest(months: list[Path], site: str) -> int:
    highest, prefix = 0, f"{site}-"
    for month in months:
        for entry in os.scandir(month):
            match = ID_RE.match(entry.name.removesuffix(".yaml"))
            if match and entry.name.startswith(prefix):
                highest = max(highest, int(match["number"]))
    return highest


# see signature(); REPAIRCTL_RACY_SECONDS, read once, gives another window (the tests shorten it)
RACY, RACY_NS = "racy", int(clock.seconds_setting("REPAIRCTL_RACY_SECONDS", 2) * 1_000_000_000)


def signature(path: Path, *, kept: bool = False) -> str:
    """What changes whenever a file's content does: size, mtime, ctime (which no one can set back), inode.

    kept: the signature to store for a file about to be read. A file changed in the last seconds
    gets RACY, which matches nothing, so it is read again next time: a same-size write in the
    same clock tick as the read would leave every field as it was (git's "racily clean" files).
    """
    try:
        stat = path.stat()
    except FileNotFoundError:
        return ""
    if kept and time.time_ns() - stat.st_ctime_ns < RACY_NS:
        return RACY
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}"


def next_ids(orders_dir: Path, site: str, count: int, known_highest: int | None = None) -> list[str]:
    """The next count free IDs of the office's series (call it under the office lock).

    known_highest (from the cache) spares listing every folder; the two newest folders are
    still listed, and every candidate is checked free in all of them, so an ID is never reused.
    """
    months = month_dirs(orders_dir)
    if known_highest is None:
        highest = _highest(months, site)
    else:
        highest = max(known_highest, _highest(months[-2:], site))
    ids, number = [], highest
    while len(ids) < count:
        number += 1
        candidate = f"{site}-{number:06d}"
        if not any((month / f"{candidate}.yaml").exists() for month in months):
            ids.append(candidate)
    return ids


def unit_key(unit) -> str:
    """A unit as the desk compares them: '3栋 1201' and '3栋1201' are one unit."""
    return "".join(str(unit or "").split())


def money(value) -> Decimal:
    """An amount from a file or the command line, as an exact decimal."""
    return Decimal(str(value or 0))


@dataclass
class Order:
    """A read-only view of one order file's data."""

    path: Path
    data: dict
    tz: dt.tzinfo

    def get(self, key: str, default=None):
        """A field of the file, or default when it is absent."""
        return self.data.get(key, default)

    @property
    def id(self) -> str:
        return str(self.data.get("id", ""))

    @property
    def status(self) -> str:
        return str(self.data.get("status", ""))

    @property
    def events(self) -> list[dict]:
        return list(self.data.get("events") or [])

    def time_of(self, action: str, *, last: bool = True) -> dt.datetime | None:
        """When the named event happened (the last one, or the first)."""
        times = [clock.as_time(e.get("at"), self.tz) for e in self.events if e.get("action") == action]
        if not times:
            return None
        return times[-1] if last else times[0]

    @property
    def received(self) -> dt.datetime | None:
        return self.time_of("received", last=False)

    @property
    def appointment_time(self) -> dt.datetime | None:
        return clock.as_time(self.data.get("appointment"), self.tz)

    @property
    def materials_list(self) -> list[dict]:
        return list(self.data.get("materials") or [])

    @property
    def materials_total(self) -> Decimal:
        return sum((money(m.get("qty")) * money(m.get("unit_price")) for m in self.materials_list), Decimal(0))

    @property
    def waived(self) -> Decimal:
        return money((self.data.get("waiver") or {}).get("amount"))

    @property
    def amount_due(self) -> Decimal:
        """What the owner pays: the settled fee if the supervisor set one, else materials + labour - waiver."""
        if self.data.get("fee_settled") is not None:
            return money(self.data["fee_settled"])
        return max(self.materials_total + money(self.data.get("labour")) - self.waived, Decimal(0))


def read(path: Path, tz: dt.tzinfo) -> Order:
    """Load one order file for reading."""
    data = yamlio.load_fast(path)
    if not isinstance(data, dict):
        raise OfficeError(f"{path}: not an order (expected a mapping with id, status and events)")
    return Order(path, data, tz)


def read_all(orders_dir: Path, tz: dt.tzinfo) -> list[Order]:
    """Every order of the office."""
    return [read(path, tz) for path in order_files(orders_dir)]
