"""office.yaml checked: every setting by type, range and meaning, each problem at its line and column.

load_office checks the settings on every command, in the main process, before anything uses
one or any worker process starts: a bad setting is one line `office.yaml:LINE:COL: message`
from every command, and `check` lists them all. Values are judged on the plain mapping (the
remembered parse of office.yaml); only a file found bad is composed again, to place its problems.
The bounds are wide enough for any office's real choice and narrow enough to catch a typo
(docs/formats.md lists them). The service levels, dated, are levels.py's; the kinds of value, values.py's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from repairctl.errors import FileError, OfficeError, Problem, RepairError, shown
from repairctl.office import escalation, levels, sampling
from repairctl.office.levels import DAY, DAYTIME, HOURS, LEVELS, MINUTES, MONTHS, TOLERANCE  # noqa: F401 - all bounds here
from repairctl.office.values import Whole
from repairctl.office.values import name as _name
from repairctl.office.values import shown as _shown
from repairctl.store import yamlio
from repairctl.text import clock, i18n, inputs
from repairctl.text.i18n import N_, _

SITE_RE = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
SLIP_COPIES = ("业户联", "财务联", "存根联")  # 000 §4
MAX_COPIES, MAX_COPY_NAME, MAX_NAME = 6, 20, 100
# office.yaml's numbers at the top level
FUTURE_TOLERANCE = Whole(10, 0, DAY, N_("minutes"))  # an --at later than now by more than this is refused
BACKDATE = Whole(400, 1, 3650, N_("days"))  # an --at earlier than now by more than this is refused (a year typo)
NUMBERS = {"future_tolerance_minutes": FUTURE_TOLERANCE, "backdate_days": BACKDATE}

TARGETS = ("satisfaction", "on_time", "rework_rate_max", "callback_unit", "callback_all")  # reports/stats.py's
KEYS = ("site", "name", "phone", "timezone", "language", "slip_copies", "future_tolerance_minutes", "backdate_days",
        "service_levels", "service_levels_before", "targets", "report", "units",
        "fees", "callback_sample", "escalation")
# office.yaml's `fees`: whether paid work needs an accepted quote before the close (000 has no quote
# step, so no by default), and how far a fee may exceed the accepted quote before close warns
FEES = {"quote_required": False, "quote_margin": 0.10}

Found = Iterator[tuple[tuple, str]]


class SettingsError(FileError):
    """office.yaml holds bad settings: the first, placed, is the message; problems holds every one."""

    def __init__(self, problems: list[Problem]):
        first = problems[0]
        more = (_(" (and {n} more: `repairctl check` lists them)").format(n=len(problems) - 1)
                if len(problems) > 1 else "")
        super().__init__(Problem(first.path, first.line, first.column, first.message + more, first.rule))
        self.problems = problems


def check(path: Path, config) -> None:
    """Raise SettingsError when the settings of office.yaml at path (parsed: config) break any rule."""
    found = list(findings(config))
    if found:
        raise SettingsError(place(path, found))


def problems(path: Path) -> list[Problem]:
    """Every problem of the settings in office.yaml at path ([] when they are good or it cannot be parsed)."""
    try:
        config = yamlio.load_fast(path)
    except OfficeError:
        return []  # a file that is not YAML: loading the office says where
    found = list(findings(config))
    return place(path, found) if found else []


def place(path: Path, found: list[tuple[tuple, str]]) -> list[Problem]:
    """Give each finding its line and column in the file at path, shown as the user sees the path; in file order."""
    try:
        tree = yamlio.compose(yamlio.decode(path.read_bytes(), path))
    except (OfficeError, OSError):
        tree = None
    return sorted(Problem(shown(path), *yamlio.position(tree, keys), message, "settings") for keys, message in found)


def findings(config) -> Found:
    """Every bad setting of a parsed office.yaml, as (key path, message)."""
    if not isinstance(config, dict):
        yield (), _("expected a mapping of settings such as `site: HQ`")
        return
    for key in config:
        if key not in KEYS:  # a misspelt key would otherwise silently keep its default
            yield (key,), _("{key} is not a setting; the settings are {keys}").format(key=_name(key),
                                                                                      keys=", ".join(KEYS))
    site = config.get("site")
    if site is None:
        yield (), _("site is missing; give the office's code, the prefix of its order IDs, like `site: HQ`")
    elif not (isinstance(site, str) and SITE_RE.match(site)):
        yield ("site",), _("site {value} must be upper-case letters and digits, like HQ or SZ01").format(
            value=_shown(site))
    yield from _text("name", config.get("name"), MAX_NAME)
    yield from _phone(config.get("phone"))
    yield from _timezone(config.get("timezone"))
    yield from _language(config.get("language"))
    yield from _copies(config.get("slip_copies"))
    for key, kind in NUMBERS.items():
        if key in config and (why := kind.fault(config[key])):
            yield (key,), f"{key} {why}"
    yield from levels.findings(config)  # service_levels and service_levels_before
    yield from _targets(config.get("targets"))
    yield from _report(config.get("report"))
    yield from _units(config.get("units"))
    yield from _fees(config.get("fees"))
    yield from sampling.findings(config)  # the callback sample's bands, 004 §5.4.3
    yield from escalation.findings(config)  # who acts next on a late clock (issue 15 §2)


def same_forms(config) -> bool:
    """Whether office.yaml makes 3-1201, 3栋1201 and 3号楼1201 one unit (units.same_building_forms; off by default)."""
    units = config.get("units") if isinstance(config, dict) else None
    return isinstance(units, dict) and units.get("same_building_forms") is True


def fees(config) -> tuple[bool, Decimal]:
    """office.yaml fees (checked): (quote_required, quote_margin as a Decimal fraction), defaults filled in."""
    raw = {**FEES, **((config.get("fees") if isinstance(config, dict) else None) or {})}
    return raw["quote_required"] is True, Decimal(str(raw["quote_margin"]))  # the digits written: 0.1, not 0.1000…01


def number(config: dict, key: str) -> int:
    """A top-level number of office.yaml (checked), or its default."""
    return config.get(key, NUMBERS[key].default)


# --- each setting -----------------------------------------------------------------------------------


def _text(key: str, value, longest: int) -> Found:
    if value is None:
        return
    if not isinstance(value, str):
        yield (key,), _("{key} must be text, not {value}").format(key=key, value=_shown(value))
    elif why := inputs.fault(value, lines=False) or (len(value) > longest and _longer(longest)):
        yield (key,), f"{key} {why}"


def _longer(longest: int) -> str:
    return _("is longer than {n} characters").format(n=longest)


def _phone(value) -> Found:
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML reads 0755... unquoted as a number, and the leading 0 is lost
        yield ("phone",), _("phone must be in quotes, like '0755-12345678' (unquoted, YAML reads it as the "
                            "number {value})").format(value=value)
        return
    yield from _text("phone", value, 30)
    if isinstance(value, str) and value.strip() and not inputs.fault(value, lines=False):
        try:
            inputs.check_phone(value, "phone")
        except RepairError as exc:
            yield ("phone",), str(exc)


def _timezone(value) -> Found:
    if value is None:
        return
    if not isinstance(value, str):
        yield ("timezone",), _("timezone must be a name like Asia/Shanghai, not {value}").format(value=_shown(value))
        return
    try:
        clock.zone(value)
    except OfficeError:
        yield ("timezone",), _("timezone {value} is not a known timezone; use a name like Asia/Shanghai").format(
            value=_shown(value))


def _language(value) -> Found:
    # text/i18n.py reads this key without a parser, before the office is loaded: only its plain forms
    if value is not None and value not in i18n.LANGUAGES:
        yield ("language",), _("language {value} is not a language of repairctl; use one of {languages}").format(
            value=_shown(value), languages=", ".join(i18n.LANGUAGES))


def _copies(value) -> Found:
    if value is None:
        return
    if not isinstance(value, list) or not value:
        yield ("slip_copies",), _("slip_copies must be a list of copy names, like [{copies}]").format(
            copies=", ".join(SLIP_COPIES))
        return
    if len(value) > MAX_COPIES:
        yield ("slip_copies",), _("slip_copies names {n} copies; a slip has at most {most}").format(
            n=len(value), most=MAX_COPIES)
    seen = set()
    for n, name in enumerate(value):
        if not isinstance(name, str) or not name.strip():
            yield ("slip_copies", n), _("slip_copies[{n}] must be the name of a copy, like 业户联").format(n=n)
        elif why := inputs.fault(name, lines=False) or (len(name) > MAX_COPY_NAME and _longer(MAX_COPY_NAME)):
            yield ("slip_copies", n), f"slip_copies[{n}] {why}"
        elif name in seen:  # `slip --copy NAME` picks a copy by its name
            yield ("slip_copies", n), _("slip_copies names {name} twice; give each copy its own name").format(
                name=name)
        seen.add(name)


def _targets(raw) -> Found:
    if raw is None:
        return
    if not isinstance(raw, dict):
        yield ("targets",), _("`targets` must be a mapping such as {example}").format(example="{satisfaction: 0.95}")
        return
    for key, value in raw.items():
        if key not in TARGETS:
            yield ("targets", key), _("unknown target {key}; known: {known}").format(
                key=_shown(key), known=", ".join(TARGETS))
        elif type(value) not in (int, float) or not 0 <= value <= 1:  # NaN is not within 0..1 either
            yield ("targets", key), _("target {key} {value} must be a fraction 0..1, e.g. 0.95 for 95%").format(
                key=key, value=_shown(value))


def _section(raw, name: str, key: str, example: str):
    """The problems of a section holding one setting (its shape, unknown keys); returns whether it is a mapping."""
    if not isinstance(raw, dict):
        yield (name,), _("{name} must be a mapping, like `{name}: {example}`").format(name=name, example=example)
        return False
    for other in raw:
        if other != key:
            yield (name, other), _("{name}.{other} is not a setting; {name} has {key}").format(
                name=name, other=_name(other), key=key)
    return True


def _report(raw) -> Found:
    if raw is None or not (yield from _section(raw, "report", "cutoff_day", "{cutoff_day: 20}")):
        return
    day = raw.get("cutoff_day")
    if day is not None and (type(day) is not int or not 1 <= day <= 28):
        yield ("report", "cutoff_day"), _("report.cutoff_day {value} must be a day 1..28 "
                                          "(20: from the 21st to the 20th)").format(value=_shown(day))


def _units(raw) -> Found:
    if raw is None or not (yield from _section(raw, "units", "same_building_forms", "{same_building_forms: true}")):
        return
    if "same_building_forms" in raw and not isinstance(raw["same_building_forms"], bool):
        yield ("units", "same_building_forms"), _("units.same_building_forms {value} must be true or false").format(
            value=_shown(raw["same_building_forms"]))


def _fees(raw) -> Found:
    if raw is None:
        return
    if not isinstance(raw, dict):
        yield ("fees",), _("fees must be a mapping, like `fees: {example}`").format(
            example="{quote_required: false, quote_margin: 0.10}")
        return
    for key, value in raw.items():
        if key not in FEES:
            yield ("fees", key), _("fees.{key} is not a setting; fees has {keys}").format(
                key=_name(key), keys=", ".join(FEES))
        elif key == "quote_required" and not isinstance(value, bool):
            yield ("fees", key), _("fees.quote_required {value} must be true or false").format(value=_shown(value))
        elif key == "quote_margin" and (type(value) not in (int, float) or not 0 <= value <= 1):
            yield ("fees", key), _("fees.quote_margin {value} must be a fraction 0..1, e.g. 0.10 for 10%").format(
                value=_shown(value))
