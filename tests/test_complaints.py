"""Complaints (投诉, issue 15 §3): their files, commands, refusals, clock in `overdue`, `check`, and the
unsatisfied callback that opens one."""

from __future__ import annotations

import json
import subprocess

import pytest

from repairctl.store import yamlio

AT = "2026-11-24 09:00"


def file_complaint(clerk, *extra: str, at: str = AT, desc: str = "维修人员态度差") -> str:
    found = clerk("complaint", "new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678",
                  "--desc", desc, "--at", at, "--format", "json", *extra)
    return json.loads(found.stdout)["id"]


def complaint_file(clerk, complaint_id: str):
    return next(clerk.root.glob(f"records/complaints/*/*/{complaint_id}.yaml"))


def test_a_complaint_is_its_own_file_committed_in_chinese(clerk):
    order = clerk.new(at="2026-11-20 09:00")
    complaint_id = file_complaint(clerk, "--order", order, "--channel", "来访")
    assert complaint_id == "HQ-T000001"
    path = complaint_file(clerk, complaint_id)
    assert path.relative_to(clerk.root).as_posix() == "records/complaints/2026/11/HQ-T000001.yaml"
    data = yamlio.load_fast(path)
    assert data["unit"] == "3栋1201" and data["name"] == "张三" and data["phone"] == "13812345678"
    assert data["channel"] == "walk-in" and data["orders"] == [order]
    assert data["category"] == "给排水类"  # W01's category: the linked order's item decides
    assert data["events"] == [{"action": "received", "at": "2026-11-24T09:00:00+08:00", "by": "王小红"}]
    message = "complaint HQ-T000001: 受理投诉 3栋1201 维修人员态度差\n王小红\n"
    assert clerk.git("log", "-1", "--format=%s%n%an") == message
    assert clerk.git("status", "--porcelain") == ""
    assert file_complaint(clerk, "--category", "服务态度") == "HQ-T000002"
    assert yamlio.load_fast(complaint_file(clerk, "HQ-T000002"))["category"] == "服务态度"
    assert file_complaint(clerk) == "HQ-T000003"
    assert yamlio.load_fast(complaint_file(clerk, "HQ-T000003"))["category"] == "其他"


def test_a_deleted_complaints_number_is_never_given_again(clerk):
    first = file_complaint(clerk)
    clerk.git("rm", "-q", str(complaint_file(clerk, first)))
    clerk.git("commit", "-qm", "删除")
    assert file_complaint(clerk) == "HQ-T000002"


def test_answer_then_close_each_once_and_in_that_order(clerk, snapshot):
    complaint_id = file_complaint(clerk)
    before = snapshot(clerk)
    early = clerk("complaint", "close", complaint_id, "--result", "已处理", "--satisfied", ok=False)
    assert early.exit_code == 1
    assert "has no first answer yet" in early.output and len(early.output.strip().splitlines()) == 1
    assert snapshot(clerk) == before
    clerk("complaint", "answer", "hq-t1", "--note", "已致歉，主管明天上门", "--at", "2026-11-24 15:00")
    assert clerk.git("log", "-1", "--format=%s") == f"complaint {complaint_id}: 首次答复: 已致歉，主管明天上门\n"
    before = snapshot(clerk)
    again = clerk("complaint", "answer", complaint_id, "--note", "再答复", ok=False)
    assert again.exit_code == 1 and "was answered already" in again.output
    assert snapshot(clerk) == before
    clerk("complaint", "close", complaint_id, "--result", "已更换维修人员", "--unsatisfied", "--at", "2026-11-25 10:00")
    before = snapshot(clerk)
    twice = clerk("complaint", "close", complaint_id, "--result", "再结案", "--satisfied", ok=False)
    assert twice.exit_code == 1 and "is closed already" in twice.output
    assert snapshot(clerk) == before
    shown = json.loads(clerk("complaint", "show", complaint_id, "--format", "json").stdout)
    assert shown["status"] == "closed" and shown["answered_in_time"] is True
    assert shown["answered"]["note"] == "已致歉，主管明天上门"
    assert shown["closed"] == {"at": "2026-11-25T10:00:00+08:00", "by": "王小红", "result": "已更换维修人员",
                               "satisfied": False}


@pytest.mark.parametrize(("args", "said", "code"), [
    (("complaint", "new", "--unit", "1栋", "--name", "张三", "--phone", "13812345678", "--desc", "x",
      "--order", "HQ-000099"), "no order HQ-000099", 1),
    (("complaint", "new", "--unit", "1栋", "--name", "张三", "--phone", "12", "--desc", "x"),
     "is not a phone number", 1),
    (("complaint", "answer", "HQ-T000042", "--note", "x"), "no complaint HQ-T000042", 1),
    (("complaint", "answer", "HQ-000001", "--note", "x"), "is not a complaint ID", 2),
    (("complaint", "close", "HQ-T000001", "--result", "x"), "give exactly one of --satisfied, --unsatisfied", 2),
    # both typed: refused, not the last one kept (a wrong answer would enter the satisfaction figures)
    (("complaint", "close", "HQ-T000001", "--result", "x", "--satisfied", "--unsatisfied"),
     "give exactly one of --satisfied, --unsatisfied", 2),
    (("callback", "HQ-000001", "--method", "phone", "--satisfied", "--unsatisfied", "--reason", "x"),
     "give exactly one of --satisfied, --unsatisfied", 2),
])
def test_refusals_change_nothing(clerk, snapshot, args, said, code):
    file_complaint(clerk)
    before = snapshot(clerk)
    refused = clerk(*args, ok=False)
    assert refused.exit_code == code and said in refused.output
    assert snapshot(clerk) == before


def test_list_and_show(clerk):
    first = file_complaint(clerk, at="2026-10-30 09:00")
    second = file_complaint(clerk)
    clerk("complaint", "answer", first, "--note", "已答复", "--at", "2026-10-30 10:00")
    clerk("complaint", "close", first, "--result", "已解决", "--satisfied", "--at", "2026-10-31 10:00")
    listed = clerk("complaint", "list").stdout
    assert first in listed and second in listed and "awaiting answer" in listed
    assert [c["id"] for c in json.loads(clerk("complaint", "list", "--open", "--format", "json").stdout)] == [second]
    assert [c["id"] for c in json.loads(clerk("complaint", "list", "--month", "2026-10", "--format", "json")
                                        .stdout)] == [first]
    shown = clerk("complaint", "show", second).stdout
    assert "first answer due 2026-11-25 09:00" in shown and "维修人员态度差" in shown


def test_overdue_shows_a_late_complaint_for_the_clerk(clerk):
    late = file_complaint(clerk, at="2026-11-24 09:00")  # due 11-25 09:00, now 11-25 12:00
    soon = file_complaint(clerk, at="2026-11-24 13:00")  # due 11-25 13:00: within the default 2 h
    table = clerk("overdue", ok=False)
    assert table.exit_code == 1
    row = next(line for line in table.stdout.splitlines() if line.startswith(late))
    assert "complaint" in row and "late 3h" in row and "clerk → supervisor" in row
    assert soon in table.stdout
    rows = json.loads(clerk("overdue", "--format", "json", ok=False).stdout)
    mine = next(r for r in rows if r["id"] == late)
    assert (mine["kind"], mine["holder"], mine["late_minutes"], mine["escalated_to"]) == ("complaint", "客服", 180,
                                                                                         "工程主管")
    assert f"{late},3栋1201,complaint,投诉首次答复," in clerk("overdue", "--format", "csv", ok=False).stdout
    clerk("complaint", "answer", late, "--note", "已答复")
    clerk("complaint", "answer", soon, "--note", "已答复")
    assert clerk("overdue").stdout.strip() == "nothing is late or due soon"


def test_an_unreadable_complaint_is_named_by_check_overdue_and_list(clerk):
    complaint_id = file_complaint(clerk, at="2026-11-25 11:00")
    path = complaint_file(clerk, complaint_id)
    path.write_text(path.read_text("utf-8").replace("channel: phone", "channel: fax"), "utf-8")
    checked = clerk("check", ok=False)
    assert checked.exit_code == 1
    assert f"records/complaints/2026/11/{complaint_id}.yaml:6:1: channel must be one of phone" in checked.stdout
    overdue = clerk("overdue", ok=False)
    assert overdue.exit_code == 3  # it may hold a late complaint: never "nothing is late"
    assert f"{complaint_id}.yaml:6:1:" in overdue.stderr and "nothing is late or due soon among" in overdue.stdout
    listed = clerk("complaint", "list", ok=False)
    assert listed.exit_code == 1 and f"{complaint_id}.yaml:6:1:" in listed.stderr
    path.write_text("id: [\n", "utf-8")
    assert f"{complaint_id}.yaml:2:1:" in clerk("check", ok=False).stdout


def test_an_unsatisfied_callback_opens_a_complaint_that_replaces_the_followup(clerk):
    order = clerk.new(at="2026-11-24 08:00")
    clerk("assign", order, "--to", "李师傅", "--at", "2026-11-24 08:05")
    clerk("close", order, "--arrived-at", "2026-11-24 08:15", "--signed-by", "张三", "--work", "换阀芯",
          "--at", "2026-11-24 09:00")
    said = clerk("callback", order, "--method", "phone", "--unsatisfied", "--reason", "还在滴水", "--complaint",
                 "--at", "2026-11-24 10:00").stdout
    assert "complaint HQ-T000001 filed" in said
    assert yamlio.load_fast(clerk.order_file(order))["callback"]["complaint"] == "HQ-T000001"
    data = yamlio.load_fast(complaint_file(clerk, "HQ-T000001"))
    assert (data["description"], data["orders"], data["source"], data["category"]) == ("还在滴水", [order],
                                                                                      "callback", "给排水类")
    rows = json.loads(clerk("overdue", "--within", "1d", "--format", "json", ok=False).stdout)
    kinds = {(r["id"], r["kind"]) for r in rows}
    assert ("HQ-T000001", "complaint") in kinds and (order, "followup") not in kinds  # answered once, not twice
    clerk("complaint", "answer", "HQ-T000001", "--note", "明天再派人")
    assert clerk("overdue", "--within", "1d").stdout.strip() == "nothing is late or due soon"
    satisfied = clerk("callback", clerk.new(at="2026-11-24 08:00", unit="5栋101"), "--method", "phone",
                      "--satisfied", "--complaint", ok=False)
    assert satisfied.exit_code == 1


def test_the_executable_files_and_answers_a_complaint(executable, clerk):
    def run(*args):
        return subprocess.run([executable, "--root", str(clerk.root), "complaint", *args], capture_output=True,
                              text=True)

    made = run("new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678", "--desc", "噪音扰民",
               "--format", "json")
    assert made.returncode == 0, made.stderr
    complaint_id = json.loads(made.stdout)["id"]
    assert run("answer", complaint_id, "--note", "已联系施工方").returncode == 0
    refused = run("answer", complaint_id, "--note", "again")
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1


def test_the_complaint_cache_sees_hand_edits_copies_and_strays(clerk):
    complaint_id = file_complaint(clerk, at="2026-11-24 09:00")
    assert complaint_id in clerk("overdue", ok=False).stdout
    assert (clerk.root / ".repairctl" / "complaints.sqlite").is_file()  # its own file: the orders' rows are as ever
    path = complaint_file(clerk, complaint_id)
    text = path.read_text("utf-8")
    path.write_text(text + "  - {action: answered, at: 2026-11-24T10:00:00+08:00, by: 王小红, note: 已答复}\n",
                    "utf-8")  # answered by hand, not committed
    assert complaint_id not in clerk("overdue").stdout
    copied = path.with_name("HQ-T000009.yaml")  # copied in, untracked
    copied.write_text(text.replace(complaint_id, "HQ-T000009"), "utf-8")
    assert "HQ-T000009" in clerk("overdue", ok=False).stdout
    stray = path.parent / "notes.txt"
    stray.write_text("x", "utf-8")
    checked = clerk("check", ok=False)
    assert "records/complaints/2026/11/notes.txt:1:1: not read as a complaint" in checked.stdout
    assert clerk("overdue", ok=False).exit_code == 3
    stray.unlink()
    copied.unlink()
    assert clerk("overdue").exit_code == 0


def test_check_names_a_temporary_file_a_killed_complaint_command_left(clerk):
    path = complaint_file(clerk, file_complaint(clerk))
    leftover = path.parent / f".{path.name}.4242-0badcafe.tmp"
    leftover.write_text("id: x\n", "utf-8")
    checked = clerk("check", ok=False)
    assert f"{leftover.name}:1:1: a temporary file left by an interrupted command" in checked.stdout


def test_a_complaint_is_named_by_its_number_as_orders_are(clerk):
    first = file_complaint(clerk)
    assert first == "HQ-T000001"
    assert clerk("complaint", "show", "1").stdout.startswith("HQ-T000001")
    assert clerk("complaint", "answer", "t1", "--note", "已回复").stdout.startswith("HQ-T000001")
    missing = clerk("complaint", "show", "２", ok=False)  # full-width, as an input method types it
    assert missing.exit_code == 1 and "HQ-T000002" in missing.output

