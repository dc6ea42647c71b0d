"""Planned jobs: `plan run` makes each occurrence's job once (twice, or on two clones, one file), the close
records the checklist and opens linked repair orders, `overdue` and `monthly` show them."""

from __future__ import annotations

import json
import subprocess

import pytest
from openpyxl import load_workbook

from repairctl.store import files

PLANS = ("plans:\n"
         "  - id: P01\n    name: 水泵房月度保养\n    where: B1水泵房\n    every: 1m\n    start: 2026-10-31\n"
         "    trade: 水电\n    checklist: [检查水泵运行声音, 检查压力表读数, 检查有无漏水]\n"
         "  - id: P02\n    name: 消防巡检\n    where: 全小区\n    every: 2w\n    start: 2026-11-02\n")


def planned_office(clerk) -> None:
    (clerk.root / "plans.yaml").write_text(PLANS, encoding="utf-8")
    clerk.git("commit", "-qam", "计划")


def git(*args) -> str:
    return subprocess.run(["git", *map(str, args)], capture_output=True, text=True, check=True).stdout


def test_plan_due_lists_what_has_no_job_and_plan_run_makes_each_once(clerk):
    planned_office(clerk)
    due = json.loads(clerk("plan", "due", "--format", "json").stdout)
    assert [row["id"] for row in due] == ["HQ-P01-20261031", "HQ-P02-20261102", "HQ-P02-20261116"]
    ahead = json.loads(clerk("plan", "due", "--until", "2026-12-31", "--format", "json").stdout)
    assert [row["id"] for row in ahead][3:] == ["HQ-P01-20261130", "HQ-P02-20261130", "HQ-P02-20261214",
                                                "HQ-P02-20261228", "HQ-P01-20261231"]
    made = clerk("plan", "run").stdout.splitlines()
    assert made == ["HQ-P01-20261031 B1水泵房 水泵房月度保养", "HQ-P02-20261102 全小区 消防巡检",
                    "HQ-P02-20261116 全小区 消防巡检", "made 3 planned jobs"]
    head = clerk.git("rev-parse", "HEAD")
    assert clerk.git("log", "-1", "--format=%s") == "plan run: 3 张计划性维修单 HQ-P01-20261031 … HQ-P02-20261116\n"
    job = clerk.order_file("HQ-P01-20261031")
    assert job.relative_to(clerk.root).as_posix() == "records/orders/2026/10/HQ-P01-20261031.yaml"
    text = job.read_text("utf-8")
    assert "  - {action: received, at: 2026-10-31T00:00:00+08:00, by: 计划P01}\n" in text
    assert "checklist:\n  - {item: 检查水泵运行声音}\n" in text and "due: '2026-10-31'\n" in text
    again = clerk("plan", "run")
    assert again.stdout.startswith("nothing to make") and clerk.git("rev-parse", "HEAD") == head
    assert clerk("plan", "due").stdout.startswith("nothing due up to 2026-11-25")
    shown = json.loads(clerk("show", "hq-p01-20261031", "--format", "json").stdout)
    assert (shown["id"], shown["status"], shown["plan"]) == ("HQ-P01-20261031", "received", "P01")
    assert clerk("check").stdout == "ok\n"
    refused = clerk("plan", "run", "--until", "2026-11-26", ok=False)
    assert "--until 2026-11-26 is after today" in refused.output and clerk.git("rev-parse", "HEAD") == head


def test_two_clones_running_plans_then_syncing_have_one_job_a_day(clerk, tmp_path, make_clerk, monkeypatch):
    monkeypatch.setattr(files, "RACY_NS", 0)
    monkeypatch.setenv("REPAIRCTL_RACY_SECONDS", "0")
    planned_office(clerk)
    server = tmp_path / "server.git"
    git("init", "-q", "--bare", server)
    clerk.git("remote", "add", "origin", str(server))
    clerk("join")
    clerk("clone", str(server), str(tmp_path / "b"))
    b = make_clerk(tmp_path / "b")
    clerk("plan", "run", "--until", "2026-11-10")  # desk A, offline
    b("plan", "run")  # desk B, offline: the same jobs and one more
    ours = clerk.order_file("HQ-P01-20261031").read_bytes()
    assert b.order_file("HQ-P01-20261031").read_bytes() == ours  # the same bytes, whoever made it
    clerk("sync")
    b("sync")
    clerk("sync")
    for who in (clerk, b):
        listed = [row["id"] for row in json.loads(who("list", "--format", "json").stdout)]
        assert sorted(listed) == ["HQ-P01-20261031", "HQ-P02-20261102", "HQ-P02-20261116"]
        assert sorted(p.name for p in who.root.glob("records/orders/*/*/*.yaml")) == [f"{i}.yaml" for i in sorted(
            listed)]
        assert who("check").stdout == "ok\n"
        assert who("plan", "run").stdout.startswith("nothing to make")
    assert clerk.git("rev-parse", "HEAD") == b.git("rev-parse", "HEAD")


def test_the_close_records_the_checklist_and_a_fault_opens_a_linked_repair_order(clerk, snapshot):
    planned_office(clerk)
    clerk("plan", "run")
    job = "HQ-P01-20261031"
    clerk("assign", job, "--to", "李师傅", "--at", "2026-10-31 09:00")
    plain = clerk("close", job, "--signed-by", "业户", ok=False)
    assert "HQ-P01-20261031 is a planned job: close it with its checklist" in plain.output
    before = snapshot(clerk)
    for args, said in ((["--ok", "1"], "record every checklist item: 2 检查压力表读数; 3 检查有无漏水 not given"),
                       (["--ok", "all", "--fault", "4:x"], "--fault '4' is no item of the checklist"),
                       (["--ok", "1", "--fault", "1:漏油", "--ok", "all"], "item 1 is given both --ok and --fault"),
                       (["--fault", "3"], "--fault '3' needs the item and what is wrong"),
                       (["--ok", "1", "--ok", "2", "--fault", "3:漏油", "--fault", "3:压力低"],
                        "item 3 is given --fault twice"),
                       (["--ok", "all", "--open-repair"], "--open-repair opens a repair order for each --fault")):
        refused = clerk("plan", "close", job, *args, ok=False)
        assert refused.exit_code == 1 and said in refused.output, refused.output
    assert snapshot(clerk) == before
    closed = clerk("plan", "close", job, "--ok", "all", "--fault", "检查有无漏水：接口漏油", "--open-repair",
                   "--at", "2026-10-31 15:00")
    assert closed.stdout.splitlines() == [f"{job} 计划维修完工，1 项故障",
                                          "opened repair order HQ-000001: 检查有无漏水：接口漏油（计划维修 "
                                          "HQ-P01-20261031 发现）"]
    text = clerk.order_file(job).read_text("utf-8")
    assert ("checklist:\n  - {item: 检查水泵运行声音, result: ok}\n  - {item: 检查压力表读数, result: ok}\n"
            "  - {item: 检查有无漏水, result: fault, note: 接口漏油}\n") in text
    assert "repairs: [HQ-000001]\n" in text and "status: finished\n" in text
    card = clerk("show", job).stdout
    assert "checklist    1 检查水泵运行声音  in order\n" in card and "3 检查有无漏水  fault：接口漏油\n" in card
    assert "repairs      HQ-000001\n" in card
    assert "from planned job  HQ-P01-20261031" in clerk("show", "HQ-000001").stdout
    repair = json.loads(clerk("show", "HQ-000001", "--format", "json").stdout)
    assert (repair["from_plan_job"], repair["scope"], repair["status"]) == (job, "public", "received")
    assert clerk.git("log", "-2", "--format=%s").splitlines() == [
        f"close {job}: 计划维修完工，1 项故障", f"new HQ-000001: 计划维修 {job} 发现故障"]
    other = "HQ-P02-20261102"
    clerk("assign", other, "--to", "王师傅", "--at", "2026-11-03 09:00")
    assert clerk("plan", "close", other, "--ok", "all", "--at", "2026-11-03 10:00").stdout == (
        f"{other} 计划维修完工，检查正常\n")
    assert "plan close HQ-000001" not in clerk("plan", "close", "HQ-000001", "--ok", "all", ok=False).output
    assert clerk("check").stdout == "ok\n"


def test_overdue_shows_planned_jobs_and_monthly_their_rate_and_faults(clerk, tmp_path):
    planned_office(clerk)
    clerk("plan", "run")
    clerk("assign", "HQ-P01-20261031", "--to", "李师傅", "--at", "2026-10-31 09:00")
    clerk("plan", "close", "HQ-P01-20261031", "--ok", "1", "--ok", "2", "--fault", "3:漏油", "--at", "2026-10-31 16:00")
    clerk("assign", "HQ-P02-20261102", "--to", "王师傅", "--at", "2026-11-02 09:00")
    clerk("plan", "close", "HQ-P02-20261102", "--at", "2026-11-04 10:00")  # two days late
    late = json.loads(clerk("overdue", "--format", "json", ok=False).stdout)
    assert [(row["id"], row["kind"], row["holder"]) for row in late] == [("HQ-P02-20261116", "planned", "工程主管")]
    assert late[0]["due"].startswith("2026-11-17T00:00")
    report = json.loads(clerk("monthly", "2026-11", "--format", "json").stdout)
    assert {k: report["planned"][k] for k in ("due", "done", "on_time", "rate", "open")} == {
        "due": 2, "done": 1, "on_time": 0, "rate": 0.0, "open": ["HQ-P02-20261116"]}
    # a planned job is no owner's request: the desk's figures (受理, the clocks, the channels) leave it out
    assert report["received"] == 0 and "planned" not in report["on_time"]
    assert all(group["count"] == 0 and group["channel"] for group in report["by_channel"])
    october = json.loads(clerk("monthly", "2026-10", "--format", "json").stdout)["planned"]
    assert (october["rate"], october["faults"]["count"]) == (1.0, 1)
    assert october["faults"]["list"] == [{"id": "HQ-P01-20261031", "plan": "P01", "where": "B1水泵房",
                                          "item": "检查有无漏水", "note": "漏油", "repairs": []}]
    text = clerk("monthly", "2026-10", "--out", str(tmp_path / "m.xlsx")).stdout
    assert "planned due 1  planned rate 100.0% (1/1)  planned faults 1" in text
    assert "fault: HQ-P01-20261031 B1水泵房 检查有无漏水: 漏油" in text
    sheet = load_workbook(tmp_path / "m.xlsx").active
    rows = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert (rows["计划维修到期单数"], rows["计划完成率"], rows["计划维修发现故障"]) == (1, 1.0, 1)


@pytest.mark.usefixtures("pinned_clock")
def test_the_real_executable_runs_plans(clerk, executable):
    planned_office(clerk)
    done = subprocess.run([executable, "--root", str(clerk.root), "plan", "run"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.endswith("made 3 planned jobs\n"), done.stderr
    again = subprocess.run([executable, "--root", str(clerk.root), "plan", "run"], capture_output=True, text=True)
    assert again.returncode == 0 and again.stdout.startswith("nothing to make")


def test_check_names_a_planned_job_hand_edited_wrong(clerk, monkeypatch):
    monkeypatch.chdir(clerk.root)
    planned_office(clerk)
    clerk("plan", "run")
    path = clerk.order_file("HQ-P01-20261031")
    text = path.read_text("utf-8")
    path.write_text(text.replace("due: '2026-10-31'", "due: '2026-10-30'").replace(
        "{item: 检查压力表读数}", "{item: 检查压力表读数, result: fault}"), encoding="utf-8")
    assert clerk("check", ok=False).stdout.splitlines() == [
        "records/orders/2026/10/HQ-P01-20261031.yaml:7:1: plan P01 and due 2026-10-30 do not match the ID "
        "HQ-P01-20261031; the ID is the plan and its due day",
        "records/orders/2026/10/HQ-P01-20261031.yaml:12:5: a fault needs its note: what is wrong, e.g. note: 漏油"]


def test_plan_run_refuses_a_backlog_of_old_jobs_unless_asked(clerk, snapshot):
    clerk("plan", "add", "--name", "日巡", "--where", "小区", "--every", "1d", "--start", "2026-01-01")
    before = snapshot(clerk)
    refused = clerk("plan", "run", ok=False)
    assert refused.exit_code == 1 and len(refused.output.splitlines()) == 1
    assert "297 of the 329 planned jobs are due more than 31 days ago (the first HQ-P01-20260101" in refused.output
    assert snapshot(clerk) == before
    made = clerk("plan", "run", "--backfill").stdout
    assert "HQ-P01-20260101" in made and "HQ-P01-20261125" in made
