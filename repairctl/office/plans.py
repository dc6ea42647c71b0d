"""Planned maintenance (计划性维修, 001 §二 and §3.4; 003 计划性维修): the office's equipment register
(equipment.yaml) and its maintenance plans (plans.yaml), both hand-edited and committed.

Each file is read strictly and every fault is a Problem at its line and column, as `check` prints it; a
command that needs the plans refuses with the first of them. A file an office lacks (made before planned
maintenance) is an empty one. The formats are in docs/formats.md "Planned maintenance".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from repairctl.errors import FileError, OfficeError, Problem, RepairError, shown
from repairctl.office import schedule
from repairctl.store import yamlio
from repairctl.store.yamlio.reading import read_text
from repairctl.text import inputs
from repairctl.text.i18n import _, ngettext

EQUIPMENT, PLANS = "equipment.yaml", "plans.yaml"
PLAN_ID = re.compile(r"^P\d{2,4}[A-Z]?$")  # P01, P12B: a desk's plans end in its letter (office/desks.py)
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,29}$")
EQUIPMENT_KEYS = ("code", "name", "location", "category")
PLAN_KEYS = ("id", "name", "where", "equipment", "every", "dates", "start", "end", "trade", "checklist")
MAX_CHECKLIST = 30


@dataclass(frozen=True)
class Equipment:
    """One entry of the equipment register (设备台账)."""

    code: str
    name: str
    location: str
    category: str


@dataclass(frozen=True)
class Plan:
    """One maintenance plan: what, where, when it falls due, its checklist and trade."""

    id: str
    name: str
    where: str
    equipment: str | None
    every: tuple[int, str] | None
    fixed: tuple  # (year or None, month, day) each
    start: dt.date | None
    end: dt.date | None
    trade: str | None
    checklist: tuple[str, ...]

    def due_days(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The days from first to last the plan falls due."""
        return schedule.due_days(self.start, self.every, self.fixed, first, last, self.end)


@dataclass
class Maintenance:
    """Both files as read: the register, the plans, and every problem found (empty when all is well)."""

    equipment: dict[str, Equipment]
    plans: dict[str, Plan]
    problems: list[Problem]

    def usable(self) -> Maintenance:
        """Itself, or refuse with the first problem (a command must not act on half-read plans)."""
        if self.problems:
            first = self.problems[0]
            more = len(self.problems) - 1
            raise OfficeError(ngettext("{problem} (and {n} more problem; `repairctl check` lists it)",
                                       "{problem} (and {n} more problems; `repairctl check` lists them)", more)
                              .format(problem=first, n=more) if more else str(first))
        return self


def load(root: Path) -> Maintenance:
    """Read equipment.yaml and plans.yaml of the office at root, with every problem they hold."""
    found: list[Problem] = []
    equipment: dict[str, Equipment] = {}
    plans: dict[str, Plan] = {}
    for path, key, make, into in ((Path(root) / EQUIPMENT, "equipment", _equipment, equipment),
                                  (Path(root) / PLANS, "plans", _plan, plans)):
        entries, place = _entries(path, key, found)
        for n, entry in entries:
            try:
                made = make(entry, equipment, into)
            except _Fault as fault:
                place((n, *fault.keys), fault.message)
                continue
            into[made.code if key == "equipment" else made.id] = made
    return Maintenance(equipment, plans, found)


def problems(root: Path) -> list[Problem]:
    """What `check` reports of equipment.yaml and plans.yaml."""
    return load(root).problems


class _Fault(Exception):
    """A fault at a key path of an entry: the keys from the entry, and the message."""

    def __init__(self, keys: tuple, message: str):
        super().__init__(message)
        self.keys, self.message = keys, message


def _entries(path: Path, key: str, found: list[Problem]):
    """([(index, entry)], place) of the file's list under key, each entry a mapping; faults go to found."""
    def nowhere(keys, message):
        return None

    if not path.is_file():
        return [], nowhere
    try:
        text, _bom = read_text(path)
        data = yamlio.parse(text, path)
    except FileError as exc:
        found.append(Problem(shown(path), exc.problem.line, exc.problem.column, exc.problem.message, "plans"))
        return [], nowhere
    tree = yamlio.compose(text)

    def place(keys: tuple, message: str, top: bool = False) -> None:
        line, column = yamlio.position(tree, keys if top else (key, *keys))
        found.append(Problem(shown(path), line, column, message, "plans"))

    entries = data.get(key) if isinstance(data, dict) else None
    if data is None or (entries is None and isinstance(data, dict) and set(data) <= {key}):
        return [], place  # `plans:` with nothing under it: none yet
    if not isinstance(data, dict) or set(data) != {key} or not isinstance(entries, list):
        place((), _("{file} holds one list, `{key}:`, of mappings (see the example in its comments)")
              .format(file=path.name, key=key), top=True)
        return [], place
    good = []
    for n, entry in enumerate(entries):
        if isinstance(entry, dict):
            good.append((n, entry))
        else:
            place((n,), _("entry {n} is not a mapping; write `- name: …` with its keys below").format(n=n + 1))
    return good, place


def _text(entry: dict, key: str, required: bool = True) -> str | None:
    value = entry.get(key)
    if value is None or value == "":
        if required:
            raise _Fault((), _("missing `{key}`").format(key=key))
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise _Fault((key,), _("`{key}` must be text").format(key=key))
    try:
        return inputs.check_text(key, str(value), required=required)
    except RepairError as exc:
        raise _Fault((key,), str(exc)) from None


def _unknown(entry: dict, known: tuple) -> None:
    for key in entry:
        if key not in known:
            raise _Fault((key,), _("{key} is no key here (a typo?); the keys are {known}")
                         .format(key=repr(key), known=", ".join(known)))


def _equipment(entry: dict, equipment: dict, taken: dict) -> Equipment:
    """One entry of the register, checked."""
    _unknown(entry, EQUIPMENT_KEYS)
    code = _text(entry, "code")
    if not CODE.match(code):
        raise _Fault(("code",), _("code {code} must be letters, digits, - or _ (at most 30), e.g. B1-PUMP-01")
                     .format(code=repr(code)))
    if code.upper() in taken:
        raise _Fault(("code",), _("code {code} is used twice; give each piece of equipment its own").format(code=code))
    return Equipment(code.upper(), _text(entry, "name"), _text(entry, "location", False) or "",
                     _text(entry, "category", False) or "")


def _plan(entry: dict, equipment: dict, taken: dict) -> Plan:
    """One plan, checked against the register and the plans before it."""
    _unknown(entry, PLAN_KEYS)
    plan_id = _text(entry, "id").upper()
    if not PLAN_ID.match(plan_id):
        raise _Fault(("id",), _("plan id {id} must be P and a number, e.g. P01 (P01B from desk B)")
                     .format(id=repr(plan_id)))
    if plan_id in taken:
        raise _Fault(("id",), _("plan id {id} is used twice; give the second plan the next free id")
                     .format(id=plan_id))
    name = _text(entry, "name")
    code = _text(entry, "equipment", False)
    if code and code.upper() not in equipment:
        raise _Fault(("equipment",), _("equipment {code} is not in {file}; add it there first, or fix the code")
                     .format(code=code, file=EQUIPMENT))
    item = equipment.get(code.upper()) if code else None
    where = _text(entry, "where", item is None) or item.location
    if not where:
        raise _Fault((), _("missing `where`: {code} has no location in {file}").format(code=code, file=EQUIPMENT))
    every = _every(entry)
    fixed = _fixed(entry)
    if not every and not fixed:
        raise _Fault((), _("a plan needs `every: 1m` (7d, 2w, 1m …) or `dates: [2026-06-01, 12-01]`"))
    start = _day(entry, "start", every is not None or any(day[0] is None for day in fixed))
    end = _day(entry, "end", False)
    if start and end and end < start:
        raise _Fault(("end",), _("end {end} is before start {start}").format(end=end, start=start))
    checklist = entry.get("checklist") or []
    if not isinstance(checklist, list) or len(checklist) > MAX_CHECKLIST:
        raise _Fault(("checklist",), _("checklist must be a list of at most {n} items, e.g. [检查压力表, 检查有无漏水]")
                     .format(n=MAX_CHECKLIST))
    items = []
    for n, value in enumerate(checklist):
        try:
            items.append(_text({"checklist": value}, "checklist"))
        except _Fault as fault:
            raise _Fault(("checklist", n), fault.message) from None
    return Plan(plan_id, name, where, item.code if item else None, every, fixed, start, end,
                _text(entry, "trade", False), tuple(items))


def _every(entry: dict) -> tuple[int, str] | None:
    if entry.get("every") is None:
        return None
    try:
        return schedule.parse_every(entry["every"])
    except RepairError as exc:
        raise _Fault(("every",), str(exc)) from None


def _fixed(entry: dict) -> tuple:
    dates = entry.get("dates")
    if dates is None:
        return ()
    if not isinstance(dates, list) or not dates:
        raise _Fault(("dates",), _("dates must be a list of days, e.g. dates: {example}")
                     .format(example=schedule.DATES_EXAMPLE))
    found = []
    for n, value in enumerate(dates):
        try:
            found.append(schedule.parse_fixed(value))
        except RepairError as exc:
            raise _Fault(("dates", n), str(exc)) from None
    return tuple(found)


def _day(entry: dict, key: str, required: bool) -> dt.date | None:
    if entry.get(key) is None:
        if required:
            raise _Fault((), _("missing `{key}`: from which day the plan runs, e.g. {key}: 2026-12-01")
                         .format(key=key))
        return None
    try:
        return schedule.parse_day(entry[key], key)
    except RepairError as exc:
        raise _Fault((key,), str(exc)) from None
