"""How an order file becomes a row of the office's cache: its query columns, its problems, its open clocks.

The cache itself (store/cache.py) knows files, git and SQLite; this module gives it the
desk's rules through an :class:`~repairctl.store.cache.Indexer`, and hands each command its
office's one :class:`~repairctl.store.cache.Cache`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from repairctl.errors import FileError
from repairctl.office import settings
from repairctl.office.folder import Office, load_office
from repairctl.orders import limits, records
from repairctl.store import files
from repairctl.store.cache import Cache, Indexer
from repairctl.text import i18n
from repairctl.text.i18n import _
from repairctl.text.inputs import unit_key

ROWS = "18"  # the meaning of a row: bump it when _row changes what it stores, and old caches are rebuilt
# (10: an ID with a desk letter, HQ-000124B, has its site and number columns, which it lacked before;
# 12: a fee due has its payment clock; 13: an appointment's finish clock runs from the agreed time, not
# from receipt, so open clocks moved; 14: a field no order has is named, rule `field`; 15: no payment
# clock unless office.yaml names payment_days — a default of the code is in no context: bump this;
# 16: a `delayed` event's until is the finish clock's due time; 17: rule `edited`; 18: a clock may count working
# time by calendar.yaml)
# One row per order file (its query columns, its data as JSON, its problems or the error that kept it
# from being read) and one row per open clock, due_epoch indexed for `overdue`.
SCHEMA = """
CREATE TABLE orders (
    path TEXT PRIMARY KEY, sig TEXT, id TEXT, status TEXT, month TEXT, unit_key TEXT, finished INTEGER,
    site TEXT, number INTEGER, received INTEGER, technician TEXT, data TEXT, findings TEXT, error TEXT);
CREATE TABLE clocks (
    path TEXT, order_id TEXT, unit TEXT, kind TEXT, due_epoch INTEGER, due TEXT, holder TEXT, what TEXT,
    grace INTEGER);
CREATE INDEX clocks_due ON clocks (due_epoch);
CREATE INDEX clocks_path ON clocks (path);
CREATE INDEX orders_month ON orders (month);
CREATE INDEX orders_unit ON orders (unit_key);
CREATE INDEX orders_finished ON orders (finished);
CREATE INDEX orders_series ON orders (site, number);
CREATE INDEX orders_received ON orders (received, id);
CREATE INDEX orders_unreadable ON orders (path) WHERE data IS NULL;
CREATE INDEX orders_id ON orders (id);
"""


def cache(office: Office) -> Cache:
    """The office's cache, opened once per command and refreshed before its first answer."""
    if office.cache is None:
        office.cache = Cache(office.root, indexer(office), office.git_head, office.take_edits)
    return office.cache


def indexer(office: Office) -> Indexer:
    """The rules that make the office's rows."""
    return Indexer(ROWS, SCHEMA, ("orders", "clocks"), lambda: _context(office), _start,
                   (str(office.root), i18n.language()), _row)


def _context(office: Office) -> str:
    # what every row depends on besides its own file: the timezone, the service levels now and
    # before (the due times of the open clocks), the catalogue (the findings) and the unit forms (unit_key)
    levels = json.dumps(office.config.get("service_levels"), sort_keys=True, default=str)
    if "service_levels_before" in office.config:  # appended only when there: an office without keeps its cache
        levels += "|" + json.dumps(office.config["service_levels_before"], sort_keys=True, default=str)
    if settings.same_forms(office.config):  # the unit_key column; appended only when on, as above
        levels += "|units:same_building_forms"
    texts = [(office.root / name).read_bytes().decode("latin-1") for name in ("catalog.yaml", "suppliers.yaml")]
    if limits.of_office(office).calendar is not None:  # checked here, in this process: a bad file is one line
        # the working hours and holidays move the due times; only when a clock counts working time (so only
        # then is the calendar module loaded: `show` and a warm `overdue` of most offices never need it)
        from repairctl.office import calendar

        texts.append(calendar.path_of(office.root).read_bytes().decode("latin-1"))
    return "\n".join([f"{office.config.get('timezone')}|{levels}", *texts])


# --- one file into one row: runs in worker processes for a cold build -----------------------------

_worker: dict = {}


def _start(root: str, language: str = "en") -> None:
    # a worker speaks the command's language, whatever its own environment would choose
    os.environ[i18n.ENV_LANG] = language
    # the rules and the clocks (11 ms of imports) only when files are read: a warm command reads none
    from repairctl.orders import reading, rules, sla

    office = load_office(Path(root))
    _worker.update(root=office.root, forms=settings.same_forms(office.config), tz=office.tz, catalogue=office.catalogue,
                   levels=sla.of_office(office), check=rules.check_order_data,
                   obligations=sla.obligations, load=reading.load, blocking=reading.blocking)


def _row(relpath: str) -> tuple[tuple, list[tuple]]:
    """The cache row of one order file (identity, query columns, data, problems) and its open clocks."""
    root, tz = _worker["root"], _worker["tz"]
    path = root / relpath
    sig = files.signature(path, kept=True)  # before reading: a change while it is read shows next time
    try:
        data = _worker["load"](path)
    except FileError as exc:
        return (relpath, sig, None, None, None, None, None, None, None, None, None, None, None,
                json.dumps([exc.problem.line, exc.problem.column, exc.problem.message])), []
    found = _worker["check"](data, path, tz, _worker["catalogue"])
    findings = json.dumps([[f.rule, list(f.keys), f.message] for f in found], ensure_ascii=False)
    if _worker["blocking"](found):  # unreadable: its data is never used, its ID still seen (twice-used IDs)
        order_id = str(data.get("id") or path.stem) if isinstance(data, dict) else path.stem
        return (relpath, sig, order_id, None, None, None, None, None, None, None, None, None, findings, None), []
    order = records.Order(path, data, tz)
    try:
        received, finished = order.received, order.time_of("finished", last=False)
        clocks = [(relpath, ob.order_id, ob.unit, ob.kind, int(ob.due.timestamp()), ob.due.isoformat(), ob.holder,
                   ob.what, int(ob.grace.total_seconds()))
                  for ob in _worker["obligations"](order, _worker["levels"]) if ob.done is None]
    except (ValueError, TypeError, AttributeError) as exc:  # what no rule foresaw: unreadable, never clock-less
        return (relpath, sig, order.id, None, None, None, None, None, None, None, None, None, findings,
                json.dumps([1, 1, _("cannot be read: {error}; `repairctl check` may say why").format(error=exc)])), []
    order_id = order.id
    series = records.ID_RE.match(order_id)
    row = (relpath, sig, order_id, order.status, f"{received:%Y-%m}" if received else None,
           unit_key(data.get("unit"), _worker["forms"]), int(finished.timestamp()) if finished else None,
           series["site"] if series else None, int(series["number"]) if series else None,
           int(received.timestamp()) if received else None, _text(data.get("technician")),
           json.dumps(data, ensure_ascii=False, default=str), findings, None)
    return row, clocks


def _text(value) -> str | None:
    return None if value is None else str(value).strip()
