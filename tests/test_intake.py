"""`import`: an intake sheet becomes orders, all of them in one commit, or none at all."""

from __future__ import annotations

import json
from pathlib import Path

from repairctl.store import yamlio

HEADER = "单元,业户姓名,联系电话,维修内容,项目代码,受理方式,紧急,预约时间,受理时间,经办人"
ROWS = [
    "3栋1201,张三,13812345678,厨房水龙头漏水,W01,电话,否,,2026-10-05 09:00,刘芳",
    "5栋302,李四,139-0000-1111,客厅灯不亮,E01,来访,是,,2026-10-05 09:20,刘芳",
    "7栋803,陈先生,13700001111,马桶漏水,,网上,,2026-10-06 10:00,2026-10-05 09:40,",
]


def sheet(tmp_path: Path, lines: list[str], name: str = "day.csv", *, encoding: str = "utf-8",
          newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(newline.join(lines).encode(encoding) + newline.encode())
    return path


def order_files(clerk) -> list[Path]:
    return sorted(clerk.root.glob("records/orders/*/*/*.yaml"))


def test_a_chinese_sheet_becomes_orders_in_one_commit(clerk, tmp_path, clerk_name):
    commits = int(clerk.git("rev-list", "--count", "HEAD"))
    result = clerk("import", str(sheet(tmp_path, [HEADER, *ROWS])))
    assert result.stdout.splitlines()[:3] == ["HQ-000001  row 2  3栋1201  厨房水龙头漏水  W01",
                                              "HQ-000002  row 3  5栋302  客厅灯不亮  E01",
                                              "HQ-000003  row 4  7栋803  马桶漏水"]
    assert "imported 3 orders" in result.stdout
    assert int(clerk.git("rev-list", "--count", "HEAD")) == commits + 1
    assert clerk.git("log", "-1", "--format=%an|%s") == f"{clerk_name}|import day.csv: 3 orders\n"
    committed = clerk.git("show", "--name-only", "--format=", "HEAD").split()
    assert committed == [f"records/orders/2026/10/HQ-00000{n}.yaml" for n in (1, 2, 3)]
    assert clerk.git("status", "--porcelain") == ""
    first, second, third = (yamlio.load_fast(path) for path in order_files(clerk))
    assert (first["unit"], first["name"], first["phone"], first["item"]) == ("3栋1201", "张三", "13812345678", "W01")
    assert first["events"][0] == {"action": "received", "at": "2026-10-05T09:00:00+08:00", "by": "刘芳"}
    assert (second["channel"], second["urgency"]) == ("walk-in", "emergency")
    assert (third["channel"], third["urgency"], third["appointment"]) == (
        "online", "appointment", "2026-10-06T10:00:00+08:00")
    assert third["events"][0]["by"] == clerk_name  # an empty 经办人 cell: the one importing


def test_english_headers_with_a_bom_and_crlf(clerk, tmp_path):
    lines = ["unit,name,phone,description,item,channel,emergency,public,at,by",
             "3栋大堂,物业前台,0755-12345678,大堂灯不亮,E01,staff,no,yes,2026-10-05 08:00,",
             "2栋101,王五,13800000000,门锁坏了,C01,written,0,0,,"]
    path = tmp_path / "log.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    clerk("import", str(path), "--at", "2026-10-05 09:00")
    lobby, door = (yamlio.load_fast(p) for p in order_files(clerk))
    assert (lobby["scope"], lobby["channel"], lobby["unit"]) == ("public", "staff", "3栋大堂")
    assert door["events"][0]["at"] == "2026-10-05T09:00:00+08:00"  # no 受理时间: --at


def test_a_gb18030_sheet_from_chinese_excel_is_read_and_said_so(clerk, tmp_path):
    path = sheet(tmp_path, [HEADER, ROWS[0]], encoding="gb18030", newline="\r\n")
    result = clerk("import", str(path))
    assert "GB18030" in result.stderr
    assert yamlio.load_fast(order_files(clerk)[0])["description"] == "厨房水龙头漏水"


def test_one_bad_row_and_nothing_is_created(clerk, tmp_path, snapshot):
    clerk.new(at="2026-10-04 08:00")  # HQ-000001: 3栋1201 W01, still open
    lines = [HEADER,
             "6栋101,赵六,13800000000,灯不亮,E01,,,,2026-10-05 09:00,",
             "6栋102,钱七,12345,灯不亮,E01,,,,2026-10-05 09:00,",      # row 3: phone
             "6栋103,孙八,13800000000,,ZZ,传真,也许,,2026-10-05 09:00,",   # row 4: four problems
             "3栋1201,张三,13812345678,又漏了,W01,,,,2026-10-05 09:00,",  # row 5: open order HQ-000001
             "6栋101,赵六,13800000000,还是不亮,E01,,,,2026-10-05 10:00,"]  # row 6: same as row 2
    before = snapshot(clerk)
    result = clerk("import", str(sheet(tmp_path, lines)), ok=False)
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors[0] == ("day.csv:3:联系电话: '12345' is not a phone number; write a mobile like 13812345678 "
                         "or a landline like 0755-12345678").replace("day.csv", str(tmp_path / "day.csv"))
    located = [line.removeprefix(str(tmp_path) + "/").split(": ")[0] for line in errors[:-1]]
    assert located == ["day.csv:3:联系电话", "day.csv:4:维修内容", "day.csv:4:项目代码", "day.csv:4:受理方式",
                       "day.csv:4:紧急", "day.csv:5:项目代码", "day.csv:6:项目代码"]
    assert "HQ-000001" in errors[5] and "row 2" in errors[6]
    assert errors[-1] == f"Error: 7 problem(s) in {tmp_path / 'day.csv'}; nothing was imported"
    assert snapshot(clerk) == before


def test_unknown_and_missing_columns_are_named(clerk, tmp_path, snapshot):
    before = snapshot(clerk)
    result = clerk("import", str(sheet(tmp_path, ["单元,业户姓名,维修内容,楼层", "3栋1201,张三,漏水,12"])), ok=False)
    assert result.exit_code == 1
    assert ":1:楼层: unknown column '楼层'" in result.stderr
    assert ":1:电话: no 电话 (phone) column" in result.stderr
    assert snapshot(clerk) == before


def test_dry_run_lists_and_writes_nothing(clerk, tmp_path, snapshot):
    path = sheet(tmp_path, [HEADER, *ROWS])
    before = snapshot(clerk)
    result = clerk("import", str(path), "--dry-run")
    assert result.stdout.splitlines() == ["row 2  3栋1201  厨房水龙头漏水  W01", "row 3  5栋302  客厅灯不亮  E01",
                                          "row 4  7栋803  马桶漏水",
                                          "would import 3 orders from day.csv; nothing written (--dry-run)"]
    assert snapshot(clerk) == before
    bad = sheet(tmp_path, [HEADER, *ROWS, "8栋1,周九,1,漏水,W01,,,,,"], name="bad.csv")
    result = clerk("import", str(bad), "--dry-run", "--format", "json", ok=False)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [o["row"] for o in report["orders"]] == [2, 3, 4] and report["imported"] == 0
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(5, "联系电话")]
    assert snapshot(clerk) == before


def test_force_allows_the_same_unit_and_item_twice(clerk, tmp_path):
    path = sheet(tmp_path, [HEADER, ROWS[0], ROWS[0].replace("厨房水龙头漏水", "卫生间水龙头漏水")])
    assert "row 2 is already 3栋1201 W01" in clerk("import", str(path), ok=False).stderr
    clerk("import", str(path), "--force")
    assert len(order_files(clerk)) == 2


def test_cells_excel_protected_with_a_quote_come_back_as_typed(clerk, tmp_path):
    clerk("import", str(sheet(tmp_path, [HEADER, "3栋1201,张三,13812345678,'-1楼水管漏水,W07,,,,,"])))
    assert yamlio.load_fast(order_files(clerk)[0])["description"] == "-1楼水管漏水"


def test_an_export_column_is_left_out_with_a_note(clerk, tmp_path):
    result = clerk("import", str(sheet(tmp_path, ["单号,状态," + HEADER, "HQ-000077,已完工," + ROWS[0]])))
    assert "columns left out" in result.stderr and "单号" in result.stderr
    assert [p.stem for p in order_files(clerk)] == ["HQ-000001"]


def test_a_future_time_and_a_bad_time_are_refused(clerk, tmp_path):
    lines = [HEADER, ROWS[0].replace("2026-10-05 09:00", "2099-01-01 09:00"),
             ROWS[1].replace("2026-10-05 09:20", "昨天")]
    errors = clerk("import", str(sheet(tmp_path, lines)), ok=False).stderr
    assert ":2:受理时间: 2099-01-01 09:00 is in the future" in errors
    assert ":3:受理时间: cannot read 受理时间 '昨天'" in errors
    assert not order_files(clerk)


def test_git_refusing_the_commit_removes_every_file(clerk, tmp_path, snapshot, no_lock_wait):
    path = sheet(tmp_path, [HEADER, *ROWS])
    before = snapshot(clerk)
    lock = clerk.root / ".git" / "index.lock"
    lock.write_text("")
    result = clerk("import", str(path), ok=False)
    lock.unlink()
    assert result.exit_code == 1 and "index.lock" in result.output
    assert not order_files(clerk)
    assert snapshot(clerk) == before


def test_a_killed_import_is_reported_and_recovered_in_one_commit(clerk, tmp_path, slow_commands):
    path = sheet(tmp_path, [HEADER, *ROWS])
    commits = int(clerk.git("rev-list", "--count", "HEAD"))
    proc = slow_commands.start("import", str(path))
    slow_commands.kill_when(proc, lambda: len(order_files(clerk)) == 3)
    check = clerk("check", ok=False)
    assert check.exit_code == 1 and "interrupted `import day.csv` left 3 new order files uncommitted" in check.output
    refused = clerk("new", "--unit", "1-1", "--name", "x", "--phone", "13900000000", "--desc", "灯", ok=False)
    assert refused.exit_code == 1 and "recover" in refused.output
    # the last line: killed in its commit, it left git's index lock too, which recover removes first
    assert clerk("recover").output.splitlines()[-1] == "committed: import day.csv: 3 orders"
    assert int(clerk.git("rev-list", "--count", "HEAD")) == commits + 1
    assert len(clerk.git("show", "--name-only", "--format=", "HEAD").split()) == 3
    assert clerk.git("status", "--porcelain") == "" and clerk("check").stdout.strip() == "ok"


def test_an_import_cut_short_is_undone_by_recover(clerk, tmp_path, clerk_name):
    clerk("import", str(sheet(tmp_path, [HEADER, *ROWS])))
    clerk.git("reset", "-q", "--soft", "HEAD~1")
    clerk.git("rm", "-q", "--cached", "-r", "records/orders/2026")
    written = order_files(clerk)[:2]
    order_files(clerk)[2].unlink()  # the kill came before the third file was written
    paths = [str(p.relative_to(clerk.root)) for p in written] + ["records/orders/2026/10/HQ-000003.yaml"]
    note = {"path": paths[0], "paths": paths, "message": "import day.csv: 3 orders", "author": clerk_name,
            "when": "2026-10-05T10:00:00+08:00"}
    (clerk.root / ".repairctl" / "journal.json").write_text(json.dumps(note, ensure_ascii=False))
    assert "interrupted `import day.csv`" in clerk("check", ok=False).output
    assert clerk("recover").output.startswith("undone: `import day.csv` was cut short after 2 of 3 files")
    assert not order_files(clerk) and clerk.git("status", "--porcelain") == ""
    assert clerk("recover").output.strip() == "nothing to recover"


def test_rows_are_checked_against_the_owner_registry(clerk, tmp_path):
    (clerk.root / "records" / "units.csv").write_text("单元,业户姓名,电话\n3栋1201,张三,13812345678\n", "utf-8")
    clerk.git("add", "records/units.csv")
    clerk.git("commit", "-q", "-m", "units")
    lines = ["单元,业户姓名,电话,维修内容", "3栋1201,李四,13812345678,漏水", "3栋1201,,13812345678,灯不亮"]
    errors = clerk("import", str(sheet(tmp_path, lines)), ok=False).stderr
    assert ":2:业户姓名: 李四 is not an owner of 3栋1201 on record" in errors
    clerk("import", str(sheet(tmp_path, [lines[0], lines[2]], name="ok.csv")))
    assert yamlio.load_fast(order_files(clerk)[0])["name"] == "张三"


def test_a_workbook_or_an_empty_sheet_is_one_clear_line(clerk, tmp_path):
    workbook = tmp_path / "day.xlsx"
    workbook.write_bytes(b"PK\x03\x04" + bytes(range(256)))
    result = clerk("import", str(workbook), ok=False)
    assert result.exit_code == 1 and "an Excel workbook, not CSV" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "no rows below the header" in clerk("import", str(sheet(tmp_path, [HEADER])), ok=False).output
    assert "no header row" in clerk("import", str(sheet(tmp_path, [""], name="empty.csv")), ok=False).output
    assert not order_files(clerk)
