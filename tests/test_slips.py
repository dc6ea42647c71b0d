"""The repair slip (维修单) and message note (留言条), rendered from a real office's templates.

Golden files live in tests/golden/; after an intended layout change regenerate them with
REPAIRCTL_UPDATE_GOLDEN=1 pytest tests/test_slips.py and read the diff before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from wcwidth import wcswidth

from repairctl.errors import RepairError
from repairctl.office.folder import init_office, load_office
from repairctl.orders import reading, records
from repairctl.reports import slips
from repairctl.store import files

SAMPLE = Path(__file__).parent / "fixtures" / "HQ-000007.yaml"

# An owner who was out when the technician called: twice, so the note must give the last visit.
ABSENT = """\
id: HQ-000008
status: assigned
channel: walk-in
scope: unit
unit: 5栋0302
name: 李四
phone: '13900001111'
description: 卫生间灯不亮
item: E01
urgency: immediate
technician: 陈师傅
events:
  - {action: received, at: 2026-11-24T08:30:00+08:00, by: 王小红}
  - {action: assigned, at: 2026-11-24T08:32:00+08:00, by: 王小红, to: 陈师傅}
  - {action: absent, at: 2026-11-24T08:44:00+08:00, by: 陈师傅}
  - {action: absent, at: 2026-11-24T16:10:00+08:00, by: 陈师傅}
"""


@pytest.fixture
def office(tmp_path):
    return load_office(init_office(tmp_path / "office", "HQ"))


def file_order(office, text: str) -> records.Order:
    """Put an order file into the office, filed as repairctl files it, and read it back."""
    data = __import__("yaml").safe_load(text)
    received = records.Order(Path(), data, office.tz).received
    path = files.order_path(office.orders_dir, data["id"], received)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return reading.read(records.locate(office.orders_dir, data["id"]), office.tz)


@pytest.fixture
def order(office):
    return file_order(office, SAMPLE.read_text("utf-8"))




def test_text_slip_matches_golden(office, order, check_golden):
    check_golden("slip_HQ-000007.txt", slips.render_slip(office, order))


def test_html_slip_matches_golden(office, order, check_golden):
    check_golden("slip_HQ-000007.html", slips.render_slip(office, order, html=True))


def test_note_matches_golden(office, check_golden):
    note = slips.render_note(office, file_order(office, ABSENT))
    check_golden("note_HQ-000008.txt", note)
    assert "2026-11-24 16:10" in note and "08:44" not in note  # the last visit, not the first
    assert office.phone in note and "留言条" in note and "陈师傅" in note


def test_each_copy_names_itself_once(office, order):
    text = slips.render_slip(office, order)
    parts = text.split(slips.CUT)
    assert len(parts) == len(office.slip_copies) == 3
    for part, copy in zip(parts, office.slip_copies, strict=True):
        assert [c for c in office.slip_copies if c in part] == [copy]
        assert part.count(copy) == 1 and part.count("HQ-000007") == 1
    page = slips.render_slip(office, order, html=True)
    sections = page.split('<section class="copy">')[1:]
    assert [[c for c in office.slip_copies if c in s] for s in sections] == [[c] for c in office.slip_copies]


def test_chosen_copies_only(office, order):
    text = slips.render_slip(office, order, ["财务联"])
    assert "财务联" in text and "业户联" not in text and slips.CUT not in text


def test_text_slip_fields_and_alignment(office, order):
    text = slips.render_slip(office, order, ["业户联"])
    for expected in ("示例管理处", "维修单", "受理时间    2026-11-23 09:15", "3栋1201", "张三", "13812345678",
                     "■预约维修（2026-11-23 14:00）", "给排水类  更换普通水龙头（W01）", "李师傅",
                     "2026-11-23 13:58", "2026-11-23 14:30", "更换水龙头一个", "水龙头", "35.00", "3.00",
                     "材料小计       38.00", "-10.00", "赵总监（物业总监）", "费用合计（元）       48.00",
                     "修好了, 满意", "维修不收现金"):
        assert expected in text, expected
    lines = text.splitlines()
    assert max(wcswidth(line) for line in lines) <= 64
    column = [line for line in lines if line.startswith(("受理时间", "地址/单元", "到场时间"))]
    starts = {wcswidth(line[: line.index(label)])
              for line, label in zip(column, ("联系电话", "业户姓名", "完工时间"), strict=True)}
    assert starts == {32}  # the second label of each row lines up, Chinese counted two columns


def test_html_escapes_what_owners_typed(office, order):
    page = slips.render_slip(office, order, html=True)
    assert "&lt;b&gt;急&lt;/b&gt;" in page and "<b>急" not in page
    assert page.count("@media print") == 1 and "break-before: page" in page
    text = slips.render_slip(office, order, ["业户联"])
    assert "<b>急</b>" in text  # plain text is printed as typed


def test_pending_fee_prints_fee_pending(office, order):
    order.data["fee_pending"] = True
    assert "费用待定" in slips.render_slip(office, order, ["业户联"])
    assert "48.00" not in slips.render_slip(office, order, ["业户联"])
    assert "费用待定" in slips.render_slip(office, order, html=True)


def test_blank_fields_print_a_line_to_fill(office, order):
    for key in ("technician", "opinion", "signed_by", "materials", "labour", "waiver", "work"):
        order.data.pop(key)
    order.data["events"] = order.events[:1]
    text = slips.render_slip(office, order, ["存根联"])
    assert "维修人员    ________" in text and "维修人员签名  ________" in text
    assert "业户签名    ________" in text and "完工时间    ________" in text
    assert "费用合计（元）    ________" in text  # nothing priced yet: the fee is written by hand


def test_supplier_job_names_the_recommended_supplier(office, order):
    order.data.pop("item")
    order.data["supplier_job"] = "S01"
    text = slips.render_slip(office, order, ["业户联"])
    assert "推荐专业供应商：室外安装空调机（S01）\n" in text and "推荐供应商：海尔代理公司" in text
    order.data["supplier_job"] = "S03"  # the seed's table names nobody for it: the slip names nobody either
    text = slips.render_slip(office, order, ["业户联"])
    assert "推荐专业供应商：维修空调机（S03）\n" in text and "推荐供应商：" not in text


def test_unknown_copy_lists_the_configured_ones(office, order):
    with pytest.raises(RepairError) as caught:
        slips.render_slip(office, order, ["客户联"])
    message = str(caught.value)
    assert "客户联" in message and "业户联, 财务联, 存根联" in message and "\n" not in message


@pytest.mark.parametrize("name, html", [("slip.txt.j2", False), ("slip.html.j2", True)])
@pytest.mark.parametrize("source", ["{{ order.", "{{ no_such_field }}"])
def test_broken_template_names_the_file(office, order, name, html, source):
    (office.templates_dir / name).write_text(source, encoding="utf-8")
    with pytest.raises(RepairError) as caught:
        slips.render_slip(office, order, html=html)
    message = str(caught.value)
    assert str(office.templates_dir / name) in message and "\n" not in message


def test_missing_template_names_the_file(office, order):
    (office.templates_dir / "note.txt.j2").unlink()
    with pytest.raises(RepairError, match=r"templates/note\.txt\.j2 is missing"):
        slips.render_note(office, order)


def test_office_edits_its_own_templates(office, order):
    path = office.templates_dir / "note.txt.j2"
    path.write_text("{{ label.note_title }} {{ unit }}\n", encoding="utf-8")
    assert slips.render_note(office, order) == "留言条 3栋1201\n"


def test_template_misusing_a_filter_is_a_one_line_error(office, order):
    (office.templates_dir / "note.txt.j2").write_text("{{ unit|pad }}\n", encoding="utf-8")
    with pytest.raises(RepairError, match=r"note\.txt\.j2:1: pad\(\) .*; fix it"):
        slips.render_note(office, order)
