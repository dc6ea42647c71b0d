"""Order files on disk: where they live, and how a change to one is noticed.

An order is ``records/orders/YYYY/MM/<NAME>.yaml``, filed under the month it was received.
This module holds that folder rule once; what a file holds is the orders layer's business.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Iterator

ORDERS = "records/orders"  # where order files live, from the office folder


def is_month(year: str, month: str) -> bool:
    """Whether year/month names a month folder of orders (the one folder rule)."""
    return year.isdigit() and month.isdigit()


def is_order_path(relpath: str) -> bool:
    """Whether a path from the office folder is an order file: records/orders/YYYY/MM/NAME.yaml."""
    parts = relpath.split("/")
    return (len(parts) == 5 and "/".join(parts[:2]) == ORDERS and is_month(parts[2], parts[3])
            and parts[4].endswith(".yaml") and not parts[4].startswith("."))


def order_path(orders_dir: Path, name: str, received: dt.datetime) -> Path:
    """Where the order called name, received at this time, is filed."""
    return orders_dir / f"{received:%Y}" / f"{received:%m}" / f"{name}.yaml"


def month_dirs(orders_dir: Path) -> list[Path]:
    """Every YYYY/MM folder of orders, oldest first."""
    if not orders_dir.is_dir():
        return []
    return sorted(
        Path(month.path)
        for year in os.scandir(orders_dir)
        if year.is_dir()
        for month in os.scandir(year.path)
        if is_month(year.name, month.name) and month.is_dir()
    )


def order_files(orders_dir: Path) -> Iterator[Path]:
    """Every order file, oldest month first."""
    for month in month_dirs(orders_dir):
        yield from sorted(path for path in month.glob("*.yaml") if not path.name.startswith("."))


RACY, RACY_NS = "racy", 2_000_000_000  # see signature()


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
