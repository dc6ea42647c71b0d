"""Service-level clocks on small orders built inline: each clock at its boundary minute."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from repairctl.errors import OfficeError
from repairctl.orders import sla
from repairctl.orders.records import Order

TZ = ZoneInfo("Asia/Shanghai")
LEVELS = sla.levels({})
# the state each event leaves an order in; absent, rescheduled, fee_settled and followed_up leave it be
AFTER = {"received": "received", "assigned": "assigned", "arrived": "arrived", "finished": "finished",
         "called_back": "called_back", "cancelled": "cancelled", "referred": "referred"}


def t(text: str) -> dt.datetime:
    """A time in the office timezone: '2026-10-05 10:15' or with seconds."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def stored(text: str) -> str:
    """An office time as an order file holds it, with its offset: 2026-10-05T10:15:00+08:00."""
    return t(text).isoformat()


def order(*events, oid: str = "HQ-000001", **fields) -> Order:
    """An order from (action, 'YYYY-MM-DD HH:MM'[, details]) events, its status following them; times
    (the events', a reschedule's `to`, the appointment) are office time, written with their offset."""
    history, status = [], "received"
    for action, at, *details in events:
        extra = {key: stored(value) if key in ("to", "from") and action == "rescheduled" else value
                 for key, value in (details[0] if details else {}).items()}
        history.append({"action": action, "at": stored(at), "by": "王小红", **extra})
        status = AFTER.get(action, "assigned" if action == "rescheduled" and status == "arrived" else status)
    if fields.get("appointment"):
        fields["appointment"] = stored(fields["appointment"])
    data = {"id": oid, "status": status, "unit": "3栋1201", "item": "W01", "urgency": "immediate", **fields,
            "events": history}
    return Order(Path(f"{oid}.yaml"), data, TZ)


def clocks(o: Order, levels: sla.Levels = LEVELS) -> dict[str, sla.Obligation]:
    found = sla.obligations(o, levels)
    assert len({ob.kind for ob in found}) == len(found), found
    return {ob.kind: ob for ob in found}


# --- levels -------------------------------------------------------------------------------------

def test_defaults_are_the_seeds_values():
    assert sla.Levels() == LEVELS
    assert (LEVELS.arrival_minutes, LEVELS.emergency_day_minutes, LEVELS.emergency_night_minutes) == (15, 10, 30)
    assert (LEVELS.emergency_day_start, LEVELS.emergency_day_end) == (dt.time(9), dt.time(22))
    assert (LEVELS.finish_hours, LEVELS.callback_hours, LEVELS.fee_pending_hours,
            LEVELS.warranty_months) == (24, 24, 72, 3)


def test_the_shipped_office_yaml_states_the_defaults():
    from repairctl.office.folder import DEFAULTS
    from repairctl.store import yamlio

    shipped = sla.levels(yamlio.load_fast(Path(DEFAULTS / "office.yaml")))
    # every one but payment_days: a new office records payments (7 days), an office whose office.yaml
    # does not say so records none, or its whole history of fees would be overdue the day it upgrades
    assert shipped == dataclasses.replace(sla.Levels(), payment_days=7) and sla.Levels().payment_days == 0


def test_office_yaml_overrides_a_level_and_keeps_the_rest():
    levels = sla.levels({"service_levels": {"arrival_minutes": 20, "emergency_day_end": "21:30"}})
    assert levels.arrival_minutes == 20 and levels.emergency_day_end == dt.time(21, 30)
    assert levels.finish_hours == 24
    o = order(("received", "2026-10-05 10:00"))
    assert clocks(o, levels)["arrival"].due == t("2026-10-05 10:20")


@pytest.mark.parametrize("section,message", [
    ({"arrival_minutes": "soon"}, "service_levels.arrival_minutes must be a whole number, like 15, not 'soon'"),
    ({"arrival_minutes": 1.5}, "service_levels.arrival_minutes must be a whole number"),
    ({"arrival_minutes": True}, "service_levels.arrival_minutes must be a whole number"),
    ({"arrival_minutes": None}, "service_levels.arrival_minutes must be a whole number"),
    ({"finish_hours": 0}, "service_levels.finish_hours must be 1 or more, not 0"),
    ({"appointment_late_minutes": -1}, "service_levels.appointment_late_minutes must be 0 or more"),
    ({"arival_minutes": 20}, "service_levels.arival_minutes is not a service level"),
    ({"emergency_day_end": 1320}, "service_levels.emergency_day_end must be a time of day in quotes, like '22:00'"),
    ({"emergency_day_end": "25:00"}, "service_levels.emergency_day_end must be a time of day"),
    ({"emergency_day_start": "22:00"}, "service_levels.emergency_day_start (22:00) must be before emergency_day_end"),
    ([15], "office.yaml: service_levels must be a mapping"),
])
def test_a_bad_level_is_a_one_line_error_naming_it(section, message):
    with pytest.raises(OfficeError) as caught:
        sla.levels({"service_levels": section})
    text = str(caught.value)
    assert text.startswith("office.yaml: ") and message in text and "\n" not in text


def test_an_empty_section_means_all_defaults():
    assert sla.levels({"service_levels": None}) == sla.levels({"service_levels": {}}) == sla.Levels()


# --- arrival --------------------------------------------------------------------------------------

def test_immediate_arrival_is_late_from_the_first_minute_past_due():
    ob = clocks(order(("received", "2026-10-05 10:00"), ("assigned", "2026-10-05 10:01", {"to": "李师傅"}),
                      technician="李师傅"))["arrival"]
    assert (ob.due, ob.done, ob.met(), ob.holder, ob.what) == (t("2026-10-05 10:15"), None, None, "李师傅", "到场")
    assert ob.late_minutes(t("2026-10-05 10:14:30")) == -1
    assert ob.late_minutes(t("2026-10-05 10:15")) == 0
    assert ob.late_minutes(t("2026-10-05 10:15:59")) == 0
    assert ob.late_minutes(t("2026-10-05 10:16")) == 1


@pytest.mark.parametrize("arrived,met,late", [("10:15", True, 0), ("10:15:59", True, 0), ("10:16", False, 1)])
def test_arrival_met_at_the_boundary(arrived, met, late):
    ob = clocks(order(("received", "2026-10-05 10:00"), ("arrived", f"2026-10-05 {arrived}")))["arrival"]
    assert ob.met() is met and ob.late_minutes() == late
    assert ob.late_minutes(t("2026-10-09 00:00")) == late  # a done clock is judged at its done time


def test_no_technician_yet_is_held_by_unassigned():
    assert clocks(order(("received", "2026-10-05 10:00")))["arrival"].holder == "客服"


def test_absent_owner_counts_as_the_visit():
    ob = clocks(order(("received", "2026-10-05 10:00"), ("assigned", "2026-10-05 10:01"),
                      ("absent", "2026-10-05 10:12")))["arrival"]
    assert ob.done == t("2026-10-05 10:12") and ob.met() is True


def test_a_close_without_a_recorded_visit_ends_the_arrival_clock():
    ob = clocks(order(("received", "2026-10-05 10:00"), ("assigned", "2026-10-05 10:01"),
                      ("finished", "2026-10-05 10:40")))["arrival"]
    assert ob.done == t("2026-10-05 10:40") and ob.met() is False


@pytest.mark.parametrize("received,minutes", [
    ("08:59", 30), ("08:59:59", 30), ("09:00", 10), ("21:59", 10), ("21:59:59", 10), ("22:00", 30), ("03:00", 30),
])
def test_emergency_arrival_switches_between_day_and_night(received, minutes):
    at = t(f"2026-10-05 {received}")
    found = clocks(order(("received", f"2026-10-05 {received}"), urgency="emergency"))
    assert found["arrival"].due == at + dt.timedelta(minutes=minutes)
    assert found["arrival"].what == "紧急到场"
    assert found["finish"].due == at + dt.timedelta(hours=2) and found["finish"].what == "紧急完工"


def test_emergency_finish_at_its_boundary():
    base = [("received", "2026-10-05 10:00"), ("arrived", "2026-10-05 10:05")]
    assert clocks(order(*base, ("finished", "2026-10-05 12:00"), urgency="emergency"))["finish"].met() is True
    assert clocks(order(*base, ("finished", "2026-10-05 12:01"), urgency="emergency"))["finish"].met() is False


# --- appointment ----------------------------------------------------------------------------------

def appointment_order(*events, when: str = "2026-10-06 14:00") -> Order:
    return order(("received", "2026-10-05 10:00"), ("assigned", "2026-10-05 10:05"), *events,
                 urgency="appointment", appointment=when)


@pytest.mark.parametrize("arrived,met", [
    ("13:54", False), ("13:54:59", False), ("13:55", True), ("14:00", True), ("14:02", True), ("14:02:59", True),
    ("14:03", False),
])
def test_appointment_tolerates_five_minutes_early_and_two_late(arrived, met):
    ob = clocks(appointment_order(("arrived", f"2026-10-06 {arrived}")))["appointment"]
    assert ob.due == t("2026-10-06 14:00") and ob.what == "预约上门"
    assert ob.met() is met
    assert "arrival" not in clocks(appointment_order(("arrived", f"2026-10-06 {arrived}")))


def test_an_open_appointment_is_late_only_past_the_tolerance():
    ob = clocks(appointment_order())["appointment"]
    assert ob.late_minutes(t("2026-10-06 14:00")) == -2
    assert ob.late_minutes(t("2026-10-06 14:02")) == 0
    assert ob.late_minutes(t("2026-10-06 14:03")) == 1


def test_appointment_finish_clock_runs_from_the_agreed_time():
    assert clocks(appointment_order())["finish"].due == t("2026-10-07 14:00")  # agreed 10-06 14:00, + 24 h


def test_an_appointment_booked_three_days_ahead_and_kept_is_on_time_on_finish():
    o = order(("received", "2026-10-05 10:00"), ("assigned", "2026-10-05 10:05"), ("arrived", "2026-10-08 09:00"),
              ("finished", "2026-10-08 11:00"), urgency="appointment", appointment="2026-10-08 09:00")
    finish = clocks(o)["finish"]
    assert finish.due == t("2026-10-09 09:00") and finish.met() is True  # from receipt it was 2 days late


def test_a_rescheduled_appointment_finish_clock_runs_from_the_new_time():
    o = appointment_order(("rescheduled", "2026-10-05 16:00", {"to": "2026-10-09 10:00"}),
                          when="2026-10-09 10:00")
    assert clocks(o)["finish"].due == t("2026-10-10 10:00")


def test_reschedule_moves_the_appointment_clock():
    o = appointment_order(("rescheduled", "2026-10-05 16:00", {"to": "2026-10-07 10:00"}),
                          ("arrived", "2026-10-07 10:01"), when="2026-10-07 10:00")
    found = [ob for ob in sla.obligations(o, LEVELS) if ob.kind == "appointment"]
    assert len(found) == 1
    assert found[0].due == t("2026-10-07 10:00") and found[0].done == t("2026-10-07 10:01") and found[0].met()


def test_a_visit_before_the_reschedule_does_not_count_for_the_new_time():
    o = order(("received", "2026-10-05 10:00"), ("assigned", "2026-10-05 10:02"), ("absent", "2026-10-05 10:12"),
              ("rescheduled", "2026-10-05 10:30", {"to": "2026-10-06 14:00"}), urgency="appointment",
              appointment="2026-10-06 14:00")
    ob = clocks(o)["appointment"]
    assert ob.due == t("2026-10-06 14:00") and ob.done is None


def test_a_clock_rebooked_after_it_was_late_is_a_miss_and_one_moved_in_time_is_not():
    first = ("rescheduled", "2026-10-05 10:30", {"to": "2026-10-06 14:00"})
    late = appointment_order(first, ("rescheduled", "2026-10-06 15:00", {"to": "2026-10-07 10:00"}),
                             when="2026-10-07 10:00")
    missed, current = [ob for ob in sla.obligations(late, LEVELS) if ob.kind == "appointment"]
    assert missed.due == t("2026-10-06 14:00") and missed.done == t("2026-10-06 15:00") and missed.met() is False
    assert current.due == t("2026-10-07 10:00") and current.done is None
    in_time = appointment_order(first, ("rescheduled", "2026-10-06 12:00", {"to": "2026-10-07 10:00"}),
                                when="2026-10-07 10:00")
    assert [ob.due for ob in sla.obligations(in_time, LEVELS) if ob.kind == "appointment"] == [t("2026-10-07 10:00")]


# --- finish, callback, fee, followup -------------------------------------------------------------

FINISHED = [("received", "2026-10-05 10:00"), ("arrived", "2026-10-05 10:10"), ("finished", "2026-10-05 11:00")]


@pytest.mark.parametrize("finished,met", [("2026-10-06 10:00", True), ("2026-10-06 10:01", False)])
def test_finish_within_24_hours_of_receipt(finished, met):
    o = order(("received", "2026-10-05 10:00"), ("arrived", "2026-10-05 10:10"), ("finished", finished))
    ob = clocks(o)["finish"]
    assert ob.due == t("2026-10-06 10:00") and ob.met() is met and ob.what == "完工"


def test_callback_is_due_24_hours_after_finish_at_the_clerks_desk():
    ob = clocks(order(*FINISHED))["callback"]
    assert (ob.due, ob.holder, ob.what) == (t("2026-10-06 11:00"), "客服", "回访")
    assert ob.late_minutes(t("2026-10-06 11:00")) == 0 and ob.late_minutes(t("2026-10-06 11:01")) == 1
    done = clocks(order(*FINISHED, ("called_back", "2026-10-06 11:00", {"method": "phone", "satisfied": True}),
                        callback={"method": "phone", "satisfied": True}))["callback"]
    assert done.met() is True
    assert "followup" not in clocks(order(*FINISHED, ("called_back", "2026-10-06 11:00"),
                                          callback={"method": "phone", "satisfied": True}))


def test_a_pending_fee_is_owed_by_the_supervisor_until_settled():
    assert "fee" not in clocks(order(*FINISHED, fee_pending=False))
    ob = clocks(order(*FINISHED, fee_pending=True))["fee"]
    assert (ob.due, ob.holder, ob.what, ob.done) == (t("2026-10-08 11:00"), "工程主管", "确定收费", None)
    assert ob.late_minutes(t("2026-10-08 11:01")) == 1
    settled = clocks(order(*FINISHED, ("fee_settled", "2026-10-08 11:00", {"amount": 80}), fee_pending=False,
                           fee_settled=80))["fee"]
    assert settled.done == t("2026-10-08 11:00") and settled.met() is True


def test_an_unsatisfied_callback_owes_a_followup():
    unhappy = [*FINISHED, ("called_back", "2026-10-05 15:00", {"method": "phone", "satisfied": False})]
    fields = {"callback": {"method": "phone", "satisfied": False, "reason": "还在滴水"}}
    ob = clocks(order(*unhappy, **fields))["followup"]
    assert (ob.due, ob.holder, ob.what, ob.done) == (t("2026-10-06 15:00"), "客服", "跟进不满意回访", None)
    assert ob.late_minutes(t("2026-10-06 15:00")) == 0 and ob.late_minutes(t("2026-10-06 15:01")) == 1
    done = clocks(order(*unhappy, ("followed_up", "2026-10-06 15:01", {"note": "已更换阀芯"}), **fields))["followup"]
    assert done.done == t("2026-10-06 15:01") and done.met() is False


# --- stopped clocks ------------------------------------------------------------------------------

def test_cancel_and_referral_drop_open_clocks_but_keep_done_ones():
    assert sla.obligations(order(("received", "2026-10-05 10:00"), ("cancelled", "2026-10-05 10:05")), LEVELS) == []
    referred = order(("received", "2026-10-05 10:00"), ("arrived", "2026-10-05 10:10"),
                     ("referred", "2026-10-05 10:20", {"job": "S24"}))
    assert [(ob.kind, ob.met()) for ob in sla.obligations(referred, LEVELS)] == [("arrival", True)]
    at = t("2026-10-09 00:00")
    assert sla.overdue([referred], LEVELS, at, dt.timedelta(hours=2)) == []


def test_an_order_without_a_receipt_time_has_no_clocks():
    assert sla.obligations(order(), LEVELS) == []


# --- overdue -------------------------------------------------------------------------------------

def test_overdue_lists_late_and_soon_due_clocks_most_late_first():
    orders = [
        order(("received", "2026-10-05 10:00"), oid="HQ-000001"),  # arrival due 10:15
        order(("received", "2026-10-05 09:50"), oid="HQ-000002"),  # arrival due 10:05
        order(("received", "2026-10-05 09:50"), ("arrived", "2026-10-05 09:55"), oid="HQ-000003"),
        order(("received", "2026-10-05 10:00"), oid="HQ-000004", urgency="appointment", appointment="2026-10-05 12:00"),
    ]
    at = t("2026-10-05 10:20")
    found = sla.overdue(orders, LEVELS, at, dt.timedelta(hours=2))
    assert [(ob.order_id, ob.kind, ob.late_minutes(at)) for ob in found] == [
        ("HQ-000002", "arrival", 15), ("HQ-000001", "arrival", 5), ("HQ-000004", "appointment", -102),
    ]
    # a shorter window leaves the appointment out; a longer one brings the next day's finish clocks in
    assert [ob.order_id for ob in sla.overdue(orders, LEVELS, at, dt.timedelta(minutes=90))] == [
        "HQ-000002", "HQ-000001"]
    assert {ob.kind for ob in sla.overdue(orders, LEVELS, at, dt.timedelta(days=1))} == {
        "arrival", "appointment", "finish"}


def test_overdue_ties_go_by_due_then_id():
    orders = [order(("received", "2026-10-05 10:00"), oid=f"HQ-00000{n}") for n in (3, 1, 2)]
    found = sla.overdue(orders, LEVELS, t("2026-10-05 10:00"), dt.timedelta(minutes=15))
    assert [ob.order_id for ob in found] == ["HQ-000001", "HQ-000002", "HQ-000003"]


# --- rework (返修) ---------------------------------------------------------------------------------

def finished_order(oid: str, finished: str, **fields) -> Order:
    return order(("received", finished), ("arrived", finished), ("finished", finished), oid=oid, **fields)


def repeat(received: str, **fields) -> Order:
    return order(("received", received), oid="HQ-000009", **fields)


def test_rework_within_three_calendar_months():
    earlier = [finished_order("HQ-000001", "2026-10-05 10:00")]
    assert sla.rework_of(repeat("2027-01-05 09:59"), earlier, LEVELS).id == "HQ-000001"
    assert sla.rework_of(repeat("2027-01-05 10:00"), earlier, LEVELS) is None  # exactly three months: not rework
    assert sla.rework_of(repeat("2027-01-05 10:01"), earlier, LEVELS) is None


def test_rework_warranty_counts_calendar_months_at_a_month_end():
    earlier = [finished_order("HQ-000001", "2026-11-30 10:00")]
    assert sla.rework_of(repeat("2027-02-28 09:59"), earlier, LEVELS).id == "HQ-000001"
    assert sla.rework_of(repeat("2027-02-28 10:00"), earlier, LEVELS) is None


def test_rework_needs_the_same_unit_and_item_and_picks_the_latest():
    earlier = [
        finished_order("HQ-000001", "2026-10-05 10:00", unit="3栋 1201"),
        finished_order("HQ-000002", "2026-11-05 10:00", unit="3栋1201"),
        finished_order("HQ-000003", "2026-11-20 10:00", unit="3栋1202"),
        finished_order("HQ-000004", "2026-11-21 10:00", item="E01"),
        order(("received", "2026-11-22 10:00"), ("cancelled", "2026-11-22 10:05"), oid="HQ-000005"),
    ]
    assert sla.rework_of(repeat("2026-12-01 10:00"), earlier, LEVELS).id == "HQ-000002"
    assert sla.rework_of(repeat("2026-12-01 10:00", unit=" 3栋 1201 "), earlier[:1], LEVELS).id == "HQ-000001"
    assert sla.rework_of(repeat("2026-12-01 10:00", item="W02"), earlier, LEVELS) is None
    assert sla.rework_of(repeat("2026-12-01 10:00", item=None), earlier, LEVELS) is None
    # an order finished after this one came in is not what it repeats, and an order never repeats itself
    assert sla.rework_of(repeat("2026-10-05 09:00"), earlier, LEVELS) is None
    again = finished_order("HQ-000009", "2026-10-06 10:00")
    assert sla.rework_of(again, [again], LEVELS) is None


def test_a_longer_warranty_from_office_yaml():
    levels = sla.levels({"service_levels": {"warranty_months": 6}})
    earlier = [finished_order("HQ-000001", "2026-10-05 10:00")]
    assert sla.rework_of(repeat("2027-04-05 09:59"), earlier, levels).id == "HQ-000001"


def test_a_late_arrival_stays_late_after_the_order_is_rebooked():
    """Immediate order, technician 3 minutes late, owner not ready: the late arrival still counts."""
    o = order(("received", "2026-10-05 10:00"), ("assigned", "2026-10-05 10:02"), ("arrived", "2026-10-05 10:18"),
              ("rescheduled", "2026-10-05 10:30", {"to": "2026-10-06 14:00"}), appointment="2026-10-06 14:00")
    arrival, appointment = (ob for ob in sla.obligations(o, LEVELS) if ob.kind in ("arrival", "appointment"))
    assert arrival.kind == "arrival" and arrival.met() is False and arrival.late_minutes() == 3
    assert appointment.due == t("2026-10-06 14:00") and appointment.done is None


def test_a_rebooked_appointment_keeps_its_first_time_through_from(clerk):
    oid = clerk.new("--appointment", "2026-10-06 14:00")
    clerk("assign", oid, "--to", "李师傅", "--at", "2026-10-05 09:05")
    clerk("visit", oid, "--reschedule", "2026-10-07 10:00", "--at", "2026-10-06 15:00")
    from repairctl.office.folder import load_office
    from repairctl.orders import reading

    office = load_office(clerk.root)
    o = reading.read(clerk.order_file(oid), office.tz)
    missed, current = (ob for ob in sla.obligations(o, LEVELS) if ob.kind == "appointment")
    assert (missed.due, missed.met()) == (t("2026-10-06 14:00"), False)
    assert current.due == t("2026-10-07 10:00") and o.get("urgency") == "appointment"
