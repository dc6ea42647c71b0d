"""The month's complaints (issue 15 §3): the report's `complaints` counts, the summary line, the 投诉 sheet,
and a complaint file of the month that cannot be read."""

from __future__ import annotations

import json

import openpyxl

from tests.test_complaints import complaint_file, file_complaint


def month_of_complaints(clerk) -> dict[str, str]:
    """Four November complaints: answered in time and closed satisfied, answered late and closed unsatisfied,
    unanswered and late, unanswered and not yet due; one of October, which November does not count."""
    order = clerk.new(at="2026-11-02 09:00")  # W01: 给排水类
    ids = {"kept": file_complaint(clerk, "--order", order, at="2026-11-03 09:00"),
           "late": file_complaint(clerk, at="2026-11-04 09:00"),
           "missed": file_complaint(clerk, at="2026-11-05 09:00"),
           "fresh": file_complaint(clerk, at="2026-11-25 11:00"),
           "october": file_complaint(clerk, at="2026-10-30 09:00")}
    clerk("complaint", "answer", ids["kept"], "--note", "已答复", "--at", "2026-11-03 20:00")
    clerk("complaint", "close", ids["kept"], "--result", "已修好", "--satisfied", "--at", "2026-11-04 08:00")
    clerk("complaint", "answer", ids["late"], "--note", "已答复", "--at", "2026-11-06 09:00")
    clerk("complaint", "close", ids["late"], "--result", "已解释", "--unsatisfied", "--at", "2026-11-06 10:00")
    return ids


def test_monthly_counts_the_months_complaints_by_category(clerk):
    ids = month_of_complaints(clerk)
    report = json.loads(clerk("monthly", "2026-11", "--format", "json").stdout)["complaints"]
    assert {k: report[k] for k in ("received", "answered", "answered_in_time", "in_time_rate", "closed",
                                   "satisfied")} == {"received": 4, "answered": 2, "answered_in_time": 1,
                                                     "in_time_rate": round(1 / 3, 4), "closed": 2, "satisfied": 1}
    assert report["by_category"] == [
        {"category": "其他", "received": 3, "answered": 1, "answered_in_time": 0, "decided": 2, "in_time_rate": 0.0,
         "closed": 1, "satisfied": 0},
        {"category": "给排水类", "received": 1, "answered": 1, "answered_in_time": 1, "decided": 1, "in_time_rate": 1.0,
         "closed": 1, "satisfied": 1}]
    assert [row["id"] for row in report["rows"]] == [ids[k] for k in ("kept", "late", "missed", "fresh")]
    text = clerk("monthly", "2026-11").stdout
    assert ("complaints received 4, answered 2, in time 1 (33.3%), closed 2, satisfied 1 "
            "(by category: 其他 3, 给排水类 1)") in text
    october = json.loads(clerk("monthly", "2026-10", "--format", "json").stdout)["complaints"]
    assert (october["received"], october["in_time_rate"]) == (1, 0.0)


def test_the_workbook_has_a_complaints_sheet(clerk, tmp_path):
    ids = month_of_complaints(clerk)
    clerk("monthly", "2026-11", "--out", str(tmp_path / "m.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "m.xlsx")["投诉"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("投诉单号", "受理时间", "地址/单元")
    kept = next(row for row in rows if row[0] == ids["kept"])
    assert (kept[5], kept[9], kept[10], kept[12]) == ("给排水类", "是", "已修好", "满意")
    assert sheet.cell(row=2, column=2).number_format == "yyyy-mm-dd hh:mm"
    total = next(row for row in rows if row[0] == "合计")
    assert total[1:7] == (4, 2, 1, round(1 / 3, 4), 2, 1)


def test_an_unreadable_complaint_of_the_month_refuses_the_report_unless_allowed(clerk):
    ids = month_of_complaints(clerk)
    path = complaint_file(clerk, ids["missed"])
    path.write_text(path.read_text("utf-8").replace("unit:", "unit: [", 1), "utf-8")
    refused = clerk("monthly", "2026-11", ok=False)
    assert refused.exit_code == 1 and f"{ids['missed']}.yaml:" in refused.output
    allowed = clerk("monthly", "2026-11", "--allow-broken", "--format", "json")
    assert f"{ids['missed']}.yaml:" in allowed.stderr
    assert json.loads(allowed.stdout)["complaints"]["received"] == 3
    assert clerk("monthly", "2026-10").exit_code == 0  # another month's broken file is not this report's


def test_a_past_commits_report_counts_its_complaints_and_its_workbook_verifies(clerk, tmp_path):
    month_of_complaints(clerk)
    file_complaint(clerk, at="2026-11-25 11:30")  # after the commit the report is made as of
    past = json.loads(clerk("monthly", "2026-11", "--as-of", "HEAD~1", "--format", "json").stdout)
    assert past["complaints"]["received"] == 4
    out = tmp_path / "m.xlsx"
    clerk("monthly", "2026-11", "--out", str(out))
    verified = clerk("monthly", "--verify", str(out))
    assert "every figure matches the records" in verified.stdout
