"""Complaints (投诉, issue 15 §3; 001 §3.2, 002 §二.2, §二.4, 003 紧急 §八): what a complaint file holds,
the rules it must keep, its first-answer clock, and reading every one of them.

A complaint is its own record, ``records/complaints/YYYY/MM/<ID>.yaml`` (filed by the month it was
received, as orders are), its ID ``<SITE>-T<NNNNNN><DESK>`` (HQ-T000001, HQ-T000001B): the site and
desk letter of an order ID, with a T for 投诉, so complaint IDs never meet order IDs nor another
desk's. Its life is its events: received, answered (the first answer, due within office.yaml's
``complaint_answer_hours`` of receipt, 24 by default) and closed (the result and whether the
complainant was satisfied); a file with any problem is left out of every answer and named, as
`check` names it. The cache keeps them as it keeps orders, in a file of its own (complaintindex.py).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from repairctl.errors import FileError, NotFound, Problem, RepairError, shown
from repairctl.orders import fields, records
from repairctl.store import files, yamlio
from repairctl.text import clock, terms
from repairctl.text.i18n import N_, _
from repairctl.text.inputs import fault

FOLDER = files.COMPLAINTS  # records/complaints, from the office folder, beside records/orders
ID_RE = re.compile(r"^(?P<site>[A-Z][A-Z0-9]{0,9})-T(?P<number>\d{6,})(?P<desk>[A-Z]?)$")
OTHER = "其他"  # the category of a complaint about no order with an item
KEYS = ("id", "unit", "name", "phone", "channel", "category", "description", "orders", "source", "events")
ACTIONS = ("received", "answered", "closed")
TEXTS = ("unit", "name", "phone", "category", "description", "source")
ID_EXPECTED = N_("complaint IDs look like HQ-T000001 or HQ-T000001B")


def check_id(text: str) -> str:
    """text as a complaint ID (upper-cased, full-width folded, HQ-T12 as HQ-T000012), or refuse it."""
    candidate = records.DASHES.sub("-", unicodedata.normalize("NFKC", str(text))).strip().upper()
    short = re.fullmatch(r"(?P<site>[A-Z][A-Z0-9]{0,9})-T(?P<number>\d{1,5})(?P<desk>[A-Z]?)", candidate)
    if short and int(short["number"]):
        candidate = f"{short['site']}-T{int(short['number']):06d}{short['desk']}"
    if not ID_RE.match(candidate):
        raise RepairError(_("{text} is not a complaint ID; {expected}").format(text=repr(text),
                                                                             expected=_(ID_EXPECTED)))
    return candidate


def typed_id(text: str, root: Path, site: str) -> str:
    """A complaint ID as a clerk typed it: a bare number, or T and a number (2, T2, t2B), is the office's own
    series, the complaint filed with that number (HQ-T000002, or HQ-T000002B from a desk; refused when two
    are); anything else as check_id reads it."""
    typed = unicodedata.normalize("NFKC", str(text)).strip().upper()
    bare = re.fullmatch(r"T?(?P<number>\d{1,9})(?P<desk>[A-Z]?)", typed)
    if not bare or not int(bare["number"]):
        return check_id(text)
    stem = f"{site}-T{int(bare['number']):06d}"
    if bare["desk"]:
        return check_id(stem + bare["desk"])
    found = sorted(path.stem for path in paths(root) if path.stem.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == stem)
    if len(found) > 1:
        raise RepairError(_("{number} is the number of {n} complaints: {ids}; type the whole ID")
                          .format(number=bare["number"], n=len(found), ids=", ".join(found)))
    return found[0] if found else stem


def folder(root: Path) -> Path:
    """The complaints folder of the office at root."""
    return root / FOLDER


def paths(root: Path) -> list[Path]:
    """Every complaint file, oldest month first."""
    return list(files.order_files(folder(root)))


def locate(root: Path, complaint_id: str) -> Path:
    """The file of a complaint, found by ID alone."""
    complaint_id = check_id(complaint_id)
    found = [path for path in paths(root) if path.stem == complaint_id]
    if not found:
        raise NotFound(_("no complaint {id} in {folder}; `repairctl complaint list` shows them")
                       .format(id=complaint_id, folder=FOLDER))
    return found[0]


@dataclass
class Complaint:
    """A read-only view of one complaint file that keeps the rules."""

    path: Path
    data: dict
    tz: dt.tzinfo
    warnings: list[str] = field(default_factory=list)  # a command's, for stderr

    @property
    def id(self) -> str:
        return str(self.data["id"])

    def event(self, action: str) -> dict | None:
        """The event of that action (each happens at most once), or None."""
        return next((e for e in self.data["events"] if e.get("action") == action), None)

    def time(self, action: str) -> dt.datetime | None:
        """When the event of that action happened, or None."""
        found = self.event(action)
        return clock.as_time(found["at"], self.tz) if found else None

    @property
    def received(self) -> dt.datetime:
        return self.time("received")

    @property
    def status(self) -> str:
        """open, answered or closed: the last event says."""
        return {"received": "open"}.get(self.data["events"][-1]["action"], self.data["events"][-1]["action"])

    @property
    def orders(self) -> list[str]:
        return [str(o) for o in self.data.get("orders") or []]

    @property
    def category(self) -> str:
        return str(self.data.get("category") or OTHER)


def findings(data, path: Path, tz: dt.tzinfo) -> list[tuple[tuple, str]]:
    """Every broken rule of a loaded complaint file, as (key path, message)."""
    if not isinstance(data, dict):
        return [((), _("a complaint file must be a mapping of fields (id, unit, events …)"))]
    found = [((key,), _("{key} is not a field of a complaint; the fields are {keys}")
              .format(key=key, keys=", ".join(KEYS))) for key in data if key not in KEYS]
    if data.get("id") != path.stem:
        found.append((("id",), _("id {id} must be the file's name, {name}").format(id=repr(data.get("id")),
                                                                                 name=path.stem)))
    for key in ("unit", "description"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            found.append(((key,), _("{key} is missing; every complaint needs one").format(key=key)))
    for key in TEXTS:
        value = data.get(key)
        if value is not None and (not isinstance(value, str) or fault(value, lines=key == "description")):
            found.append(((key,), _("{key} must be one line of text").format(key=key)))
    if not fields.one_of(data.get("channel"), terms.CHANNEL):
        found.append((("channel",), _("channel must be one of {choices}").format(choices=", ".join(terms.CHANNEL))))
    linked = data.get("orders")
    if linked is not None and (not isinstance(linked, list)
                               or not all(isinstance(o, str) and records.ID_RE.match(o) for o in linked)):
        found.append((("orders",), _("orders must be a list of order IDs, like [HQ-000123]")))
    return found + _event_findings(data.get("events"), path, tz)


def _event_findings(events, path: Path, tz: dt.tzinfo) -> list[tuple[tuple, str]]:
    """The rules of the events: received first, then at most one answer and one close, in time order."""
    if not isinstance(events, list) or not events or not isinstance(events[0], dict) \
            or events[0].get("action") != "received":
        return [(("events",), _("events must be a list starting with the received event"))]
    found, seen, before = [], [], None
    for n, event in enumerate(events):
        action = event.get("action") if isinstance(event, dict) else None
        if action not in ACTIONS or action in seen:
            found.append((("events", n), _("event {n} must be one of received, answered, closed, each at most once")
                          .format(n=n + 1)))
            continue
        if action == "closed" and "answered" not in seen:
            found.append((("events", n), _("a complaint is closed only after its first answer")))
        if action == "closed" and not isinstance(event.get("satisfied"), bool):
            found.append((("events", n, "satisfied"), _("the closed event needs satisfied: true or false")))
        seen.append(action)
        if why := fields.why_not_a_time(event.get("at"), tz):
            found.append((("events", n, "at"), why))
            continue
        at = clock.as_time(event.get("at"), tz)
        if before and at.timestamp() < before.timestamp():
            found.append((("events", n, "at"), _("event {n} is earlier than the one before it").format(n=n + 1)))
        before = at
    received = fields.time_or_none(events[0].get("at"), tz)
    if received and path.parent.name.isdigit() and (path.parent.parent.name, path.parent.name) != (
            f"{received:%Y}", f"{received:%m}"):
        found.append((("events", 0, "at"), _("received {month}: the file belongs in {folder}")
                      .format(month=f"{received:%Y-%m}", folder=f"{FOLDER}/{received:%Y/%m}")))
    return found


def read(path: Path, tz: dt.tzinfo) -> tuple[Complaint | None, list[Problem]]:
    """One complaint file: the complaint, or None and the problems (with their line and column) that keep it out."""
    from repairctl.orders import reading

    try:
        data = reading.load(path)
    except FileError as exc:
        return None, [Problem(shown(path), exc.problem.line, exc.problem.column, exc.problem.message)]
    found = findings(data, path, tz)
    if not found:
        return Complaint(path, data, tz), []
    try:
        tree = yamlio.compose(yamlio.decode(path.read_bytes(), path))
    except RepairError:
        tree = None
    return None, [Problem(shown(path), *yamlio.position(tree, keys), message, "complaint")
                  for keys, message in found]


def clock_of(complaint: Complaint, schedule):
    """The first-answer clock of a complaint (an sla.Obligation, kind `complaint`, held by 客服)."""
    from repairctl.orders import sla

    received = complaint.received
    due = sla.later(received, dt.timedelta(hours=schedule.at(received).complaint_answer_hours))
    return sla.Obligation(complaint.id, str(complaint.data.get("unit") or ""), "complaint", due,
                          complaint.time("answered"), terms.SLA_HOLDER["clerk"], terms.SLA_WHAT["complaint"])
