"""Past months' trend rows kept in the office's derived state (``trend.json`` beside the cache), so that
the workbook's 12-month trend (trend.py) reads and judges one month of orders, not twelve, when the
earlier months have not changed.

A month's row is kept under a key made of everything it was made from: repairctl's version, the bytes
of office.yaml, catalog.yaml, suppliers.yaml and calendar.yaml, and the cache's signature (size, times, inode) of every
order file the month's figures read: those received in the calendar months its period spans, and those
of the same units first finished from the warranty before the period to its end (they decide rework).
Any change, a file edited, added or removed, gives another key, and the row is made again. A month
with a clock still open and not yet late is never kept (a later time would find it late), nor one whose
files changed in the last seconds (the cache's signature cannot yet tell a second change); a month with
open clocks already late is kept with the time the last of them became late, and used only for reports
judged at or after it.
The file is derived state like the cache: never committed, safe to delete; when it cannot be written
the rows are made every time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import tempfile
from bisect import bisect_left

import repairctl
from repairctl.orders import index
from repairctl.store import files, state

NAME, VERSION = "trend.json", 2  # 2: planned maintenance jobs are left out of a month's row


def keys(office, months: dict) -> dict:
    """Each month's key (or None: not to be kept) from {month: (lookback start, period end, calendar months)}."""
    if not months:
        return {}
    folders = sorted({c for _, _, found in months.values() for c in found})
    since = int(min(start for start, _, _ in months.values()).timestamp())
    marks = ",".join("?" * len(folders))
    rows = list(index.cache(office).select(
        f"SELECT path, sig, month, finished, unit_key FROM orders WHERE month IN ({marks}) OR finished >= ? "
        "ORDER BY path", (*folders, since)))
    by_month: dict[str, list] = {}
    for row in rows:
        by_month.setdefault(row[2], []).append(row)
    finished = sorted((row[3], row) for row in rows if row[3] is not None)
    times = [t for t, _ in finished]
    base = _settings(office)
    found = {}
    for month, (start, end, spans) in months.items():
        own = [row for c in spans for row in by_month.get(c, [])]
        units = {row[4] for row in own}
        first, last = bisect_left(times, int(start.timestamp())), bisect_left(times, int(end.timestamp()))
        earlier = [row for _, row in finished[first:last] if row[4] in units and row[2] not in spans]
        taken = sorted({(row[0], row[1]) for row in [*own, *earlier]})
        if any(sig == files.RACY or not sig for _, sig in taken):
            found[month] = None
            continue
        digest = hashlib.sha256(base)
        digest.update(json.dumps([month, taken], ensure_ascii=False).encode())
        found[month] = digest.hexdigest()
    return found


def _settings(office) -> bytes:
    """repairctl's version and the bytes of the files every figure depends on besides the orders."""
    parts = [f"{repairctl.__version__}|{VERSION}|{index.ROWS}".encode()]
    for name in ("office.yaml", "catalog.yaml", "suppliers.yaml", "calendar.yaml"):  # calendar: working-time clocks
        try:
            parts.append((office.root / name).read_bytes())
        except OSError:
            parts.append(b"")
    return b"\0".join(parts)


def holds(entry, key: str, as_of) -> bool:
    """Whether a kept entry is the row for key judged at as_of: same files, and every clock it counts as
    late already late then."""
    if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("row"), dict):
        return False
    since = entry.get("from")
    try:
        return since == "" or (isinstance(since, str) and as_of >= dt.datetime.fromisoformat(since))
    except ValueError:
        return False


def load(office) -> dict:
    """The kept rows, {month: {key, row}}; none when the file is missing or unreadable."""
    try:
        kept = json.loads((state.folder(office.root) / NAME).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return kept if isinstance(kept, dict) else {}


def save(office, kept: dict) -> None:
    """Keep the rows (written whole and renamed into place); a folder that cannot be written keeps nothing."""
    with contextlib.suppress(OSError):
        folder = state.folder(office.root)
        fd, name = tempfile.mkstemp(prefix=".trend-", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(kept, handle, ensure_ascii=False)
        os.replace(name, folder / NAME)
