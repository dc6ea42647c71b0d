"""Working time (office/workingtime.py): N working hours or days after a moment, by a real calendar.yaml
seeded from chinese-calendar (2026) and hand-typed lines (2027)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from repairctl.errors import OfficeError
from repairctl.office import calendar, holidays, workingtime

TZ = ZoneInfo("Asia/Shanghai")


def t(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def cal(tmp_path) -> calendar.Calendar:
    holidays.new_file(tmp_path, [2026])
    return calendar.load(tmp_path, TZ)


def hours(n: float) -> dt.timedelta:
    return dt.timedelta(hours=n)


@pytest.mark.parametrize(("start", "limit", "due"), [
    # the National Day week: 1-7 October off, then Thursday 8th, Friday 9th and the 调休 Saturday 10th worked
    ("2026-09-30 17:00", 48, "2026-10-09 17:00"),
    ("2026-09-30 17:00", 72, "2026-10-10 17:00"),  # the make-up Saturday is a working day
    ("2026-10-09 17:00", 24, "2026-10-10 17:00"),  # not Monday the 12th
    ("2026-10-10 17:00", 24, "2026-10-12 17:00"),  # Sunday the 11th is off again
    ("2026-11-20 15:00", 24, "2026-11-23 15:00"),  # Friday afternoon: over the weekend to Monday
    ("2026-11-20 19:00", 24, "2026-11-23 17:30"),  # Friday evening: all of Monday, due at its closing time
    ("2026-11-21 10:00", 24, "2026-11-23 17:30"),  # received on Saturday: the same
    ("2026-11-23 08:30", 24, "2026-11-23 17:30"),  # a whole working day, opening to closing
    ("2026-11-23 10:00", 36, "2026-11-24 14:30"),  # 36 hours: a day and a half (13.5 working hours)
])
def test_working_days(cal, start, limit, due):
    assert workingtime.after(t(start), hours(limit), "days", cal) == t(due)


@pytest.mark.parametrize(("start", "limit", "due"), [
    ("2026-11-20 19:00", 24, "2026-11-25 14:30"),  # Friday evening: Monday 9 h, Tuesday 9 h, Wednesday 6 h
    ("2026-11-20 16:00", 2, "2026-11-23 09:00"),  # 1.5 hours on Friday, half an hour on Monday
    ("2026-09-30 17:00", 1, "2026-10-08 09:00"),  # half an hour before the holiday, half an hour after
    ("2026-11-23 17:00", 0.5, "2026-11-23 17:30"),  # ending at closing time is due then, not next morning
])
def test_working_hours(cal, start, limit, due):
    assert workingtime.after(t(start), hours(limit), "hours", cal) == t(due)


def test_a_lunch_break_is_not_working_time(tmp_path):
    (tmp_path / "calendar.yaml").write_text("working_hours: ['08:30-12:00', '13:30-17:30']\n", "utf-8")
    cal = calendar.load(tmp_path, TZ)
    assert cal.day_length() == hours(7.5)
    assert workingtime.after(t("2026-11-23 11:00"), hours(2), "hours", cal) == t("2026-11-23 14:30")
    assert workingtime.after(t("2026-11-23 12:30"), hours(1), "hours", cal) == t("2026-11-23 14:30")
    assert workingtime.after(t("2026-11-23 11:00"), hours(24), "days", cal) == t("2026-11-24 11:00")
    assert not workingtime.working_at(t("2026-11-23 12:00"), cal) and workingtime.working_at(t("2026-11-23 13:30"), cal)


def test_a_hand_typed_holiday_of_a_year_the_library_lacks_is_taken(tmp_path):
    # the State Council's 2027 schedule typed in from the notice: New Year's Day on a Friday, 1-3 January off
    (tmp_path / "calendar.yaml").write_text(
        "holidays:\n  2027-01-01: 元旦\n  2027-01-02: 元旦\n  2027-01-03: 元旦\n", "utf-8")
    cal = calendar.load(tmp_path, TZ)
    assert not cal.working(dt.date(2027, 1, 1)) and cal.name(dt.date(2027, 1, 1)) == "元旦"
    assert workingtime.after(t("2026-12-31 17:00"), hours(24), "days", cal) == t("2027-01-04 17:00")
    # without the lines, Friday 1 January would be worked
    (tmp_path / "calendar.yaml").write_text("holidays:\n", "utf-8")
    plain = calendar.load(tmp_path, TZ)
    assert workingtime.after(t("2026-12-31 17:00"), hours(24), "days", plain) == t("2027-01-01 17:00")


def test_a_calendar_without_working_days_is_refused_not_looped_over(tmp_path):
    cal = calendar.parsed({}, TZ)
    never = calendar.Calendar(TZ, cal.hours, {dt.date(2026, 1, 1) + dt.timedelta(days=n): "假" for n in range(4000)},
                              {}, {}, {})
    with pytest.raises(OfficeError, match="no working day in 3660 days"):
        workingtime.after(t("2026-01-01 09:00"), hours(1), "hours", never)


def test_the_library_days_become_the_notice_s_names(cal):
    assert (cal.working(dt.date(2026, 10, 10)), cal.name(dt.date(2026, 10, 10))) == (True, "国庆节")
    assert (cal.working(dt.date(2026, 10, 1)), cal.name(dt.date(2026, 10, 1))) == (False, "国庆节")
    assert (cal.working(dt.date(2026, 2, 16)), cal.name(dt.date(2026, 2, 16))) == (False, "春节")
    assert cal.working(dt.date(2026, 11, 23)) and not cal.working(dt.date(2026, 11, 22))
    assert cal.years() == {2026}
