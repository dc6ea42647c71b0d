"""rollup: three small offices with sites of their own, checked figure by figure against each office's monthly."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from functools import partial
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from repairctl.cli.app import cli
from repairctl.reports import rollup as rolling
from repairctl.reports.stats import COUNTS

MONTH = "2026-10"


def retitle(clerk, site: str, name: str, extra: tuple = ()) -> None:
    """Give the template office its own site and name (and other settings), committed before any order."""
    path = clerk.root / "office.yaml"
    text = path.read_text("utf-8")
    for old, new in (("site: HQ", f"site: {site}"), ("name: 测试管理处", f"name: {name}"), *extra):
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    clerk.git("commit", "-q", "-am", f"{site}: {name}")


def build_a(clerk, build_october) -> None:
    retitle(clerk, "AA", "甲管理处")
    build_october(clerk)


def build_b(clerk) -> None:
    """Three orders: one on time and satisfied, one late with materials, one still open."""
    retitle(clerk, "BB", "乙管理处")
    one = clerk.new(at="2026-10-03 09:00", unit="1栋101", item="W01")
    clerk("assign", one, "--to", "赵师傅", "--at", "2026-10-03 09:02")
    clerk("visit", one, "--arrived", "--at", "2026-10-03 09:10")
    clerk("close", one, "--signed-by", "业户", "--labour", "30", "--at", "2026-10-03 09:40")
    clerk("callback", one, "--method", "phone", "--satisfied", "--at", "2026-10-03 12:00")
    two = clerk.new(at="2026-10-12 14:00", unit="2栋202", item="E01")
    clerk("assign", two, "--to", "赵师傅", "--at", "2026-10-12 14:05")
    clerk("visit", two, "--arrived", "--at", "2026-10-12 14:45")
    clerk("close", two, "--signed-by", "业户", "--material", "灯泡:3:12.5", "--at", "2026-10-12 15:30")
    clerk("callback", two, "--method", "visit", "--unsatisfied", "--reason", "太慢", "--at", "2026-10-13 10:00")
    three = clerk.new(at="2026-10-30 16:00", unit="3栋303", item="C01")
    clerk("delay", three, "--until", "2026-11-06 18:00", "--reason", "等配件", "--approved-by", "工程主管",
          "--at", "2026-10-30 17:00")


def build_c(clerk) -> None:
    """A stricter office that closes its month on the 20th: two orders, one in its period."""
    retitle(clerk, "CC", "丙管理处", (("  satisfaction: 0.90", "  satisfaction: 0.95"),
                                  ("\ntargets:\n", "\nreport:\n  cutoff_day: 20\ntargets:\n")))
    one = clerk.new(at="2026-09-25 10:00", unit="5栋501", item="W05")
    clerk("assign", one, "--to", "钱师傅", "--at", "2026-09-25 10:03")
    clerk("visit", one, "--arrived", "--at", "2026-09-25 10:12")
    clerk("close", one, "--signed-by", "业户", "--labour", "20.05", "--at", "2026-09-25 11:00")
    clerk("callback", one, "--method", "phone", "--satisfied", "--at", "2026-09-25 17:00")
    clerk.new(at="2026-10-25 10:00", unit="5栋502", item="W01")  # after the 20th: November's period


@pytest.fixture
def offices(tmp_path, templates, october_builder) -> list[Path]:
    """Three offices of the test's own, AA (conftest's hand-built month), BB and CC (built once a session)."""
    roots = []
    builds = {"a": partial(build_a, build_october=october_builder), "b": build_b, "c": build_c}
    for name, build in builds.items():
        templates.put(f"rollup {name}", build, tmp_path / name)
        roots.append(tmp_path / name)
    return roots


def _invoke(args, ok):
    """repairctl ARGS, run outside any office (rollup needs none)."""
    result = CliRunner().invoke(cli, list(map(str, args)), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def as_json(text: str) -> dict:
    return json.loads(text, parse_float=Decimal)  # amounts and rates compared as written


def monthly_of(make_clerk, root: Path) -> dict:
    return as_json(make_clerk(root)("monthly", MONTH, "--format", "json").stdout)


def test_each_office_is_its_own_monthly_and_the_total_adds_up(offices, make_clerk):
    done = as_json(_invoke(["rollup", MONTH, *offices, "--format", "json"], True).stdout)
    own = [monthly_of(make_clerk, root) for root in offices]
    assert [o["site"] for o in done["offices"]] == ["AA", "BB", "CC"]
    for office, monthly, root in zip(done["offices"], own, offices, strict=True):
        assert office["folder"] == str(root)
        workbook_only = ("trend", "open_at_end")  # monthly's workbook material (issue 15 §6): rollup makes none
        assert {k: v for k, v in office.items() if k not in ("site", "folder", "rank")} == {
            k: v for k, v in monthly.items() if k not in workbook_only}
    total = done["total"]
    assert [o["received"] for o in own] == [12, 3, 1]  # CC's period ends on the 20th: its September order
    for key in (*COUNTS, "called_back", "satisfied", "rework_count"):
        assert total[key] == sum(o[key] for o in own), key
    for status, count in total["open_by_status"].items():
        assert count == sum(o["open_by_status"][status] for o in own)
    finished, still = total["finished"], total["open"]
    assert total["completion_rate"] == round(Decimal(finished) / (finished + still), 4)
    assert total["satisfaction_rate"] == round(Decimal(total["satisfied"]) / total["called_back"], 4)
    assert total["rework_rate"] == round(Decimal(total["rework_count"]) / total["received"], 4)
    for kind, clock in total["on_time"].items():
        for key in ("met", "missed", "open"):
            assert clock[key] == sum(o["on_time"].get(kind, {}).get(key, 0) for o in own)
        decided = clock["met"] + clock["missed"]
        assert clock["rate"] == (round(Decimal(clock["met"]) / decided, 4) if decided else None)
    # every key of monthly but the workbook's trend and backlog, which a company's month does not make
    assert set(total) >= set(own[0]) - {"site", "folder", "trend", "open_at_end"}
    assert total["delayed"] == 1 and total["delayed"] == sum(o["delayed"] for o in own)
    for key, names in (("signoff", ("signed", "unsigned", "not_recorded")), ("worktime", ("measured", "met")),
                       ("inspection", ("inspected", "first_pass", "rework"))):
        for name in names:
            assert total[key][name] == sum(o[key][name] for o in own), (key, name)
    assert total["signoff"]["signed"] > 0 and total["worktime"]["measured"] > 0
    assert total["worktime"]["rate"] == round(Decimal(total["worktime"]["met"]) / total["worktime"]["measured"], 4)
    # a weighted rate, not the average of the offices' rates
    assert total["on_time"]["arrival"] == {"met": 6, "missed": 7, "open": 0, "rate": Decimal("0.4615")}
    assert [o["on_time"]["arrival"]["rate"] for o in own] == [Decimal("0.4444"), Decimal("0.3333"), 1]  # avg 0.5926
    for scope in ("unit", "all"):
        coverage = total["callback_coverage"][scope]
        assert coverage["finished"] == sum(o["callback_coverage"][scope]["finished"] for o in own)
        assert coverage["rate"] == round(Decimal(coverage["called_back"]) / coverage["finished"], 4)
    for key in ("materials", "labour", "due"):
        assert total["fees"][key] == sum(o["fees"][key] for o in own), key
    assert total["fees"]["labour"] == Decimal("200.05")  # AA 20+10+0+50+40+30, BB 30, CC 20.05
    assert total["callback_sample"]["required"] == sum(o["callback_sample"]["required"] for o in own)
    arrival = [o["minutes"]["to_arrival"] for o in own if o["minutes"]["to_arrival"]["count"]]
    count = sum(m["count"] for m in arrival)
    assert total["minutes"]["to_arrival"] == {
        "count": count, "average": round(sum(m["average"] * m["count"] for m in arrival) / count, 1), "p90": None}
    water = next(g for g in total["by_category"] if g["category"] == "water")
    assert water["count"] == sum(g["count"] for o in own for g in o["by_category"] if g["category"] == "water")
    assert {u["site"] for u in total["unsatisfied"]} == {"AA", "BB"}
    targets = {t["measure"]: t for t in total["targets"]}
    assert targets["satisfaction"]["target"] == Decimal("0.95")  # the strictest office's (CC)
    assert targets["satisfaction"]["value"] == total["satisfaction_rate"]
    assert total["period"]["first_day"] == "2026-09-21" and total["period"]["last_day"] == "2026-10-31"
    assert total["period"]["months"] == ["2026-09", "2026-10"] and total["period"]["cutoff_day"] is None
    # ranked by targets met: CC 8 (of 8 with data), BB 5, AA 3
    assert {o["site"]: (o["rank"], rolling.results(o)[0]) for o in done["offices"]} == {
        "CC": (1, 8), "BB": (2, 5), "AA": (3, 3)}


def test_the_text_is_a_table_ranked_with_the_total(offices):
    text = _invoke(["rollup", MONTH, *offices], True).stdout
    lines = text.splitlines()
    assert lines[0] == "monthly repair statistics of all offices 2026-10"
    assert lines[1].split()[:4] == ["rank", "site", "office", "received"]
    rows = [line.split() for line in lines[3:]]
    assert [row[:4] for row in rows[:3]] == [["1", "CC", "丙管理处", "1"], ["2", "BB", "乙管理处", "3"],
                                             ["3", "AA", "甲管理处", "12"]]  # best first
    assert rows[3] == ["total", "16", "10", "4", "71.4%", "75.0%", "46.2%", "64.3%", "6.2%", "3/9"]


def test_a_company_file_lists_the_offices(offices, tmp_path):
    company = tmp_path / "company.yaml"
    company.write_text("name: 翠苑物业公司\noffices:\n  - a\n  - ./b\n  - " + str(offices[2]) + "\n", "utf-8")
    by_file = as_json(_invoke(["rollup", MONTH, company, "--format", "json"], True).stdout)
    by_folders = as_json(_invoke(["rollup", MONTH, *offices, "--format", "json"], True).stdout)
    assert by_file["company"] == {"name": "翠苑物业公司", "offices": 3}
    assert by_file["offices"] == by_folders["offices"]
    assert by_file["total"] == {**by_folders["total"], "office": {"site": "", "name": "翠苑物业公司"}}
    assert _invoke(["rollup", MONTH, company], True).stdout.startswith(
        "翠苑物业公司 monthly repair statistics of all offices 2026-10\n")


def test_the_workbook_read_back(offices, tmp_path):
    out = tmp_path / "公司.xlsx"
    done = as_json(_invoke(["rollup", MONTH, *offices, "--format", "json", "--out", out], True).stdout)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["公司汇总", "排名", "AA 甲管理处", "BB 乙管理处", "CC 丙管理处"]
    ws = book["公司汇总"]
    assert ws["A1"].value == "2026年10月 维修服务月度统计汇总"
    assert ws["A2"].value == "统计期间: 2026-09-21 至 2026-10-31"
    header = [c.value for c in ws[4]]
    assert header[:5] == ["排名", "站点", "管理处", "受理单数", "完成单数"]
    assert header[header.index("满意率"):header.index("满意率") + 3] == ["满意率", "满意率目标", "满意率是否达标"]
    column = {label: index for index, label in enumerate(header)}
    rows = {row[1].value or row[2].value: row for row in ws.iter_rows(min_row=5, max_row=8)}
    for office in done["offices"]:
        row = rows[office["site"]]
        assert row[column["排名"]].value == office["rank"] and row[column["管理处"]].value == office["office"]["name"]
        assert row[column["受理单数"]].value == office["received"]
        satisfaction = next(t for t in office["targets"] if t["measure"] == "satisfaction")
        assert row[column["满意率"]].value == pytest.approx(float(satisfaction["value"]))
        assert row[column["满意率是否达标"]].value == ("达标" if satisfaction["passed"] else "未达标")
    total = rows["合计"]
    assert total[column["受理单数"]].value == 16 and total[column["受理单数"]].font.b
    assert total[column["完成率"]].value == pytest.approx(float(done["total"]["completion_rate"]))
    assert total[column["完成率"]].number_format == "0.0%"
    assert total[column["满意率目标"]].value == 0.95 and total[column["满意率目标"]].number_format == '"≥ "0.0%'
    assert total[column["应收费用(元)"]].value == pytest.approx(float(done["total"]["fees"]["due"]))
    assert total[column["延期单数"]].value == 1 and rows["BB"][column["延期单数"]].value == 1
    assert total[column["标准工时达标率"]].value == pytest.approx(float(done["total"]["worktime"]["rate"]))
    assert total[column["投诉单数"]].value == done["total"]["complaints"]["received"] == 0
    assert "计划完成率" in column and "投诉按时答复率" in column
    ranking = [[c.value for c in row] for row in book["排名"].iter_rows(min_row=2)]
    assert [row[0] for row in ranking] == sorted(o["rank"] for o in done["offices"])
    office = book["AA 甲管理处"]  # the monthly workbook's own summary sheet, for the office
    assert office["A1"].value == "甲管理处 2026年10月 维修服务月度统计"
    assert [c.value for c in office[4]] == ["指标", "本月", "目标", "是否达标"]
    assert [c.value for c in office[5]] == ["满意率", 0.8, 0.9, "未达标"]  # as test_workbook finds it
    for sheet, report in zip(book.sheetnames[2:], done["offices"], strict=True):  # each names its commit
        cells = [[c.value for c in row] for row in book[sheet].iter_rows()]
        assert ["提交 (commit)", report["commit"]] in [row[:2] for row in cells]
        assert any(row[1] == report["settings"]["blob"] for row in cells)
    assert (done["total"]["commit"], done["total"]["settings"], done["total"]["uncommitted"]) == (None, None, [])


def test_the_installed_executable(offices, executable, tmp_path):
    result = subprocess.run([executable, "rollup", MONTH, *map(str, offices), "--format", "json",
                             "--out", str(tmp_path / "x.xlsx")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert [o["site"] for o in json.loads(result.stdout)["offices"]] == ["AA", "BB", "CC"]
    assert result.stderr == f"wrote {tmp_path / 'x.xlsx'}\n"


def refused(args, status: int = 1) -> str:
    """The one line of a refused rollup."""
    result = _invoke(args, False)
    assert result.exit_code == status, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 or status == 2, result.stderr
    return lines[-1]


def test_bad_input_is_one_line(offices, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a company file's problems name it as the clerk wrote it: company.yaml:LINE:COL
    (tmp_path / "empty").mkdir()
    line = refused(["rollup", MONTH, offices[0], tmp_path / "missing"])
    assert line == (f"Error: {tmp_path / 'missing'}: no such folder; fix it, "
                    "or pass --allow-broken to roll up without it")
    assert "not an office folder (no office.yaml)" in refused(["rollup", MONTH, tmp_path / "empty"])
    assert "Missing argument 'OFFICE...'" in refused(["rollup", MONTH], 2)
    assert "is not a month" in refused(["rollup", "2026-13", offices[0]], 2)
    assert "listed twice" in refused(["rollup", MONTH, offices[0], offices[0]])
    company = tmp_path / "company.yaml"
    company.write_text("name: 公司\noffices: []\n", "utf-8")
    assert refused(["rollup", MONTH, company]).startswith("Error: company.yaml:2:1: offices: list each office's")
    company.write_text("name: 公司\noffice:\n  - a\n", "utf-8")
    assert refused(["rollup", MONTH, company]) == ("Error: company.yaml:2:1: unknown key 'office'; "
                                                   "a company file has name and offices")
    company.write_text("offices:\n  - a\n  - nowhere\n", "utf-8")
    assert refused(["rollup", MONTH, company]).startswith("Error: company.yaml:3:5: nowhere: no such folder;")
    assert not (tmp_path / "x.xlsx").exists()


def test_two_offices_with_one_site_are_refused(offices, tmp_path, templates):
    templates.put("rollup b", build_b, tmp_path / "b2")
    line = refused(["rollup", MONTH, offices[1], tmp_path / "b2", "--allow-broken"])
    assert line == (f"Error: {tmp_path / 'b2'}: its site BB is also the site of {offices[1]}; "
                    "each office's site must differ")


def test_an_unreadable_file_refuses_the_rollup_unless_allowed(offices, tmp_path, make_clerk, place):
    broken = place(make_clerk(offices[1]), "id: BB-000009\nevents: [\n", "BB-000009")
    out = tmp_path / "x.xlsx"
    result = _invoke(["rollup", MONTH, *offices, "--out", out], False)
    assert result.exit_code == 1 and not out.exists()
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{broken}:") and "YAML syntax error" in lines[0]
    assert lines[-1].startswith("Error: 1 order file(s) of 2026-10 cannot be read, so the company's figures")
    allowed = _invoke(["rollup", MONTH, *offices, "--format", "json", "--allow-broken", "--out", out], True)
    assert str(broken) in allowed.stderr  # named, never silently left out
    total = as_json(allowed.stdout)["total"]
    assert total["left_out"] == {"count": 1, "files": [str(broken)], "offices": []}
    book = openpyxl.load_workbook(out)
    notes = [c.value for c in book["公司汇总"]["A"] if c.value and str(c.value).startswith("注意")]
    assert notes == ["注意：0 个管理处无法读取、1 个工单文件无法读取，未计入以上数字"]


def test_an_office_that_cannot_be_read_is_left_out_only_when_allowed(offices, tmp_path):
    missing = tmp_path / "gone"
    result = _invoke(["rollup", MONTH, *offices, missing, tmp_path / "also-gone"], False)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith("Error: 2 office(s) cannot be read")
    allowed = _invoke(["rollup", MONTH, *offices, missing, "--format", "json", "--allow-broken"], True)
    assert f"{missing}: no such folder" in allowed.stderr
    done = as_json(allowed.stdout)
    assert [o["site"] for o in done["offices"]] == ["AA", "BB", "CC"]
    assert done["total"]["left_out"]["offices"] == [f"{missing}: no such folder"]
    left_out = _invoke(["rollup", MONTH, *offices, missing, "--allow-broken"], True).stdout
    assert "note: 1 office(s) and 0 order file(s) cannot be read" in left_out


def test_ranks_go_by_targets_met_and_ties_share_a_rank():
    def report(site, passed, completion):
        return {"site": site, "targets": [{"passed": p} for p in passed], "completion_rate": completion,
                "satisfaction_rate": None}

    reports = [report("A", [True, False], 0.5), report("B", [True, True], 0.1), report("C", [True, False], 0.5),
               report("D", [True, None], 0.9), report("E", [None, None], None)]
    rolling.rank(reports)
    assert {r["site"]: r["rank"] for r in reports} == {"B": 1, "D": 2, "A": 3, "C": 3, "E": 5}


def test_read_by_worker_processes_the_same(offices, monkeypatch):
    one = as_json(_invoke(["rollup", MONTH, *offices, "--format", "json"], True).stdout)
    monkeypatch.setattr(rolling, "PARALLEL_FROM", 1)  # three offices: two worker processes, AA and CC in one
    assert as_json(_invoke(["rollup", MONTH, *offices, "--format", "json"], True).stdout) == one
