"""The supervisor's inspection (验收) and rework (返工), and the reopening of an order closed by mistake:
real offices through the commands, the finish clock, the merge replay, and the Chinese refusals."""

from __future__ import annotations

import json

import openpyxl
import yaml

from repairctl.orders import combining, inspection
from repairctl.orders.combining import Event
from tests.test_i18n import run
from tests.test_i18n_orders import english_left
from tests.test_sla import clocks, order, t


def finished(clerk, at: str = "2026-10-05 11:00") -> str:
    """An order assigned, arrived and finished on 5 October."""
    oid = clerk.new()
    clerk("assign", oid, "--to", "李师傅", "--at", "2026-10-05 09:10")
    clerk("visit", oid, "--arrived", "--at", "2026-10-05 09:20")
    clerk("close", oid, "--signed-by", "业户", "--work", "换阀芯", "--at", at)
    return oid


def data(clerk, oid: str) -> dict:
    return yaml.safe_load(clerk.order_file(oid).read_text(encoding="utf-8"))


def test_a_passed_inspection_is_recorded_and_leaves_the_order_finished(clerk):
    oid = finished(clerk)
    out = clerk("inspect", oid, "--pass", "--at", "2026-10-05 15:00", "--by", "赵主管").stdout
    assert out.strip() == f"{oid} 验收合格"
    doc = data(clerk, oid)
    assert doc["status"] == "finished"
    assert doc["events"][-1] == {"action": "inspected", "at": doc["events"][-1]["at"], "by": "赵主管", "passed": True}
    assert "验收合格" in clerk.git("log", "-1", "--format=%s")
    again = clerk("inspect", oid, "--pass", ok=False)
    assert again.exit_code == 1 and "already inspected" in again.output


def test_a_failed_inspection_sends_the_order_back_to_its_technician_with_the_reason(clerk):
    oid = finished(clerk)
    clerk("inspect", oid, "--fail", "--reason", "接口仍渗水", "--at", "2026-10-05 15:00")
    doc = data(clerk, oid)
    assert doc["status"] == "assigned" and doc["technician"] == "李师傅"
    assert doc["events"][-1]["passed"] is False and doc["events"][-1]["reason"] == "接口仍渗水"
    assert "返工: 接口仍渗水" in clerk.git("log", "-1", "--format=%s")
    # the technician comes back and finishes again; that finish may be inspected anew. The return visit is
    # asked for in those words, not as if no arrival had ever been recorded
    unvisited = clerk("close", oid, "--signed-by", "业户", "--at", "2026-10-06 08:00", ok=False)
    assert unvisited.exit_code == 1 and "sent back for rework and the return visit is not recorded" in unvisited.output
    clerk("visit", oid, "--arrived", "--at", "2026-10-06 09:00")
    clerk("close", oid, "--signed-by", "业户", "--at", "2026-10-06 09:30")
    clerk("inspect", oid, "--pass", "--at", "2026-10-06 10:00")
    assert data(clerk, oid)["status"] == "finished"
    assert clerk("check").exit_code == 0


def test_a_failed_inspection_needs_a_reason_and_a_verdict_is_needed(clerk):
    oid = finished(clerk)
    before = clerk.order_file(oid).read_bytes()
    no_reason = clerk("inspect", oid, "--fail", ok=False)
    assert no_reason.exit_code == 1 and "needs the reason" in no_reason.output
    no_verdict = clerk("inspect", oid, ok=False)
    assert no_verdict.exit_code == 2 and "--pass or --fail" in no_verdict.output
    assert clerk.order_file(oid).read_bytes() == before


def test_only_finished_work_is_inspected(clerk):
    oid = clerk.new()
    refused = clerk("inspect", oid, "--pass", ok=False)
    assert refused.exit_code == 1 and f"cannot inspect {oid}: the order is received" in refused.output


def test_reopen_is_audited_and_needs_an_approver(clerk):
    oid = finished(clerk)
    missing = clerk("reopen", oid, "--reason", "误关闭", ok=False)
    assert missing.exit_code == 2
    clerk("reopen", oid, "--reason", "误关闭", "--approved-by", "钱经理", "--at", "2026-10-05 12:00")
    doc = data(clerk, oid)
    assert doc["status"] == "assigned"
    assert {k: doc["events"][-1][k] for k in ("action", "reason", "approved_by")} == {
        "action": "reopened", "reason": "误关闭", "approved_by": "钱经理"}
    assert "钱经理 批准" in clerk.git("log", "-1", "--format=%s")
    assert clerk("check").exit_code == 0
    shown = run("show", oid, cwd=clerk.root)
    assert shown.returncode == 0 and "重新打开" in shown.stdout
    twice = clerk("reopen", oid, "--reason", "x", "--approved-by", "钱经理", ok=False)
    assert twice.exit_code == 1 and "cannot reopen" in twice.output


def test_the_finish_clock_runs_from_the_original_receipt_through_rework():
    first = [("received", "2026-10-05 10:00"), ("arrived", "2026-10-05 10:10"), ("finished", "2026-10-05 11:00")]
    failed = ("inspected", "2026-10-05 15:00", {"passed": False, "reason": "渗水"})
    # sent back: the finish is owed again, still by the original deadline
    reworking = clocks(order(*first, failed))["finish"]
    assert reworking.done is None and reworking.due == t("2026-10-06 10:00")
    # finished again after the deadline: late, though the first finish was in time
    late = clocks(order(*first, failed, ("arrived", "2026-10-06 09:00"), ("finished", "2026-10-06 10:30")))["finish"]
    assert late.done == t("2026-10-06 10:30") and late.met() is False
    in_time = clocks(order(*first, failed, ("arrived", "2026-10-06 09:00"), ("finished", "2026-10-06 09:30")))
    assert in_time["finish"].met() is True
    passed = clocks(order(*first, ("inspected", "2026-10-05 15:00", {"passed": True})))["finish"]
    assert passed.done == t("2026-10-05 11:00")


def test_rework_since_finish_sees_a_failure_or_a_reopening_after_the_last_finish():
    assert inspection.rework_since_finish([{"action": "finished"}, {"action": "inspected", "passed": False}])
    assert inspection.rework_since_finish([{"action": "finished"}, {"action": "reopened"}])
    assert not inspection.rework_since_finish([{"action": "reopened"}, {"action": "finished"}])
    assert not inspection.rework_since_finish([{"action": "finished"}, {"action": "inspected", "passed": True}])


def test_the_merge_replays_inspection_and_reopening():
    def events(*names):
        return [Event(t(f"2026-10-05 {10 + n}:00"), "ours", n, {"action": name, **extra})
                for n, (name, extra) in enumerate(names)]

    history = [("received", {}), ("assigned", {}), ("finished", {})]
    assert combining.replay(events(*history, ("inspected", {"passed": False}))) == "assigned"
    assert combining.replay(events(*history, ("inspected", {"passed": True}))) == "finished"
    assert combining.replay(events(*history, ("reopened", {}), ("finished", {}))) == "finished"


def test_inspection_refusals_and_success_in_chinese(clerk):
    oid = finished(clerk)
    no_reason = run("inspect", oid, "--fail", cwd=clerk.root)
    assert no_reason.returncode == 1
    assert "验收不合格要写明原因" in no_reason.stderr
    done = run("inspect", oid, "--fail", "--reason", "接口仍渗水", cwd=clerk.root)
    assert done.returncode == 0, done.stderr
    again = run("reopen", oid, "--reason", "误关闭", "--approved-by", "钱经理", cwd=clerk.root)
    assert again.returncode == 1 and f"无法重新打开 {oid}" in again.stderr
    assert not english_left(no_reason.stderr + again.stderr)


def test_monthly_reports_the_first_pass_rate_and_the_rework_count(clerk, tmp_path):
    first, second, third = finished(clerk), finished(clerk, "2026-10-05 11:30"), finished(clerk, "2026-10-05 12:00")
    clerk("inspect", first, "--pass", "--at", "2026-10-05 15:00")
    clerk("inspect", second, "--fail", "--reason", "接口仍渗水", "--at", "2026-10-05 15:00")
    # back on site for the rework: the close wants that arrival, from the paper slip here
    clerk("close", second, "--signed-by", "业户", "--arrived-at", "2026-10-06 08:30", "--at", "2026-10-06 09:00")
    clerk("inspect", second, "--fail", "--reason", "还在滴水", "--at", "2026-10-06 10:00")
    clerk("close", second, "--signed-by", "业户", "--arrived-at", "2026-10-06 10:30", "--at", "2026-10-06 11:00")
    clerk("inspect", second, "--pass", "--at", "2026-10-06 12:00")
    assert third  # finished, never inspected: not in the rate
    report = json.loads(clerk("monthly", "2026-10", "--format", "json").stdout)
    assert report["inspection"] == {"inspected": 2, "first_pass": 1, "first_pass_rate": 0.5, "rework": 2}
    assert "inspected 2  first pass rate 50.0% (1/2)  inspection rework 2" in clerk("monthly", "2026-10").stdout
    book = tmp_path / "m.xlsx"
    clerk("monthly", "2026-10", "--out", str(book))
    rows = {row[0]: row[1] for row in openpyxl.load_workbook(book).worksheets[0].iter_rows(values_only=True)}
    assert (rows["验收检查单数"], rows["一次验收合格率"], rows["返工次数"]) == (2, 0.5, 2)


def test_a_month_without_inspections_has_no_rate():
    from repairctl.reports import inspection as figures

    report = {}
    figures.figures(report, [order(("received", "2026-10-05 10:00"))])
    assert report["inspection"] == {"inspected": 0, "first_pass": 0, "first_pass_rate": None, "rework": 0}
