"""Clocks that count working time: `overdue`, `monthly` and the slip's 要求完工时间 through orders/sla.py's one
hook, the cache rebuilt when calendar.yaml changes, and an office that counts none unchanged."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.test_calendar import edit
from tests.test_i18n import run

WORKING = "  working_time: {finish: days, callback: hours}\n  payment_days: 7 "


def counts_working_days(clerk, finish_hours: int = 48) -> None:
    """office.yaml's finish clock: finish_hours counted as working days (48: 001 §四.2's 小修 2 天)."""
    edit(clerk, "  payment_days: 7 ", WORKING, "office.yaml")
    if finish_hours != 24:
        edit(clerk, "  finish_hours: 24 ", f"  finish_hours: {finish_hours} ", "office.yaml")


def due(clerk, order_id: str, kind: str, at: str = "2026-09-30 17:05") -> str:
    rows = json.loads(clerk("overdue", "--at", at, "--within", "30d", "--format", "json", ok=False).stdout)
    return next(row["due"] for row in rows if row["id"] == order_id and row["kind"] == kind)


def test_a_finish_clock_of_two_working_days_skips_the_national_day_week(clerk):
    counts_working_days(clerk)
    order = clerk.new(at="2026-09-30 17:00")
    assert due(clerk, order, "finish") == "2026-10-09T17:00:00+08:00"
    assert due(clerk, order, "arrival") == "2026-09-30T17:15:00+08:00"  # arrival stays on the clock
    slip = clerk("slip", order).stdout
    assert "要求完工时间  2026-10-09 17:00" in slip
    # three working days: the make-up Saturday 10 October is worked
    edit(clerk, "  finish_hours: 48 ", "  finish_hours: 72 ", "office.yaml")
    assert due(clerk, order, "finish") == "2026-10-10T17:00:00+08:00"


def test_an_office_without_working_time_counts_calendar_time_as_before(clerk):
    order = clerk.new(at="2026-09-30 17:00")
    assert due(clerk, order, "finish") == "2026-10-01T17:00:00+08:00"  # 24 hours, holiday or not
    clerk.git("rm", "-q", "calendar.yaml")
    clerk.git("commit", "-qm", "no calendar", "--no-verify")
    assert due(clerk, order, "finish") == "2026-10-01T17:00:00+08:00"
    assert "要求完工时间  2026-10-01 17:00" in clerk("slip", order).stdout


def test_friday_evening_receipt_is_due_at_monday_s_closing_and_its_callback_in_working_hours(clerk):
    counts_working_days(clerk, 24)
    order = clerk.new(at="2026-11-20 19:00")  # a Friday
    assert due(clerk, order, "finish", "2026-11-20 19:05") == "2026-11-23T17:30:00+08:00"
    clerk("assign", order, "--to", "李师傅", "--at", "2026-11-20 19:10")
    clerk("close", order, "--arrived-at", "2026-11-20 19:15", "--signed-by", "张三", "--work", "换阀芯",
          "--at", "2026-11-20 20:00")
    # finished on Friday evening: 24 working hours from Monday's opening, Monday 9 h, Tuesday 9 h, Wednesday 6 h
    assert due(clerk, order, "callback", "2026-11-20 20:05") == "2026-11-25T14:30:00+08:00"


def test_an_emergency_stays_on_the_clock(clerk):
    counts_working_days(clerk)
    order = clerk.new("--emergency", at="2026-09-30 23:00")
    assert due(clerk, order, "arrival", "2026-09-30 23:05") == "2026-09-30T23:30:00+08:00"
    assert due(clerk, order, "finish", "2026-09-30 23:05") == "2026-10-01T01:00:00+08:00"


def test_monthly_judges_on_time_in_working_days(clerk):
    order = clerk.new(at="2026-09-30 17:00")
    clerk("assign", order, "--to", "李师傅", "--at", "2026-09-30 17:05")
    clerk("close", order, "--arrived-at", "2026-09-30 17:10", "--signed-by", "张三", "--work", "换阀芯",
          "--at", "2026-10-08 16:00")

    def finish() -> dict:
        return json.loads(clerk("monthly", "2026-09", "--format", "json").stdout)["on_time"]["finish"]

    assert (finish()["met"], finish()["missed"]) == (0, 1)  # 24 calendar hours: due on 1 October
    counts_working_days(clerk)
    assert (finish()["met"], finish()["missed"]) == (1, 0)  # 2 working days: due 9 October


def test_an_edit_of_calendar_yaml_moves_the_due_times_of_the_cache(clerk):
    counts_working_days(clerk, 24)
    order = clerk.new(at="2026-11-23 10:00")  # a Monday
    assert due(clerk, order, "finish", "2026-11-23 10:05") == "2026-11-24T10:00:00+08:00"
    edit(clerk, "\nworkdays:\n", "\n  2026-11-24: 厂庆\nworkdays:\n")  # the office's own day off, typed in
    assert due(clerk, order, "finish", "2026-11-23 10:05") == "2026-11-25T10:00:00+08:00"
    edit(clerk, "working_hours: ['08:30-17:30']", "working_hours: ['09:00-18:00']")
    assert due(clerk, order, "finish", "2026-11-23 10:05") == "2026-11-25T10:00:00+08:00"
    (clerk.root / "calendar.yaml").write_text(  # an edit not yet committed counts too
        (clerk.root / "calendar.yaml").read_text("utf-8").replace("  2026-11-24: 厂庆\n", ""), "utf-8")
    assert due(clerk, order, "finish", "2026-11-23 10:05") == "2026-11-24T10:00:00+08:00"


def test_the_executable_shows_a_month(clerk, executable):
    done = subprocess.run([executable, "--root", str(clerk.root), "calendar", "show", "2026-10", "--format", "json"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[9]["date"] == "2026-10-10" and json.loads(done.stdout)[9]["working"] is True


@pytest.mark.parametrize("command", [("calendar", "show", "2026-10"), ("calendar", "seed", "2027")])
def test_calendar_speaks_chinese(clerk, command):
    done = run(*command, cwd=clerk.root)
    if command[1] == "show":
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[0] == "2026-10：18 个工作日；工作时间 08:30-17:30"
        assert "2026-10-10  周六" in done.stdout and "国庆节（调休上班）" in done.stdout
    else:
        assert done.returncode == 1
        assert done.stderr.startswith("错误：chinese-calendar 还没有 2027 年的节假日")


def test_a_workbook_of_working_time_clocks_verifies_and_its_as_of_report_agrees(clerk, tmp_path):
    """--as-of copies calendar.yaml with office.yaml: without it every clock fell back to calendar time, and a
    workbook made a moment before was called hand-edited."""
    counts_working_days(clerk)
    order = clerk.new(at="2026-09-30 17:00")
    clerk("assign", order, "--to", "李师傅", "--at", "2026-09-30 17:05")
    clerk("close", order, "--arrived-at", "2026-09-30 17:10", "--signed-by", "张三", "--work", "换阀芯",
          "--at", "2026-10-08 10:00")  # on time in working days only
    now = json.loads(clerk("monthly", "2026-09", "--format", "json").stdout)["on_time"]["finish"]
    assert (now["met"], now["missed"]) == (1, 0)
    head = clerk.git("rev-parse", "HEAD").strip()
    then = json.loads(clerk("monthly", "2026-09", "--as-of", head, "--format", "json").stdout)["on_time"]["finish"]
    assert then == now
    out = tmp_path / "m.xlsx"
    clerk("monthly", "2026-09", "--out", str(out))
    assert clerk("monthly", "--verify", str(out)).exit_code == 0
