"""What `check` says of the office's calendar: calendar.yaml's problems, a clock set to count working time in
an office without the file, and, in December, a warning while next year's holidays are not typed in yet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from repairctl.errors import OfficeError, Problem, shown
from repairctl.office import calendar, levels
from repairctl.store import yamlio
from repairctl.text.i18n import _


def counts_working_time(config) -> bool:
    """Whether office.yaml (checked) has any clock count working time, now or in an earlier version."""
    return any(found.get("working_time") for _until, found in levels.versions(config or {}))


def problems(root: Path, config, today: dt.date) -> list[Problem]:
    """Every problem and warning of the office's calendar, judged on today (the office's)."""
    found = calendar.problems(root)
    if found:
        return found
    path = calendar.path_of(root)
    if not path.is_file():
        return _without_file(root, config, today)
    year = calendar.missing_year(calendar.load(root, dt.UTC), today)
    if year is None:
        return []
    message = _("lists no holidays for {year}: when the State Council has published them, type them in under "
                "holidays and workdays (or run `repairctl calendar seed {year}` once chinese-calendar has them)"
                ).format(year=year)
    try:
        tree = yamlio.compose(yamlio.decode(path.read_bytes(), path))
    except (OfficeError, OSError):
        tree = None
    return [Problem(shown(path), *yamlio.position(tree, ("holidays",)), _("warning: {message}").format(message=message),
                    calendar.WARNING)]


def blocking(root: Path, config, found: list[Problem]) -> bool:
    """Whether found holds a problem of calendar.yaml that stops every clock: one counts working time by it."""
    return (any(problem.rule == calendar.RULE for problem in found) and calendar.path_of(root).is_file()
            and counts_working_time(config))


def _without_file(root: Path, config, today: dt.date) -> list[Problem]:
    if not counts_working_time(config):
        return []  # an office without a calendar counts calendar time, as it always did
    path = root / "office.yaml"
    try:
        tree = yamlio.compose(yamlio.decode(path.read_bytes(), path))
    except (OfficeError, OSError):
        tree = None
    return [Problem(shown(path), *yamlio.position(tree, ("service_levels", "working_time")),
                    _("working_time counts working time, but the office has no {file}, so every clock counts "
                      "calendar time; make one with `repairctl calendar seed {year}`").format(
                        file=calendar.FILE, year=today.year), calendar.RULE)]
