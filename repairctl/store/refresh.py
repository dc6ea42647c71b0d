"""Keeping the cache's rows true: which order files changed since the cache last looked, and having them read.
(The indexer names the folder: records/orders, or records/complaints for the complaints' own cache.)

In a git repository git says which files changed: the diff between the commit the cache
last saw and HEAD, and `git status -uno` for tracked files edited since. Files git does not
track are found by their month folder's mtime and then watched by their metadata. Files under the
orders folder that are no order files (a `git mv` into a subfolder, a .yml) are listed in the
cache's meta as `strays`, for every read to name. Outside
git every file's size, mtime, ctime and inode decide. The indexer (orders/index.py) makes each
file's rows; many files are read in worker processes, two a core.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator

from repairctl.store import files, gitlog, progress
from repairctl.text.i18n import _

PARALLEL_FROM = 200  # fewer changed files than this are parsed in-process


def _rows(cache, relpaths: list[str]) -> Iterator[tuple[tuple, list[tuple]]]:
    """The rows of the files at relpaths, made by the cache's indexer: on every core when there are many."""
    if not relpaths:
        return
    indexer = cache.indexer
    if len(relpaths) < PARALLEL_FROM:
        indexer.start(*indexer.start_args)
        yield from map(indexer.row, relpaths)
        return
    from concurrent.futures import (
        ProcessPoolExecutor,  # 15 ms of imports: only a big refresh pays
    )

    # two workers a core: while one waits for the disk the other parses. A first run on files not in the
    # page cache took 21.9 s instead of 27.7 at 100,000 orders; with the files cached it makes no difference
    workers = 2 * (os.cpu_count() or 1)
    with ProcessPoolExecutor(workers, initializer=indexer.start, initargs=indexer.start_args) as pool:
        yield from progress.shown(pool.map(indexer.row, relpaths, chunksize=256), len(relpaths),
                                  _("reading order files"))


# --- keeping the rows true ------------------------------------------------------------------------


def _update(con: sqlite3.Connection, cache, relpaths) -> set[str]:
    """Re-read the named files: parse those that exist, forget those that are gone. Returns the paths read
    while racy (files.signature): their rows are right, but their signature says nothing yet."""
    present, gone = [], []
    folder = cache.indexer.folder
    for relpath in sorted({path for path in relpaths if files.is_order_path(path, folder)}):
        (present if (cache.root / relpath).is_file() else gone).append(relpath)
    main, extra = cache.indexer.tables
    con.executemany(f"DELETE FROM {main} WHERE path = ?", [(p,) for p in gone])
    con.executemany(f"DELETE FROM {extra} WHERE path = ?", [(p,) for p in gone + present])
    put_main = put_extra = ""
    racy = set()
    for row, extras in _rows(cache, present):
        put_main = put_main or f"INSERT OR REPLACE INTO {main} VALUES ({','.join('?' * len(row))})"
        con.execute(put_main, row)
        if row[1] == files.RACY:
            racy.add(row[0])
        if extras:
            put_extra = put_extra or f"INSERT INTO {extra} VALUES ({','.join('?' * len(extras[0]))})"
            con.executemany(put_extra, extras)
    return racy


def _all_paths(cache) -> list[str]:
    return files.order_relpaths(cache.root, cache.indexer.folder)


def forget_all(con, cache) -> None:
    """Forget every row (a first build, or history rewritten)."""
    for table in cache.indexer.tables:
        con.execute(f"DELETE FROM {table}")


def by_git(con, cache, commit: str, prefix: str, thorough: bool) -> None:
    """Bring the rows up to date in a git repository: git names what changed since the cache last looked."""
    meta = dict(con.execute("SELECT key, value FROM meta"))
    base, was_dirty = meta.get("base"), json.loads(meta.get("dirty", "[]"))
    watched = json.loads(meta.get("watched", "{}"))
    # files read while racy, whose rows keep the signature RACY: git follows their content, but the trend's
    # memo (reports/memo.py) keys months by signatures, so each is read once more when it has settled
    # (only those of an earlier refresh: a file read racy in this one has had no time to settle, and after a
    # clone that would be every file checked out in its last seconds, read twice)
    racy, fresh = set(json.loads(meta.get("racy", "[]"))), set()
    strip, folder = len(prefix), cache.indexer.folder
    between = gitlog.changed_between(cache.root, base, commit, folder) if base and base != commit else []
    if base is None or between is None:  # a first build, or the old commit is gone (a rewritten history)
        forget_all(con, cache)
        racy, fresh = set(), _update(con, cache, _all_paths(cache))
        was_dirty = []
        watched = {p[strip:]: files.signature(cache.root / p[strip:]) for p in gitlog.untracked(cache.root, folder)}
    else:
        committed = [path[strip:] for _, path in between]
        racy, fresh = racy - set(committed), _update(con, cache, committed)
        for status, path in between:
            if status == "D" and (cache.root / path[strip:]).is_file():
                watched[path[strip:]] = ""  # left out of HEAD but still here (git reset HEAD~1): untracked now
            else:
                watched.pop(path[strip:], None)  # committed: git follows it from here on
    # Files git does not track yet (copied in by hand) are not in `git status -uno`: a folder whose
    # mtime moved is listed again, and files found that way are watched by their metadata.
    appeared, folders, relisted = _changed_folders(con, cache, json.loads(meta.get("folders", "{}")))
    watched.update(dict.fromkeys(appeared, ""))
    strays, tree = _strays(cache, meta, relisted, first=base is None or between is None)
    moved = [path for path, sig in watched.items() if files.signature(cache.root / path) != sig]
    if thorough:  # tracked files changed since last read, or dirty then and clean now: read again
        started = cache.take_edits()  # the office may have set git going already
        dirty = [p[strip:] for p in gitlog.uncommitted(cache.root, folder, started)]
        again = set(dirty) | set(was_dirty)
    else:  # no git status (`new`): of the files dirty when last looked at, those changed since (a checkout)
        dirty, main = was_dirty, cache.indexer.tables[0]
        stored = dict(con.execute(f"SELECT path, sig FROM {main} WHERE path IN ({','.join('?' * len(dirty))})",
                                  dirty)) if dirty else {}
        again = {path for path in dirty if stored.get(path) != files.signature(cache.root / path)}
    settled = {path for path in racy if files.signature(cache.root / path, kept=True) != files.RACY}
    read = set(appeared) | set(moved) | again | settled
    racy = (racy - read) | (fresh - read) | _update(con, cache, read)
    watched = _kept_signatures(con, cache.indexer.tables[0], watched)
    after = {"base": commit, "dirty": json.dumps(dirty), "watched": json.dumps(watched), "folders": json.dumps(folders),
             "strays": json.dumps(strays), "tree": json.dumps(tree), "racy": json.dumps(sorted(racy))}
    changed = [(key, value) for key, value in after.items() if meta.get(key) != value]
    con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", changed)  # nothing written when nothing moved


def _kept_signatures(con, main: str, paths) -> dict[str, str]:
    """The signatures the rows of paths were read with (taken before reading, unlike a stat now)."""
    paths, kept = list(paths), {}
    for start in range(0, len(paths), 500):  # SQLite before 3.32 takes at most 999 parameters
        chunk = paths[start:start + 500]
        marks = ",".join("?" * len(chunk))
        kept.update(con.execute(f"SELECT path, sig FROM {main} WHERE path IN ({marks})", chunk))
    return kept


def _strays(cache, meta: dict, relisted: dict[str, bool], *, first: bool) -> tuple[list[str], dict]:
    """The files under the orders folder that are no order files (files.strays), walked for again only
    when one may have come or gone: a first build, a month folder listed again that holds one or held
    one, or another folder whose mtime moved (the orders folder, a year, a subfolder)."""
    strays, tree = json.loads(meta.get("strays", "[]")), json.loads(meta.get("tree", "{}"))
    held = {path.rpartition("/")[0] for path in strays}
    again = first or any(odd or folder in held for folder, odd in relisted.items())
    for folder, mtime in tree.items() if not again else ():
        try:
            again = os.stat(cache.root / folder).st_mtime_ns != mtime
        except OSError:
            again = True
        if again:
            break
    return files.strays(cache.root, cache.indexer.folder) if again else (strays, tree)


def _changed_folders(con, cache, before: dict) -> tuple[set[str], dict, dict[str, bool]]:
    """Files that appeared in or vanished from month folders whose mtime moved, the folders' mtimes now,
    and each folder listed again with whether it holds anything that is no order file."""
    now, changed, relisted, main, records = {}, set(), {}, cache.indexer.tables[0], cache.indexer.folder
    # plain scandir and strings, not pathlib: this runs before every answer, over ~120 folders a decade
    orders_dir = cache.root / records
    for year in os.scandir(orders_dir) if orders_dir.is_dir() else ():
        if not year.is_dir():
            continue
        for month in os.scandir(year.path):
            if files.is_month(year.name, month.name) and month.is_dir():
                now[f"{records}/{year.name}/{month.name}"] = month.stat().st_mtime_ns
    for folder, mtime in now.items():
        if before.get(folder) != mtime:
            entries = list(os.scandir(cache.root / folder))
            relisted[folder] = any(entry.is_dir() or files.is_stray(entry.name, True) for entry in entries)
            listed = {f"{folder}/{entry.name}" for entry in entries}
            known = {path for (path,) in con.execute(f"SELECT path FROM {main} WHERE path GLOB ?", (f"{folder}/*",))}
            changed |= {path for path in listed ^ known if files.is_order_path(path, records)}
    for folder in before.keys() - now.keys():  # a whole month folder removed
        changed |= {path for (path,) in con.execute(f"SELECT path FROM {main} WHERE path GLOB ?", (f"{folder}/*",))}
        relisted[folder] = False
    return changed, now, relisted


def by_stat(con, cache) -> None:
    """Bring the rows up to date outside git: each file's signature decides."""
    known = dict(con.execute(f"SELECT path, sig FROM {cache.indexer.tables[0]}"))
    changed = []
    for relpath in _all_paths(cache):
        if known.pop(relpath, None) != files.signature(cache.root / relpath):
            changed.append(relpath)
    _update(con, cache, changed + list(known))  # what is left in known is gone
    strays, _ = files.strays(cache.root, cache.indexer.folder)  # every file is listed anyway
    con.execute("INSERT OR REPLACE INTO meta VALUES ('strays', ?)", (json.dumps(strays),))
