"""A derived cache of parsed orders, so commands stay instant at 100,000 order files.

It lives in ``.repairctl/cache.sqlite``: never committed, safe to delete (it is rebuilt,
and no answer changes). Before answering, it re-reads exactly the files that changed,
whoever changed them (refresh.py says how). A corrupt cache file is deleted and rebuilt
without a word. This module holds the schema, the refresh under a lock, and the queries.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from repairctl.orders import records
from repairctl.errors import Problem, RepairError
from repairctl.store.yamlio import READER

VERSION = f"5.{READER}"  # bump when a row's meaning changes (or the reader's): old caches are then rebuilt
SCHEMA_VERSION = 2  # of the tables below; user_version in the file says which one it has
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS orders (
    path TEXT PRIMARY KEY, sig TEXT, id TEXT, status TEXT, month TEXT, unit_key TEXT, finished INTEGER,
    site TEXT, number INTEGER, received INTEGER, technician TEXT, data TEXT, findings TEXT, error TEXT);
CREATE TABLE IF NOT EXISTS clocks (
    path TEXT, order_id TEXT, unit TEXT, kind TEXT, due_epoch INTEGER, due TEXT, holder TEXT, what TEXT,
    grace INTEGER);
CREATE INDEX IF NOT EXISTS clocks_due ON clocks (due_epoch);
CREATE INDEX IF NOT EXISTS clocks_path ON clocks (path);
CREATE INDEX IF NOT EXISTS orders_month ON orders (month);
CREATE INDEX IF NOT EXISTS orders_unit ON orders (unit_key);
CREATE INDEX IF NOT EXISTS orders_finished ON orders (finished);
CREATE INDEX IF NOT EXISTS orders_series ON orders (site, number);
CREATE INDEX IF NOT EXISTS orders_received ON orders (received, id);
CREATE INDEX IF NOT EXISTS orders_unreadable ON orders (path) WHERE data IS NULL;
"""


def _context(office) -> str:
    # what every row depends on besides its own file: the code's version, timezone, service
    # levels (the due times of the open clocks) and catalogue. Kept whole, not hashed: a few
    # kilobytes, compared exactly, and no hashlib to import (6 ms)
    levels = json.dumps(office.config.get("service_levels"), sort_keys=True, default=str)
    files = [(office.root / name).read_bytes().decode("latin-1") for name in ("catalog.yaml", "suppliers.yaml")]
    return "\n".join([f"{VERSION}|{office.config.get('timezone')}|{levels}", *files])


@contextmanager
def _locked(office) -> Iterator[None]:
    state = office.root / ".repairctl"
    state.mkdir(exist_ok=True)
    with open(state / "cache.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # two commands at once: one refreshes, the other waits
        yield


def _open(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, timeout=30)
    # derived data: a crash may lose the last refresh (it is redone) but WAL never leaves it torn,
    # and no refresh waits for the disk
    con.execute("PRAGMA synchronous=NORMAL")
    if con.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:  # a new file, or an older layout
        con.execute("PRAGMA journal_mode=WAL")
        con.executescript("DROP TABLE IF EXISTS orders; DROP TABLE IF EXISTS clocks; DROP TABLE IF EXISTS meta;")
        con.executescript(SCHEMA)
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return con


def connect(office, *, thorough: bool = True) -> sqlite3.Connection:
    """An up-to-date cache, refreshed once per office object (one command).

    thorough=False trusts uncommitted files as last seen, sparing `new` a git status.
    """
    fresh = office.__dict__.get("_cache")
    if fresh and (fresh[1] or not thorough):
        return fresh[0]
    con = _refreshed(office, thorough)
    office.__dict__["_cache"] = (con, thorough)
    return con


def _refreshed(office, thorough: bool) -> sqlite3.Connection:
    from repairctl.store import refresh

    path = office.root / ".repairctl" / "cache.sqlite"
    with _locked(office):
        for attempt in (1, 2):
            con = None
            try:
                con = _open(path)
                with con:
                    context = _context(office)
                    if dict(con.execute("SELECT key, value FROM meta")).get("context") != context:
                        con.execute("DELETE FROM orders")
                        con.execute("DELETE FROM clocks")
                        con.execute("DELETE FROM meta")
                        con.execute("INSERT INTO meta VALUES ('context', ?)", (context,))
                    commit, prefix = office.git_head or (None, "")
                    if commit:
                        refresh.by_git(con, office, commit, prefix, thorough)
                    else:
                        refresh.by_stat(con, office)
                return con
            except sqlite3.DatabaseError:
                if con is not None:
                    con.close()
                if attempt == 2:
                    raise RepairError(f"{path}: the cache cannot be rebuilt; delete the file and retry") from None
                _discard(office)  # corrupt: derived data, so start again
    raise AssertionError("unreachable")


# --- queries --------------------------------------------------------------------------------------


def _discard(office) -> None:
    """Forget a damaged cache: the connection, the file and its write-ahead log."""
    fresh = office.__dict__.pop("_cache", None)
    if fresh:
        fresh[0].close()
    base = office.root / ".repairctl" / "cache.sqlite"
    for path in (base, base.with_name(base.name + "-wal"), base.with_name(base.name + "-shm")):
        path.unlink(missing_ok=True)


def _select(office, sql: str, params: tuple = (), *, thorough: bool = True) -> Iterator[tuple]:
    """The rows of a query on an up-to-date cache, a batch at a time; a damaged cache is rebuilt and asked again."""
    for attempt in (1, 2):
        try:
            cursor = connect(office, thorough=thorough).execute(sql, params)
            batch = cursor.fetchmany(1000)
            break
        except sqlite3.DatabaseError:
            _discard(office)
            if attempt == 2:
                raise RepairError("the cache in .repairctl/ cannot be rebuilt; delete .repairctl/cache.sqlite and retry") from None
    while batch:
        yield from batch
        try:
            batch = cursor.fetchmany(1000)
        except sqlite3.DatabaseError:  # damaged past the first rows, after some were already printed
            _discard(office)
            raise RepairError("the cache in .repairctl/ was damaged and has been removed; run the command again") from None


def iter_orders(office, where: str = "1", params: tuple = (), *, thorough: bool = True) -> Iterator[records.Order]:
    """The cached orders matching an SQL condition on the indexed columns, oldest first, one at a time
    (100,000 orders never sit in memory at once)."""
    rows = _select(office, f"SELECT path, data FROM orders WHERE data IS NOT NULL AND ({where}) "
                           "ORDER BY received IS NULL, received, id", params, thorough=thorough)
    for path, data in rows:
        yield records.Order(office.root / path, json.loads(data), office.tz)


def orders(office, where: str = "1", params: tuple = (), *, thorough: bool = True) -> list[records.Order]:
    """The cached orders matching an SQL condition on the indexed columns, oldest first."""
    return list(iter_orders(office, where, params, thorough=thorough))


def open_clocks(office, until) -> list:
    """Every open clock of the office due by `until` (late ones included), as obligations."""
    from repairctl.orders.sla import Obligation

    rows = _select(office, "SELECT order_id, unit, kind, due, holder, what, grace FROM clocks WHERE due_epoch <= ?",
                   (int(until.timestamp()),))
    # due was stored in office time with its offset: read back as it is (astimezone costs 10 ms a 5,000)
    return [Obligation(order_id, unit, kind, dt.datetime.fromisoformat(due), None, holder, what,
                       grace=dt.timedelta(seconds=grace)) for order_id, unit, kind, due, holder, what, grace in rows]


def stored_order(office, path: Path) -> records.Order | None:
    """The order in one file as the cache holds it, when the file is still as it was read (same
    signature); else None. Never refreshes or writes the cache: `show` pays one stat and one row."""
    base = office.root / ".repairctl" / "cache.sqlite"
    if not base.is_file():
        return None
    try:
        con = sqlite3.connect(f"{base.as_uri()}?mode=ro", uri=True)
        try:
            if con.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                return None
            (context,) = con.execute("SELECT value FROM meta WHERE key = 'context'").fetchone() or ("",)
            row = con.execute("SELECT sig, data FROM orders WHERE path = ?",
                              (str(path.relative_to(office.root)),)).fetchone()
        finally:
            con.close()
    except (sqlite3.Error, ValueError):
        return None  # no cache yet, an older or damaged one: the caller reads the file
    if not context.startswith(f"{VERSION}|") or row is None or row[1] is None or row[0] != records.signature(path):
        return None
    return records.Order(path, json.loads(row[1]), office.tz)


def problems(office) -> Iterator[tuple[Path, list, Problem | None]]:
    """For each file with problems: its path, its findings, and the error that kept it from being read."""
    from repairctl.orders.validate import Finding

    query = "SELECT path, findings, error FROM orders WHERE error IS NOT NULL OR findings != '[]' ORDER BY path"
    for path, findings, error in _select(office, query):
        found = [Finding(tuple(keys), message) for keys, message in json.loads(findings or "[]")]
        yield office.root / path, found, Problem(office.root / path, *json.loads(error)) if error else None


def twice_used_ids(office) -> dict[str, list[Path]]:
    """The files of each order ID that more than one file claims."""
    query = ("SELECT id, path FROM orders WHERE id IN (SELECT id FROM orders WHERE id != '' GROUP BY id "
             "HAVING COUNT(*) > 1) ORDER BY id, path")
    groups: dict[str, list[Path]] = {}
    for order_id, path in _select(office, query):
        groups.setdefault(order_id, []).append(office.root / path)
    return groups


def unreadable(office) -> int:
    """How many order files could not be read (queries leave them out; `check` names them)."""
    return next(_select(office, "SELECT COUNT(*) FROM orders WHERE data IS NULL"))[0]


def highest_number(office, site: str) -> int:
    """The highest number of the site's ID series among the cached orders (committed changes seen)."""
    return next(_select(office, "SELECT MAX(number) FROM orders WHERE site = ?", (site,), thorough=False))[0] or 0
