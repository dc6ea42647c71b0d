"""A technician's day sheet (派工单, `dispatch`) and a day's slips (`slip --date`), in real offices.

Which jobs are a day's: an appointment agreed for it, any other order dispatched on it, and what an
earlier day left open; in the order a technician walks, building by building.
"""

from __future__ import annotations

import subprocess

import pytest

from tests.test_i18n import run
from tests.test_i18n_orders import english_left

DAY = "2026-11-25"


def order(clerk, unit: str, *, at: str, to: str | None = "李师傅", assigned: str | None = None, item: str = "W01",
          extra: tuple = ()) -> str:
    """A request for unit received at `at` and (to) dispatched at `assigned` (default: five minutes on)."""
    order_id = clerk.new(*extra, unit=unit, at=at, item=item, phone="13800000000", name=f"{unit}业户")
    if to:
        clerk("assign", order_id, "--to", to, "--at", assigned or at[:-1] + "5")
    return order_id


@pytest.fixture
def day(clerk):
    """An office with the jobs of several days: who holds which, and what is done."""
    ids = {
        "today_12": order(clerk, "12栋0101", at=f"{DAY} 08:00"),
        "today_3": order(clerk, "3栋1201", at=f"{DAY} 08:10", item="E08"),
        "appointment": order(clerk, "3栋0201", at="2026-11-20 09:00",
                             extra=("--appointment", f"{DAY} 15:00", "--item", "W04")),
        "tomorrow": order(clerk, "1栋0101", at="2026-11-24 09:00", extra=("--appointment", "2026-11-26 09:00")),
        "carried": order(clerk, "5栋0302", at="2026-11-24 09:00"),
        "done_before": order(clerk, "1栋0202", at="2026-11-24 10:00"),
        "done_today": order(clerk, "2栋0101", at="2026-11-24 11:00"),
        "other_tech": order(clerk, "1栋0303", at=f"{DAY} 08:20", to="陈师傅"),
        "unassigned": order(clerk, "1栋0404", at=f"{DAY} 08:30", to=None),
        "cancelled": order(clerk, "1栋0505", at=f"{DAY} 08:40"),
        "public": order(clerk, "地下车库", at=f"{DAY} 08:50", extra=("--public",)),
    }
    for key, finished in (("done_before", "2026-11-24 16:00"), ("done_today", f"{DAY} 09:00")):
        clerk("close", ids[key], "--work", "修好", "--signed-by", "业户", "--by", "李师傅", "--at", finished,
              "--arrived-at", finished)
    clerk("cancel", ids["cancelled"], "--reason", "业户取消", "--at", f"{DAY} 09:00")
    (clerk.root / "records" / "staff.csv").write_text("姓名,工种\n李师傅,水工\n陈师傅,电工\n", encoding="utf-8")
    return ids


def units_in(text: str, ids: dict) -> list[str]:
    """The keys of ids in the order their IDs appear in text."""
    return [key for _pos, key in sorted((text.index(i), key) for key, i in ids.items() if i in text)]


def test_a_days_jobs_in_route_order(clerk, day):
    sheet = clerk("dispatch", "--date", DAY, "--tech", "李师傅").stdout
    # building by building (2 before 12, as numbers), up the floors, a place with no building last
    assert units_in(sheet, day) == ["done_today", "appointment", "today_3", "carried", "today_12", "public"]
    assert "维修人员：李师傅（水工）    日期：2026-11-25    共 6 单" in sheet
    assert sheet.count("前日未完成") == 2  # received yesterday, open when the day began (one closed at 09:00)


def test_each_job_has_unit_contact_time_item_standard_and_notes(clerk, day):
    sheet = clerk("dispatch", "--date", DAY, "--tech", "李师傅").stdout
    block = sheet[sheet.index("3栋0201"):].split("-" * 64)[0]
    assert "15:00" in block and day["appointment"] in block
    assert "联系人    3栋0201业户 13800000000" in block
    assert "维修项目  W04 清洗用户水表" in block and "维修时限  1小时内" in block
    assert "备注      需声明若出现度量不准确与此清洗无关" in block
    light = sheet[sheet.index("3栋1201"):].split("-" * 64)[0]
    assert "即时" in light and "维修时限  25分钟" in light and "大型吊灯除外" in light
    assert "地下车库（公共区域）" in sheet


def test_without_tech_one_sheet_per_technician(clerk, day):
    sheets = clerk("dispatch", "--date", DAY).stdout.split("\f")
    assert len(sheets) == 2 and "李师傅（水工）" in sheets[0] and "陈师傅（电工）" in sheets[1]
    assert day["other_tech"] in sheets[1] and day["other_tech"] not in sheets[0]
    for key in ("tomorrow", "done_before", "unassigned", "cancelled"):
        assert day[key] not in "".join(sheets), key


def test_the_next_day_has_the_appointment_and_what_is_still_open(clerk, day):
    sheet = clerk("dispatch", "--date", "2026-11-26", "--tech", "李师傅").stdout
    assert day["tomorrow"] in sheet and "09:00" in sheet
    assert day["done_today"] not in sheet and day["done_before"] not in sheet
    assert day["today_12"] in sheet  # still open: carried over


def test_a_technician_with_no_job(clerk, day, tmp_path):
    sheet = clerk("dispatch", "--date", "2026-11-01", "--tech", "李师傅").stdout
    assert "共 0 单" in sheet and "当日无派工" in sheet
    out = tmp_path / "slips.html"
    said = clerk("slip", "--date", "2026-11-01", "-o", str(out)).stdout
    assert said.startswith("no jobs on 2026-11-01; nothing to print") and not out.exists()


def test_html_sheet_escapes_and_breaks_pages(clerk, day):
    clerk.new(unit="3栋0909", at=f"{DAY} 10:00", desc="<b>漏水</b>")
    clerk("assign", "HQ-000012", "--to", "陈师傅", "--at", f"{DAY} 10:05")
    page = clerk("dispatch", "--date", DAY, "--html").stdout
    assert page.count('<section class="sheet">') == 2 and "break-before: page" in page
    assert "&lt;b&gt;漏水&lt;/b&gt;" in page and "<b>漏水" not in page
    assert "<th>维修时限</th>" in page and "<td>1小时内</td>" in page


def test_slip_date_prints_the_days_slips_in_route_order(clerk, day, tmp_path):
    out = tmp_path / "slips.html"
    assert clerk("slip", "--date", DAY, "--tech", "李师傅", "-o", str(out)).stdout == f"wrote {out}\n"
    page = out.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count("<html") == 1
    assert page.count('<section class="copy">') == 6 * 3  # every copy of each slip, a sheet each
    assert units_in(page, day) == ["done_today", "appointment", "today_3", "carried", "today_12", "public"]
    assert "<td>王小红</td>" in page and "<td>电话</td>" in page


def test_slip_of_many_ids(clerk, day):
    text = clerk("slip", day["carried"], day["today_3"], "--copy", "存根联").stdout
    assert units_in(text, {k: day[k] for k in ("carried", "today_3")}) == ["carried", "today_3"]
    assert text.count("【存根联】") == 2


def test_an_office_template_older_than_many_slips_is_refused_with_the_way_out(clerk, day):
    # an office keeps the templates it was made with: one that prints a single order cannot take a day's
    template = clerk.root / "templates" / "slip.html.j2"
    template.write_text("<html><body>{{ id }} {{ unit }}</body></html>\n", encoding="utf-8")
    before = sorted(p.name for p in clerk.root.iterdir())
    many = clerk("slip", day["carried"], day["today_3"], "--html", ok=False)
    assert many.exit_code == 1 and "prints one order at a time" in many.output
    assert "cp " in many.output and str(template) in many.output
    assert sorted(p.name for p in clerk.root.iterdir()) == before  # no file written
    assert day["carried"] in clerk("slip", day["carried"], "--html").stdout  # one at a time still prints


@pytest.mark.parametrize("args", [["slip"], ["slip", "HQ-000001", "--date", DAY],
                                  ["slip", "HQ-000001", "--tech", "李师傅"]])
def test_slip_wants_ids_or_a_date(clerk, args):
    result = clerk(*args, ok=False)
    assert result.exit_code == 2 and "give the order IDs, or --date DAY" in result.output


@pytest.mark.parametrize("typed", ["2026-13-01", "25.11.2026", "x"])
def test_a_bad_date_is_refused(clerk, typed):
    result = clerk("dispatch", "--date", typed, ok=False)
    assert result.exit_code == 2 and "is not a day; write it as 2026-11-25" in result.output


def test_today_and_tomorrow(clerk, day):
    assert clerk("dispatch", "--date", "today", "--tech", "李师傅").stdout == clerk(
        "dispatch", "--tech", "李师傅").stdout == clerk("dispatch", "--date", DAY, "--tech", "李师傅").stdout
    assert day["tomorrow"] in clerk("dispatch", "--date", "明天", "--tech", "李师傅").stdout


def test_assign_prints_the_items_remark(clerk):
    light = clerk.new(item="E08", unit="1栋0101")
    said = clerk("assign", light, "--to", "李师傅").stdout
    assert said == f"{light} 已派工给 李师傅\nthe item's remark: 大型吊灯除外\n"
    meter = clerk.new(item=None, unit="1栋0102", desc="水表脏")
    said = clerk("assign", meter, "--to", "李师傅", "--item", "W04").stdout
    assert said == f"{meter} 已派工给 李师傅\ntell the owner: 需声明若出现度量不准确与此清洗无关\n"
    plain = clerk.new(unit="1栋0103")
    assert clerk("assign", plain, "--to", "李师傅").stdout == f"{plain} 已派工给 李师傅\n"


def test_in_chinese_the_remark_and_the_refusals(clerk):
    light = clerk.new(item="E08", unit="1栋0101")
    assigned = run("assign", light, "--to", "李师傅", cwd=clerk.root)
    assert assigned.returncode == 0, assigned.stderr
    assert assigned.stdout == f"{light} 已派工给 李师傅\n维修项目备注：大型吊灯除外\n"
    bad = run("dispatch", "--date", "2026-13-01", cwd=clerk.root)
    assert bad.returncode == 2 and "不是日期；请写成 2026-11-25" in bad.stderr
    neither = run("slip", cwd=clerk.root)
    assert neither.returncode == 2 and "请给出单号，或 --date" in neither.stderr
    nothing = run("slip", "--date", "2026-11-01", cwd=clerk.root)
    assert nothing.returncode == 0 and nothing.stdout.startswith("2026-11-01 没有派工，没有要打印的维修单")
    assert not english_left(assigned.stdout + bad.stderr + neither.stderr + nothing.stdout)


def test_the_executable_prints_the_day_sheet(clerk, day, executable):
    done = subprocess.run([executable, "--root", str(clerk.root), "dispatch", "--date", DAY, "--tech", "陈师傅"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "派工单" in done.stdout and day["other_tech"] in done.stdout and "共 1 单" in done.stdout


def test_an_emergency_and_an_absence_show_on_the_sheet(clerk):
    urgent = order(clerk, "6栋0101", at=f"{DAY} 09:00", extra=("--emergency",))
    clerk("visit", urgent, "--absent", "--by", "李师傅", "--at", f"{DAY} 09:20")
    block = clerk("dispatch", "--date", DAY).stdout
    assert f"1   6栋0101               紧急             {urgent}" in block and "业户曾不在家（已留言）" in block


def test_an_unreadable_order_file_is_named_and_the_sheet_still_prints(clerk, day):
    broken = clerk.order_file(day["today_3"])
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    sheet = clerk("dispatch", "--date", DAY, "--tech", "李师傅", ok=False)
    assert sheet.exit_code == 1 and "共 5 单" in sheet.stdout and broken.name in sheet.stderr
    slips = clerk("slip", "--date", DAY, "--tech", "李师傅", ok=False)
    assert slips.exit_code == 1 and broken.name in slips.stderr
    assert slips.stdout.count('<section class="copy">') == 5 * 3


def test_day_sheet_matches_golden(clerk, day, check_golden):
    check_golden("daysheet_2026-11-25.txt", clerk("dispatch", "--date", DAY).stdout)
