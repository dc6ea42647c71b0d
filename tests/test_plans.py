"""Planned maintenance, the office's side: when a plan falls due (every 7d, 2w, 1m or on fixed dates, over
month ends and a leap year), `plan add` writing plans.yaml, and the files' faults placed at line:col."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from repairctl.office import plans, schedule

D = dt.date
PUMP = "equipment:\n  - code: B1-PUMP-01\n    name: 生活水泵1号\n    location: B1水泵房\n    category: 给排水\n"


def days(start, every, first, last, fixed=(), end=None):
    period = schedule.parse_every(every) if every else None
    return schedule.due_days(start, period, tuple(schedule.parse_fixed(f) for f in fixed), first, last, end)


def test_every_seven_days_runs_over_a_month_end_and_a_leap_day():
    assert days(D(2028, 2, 15), "7d", D(2028, 2, 1), D(2028, 3, 14)) == [
        D(2028, 2, 15), D(2028, 2, 22), D(2028, 2, 29), D(2028, 3, 7), D(2028, 3, 14)]
    # asked from a later first day: the same days, not days counted from `first`
    assert days(D(2028, 2, 15), "7d", D(2028, 3, 1), D(2028, 3, 14)) == [D(2028, 3, 7), D(2028, 3, 14)]


def test_every_two_weeks_over_a_year_end():
    assert days(D(2026, 12, 21), "2w", D(2026, 12, 1), D(2027, 2, 1)) == [
        D(2026, 12, 21), D(2027, 1, 4), D(2027, 1, 18), D(2027, 2, 1)]


def test_every_month_from_the_31st_clips_to_the_month_end_and_never_drifts():
    assert days(D(2027, 10, 31), "1m", D(2027, 10, 1), D(2028, 5, 31)) == [
        D(2027, 10, 31), D(2027, 11, 30), D(2027, 12, 31), D(2028, 1, 31), D(2028, 2, 29), D(2028, 3, 31),
        D(2028, 4, 30), D(2028, 5, 31)]
    assert days(D(2026, 1, 31), "1m", D(2026, 2, 1), D(2026, 3, 31)) == [D(2026, 2, 28), D(2026, 3, 31)]
    assert days(D(2026, 11, 30), "3m", D(2026, 1, 1), D(2027, 12, 31)) == [
        D(2026, 11, 30), D(2027, 2, 28), D(2027, 5, 30), D(2027, 8, 30), D(2027, 11, 30)]


def test_fixed_dates_once_and_every_year_and_the_29th_of_february():
    assert days(D(2026, 1, 1), None, D(2026, 1, 1), D(2028, 12, 31), fixed=("06-01", "2027-09-15")) == [
        D(2026, 6, 1), D(2027, 6, 1), D(2027, 9, 15), D(2028, 6, 1)]
    assert days(D(2026, 1, 1), None, D(2026, 1, 1), D(2029, 12, 31), fixed=("02-29",)) == [D(2028, 2, 29)]
    # an end day stops the plan; every and dates together
    assert days(D(2026, 11, 1), "2w", D(2026, 11, 1), D(2026, 12, 31), fixed=("12-24",), end=D(2026, 12, 24)) == [
        D(2026, 11, 1), D(2026, 11, 15), D(2026, 11, 29), D(2026, 12, 13), D(2026, 12, 24)]


@pytest.mark.parametrize("bad", ["7", "0d", "1y", "d7", "1 month", "", "999d"])
def test_a_bad_period_is_refused_with_an_example(bad):
    with pytest.raises(Exception, match=r"is not a period.*7d, 2w, 1m"):
        schedule.parse_every(bad)


def test_a_new_office_has_empty_commented_files_and_plan_add_numbers_and_commits(clerk):
    for name in (plans.EQUIPMENT, plans.PLANS):
        text = (clerk.root / name).read_text("utf-8")
        assert text.startswith("# ") and "例：" in text
    assert clerk("plan", "list").stdout.startswith("no plans yet")
    (clerk.root / plans.EQUIPMENT).write_text(PUMP, encoding="utf-8")
    clerk.git("commit", "-qam", "设备台账")
    made = clerk("plan", "add", "--name", "水泵房月度保养", "--equipment", "b1-pump-01", "--every", "1m", "--start",
                 "2026-12-01", "--trade", "水电", "--checklist", "检查水泵运行声音", "--checklist", "检查有无漏水")
    assert made.stdout == "P01\n"
    assert clerk("plan", "add", "--name", "消防巡检", "--where", "全小区", "--every", "2w",
                 "--start", "2026-11-02").stdout == "P02\n"
    text = (clerk.root / plans.PLANS).read_text("utf-8")
    assert text.startswith("# 计划性维修") and "    checklist: [检查水泵运行声音, 检查有无漏水]\n" in text
    assert clerk.git("log", "-1", "--format=%s") == "plan add P02: 消防巡检（全小区）\n"
    assert clerk.git("status", "--porcelain") == ""
    assert "/plans.yaml merge=union" in (clerk.root / ".gitattributes").read_text("utf-8")
    listed = json.loads(clerk("plan", "list", "--format", "json").stdout)
    assert [(p["id"], p["where"], p["equipment"], p["every"]) for p in listed] == [
        ("P01", "B1水泵房", "B1-PUMP-01", "1m"), ("P02", "全小区", None, "2w")]
    assert clerk("check").stdout == "ok\n"


def test_a_desk_adds_plans_ending_in_its_letter(clerk):
    clerk.git("config", "repairctl.desk", "B")
    assert clerk("plan", "add", "--name", "巡检", "--where", "1栋", "--date", "06-01", "--date", "2027-01-15",
                 "--start", "2026-12-01").stdout == "P01B\n"
    assert plans.load(clerk.root).plans["P01B"].fixed == ((None, 6, 1), (2027, 1, 15))


@pytest.mark.parametrize(("args", "said"), [
    (["--every", "1y", "--start", "2026-12-01"], "every '1y' is not a period"),
    (["--every", "1m"], "--every and a yearly --date need --start DATE"),
    (["--start", "2026-12-01"], "say when the plan falls due"),
    (["--every", "1m", "--start", "2026-12-01", "--equipment", "NOPE"], "equipment NOPE is not in equipment.yaml"),
    (["--date", "02-30", "--start", "2026-12-01"], "date '02-30' is not a day"),
])
def test_plan_add_refuses_bad_input_in_one_line_and_changes_nothing(clerk, snapshot, args, said):
    before = snapshot(clerk)
    refused = clerk("plan", "add", "--name", "巡检", "--where", "1栋", *args, ok=False)
    assert refused.exit_code == 1 and said in refused.output and len(refused.output.strip().splitlines()) == 1
    assert snapshot(clerk) == before


def test_a_broken_plans_file_is_named_at_its_line_and_column_by_check_and_refuses_plan_commands(clerk, snapshot,
                                                                                               monkeypatch):
    monkeypatch.chdir(clerk.root)  # problems name files from where the clerk stands
    (clerk.root / plans.EQUIPMENT).write_text(PUMP, encoding="utf-8")
    (clerk.root / plans.PLANS).write_text(
        "plans:\n  - id: P01\n    name: 月检\n    equipment: B1-PUMP-09\n    every: 1m\n    start: 2026-12-01\n"
        "  - id: P02\n    name: 周检\n    where: 1栋\n    every: weekly\n    start: 2026-12-01\n"
        "  - id: P03\n    name: 巡检\n    where: 1栋\n    every: 1m\n    start: 2026-13-01\n    checklst: [a]\n",
        encoding="utf-8")
    checked = clerk("check", ok=False)
    assert checked.exit_code == 1
    assert checked.stdout.splitlines() == [
        "plans.yaml:4:5: equipment B1-PUMP-09 is not in equipment.yaml; add it there first, or fix the code",
        "plans.yaml:10:5: every 'weekly' is not a period; write a number and d, w or m (days, weeks, months), "
        "e.g. 7d, 2w, 1m",
        "plans.yaml:17:5: 'checklst' is no key here (a typo?); the keys are id, name, where, equipment, every, dates, "
        "start, end, trade, checklist"]
    before = snapshot(clerk)
    for command in (["plan", "due"], ["plan", "run"], ["plan", "add", "--name", "x", "--where", "y", "--every", "1m",
                                                       "--start", "2026-12-01"]):
        refused = clerk(*command, ok=False)
        assert refused.exit_code == 1
        assert refused.output.strip() == ("Error: plans.yaml:4:5: equipment B1-PUMP-09 is not in equipment.yaml; "
                                          "add it there first, or fix the code (and 2 more problems; `repairctl "
                                          "check` lists them)")
    assert snapshot(clerk) == before


def test_bad_yaml_and_a_duplicate_code_are_placed(clerk, monkeypatch):
    monkeypatch.chdir(clerk.root)
    (clerk.root / plans.EQUIPMENT).write_text(PUMP + "  - code: b1-pump-01\n    name: 又一台\n", encoding="utf-8")
    (clerk.root / plans.PLANS).write_text("plans:\n  - id: P01\n    name: [unclosed\n", encoding="utf-8")
    lines = clerk("check", ok=False).stdout.splitlines()
    assert lines[0] == "equipment.yaml:6:5: code b1-pump-01 is used twice; give each piece of equipment its own"
    assert lines[1].startswith("plans.yaml:4:1: YAML syntax error")
