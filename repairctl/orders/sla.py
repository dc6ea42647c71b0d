"""Service levels (服务时限): the clocks an order starts, when each falls due, and whether it was kept.

Every clock is an :class:`Obligation`: something owed on one order (arrive, finish, call back,
settle a fee, follow up a complaint), who holds it, when it is due and when, if ever, it was done.
The limits come from office.yaml ``service_levels``, each defaulting to the seeds' value
(see DOMAIN.md "Time limits"), and ``service_levels_before`` dates earlier ones: an order is judged
by the limits in force the day it was received (a :class:`Schedule`; docs/service-levels.md says
why). Pure functions over :class:`repairctl.orders.records.Order`; no files.

Clocks measure real elapsed time: due times are worked out, and times compared, in UTC, then shown
in office time, so 15 minutes stay 15 on the night the clocks change. Only whether an emergency
came by day or by night reads the wall clock, as the seeds mean it. A clock office.yaml's
``working_time`` names counts working hours or days by the office's calendar.yaml instead
(office/workingtime.py), through the one hook ``due_after``; lateness stays real minutes past due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from repairctl.orders import inspection, lifecycle, limits, payments, planned
from repairctl.orders.limits import Levels, Schedule
from repairctl.orders.records import Order
from repairctl.text import clock, terms
from repairctl.text.inputs import unit_key

KINDS = tuple(terms.SLA_WHAT)  # arrival, appointment, finish, callback, fee, followup, payment
TARGETED = KINDS[:4]  # the clocks the monthly report holds to a target (arrival … callback)
TECHNICIAN = KINDS[:3]  # the technician's own clocks (arrival, appointment, finish)
MINUTE = dt.timedelta(minutes=1)
UTC = dt.UTC
levels, schedule = limits.levels, limits.schedule  # the limits now, and over time: sla.levels(config) as ever
of_office = limits.of_office  # the limits over time with the office's calendar, when a clock counts working time


def later(moment: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """The time delta of real elapsed time after moment, in moment's timezone."""
    # Python adds on the wall clock within one zone: the night New York falls back, 01:50 EDT + 15 min
    # is 02:05 EST, 75 real minutes on. Through UTC it is 01:05 EST (the second 01:05), 15 minutes on.
    return (moment.astimezone(UTC) + delta).astimezone(moment.tzinfo)


def _utc(moment: dt.datetime) -> dt.datetime:
    # two times in one zoneinfo zone subtract and compare on the wall clock too: in UTC they cannot
    return moment.astimezone(UTC)


@dataclass(slots=True)  # slots, not frozen: overdue makes thousands, and frozen init is slow
class Obligation:
    """One clock of one order: what is owed, by whom, by when, and when it was done (None: still open)."""

    order_id: str
    unit: str
    kind: str
    due: dt.datetime
    done: dt.datetime | None
    holder: str
    what: str
    # An appointment is due at the agreed time but only late past the tolerance after it (grace),
    # and coming before `earliest` is a miss too (004 §5.2.2). Other clocks leave both unset.
    grace: dt.timedelta = dt.timedelta(0)
    earliest: dt.datetime | None = None

    def late_minutes(self, at: dt.datetime | None = None) -> int:
        """Whole minutes past due (plus grace), at `done` if done else at `at`; 0 or less is not late."""
        moment = self.done or at
        if moment is None:
            raise ValueError(f"{self.order_id} {self.kind} is still open: late_minutes needs a time to judge at")
        # floor: due 10:15 is still kept at 10:15:59 and late from 10:16; real minutes, in UTC
        return (_utc(moment) - _utc(self.due) - self.grace) // MINUTE

    def met(self) -> bool | None:
        """True if done on time, False if done late (or too early), None while still open."""
        if self.done is None:
            return None
        if self.earliest is not None and _utc(self.done) < _utc(self.earliest):
            return False
        return self.late_minutes() <= 0


def _timeline(order: Order) -> list[tuple[str, dt.datetime, dict]]:
    """The order's events with a readable time, in file order (which the desk keeps in time order)."""
    timed = [(str(e.get("action")), clock.as_time(e.get("at"), order.tz), e) for e in order.events]
    return [(action, at, event) for action, at, event in timed if at is not None]


def _first(timeline, actions: tuple[str, ...], start: int = 0, end: int | None = None) -> dt.datetime | None:
    return next((at for action, at, _ in timeline[start:end] if action in actions), None)


def _visit_clocks(order: Order, lv: Levels, received: dt.datetime, make) -> list[Obligation]:
    """The arrival clock from receipt, or one appointment clock per agreed time."""
    timeline = _timeline(order)
    moves = [i for i, (action, _, _) in enumerate(timeline) if action == "rescheduled"]
    # Each clock runs from its start to the next reschedule. The first runs from receipt as the
    # order's urgency says; a reschedule keeps the urgency and notes the time it replaced (`from`).
    segments = []
    urgency = order.get("urgency") or "immediate"
    if urgency == "appointment":
        first = clock.as_time(timeline[moves[0]][2].get("from"), order.tz) if moves else order.appointment_time
        if first:
            segments.append((0, "appointment", first))
    elif urgency == "emergency":
        # day or night is the wall clock's (the seeds' 09:00-22:00); the minutes are real ones
        minutes = lv.emergency_day_minutes if lv.is_day(received) else lv.emergency_night_minutes
        segments.append((0, "arrival", later(received, dt.timedelta(minutes=minutes))))
    else:
        segments.append((0, "arrival", later(received, dt.timedelta(minutes=lv.arrival_minutes))))
    for n, i in enumerate(moves):
        last = n == len(moves) - 1
        to = clock.as_time(timeline[i][2].get("to"), order.tz) or (order.appointment_time if last else None)
        if to:
            segments.append((i + 1, "appointment", to))
    found = []
    for start, kind, due in segments:
        end = next((i for i in moves if i >= start), None)
        grace = dt.timedelta(minutes=lv.appointment_late_minutes) if kind == "appointment" else dt.timedelta(0)
        earliest = later(due, -dt.timedelta(minutes=lv.appointment_early_minutes)) if kind == "appointment" else None
        # The technician came (arrived, or found nobody home and left a note) ends the clock; a
        # close with no visit recorded proves the visit happened no later than the close.
        done = _first(timeline, ("arrived", "absent"), start, end) or _first(timeline, ("finished",), start, end)
        if done is None and end is not None:
            moved_at = timeline[end][1]
            if _utc(moved_at) <= _utc(due) + grace:
                continue  # moved in time by agreement with the owner: nothing was missed
            done = moved_at  # already late when rebooked: a miss, closed at the rebooking
        found.append(make(kind, due, done, grace=grace, earliest=earliest))
    return found


def finish_start(order: Order) -> dt.datetime:
    """Where the finish clock starts: receipt, or the visit time agreed with the owner (the latest, after
    any reschedule), as the work can start no earlier; an appointment booked three days ahead and kept
    is not late on finish for the days the owner chose to wait (issue 14)."""
    received, agreed = order.received, order.appointment_time
    return agreed if agreed is not None and _utc(agreed) > _utc(received) else received


def approved_until(order: Order) -> dt.datetime | None:
    """The finish time last approved with `delay` (the latest delay wins), or None when there is none."""
    untils = [event.get("until") for event in order.events if event.get("action") == "delayed"]
    return clock.as_time(untils[-1], order.tz) if untils else None


def obligations(order: Order, levels: Levels | Schedule) -> list[Obligation]:
    """Every clock of the order, done or open (open ones dropped once the order is cancelled or referred),
    by the limits in force when it was received."""
    received = order.received
    if received is None:
        return []
    cal = getattr(levels, "calendar", None)  # a Schedule's (of_office); a plain Levels counts calendar time
    levels = levels.at(received)
    technician = order.get("technician") or terms.SLA_HOLDER["unassigned"]
    emergency = order.get("urgency") == "emergency"
    counted = {} if emergency or cal is None else dict(levels.working_time)  # an emergency's clocks: real time

    def due_in(start: dt.datetime, delta: dt.timedelta, kind: str) -> dt.datetime:
        return due_after(start, delta, counted.get(kind), cal)

    def make(kind, due, done, holder=technician, **extra) -> Obligation:
        what = (terms.SLA_WHAT_EMERGENCY.get(kind) if emergency else None) or terms.SLA_WHAT[kind]
        return Obligation(order.id, str(order.get("unit") or ""), kind, due, done, holder, what, **extra)

    if order.get("plan") is not None:  # a planned job (计划性维修): one clock, done by its due day
        return planned.clocks(order, make, terms.SLA_HOLDER["supervisor"])
    found = _visit_clocks(order, levels, received, make)
    # after 返工 or a reopening the job is done at its LAST finish, judged against the original deadline
    finished = None if inspection.rework_since_finish(order.events) else order.time_of("finished")
    hours = levels.emergency_finish_hours if emergency else levels.finish_hours
    due = approved_until(order) or due_in(finish_start(order), dt.timedelta(hours=hours), "finish")
    found.append(make("finish", due, finished))
    if finished:
        called_back = order.time_of("called_back", last=False)
        callback_due = due_in(finished, dt.timedelta(hours=levels.callback_hours), "callback")
        found.append(make("callback", callback_due, called_back, terms.SLA_HOLDER["clerk"]))
        # fee_pending is cleared when the fee is settled, so a settled event also shows it was pending
        settled = order.time_of("fee_settled", last=False)
        if order.get("fee_pending") is True or settled:
            found.append(make("fee", due_in(finished, dt.timedelta(hours=levels.fee_pending_hours), "fee"), settled,
                              terms.SLA_HOLDER["supervisor"]))
        # the finance desk's: the owner pays there, not to the technician; kept only where payments are recorded
        if levels.payment_days and (owed := payments.owed_since(order)):
            found.append(make("payment", due_in(owed, dt.timedelta(days=levels.payment_days), "payment"),
                              order.time_of("paid", last=False), terms.SLA_HOLDER["finance"]))
        # an unsatisfied callback that opened a complaint (callback --complaint) is followed up as that
        # complaint's first answer, on the complaint's clock: the desk does not answer it twice
        if called_back and (order.get("callback") or {}).get("satisfied") is False \
                and not order.get("callback").get("complaint"):
            found.append(make("followup", due_in(called_back, dt.timedelta(hours=levels.followup_hours), "followup"),
                              order.time_of("followed_up", last=False), terms.SLA_HOLDER["clerk"]))
    if order.status in lifecycle.STOPPED:
        found = [ob for ob in found if ob.done is not None]  # kept for the statistics
    return found


def overdue(orders: Iterable[Order], levels: Levels | Schedule, at: dt.datetime,
            within: dt.timedelta) -> list[Obligation]:
    """Open obligations late at `at` or due by `at + within`, most late first (ties by due, then order ID)."""
    return most_late_first((ob for order in orders for ob in obligations(order, levels) if ob.done is None), at, within)


def most_late_first(open_ones: Iterable[Obligation], at: dt.datetime, within: dt.timedelta) -> list[Obligation]:
    """Of open obligations, those late at `at` or due by `at + within`, most late first (ties by due, ID)."""
    horizon = _utc(at) + within  # `within` is real time too: 2h is two hours on the night clocks change
    judged = [(ob.late_minutes(at), _utc(ob.due), ob) for ob in open_ones]  # once: thousands at 100,000 orders
    found = [(late, due, ob) for late, due, ob in judged if late > 0 or due <= horizon]
    found.sort(key=lambda row: (-row[0], row[1], row[2].order_id, KINDS.index(row[2].kind)))
    return [ob for _, _, ob in found]


def rework_of(order: Order, earlier: Iterable[Order], levels: Levels | Schedule,
              forms: bool = False) -> Order | None:
    """The latest earlier order this one repeats within the warranty (返修, 003 紧急 §七), or None.

    forms: office.yaml's units.same_building_forms, so 3-1201 and 3栋1201 are one unit (inputs.unit_key).
    The warranty is the one in force when this order was received: it is the order judged (and counted).
    """
    item, received = order.get("item"), order.received
    if not item or received is None:
        return None
    levels = levels.at(received)
    unit = unit_key(order.get("unit"), forms)
    best, best_finished = None, None
    for other in earlier:
        if other.id == order.id or other.get("item") != item or unit_key(other.get("unit"), forms) != unit:
            continue
        finished = other.time_of("finished", last=False)
        # calendar months: finished 30 Nov is under warranty until 28 Feb; exactly 3 months later is not
        # the warranty is calendar months on the wall clock; which time came first, a question for UTC
        if (finished is None or _utc(finished) > _utc(received)
                or _utc(finished + relativedelta(months=levels.warranty_months)) <= _utc(received)):
            continue
        if best is None or (finished, other.id) > (best_finished, best.id):
            best, best_finished = other, finished
    return best


def due_after(start: dt.datetime, delta: dt.timedelta, mode: str | None = None, cal=None) -> dt.datetime:
    """When a clock of limit delta started at start falls due: delta of real time (mode None, or no calendar),
    or of working hours or working days (mode "hours" or "days") by the office's calendar."""
    if mode is None or cal is None:
        return later(start, delta)
    from repairctl.office import workingtime  # only offices whose clocks count working time

    return workingtime.after(start, delta, mode, cal)
