"""Clocks measure real elapsed time, in every timezone: a day of each kind, worked out by hand.

New York falls back on 2026-11-01 (02:00 EDT becomes 01:00 EST: the hour 01:00-02:00 comes twice)
and springs forward on 2026-03-08 (02:00 EST becomes 03:00 EDT: 02:00-03:00 never happens);
Shanghai has no daylight saving. 15 minutes are 15 real minutes and 24 hours 24 real hours, whatever
the wall clock does meanwhile. Expected due times are written with their offsets, as overdue's JSON
gives them; a time one real minute later is worked out in UTC here, not by repairctl.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from repairctl.orders import sla

NEW_YORK, SHANGHAI = "America/New_York", "Asia/Shanghai"


@pytest.fixture
def zoned(clerk):
    """zoned(zone): the test's office, its office.yaml set to that timezone and committed."""
    def make(zone: str):
        path = clerk.root / "office.yaml"
        assert f"timezone: {SHANGHAI}\n" in path.read_text("utf-8")  # a new office's
        if zone != SHANGHAI:
            path.write_text(path.read_text("utf-8").replace(f"timezone: {SHANGHAI}", f"timezone: {zone}"), "utf-8")
            clerk.git("commit", "-qam", f"timezone {zone}")
        return clerk
    return make


def plus(when: str, minutes: int) -> str:
    """An ISO time some real minutes after when, in UTC."""
    return (dt.datetime.fromisoformat(when).astimezone(dt.UTC) + dt.timedelta(minutes=minutes)).isoformat()


def due_times(clerk, at: str, within: str = "3d") -> dict[str, tuple[str, int]]:
    """Each open clock's kind: (its due time, minutes late) in overdue's JSON at `at`."""
    result = clerk("overdue", "--at", at, "--within", within, "--format", "json", ok=False)
    assert result.exit_code in (0, 1), result.output
    return {row["kind"]: (row["due"], row["late_minutes"]) for row in json.loads(result.stdout)}


# zone, received, arrival due (15 real minutes), finish due (24 real hours)
RECEIVED = {
    "fall back": (NEW_YORK, "2026-11-01T01:50:00-04:00", "2026-11-01T01:05:00-05:00", "2026-11-02T00:50:00-05:00"),
    "spring forward": (NEW_YORK, "2026-03-08T01:50:00-05:00", "2026-03-08T03:05:00-04:00",
                       "2026-03-09T02:50:00-04:00"),
    "summer day": (NEW_YORK, "2026-07-15T09:00:00-04:00", "2026-07-15T09:15:00-04:00", "2026-07-16T09:00:00-04:00"),
    "no daylight saving": (SHANGHAI, "2026-11-01T01:50:00+08:00", "2026-11-01T02:05:00+08:00",
                           "2026-11-02T01:50:00+08:00"),
}


@pytest.mark.parametrize("day", RECEIVED)
def test_arrival_and_finish_fall_due_in_real_time(zoned, day):
    zone, received, arrival, finish = RECEIVED[day]
    clerk = zoned(zone)
    clerk.new(at=received)
    assert due_times(clerk, received) == {"arrival": (arrival, -15), "finish": (finish, -24 * 60)}
    # late from the first real minute past due, however the wall clock moved in between
    assert due_times(clerk, plus(arrival, 0))["arrival"] == (arrival, 0)
    assert due_times(clerk, plus(arrival, 1))["arrival"] == (arrival, 1)
    assert due_times(clerk, plus(received, 24 * 60 + 90))["finish"] == (finish, 90)
    # --within is real time too: 14 minutes do not reach a clock due in 15
    assert due_times(clerk, received, "14m") == {}
    assert set(due_times(clerk, received, "15m")) == {"arrival"}


# zone, finished, callback due (24 real hours)
FINISHED = {
    "fall back": (NEW_YORK, "2026-10-31T02:30:00-04:00", "2026-11-01T01:30:00-05:00"),
    "spring forward": (NEW_YORK, "2026-03-07T02:30:00-05:00", "2026-03-08T03:30:00-04:00"),
    "no daylight saving": (SHANGHAI, "2026-10-31T02:30:00+08:00", "2026-11-01T02:30:00+08:00"),
}


@pytest.mark.parametrize("day", FINISHED)
def test_the_callback_falls_due_24_real_hours_after_the_finish(zoned, day):
    zone, finished, callback = FINISHED[day]
    clerk = zoned(zone)
    oid = clerk.new(at=plus(finished, -30))
    clerk("assign", oid, "--to", "李师傅", "--at", plus(finished, -25))
    clerk("visit", oid, "--arrived", "--at", plus(finished, -20))
    clerk("close", oid, "--signed-by", "业户", "--at", finished)
    assert due_times(clerk, finished) == {"callback": (callback, -24 * 60)}
    assert due_times(clerk, plus(finished, 24 * 60 + 1)) == {"callback": (callback, 1)}


def job(clerk, unit: str, received: str, arrived: str, finished: str, called_back: str | None = None) -> str:
    """An order taken from receipt to finish (and callback) at the given times."""
    oid = clerk.new(at=received, unit=unit)
    clerk("assign", oid, "--to", "李师傅", "--at", plus(received, 1))
    clerk("visit", oid, "--arrived", "--at", arrived)
    clerk("close", oid, "--signed-by", "业户", "--at", finished)
    if called_back:
        clerk("callback", oid, "--method", "phone", "--satisfied", "--at", called_back)
    return oid


def on_time(clerk, month: str) -> dict:
    report = json.loads(clerk("monthly", month, "--format", "json").stdout)
    return {kind: (report["on_time"][kind]["met"], report["on_time"][kind]["missed"])
            for kind in ("arrival", "finish", "callback")} | {"to_arrival": report["minutes"]["to_arrival"]["average"]}


def test_monthly_judges_the_night_clocks_go_back_in_real_time(zoned):
    clerk = zoned(NEW_YORK)
    # arrived at 01:20 EST, 30 real minutes after 01:50 EDT (on the wall: 30 minutes before): missed;
    # called back 20 minutes after the finish: met
    job(clerk, "1栋101", "2026-11-01T01:50:00-04:00", "2026-11-01T01:20:00-05:00", "2026-11-01T01:40:00-05:00",
        "2026-11-01T02:00:00-05:00")
    # finished 24.5 real hours after receipt (23.5 on the wall): missed
    job(clerk, "1栋102", "2026-11-01T00:30:00-04:00", "2026-11-01T00:40:00-04:00", "2026-11-02T00:00:00-05:00")
    # called back 24 h 10 min after the finish (23 h 10 min on the wall): missed
    job(clerk, "1栋103", "2026-11-01T00:10:00-04:00", "2026-11-01T00:20:00-04:00", "2026-11-01T00:40:00-04:00",
        "2026-11-01T23:50:00-05:00")
    # 1栋102 is never called back, and late for it at the report's time (25 November)
    assert on_time(clerk, "2026-11") == {"arrival": (2, 1), "finish": (2, 1), "callback": (1, 2),
                                         "to_arrival": round((30 + 10 + 10) / 3, 1)}


def test_monthly_judges_the_night_clocks_go_forward_in_real_time(zoned):
    clerk = zoned(NEW_YORK)
    # arrived 14 real minutes after receipt (74 on the wall): met
    job(clerk, "2栋201", "2026-03-08T01:50:00-05:00", "2026-03-08T03:04:00-04:00", "2026-03-08T03:30:00-04:00",
        "2026-03-08T10:00:00-04:00")
    # finished 23.5 real hours after receipt (24.5 on the wall): met; called back 23.5 real hours later: met
    job(clerk, "2栋202", "2026-03-07T12:00:00-05:00", "2026-03-07T12:10:00-05:00", "2026-03-08T12:30:00-04:00",
        "2026-03-09T12:00:00-04:00")
    assert on_time(clerk, "2026-03") == {"arrival": (2, 0), "finish": (2, 0), "callback": (2, 0),
                                         "to_arrival": round((14 + 10) / 2, 1)}


def test_monthly_without_daylight_saving(zoned):
    clerk = zoned(SHANGHAI)
    job(clerk, "3栋301", "2026-11-01T01:50:00+08:00", "2026-11-01T02:05:00+08:00", "2026-11-02T01:51:00+08:00",
        "2026-11-03T01:51:00+08:00")
    assert on_time(clerk, "2026-11") == {"arrival": (1, 0), "finish": (0, 1), "callback": (1, 0),
                                         "to_arrival": 15.0}


def test_emergency_day_and_night_stay_on_the_wall_clock(zoned):
    # 08:55 EDT on the morning after the clocks went back is night (before 09:00): 30 minutes, not 10
    clerk = zoned(NEW_YORK)
    clerk.new("--emergency", at="2026-11-01T08:55:00-05:00")
    assert due_times(clerk, "2026-11-01T08:55:00-05:00")["arrival"] == ("2026-11-01T09:25:00-05:00", -30)


def test_an_event_at_the_repeated_hour_is_in_time_order(zoned):
    # 01:05 EST follows 01:50 EDT: the command takes it and check finds nothing out of order
    clerk = zoned(NEW_YORK)
    oid = clerk.new(at="2026-11-01T01:50:00-04:00")
    clerk("assign", oid, "--to", "李师傅", "--at", "2026-11-01T01:05:00-05:00")
    assert clerk("check").stdout.strip() == "ok"
    refused = clerk("visit", oid, "--arrived", "--at", "2026-11-01T01:55:00-04:00", ok=False)
    assert refused.exit_code == 1 and "is before the order's last event" in refused.output


def test_later_goes_by_real_time():
    from zoneinfo import ZoneInfo

    ny = ZoneInfo(NEW_YORK)
    at = dt.datetime(2026, 11, 1, 1, 50, tzinfo=ny)
    due = sla.later(at, dt.timedelta(minutes=15))
    assert (due.hour, due.minute, due.fold, due.utcoffset()) == (1, 5, 1, dt.timedelta(hours=-5))
    assert at + dt.timedelta(minutes=15) != due  # what Python's own addition gives: the wall clock's 02:05
