"""`export`: CSV that Excel opens with the Chinese intact, formulas defused, and that `import` reads back."""

from __future__ import annotations

import csv
import io

import pytest

from repairctl.office.folder import init_office
from repairctl.store import yamlio
from repairctl.text import headers


def read_back(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def new(clerk, unit, desc, *extra, name="张三", phone="13812345678", at="2026-10-05 09:00"):
    return clerk("new", "--unit", unit, "--name", name, "--phone", phone, "--desc", desc, "--at", at, *extra
                ).stdout.splitlines()[0]


def test_utf8_with_bom_crlf_and_chinese_headers(clerk, tmp_path):
    oid = new(clerk, "3栋1201", "厨房水龙头漏水", "--item", "W01")
    clerk("assign", oid, "--to", "李师傅", "--at", "2026-10-05 09:05")
    clerk("close", oid, "--signed-by", "业户", "--material", "水龙头:1:35", "--labour", "20", "--by", "李师傅",
          "--arrived-at", "2026-10-05 09:15", "--at", "2026-10-05 09:40")
    clerk("callback", oid, "--method", "phone", "--satisfied", "--at", "2026-10-05 15:00")
    out = tmp_path / "orders.csv"
    assert clerk("export", "-o", str(out)).stdout.strip() == f"wrote {out}: 1 order"
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 2 and data.count(b"\n") == 2
    (row,) = read_back(data)
    assert list(row) == list(headers.EXPORT.values())
    assert {k: row[k] for k in ("单号", "受理时间", "地址/单元", "业户姓名", "联系电话", "维修内容", "维修项目",
                                "维修人员", "状态")} == {
        "单号": oid, "受理时间": "2026-10-05 09:00", "地址/单元": "3栋1201", "业户姓名": "张三",
        "联系电话": '="13812345678"', "维修内容": "厨房水龙头漏水", "维修项目": "W01 更换普通水龙头",
        "维修人员": "李师傅", "状态": "已回访"}
    assert (row["完工时间"], row["材料费"], row["人工费"], row["费用合计"], row["回访结果"]) == (
        "2026-10-05 09:40", "35.00", "20.00", "55.00", "电话 满意")
    assert clerk("export").stdout_bytes == data  # without -o: the same bytes on stdout


def test_formulas_are_neutralised(clerk):
    for n, text in enumerate(['=HYPERLINK("http://x","点我")', "+1", "-2", "@SUM(A1)"]):
        new(clerk, f"{n}栋101", text, "--item", "E01", name="=cmd|' /C calc'!A0" if n == 0 else "张三")
    rows = read_back(clerk("export").stdout_bytes)
    assert [r["维修内容"] for r in rows] == ["'=HYPERLINK(\"http://x\",\"点我\")", "'+1", "'-2", "'@SUM(A1)"]
    assert rows[0]["业户姓名"] == "'=cmd|' /C calc'!A0"
    cells = [value for r in rows for key, value in r.items() if key != "联系电话"]
    assert all(not value.startswith(("=", "+", "-", "@")) for value in cells)
    assert {r["联系电话"] for r in rows} == {'="13812345678"'}  # a constant: what Excel shows as the text 13812345678


@pytest.mark.parametrize("typed, cell", [
    ("+86 139-1234-5678", '="13912345678"'),  # stored as 11 digits: no +, so no stray apostrophe
    ("0755 1234 5678", '="0755-12345678"'),
    ("+44 20 7946 0958", '="+44 20 7946 0958"'),  # a foreign number, as typed, and no apostrophe either
])
def test_phones_are_exported_as_text_excel_shows_as_typed(clerk, typed, cell):
    new(clerk, "3栋1201", "漏水", "--item", "W01", phone=typed)
    (row,) = read_back(clerk("export").stdout_bytes)
    assert row["联系电话"] == cell and "'" not in row["联系电话"]
    from repairctl.store import csvio

    assert csvio.restore(cell) == cell[2:-1]  # import reads the number back


def test_filters_are_those_of_list(clerk):
    first = new(clerk, "3栋1201", "漏水", "--item", "W01")
    new(clerk, "5栋302", "灯不亮", "--item", "E01", at="2026-11-02 08:00")
    clerk("assign", first, "--to", "李师傅", "--at", "2026-10-05 09:05")
    ids = lambda *args: [r["单号"] for r in read_back(clerk("export", *args).stdout_bytes)]  # noqa: E731
    assert ids() == ["HQ-000001", "HQ-000002"]
    assert ids("--month", "2026-11") == ["HQ-000002"]
    assert ids("--tech", "李师傅") == ids("--status", "assigned") == ids("--unit", "3栋 1201") == ["HQ-000001"]
    assert read_back(clerk("export", "--status", "cancelled").stdout_bytes) == []


def test_an_export_imports_into_a_new_office_as_it_was(clerk, tmp_path, make_clerk):
    new(clerk, "3栋1201", "厨房水龙头漏水", "--item", "W01")
    new(clerk, "5栋302", "-1楼车库灯不亮", "--item", "E03", "--emergency", name="李四", phone="+86 139-0000-1111")
    new(clerk, "3栋大堂", "大堂门锁坏了", "--item", "C01", "--public", "--channel", "staff", name="保安",
        phone="0755-12345678")
    new(clerk, "7栋803", "空调不制冷", "--item", "S03", "--appointment", "2026-10-06 10:00", "--channel", "walk-in")
    new(clerk, "9栋1", "墙面开裂", name="周九", phone="13600000000")
    sheet = tmp_path / "export.csv"
    clerk("export", "-o", str(sheet))
    fresh = make_clerk(init_office(tmp_path / "fresh", "SZ", "新管理处"))
    result = fresh("import", str(sheet))
    assert "imported 5 orders" in result.stdout and "单号" in result.stderr  # export-only columns left out

    def kept(root):
        keys = ("unit", "name", "phone", "description", "item", "supplier_job", "channel", "scope", "urgency",
                "appointment", "status")
        docs = [yamlio.load_fast(p) for p in sorted(root.glob("records/orders/*/*/*.yaml"))]
        return [({k: d.get(k) for k in keys}, d["events"][0]["at"], d["events"][0]["by"]) for d in docs]

    assert kept(fresh.root) == kept(clerk.root)
