"""Keeping the cache's rows true: which order files changed since the cache last looked, and parsing them.

In a git repository git says which files changed: the diff between the commit the cache
last saw and HEAD, and `git status -uno` for tracked files edited since. Files git does not
track are found by their month folder's mtime and then watched by their metadata. Outside
git every file's size, mtime, ctime and inode decide. Many files are parsed on every core.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Iterator

from repairctl.store import gitlog, yamlio
from repairctl.orders import records
from repairctl.errors import FileError, OfficeError, Problem
from repairctl.office.folder import ORDERS

PARALLEL_FROM = 200  # fewer changed files than this are parsed in-process


# --- parsing: one file into one row (runs in worker processes for a cold build) ---------------

_worker: dict = {}


def _init_worker(root: str) -> None:
    # the rules and the clocks are imported only when files are read
    from repairctl.orders import sla, validate
    from repairctl.office.folder import load_office

    office = load_office(Path(root))
    _worker.update(root=office.root, tz=office.tz, catalogue=office.catalogue, levels=sla.levels(office.config),
                   check=validate.check_order_data, obligations=sla.obligations)


def _row(relpath: str) -> tuple[tuple, list[tuple]]:
    """The cache row of one order file (identity, query columns, data, problems) and its open clocks."""
    root, tz = _worker["root"], _worker["tz"]
    path = root / relpath
    sig = records.signature(path, kept=True)  # before reading: a change while it is read shows next time
    try:
        data = yamlio.load_fast(path)
    except OfficeError as exc:
        where = exc.problem if isinstance(exc, FileError) else Problem(path, 1, 1, str(exc).removeprefix(f"{path}: "))
        return (relpath, sig, None, None, None, None, None, None, None, None, None, None, None,
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
           records.unit_key(data.get("unit")), int(finished.timestamp()) if finished else None,
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


def forget_all(con) -> None:
    con.execute("DELETE FROM orders")
    con.execute("DELETE FROM clocks")


def by_git(con, office, commit: str, prefix: str, thorough: bool) -> None:
    meta = dict(con.execute("SELECT key, value FROM meta"))
    base, was_dirty = meta.get("base"), json.loads(meta.get("dirty", "[]"))
    watched = json.loads(meta.get("watched", "{}"))
    strip = len(prefix)
    between = gitlog.changed_between(office.root, base, commit, ORDERS) if base and base != commit else []
    if base is None or between is None:  # a first build, or the old commit is gone (a rewritten history)
        forget_all(con)
        _update(con, office, _all_paths(office))
        was_dirty = []
        watched = {p[strip:]: records.signature(office.root / p[strip:]) for p in gitlog.untracked(office.root, ORDERS)}
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
    moved = [path for path, sig in watched.items() if records.signature(office.root / path) != sig]
    dirty = was_dirty
    if thorough:  # tracked files changed since last read, or dirty then and clean now: read again
        started = office.__dict__.pop("_edits", None)  # look_for_edits() may have set git going already
        dirty = [p[strip:] for p in gitlog.uncommitted(office.root, ORDERS, started)]
    _update(con, office, set(appeared) | set(moved) | (set(dirty) | set(was_dirty) if thorough else set()))
    watched = _kept_signatures(con, watched)
    after = {"base": commit, "dirty": json.dumps(dirty), "watched": json.dumps(watched), "folders": json.dumps(folders)}
    changed = [(key, value) for key, value in after.items() if meta.get(key) != value]
    con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", changed)  # nothing written when nothing moved


def _kept_signatures(con, paths) -> dict[str, str]:
    """The signatures the rows of paths were read with (taken before reading, unlike a stat now)."""
    paths, kept = list(paths), {}
    for start in range(0, len(paths), 500):  # SQLite before 3.32 takes at most 999 parameters
        chunk = paths[start:start + 500]
        kept.update(con.execute(f"SELECT path, sig FROM orders WHERE path IN ({','.join('?' * len(chunk))})", chunk))
    return kept


def _changed_folders(con, office, before: dict) -> tuple[set[str], dict]:
    """Files that appeared in or vanished from month folders whose mtime moved, and the folders' mtimes now."""
    now, changed = {}, set()
    # plain scandir and strings, not pathlib: this runs before every answer, over ~120 folders a decade
    for year in os.scandir(office.orders_dir) if office.orders_dir.is_dir() else ():
        if not (year.name.isdigit() and year.is_dir()):
            continue
        for month in os.scandir(year.path):
            if month.name.isdigit() and month.is_dir():
                now[f"{ORDERS}/{year.name}/{month.name}"] = month.stat().st_mtime_ns
    for folder, mtime in now.items():
        if before.get(folder) != mtime:
            listed = {f"{folder}/{entry.name}" for entry in os.scandir(office.root / folder)}
            known = {path for (path,) in con.execute("SELECT path FROM orders WHERE path GLOB ?", (f"{folder}/*",))}
            changed |= {path for path in listed ^ known if _is_order_path(path)}
    for folder in before.keys() - now.keys():  # a whole month folder removed
        changed |= {path for (path,) in con.execute("SELECT path FROM orders WHERE path GLOB ?", (f"{folder}/*",))}
    return changed, now


def by_stat(con, office) -> None:
    known = dict(con.execute("SELECT path, sig FROM orders"))
    changed = []
    for relpath in _all_paths(office):
        if known.pop(relpath, None) != records.signature(office.root / relpath):
            changed.append(relpath)
    _update(con, office, changed + list(known))  # what is left in known is gone
