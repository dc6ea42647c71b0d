"""Whether an edit of office.yaml would re-judge orders already reported: `check`'s warnings.

An order is judged by the service levels in force the day it was received (office/levels.py).
An edit of `service_levels` that leaves the old values undated, or one of a past entry of
`service_levels_before`, changes the limits of orders received before the current report period
began: orders whose month has been reported. A new `timezone` or `report.cutoff_day` moves every
order's day and period. `check` compares office.yaml's working copy with HEAD's, where the edit
will be committed, and warns at the key with its old and new value and what to do instead.

A warning (rule `rejudge`, one of orders/rules.py's WARNINGS; docs/service-levels.md): `check`
lists it and exits 0 if nothing worse is found, so the pre-commit hook lets the commit through with
the warning in its output. Putting right a limit that was wrong all along is the office's call to
make, knowingly, not one a hook can refuse.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from repairctl.errors import OfficeError, Problem, shown
from repairctl.office import settings
from repairctl.office.folder import CONFIG
from repairctl.office.levels import BEFORE, NOW, in_force, versions
from repairctl.orders.limits import Levels
from repairctl.reports import stats
from repairctl.store import gitlog, yamlio
from repairctl.text import clock
from repairctl.text.i18n import _

FIELDS = [field.name for field in dataclasses.fields(Levels)]


def warnings(root: Path, now: dt.datetime | None = None) -> list[Problem]:
    """What the working copy of root's office.yaml changes, against HEAD's, for orders received before
    the report period now (the clock's) falls in; [] outside git, before the first commit, or while either is bad."""
    path = root / CONFIG
    old, new = _committed(root), _config(path.read_bytes(), path)
    if old is None or new is None:
        return []
    tz, cutoff = clock.zone(old.get("timezone") or clock.DEFAULT_ZONE), stats.cutoff_day(old)
    since, upcoming = _period((now or clock.now(tz)).astimezone(tz).date(), tz, cutoff)
    found = [*_setting(old, new, ("timezone",), clock.DEFAULT_ZONE, _(
                 "every order's times, days and periods are read in it, so orders already reported would be judged "
                 "again; an office keeps its timezone")),
             *_setting(old, new, ("report", "cutoff_day"), None, _(
                 "every month's period moves, so months already reported would count other orders; if that is "
                 "meant, say so beside the next report")),
             *_levels(old, new, since, upcoming)]
    try:
        tree = yamlio.compose(yamlio.decode(path.read_bytes(), path))
    except OfficeError:
        tree = None
    return sorted(Problem(shown(path), *yamlio.position(tree, keys), _("warning: {message}").format(message=message),
                          "rejudge")
                  for keys, message in found)


def _committed(root: Path) -> dict | None:
    """HEAD's office.yaml, parsed; None outside git, before the first commit, or when it is not tracked."""
    head = gitlog.head(root)
    if head is None or head[0] is None:
        return None
    result = gitlog.Started(root, "show", f"HEAD:{head[1]}{CONFIG}", text=False).result(check=False)
    return _config(result.stdout, root / CONFIG) if result.returncode == 0 else None


def _config(data: bytes, path: Path) -> dict | None:
    """A parsed office.yaml with good settings; None if it is not (`check` reports the working copy's)."""
    try:
        config = yamlio.parse(yamlio.decode(data, path), path)
    except OfficeError:
        return None
    return config if next(settings.findings(config), None) is None else None


def _period(today: dt.date, tz: dt.tzinfo, cutoff: int | None) -> tuple[dt.date, dt.date]:
    """The first day of the report period today falls in, and of the next one."""
    month = today if not cutoff or today.day <= cutoff else (today.replace(day=1) + dt.timedelta(days=32))
    start, end = stats.period(f"{month:%Y-%m}", tz, cutoff)
    return start.date(), end.date()


def _setting(old: dict, new: dict, keys: tuple, default, why: str) -> list[tuple[tuple, str]]:
    """A warning when the setting at keys changes (default: its value when left out)."""
    def value(config):
        return (config.get(keys[0]) or {}).get(keys[1], default) if len(keys) > 1 else config.get(keys[0]) or default

    was, now = value(old), value(new)
    if was == now:
        return []
    return [(keys, _("{key} changes from {old} to {new}: {why}").format(
        key=".".join(keys), old=_shown(was), new=_shown(now), why=why))]


def _levels(old: dict, new: dict, since: dt.date, upcoming: dt.date) -> list[tuple[tuple, str]]:
    """A warning for each limit and run of days before since whose limit the edit changes."""
    was, now = versions(old), versions(new)
    days = sorted({until for until, _version in was[1:] + now[1:] if until < since})
    # the limits are the same from one `until` to the next: one day of each stretch stands for it
    starts = [(days[0] if days else since) - dt.timedelta(days=1), *days]
    runs: list[list] = []  # [key, first stretch, last stretch, old value, new value, version in new]
    for n, day in enumerate(starts):
        version = in_force(now, day)
        before, after = Levels(**was[in_force(was, day)][1]), Levels(**now[version][1])
        for key in FIELDS:
            pair = getattr(before, key), getattr(after, key)
            if pair[0] == pair[1]:
                continue
            run = next((r for r in runs if r[0] == key and r[2] == n - 1 and r[3:5] == list(pair)), None)
            if run:
                run[2] = n
            else:
                runs.append([key, n, n, *pair, version])
    found = []
    for key, first, last, was_value, now_value, version in runs:
        until = starts[last + 1] if last + 1 < len(starts) else since
        change = (_("{key} changes from {old} to {new} for orders received before {until}") if first == 0 else
                  _("{key} changes from {old} to {new} for orders received from {first} until {until}")).format(
            key=key, old=_shown(was_value), new=_shown(now_value), first=starts[first], until=until)
        if version == 0:  # the limits in force now, edited without dating the old ones
            found.append(((NOW, key), _("{now}.{change}, in months already reported; to change it from a day on, "
                                        "put the old value at the top of {before}: `- {{until: {upcoming}, {key}: "
                                        "{old}}}`").format(now=NOW, change=change, before=BEFORE, upcoming=upcoming,
                                                            key=key, old=_shown(was_value))))
        else:
            found.append(((BEFORE, version - 1, key), _("{before}: {change}, in months already reported; those were "
                                                        "judged by the limits before the edit: put them back").format(
                before=BEFORE, change=change)))
    return found


def _shown(value) -> str:
    """A value as office.yaml would hold it: a time of day in quotes, none as `none`."""
    if isinstance(value, dt.time):
        return f"'{value:%H:%M}'"
    if isinstance(value, tuple):  # working_time's (clock, mode) pairs, as the mapping office.yaml holds
        return "{" + ", ".join(f"{clock}: {mode}" for clock, mode in value) + "}"
    return "none" if value is None else str(value)
