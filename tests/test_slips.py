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
    for expected in ("示例管理处", "维修单", "受理时间    2026-11-23 09:15", "受理人      王小红", "受理方式    电话",
                     "区域        业户单元", "3栋1201", "张三", "联系电话    13812345678",
                     "■预约维修（2026-11-23 14:00）", "给排水类  更换普通水龙头（W01）", "维修时限    15分钟",
                     "派工时间    2026-11-23 09:20", "维修人员    李师傅", "要求到场时间  2026-11-23 14:00",
                     "要求完工时间  2026-11-24 14:00",
                     "2026-11-23 13:58", "2026-11-23 14:30", "更换水龙头一个", "水龙头", "35.00", "3.00",
                     "材料小计       38.00", "-10.00", "赵总监（物业总监）", "费用合计（元）       48.00",
                     "修好了, 满意", "业户签名      张三（已签）", "维修人员签名  李师傅（已签）",
                     "回访结果    2026-11-24 10:00  电话  满意（王小红）", "维修不收现金"):
        assert expected in text, expected
    assert text.count("日期  2026-11-23") == 2  # each signature with the day it was given
    assert "备注" not in text  # W01 has no remark: no empty remark line
    lines = text.splitlines()
    assert max(wcswidth(line) for line in lines) <= 64
    pairs = {"受理时间": "受理人", "受理方式": "区域", "地址/单元": "业户姓名", "派工时间": "维修人员",
             "到场时间": "完工时间"}
    column = [(line, pairs[first]) for line in lines for first in pairs if line.startswith(first)]
    assert len(column) == len(pairs)
    starts = {wcswidth(line[: line.index(label)]) for line, label in column}
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
    assert "业户签名      ________" in text and "完工时间    ________" in text
    assert "派工时间    ________" in text and "到场时间    ________" in text
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


# -- every box of the seeds' forms (issue 14 §1) ---------------------------------------------------

def at_dispatch(order: records.Order) -> records.Order:
    """The sample order as it stood when it was dispatched: received and assigned, nothing done yet."""
    for key in ("work", "materials", "labour", "waiver", "opinion", "callback"):
        order.data.pop(key)
    order.data["status"] = "assigned"
    order.data["events"] = order.events[:2]
    return order


def test_signature_boxes_are_blank_lines_while_the_job_is_open(office, order):
    at_dispatch(order)  # signed_by still in the file: only a close makes it a signature
    text = slips.render_slip(office, order, ["业户联"])
    assert "业户签名      ________" in text and "维修人员签名  ________" in text
    assert text.count("日期  ________") == 2
    assert "（已签）" not in text and "回访结果" not in text
    assert "维修人员    李师傅" in text  # the technician is named as dispatched, never as a signature


def test_a_reprint_after_the_close_marks_what_was_signed(office, order):
    text = slips.render_slip(office, order, ["业户联"])
    assert "业户签名      张三（已签）" in text and "维修人员签名  李师傅（已签）" in text
    order.data["events"][3]["by"] = "王小红"  # the clerk entered the close: no technician's signature on record
    text = slips.render_slip(office, order, ["业户联"])
    assert "维修人员签名  ________" in text and "业户签名      张三（已签）" in text
    assert text.count("日期  2026-11-23") == 1


def test_unsigned_prints_the_reason(office, order):
    order.data.pop("signed_by")
    order.data["unsigned"] = "业户不在家"
    text = slips.render_slip(office, order, ["业户联"])
    assert "业户签名      未签：业户不在家" in text and "张三（已签）" not in text


def test_a_public_area_speaks_of_the_caller_and_the_acceptor(office, order):
    order.data.update(scope="public", unit="3栋大堂", name="保安部王五", signed_by="赵工程主管")
    text = slips.render_slip(office, order, ["业户联"])
    assert "区域        公共区域" in text and "地址/单元   3栋大堂" in text
    assert "报修人      保安部王五" in text and "验收人签名    赵工程主管（已签）" in text and "验收意见" in text
    assert "业户" not in text.replace("【业户联】", "")  # the copy's own name is the office's setting
    page = slips.render_slip(office, order, html=True)
    assert "<th>报修人</th>" in page and "<th>验收人签名</th>" in page and "<th>业户签名</th>" not in page


def test_the_technician_prints_with_the_trade_from_staff_csv(office, order):
    (office.root / "records" / "staff.csv").write_text("姓名,工种\n李师傅,水工\n", encoding="utf-8")
    assert "维修人员    李师傅（水工）" in slips.render_slip(office, order, ["业户联"])
    assert "李师傅（工种：水工）" in slips.render_slip(office, order, html=True)


@pytest.mark.parametrize("item, limit, remark", [
    ("E08", "25分钟", "大型吊灯除外"),
    ("W04", "1小时内", "需声明若出现度量不准确与此清洗无关"),
    ("W09", "2小时内", "指难度不大的"),
    ("C09", "视维修部位定", "指小的维修"),
])
def test_the_item_prints_its_time_standard_and_remark(office, order, item, limit, remark):
    order.data["item"] = item
    text = slips.render_slip(office, order, ["业户联"])
    assert f"维修时限    {limit}\n" in text and f"备注        {remark}\n" in text
    page = slips.render_slip(office, order, html=True)
    assert f"<td>{limit}</td>" in page and f'<td class="remark">{remark}</td>' in page


def test_a_per_metre_standard_prints_the_quantity(office, order):
    order.data.update(item="E16", quantity=3)
    assert "维修时限    15分钟/米 × 3\n" in slips.render_slip(office, order, ["业户联"])
    order.data.pop("quantity")
    assert "维修时限    15分钟/米\n" in slips.render_slip(office, order, ["业户联"])


def test_required_times_come_from_the_clocks(office, order):
    at_dispatch(order)
    order.data.update(urgency="immediate")
    order.data.pop("appointment")
    text = slips.render_slip(office, order, ["业户联"])
    # an immediate repair: on site within 15 minutes of receipt, finished within 24 hours (000 §1.4, 标准1)
    assert "要求到场时间  2026-11-23 09:30" in text and "要求完工时间  2026-11-24 09:15" in text
    order.data["urgency"] = "emergency"  # by day: 10 minutes, finished within 2 hours (004 §5.2.7, 003 紧急)
    text = slips.render_slip(office, order, ["业户联"])
    assert "要求到场时间  2026-11-23 09:25" in text and "要求完工时间  2026-11-23 11:15" in text


def test_an_unsatisfied_callback_prints_its_reason_and_follow_up(office, order):
    order.data["callback"] = {"method": "visit", "satisfied": False, "reason": "仍有滴水"}
    order.data["events"][4].update(method="visit", satisfied=False)
    order.data["followup"] = "已安排返修"
    text = slips.render_slip(office, order, ["业户联"])  # wrapped at 64 columns, at a space
    assert "回访结果    2026-11-24 10:00  上门\n            不满意：仍有滴水（王小红）；跟进回访：已安排返修\n" in text


def test_many_slips_print_one_after_another(office, order):
    other = file_order(office, ABSENT)
    text = slips.render_slips(office, [order, other], ["存根联"])
    assert text.count(slips.CUT) == 1 and text.index("HQ-000007") < text.index("HQ-000008")
    page = slips.render_slips(office, [other, order], html=True)
    sections = page.split('<section class="copy">')[1:]
    assert len(sections) == 6 and page.count("<html") == 1 and page.count("@media print") == 1
    assert ["HQ-000008" in s for s in sections] == [True] * 3 + [False] * 3
    assert "break-before: page" in page  # every copy of every slip on a sheet of its own


def test_an_office_template_from_before_still_prints_one_slip(office, order):
    (office.templates_dir / "slip.html.j2").write_text("<p>{{ id }} {{ unit }} {{ label.title }}</p>\n", "utf-8")
    assert slips.render_slip(office, order, html=True) == "<p>HQ-000007 3栋1201 维修单</p>\n"
    with pytest.raises(RepairError, match=r"slip\.html\.j2 prints one order at a time .*take the new one \(cp "):
        slips.render_slips(office, [order, file_order(office, ABSENT)], html=True)  # the way out, never half a page


def test_the_default_templates_have_no_fault(office):
    assert slips.check_templates(office) == []


def test_public_area_slip_at_dispatch_matches_golden(office, order, check_golden):
    at_dispatch(order)
    order.data.update(scope="public", unit="3栋大堂", name="保安部王五", item="E08", urgency="emergency")
    order.data.pop("appointment")
    (office.root / "records" / "staff.csv").write_text("姓名,工种\n李师傅,水电工\n", encoding="utf-8")
    check_golden("slip_public_at_dispatch.txt", slips.render_slip(office, order, ["存根联"]))
