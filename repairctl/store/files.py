"""Order files on disk: where they live, and how a change to one is noticed.

An order is ``records/orders/YYYY/MM/<NAME>.yaml``, filed under the month it was received.
This module holds that folder rule once; what a file holds is the orders layer's business.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

from repairctl.text import clock

ORDERS = "records/orders"  # where order files live, from the office folder
COMPLAINTS = "records/complaints"  # where complaint files live, filed as orders are (orders/complaints.py)
STATE = ".repairctl"  # derived state (lock, journal, cache, remembered parses): never committed


def is_month(year: str, month: str) -> bool:
    """Whether year/month names a month folder of orders (the one folder rule)."""
    return year.isdigit() and month.isdigit()


def is_order_path(relpath: str, folder: str = ORDERS) -> bool:
    """Whether a path from the office folder is an order file: records/orders/YYYY/MM/NAME.yaml (or a record
    filed the same way in another folder of records/, such as records/complaints)."""
    parts = relpath.split("/")
    return (len(parts) == 5 and "/".join(parts[:2]) == folder and is_month(parts[2], parts[3])
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


def order_relpaths(root: Path, folder: str) -> list[str]:
    """order_files' files as paths from root (folder/YYYY/MM/NAME.yaml), oldest month first: made as strings,
    since a first build lists 100,000 of them and pathlib's relative_to cost a second."""
    found = []
    for month in month_dirs(root / folder):
        prefix = f"{folder}/{month.parent.name}/{month.name}/"
        found += sorted(prefix + entry.name for entry in os.scandir(month)
                        if entry.name.endswith(".yaml") and not entry.name.startswith("."))
    return found


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


TEMP = re.compile(r"^\..+\.\d+-[0-9a-f]{8}\.tmp$")  # write_atomic's temporary files


def leftover_temps(root: Path) -> list[Path]:
    """Temporary files of write_atomic that a killed command left in the office folder (the file each
    was to replace is as it was before)."""
    folders = [root, root / "records", *month_dirs(root / ORDERS), *month_dirs(root / COMPLAINTS)]
    return sorted(Path(entry.path) for folder in folders if folder.is_dir()
                  for entry in os.scandir(folder) if TEMP.match(entry.name))


def strays(root: Path, records: str = ORDERS) -> tuple[list[str], dict[str, int]]:
    """Files under the orders folder that are not order files by the folder rule (is_order_path), so
    that no read sees them (leftovers of write_atomic and .gitkeep files aside), as paths from root;
    and the mtime of every folder that is not a month folder (the orders folder, the years, any
    other), which change when such a file comes or goes there."""
    found, folders = [], {}
    for folder, dirs, names in os.walk(root / records):
        dirs.sort()
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        in_a_month = is_order_path(f"{relative}/ID.yaml", records)  # judged once a folder, not once a file
        if not in_a_month:
            folders[relative] = os.stat(folder).st_mtime_ns
        found += [f"{relative}/{name}" for name in sorted(names) if is_stray(name, in_a_month)]
    return found, folders


def is_stray(name: str, in_a_month: bool) -> bool:
    """Whether a file called name, in a month folder or another folder under the orders folder, is no order."""
    if name.startswith("."):
        return name != ".gitkeep" and not TEMP.match(name)
    return not (in_a_month and name.endswith(".yaml"))


def write_atomic(path: Path, text: str | bytes, *, exclusive: bool = False) -> None:
    """Write text (UTF-8) or bytes to path through a temporary file; with exclusive, fail if path exists."""
    path = Path(path)
    # a name no other writer picks, created with O_EXCL (tempfile's mkstemp, without its 3 ms import)
    tmp = path.parent / f".{path.name}.{os.getpid()}-{os.urandom(4).hex()}.tmp"  # TEMP matches it
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        # the umask would narrow a replaced file's mode: an order stays as readable as it was
        os.fchmod(fd, _file_mode(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            os.link(tmp, path)  # atomic, and refuses to replace an existing file
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.filename is None:  # a write or fsync that failed: name the file
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise


def _file_mode(path: Path) -> int:
    """The mode of the file being replaced, else the mode a new file gets under the umask."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
