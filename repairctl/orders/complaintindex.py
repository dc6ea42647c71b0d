"""Complaints in the office's cache: how a complaint file becomes a row, and the questions asked of them.

The cache machinery is the orders' (store/cache.py, store/refresh.py): the same refresh by git, the same
signatures and strays, in a file of its own (``.repairctl/complaints.sqlite``) so that neither the orders'
rows nor their queries carry anything of complaints. One row per complaint file (its first-answer clock
as columns, its data as JSON, or the problems that keep it out) and one per linked order.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from repairctl.errors import Problem, shown
from repairctl.orders import complaints
from repairctl.orders.complaints import FOLDER, Complaint
from repairctl.store import files
from repairctl.store.cache import Cache, Indexer
from repairctl.text import i18n, terms
from repairctl.text.i18n import N_, _

ROWS = "1"  # the meaning of a row: bump it when _row changes what it stores
NAME = "complaints.sqlite"
SCHEMA = """
CREATE TABLE complaints (
    path TEXT PRIMARY KEY, sig TEXT, id TEXT, received INTEGER, unit TEXT, due TEXT, due_epoch INTEGER,
    answered INTEGER, data TEXT, problems TEXT);
CREATE TABLE complaint_orders (path TEXT, order_id TEXT);
CREATE INDEX complaints_open ON complaints (due_epoch) WHERE answered IS NULL AND data IS NOT NULL;
CREATE INDEX complaints_unreadable ON complaints (path) WHERE data IS NULL;
CREATE INDEX complaint_orders_order ON complaint_orders (order_id);
CREATE INDEX complaint_orders_path ON complaint_orders (path);
"""
STRAY = N_("not read as a complaint: complaint files are records/complaints/YYYY/MM/ID.yaml; move it there, "
           "or out of records/")


def indexer(office) -> Indexer:
    """The rules that make the complaints' rows."""
    return Indexer(ROWS, SCHEMA, ("complaints", "complaint_orders"), lambda: _context(office), _start,
                   (str(office.root), i18n.language()), _row, FOLDER, NAME)


def _context(office) -> str:
    # what a row depends on besides its file: the timezone and the limits (the first answer's due time)
    levels = json.dumps([office.config.get("service_levels"), office.config.get("service_levels_before")],
                        sort_keys=True, default=str)
    return f"{office.config.get('timezone')}|{levels}"


def look(office):
    """Start git looking for edited complaint files now, on the other core, while the command does other
    work; hand what it returns to a question (None outside git)."""
    from repairctl.store import gitlog

    return gitlog.start_uncommitted(office.root, FOLDER) if office.in_git and _any(office) else None


def _any(office) -> bool:
    """Whether the office has a complaints folder: an office that never filed one pays nothing for them."""
    return complaints.folder(office.root).is_dir()


@contextmanager
def opened(office, edits=None) -> Iterator[Cache]:
    """The office's complaint cache, brought up to date at its first question and closed after the block;
    edits: a git status begun by look(), for the refresh to read."""
    cache = Cache(office.root, indexer(office), office.git_head, lambda: edits)
    try:
        yield cache
    finally:
        cache.close()
        if edits is not None:
            edits.stop()  # nobody waited for it (a first build reads every file without asking git)


# --- one file into one row: runs in worker processes for a big first build ---------------------------

_worker: dict = {}


def _start(root: str, language: str = "en") -> None:
    os.environ[i18n.ENV_LANG] = language  # the problems kept are sentences in the command's language
    from repairctl.office.folder import load_office
    from repairctl.orders import sla

    office = load_office(Path(root))
    _worker.update(root=office.root, tz=office.tz, schedule=sla.schedule(office.config, office.tz))


def _row(relpath: str) -> tuple[tuple, list[tuple]]:
    """The cache row of one complaint file and its linked orders."""
    path = _worker["root"] / relpath
    sig = files.signature(path, kept=True)  # before reading: a change while it is read shows next time
    complaint, problems = complaints.read(path, _worker["tz"])
    if complaint is None:
        found = json.dumps([[p.line, p.column, p.message] for p in problems], ensure_ascii=False)
        return (relpath, sig, path.stem, None, None, None, None, None, None, found), []
    ob = complaints.clock_of(complaint, _worker["schedule"])
    answered = complaint.time("answered")
    row = (relpath, sig, complaint.id, int(complaint.received.timestamp()), ob.unit, ob.due.isoformat(),
           int(ob.due.timestamp()), int(answered.timestamp()) if answered else None,
           json.dumps(complaint.data, ensure_ascii=False, default=str), None)
    return row, [(relpath, order_id) for order_id in complaint.orders]


# --- the questions ----------------------------------------------------------------------------------


def _problems(office, cache: Cache, folders: set[str] | None = None) -> list[Problem]:
    """The problems of each complaint file left out (in folders, YYYY/MM, if given), strays included."""
    found = []
    for path, stored in cache.select("SELECT path, problems FROM complaints WHERE data IS NULL ORDER BY path"):
        if folders is None or path[len(FOLDER) + 1:len(FOLDER) + 8] in folders:
            found += [Problem(shown(office.root / path), line, column, message, "complaint")
                      for line, column, message in json.loads(stored)]
    row = next(cache.select("SELECT value FROM meta WHERE key = 'strays'"), None)
    strays = json.loads(row[0]) if row else []
    found += [Problem(shown(office.root / path), 1, 1, _(STRAY)) for path in strays
              if folders is None or path[len(FOLDER) + 1:len(FOLDER) + 8] in folders]
    return found


def read_all(office, months: list[str] | None = None) -> tuple[list[Complaint], list[Problem]]:
    """The complaints (filed in months' folders, YYYY-MM, if given), oldest first, and the problems of the
    files left out."""
    folders = None if months is None else {month.replace("-", "/") for month in months}
    if not _any(office):
        return [], []
    with opened(office) as cache:
        rows = cache.select("SELECT path, data FROM complaints WHERE data IS NOT NULL ORDER BY received, path")
        found = [Complaint(office.root / path, json.loads(data), office.tz) for path, data in rows
                 if folders is None or path[len(FOLDER) + 1:len(FOLDER) + 8] in folders]
        return found, _problems(office, cache, folders)


def open_clocks(office, until, edits=None) -> tuple[list, list[Problem]]:
    """The unanswered complaints' first-answer clocks due by until, and the problems of the files left out
    (any of which may hold a late one)."""
    import datetime as dt

    from repairctl.orders.sla import Obligation

    if not _any(office):
        return [], []
    with opened(office, edits) as cache:
        rows = cache.select("SELECT id, unit, due FROM complaints WHERE answered IS NULL AND data IS NOT NULL "
                            "AND due_epoch <= ? ORDER BY due_epoch, path", (int(until.timestamp()),))
        found = [Obligation(complaint_id, unit, "complaint", dt.datetime.fromisoformat(due), None,
                            terms.SLA_HOLDER["clerk"], terms.SLA_WHAT["complaint"]) for complaint_id, unit, due in rows]
        return found, _problems(office, cache)


def of_order(office, order_id: str) -> list[str]:
    """The IDs of the complaints linked to an order."""
    with opened(office) as cache:
        rows = cache.select("SELECT c.id FROM complaint_orders o JOIN complaints c ON c.path = o.path "
                            "WHERE o.order_id = ? ORDER BY c.received", (order_id,))
        return [complaint_id for (complaint_id,) in rows]
