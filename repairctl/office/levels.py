"""Service levels (服务时限) over time: office.yaml's `service_levels`, the limits in force now, and
`service_levels_before`, the limits of earlier days, each entry dated by the day it ended.

An order is judged by the limits in force when it was received (docs/service-levels.md says why):

    service_levels:               # in force now, and since the newest `until` below
      arrival_minutes: 20
    service_levels_before:        # newest first
      - until: 2026-12-01         # orders received before 1 December ...
        arrival_minutes: 15       # ... arrive within 15; every level not named here as the entry above
      - until: 2026-06-01
        finish_hours: 48

An entry names only the limits that differed: a level it leaves out had the value of the newer
entry above it (or of `service_levels`). An order received before the oldest `until` takes the
oldest entry. orders/sla.py turns these values into Levels and picks a version per order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Iterator

from repairctl.errors import OfficeError
from repairctl.office.values import Whole, date_of, name, shown, time_fault, time_of_day
from repairctl.text.i18n import N_, _

DAY, WEEK = 24 * 60, 7 * 24 * 60  # in minutes
NOW, BEFORE = "service_levels", "service_levels_before"

# the kind and bounds of each level; orders/sla.py's Levels holds their defaults, and the
# defaults here must agree with it (tests/test_settings.py holds them to it)
MINUTES, TOLERANCE = Whole(15, 1, WEEK, N_("minutes")), Whole(5, 0, DAY, N_("minutes"))
HOURS, MONTHS = Whole(24, 1, 30 * 24, N_("hours")), Whole(3, 0, 120, N_("months"))
LEVELS = {
    "arrival_minutes": MINUTES, "emergency_day_minutes": MINUTES, "emergency_night_minutes": MINUTES,
    "emergency_day_start": "time", "emergency_day_end": "time",
    "appointment_early_minutes": TOLERANCE, "appointment_late_minutes": TOLERANCE,
    "finish_hours": HOURS, "emergency_finish_hours": HOURS, "callback_hours": HOURS, "fee_pending_hours": HOURS,
    "followup_hours": HOURS, "warranty_months": MONTHS,
    "payment_days": Whole(0, 0, 365, N_("days")),  # 0: payments are not recorded, no clock
    "complaint_answer_hours": HOURS,  # a complaint's first answer (投诉首次答复)
}
# working_time: which clocks count working time, and how (office/workingtime.py); arrival and appointments
# stay calendar time, as do an emergency's clocks (the seeds' minutes, day and night)
COUNTED, MODES = ("finish", "callback", "fee", "followup", "payment"), ("hours", "days")


class Counting:
    """The kind of `working_time`: a mapping of clocks to hours or days ({finish: days}); Levels holds it
    parsed, as sorted (clock, mode) pairs, and its default () is every clock in calendar time."""

    default: tuple = ()

    def fault(self, value) -> str | None:
        pairs = value.items() if isinstance(value, dict) else value if isinstance(value, tuple) else None
        if pairs is None:
            return _("must be a mapping of clocks to hours or days, like {example}, not {value}").format(
                example="{finish: days, fee: hours}", value=shown(value))
        for clock, mode in pairs:
            if clock not in COUNTED:
                return _("names {clock}; only {clocks} can count working time (arrival and appointments stay "
                         "calendar time)").format(clock=shown(clock), clocks=", ".join(COUNTED))
            if mode not in MODES:
                return _("{clock}: {value} must be hours (working hours) or days (working days)").format(
                    clock=clock, value=shown(mode))
        return None

    @staticmethod
    def parsed(value: dict) -> tuple:
        return tuple(sorted(value.items()))


LEVELS["working_time"] = Counting()
DAYTIME = (dt.time(9, 0), dt.time(22, 0))  # emergency_day_start and _end left out (004 §5.2.7)
DAYTIME_KEYS = ("emergency_day_start", "emergency_day_end")
EXAMPLE = "- {until: 2026-12-01, arrival_minutes: 15}"

Found = Iterator[tuple[tuple, str]]


def findings(config: dict) -> Found:
    """Every bad level of a parsed office.yaml, in either key, as (key path, message)."""
    raw = config.get(NOW)
    if raw is not None and not isinstance(raw, dict):
        yield (NOW,), _("{key} must be a mapping of settings, like `arrival_minutes: 15`").format(key=NOW)
        return
    daytime = yield from _levels(raw or {}, (NOW,), NOW, dict(zip(DAYTIME_KEYS, DAYTIME, strict=True)))
    yield from _before(config.get(BEFORE), daytime)


def service_levels(config: dict) -> dict:
    """The levels in force now, as office.yaml sets them (times of day as dt.time); OfficeError on the first bad one."""
    _refuse(config)
    return _parsed((config or {}).get(NOW) or {})


def versions(config: dict) -> list[tuple[dt.date | None, dict]]:
    """Every set of limits office.yaml gives, newest first: (the day it ended, None for those in force
    now; the levels it sets, an entry's merged over the newer ones); OfficeError on the first bad level.
    A level none sets keeps orders/sla.py's default."""
    _refuse(config)
    found = [(None, _parsed((config or {}).get(NOW) or {}))]
    for entry in (config or {}).get(BEFORE) or []:
        levels = {key: value for key, value in entry.items() if key != "until"}
        found.append((date_of(entry["until"]), {**found[-1][1], **_parsed(levels)}))
    return found


def in_force(found: list[tuple[dt.date | None, dict]], day: dt.date) -> int:
    """Which of versions() judges the orders received on day: the oldest whose `until` is after it."""
    index = 0
    for n, (until, _levels) in enumerate(found[1:], 1):
        if day >= until:
            break
        index = n
    return index


# --- checking ----------------------------------------------------------------------------------------


def _refuse(config) -> None:
    first = next(findings(config or {}), None)
    if first:
        raise OfficeError("office.yaml: " + first[1])


def _parsed(raw: dict) -> dict:
    return {key: time_of_day(value) if LEVELS[key] == "time" else
            LEVELS[key].parsed(value) if isinstance(LEVELS[key], Counting) else value for key, value in raw.items()}


Checked = Generator[tuple[tuple, str], None, dict | None]  # the faults, then the emergency daytime left in force


def _levels(raw: dict, keys: tuple, label: str, daytime: dict | None) -> Checked:
    """The faults of one mapping of levels, named label.KEY and placed at keys + (KEY,); returns the
    emergency daytime it leaves in force (daytime: the one before it), None once either is unreadable."""
    for key, value in raw.items():
        kind = LEVELS.get(key)
        if kind is None:
            yield (*keys, key), _("{label}.{key} is not a service level; the levels are {levels}").format(
                label=label, key=name(key), levels=", ".join(LEVELS))
        elif why := (time_fault(value) if kind == "time" else kind.fault(value)):
            yield (*keys, key), f"{label}.{key} {why}"
    times = {key: raw[key] for key in DAYTIME_KEYS if key in raw}
    if daytime is None or any(map(time_fault, times.values())):
        return None
    daytime = {**daytime, **{key: time_of_day(value) for key, value in times.items()}}
    start, end = daytime.values()
    if times and start >= end:  # an entry that moves neither keeps the newer one's, checked there
        yield (*keys, "emergency_day_start"), _("{label}.emergency_day_start ({start}) must be before "
                                                "emergency_day_end ({end})").format(
            label=label, start=f"{start:%H:%M}", end=f"{end:%H:%M}")
    return daytime


def _before(raw, daytime: dict | None) -> Found:
    """The faults of service_levels_before: a list of dated entries, newest first (daytime: the
    emergency daytime in force now, None if unreadable)."""
    if raw is None:
        return
    if not isinstance(raw, list):
        yield (BEFORE,), _("{key} must be a list of earlier limits, newest first, like `{example}`").format(
            key=BEFORE, example=EXAMPLE)
        return
    newer = None
    for n, entry in enumerate(raw):
        label = f"{BEFORE}[{n}]"
        if not isinstance(entry, dict):
            yield (BEFORE, n), _("{label} must be a mapping, like `{example}`").format(label=label, example=EXAMPLE[2:])
            continue
        until = date_of(entry.get("until"))
        if "until" not in entry:
            yield (BEFORE, n), _("{label} has no `until`: give the day these limits ended, like `until: 2026-12-01`"
                                 ).format(label=label)
        elif until is None:
            yield (BEFORE, n, "until"), _("{label}.until must be a day like 2026-12-01 (in 2000..2099), "
                                          "not {value}").format(label=label, value=shown(entry["until"]))
        elif newer and until >= newer[0]:
            yield (BEFORE, n, "until"), _("{label}.until {until} must be before {newer}'s {day}: "
                                          "list the entries newest first, one per day").format(
                label=label, until=until, newer=f"{BEFORE}[{newer[1]}]", day=newer[0])
        newer = (until, n) if until else newer
        levels = {key: value for key, value in entry.items() if key != "until"}
        if not levels:
            yield (BEFORE, n), _("{label} names no limit: list the limits that were in force before its `until`, "
                                 "like `arrival_minutes: 15`").format(label=label)
        daytime = yield from _levels(levels, (BEFORE, n), label, daytime)
