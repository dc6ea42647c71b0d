"""A derived cache of parsed orders, so commands stay instant at 100,000 order files.

It lives in ``.repairctl/cache.sqlite``: never committed, safe to delete (it is rebuilt,
and no answer changes). Before answering, it re-reads exactly the files that changed,
whoever changed them (refresh.py says how). A corrupt cache file is deleted and rebuilt
without a word. This module holds the schema, the refresh under a lock, and the queries;
what a row holds is said by the layer above, through an :class:`Indexer`, so the store
knows files, git and SQLite and no desk rule.
"""

from __future__ import annotations

import fcntl
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from repairctl.errors import RepairError
from repairctl.store import files
from repairctl.store.yamlio import READER

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
FILE = ".repairctl/cache.sqlite"


@dataclass(frozen=True)
class Indexer:
    """How the layer above turns one order file into cache rows.

    row(relpath) returns the 14 values of an ``orders`` row and a list of 9-value ``clocks``
    rows; start(*start_args) prepares a process to call it. Both must be module-level
    functions, since a big refresh calls them in worker processes. version names the meaning
    of a row, and context everything a row depends on besides its file (settings, catalogue):
    when either changes, every row is made again.
    """

    version: str
    context: Callable[[], str]
    start: Callable[..., None]
    start_args: tuple
    row: Callable[[str], tuple[tuple, list[tuple]]]


class Cache:
    """The cache of one office folder, kept true before each answer and opened once per command.

    head is git's (HEAD commit, the folder's path in the repository), or None outside git;
    take_edits hands over a `git status` started early (or None), for the refresh to read.
    """

    def __init__(self, root: Path, indexer: Indexer, head: tuple[str | None, str] | None,
                 take_edits: Callable[[], object] = lambda: None):
        self.root, self.indexer, self.head, self.take_edits = root, indexer, head, take_edits
        self._connection: sqlite3.Connection | None = None
        self._thorough = False

    @property
    def path(self) -> Path:
        return self.root / FILE

    def context(self) -> str:
        # kept whole, not hashed: a few kilobytes, compared exactly, and no hashlib to import (6 ms)
        return f"{_version(self.indexer.version)}|{self.indexer.context()}"

    def connect(self, *, thorough: bool = True) -> sqlite3.Connection:
        """An up-to-date connection, refreshed once per command.

        thorough=False trusts uncommitted files as last seen, sparing `new` a git status.
        """
        if self._connection is not None and (self._thorough or not thorough):
            return self._connection
        self._connection, self._thorough = self._refreshed(thorough), thorough
        return self._connection

    def _refreshed(self, thorough: bool) -> sqlite3.Connection:
        from repairctl.store import (
            refresh,  # and git with it: `show` reads the cache without them
        )

        with self._locked():
            for attempt in (1, 2):
                con = None
                try:
                    con = _open(self.path)
                    with con:
                        context = self.context()
                        if dict(con.execute("SELECT key, value FROM meta")).get("context") != context:
                            con.execute("DELETE FROM orders")
                            con.execute("DELETE FROM clocks")
                            con.execute("DELETE FROM meta")
                            con.execute("INSERT INTO meta VALUES ('context', ?)", (context,))
                        commit, prefix = self.head or (None, "")
                        if commit:
                            refresh.by_git(con, self, commit, prefix, thorough)
                        else:
                            refresh.by_stat(con, self)
                    return con
                except sqlite3.DatabaseError:
                    if con is not None:
                        con.close()
                    if attempt == 2:
                        raise RepairError(f"{self.path}: the cache cannot be rebuilt; "
                                          "delete the file and retry") from None
                    self.discard()  # corrupt: derived data, so start again
        raise AssertionError("unreachable")

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(exist_ok=True)
        with open(self.path.parent / "cache.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # two commands at once: one refreshes, the other waits
            yield

    def discard(self) -> None:
        """Forget a damaged cache: the connection, the file and its write-ahead log."""
        self.close()
        for path in (self.path, self.path.with_name(self.path.name + "-wal"),
                     self.path.with_name(self.path.name + "-shm")):
            path.unlink(missing_ok=True)

    def close(self) -> None:
        """Close the connection, if one is open."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def select(self, sql: str, params: tuple = (), *, thorough: bool = True) -> Iterator[tuple]:
        """The rows of a query on an up-to-date cache, a batch at a time; a damaged cache is rebuilt and asked again."""
        for attempt in (1, 2):
            try:
                cursor = self.connect(thorough=thorough).execute(sql, params)
                batch = cursor.fetchmany(1000)
                break
            except sqlite3.DatabaseError:
                self.discard()
                if attempt == 2:
                    raise RepairError("the cache in .repairctl/ cannot be rebuilt; "
                                      "delete .repairctl/cache.sqlite and retry") from None
        while batch:
            yield from batch
            try:
                batch = cursor.fetchmany(1000)
            except sqlite3.DatabaseError:  # damaged past the first rows, after some were already printed
                self.discard()
                raise RepairError("the cache in .repairctl/ was damaged and has been removed; "
                                  "run the command again") from None

    # --- queries ----------------------------------------------------------------------------------

    def orders(self, where: str = "1", params: tuple = (), *, thorough: bool = True) -> Iterator[tuple[Path, dict]]:
        """(path, data) of the readable orders matching an SQL condition on the indexed columns, oldest first,
        one at a time (100,000 orders never sit in memory at once)."""
        rows = self.select(f"SELECT path, data FROM orders WHERE data IS NOT NULL AND ({where}) "
                           "ORDER BY received IS NULL, received, id", params, thorough=thorough)
        for path, data in rows:
            yield self.root / path, json.loads(data)

    def clocks(self, until_epoch: int) -> Iterator[tuple]:
        """(order_id, unit, kind, due, holder, what, grace) of every open clock due by until_epoch."""
        return self.select("SELECT order_id, unit, kind, due, holder, what, grace FROM clocks WHERE due_epoch <= ?",
                           (until_epoch,))

    def problems(self) -> Iterator[tuple[Path, list, list | None]]:
        """For each file with problems: its path, its findings as stored, and the error that kept it from being read."""
        query = "SELECT path, findings, error FROM orders WHERE error IS NOT NULL OR findings != '[]' ORDER BY path"
        for path, findings, error in self.select(query):
            yield self.root / path, json.loads(findings or "[]"), json.loads(error) if error else None

    def twice_used_ids(self) -> dict[str, list[Path]]:
        """The files of each order ID that more than one file claims."""
        query = ("SELECT id, path FROM orders WHERE id IN (SELECT id FROM orders WHERE id != '' GROUP BY id "
                 "HAVING COUNT(*) > 1) ORDER BY id, path")
        groups: dict[str, list[Path]] = {}
        for order_id, path in self.select(query):
            groups.setdefault(order_id, []).append(self.root / path)
        return groups

    def unreadable(self) -> int:
        """How many order files could not be read (queries leave them out; `check` names them)."""
        return next(self.select("SELECT COUNT(*) FROM orders WHERE data IS NULL"))[0]

    def highest_number(self, site: str) -> int:
        """The highest number of the site's ID series among the cached orders (committed changes seen)."""
        return next(self.select("SELECT MAX(number) FROM orders WHERE site = ?", (site,), thorough=False))[0] or 0


def _version(row_version: str) -> str:
    """What a cache file must have been made with to be used: the rows' meaning and the YAML reader."""
    return f"{row_version}.{READER}"


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


def stored_row(root: Path, path: Path, row_version: str) -> dict | None:
    """The data of one order file as the cache holds it, when the file is still as it was read (same
    signature) and the cache was made with row_version; else None. Never refreshes or writes the
    cache: `show` pays one stat and one row."""
    base = root / FILE
    if not base.is_file():
        return None
    try:
        con = sqlite3.connect(f"{base.as_uri()}?mode=ro", uri=True)
        try:
            if con.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                return None
            (context,) = con.execute("SELECT value FROM meta WHERE key = 'context'").fetchone() or ("",)
            row = con.execute("SELECT sig, data FROM orders WHERE path = ?", (str(path.relative_to(root)),)).fetchone()
        finally:
            con.close()
    except (sqlite3.Error, ValueError):
        return None  # no cache yet, an older or damaged one: the caller reads the file
    if (not context.startswith(f"{_version(row_version)}|") or row is None or row[1] is None
            or row[0] != files.signature(path)):
        return None
    return json.loads(row[1])
