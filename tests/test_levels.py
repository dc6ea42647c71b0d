"""Service levels as of the order: office.yaml dates its earlier limits (service_levels_before), every
judging path takes the limits in force the day an order was received, and `check` warns when an edit
of office.yaml would re-judge orders already reported."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest

from repairctl.office import settings
from repairctl.office.folder import load_office
from repairctl.orders import query, sla

TZ = ZoneInfo("Asia/Shanghai")
ARRIVAL = "  arrival_minutes: 15 "  # in the shipped office.yaml


def office_yaml(levels: str) -> str:
    return f"site: HQ\ntimezone: Asia/Shanghai\n{levels}"


def edit(clerk, old: str, new: str, *, commit: bool = False) -> None:
    """Replace old with new in office.yaml (appended when old is ''), committed if asked (no hook)."""
    path = clerk.root / "office.yaml"
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1) if old else text + new, "utf-8")
    if commit:
        clerk.git("commit", "-qam", "office.yaml by hand", "--no-verify")


def line_of(clerk, start: str, after: int = 0) -> int:
    """The first line of office.yaml after line `after` that starts with start."""
    lines = (clerk.root / "office.yaml").read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if n > after and line.startswith(start))


# --- office.yaml: the dated form, checked with positions ---------------------------------------------

BAD = [
    ("service_levels_before:\n  - until: 2026-13-01\n    arrival_minutes: 15\n",
     ["office.yaml:4:5: service_levels_before[0].until must be a day like 2026-12-01 (in 2000..2099), "
      "not '2026-13-01'"]),
    ("service_levels_before:\n  - until: next month\n    arrival_minutes: 15\n",
     ["office.yaml:4:5: service_levels_before[0].until must be a day like 2026-12-01 (in 2000..2099), "
      "not 'next month'"]),
    ("service_levels_before:\n  - until: 1999-12-01\n    arrival_minutes: 15\n",
     ["office.yaml:4:5: service_levels_before[0].until must be a day like 2026-12-01 (in 2000..2099), "
      "not '1999-12-01'"]),
    ("service_levels_before:\n  - until: 20261201\n    arrival_minutes: 15\n",
     ["office.yaml:4:5: service_levels_before[0].until must be a day like 2026-12-01 (in 2000..2099), "
      "not 20261201"]),
    ("service_levels_before:\n  - arrival_minutes: 15\n",
     ["office.yaml:4:5: service_levels_before[0] has no `until`: give the day these limits ended, "
      "like `until: 2026-12-01`"]),
    ("service_levels_before:\n  - until: 2026-06-01\n    arrival_minutes: 15\n"
     "  - until: 2026-09-01\n    arrival_minutes: 10\n",
     ["office.yaml:6:5: service_levels_before[1].until 2026-09-01 must be before service_levels_before[0]'s "
      "2026-06-01: list the entries newest first, one per day"]),
    ("service_levels_before:\n  - until: 2026-06-01\n    arrival_minutes: 15\n"
     "  - until: 2026-06-01\n    arrival_minutes: 10\n",
     ["office.yaml:6:5: service_levels_before[1].until 2026-06-01 must be before service_levels_before[0]'s "
      "2026-06-01: list the entries newest first, one per day"]),
    ("service_levels_before:\n  - until: 2026-12-01\n    arival_minutes: 15\n    until_day: 3\n",
     ["office.yaml:5:5: service_levels_before[0].arival_minutes is not a service level; the levels are "
      "arrival_minutes, emergency_day_minutes, emergency_night_minutes, emergency_day_start, emergency_day_end, "
      "appointment_early_minutes, appointment_late_minutes, finish_hours, emergency_finish_hours, callback_hours, "
      "fee_pending_hours, followup_hours, warranty_months, payment_days, complaint_answer_hours, working_time",
      "office.yaml:6:5: service_levels_before[0].until_day is not a service level; the levels are "
      "arrival_minutes, emergency_day_minutes, emergency_night_minutes, emergency_day_start, emergency_day_end, "
      "appointment_early_minutes, appointment_late_minutes, finish_hours, emergency_finish_hours, callback_hours, "
      "fee_pending_hours, followup_hours, warranty_months, payment_days, complaint_answer_hours, working_time"]),
    ("service_levels_before:\n  - until: 2026-12-01\n    arrival_minutes: 0\n",
     ["office.yaml:5:5: service_levels_before[0].arrival_minutes must be 1 or more, not 0"]),
    ("service_levels_before:\n  - until: 2026-12-01\n",
     ["office.yaml:4:5: service_levels_before[0] names no limit: list the limits that were in force before "
      "its `until`, like `arrival_minutes: 15`"]),
    ("service_levels_before: {until: 2026-12-01, arrival_minutes: 15}\n",
     ["office.yaml:3:1: service_levels_before must be a list of earlier limits, newest first, like "
      "`- {until: 2026-12-01, arrival_minutes: 15}`"]),
    ("service_levels_before:\n  - 15\n",
     ["office.yaml:4:5: service_levels_before[0] must be a mapping, like `{until: 2026-12-01, arrival_minutes: 15}`"]),
    # an entry's daytime is the newer one's with its own changes: 21:30 falls after the 21:00 end above
    ("service_levels:\n  emergency_day_end: '21:00'\nservice_levels_before:\n  - until: 2026-12-01\n"
     "    arrival_minutes: 10\n  - until: 2026-06-01\n    emergency_day_start: '21:30'\n",
     ["office.yaml:9:5: service_levels_before[1].emergency_day_start (21:30) must be before "
      "emergency_day_end (21:00)"]),
]


@pytest.mark.parametrize("levels, problems", BAD, ids=[case[1][0].split(": ", 1)[1][:50] for case in BAD])
def test_a_bad_dated_level_is_named_at_its_line(tmp_path, monkeypatch, levels, problems):
    (tmp_path / "office.yaml").write_text(office_yaml(levels), "utf-8")
    monkeypatch.chdir(tmp_path)
    assert [str(p) for p in settings.problems(tmp_path / "office.yaml")] == problems


def test_a_bad_dated_level_stops_every_command_and_check_lists_it(clerk, monkeypatch):
    edit(clerk, "", "service_levels_before:\n  - until: 2026-02-30\n    arrival_minutes: 10\n", commit=True)
    monkeypatch.chdir(clerk.root)
    line = line_of(clerk, "  - until:")
    message = (f"office.yaml:{line}:5: service_levels_before[0].until must be a day like 2026-12-01 "
               "(in 2000..2099), not '2026-02-30'")
    assert clerk("overdue", ok=False).output == f"Error: {message}\n"
    checked = clerk("check", ok=False)
    assert checked.exit_code == 1 and checked.stdout == f"{message}\n"


def test_the_dated_form_reads_as_each_day_had_it():
    config = {"service_levels": {"arrival_minutes": 20},
              "service_levels_before": [{"until": "2026-12-01", "arrival_minutes": 15},
                                        {"until": "2026-06-01", "finish_hours": 48}]}
    assert list(settings.findings({"site": "HQ", **config})) == []
    schedule = sla.schedule(config, TZ)

    def at(text):
        return schedule.at(dt.datetime.fromisoformat(text))

    assert (at("2026-12-01T00:00+08:00").arrival_minutes, at("2026-12-01T00:00+08:00").finish_hours) == (20, 24)
    assert (at("2026-11-30T23:59+08:00").arrival_minutes, at("2026-11-30T23:59+08:00").finish_hours) == (15, 24)
    # a level an entry leaves out is the newer entry's; before the oldest `until`, the oldest entry
    assert (at("2026-05-31T23:59+08:00").arrival_minutes, at("2026-05-31T23:59+08:00").finish_hours) == (15, 48)
    assert at("2020-01-01T00:00+08:00").finish_hours == 48
    # the day is the office's: 16:30 UTC on 30 November is 00:30 on 1 December in Shanghai
    assert at("2026-11-30T16:30+00:00").arrival_minutes == 20
    assert schedule.longest("finish_hours") == 48 and schedule.now == sla.levels(config)
    assert sla.schedule({}, TZ).at(dt.datetime(2020, 1, 1, tzinfo=TZ)) == sla.Levels()


# --- each order judged by its own day's limits ---------------------------------------------------------

DATED = "service_levels_before:\n  - until: 2026-10-06\n    arrival_minutes: 10\n"  # 15 from 6 October


def dues(clerk) -> dict:
    found = json.loads(clerk("overdue", "--at", "2026-10-06 10:30", "--within", "0m", "--format", "json",
                             ok=False).stdout)
    return {row["id"]: row["due"] for row in found if row["kind"] == "arrival"}


def test_overdue_and_the_cache_judge_each_order_by_its_day(clerk):
    a = clerk.new(at="2026-10-05 10:00")
    b = clerk.new("--force", at="2026-10-06 10:00")
    assert dues(clerk) == {a: "2026-10-05T10:15:00+08:00", b: "2026-10-06T10:15:00+08:00"}  # the cache is warm
    edit(clerk, "", DATED)  # service_levels itself unchanged: the cache must see the dates alone
    assert dues(clerk) == {a: "2026-10-05T10:10:00+08:00", b: "2026-10-06T10:15:00+08:00"}
    office = load_office(clerk.root)
    warm = [(c.order_id, c.kind, c.due) for c in query.open_clocks(office, dt.datetime(2030, 1, 1, tzinfo=TZ))]
    shutil.rmtree(clerk.root / ".repairctl")
    office = load_office(clerk.root)
    assert [(c.order_id, c.kind, c.due) for c in query.open_clocks(office, dt.datetime(2030, 1, 1, tzinfo=TZ))] == warm
    edit(clerk, ARRIVAL, "  arrival_minutes: 20 ")  # from 6 October 20; before it still 10
    assert dues(clerk) == {a: "2026-10-05T10:10:00+08:00", b: "2026-10-06T10:20:00+08:00"}


def monthly(clerk) -> dict:
    return json.loads(clerk("monthly", "2026-10", "--format", "json").stdout)


def test_monthly_judges_each_order_by_its_day(clerk):
    for at in ("2026-10-05 10:00", "2026-10-06 10:00"):  # each arrives after 12 minutes
        oid = clerk.new("--force", at=at)
        clerk("assign", oid, "--to", "李师傅", "--at", at[:-2] + "01")
        clerk("visit", oid, "--arrived", "--at", at[:-2] + "12")
    assert {k: v for k, v in monthly(clerk)["on_time"]["arrival"].items() if k != "rate"} == \
        {"met": 2, "missed": 0, "open": 0}
    edit(clerk, "", DATED)  # 10 minutes before 6 October: the first is late, the second is not
    assert monthly(clerk)["on_time"]["arrival"] == {"met": 1, "missed": 1, "open": 0, "rate": 0.5}


def test_rework_goes_by_the_warranty_of_the_later_orders_day(clerk):
    # a warranty of 3 months until 15 October, none after it
    edit(clerk, "  warranty_months: 3 ", "  warranty_months: 0 ")
    edit(clerk, "", "service_levels_before:\n  - until: 2026-10-15\n    warranty_months: 3\n")
    first = clerk.new(unit="5栋0301", item="W05", at="2026-09-20 10:00")
    clerk("assign", first, "--to", "李师傅", "--at", "2026-09-20 10:02")
    clerk("close", first, "--signed-by", "业户", "--arrived-at", "2026-09-20 10:10", "--at", "2026-09-20 10:40")
    again = clerk.new("--force", unit="5栋0301", item="W05", at="2026-10-10 09:00")
    clerk.new("--force", unit="5栋0301", item="W05", at="2026-10-20 09:00")
    # the September order is read although today's warranty (0) reaches no month back
    assert [(r["id"], r["of"]) for r in monthly(clerk)["rework"]] == [(again, first)]


# --- check: an edit that would re-judge orders already reported ----------------------------------------

ADVICE = ("in months already reported; to change it from a day on, put the old value at the top of "
          "service_levels_before: `- {until: 2026-12-01, arrival_minutes: 15}`")


def warnings(clerk, monkeypatch) -> list[str]:
    """check's warnings ([] when it says ok); its exit status is 0 either way (clerk asserts it)."""
    monkeypatch.chdir(clerk.root)  # office.yaml named as the clerk sees it
    lines = clerk("check").stdout.splitlines()
    return [] if lines == ["ok"] else lines


def test_an_undated_edit_warns_at_its_key(clerk, monkeypatch):
    assert warnings(clerk, monkeypatch) == []
    edit(clerk, ARRIVAL, "  arrival_minutes: 20 ")
    line = line_of(clerk, "  arrival_minutes")
    assert warnings(clerk, monkeypatch) == [
        f"office.yaml:{line}:3: warning: service_levels.arrival_minutes changes from 15 to 20 for orders received "
        f"before 2026-11-01, {ADVICE}"]
    found = json.loads(clerk("check", "--format", "json").stdout)
    assert [(p["line"], p["column"], p["rule"]) for p in found] == [(line, 3, "rejudge")]
    clerk.new()  # an order file that breaks a rule still fails check, the warning beside it
    clerk.order_file("HQ-000001").write_text("id: HQ-000001\n", "utf-8")
    assert clerk("check", ok=False).exit_code == 1


def test_a_dated_edit_does_not_warn(clerk, monkeypatch):
    edit(clerk, ARRIVAL, "  arrival_minutes: 20 ")
    edit(clerk, "", "service_levels_before:\n  - until: 2026-12-01\n    arrival_minutes: 15\n")
    assert warnings(clerk, monkeypatch) == []
    # from a day of the month not yet reported: only orders no report has judged change
    edit(clerk, "until: 2026-12-01", "until: 2026-11-10")
    assert warnings(clerk, monkeypatch) == []


def test_a_date_in_a_reported_month_warns_for_the_days_it_reaches(clerk, monkeypatch):
    edit(clerk, ARRIVAL, "  arrival_minutes: 20 ")
    edit(clerk, "", "service_levels_before:\n  - until: 2026-10-01\n    arrival_minutes: 15\n")
    line = line_of(clerk, "  arrival_minutes")
    assert warnings(clerk, monkeypatch) == [
        f"office.yaml:{line}:3: warning: service_levels.arrival_minutes changes from 15 to 20 for orders received "
        f"from 2026-10-01 until 2026-11-01, {ADVICE}"]


def test_editing_a_past_entry_warns_at_it(clerk, monkeypatch):
    edit(clerk, "", "service_levels_before:\n  - until: 2026-10-01\n    finish_hours: 48\n", commit=True)
    edit(clerk, "    finish_hours: 48", "    finish_hours: 36")
    line = line_of(clerk, "    finish_hours")
    assert warnings(clerk, monkeypatch) == [
        f"office.yaml:{line}:5: warning: service_levels_before: finish_hours changes from 48 to 36 for orders "
        "received before 2026-10-01, in months already reported; those were judged by the limits before the edit: "
        "put them back"]


def test_the_reported_months_follow_the_cutoff_day(clerk, monkeypatch):
    # cut off on the 20th, the period of 25 November began on 21 November: 15 November is reported
    edit(clerk, "# report:\n#   cutoff_day: 20", "report:\n  cutoff_day: 20", commit=True)
    edit(clerk, ARRIVAL, "  arrival_minutes: 20 ")
    edit(clerk, "", "service_levels_before:\n  - until: 2026-11-15\n    arrival_minutes: 15\n")
    line = line_of(clerk, "  arrival_minutes")
    assert warnings(clerk, monkeypatch) == [
        f"office.yaml:{line}:3: warning: service_levels.arrival_minutes changes from 15 to 20 for orders received "
        "from 2026-11-15 until 2026-11-21, in months already reported; to change it from a day on, put the old "
        "value at the top of service_levels_before: `- {until: 2026-12-21, arrival_minutes: 15}`"]


def test_a_new_timezone_or_cutoff_day_warns(clerk, monkeypatch):
    edit(clerk, "timezone: Asia/Shanghai", "timezone: Asia/Tokyo")
    edit(clerk, "# report:\n#   cutoff_day: 20", "report:\n  cutoff_day: 20")
    timezone, cutoff = line_of(clerk, "timezone"), line_of(clerk, "  cutoff_day")
    assert warnings(clerk, monkeypatch) == [
        f"office.yaml:{timezone}:1: warning: timezone changes from Asia/Shanghai to Asia/Tokyo: every order's times, "
        "days and periods are read in it, so orders already reported would be judged again; an office keeps its "
        "timezone",
        f"office.yaml:{cutoff}:3: warning: report.cutoff_day changes from none to 20: every month's period moves, so "
        "months already reported would count other orders; if that is meant, say so beside the next report"]


def test_the_pre_commit_hook_warns_and_lets_the_commit_through(clerk):
    clerk("check", "--install-hook")
    edit(clerk, ARRIVAL, "  arrival_minutes: 20 ")
    commit = subprocess.run(["git", "-C", str(clerk.root), "commit", "-qam", "arrival 20"],
                            capture_output=True, text=True)
    assert commit.returncode == 0, commit.stderr
    assert "warning: service_levels.arrival_minutes changes from 15 to 20" in commit.stderr
    assert clerk.git("status", "--porcelain") == ""
    assert clerk("check").stdout == "ok\n"  # committed: HEAD's office.yaml is the working copy's


def test_the_shipped_office_yaml_shows_the_dated_form_ready_to_uncomment():
    from repairctl.office.folder import DEFAULTS
    from repairctl.store import yamlio

    lines = (DEFAULTS / "office.yaml").read_text("utf-8").splitlines()
    shown = [n for n, line in enumerate(lines)
             if line == "# service_levels_before:" or line.startswith(("#   - until:", "#     arrival_minutes:"))]
    assert len(shown) == 3
    for n in shown:
        lines[n] = lines[n][2:]  # the clerk deletes `# `
    config = yamlio.parse("\n".join(lines).replace("  arrival_minutes: 15 ", "  arrival_minutes: 20 ", 1))
    assert list(settings.findings(config)) == []
    schedule = sla.schedule(config, TZ)
    assert schedule.at(dt.datetime(2026, 11, 30, 23, 59, tzinfo=TZ)).arrival_minutes == 15
    assert schedule.at(dt.datetime(2026, 12, 1, tzinfo=TZ)).arrival_minutes == 20
