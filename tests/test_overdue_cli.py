"""`overdue` and `followup` through the commands, on a real office folder."""

from __future__ import annotations

import csv
import io
import json

from repairctl.store import yamlio

KEYS = {"id", "unit", "kind", "what", "due", "late_minutes", "holder", "minutes_past_due", "escalated_to"}


def overdue(clerk, *args: str):
    """Run overdue; return (exit status, output) without asserting success: 1 means something is late."""
    result = clerk("overdue", *args, ok=False)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, result.output


def rows(clerk, *args: str):
    status, output = overdue(clerk, "--format", "json", *args)
    return status, json.loads(output)


def test_an_arrival_is_late_from_the_first_minute_past_due(clerk):
    oid = clerk.new(at="2026-10-05 10:00")
    status, found = rows(clerk, "--at", "2026-10-05 10:15")
    assert status == 0
    assert found == [{"id": oid, "unit": "3栋1201", "kind": "arrival", "what": "到场",
                      "due": "2026-10-05T10:15:00+08:00", "late_minutes": 0, "holder": "客服",
                      "minutes_past_due": 0, "escalated_to": None}]
    status, found = rows(clerk, "--at", "2026-10-05 10:16")
    assert status == 1 and found[0]["late_minutes"] == 1 and set(found[0]) == KEYS


def test_the_table_marks_late_rows_and_still_prints_them(clerk):
    late = clerk.new(at="2026-10-05 10:00")
    clerk("assign", late, "--to", "李师傅", "--at", "2026-10-05 10:01")
    soon = clerk.new("--force", at="2026-10-05 10:30")
    status, out = overdue(clerk, "--at", "2026-10-05 10:35")
    assert status == 1
    header, _, first, second = out.splitlines()[:4]
    assert header.split() == ["id", "unit", "what", "due", "late", "holder"]
    assert first.startswith(late) and "late 20m" in first and "李师傅" in first
    assert second.startswith(soon) and "10m left" in second and "clerk" in second


def test_an_appointment_is_late_past_its_tolerance_and_counted_from_the_agreed_time(clerk):
    # 004 §5.2.2: late only more than 2 minutes after 14:00; then late since 14:00, as the owner waited
    oid = clerk.new("--appointment", "2026-10-05 14:00", at="2026-10-05 09:00")
    clerk("assign", oid, "--to", "李师傅", "--at", "2026-10-05 09:05")
    lines = {at: next(line for line in overdue(clerk, "--at", f"2026-10-05 {at}")[1].splitlines()
                      if "appointment" in line) for at in ("13:30", "14:01", "14:30")}
    assert "30m left" in lines["13:30"] and "1m left" in lines["14:01"] and "late 30m" in lines["14:30"]
    status, found = rows(clerk, "--at", "2026-10-05 14:30")
    row = next(r for r in found if r["kind"] == "appointment")
    assert status == 1 and (row["late_minutes"], row["minutes_past_due"]) == (28, 30)


def test_nothing_late_exits_0(clerk):
    status, out = overdue(clerk, "--at", "2026-10-05 10:00")
    assert status == 0 and out.strip() == "nothing is late or due soon"
    oid = clerk.new(at="2026-10-05 10:00")
    clerk("assign", oid, "--to", "李师傅", "--at", "2026-10-05 10:01")
    clerk("visit", oid, "--arrived", "--at", "2026-10-05 10:10")
    assert rows(clerk, "--at", "2026-10-05 10:30") == (0, [])


def test_within_widens_the_window(clerk):
    clerk.new("--appointment", "2026-10-06 14:00", at="2026-10-05 15:00")
    assert [r["kind"] for r in rows(clerk, "--at", "2026-10-06 12:00")[1]] == ["appointment"]  # default 2h
    status, found = rows(clerk, "--at", "2026-10-06 12:00", "--within", "1d")
    assert status == 0
    assert [(r["kind"], r["late_minutes"]) for r in found] == [("appointment", -122)]  # finish: 24 h from 14:00
    found = rows(clerk, "--at", "2026-10-06 12:00", "--within", "2d")[1]
    assert [(r["kind"], r["late_minutes"]) for r in found] == [("appointment", -122), ("finish", -1560)]
    assert rows(clerk, "--at", "2026-10-06 12:00", "--within", "1h59m")[1] == []
    status, out = overdue(clerk, "--at", "2026-10-06 14:03")  # late past the 2-minute tolerance, counted from 14:00
    assert status == 1 and "late 3m" in out and "appointment" in out


def test_a_bad_duration_is_a_usage_error(clerk):
    result = clerk("overdue", "--within", "2", ok=False)
    assert result.exit_code == 2 and "90m, 2h, 1d" in result.output


def test_csv_has_english_headers_and_iso_times(clerk):
    oid = clerk.new(at="2026-10-05 10:00")
    status, out = overdue(clerk, "--at", "2026-10-05 10:20", "--format", "csv")
    found = list(csv.DictReader(io.StringIO(out)))
    assert status == 1 and set(found[0]) == KEYS
    assert found[0]["id"] == oid and found[0]["due"] == "2026-10-05T10:15:00+08:00" and found[0]["late_minutes"] == "5"


def test_office_yaml_can_give_more_time(clerk):
    clerk.new(at="2026-10-05 10:00")
    assert rows(clerk, "--at", "2026-10-05 10:16")[0] == 1
    with yamlio.edit(clerk.root / "office.yaml") as config:
        config["service_levels"]["arrival_minutes"] = 20
    status, found = rows(clerk, "--at", "2026-10-05 10:16")
    assert status == 0 and found[0]["due"] == "2026-10-05T10:20:00+08:00"


def test_a_bad_level_is_a_one_line_error(clerk):
    with yamlio.edit(clerk.root / "office.yaml") as config:
        config["service_levels"]["arrival_minutes"] = "soon"
    result = clerk("overdue", ok=False)
    assert result.exit_code == 1
    lines = (clerk.root / "office.yaml").read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("  arrival_minutes:"))
    assert result.output.strip() == (f"Error: {clerk.root / 'office.yaml'}:{line}:3: "
                                     "service_levels.arrival_minutes must be a whole number, like 15, not 'soon'")


def test_referral_and_cancel_stop_the_clocks(clerk):
    cancelled = clerk.new(at="2026-10-05 10:00")
    clerk("cancel", cancelled, "--reason", "业户自行修好", "--at", "2026-10-05 10:05")
    referred = clerk.new("--force", at="2026-10-05 10:00")
    clerk("refer", referred, "--job", "S24", "--at", "2026-10-05 10:05")
    assert rows(clerk, "--at", "2026-10-07 10:00") == (0, [])


def finished_order(clerk, *close_args: str) -> str:
    oid = clerk.new(at="2026-10-05 10:00")
    clerk("assign", oid, "--to", "李师傅", "--at", "2026-10-05 10:01")
    clerk("visit", oid, "--arrived", "--at", "2026-10-05 10:10")
    clerk("close", oid, "--signed-by", "业户", "--work", "更换水龙头", *close_args, "--at", "2026-10-05 11:00")
    return oid


def test_a_pending_fee_waits_on_the_supervisor(clerk):
    oid = finished_order(clerk, "--fee-pending")
    clerk("callback", oid, "--method", "phone", "--satisfied", "--at", "2026-10-05 15:00")
    status, found = rows(clerk, "--at", "2026-10-08 11:01")
    assert status == 1 and found == [{"id": oid, "unit": "3栋1201", "kind": "fee", "what": "确定收费",
                                      "due": "2026-10-08T11:00:00+08:00", "late_minutes": 1, "holder": "工程主管",
                                      "minutes_past_due": 1, "escalated_to": None}]
    clerk("fee", oid, "--amount", "80", "--at", "2026-10-08 11:30")
    assert rows(clerk, "--at", "2026-10-08 12:00") == (0, [])


def test_an_unsatisfied_callback_is_followed_up(clerk):
    oid = finished_order(clerk, "--labour", "20")
    status, found = rows(clerk, "--at", "2026-10-06 11:01")
    assert status == 1 and [(r["kind"], r["holder"], r["late_minutes"]) for r in found] == [("callback", "客服", 1)]
    clerk("callback", oid, "--method", "phone", "--unsatisfied", "--reason", "还在滴水", "--at", "2026-10-06 11:30")
    status, found = rows(clerk, "--at", "2026-10-07 11:31")
    assert status == 1
    assert [(r["kind"], r["what"], r["late_minutes"]) for r in found] == [("followup", "跟进不满意回访", 1)]
    out = clerk("followup", oid, "--note", "已更换阀芯, 业户确认不再滴水", "--at", "2026-10-07 11:40").output
    assert out.strip() == f"{oid} 跟进: 已更换阀芯, 业户确认不再滴水"
    data = yamlio.load_fast(clerk.order_file(oid))
    assert data["status"] == "called_back" and data["followup"] == "已更换阀芯, 业户确认不再滴水"
    assert data["events"][-1]["action"] == "followed_up"
    assert data["events"][-1]["note"] == "已更换阀芯, 业户确认不再滴水"
    assert clerk.git("log", "-1", "--format=%s").startswith(f"followup {oid}: 跟进")
    assert rows(clerk, "--at", "2026-10-07 12:00") == (0, [])
    assert "followed up" in clerk("show", oid).output


def test_followup_is_refused_unless_the_owner_was_unsatisfied(clerk):
    oid = finished_order(clerk)
    refused = clerk("followup", oid, "--note", "x", ok=False)
    assert refused.exit_code == 1 and "needs it to be called_back" in refused.output
    clerk("callback", oid, "--method", "phone", "--satisfied", "--at", "2026-10-05 15:00")
    path = clerk.order_file(oid)
    before = path.read_bytes()
    refused = clerk("followup", oid, "--note", "x", ok=False)
    assert refused.exit_code == 1 and "satisfied" in refused.output and len(refused.output.strip().splitlines()) == 1
    assert path.read_bytes() == before
