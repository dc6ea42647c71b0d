"""A derived cache of parsed orders, so commands stay instant at 100,000 order files.

It lives in ``.repairctl/cache.sqlite``: never committed, safe to delete (it is rebuilt,
and no answer changes). When the office's ``.repairctl/`` cannot be written (a read-only
copy), it lives in the user's cache folder instead (state.py): reading never needs the office
writable. Before answering, it re-reads exactly the files that changed, whoever changed them
(refresh.py says how). A corrupt cache file is deleted and rebuilt without a word. This module
holds the file, its lock, the refresh and a way to query it; the tables, what a row holds and
every query that means something to the desk are the layer above's (orders/index.py,
orders/query.py), given through an :class:`Indexer`, so the store knows files, git and SQLite
and no desk rule."""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from repairctl.errors import RepairError
from repairctl.store import state
from repairctl.store.files import ORDERS
from repairctl.store.yamlio import READER
from repairctl.text import i18n
from repairctl.text.i18n import _

SCHEMA_VERSION = 3  # of the store's own table (meta); user_version in the file says which one it has
META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
NAME = "cache.sqlite"  # in the office's state folder (state.folder)


@dataclass(frozen=True)
class Indexer:
    """How the layer above turns one file into cache rows, and the tables that hold them.

    schema creates the tables; tables names them: the first holds one row per file, whose
    first two columns are path and sig (its signature when read), the second any number of
    rows per file, whose first column is path. row(relpath) returns the first table's row and
    a list of the second's; start(*start_args) prepares a process to call it. Both must be
    module-level functions, since a big refresh calls them in worker processes. version names
    the meaning of a row, context() everything a row depends on besides its file (settings,
    catalogue): when either, or the schema, changes, every row is made again.
    """

    version: str
    schema: str
    tables: tuple[str, str]
    context: Callable[[], str]
    start: Callable[..., None]
    start_args: tuple
    row: Callable[[str], tuple[tuple, list[tuple]]]
    # the folder of the files it reads (filed YYYY/MM/NAME.yaml, as orders are) and the cache file that keeps
    # their rows, in the state folder: the orders' unless named (complaints have their own, issue 15 §3)
    folder: str = ORDERS
    name: str = NAME


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
        self._path: Path | None = None
        self._functions: dict[str, tuple[int, Callable]] = {}

    @property
    def path(self) -> Path:
        """The cache file: in .repairctl/, or in the user's cache folder when that cannot be written."""
        if self._path is None:  # decided once a command: its lock and its file stay together
            self._path = state.folder(self.root) / self.indexer.name
        return self._path

    def context(self) -> str:
        # kept whole, not hashed: a few kilobytes, compared exactly, and no hashlib to import (6 ms)
        return f"{_version(self.indexer.version)}|{self.indexer.schema}|{self.indexer.context()}"

    def connect(self, *, thorough: bool = True) -> sqlite3.Connection:
        """An up-to-date connection, refreshed once per command.

        thorough=False trusts uncommitted files as last seen, sparing `new` a git status.
        """
        if self._connection is not None and (self._thorough or not thorough):
            return self._connection
        self._connection, self._thorough = self._refreshed(thorough), thorough
        for name, (nargs, func) in self._functions.items():
            self._connection.create_function(name, nargs, func, deterministic=True)
        return self._connection

    def function(self, name: str, nargs: int, func: Callable) -> None:
        """Make a Python function callable in this cache's queries, on every connection it opens."""
        # kept, not only registered: a damaged cache is rebuilt on a new connection, which needs it too
        self._functions[name] = (nargs, func)
        if self._connection is not None:
            self._connection.create_function(name, nargs, func, deterministic=True)

    def _refreshed(self, thorough: bool) -> sqlite3.Connection:
        from repairctl.store import (
            refresh,  # and git with it: `show` reads the cache without them
        )

        with self._locked():
            for attempt in (1, 2):
                con = None
                try:
                    con = _open(self.path)
                    self._bring_up_to_date(con, thorough, refresh)
                    return con
                except sqlite3.DatabaseError as exc:
                    if con is not None:
                        con.close()
                    if _no_room(exc, self.path.parent):  # not damaged: keep it, and answer from a copy in memory
                        return self._in_memory(thorough, refresh)
                    if attempt == 2:
                        raise RepairError(_("{path}: the cache cannot be rebuilt; delete the file and retry")
                                          .format(path=self.path)) from None
                    self.discard()  # corrupt: derived data, so start again
        raise AssertionError("unreachable")

    def _bring_up_to_date(self, con: sqlite3.Connection, thorough: bool, refresh) -> None:
        """Make con's rows true to the files: all again if the context changed, else those that changed."""
        with con:
            context = self.context()
            if dict(con.execute("SELECT key, value FROM meta")).get("context") != context:
                # made by another version, schema or setting: every row is made again
                for table in self.indexer.tables:
                    con.execute(f"DROP TABLE IF EXISTS {table}")
                con.executescript(self.indexer.schema)
                con.execute("DELETE FROM meta")
                con.execute("INSERT INTO meta VALUES ('context', ?)", (context,))
            commit, prefix = self.head or (None, "")
            if commit:
                refresh.by_git(con, self, commit, prefix, thorough)
            else:
                refresh.by_stat(con, self)

    def _in_memory(self, thorough: bool, refresh) -> sqlite3.Connection:
        """The cache copied into memory and brought up to date there, for a disk with no room to write
        it: the file stays as it is, and the answer is as true (a cold copy only slower)."""
        memory = sqlite3.connect(":memory:")
        try:  # immutable: reading it takes no lock and no shared-memory file, which need room too
            with closing(sqlite3.connect(f"{self.path.as_uri()}?immutable=1", uri=True)) as disk:
                disk.backup(memory)
        except sqlite3.DatabaseError:
            pass  # no copy to start from: every row is made
        memory.execute(META)
        try:
            self._bring_up_to_date(memory, thorough, refresh)
        except sqlite3.DatabaseError:
            memory.close()
            raise RepairError(_("the disk is full, and the cache cannot be made in memory either; "
                                "free some space and run the command again")) from None
        return memory

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with open(state.made(self.path.parent) / f"{self.path.stem}.lock", "w") as handle:  # cache.lock for orders
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
            except sqlite3.DatabaseError as exc:
                if _no_room(exc, self.path.parent):  # a sort spilling to a full disk: the cache is not at fault
                    raise RepairError(_("the disk is full (answering from the cache): free some space and "
                                        "run the command again")) from None
                self.discard()
                if attempt == 2:
                    raise RepairError(_("the cache {path} cannot be rebuilt; delete it and retry")
                                      .format(path=self.path)) from None
        while batch:
            yield from batch
            try:
                batch = cursor.fetchmany(1000)
            except sqlite3.DatabaseError:  # damaged past the first rows, after some were already printed
                self.discard()
                raise RepairError(_("the cache {path} was damaged and has been removed; run the command again")
                                  .format(path=self.path)) from None



def _version(row_version: str) -> str:
    """What a cache file must have been made with to be used: the rows' meaning, the YAML reader and the
    language (a row keeps its file's problems as sentences: made in Chinese, they are not an English answer)."""
    return f"{row_version}.{READER}.{i18n.language()}"


def _no_room(exc: sqlite3.DatabaseError, folder: Path) -> bool:
    """Whether a cache error is a full disk (then the cache is whole, only unwritable), not damage."""
    if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return True
    try:  # a write-ahead log or shared memory that cannot grow says "disk I/O error" or "unable to open"
        return os.statvfs(folder).f_bavail == 0
    except OSError:
        return False


def _open(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, timeout=30)
    # derived data: a crash may lose the last refresh (it is redone) but WAL never leaves it torn,
    # and no refresh waits for the disk
    con.execute("PRAGMA synchronous=NORMAL")
    if con.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:  # a new file, or an older layout
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("DROP TABLE IF EXISTS meta")  # the rows' tables go when the context is found missing
        con.execute(META)
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return con


def peek(root: Path, sql: str, params: tuple, row_version: str) -> tuple | None:
    """One row of a query on the office's cache file as it stands, if the cache was made with
    row_version; else None. Never refreshes or writes the cache: `show` pays one open and one row."""
    base = state.folder(root) / NAME
    if not base.is_file():
        return None
    try:
        con = sqlite3.connect(f"{base.as_uri()}?mode=ro", uri=True)
        try:
            if con.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                return None
            (context,) = con.execute("SELECT value FROM meta WHERE key = 'context'").fetchone() or ("",)
            if not context.startswith(f"{_version(row_version)}|"):
                return None
            return con.execute(sql, params).fetchone()
        finally:
            con.close()
    except (sqlite3.Error, ValueError):
        return None  # no cache yet, an older or damaged one: the caller reads the file
