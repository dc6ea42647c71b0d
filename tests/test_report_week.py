"""`report --week W | --month M`: a week's figures by monthly's code, its JSON, workbook and refusals, run as
a clerk runs them (003 §4.1.4.3: 每周、每月进行统计)."""

from __future__ import annotations

import json
import subprocess

import pytest
from openpyxl import load_workbook

from repairctl.store import yamlio
from tests.test_i18n import run


def week_json(clerk, week: str, *extra: str) -> dict:
    return json.loads(clerk("report", "--week", week, "--format", "json", *extra).stdout)


def received(report: dict) -> set[str]:
    return {o["id"] for o in report["open_orders"]}  # the orders here are only received: all open


def test_sunday_23_59_and_monday_00_00_fall_in_their_own_weeks(clerk):
    monday = clerk.new(unit="1栋0101", at="2026-11-02 00:00")
    sunday = clerk.new(unit="1栋0102", at="2026-11-08 23:59")
    next_monday = clerk.new(unit="1栋0103", at="2026-11-09 00:00")
    before = clerk.new(unit="1栋0104", at="2026-11-01 23:59")
    w45 = week_json(clerk, "2026-W45")
    assert w45["received"] == 2 and received(w45) == {monday, sunday}
    assert w45["period"] == {"start": "2026-11-02T00:00:00+08:00", "end": "2026-11-09T00:00:00+08:00",
                             "first_day": "2026-11-02", "last_day": "2026-11-08", "cutoff_day": None,
                             "kind": "week", "label": "2026-W45", "months": ["2026-11"]}
    assert received(week_json(clerk, "2026-W46")) == {next_monday}
    assert received(week_json(clerk, "2026-W44")) == {before}


def test_a_week_across_two_months_counts_the_orders_of_both(clerk):
    october = clerk.new(unit="2栋0101", at="2026-10-26 09:00")
    november = clerk.new(unit="2栋0102", at="2026-11-01 18:00")
    clerk.new(unit="2栋0103", at="2026-10-25 23:59")  # the Sunday before
    report = week_json(clerk, "2026w44")
    assert received(report) == {october, november} and report["period"]["months"] == ["2026-10", "2026-11"]


def test_the_iso_year_decides_week_one(clerk):
    old_year = clerk.new(unit="3栋0101", at="2025-12-29 08:00")
    new_year = clerk.new(unit="3栋0102", at="2026-01-04 20:00")
    report = week_json(clerk, "2026年第1周")
    assert report["period"]["first_day"] == "2025-12-29" and received(report) == {old_year, new_year}


def test_a_week_has_monthlys_keys_and_monthly_is_unchanged(clerk):
    clerk.new(unit="4栋0101", at="2026-10-28 10:00")
    monthly = json.loads(clerk("monthly", "2026-10", "--format", "json").stdout)
    week = week_json(clerk, "2026-W44")
    assert set(week) == set(monthly)
    assert set(week["period"]) == set(monthly["period"]) | {"kind", "label"}
    assert week["month"] is None and monthly["month"] == "2026-10" and "kind" not in monthly["period"]
    # `monthly M` is the short name of `report --month M`: the same bytes, text and JSON
    for fmt in ("text", "json"):
        assert (clerk("report", "--month", "2026-10", "--format", fmt).stdout
                == clerk("monthly", "2026-10", "--format", fmt).stdout)


def test_a_week_ignores_the_cutoff_day(clerk):
    with yamlio.edit(clerk.root / "office.yaml") as config:
        config["report"] = {"cutoff_day": 20}
    clerk.git("commit", "-qam", "财务期 21 日至 20 日")
    late = clerk.new(unit="5栋0101", at="2026-10-21 10:00")  # after the finance month's end, in its week
    report = week_json(clerk, "2026-W43")
    assert received(report) == {late} and report["period"]["cutoff_day"] is None
    assert json.loads(clerk("monthly", "2026-10", "--format", "json").stdout)["period"]["cutoff_day"] == 20


@pytest.mark.parametrize("typed", ["2026-W45", "2026w45", "2026 W45", "2026年第45周", "第45周", "W45", "w45",
                                   "２０２６－Ｗ４５"])
def test_the_ways_to_write_a_week(clerk, typed):
    assert week_json(clerk, typed)["period"]["label"] == "2026-W45"  # REPAIRCTL_NOW is in 2026


@pytest.mark.parametrize(("args", "said"), [
    ((), "give one of --week or --month"),
    (("--week", "2026-W45", "--month", "2026-10"), "give one of --week or --month"),
    (("--week", "2025-W53"), "2025 has no week 53"),
    (("--week", "W0"), "week 0 of 2026 does not exist"),
    (("--week", "2026-45"), "is not a week; write it as 2026-W45"),
])
def test_usage_errors_exit_2_in_one_line(clerk, args, said):
    result = clerk("report", *args, ok=False)
    assert result.exit_code == 2 and said in result.output
    assert sum(said in line for line in result.output.splitlines()) == 1


def test_the_workbook_of_a_week(clerk, tmp_path):
    clerk.new(unit="6栋0101", at="2026-11-03 10:00")
    out = tmp_path / "周报.xlsx"
    result = clerk("report", "--week", "2026-W45", "--out", str(out))
    assert f"wrote {out}" in result.output
    book = load_workbook(out)
    summary = book.worksheets[0]
    assert summary["A1"].value == "测试管理处 维修服务周报 2026年第45周（11月2日—11月8日）"
    assert "2026-11-02 至 2026-11-08" in summary["A2"].value and summary["B4"].value == "本周"
    assert "周报 2026年第45周（11月2日—11月8日）" in summary.oddHeader.center.text
    detail = book["明细"]
    assert detail.max_row == 2  # the week's one order
    month = tmp_path / "月报.xlsx"
    clerk("monthly", "2026-11", "--out", str(month))
    # the month's sheets, but for the trend: the 12 weeks up to this one, not the 12 months
    assert book.sheetnames == [name.replace("近12个月趋势", "近12周趋势") for name in load_workbook(month).sheetnames]
    weeks = [row[0] for row in book["近12周趋势"].iter_rows(min_row=2, max_col=1, values_only=True)]
    assert weeks[0] == "2026年第34周" and weeks[-1] == "2026年第45周" and len(weeks) == 12
    assert book["近12周趋势"]["B13"].value == 1  # the week's one order received
    # the workbook names its week: --verify makes it again from the commit, and finds it unchanged
    assert "every figure matches" in clerk("report", "--verify", str(out)).stdout
    summary["B5"] = 0.5
    book.save(out)
    assert clerk("report", "--verify", str(out), ok=False).exit_code == 1


def test_as_of_reads_a_week_from_history(clerk):
    first = clerk.new(unit="7栋0101", at="2026-11-03 10:00")
    head = clerk.git("rev-parse", "HEAD").strip()
    clerk.new(unit="7栋0102", at="2026-11-04 10:00")
    report = week_json(clerk, "2026-W45", "--as-of", head)
    assert received(report) == {first} and report["commit"] == head


def test_the_week_completes_recent_weeks(clerk):
    from click.testing import CliRunner

    from repairctl.cli.app import cli

    words = ["repairctl", "--root", str(clerk.root), "report", "--week", "2026-W4"]
    env = {"_REPAIRCTL_COMPLETE": "zsh_complete", "COMP_WORDS": " ".join(words), "COMP_CWORD": str(len(words) - 1)}
    lines = CliRunner().invoke(cli, [], env=env, prog_name="repairctl").output.splitlines()
    offered = [lines[i + 1] for i in range(0, len(lines) - 2, 3)]
    assert offered == ["2026-W48", "2026-W47", "2026-W46", "2026-W45", "2026-W44", "2026-W43", "2026-W42",
                       "2026-W41"]  # this week (the 25th: W48) first


def test_the_real_executable_reports_a_week(clerk, executable):
    oid = clerk.new(unit="8栋0101", at="2026-11-05 10:00")
    done = subprocess.run([executable, "--root", str(clerk.root), "report", "--week", "2026-W45", "--format",
                           "json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert received(json.loads(done.stdout)) == {oid}


def test_a_refused_week_is_said_in_chinese(clerk):
    done = run("report", "--week", "2025-W53", cwd=clerk.root)
    assert done.returncode == 2
    assert "2025 年没有第 53 周（该年 ISO 周为第 1 至 52 周）；请写成 2025-W52 或 2026-W01" in done.stderr
    done = run("report", "--week", "2026-W45", cwd=clerk.root)
    assert done.returncode == 0 and "维修服务周报 2026-W45（2026-11-02 至 2026-11-08）" in done.stdout
    assert "本周" in done.stdout and "本月" not in done.stdout  # the figures' column is the week's
