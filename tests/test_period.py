"""A report's period (reports/period.py): a month as `monthly` always had it, and an ISO week, Monday 00:00
to Monday 00:00 in office time, named by its ISO week-numbering year."""

from __future__ import annotations

import datetime as dt

import pytest

from repairctl.errors import RepairError
from repairctl.reports import period, stats
from repairctl.text.clock import zone

TZ = zone("Asia/Shanghai")


def at(*parts: int, tz=TZ) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=tz)


@pytest.mark.parametrize(("label", "start", "end", "months"), [
    ("2026-W45", at(2026, 11, 2), at(2026, 11, 9), ["2026-11"]),
    ("2026-W44", at(2026, 10, 26), at(2026, 11, 2), ["2026-10", "2026-11"]),  # across October's end
    ("2026-W01", at(2025, 12, 29), at(2026, 1, 5), ["2025-12", "2026-01"]),  # the ISO year starts in 2025
    ("2020-W53", at(2020, 12, 28), at(2021, 1, 4), ["2020-12", "2021-01"]),  # 2020 has 53 ISO weeks
    ("2026-W53", at(2026, 12, 28), at(2027, 1, 4), ["2026-12", "2027-01"]),  # so has 2026 (1 Jan is a Thursday)
])
def test_a_week_runs_monday_to_monday(label, start, end, months):
    found = period.of(label, TZ)
    assert (found.kind, found.label, found.start, found.end, found.months) == ("week", label, start, end, months)
    assert found.first_day.weekday() == 0 and found.last_day.weekday() == 6
    assert stats.period(label, TZ) == (start, end)  # the reports' own entry point gives the same


def test_a_week_ignores_the_cutoff_day_a_month_keeps_it():
    assert period.of("2026-W45", TZ, 20) == period.of("2026-W45", TZ)
    month = period.of("2026-10", TZ, 20)
    assert (month.kind, month.start, month.end) == ("month", at(2026, 9, 21), at(2026, 10, 21))
    assert month.months == ["2026-09", "2026-10"]


def test_a_week_whose_clocks_go_back_is_an_hour_longer():
    # New York leaves summer time on Sunday 2026-11-01: the week's Mondays are midnights of their own offsets
    ny = zone("America/New_York")
    found = period.of("2026-W44", ny)
    assert found.start.utcoffset() == dt.timedelta(hours=-4) and found.end.utcoffset() == dt.timedelta(hours=-5)
    assert found.end.timestamp() - found.start.timestamp() == 7 * 24 * 3600 + 3600


@pytest.mark.parametrize(("year", "number", "label"), [(2026, 45, "2026-W45"), (2020, 53, "2020-W53"),
                                                      (2026, 1, "2026-W01"), (2026, 53, "2026-W53")])
def test_week_labels(year, number, label):
    assert period.week_label(year, number) == label


@pytest.mark.parametrize(("year", "number", "said"), [
    (2025, 53, "2025 has no week 53 (its ISO weeks run 1 to 52); write 2025-W52 or 2026-W01"),
    (2021, 53, "2021 has no week 53"),
    (2026, 0, "week 0 of 2026 does not exist"),
    (2026, 54, "week 54 of 2026 does not exist"),
])
def test_weeks_a_year_has_not_are_refused_in_one_line(year, number, said):
    with pytest.raises(RepairError) as caught:
        period.week_label(year, number)
    assert said in str(caught.value) and "\n" not in str(caught.value)


def test_titles_of_a_month_and_a_week():
    office = {"site": "HQ", "name": "示例管理处"}
    month = {"office": office, "month": "2026-10", "period": {"first_day": "2026-10-01", "last_day": "2026-10-31"}}
    assert period.title(month) == "示例管理处 2026年10月 维修服务月度统计"
    week = {"office": office, "month": "2026-10", "period": {"first_day": "2026-11-02", "last_day": "2026-11-08"}}
    period.mark(week, "2026-W45")
    assert week["month"] is None and week["period"]["kind"] == "week" and period.label_of(week) == "2026-W45"
    assert period.title(week) == "示例管理处 维修服务周报 2026年第45周（11月2日—11月8日）"
    first = {"office": office, "month": None, "period": {"first_day": "2025-12-29", "last_day": "2026-01-04",
                                                          "kind": "week", "label": "2026-W01"}}
    assert period.title(first) == "示例管理处 维修服务周报 2026年第1周（2025年12月29日—2026年1月4日）"
