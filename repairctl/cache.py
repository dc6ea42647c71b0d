"""A derived cache of parsed orders, so commands stay instant at 100,000 order files.

It lives in ``.repairctl/cache.sqlite``: never committed, safe to delete (it is rebuilt,
and no answer changes). Each refresh re-reads exactly the files that changed, whoever
changed them. In a git repository git says which: the files that differ between the
commit the cache last saw and HEAD (a commit, a `git pull`, a checkout of an old
commit) plus those git status reports (a hand edit, a killed command). Outside git,
each file's size, mtime, ctime and inode are compared. A first build parses the files
on every core. A corrupt cache file is deleted and rebuilt without a word.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from repairctl import gitlog, records, yamlio
from repairctl.errors import FileError, OfficeError, Problem, RepairError

VERSION = "5"  # bump when a row's meaning changes: old caches are then rebuilt
ORDERS = "records/orders"
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
"""
PARALLEL_FROM = 200  # fewer changed files than this are parsed in-process


def unit_key(unit) -> str:
    """A unit as the desk compares them: '3栋 1201' and '3栋1201' are one unit."""
    return "".join(str(unit or "").split())


def _context(office) -> str:
    # what every row depends on besides its own file: the code's version, timezone, service
    # levels (the due times of the open clocks) and catalogue
    levels = json.dumps(office.config.get("service_levels"), sort_keys=True, default=str)
    digest = hashlib.sha1(f"{VERSION}|{office.config.get('timezone')}|{levels}".encode())
    for name in ("catalog.yaml", "suppliers.yaml"):
        digest.update((office.root / name).read_bytes())
    return digest.hexdigest()


# --- parsing: one file into one row (runs in worker processes for a cold build) ---------------

_worker: dict = {}


def _init_worker(root: str) -> None:
    # the rules and the clocks are imported only when files are read
    from repairctl import sla, validate
    from repairctl.office import load_office

    office = load_office(Path(root))
    _worker.update(root=office.root, tz=office.tz, catalogue=office.catalogue, levels=sla.levels(office.config),
                   check=validate.check_order_data, obligations=sla.obligations)


def _row(relpath: str) -> tuple[tuple, list[tuple]]:
    """The cache row of one order file (identity, query columns, data, problems) and its open clocks."""
    root, tz = _worker["root"], _worker["tz"]
    path = root / relpath
    try:
        sig = _signature(path)
        data = yamlio.load_fast(path)
    except OfficeError as exc:
        where = exc.problem if isinstance(exc, FileError) else Problem(path, 1, 1, str(exc).removeprefix(f"{path}: "))
        return (relpath, "", None, None, None, None, None, None, None, None, None, None, None,
                json.dumps([where.line, where.column, where.message])), []
    findings = json.dumps([[list(f.keys), f.message] for f in
                           _worker["check"](data, path, tz, _worker["catalogue"])], ensure_ascii=False)
    if not isinstance(data, dict):
        return (relpath, sig, None, None, None, None, None, None, None, None, None, None, findings, None), []
    order = records.Order(path, data, tz)
    try:
        received, finished = order.received, order.time_of("finished", last=False)
        clocks = [(relpath, ob.order_id, ob.unit, ob.kind, int(ob.due.timestamp()), ob.due.isoformat(), ob.holder,
                   ob.what, int(ob.grace.total_seconds()))
                  for ob in _worker["obligations"](order, _worker["levels"]) if ob.done is None]
    except (ValueError, TypeError, AttributeError):  # a broken file: `check` reports it; queries skip it
        received, finished, clocks = None, None, []
    order_id = str(data.get("id") or "")
    series = records.ID_RE.match(order_id)
    row = (relpath, sig, order_id, order.status, f"{received:%Y-%m}" if received else None,
           unit_key(data.get("unit")), int(finished.timestamp()) if finished else None,
           series["site"] if series else None, int(series["number"]) if series else None,
           int(received.timestamp()) if received else None, _text(data.get("technician")),
           json.dumps(data, ensure_ascii=False, default=str), findings, None)
    return row, clocks


def _text(value) -> str | None:
    return None if value is None else str(value).strip()


def _rows(office, relpaths: list[str]) -> Iterator[tuple[tuple, list[tuple]]]:
    if not relpaths:
        return
    if len(relpaths) < PARALLEL_FROM:
        _init_worker(str(office.root))
        yield from map(_row, relpaths)
        return
    from concurrent.futures import (
        ProcessPoolExecutor,  # 15 ms of imports: only a big refresh pays
    )

    with ProcessPoolExecutor(os.cpu_count() or 1, initializer=_init_worker, initargs=(str(office.root),)) as pool:
        yield from pool.map(_row, relpaths, chunksize=256)


# --- keeping the rows true ------------------------------------------------------------------------


def _is_order_path(relpath: str) -> bool:
    """records/orders/YYYY/MM/NAME.yaml, with the same folder rule records.month_dirs uses."""
    parts = relpath.split("/")
    return (len(parts) == 5 and "/".join(parts[:2]) == ORDERS and parts[2].isdigit() and parts[3].isdigit()
            and parts[4].endswith(".yaml") and not parts[4].startswith("."))


def _update(con: sqlite3.Connection, office, relpaths) -> None:
    """Re-read the named files: parse those that exist, forget those that are gone."""
    present, gone = [], []
    for relpath in sorted(set(filter(_is_order_path, relpaths))):
        (present if (office.root / relpath).is_file() else gone).append(relpath)
    con.executemany("DELETE FROM orders WHERE path = ?", [(p,) for p in gone])
    con.executemany("DELETE FROM clocks WHERE path = ?", [(p,) for p in gone + present])
    for row, clocks in _rows(office, present):
        con.execute("INSERT OR REPLACE INTO orders VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", row)
        con.executemany("INSERT INTO clocks VALUES (?,?,?,?,?,?,?,?,?)", clocks)


def _all_paths(office) -> list[str]:
    return [str(p.relative_to(office.root)) for p in records.order_files(office.orders_dir)]


def _forget_all(con) -> None:
    con.execute("DELETE FROM orders")
    con.execute("DELETE FROM clocks")


def _refresh_by_git(con, office, commit: str, prefix: str, thorough: bool) -> None:
    meta = dict(con.execute("SELECT key, value FROM meta"))
    base, was_dirty = meta.get("base"), json.loads(meta.get("dirty", "[]"))
    watched = json.loads(meta.get("watched", "{}"))
    strip = len(prefix)
    between = gitlog.changed_between(office.root, base, commit, ORDERS) if base and base != commit else []
    if base is None or between is None:  # a first build, or the old commit is gone (a rewritten history)
        _forget_all(con)
        _update(con, office, _all_paths(office))
        was_dirty = []
        watched = {p[strip:]: _signature(office.root / p[strip:]) for p in gitlog.untracked(office.root, ORDERS)}
    else:
        committed = [path[strip:] for _, path in between]
        _update(con, office, committed)
        for status, path in between:
            if status == "D" and (office.root / path[strip:]).is_file():
                watched[path[strip:]] = ""  # left out of HEAD but still here (git reset HEAD~1): untracked now
            else:
                watched.pop(path[strip:], None)  # committed: git follows it from here on
    # Files git does not track yet (copied in by hand) are not in `git status -uno`: a folder whose
    # mtime moved is listed again, and files found that way are watched by their metadata.
    appeared, folders = _changed_folders(con, office, json.loads(meta.get("folders", "{}")))
    watched.update({path: "" for path in appeared})
    moved = [path for path, sig in watched.items() if _signature(office.root / path) != sig]
    dirty = was_dirty
    if thorough:  # tracked files changed since last read, or dirty then and clean now: read again
        dirty = [p[strip:] for p in gitlog.uncommitted(office.root, ORDERS)]
    _update(con, office, set(appeared) | set(moved) | (set(dirty) | set(was_dirty) if thorough else set()))
    watched = {path: _signature(office.root / path) for path in watched if (office.root / path).is_file()}
    after = {"base": commit, "dirty": json.dumps(dirty), "watched": json.dumps(watched), "folders": json.dumps(folders)}
    changed = [(key, value) for key, value in after.items() if meta.get(key) != value]
    con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", changed)  # nothing written when nothing moved


def _signature(path: Path) -> str:
    """What changes whenever a file's content does: size, mtime, ctime (which no one can set back), inode."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return ""
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}"


def _changed_folders(con, office, before: dict) -> tuple[set[str], dict]:
    """Files that appeared in or vanished from month folders whose mtime moved, and the folders' mtimes now."""
    now, changed = {}, set()
    for month in records.month_dirs(office.orders_dir):
        folder = str(month.relative_to(office.root))
        now[folder] = month.stat().st_mtime_ns
        if before.get(folder) != now[folder]:
            listed = {f"{folder}/{entry.name}" for entry in os.scandir(month)}
            known = {path for (path,) in con.execute("SELECT path FROM orders WHERE path GLOB ?", (f"{folder}/*",))}
            changed |= {path for path in listed ^ known if _is_order_path(path)}
    for folder in before.keys() - now.keys():  # a whole month folder removed
        changed |= {path for (path,) in con.execute("SELECT path FROM orders WHERE path GLOB ?", (f"{folder}/*",))}
    return changed, now


def _refresh_by_stat(con, office) -> None:
    known = dict(con.execute("SELECT path, sig FROM orders"))
    changed = []
    for relpath in _all_paths(office):
        if known.pop(relpath, None) != _signature(office.root / relpath):
            changed.append(relpath)
    _update(con, office, changed + list(known))  # what is left in known is gone


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
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.executescript(SCHEMA)
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
                        _refresh_by_git(con, office, commit, prefix, thorough)
                    else:
                        _refresh_by_stat(con, office)
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
    from repairctl.sla import Obligation

    rows = _select(office, "SELECT order_id, unit, kind, due, holder, what, grace FROM clocks WHERE due_epoch <= ?",
                   (int(until.timestamp()),))
    # due was stored in office time with its offset: read back as it is (astimezone costs 10 ms a 5,000)
    return [Obligation(order_id, unit, kind, dt.datetime.fromisoformat(due), None, holder, what,
                       grace=dt.timedelta(seconds=grace)) for order_id, unit, kind, due, holder, what, grace in rows]


def problems(office) -> Iterator[tuple[Path, list, Problem | None]]:
    """For each file with problems: its path, its findings, and the error that kept it from being read."""
    from repairctl.validate import Finding

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
