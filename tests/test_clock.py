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
