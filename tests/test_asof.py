"""Reports as of a date, with provenance: `monthly --as-of`, `monthly --verify`, and the keys every report carries.

Real offices in real git repositories (conftest's `clerk` and the hand-built `october`); times of
later commits are set with GIT_COMMITTER_DATE, so "the last commit at or before a time" is exact.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

TZ = ZoneInfo("Asia/Shanghai")


def report(clerk, *args: str, ok: bool = True) -> dict:
    """monthly 2026-10 --format json (and args), read."""
    return json.loads(clerk("monthly", "2026-10", "--format", "json", *args, ok=ok).stdout)


def head_time(clerk) -> dt.datetime:
    """When HEAD was committed, in office time."""
    return dt.datetime.fromisoformat(clerk.git("show", "-s", "--format=%cI", "HEAD").strip()).astimezone(TZ)


def later(monkeypatch, when: dt.datetime) -> None:
    """From here on, commands run at when, and what they commit is committed then."""
    monkeypatch.setenv("REPAIRCTL_NOW", when.isoformat())
    monkeypatch.setenv("GIT_COMMITTER_DATE", when.isoformat())


def test_as_of_a_commit_and_as_of_a_time_give_the_report_made_then(clerk, october, monkeypatch):
    commit, then = clerk.git("rev-parse", "HEAD").strip(), head_time(clerk)
    monkeypatch.setenv("REPAIRCTL_NOW", then.isoformat())
    made_then = report(clerk)
    assert made_then["commit"] == commit and made_then["as_of"] == then.isoformat()
    assert made_then["rework_count"] == 1  # O4 repeats O1 of September: an earlier month is read
    later(monkeypatch, then + dt.timedelta(hours=1))
    clerk.new(at="2026-10-26 09:00", unit="12栋0101")
    clerk("visit", october[9], "--arrived", "--at", "2026-10-25 10:30")
    clerk("close", october[9], "--signed-by", "业户", "--at", "2026-10-25 11:00")
    clerk("callback", october[8], "--method", "phone", "--satisfied", "--at", "2026-10-22 09:00")
    now = report(clerk)
    assert (now["received"], now["finished"]) != (made_then["received"], made_then["finished"])
    assert report(clerk, "--as-of", commit) == made_then
    assert report(clerk, "--as-of", commit[:10]) == made_then
    assert report(clerk, "--as-of", "HEAD~4") == made_then
    assert report(clerk, "--as-of", then.isoformat()) == made_then  # the last commit by then, judged then
    assert report(clerk, "--as-of", f"{then:%Y-%m-%d %H:%M:%S}") == made_then


def test_an_earlier_order_finished_within_the_warranty_is_read_from_history(clerk, monkeypatch):
    # received in May, before the warranty's window (from July) opens; finished in August, within it
    old = clerk.new(at="2026-05-10 09:00", unit="2栋0202", item="W05")
    clerk("assign", old, "--to", "李师傅", "--at", "2026-05-10 09:05")
    clerk("visit", old, "--arrived", "--at", "2026-05-10 09:10")
    clerk("close", old, "--signed-by", "业户", "--at", "2026-08-01 10:00")
    new = clerk.new(at="2026-10-10 09:00", unit="2栋0202", item="W05")
    commit, rework = clerk.git("rev-parse", "HEAD").strip(), [{"id": new, "unit": "2栋0202", "item": "W05", "of": old}]
    assert report(clerk)["rework"] == rework
    later(monkeypatch, head_time(clerk) + dt.timedelta(hours=1))
    clerk.git("rm", "-q", str(clerk.order_file(old)))
    clerk.git("commit", "-q", "-m", "the May order removed")
    assert report(clerk)["rework"] == []  # the work tree no longer holds it; history does
    as_of = report(clerk, "--as-of", commit)
    assert as_of["rework"] == rework and as_of["commit"] == commit and as_of["uncommitted"] == []


def test_every_report_names_its_commit_its_settings_and_what_was_uncommitted(clerk, october, tmp_path):
    made = report(clerk)
    assert made["commit"] == clerk.git("rev-parse", "HEAD").strip()
    assert made["settings"] == {"path": "office.yaml", "blob": clerk.git("rev-parse", "HEAD:office.yaml").strip()}
    assert made["uncommitted"] == []
    order = clerk.order_file(october[3])
    order.write_text(order.read_text("utf-8") + "# 手改\n", encoding="utf-8")
    (clerk.root / "office.yaml").write_text((clerk.root / "office.yaml").read_text("utf-8") + "# 手改\n", "utf-8")
    shown = f"records/orders/2026/10/{october[3]}.yaml"
    assert report(clerk)["uncommitted"] == ["office.yaml", shown]
    out = tmp_path / "m.xlsx"
    text = clerk("monthly", "2026-10", "--out", str(out)).stdout
    assert "this report read 2 uncommitted files, so it cannot be made again from a commit" in text and shown in text
    book = load_workbook(out)
    cells = [cell.value for row in book["汇总"].iter_rows() for cell in row]
    assert made["commit"] in cells and shown in cells and any("无法按提交复现" in str(c) for c in cells)
    props = {p.name: p.value for p in book.custom_doc_props.props}
    assert props["repairctl.commit"] == made["commit"] and props["repairctl.uncommitted"] == 2
    assert props["repairctl.month"] == "2026-10" and props["repairctl.full_contacts"] is False
    verdict = clerk("monthly", "--verify", str(out), ok=False)
    assert verdict.exit_code == 1 and "cannot be verified" in verdict.stdout


def test_outside_git_a_report_says_it_cannot_be_reproduced(clerk, october, tmp_path):
    shutil.rmtree(clerk.root / ".git")
    made = report(clerk)
    assert made["commit"] is None and made["uncommitted"] is None and len(made["settings"]["blob"]) == 40
    assert "the office is not in git" in clerk("monthly", "2026-10").stdout
    refused = clerk("monthly", "2026-10", "--as-of", "HEAD", ok=False)
    assert refused.exit_code == 1 and "not in a git repository" in refused.output
    assert len(refused.output.strip().splitlines()) == 1


def test_a_figure_edited_by_hand_is_named_and_a_record_changed_since_is_listed(clerk, october, tmp_path):
    out, edited = tmp_path / "m.xlsx", tmp_path / "edited.xlsx"
    clerk("monthly", "2026-10", "--out", str(out), "--full-contacts")
    clean = clerk("monthly", "--verify", str(out))
    assert "every figure matches" in clean.stdout and "no order file of the period" in clean.stdout
    book = load_workbook(out)
    summary = book["汇总"]
    row = next(r for r in range(1, 40) if summary.cell(r, 1).value == "满意率")
    summary.cell(row, 2).value = 0.95
    book["明细"]["I2"] = "某师傅"
    book.save(edited)
    found = clerk("monthly", "--verify", str(edited), ok=False)
    assert found.exit_code == 1
    assert f"汇总!B{row} 满意率, 本月: the file has 0.95, the records 0.8" in found.stdout
    assert "明细!I2" in found.stdout and "'某师傅'" in found.stdout
    clerk("visit", october[9], "--arrived", "--at", "2026-10-25 10:30")
    since = json.loads(clerk("monthly", "--verify", str(out), "--format", "json").stdout)
    assert since["matches"] is True and since["differences"] == []
    assert since["changed_since"] == [{"status": "M", "path": f"records/orders/2026/10/{october[9]}.yaml"}]
    found = json.loads(clerk("monthly", "--verify", str(edited), "--format", "json", ok=False).stdout)
    assert {d["cell"] for d in found["differences"]} == {f"汇总!B{row}", "明细!I2"}


def test_a_workbook_without_provenance_cannot_be_verified(clerk, october, tmp_path):
    from openpyxl import Workbook

    bare = tmp_path / "bare.xlsx"
    Workbook().save(bare)
    refused = clerk("monthly", "--verify", str(bare), ok=False)
    assert refused.exit_code == 1 and "does not say what it was made from" in refused.output
    (tmp_path / "text.xlsx").write_text("no zip", encoding="utf-8")
    refused = clerk("monthly", "--verify", str(tmp_path / "text.xlsx"), ok=False)
    assert refused.exit_code == 1 and "cannot be read as an Excel workbook; give the .xlsx file" in refused.output
    renamed = tmp_path / "monthly.XLSX.bak"  # a copy kept under another name is still a workbook
    renamed.write_bytes(bare.read_bytes())
    refused = clerk("monthly", "--verify", str(renamed), ok=False)
    assert refused.exit_code == 1 and "does not say what it was made from" in refused.output


@pytest.mark.parametrize(("args", "status", "says"), [
    (("2026-10", "--as-of", "no-such-branch"), 1, "no commit git knows here"),
    (("2026-10", "--as-of", "2001-01-01 00:00"), 1, "before the office's first commit"),
    (("2026-10", "--as-of", "2099-01-01 00:00"), 1, "in the future"),
    (("2026-10", "--as-of", "2026-13-01"), 1, "cannot read time"),
    (("--verify", "x.xlsx", "2026-10"), 2, "Usage"),
    ((), 2, "give the MONTH"),
])
def test_bad_as_of_input_is_refused_in_one_line(clerk, october, snapshot, args, status, says):
    (clerk.root.parent / "x.xlsx").write_bytes(b"")
    before = snapshot(clerk)
    result = clerk("monthly", *[str(clerk.root.parent / a) if a == "x.xlsx" else a for a in args], ok=False)
    assert result.exit_code == status and says in result.output
    assert "Traceback" not in result.output
    if status == 1:
        assert len(result.output.strip().splitlines()) == 1
    assert snapshot(clerk) == before


def test_the_executable_rebuilds_a_past_month_and_verifies_its_workbook(executable, clerk, october, tmp_path):
    out = tmp_path / "m.xlsx"
    run = subprocess.run([executable, "--root", str(clerk.root), "monthly", "2026-10", "--as-of", "HEAD~2",
                          "--format", "json", "--out", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["commit"] == clerk.git("rev-parse", "HEAD~2").strip()
    check = subprocess.run([executable, "--root", str(clerk.root), "monthly", "--verify", str(out)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "every figure matches" in check.stdout
    assert f"A records/orders/2026/10/{october[13]}.yaml" in check.stdout  # recorded since
    assert october[14] not in check.stdout  # recorded since too, but in November: not a record of the period


def test_an_office_in_a_subfolder_with_a_linked_catalogue_is_read_from_history(october, clerk, make_clerk, tmp_path,
                                                                              monkeypatch):
    # an office inside a bigger repository, its catalogue a link to a shared file (as examples/office has)
    top = tmp_path / "company"
    shutil.copytree(clerk.root, top / "offices" / "hq", ignore=shutil.ignore_patterns(".git", ".repairctl"))
    (top / "shared").mkdir()
    (top / "offices" / "hq" / "catalog.yaml").rename(top / "shared" / "catalog.yaml")
    (top / "offices" / "hq" / "catalog.yaml").symlink_to("../../shared/catalog.yaml")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "offices"]):
        subprocess.run(["git", "-C", str(top), *args], check=True, capture_output=True)
    hq = make_clerk(top / "offices" / "hq")
    monkeypatch.setenv("REPAIRCTL_NOW", head_time(hq).isoformat())
    made = report(hq)
    assert made["commit"] == hq.git("rev-parse", "HEAD").strip() and made["uncommitted"] == []
    assert report(hq, "--as-of", "HEAD") == made


def test_a_broken_file_of_the_commit_is_named_as_git_names_it(clerk, october, tmp_path):
    broken = clerk.root / "records" / "orders" / "2026" / "10" / "HQ-000099.yaml"
    broken.write_text("id: HQ-000099\nstatus: [\n", encoding="utf-8")
    clerk.git("add", str(broken))
    clerk.git("commit", "-q", "--no-verify", "-m", "a broken hand edit")
    commit = clerk.git("rev-parse", "HEAD").strip()[:12]
    broken.unlink()  # the work tree no longer has it: history does
    refused = clerk("monthly", "2026-10", "--as-of", "HEAD", ok=False)
    assert refused.exit_code == 1
    assert f"{commit}:records/orders/2026/10/HQ-000099.yaml:3:1: YAML syntax error" in refused.output
    allowed = clerk("monthly", "2026-10", "--as-of", "HEAD", "--allow-broken", "--format", "json")
    assert json.loads(allowed.stdout)["left_out"] == {"count": 1, "files": ["records/orders/2026/10/HQ-000099.yaml"]}
    assert f"{commit}:records/orders/2026/10/HQ-000099.yaml:3:1:" in allowed.stderr
