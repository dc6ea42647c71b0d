"""The office's time limits (服务时限): one set (Levels) and the sets of office.yaml's dates (Schedule).

office.yaml ``service_levels`` gives the limits in force now, each defaulting to the seeds' value
(see DOMAIN.md "Time limits"); ``service_levels_before`` gives earlier ones, each with the day it
ended (office/levels.py reads and checks both). An order is judged by the limits in force the day
it was received: orders/sla.py asks ``at(received)`` of whichever it is handed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from repairctl.office import levels as dated


@dataclass(frozen=True)
class Levels:
    """The office's time limits. These defaults are the one table of them; office.yaml overrides
    (office/levels.py holds each one's bounds)."""

    arrival_minutes: int = 15  # 000 §1.4
    emergency_day_minutes: int = 10  # 004 §5.2.7
    emergency_night_minutes: int = 30  # 004 §5.2.7
    emergency_day_start: dt.time = dt.time(9, 0)  # 004 §5.2.7
    emergency_day_end: dt.time = dt.time(22, 0)  # 004 §5.2.7
    appointment_early_minutes: int = 5  # 004 §5.2.2
    appointment_late_minutes: int = 2  # 004 §5.2.2
    finish_hours: int = 24  # 000 标准1
    emergency_finish_hours: int = 2  # 003 紧急 §五.1
    callback_hours: int = 24  # 000 §3.3
    fee_pending_hours: int = 72  # no seed gives one: an office choice
    followup_hours: int = 24  # 003 紧急 §八.2
    warranty_months: int = 3  # 003 紧急 §七
    # no seed gives one (003 §4.1.2.5: the owner pays at the finance desk): an office choice, and 0 (no
    # payment clock) unless office.yaml names it: an office that never recorded payments with `pay` would
    # otherwise find every fee of its history overdue the day it upgrades
    payment_days: int = 0
    complaint_answer_hours: int = 24  # 003 紧急 §八.2: a complaint's first answer (orders/complaints.py)
    # which clocks count working time: (clock, "hours" | "days") pairs (office/levels.py's Counting); none: all
    # calendar time, as the seeds count (office/workingtime.py)
    working_time: tuple = ()

    def is_day(self, moment: dt.datetime) -> bool:
        """Whether moment falls in the emergency daytime (start inclusive, end exclusive)."""
        return self.emergency_day_start <= moment.time() < self.emergency_day_end

    def at(self, received: dt.datetime) -> Levels:
        """The limits of an order received then: these (one set of limits judges every order)."""
        return self


class Schedule:
    """The office's limits over time: the ones in force now, and earlier ones each with the day it ended.

    Wherever a Levels judges orders, a Schedule does too: each order by the limits of its receipt day.
    """

    __slots__ = ("calendar", "earlier", "now", "tz")

    def __init__(self, now: Levels, earlier: list[tuple[dt.date, Levels]], tz: dt.tzinfo, calendar=None):
        self.now, self.earlier, self.tz = now, earlier, tz  # earlier: newest first
        self.calendar = calendar  # office/calendar.py's Calendar when a clock counts working time, else None

    def at(self, received: dt.datetime) -> Levels:
        """The limits in force on the day (office time) received falls on; before the oldest, the oldest."""
        if not self.earlier:
            return self.now
        found = [(None, self.now), *self.earlier]
        return found[dated.in_force(found, received.astimezone(self.tz).date())][1]

    def counts_working_time(self) -> bool:
        """Whether any version of the limits counts a clock in working time (so the calendar is needed)."""
        return any(levels.working_time for levels in (self.now, *(lv for _, lv in self.earlier)))

    def longest(self, key: str) -> int:
        """The longest of one limit over every version: how far back an order it judges may reach (warranty)."""
        return max(getattr(levels, key) for levels in (self.now, *(lv for _, lv in self.earlier)))


def levels(config: dict) -> Levels:
    """The office's time limits in force now from its config (office.yaml), defaults for the keys it leaves out.

    office/levels.py checks each level (load_office already did, for an office's own config);
    a bad one raises OfficeError.
    """
    return Levels(**dated.service_levels(config))


def schedule(config: dict, tz: dt.tzinfo) -> Schedule:
    """The office's time limits over time (office.yaml service_levels and service_levels_before), its
    days read in tz, the office's timezone; a bad level raises OfficeError."""
    now, *earlier = dated.versions(config)
    return Schedule(Levels(**now[1]), [(until, Levels(**values)) for until, values in earlier], tz)


def of_office(office) -> Schedule:
    """The office's limits over time with its calendar (calendar.yaml), read only when a clock counts working
    time; FileError when that file is bad. Without the file every clock counts calendar time."""
    found = schedule(office.config, office.tz)
    if found.counts_working_time():
        found.calendar = office.calendar
    return found
