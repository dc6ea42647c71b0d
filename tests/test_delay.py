"""`delay`: an approved later finish for a job that cannot be done in time (延期, issue 15 §2)."""

from __future__ import annotations

import json

import openpyxl

from repairctl.orders import combining, merging
from repairctl.store import yamlio
from tests.test_i18n import run
from tests.test_i18n_orders import english_left
from tests.test_merging import BASE, TZ, assigned, catalogue, changed, readable  # noqa: F401 (a fixture)
from tests.test_workbook import rows_by_label


def events(clerk, order_id: str) -> list[dict]:
    return yamlio.load_fast(clerk.order_file(order_id))["events"]


def finish_row(clerk, order_id: str, within: str = "60d") -> dict:
    rows = json.loads(clerk("overdue", "--within", within, "--format", "json", ok=False).stdout)  # 1: some late
    return next(r for r in rows if r["id"] == order_id and r["kind"] == "finish")


def test_a_delay_moves_the_finish_clock_and_keeps_the_old_deadline_and_reason(clerk, clerk_name):
    order = clerk.new("--at", "2026-11-25 09:00")
    before = finish_row(clerk, order)["due"]
    result = clerk("delay", order, "--until", "2026-11-28T18:00", "--reason", "配件待到货", "--approved-by", "王主管",
                   "--at", "2026-11-25 10:00")
    assert result.stdout.strip() == f"{order} 延期至 2026-11-28 18:00（配件待到货，王主管 批准）"
    last = events(clerk, order)[-1]
    assert (last["action"], last["by"], last["from"], last["until"], last["reason"], last["approved_by"]) == (
        "delayed", clerk_name, before, "2026-11-28T18:00:00+08:00", "配件待到货", "王主管")
    assert yamlio.load_fast(clerk.order_file(order))["status"] == "received"  # the state stays
    assert finish_row(clerk, order)["due"] == "2026-11-28T18:00:00+08:00"
    summary = "延期至 2026-11-28 18:00（配件待到货，王主管 批准）"
    assert clerk.git("log", "-1", "--format=%s").strip() == f"delay {order}: {summary}"
    assert clerk("check").exit_code == 0


def test_the_latest_delay_wins_and_an_earlier_until_is_refused(clerk):
    order = clerk.new("--at", "2026-11-25 09:00")
    clerk("delay", order, "--until", "2026-11-28T18:00", "--reason", "配件待到货", "--approved-by", "王主管")
    clerk("delay", order, "--until", "2026-12-02T18:00", "--reason", "业户出差", "--approved-by", "赵总监")
    assert finish_row(clerk, order)["due"] == "2026-12-02T18:00:00+08:00"
    assert events(clerk, order)[-1]["from"] == "2026-11-28T18:00:00+08:00"  # the deadline it replaced
    head = clerk.git("rev-parse", "HEAD")
    refused = clerk("delay", order, "--until", "2026-11-30T18:00", "--reason", "x", "--approved-by", "王主管", ok=False)
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert ("--until 2026-11-30 18:00 is before " + order + "'s finish deadline (2026-12-02 18:00); a delay only "
            "moves it later: give a time after 2026-12-02 18:00, e.g. --until 2026-12-03T18:00") in refused.output
    assert clerk.git("rev-parse", "HEAD") == head and not clerk.git("status", "--porcelain")


def test_a_delay_needs_an_open_order_and_its_reason_and_approver(clerk):
    order = clerk.new()
    clerk("cancel", order, "--reason", "业户取消")
    refused = clerk("delay", order, "--until", "2026-12-28T18:00", "--reason", "配件", "--approved-by", "王主管",
                    ok=False)
    assert refused.exit_code == 1 and f"cannot delay {order}: the order is cancelled" in refused.output
    other = clerk.new(unit="3栋1202")
    assert clerk("delay", other, "--until", "2026-12-28T18:00", "--reason", "配件", ok=False).exit_code == 2
    blank = clerk("delay", other, "--until", "2026-12-28T18:00", "--reason", " ", "--approved-by", "王主管", ok=False)
    assert blank.exit_code == 1 and "--reason" in blank.output


def test_monthly_counts_delayed_orders_on_their_own_line(clerk, tmp_path):
    delayed = clerk.new("--at", "2026-11-03 09:00")
    clerk.new("--at", "2026-11-04 09:00", unit="3栋1202")
    clerk("delay", delayed, "--until", "2026-11-20T18:00", "--reason", "配件待到货", "--approved-by", "王主管",
          "--at", "2026-11-03 10:00")
    report = json.loads(clerk("monthly", "2026-11", "--format", "json").stdout)
    assert report["delayed"] == 1 and report["received"] == 2
    assert "delayed 1" in clerk("monthly", "2026-11").stdout.splitlines()
    out = tmp_path / "月报.xlsx"
    clerk("monthly", "2026-11", "--out", str(out))
    rows = rows_by_label(openpyxl.load_workbook(out)["汇总"], 5)
    assert rows["延期单数"][1].value == 1


def test_the_merge_replay_accepts_a_delay_on_either_side(catalogue):  # noqa: F811
    delay = ("  - {action: delayed, at: 2026-11-20T09:03:00+08:00, by: 赵主管, from: 2026-11-21T09:00:00+08:00, "
             "until: 2026-11-25T18:00:00+08:00, reason: 配件待到货, approved_by: 王主管}\n")
    merged = merging.merge(BASE, assigned(), changed(BASE, delay), TZ)
    assert merged.conflict is None
    order = readable(merged.text, catalogue)
    assert [e["action"] for e in order.events] == ["received", "delayed", "assigned"] and order.status == "assigned"
    closed = changed(assigned(), "  - {action: finished, at: 2026-11-20T09:10:00+08:00, by: 李师傅}\n",
                     status="finished")
    late = delay.replace("09:03:00", "09:20:00")
    try:  # a delay after the job was finished is no step an order can take
        combining.replay(merging_events(closed, changed(BASE, late)))
    except combining.Contradiction as exc:
        assert "延期" in str(exc)
    else:
        raise AssertionError("a delay after a finish was replayed")


def merging_events(ours: str, theirs: str) -> list:
    parsed = [yamlio.parse(text, None) for text in (BASE, ours, theirs)]
    return combining.merged_events(*parsed, TZ)


def test_delay_in_chinese(clerk):
    order = clerk.new("--at", "2026-11-25 09:00")
    clerk("delay", order, "--until", "2026-11-28T18:00", "--reason", "配件待到货", "--approved-by", "王主管")
    refused = run("delay", order, "--until", "2026-11-27T18:00", "--reason", "配件", "--approved-by", "王主管",
                  cwd=clerk.root)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (f"错误：--until 2026-11-27 18:00 早于 {order} 的完工时限（2026-11-28 18:00）；"
                                      "延期只能往后延：请给 2026-11-28 18:00 之后的时间，例如 --until 2026-11-29T18:00")
    assert english_left(refused.stderr) == []
    clerk("cancel", order, "--reason", "业户取消")
    stopped = run("delay", order, "--until", "2026-12-28T18:00", "--reason", "配件", "--approved-by", "王主管",
                  cwd=clerk.root)
    assert stopped.returncode == 1 and "无法延期" in stopped.stderr and english_left(stopped.stderr) == []


# --- escalation: who must act next on a late clock ----------------------------------------------------


def late_rows(clerk, at: str) -> dict:
    found = json.loads(clerk("overdue", "--at", at, "--format", "json", ok=False).stdout)
    return {(r["id"], r["kind"]): r for r in found}


def test_a_late_clock_is_escalated_by_the_default_steps(clerk):
    order = clerk.new(at="2026-10-05 10:00")
    clerk("assign", order, "--to", "李师傅", "--at", "2026-10-05 10:01")
    arrival = {at: late_rows(clerk, at)[order, "arrival"] for at in ("2026-10-05 12:15", "2026-10-05 12:16",
                                                                       "2026-10-06 10:16")}
    assert [(r["holder"], r["escalated_to"]) for r in arrival.values()] == [
        ("李师傅", None), ("李师傅", "工程主管"), ("李师傅", "物业总监")]  # late by more than 2 h, then 24 h
    table = clerk("overdue", "--at", "2026-10-05 12:16", ok=False).stdout
    assert "李师傅 → supervisor" in next(line for line in table.splitlines() if "arrival" in line)


def test_the_escalation_steps_come_from_office_yaml(clerk):
    order = clerk.new(at="2026-10-05 10:00")
    config = clerk.root / "office.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("after_hours: 2, to: 工程主管", "after_hours: 1, to: 王主管"), encoding="utf-8")
    assert late_rows(clerk, "2026-10-05 11:16")[order, "arrival"]["escalated_to"] == "王主管"
    config.write_text(text.replace("after_hours: 2, to: 工程主管", "after_hours: 48, to: 工程主管"), encoding="utf-8")
    refused = clerk("overdue", ok=False)
    assert refused.exit_code == 1 and "office.yaml:" in refused.output
    assert "escalation after_hours 24 must be a whole number of hours above the step before (48)" in refused.output
    config.write_text(text.replace("{after_hours: 24, to: 物业总监}", "{after_hours: 24}"), encoding="utf-8")
    assert "an escalation step needs after_hours and to" in clerk("check", ok=False).output
    config.write_text(text.split("\nescalation:")[0] + "\nescalation: []\n", encoding="utf-8")
    assert late_rows(clerk, "2026-10-07 10:00")[order, "arrival"]["escalated_to"] is None


def test_a_bad_escalation_step_in_chinese(clerk):
    config = clerk.root / "office.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("to: 物业总监", "to: ''"), encoding="utf-8")
    refused = run("check", cwd=clerk.root)
    line = next(line for line in refused.stdout.splitlines() + refused.stderr.splitlines() if "escalation" in line)
    assert refused.returncode == 1 and "要写下一步由谁处理，例如 工程主管" in line and english_left(line) == []
