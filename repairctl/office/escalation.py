"""Escalation (升级, issue 15 §2; 003 §4.2.1.3–4): who must act next on an obligation late by more than a
set time. office.yaml `escalation:`, checked, and the holder it names for a late clock.

The seeds pass a late job up the line: first to the 工程主管, then to the 物业总监. Each step says after how
many hours late it applies (`after_hours`) and to whom (`to`); the step with the most hours the lateness
exceeds names the one who must act. `overdue` shows that holder beside the clock's own.
"""

from __future__ import annotations

from collections.abc import Iterator

from repairctl.office.values import shown as _shown
from repairctl.text.i18n import _

KEY = "escalation"
# (late by more than this many hours, who must act next), in rising hours
DEFAULT = ((2, "工程主管"), (24, "物业总监"))
MAX_STEPS, MAX_HOURS, MAX_NAME = 10, 24 * 365, 40
EXAMPLE = "[{after_hours: 2, to: 工程主管}, {after_hours: 24, to: 物业总监}]"

Found = Iterator[tuple[tuple, str]]


def steps(config) -> tuple[tuple[int, str], ...]:
    """The steps of office.yaml (checked by findings), or the seeds': ((after_hours, to), ...); [] turns it off."""
    raw = config.get(KEY) if isinstance(config, dict) else None
    if raw is None:
        return DEFAULT
    return tuple((step["after_hours"], step["to"].strip()) for step in raw)


def escalated_to(table, late_minutes: int) -> str | None:
    """Who must act on a clock late by late_minutes: the last step it is late by more than, or None."""
    found = None
    for hours, to in table:
        if late_minutes > hours * 60:
            found = to
    return found


def findings(config) -> Found:
    """Every problem of office.yaml's escalation, as (key path, message)."""
    raw = config.get(KEY) if isinstance(config, dict) else None
    if raw is None:
        return
    if not isinstance(raw, list) or len(raw) > MAX_STEPS:
        yield (KEY,), _("escalation must be a list of at most {most} steps, like {example}").format(
            most=MAX_STEPS, example=EXAMPLE)
        return
    before = 0
    for n, step in enumerate(raw):
        if not isinstance(step, dict) or set(step) != {"after_hours", "to"}:
            yield (KEY, n), _("an escalation step needs after_hours and to, and nothing else, like {example}").format(
                example="{after_hours: 2, to: 工程主管}")
            continue
        hours, to = step["after_hours"], step["to"]
        if type(hours) is not int or not before < hours <= MAX_HOURS:
            yield (KEY, n, "after_hours"), _("escalation after_hours {value} must be a whole number of hours "
                                             "above the step before ({before}) and at most {most}, e.g. 24").format(
                value=_shown(hours), before=before, most=MAX_HOURS)
        else:
            before = hours
        if not isinstance(to, str) or not to.strip() or len(to) > MAX_NAME:
            yield (KEY, n, "to"), _("escalation to {value} must name who acts next, like 工程主管").format(
                value=_shown(to))
