"""Orders as the desk knows them: how IDs are made and found, and a read-only view of one order.

An order is ``records/orders/YYYY/MM/<ID>.yaml``, filed under the month it was
received (store/files.py holds that folder rule). IDs are ``<SITE>-<NNNNNN><DESK>``: one numbered series per
office (the stub numbering of 000 §4), prefixed by the site code so merged offices never collide, and ended by
the desk letter of the clone that issued it (office/desks.py; none at an office no other clone shares), so two
clones working offline never issue the same ID (docs/sharing.md).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from repairctl.errors import NotFound, OfficeError, RepairError
from repairctl.store.files import month_dirs
from repairctl.text import clock, money
from repairctl.text.i18n import N_, _

ID_RE = re.compile(r"^(?P<site>[A-Z][A-Z0-9]{0,9})-(?P<number>\d{6,})(?P<desk>[A-Z]?)$")


# a planned job (计划性维修, orders/planned.py): the site, its plan and its due day, e.g. HQ-P01-20261201
PLANNED_ID = re.compile(r"^(?P<site>[A-Z][A-Z0-9]{0,9})-(?P<plan>P\d{2,4}[A-Z]?)-(?P<due>\d{8})$")
SHORT_ID = re.compile(r"^(?P<site>[A-Z][A-Z0-9]{0,9})-(?P<number>[1-9]\d{0,4})(?P<desk>[A-Z]?)$")
BARE_NUMBER = re.compile(r"(?P<number>\d+)(?P<desk>[A-Za-z]?)")  # 17, 17B: the office's own series


# the dashes a keyboard gives besides the hyphen: hyphen, non-breaking hyphen, figure dash, en and em
# dash, horizontal bar, minus, small and full-width hyphen-minus (the last two NFKC folds already)
DASHES = re.compile("[\u2010-\u2015\u2212\ufe63\uff0d]")
ID_EXPECTED = N_("IDs look like HQ-000123 or HQ-000123B (hq-123, ＨＱ－０００１２３ too), "
                 "or 123 for the office's own")


def check_id(text: str) -> str:
    """Return text as an order ID (upper-cased, full-width letters and digits and any dash folded), or raise."""
    candidate = DASHES.sub("-", unicodedata.normalize("NFKC", text)).strip().upper()
    short = SHORT_ID.match(candidate)
    if short and int(short['number']):  # HQ-17 and HQ-17B: the number as it is said, its zeros left out
        candidate = f"{short['site']}-{int(short['number']):06d}{short['desk']}"
    if not is_id(candidate):
        raise RepairError(_("{text} is not an order ID; {expected}").format(text=repr(text), expected=_(ID_EXPECTED)))
    return candidate


def typed_id(text: str, orders_dir: Path, site: str, desk: str) -> str:
    """An ID as a clerk typed it; a bare number (17) is the office's own series: the order filed with
    that number (HQ-000017, or HQ-000017B from a desk), refused when two are; else the ID this desk
    would give it."""
    bare = BARE_NUMBER.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if not bare:
        return check_id(text)
    number = bare["number"]
    if bare["desk"]:  # 17B: that desk's, whether or not it is filed yet (the command says if not)
        return check_id(f"{site}-{int(number):06d}{bare['desk']}")
    if not 0 < int(number) < 10 ** 9:
        raise RepairError(_("{text} is not an order number; {expected}").format(text=repr(text),
                                                                               expected=_(ID_EXPECTED)))
    stem = f"{site}-{int(number):06d}"
    found = sorted({path.stem for month in month_dirs(orders_dir) for path in month.glob(f"{stem}*.yaml")
                    if ID_RE.match(path.stem) and path.stem.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == stem})
    if len(found) > 1:
        raise RepairError(_("{number} is the number of {n} orders: {ids}; type the whole ID")
                          .format(number=number, n=len(found), ids=", ".join(found)))
    return found[0] if found else stem + desk


def locate(orders_dir: Path, order_id: str) -> Path:
    """The file of an order, found by ID alone."""
    order_id = check_id(order_id)
    found = [month / f"{order_id}.yaml" for month in month_dirs(orders_dir) if (month / f"{order_id}.yaml").is_file()]
    if not found:
        raise NotFound(_("no order {id} in {folder}; `repairctl list` shows the orders").format(id=order_id,
                                                                                               folder=orders_dir))
    if len(found) > 1:
        raise OfficeError(_("order {id} is filed twice: {first} and {second}; keep one")
                          .format(id=order_id, first=found[0], second=found[1]))
    return found[0]


def next_id(orders_dir: Path, site: str, desk: str = "") -> str:
    """The next free ID of this office's series (call it under the office lock)."""
    return next_ids(orders_dir, site, 1, desk=desk)[0]


def _highest(months: list[Path], site: str) -> int:
    highest, prefix = 0, f"{site}-"
    for month in months:
        for entry in os.scandir(month):
            match = ID_RE.match(entry.name.removesuffix(".yaml"))
            if match and entry.name.startswith(prefix):
                highest = max(highest, int(match["number"]))
    return highest


def next_ids(orders_dir: Path, site: str, count: int, known_highest: int | None = None, desk: str = "") -> list[str]:
    """The next count free IDs of the office's series, ending in the desk's letter (call it under the office lock).

    The numbers are one series for every desk, Lamport's clock: one above the highest any desk's ID
    has, so IDs sort by (number, desk), and by time within a desk.

    known_highest (the highest the cache and git's history know: numbering.next_ids) spares listing
    every folder; the two newest folders are still listed, and every candidate is checked free in
    all of them.
    """
    months = month_dirs(orders_dir)
    highest = _highest(months, site) if known_highest is None else max(known_highest, _highest(months[-2:], site))
    ids, number = [], highest
    while len(ids) < count:
        number += 1
        candidate = f"{site}-{number:06d}{desk}"
        if not any((month / f"{candidate}.yaml").exists() for month in months):
            ids.append(candidate)
    return ids


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
        """The order's ID; a file that lost its `id:` line (check reports it) is still known by its name."""
        return str(self.data.get("id") or self.path.stem)

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

    @cached_property  # a read-only view: the monthly figures ask each order's receipt five times over
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
        """The materials' lines, each quantity × unit price to the fen, added up."""
        return money.total((money.read(m.get("qty")), money.read(m.get("unit_price"))) for m in self.materials_list)

    @property
    def labour(self) -> Decimal:
        return money.read(self.data.get("labour"))

    @property
    def waived(self) -> Decimal:
        return money.read((self.data.get("waiver") or {}).get("amount"))

    @property
    def amount_due(self) -> Decimal:
        """What the owner pays, to the fen: the settled fee if the supervisor set one, else
        materials + labour - waiver.
        """
        if self.data.get("fee_settled") is not None:
            return money.fen(money.read(self.data["fee_settled"]))
        return money.fen(max(self.materials_total + self.labour - self.waived, Decimal(0)))


def is_id(text: str) -> bool:
    """Whether text is an order ID as the file names it: HQ-000123, HQ-000123B, or a planned job's HQ-P01-20261201."""
    return bool(ID_RE.match(text) or PLANNED_ID.match(text))
