"""The office's calendar file: made by init, shown by `calendar show`, extended by `calendar seed`, typed by
hand, checked by `check` (its problems at line:col; December's warning for next year)."""

from __future__ import annotations

import json

import pytest

from repairctl.office import calendar, duty

ROSTER = """duty:
  weekly:
    周一: {name: 张三, phone: '13800000001'}
    周四: {name: 李四, phone: '138 0000 0002'}
  dates:
    2026-10-01: {name: 王五, phone: '13800000003'}
"""


def edit(clerk, old: str, new: str, name: str = "calendar.yaml") -> None:
    path = clerk.root / name
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")
    clerk.git("commit", "-qam", f"hand edit of {name}", "--no-verify")


def test_init_writes_this_year_s_holidays_from_the_library_and_commits_them(clerk):
    text = (clerk.root / "calendar.yaml").read_text("utf-8")
    assert text.startswith("# 管理处日历") and "working_hours: ['08:30-17:30']" in text
    assert "  2026-10-01: 国庆节\n" in text and "  2026-10-10: 国庆节\n" in text.split("\nworkdays:\n")[1]
    assert "2027-" not in text  # chinese-calendar 1.11 has no 2027: next year is typed in by hand
    assert clerk.git("status", "--porcelain") == "" and "calendar.yaml" in clerk.git("ls-files")


def test_show_lists_the_national_day_week_and_its_make_up_saturday_as_json(clerk):
    days = json.loads(clerk("calendar", "show", "2026-10", "--format", "json").stdout)
    assert len(days) == 31 and {tuple(day) for day in days} == {("date", "weekday", "working", "name", "makeup",
                                                                  "duty")}
    by_date = {day["date"]: day for day in days}
    assert [by_date[f"2026-10-0{n}"]["working"] for n in range(1, 8)] == [False] * 7
    assert by_date["2026-10-01"]["name"] == "国庆节" and by_date["2026-10-01"]["duty"] is None
    assert by_date["2026-10-10"] == {"date": "2026-10-10", "weekday": 6, "working": True, "name": "国庆节",
                                     "makeup": True, "duty": None}
    assert (by_date["2026-10-11"]["working"], by_date["2026-10-11"]["name"]) == (False, None)
    assert sum(day["working"] for day in days) == 18
    table = clerk("calendar", "show", "2026-10").stdout
    assert table.startswith("2026-10: 18 working days; working hours 08:30-17:30\n")
    assert "2026-10-10  Sat  yes      国庆节 (make-up workday)" in table


def test_the_duty_roster_by_weekday_and_by_date(clerk, monkeypatch):
    edit(clerk, "\nduty:\n", "\n" + ROSTER)
    days = {d["date"]: d for d in json.loads(clerk("calendar", "show", "2026-10", "--format", "json").stdout)}
    assert days["2026-10-01"]["duty"] == {"name": "王五", "phone": "13800000003"}  # the date before the weekday
    assert days["2026-10-08"]["duty"] == {"name": "李四", "phone": "13800000002"}  # a Thursday
    assert days["2026-10-12"]["duty"]["name"] == "张三" and days["2026-10-13"]["duty"] is None
    holiday = clerk("calendar", "duty", "--date", "2026-10-01").stdout
    assert holiday == "on duty 2026-10-01 (all day): 王五 13800000003\n"
    assert clerk("calendar", "duty", "--date", "2026-11-23").stdout.startswith("on duty 2026-11-23 (from closing")
    monkeypatch.setenv("REPAIRCTL_NOW", "2026-10-13T02:00:00+08:00")  # Tuesday 02:00: Monday night's duty
    assert clerk("calendar", "duty").stdout.startswith("on duty 2026-10-12 (from closing")
    assert "张三" in clerk("calendar", "duty").stdout
    monkeypatch.setenv("REPAIRCTL_NOW", "2026-11-25T12:00:00+08:00")
    tonight = clerk("calendar", "duty").stdout  # today: Wednesday 25 November, nobody
    assert tonight == "nobody is on duty on 2026-11-25 in calendar.yaml; add the roster under duty\n"


def test_seed_refuses_a_year_the_library_lacks_in_one_line_with_the_format(clerk, snapshot):
    before = snapshot(clerk)
    result = clerk("calendar", "seed", "2027", ok=False)
    assert result.exit_code == 1 and len(result.output.splitlines()) == 1
    assert result.output == ("Error: chinese-calendar has no holidays for 2027 yet; type the State Council's schedule "
                             "into calendar.yaml by hand (holidays: {2027-01-01: 元旦} and workdays: "
                             "{2027-02-20: 春节}, one day a line)\n")
    assert snapshot(clerk) == before


def test_seed_adds_a_year_in_date_order_commits_it_and_refuses_it_twice(clerk, snapshot):
    said = clerk("calendar", "seed", "2025").stdout
    assert said.endswith("calendar.yaml: added 2025's 28 holidays and 5 make-up workdays from chinese-calendar\n")
    assert clerk.git("log", "-1", "--format=%s") == "calendar: 2025 年法定节假日和调休（chinese-calendar）\n"
    text = (clerk.root / "calendar.yaml").read_text("utf-8")
    assert text.index("2025-10-08: 国庆节") < text.index("2026-01-01: 元旦") and text.startswith("# 管理处日历")
    assert clerk("check").stdout == "ok\n"
    before = snapshot(clerk)
    again = clerk("calendar", "seed", "2026", ok=False)
    assert again.output == "Error: calendar.yaml already lists holidays of 2026; edit them there by hand\n"
    assert snapshot(clerk) == before


def test_seed_makes_the_file_of_an_office_without_one(clerk):
    clerk.git("rm", "-q", "calendar.yaml")
    clerk.git("commit", "-qm", "no calendar", "--no-verify")
    refused = clerk("calendar", "show", "2026-10", ok=False)
    assert refused.exit_code == 1 and "no calendar.yaml; make one with `repairctl calendar seed 2026`" in refused.output
    clerk("calendar", "seed", "2026")
    assert (clerk.root / "calendar.yaml").read_text("utf-8").startswith("# 管理处日历")
    assert clerk.git("status", "--porcelain") == ""


def test_check_warns_in_december_while_next_year_is_missing_and_is_silent_in_november(clerk, monkeypatch):
    assert clerk("check").stdout == "ok\n"  # 25 November
    monkeypatch.setenv("REPAIRCTL_NOW", "2026-12-01T09:00:00+08:00")
    result = clerk("check")  # a warning: exit 0, so the pre-commit hook lets work be committed
    line = (clerk.root / "calendar.yaml").read_text("utf-8").splitlines().index("holidays:") + 1
    assert result.stdout == (f"{clerk.root / 'calendar.yaml'}:{line}:1: warning: lists no holidays for 2027: when the "
                             "State Council has published them, type them in under holidays and workdays (or run "
                             "`repairctl calendar seed 2027` once chinese-calendar has them)\n")
    edit(clerk, "\nworkdays:\n", "\n  2027-01-01: 元旦\nworkdays:\n")  # typed in by hand
    assert clerk("check").stdout == "ok\n"
    assert json.loads(clerk("calendar", "show", "2027-01", "--format", "json").stdout)[0]["name"] == "元旦"
    # in a year the file lists no holiday of, every month warns: 元旦 would count as a working day
    monkeypatch.setenv("REPAIRCTL_NOW", "2028-03-01T09:00:00+08:00")
    assert "warning: lists no holidays for 2028" in clerk("check").stdout


@pytest.mark.parametrize(("old", "new", "message"), [
    ("  2026-10-01: 国庆节", "  2026-13-01: 国庆节", "holidays: '2026-13-01' is not a day; write it like 2026-10-01"),
    ("  2026-10-10: 国庆节", "  2026-10-12: 国庆节", "2026-10-12 is a weekday, a working day anyway; workdays lists "
                                                   "only the Saturdays and Sundays worked in lieu (调休上班)"),
    ("  2026-10-02: 国庆节", "  2026-10-02: ''", "holidays: 2026-10-02 needs the holiday's name, like 国庆节, not ''"),
    ("working_hours: ['08:30-17:30']", "working_hours: ['17:30-08:30']",
     "working_hours[0] '17:30-08:30' must end after it starts, and start after the span before it ends"),
    ("working_hours: ['08:30-17:30']", "working_hours: 8", "working_hours must be a list of 1 to 4 spans"),
    ("\nduty:\n", "\nduty:\n  weekly:\n    Monday: {name: 张三, phone: '13800000001'}\n",
     "duty.weekly: 'Monday' is not a day of the week; write one of 周一 周二"),
    ("\nduty:\n", "\nduty:\n  weekly:\n    周一: {name: 张三, phone: 13800000001}\n",
     "the phone on duty must be in quotes, like '13800000001', not 13800000001"),
    ("\nduty:\n", "\nduties:\n",
     "duties is not a part of calendar.yaml; it has working_hours, holidays, workdays, duty"),
])
def test_a_broken_calendar_is_named_at_its_line_and_column(clerk, monkeypatch, old, new, message):
    edit(clerk, old, new)
    monkeypatch.chdir(clerk.root)
    text = (clerk.root / "calendar.yaml").read_text("utf-8")
    head = text[:text.index(new)]
    line = head.count("\n") + 1 + new.startswith("\n") + (new.startswith("\nduty:\n  weekly:\n") and 2)
    result = clerk("check", ok=False)
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"calendar.yaml:{line}:") and message in first, first
    # no clock counts working time: the orders' commands never read the file
    clerk("overdue")


def test_a_broken_calendar_stops_the_clocks_that_count_working_time_in_one_line(clerk, monkeypatch, snapshot):
    edit(clerk, "  payment_days: 7 ", "  working_time: {finish: days}\n  payment_days: 7 ", "office.yaml")
    edit(clerk, "  2026-10-01: 国庆节", "  2026-13-01: 国庆节")
    monkeypatch.chdir(clerk.root)
    line = (clerk.root / "calendar.yaml").read_text("utf-8").splitlines().index("  2026-13-01: 国庆节") + 1
    before = snapshot(clerk)
    for command in (("overdue",), ("monthly", "2026-10"), ("list",)):
        result = clerk(*command, ok=False)
        assert result.exit_code == 1 and len(result.output.splitlines()) == 1, result.output
        assert result.output.startswith(f"Error: calendar.yaml:{line}:3: holidays: '2026-13-01' is not a day"), command
    checked = clerk("check", ok=False)
    assert checked.stdout == f"calendar.yaml:{line}:3: holidays: '2026-13-01' is not a day; write it like 2026-10-01\n"
    assert snapshot(clerk) == before


def test_working_time_without_a_calendar_file_is_a_problem_of_check(clerk, monkeypatch):
    edit(clerk, "  payment_days: 7 ", "  working_time: {finish: days}\n  payment_days: 7 ", "office.yaml")
    clerk.git("rm", "-q", "calendar.yaml")
    clerk.git("commit", "-qm", "no calendar", "--no-verify")
    monkeypatch.chdir(clerk.root)
    line = (clerk.root / "office.yaml").read_text("utf-8").splitlines().index("  working_time: {finish: days}") + 1
    result = clerk("check", ok=False)
    assert result.stdout == (f"office.yaml:{line}:3: working_time counts working time, but the office has no "
                             "calendar.yaml, so every clock counts calendar time; make one with `repairctl calendar "
                             "seed 2026`\n")


@pytest.mark.parametrize(("value", "message"), [
    ("{arrival: hours}", "service_levels.working_time names 'arrival'; only finish, callback, fee, followup, payment "
                         "can count working time"),
    ("{finish: weeks}", "service_levels.working_time finish: 'weeks' must be hours (working hours) or days"),
    ("[finish]", "service_levels.working_time must be a mapping of clocks to hours or days, like {finish: days, "
                 "fee: hours}, not ['finish']"),
])
def test_a_bad_working_time_setting_is_named_in_office_yaml(clerk, monkeypatch, value, message):
    edit(clerk, "  payment_days: 7 ", f"  working_time: {value}\n  payment_days: 7 ", "office.yaml")
    monkeypatch.chdir(clerk.root)
    line = (clerk.root / "office.yaml").read_text("utf-8").splitlines().index(f"  working_time: {value}") + 1
    result = clerk("overdue", ok=False)
    assert result.output.startswith(f"Error: office.yaml:{line}:3: {message}"), result.output


def test_the_file_is_found_beside_office_yaml():
    assert calendar.FILE == "calendar.yaml" and duty.WEEKDAYS[0] == "周一"
