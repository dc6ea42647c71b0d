"""Optional registries in records/: the owners of each unit (units.csv) and the office's technicians (staff.csv).

With units.csv, `new` confirms the caller is an owner of the unit (000 模板 §1) and fills
in a name or phone left out; with staff.csv, `assign` takes only a known technician.
Without them nothing changes. Headers may be Chinese or English (see terms); a unit's
several owners or phones are separated by / or ;.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from repairctl.errors import OfficeError, Problem, RepairError, field_problem
from repairctl.store import csvio
from repairctl.text import headers
from repairctl.text.i18n import _
from repairctl.text.inputs import check_phone, phone_digits, unit_key

UNITS = "units.csv"
STAFF = "staff.csv"
SPLIT = re.compile(r"\s*[/;；、]\s*")
HONORIFIC = re.compile(r"^(?P<surname>\S{1,2}?)(先生|女士|小姐|太太|阿姨|师傅)$")


@dataclass(frozen=True)
class Owners:
    """One unit of units.csv: its owners and phones, in the order written."""

    unit: str
    names: tuple[str, ...]
    phones: tuple[str, ...]


@dataclass
class Registry:
    """What records/ holds: units and staff (None when the file is absent), and the problems found."""

    units: dict[str, Owners] | None = None
    staff: dict[str, str] | None = None  # name -> trade
    problems: list[Problem] = field(default_factory=list)
    broken: list[Problem] = field(default_factory=list)  # header problems: the file cannot be used


def split(text: str) -> tuple[str, ...]:
    """The several names or phones of one cell."""
    return tuple(part for part in SPLIT.split(text.strip()) if part)


def _header(sheet: csvio.Sheet, table: dict, required: tuple[str, ...], shown: Path) -> tuple[dict, list[Problem]]:
    found, unknown = csvio.columns(sheet.header, table)
    known = ", ".join(f"{words[0]} ({key})" for key, words in table.items())
    problems = [Problem(shown, 1, i + 1, _("unknown column {column}; {file} has the columns {known}").format(
                    column=repr(text), file=shown.name, known=known))
                for i, text in unknown if text.strip() or any(csvio.cell(c, i) for _row, _line, c in sheet.rows)]
    problems += [Problem(shown, 1, 1, _("no {column} ({key}) column; {file} needs {known}").format(
                     column=table[key][0], key=key, file=shown.name, known=known))
                 for key in required if key not in found]
    return found, problems


def _phones(cells, index, shown, line, problems) -> tuple[str, ...]:
    good = []
    for phone in split(csvio.cell(cells, index)):
        try:
            good.append(check_phone(phone, "phone"))
        except RepairError as exc:
            problems.append(Problem(shown, line, index + 1, str(exc)))
    return tuple(good)


def _units(sheet: csvio.Sheet, shown: Path, reg: Registry, forms: bool) -> dict[str, Owners]:
    found, broken = _header(sheet, headers.UNITS_HEADER, ("unit", "names"), shown)
    reg.broken += broken
    units: dict[str, Owners] = {}
    lines: dict[str, int] = {}
    for _row, line, cells in [] if broken else sheet.rows:
        unit, names = csvio.cell(cells, found["unit"]), split(csvio.cell(cells, found["names"]))
        phones = _phones(cells, found.get("phones"), shown, line, reg.problems) if "phones" in found else ()
        if not unit:
            reg.problems.append(Problem(shown, line, found["unit"] + 1, _("empty unit; every line names a unit")))
        elif not names:
            reg.problems.append(Problem(shown, line, found["names"] + 1, _(
                "no owner name for {unit}; write it after the unit, like `{unit},张三`").format(unit=unit)))
        elif (key := unit_key(unit, forms)) in units:
            reg.problems.append(Problem(shown, line, found["unit"] + 1, _(
                "unit {unit} is listed twice (also line {line}); keep one line, owners separated by /").format(
                unit=unit, line=lines[key])))
        else:
            units[key], lines[key] = Owners(unit, names, phones), line
    return units


def _staff(sheet: csvio.Sheet, shown: Path, reg: Registry, forms: bool) -> dict[str, str]:
    found, broken = _header(sheet, headers.STAFF_HEADER, ("name",), shown)
    reg.broken += broken
    staff: dict[str, str] = {}
    for _row, line, cells in [] if broken else sheet.rows:
        name = csvio.cell(cells, found["name"])
        if "phone" in found:
            _phones(cells, found["phone"], shown, line, reg.problems)
        if not name:
            reg.problems.append(Problem(shown, line, found["name"] + 1,
                                        _("empty name; every line names a technician")))
        elif name in staff:
            reg.problems.append(Problem(shown, line, found["name"] + 1, _(
                "{name} is listed twice; keep one line for each technician").format(name=name)))
        else:
            staff[name] = csvio.cell(cells, found.get("trade"))
    return staff


def load(root: Path, shown=lambda path: path, forms: bool = False) -> Registry:
    """Read records/units.csv and records/staff.csv when present, with every problem in them.

    Units are keyed by unit_key(unit, forms): forms is office.yaml's units.same_building_forms."""
    reg = Registry()
    for name, attribute, reader in ((UNITS, "units", _units), (STAFF, "staff", _staff)):
        path = root / "records" / name
        if not path.is_file():
            continue
        try:
            sheet = csvio.read(path)
        except RepairError as exc:
            reg.broken.append(Problem(shown(path), 1, 1, str(exc).removeprefix(f"{path}: ")))
            continue
        setattr(reg, attribute, reader(sheet, shown(path), reg, forms))
    reg.problems = reg.broken + reg.problems
    return reg


def usable(root: Path, forms: bool = False) -> Registry:
    """The registries for a command: refused with the first problem if a file cannot be read at all."""
    reg = load(root, forms=forms)
    if reg.broken:
        raise OfficeError(_("{problem}; fix it (`repairctl check` lists every problem) or remove the file").format(
            problem=reg.broken[0]))
    return reg


def owner_index(owners: Owners, name: str) -> int | None:
    """Which owner of the unit a caller's name is: the full name, or surname + 先生/女士 … when only one fits."""
    plain = unit_key(name)
    for index, owner in enumerate(owners.names):
        if unit_key(owner) == plain:
            return index
    match = HONORIFIC.match(plain)
    fits = [i for i, owner in enumerate(owners.names) if match and owner.startswith(match["surname"])]
    return fits[0] if len(fits) == 1 else None


def phone_index(owners: Owners, phone: str) -> int | None:
    """Which of the unit's phones a caller's phone is."""
    wanted = phone_digits(phone)
    return next((i for i, known in enumerate(owners.phones) if phone_digits(known) == wanted), None)


def check_technician(reg: Registry, name: str, shown: str = f"records/{STAFF}") -> None:
    """Refuse a technician staff.csv does not list (when there is a staff.csv)."""
    if reg.staff is None or name in reg.staff:
        return
    known = list(reg.staff)
    listed = ", ".join(known[:10]) + (_(" … ({n} in all)").format(n=len(known)) if len(known) > 10 else "")
    raise RepairError(_("{name} is not in {file}; the technicians are: {listed} (add a line to {file} for a new one)"
                        ).format(name=name, file=shown, listed=listed or _("none")))


def identify(owners: Owners, name: str | None, phone: str | None, *, force: bool,
             labels: dict) -> tuple[str | None, str | None, list[Problem]]:
    """Check a caller against the unit's owners, and fill in the name or phone left out.

    Returns (name, phone, problems): problems of the fields name and phone; --force lets a
    caller who is not on record through (a tenant, a relative on another phone).
    """
    where, problems = f"records/{UNITS}", []
    who = owner_index(owners, name) if name else None
    line = phone_index(owners, phone) if phone else None
    if name and who is None and not force:
        problems.append(field_problem("name", _("{name} is not an owner of {unit} on record ({owners} in {file}); "
                                                "confirm who is calling (000 §1), or pass --force").format(
            name=name, unit=owners.unit, owners="/".join(owners.names), file=where)))
    if phone and owners.phones and line is None and not force:
        problems.append(field_problem("phone", _("{phone} is not a phone of {unit} on record in {file}; "
                                                 "confirm who is calling (000 §1), or pass --force").format(
            phone=phone, unit=owners.unit, file=where)))
    if not name and not phone:
        problems.append(field_problem("name", _("give {name} or {phone} (or both): who is calling about {unit}?")
                                      .format(name=labels["name"], phone=labels["phone"], unit=owners.unit)))
        return name, phone, problems
    paired = len(owners.names) == len(owners.phones)
    if not name:
        index = line if line is not None and paired else 0 if len(owners.names) == 1 else None
        if index is None:
            problems.append(field_problem("name", _("{name} is missing and {unit} has several owners on record "
                                                    "({owners}); give {name}").format(
                name=labels["name"], unit=owners.unit, owners="/".join(owners.names))))
        name = owners.names[index] if index is not None else None
    if not phone:
        index = who if who is not None and paired else 0 if len(owners.phones) == 1 else None
        if index is None:
            why = (_("{phone} is missing and {unit} has several phones on record in {file}; give {phone}")
                   if owners.phones else
                   _("{phone} is missing and {unit} has no phone on record in {file}; give {phone}"))
            problems.append(field_problem("phone", why.format(phone=labels["phone"], unit=owners.unit, file=where)))
        phone = owners.phones[index] if index is not None else None
    return name, phone, problems
