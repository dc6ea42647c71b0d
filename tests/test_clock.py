"""The clock: real unless REPAIRCTL_NOW pins it, and every command that judges "now" goes by it;
the waits that tests shorten through the environment."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from repairctl.errors import RepairError
from repairctl.text import clock

TZ = ZoneInfo("Asia/Shanghai")


def test_unpinned_the_clock_is_the_real_one(monkeypatch):
    monkeypatch.delenv("REPAIRCTL_NOW")
    before = dt.datetime.now(TZ).replace(microsecond=0)
    got = clock.now(TZ)
    after = dt.datetime.now(TZ)
    assert before <= got <= after and got.microsecond == 0 and got.utcoffset() == dt.timedelta(hours=8)


@pytest.mark.parametrize("pinned, expected", [
    ("2026-10-01T09:30:00+08:00", dt.datetime(2026, 10, 1, 9, 30)),
    ("2026-10-01T01:30:00+00:00", dt.datetime(2026, 10, 1, 9, 30)),  # the same instant, in office time
    ("2026-10-01 09:30", dt.datetime(2026, 10, 1, 9, 30)),  # no offset: office time
    (" 2026-10-01T09:30:45.5+08:00 ", dt.datetime(2026, 10, 1, 9, 30, 45)),  # to the second
])
def test_repairctl_now_pins_the_clock(monkeypatch, pinned, expected):
    monkeypatch.setenv("REPAIRCTL_NOW", pinned)
    assert clock.now(TZ) == expected.replace(tzinfo=TZ)
    assert clock.parse_time("14:00", TZ) == dt.datetime(2026, 10, 1, 14, 0, tzinfo=TZ)  # the day comes from it


def test_a_repairctl_now_that_is_not_a_time_is_a_one_line_error(monkeypatch, clerk):
    monkeypatch.setenv("REPAIRCTL_NOW", "明天")
    with pytest.raises(RepairError, match="REPAIRCTL_NOW='明天' is not a time"):
        clock.now(TZ)
    result = clerk("new", "--unit", "1-101", "--name", "李四", "--phone", "13900000000", "--desc", "灯不亮", ok=False)
    assert result.exit_code == 1 and result.output.startswith("Error: REPAIRCTL_NOW='明天' is not a time")
    assert len(result.output.strip().splitlines()) == 1 and not list(clerk.root.glob("records/orders/*/*/*.yaml"))


@pytest.mark.parametrize("text, seconds", [(None, 2.0), ("", 2.0), (" 0 ", 0.0), ("0.25", 0.25), ("10", 10.0)])
def test_a_wait_in_seconds_from_the_environment(monkeypatch, text, seconds):
    if text is not None:
        monkeypatch.setenv("REPAIRCTL_RACY_SECONDS", text)
    assert clock.seconds_setting("REPAIRCTL_RACY_SECONDS", 2) == seconds


@pytest.mark.parametrize("text", ["abc", "-1", "nan", "inf", "2s"])
def test_a_wait_that_is_not_a_number_of_seconds_is_a_one_line_error(monkeypatch, text):
    monkeypatch.setenv("REPAIRCTL_GIT_LOCK_WAIT", text)
    with pytest.raises(RepairError,
                       match=rf"REPAIRCTL_GIT_LOCK_WAIT='{text}' is not a number of seconds \(0 or more\)"):
        clock.seconds_setting("REPAIRCTL_GIT_LOCK_WAIT", 2.15)


def test_the_future_check_and_the_reports_go_by_the_pinned_clock(monkeypatch, clerk):
    monkeypatch.setenv("REPAIRCTL_NOW", "2026-10-05 08:00")
    refused = clerk("new", "--unit", "1-101", "--name", "李四", "--phone", "13900000000", "--desc", "灯不亮",
                   "--item", "E01", "--at", "2026-10-05 09:00", ok=False)
    assert refused.exit_code == 1 and "is in the future" in refused.output
    monkeypatch.setenv("REPAIRCTL_NOW", "2026-10-05 09:10")
    oid = clerk.new(at="2026-10-05 09:00")  # received 09:00: the arrival is due at 09:15
    assert json.loads(clerk("show", oid, "--format", "json").output)["events"][0]["at"] == "2026-10-05T09:00:00+08:00"
    clerk("assign", oid, "--to", "李师傅")  # no --at: the pinned time
    assert json.loads(clerk("show", oid, "--format", "json").output)["events"][1]["at"] == "2026-10-05T09:10:00+08:00"

    def arrival() -> dict:
        return json.loads(clerk("monthly", "2026-10", "--format", "json").output)["on_time"]["arrival"]

    assert arrival() == {"met": 0, "missed": 0, "open": 1, "rate": None}  # not yet due at 09:10
    assert clerk("overdue", ok=False).exit_code == 0
    monkeypatch.setenv("REPAIRCTL_NOW", "2026-10-05 09:16")
    assert arrival() == {"met": 0, "missed": 1, "open": 0, "rate": 0.0}  # a minute late at 09:16
    late = clerk("overdue", "--format", "json", ok=False)
    assert late.exit_code == 1 and json.loads(late.output)[0]["late_minutes"] == 1


# --- the one reading of a stored time -------------------------------------------------------------

GOOD_STORED = [
    ("2026-11-25T08:00:00+08:00", dt.datetime(2026, 11, 25, 8, 0)),
    ("2026-11-25T00:00:00Z", dt.datetime(2026, 11, 25, 8, 0)),  # the same instant, in office time
    ("2026-11-25T08:00:00.75+08:00", dt.datetime(2026, 11, 25, 8, 0)),
    ("2000-01-01T00:00:00+08:00", dt.datetime(2000, 1, 1, 0, 0)),
    ("2099-12-31T23:59:59+08:00", dt.datetime(2099, 12, 31, 23, 59, 59)),
    (dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), dt.datetime(2026, 11, 25, 8, 0)),
]
BAD_STORED = [
    ("2026-11-25T08:00:00+8:00", "'2026-11-25T08:00:00+8:00' is not a time; write it like 2026-11-23T14:05:00+08:00"),
    ("昨天下午", "'昨天下午' is not a time"),
    ("", "'' is not a time"),
    ("2026-13-40T08:00:00+08:00", "is not a time"),
    ("0026-11-20T10:00:00+08:00", "time 0026-11-20T10:00:00+08:00 is in the year 26; a time must fall in 2000..2099"),
    ("0001-01-01T00:00:00+08:00", "is in the year 1"),  # moved to UTC it would overflow
    ("1999-12-31T23:59:59+08:00", "is in the year 1999"),
    ("2100-01-01T00:00:00+08:00", "is in the year 2100"),
    ("2026-11-25 08:00", "time 2026-11-25 08:00 has no UTC offset; write it like 2026-11-23T14:05:00+08:00"),
    ("2026-11-25", "time 2026-11-25 has no UTC offset"),
    (dt.date(2026, 11, 25), "2026-11-25 has no time of day"),
    (dt.datetime(2026, 11, 25, 8, 0), "has no UTC offset"),
    (dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))), "is in the year 1"),
    (1764028800, "1764028800 is not a time"),
    (["2026-11-25T08:00:00+08:00"], "is not a time"),
    ("9" * 500, "…' is not a time"),  # cut short: the message stays one readable line
]


@pytest.mark.parametrize("value, expected", GOOD_STORED)
def test_a_stored_time_with_its_offset_is_read_in_office_time(value, expected):
    assert clock.stored_time(value, TZ) == clock.as_time(value, TZ) == expected.replace(tzinfo=TZ)


@pytest.mark.parametrize("value, reason", BAD_STORED)
def test_a_stored_time_that_is_not_one_gives_its_reason_in_one_line(value, reason):
    with pytest.raises(ValueError, match=r"^.{0,120}$") as caught:
        clock.stored_time(value, TZ)
    assert reason in str(caught.value)
    with pytest.raises(ValueError):  # the reader refuses what check refuses, with the same words
        clock.as_time(value, TZ)
    assert clock.as_time(None, TZ) is None


@pytest.mark.parametrize("value", [v for v, _ in GOOD_STORED] + [v for v, _ in BAD_STORED])
def test_the_reader_and_check_judge_a_time_alike(value):
    from repairctl.orders import rules

    data = {"events": [{"action": "received", "at": value, "by": "王小红"}], "appointment": value}
    found = list(rules.RULES["time"](data, rules.Where(None, TZ, None)))
    try:
        clock.as_time(value, TZ)
        readable = True
    except ValueError as exc:
        readable = False
        assert [why for _, why in found] == [str(exc), str(exc)]
    assert readable == (not found)


# --- what a clerk types: the year, the gap and the repeated hour -------------------------------------

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize("text, words", [
    ("0026-11-20 10:00", "time '0026-11-20 10:00' is in the year 26; give a year from 2000 to 2099"),
    ("1999-12-31 23:59", "is in the year 1999"),
    ("2100-01-01 00:00", "is in the year 2100"),
    ("0001-01-01T00:00:00+08:00", "is in the year 1"),
    ("明天下午", "cannot read time '明天下午'"),
])
def test_a_typed_time_outside_the_years_of_an_office_is_refused(text, words):
    with pytest.raises(RepairError, match=r"^.{0,140}$") as caught:
        clock.parse_time(text, TZ)
    assert words in str(caught.value)


def test_a_wall_time_the_clocks_skip_is_refused():
    with pytest.raises(RepairError, match=r"time '2026-03-08 02:30' does not exist in America/New_York: the "
                                          r"clocks skip it when they go forward; check the hour"):
        clock.parse_time("2026-03-08 02:30", NEW_YORK)
    assert clock.parse_time("2026-03-08 03:30", NEW_YORK).utcoffset() == dt.timedelta(hours=-4)
    assert clock.parse_time("2026-03-08 01:59", NEW_YORK).utcoffset() == dt.timedelta(hours=-5)


def test_a_wall_time_shown_twice_is_the_first_and_a_note_says_so():
    notes: list[str] = []
    first = clock.parse_time("2026-11-01 01:30", NEW_YORK, notes=notes)
    assert first.utcoffset() == dt.timedelta(hours=-4) and first.isoformat() == "2026-11-01T01:30:00-04:00"
    assert notes == ["2026-11-01 01:30 came twice in America/New_York (the clocks went back): read as the first, "
                     "2026-11-01T01:30:00-04:00; for the second write 2026-11-01T01:30:00-05:00"]
    second_notes: list[str] = []
    second = clock.parse_time("2026-11-01T01:30:00-05:00", NEW_YORK, notes=second_notes)
    # (datetimes of one zone subtract as wall times: compare the instants)
    assert second.timestamp() - first.timestamp() == 3600 and second_notes == []  # an offset given: nothing to guess
    assert clock.parse_time("2026-11-01 02:30", NEW_YORK, notes=second_notes) and second_notes == []
    assert clock.parse_time("2026-11-01 01:30", TZ, notes=second_notes) and second_notes == []


def office_in(clerk, zone: str) -> None:
    """Move the test's office to another timezone, committed as a clerk would."""
    from repairctl.store import yamlio

    with yamlio.edit(clerk.root / "office.yaml") as config:
        config["timezone"] = zone
    clerk.git("commit", "-qam", "timezone")


NEW = ["new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678", "--desc", "漏水", "--item", "W01"]


@pytest.mark.parametrize("args, status, message", [
    ([*NEW, "--at", "0026-11-20 10:00"], 2, "time '0026-11-20 10:00' is in the year 26; give a year from 2000 to 2099"),
    ([*NEW, "--at", "1999-11-20 10:00"], 2, "is in the year 1999"),
    ([*NEW, "--at", "2025-10-20 10:00"], 1,
     "Error: --at 2025-10-20 10:00 is more than 400 days ago (office.yaml backdate_days); check the year, "
     "or raise backdate_days to enter older records"),
    ([*NEW, "--appointment", "0026-11-26 10:00"], 2, "is in the year 26"),
    (["visit", "HQ-000001", "--reschedule", "2226-11-26 10:00"], 2, "is in the year 2226"),
    (["overdue", "--at", "0026-11-20 10:00"], 2, "is in the year 26"),
    (["assign", "HQ-000001", "--to", "李师傅", "--at", "2016-10-05 09:05"], 1, "is more than 400 days ago"),
])
def test_a_year_typo_in_a_typed_time_is_refused_and_nothing_changes(clerk, snapshot, args, status, message):
    clerk.new()
    before = snapshot(clerk)
    result = clerk(*args, ok=False)
    assert result.exit_code == status and message in result.output, result.output
    if status == 1:
        assert len(result.output.splitlines()) == 1
    assert "Traceback" not in result.output and snapshot(clerk) == before


def test_last_months_paper_slips_go_in_and_backdate_days_is_the_office_s_choice(clerk, snapshot):
    clerk.new(at="2025-11-01 09:00")  # 389 days before the tests' now: within the 400 of the default
    from repairctl.store import yamlio

    with yamlio.edit(clerk.root / "office.yaml") as config:
        config["backdate_days"] = 30
    clerk.git("commit", "-qam", "30 days")
    before = snapshot(clerk)
    refused = clerk(*NEW, "--at", "2026-10-05 09:00", ok=False)
    assert refused.exit_code == 1 and refused.output == (
        "Error: --at 2026-10-05 09:00 is more than 30 days ago (office.yaml backdate_days); check the year, "
        "or raise backdate_days to enter older records\n")
    assert snapshot(clerk) == before
    clerk.new("--force", at="2026-10-27 09:00")


def test_a_skipped_wall_time_is_refused_at_the_desk(clerk, snapshot):
    office_in(clerk, "America/New_York")
    before = snapshot(clerk)
    result = clerk(*NEW, "--at", "2026-03-08 02:30", ok=False)
    assert result.exit_code == 2 and "time '2026-03-08 02:30' does not exist in America/New_York" in result.output
    assert snapshot(clerk) == before


def test_the_repeated_hour_is_read_as_the_first_and_the_answer_says_so(clerk):
    office_in(clerk, "America/New_York")
    first = clerk(*NEW, "--at", "2026-11-01 01:30")
    assert first.stderr == ("warning: --at 2026-11-01 01:30 came twice in America/New_York (the clocks went back): "
                            "read as the first, 2026-11-01T01:30:00-04:00; for the second write "
                            "2026-11-01T01:30:00-05:00\n")
    oid = first.stdout.splitlines()[0]
    assert "at: 2026-11-01T01:30:00-04:00" in clerk.order_file(oid).read_text("utf-8")
    second = clerk(*NEW, "--force", "--at", "2026-11-01T01:30:00-05:00")
    assert second.stderr == ""
    assert "at: 2026-11-01T01:30:00-05:00" in clerk.order_file(second.stdout.splitlines()[0]).read_text("utf-8")
    assert clerk("check").stdout.strip() == "ok"
