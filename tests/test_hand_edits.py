"""A file a clerk wrote by hand keeps its comments, key order and layout through commands."""

from __future__ import annotations

import os

from repairctl.orders.lifecycle import set_field
from repairctl.store import yamlio

HAND_WRITTEN = """\
# 纸质维修单补录 — 王小红 10月6日
id: HQ-000001
status: received
unit: 7栋 803      # 业户说门铃坏了, 走楼梯
name: 陈先生
phone: "13700001111"
description: 卫生间洗手盆下水管漏水
item: W08
channel: phone
scope: unit
urgency: immediate

# 以下为系统记录
events:
  - {action: received, at: 2026-10-06T08:30:00+08:00, by: 王小红}
"""


def test_comments_survive_assign_and_close(clerk, check_golden, place):
    path = place(clerk, HAND_WRITTEN)
    clerk("assign", "HQ-000001", "--to", "李师傅", "--at", "2026-10-06 08:40")
    clerk("visit", "HQ-000001", "--arrived", "--at", "2026-10-06 08:55")
    clerk("close", "HQ-000001", "--work", "更换下水管", "--material", "下水管:1:18.5", "--labour", "15",
         "--opinion", "满意", "--signed-by", "陈先生", "--at", "2026-10-06 09:30")
    text = path.read_text(encoding="utf-8")
    assert "# 纸质维修单补录 — 王小红 10月6日" in text and "# 业户说门铃坏了, 走楼梯" in text
    assert "# 以下为系统记录" in text and 'phone: "13700001111"' in text
    check_golden("hand_written_after_close.yaml", text)


def test_an_edit_applied_twice_is_a_no_op(tmp_path):
    path = tmp_path / "order.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    with yamlio.edit(path) as doc:
        set_field(doc, "technician", "李师傅")
    once = path.read_bytes()
    with yamlio.edit(path) as doc:
        set_field(doc, "technician", "李师傅")
    assert path.read_bytes() == once
    assert path.read_text(encoding="utf-8").count("technician") == 1


def test_untouched_file_is_not_rewritten(tmp_path):
    path = tmp_path / "order.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    os.utime(path, ns=(10**18, 10**18))  # 2001: a rewrite moves it, even in the clock tick of the write above
    before = path.stat()
    with yamlio.edit(path):
        pass
    after = path.stat()
    assert (after.st_mtime_ns, after.st_ino) == (before.st_mtime_ns, before.st_ino)  # not written, not replaced


def test_bom_and_crlf_are_kept(tmp_path):
    path = tmp_path / "order.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + HAND_WRITTEN.replace("\n", "\r\n").encode("utf-8"))
    assert yamlio.load_fast(path)["unit"] == "7栋 803"
    with yamlio.edit(path) as doc:
        set_field(doc, "technician", "李师傅")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert b"technician: \xe6\x9d\x8e" in data


def test_long_chinese_text_is_not_folded(tmp_path):
    path = tmp_path / "order.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    with yamlio.edit(path) as doc:
        set_field(doc, "work", "拆除旧下水管并更换新管" * 20)
    assert any(line.startswith("work: 拆除旧下水管") and len(line) > 200
               for line in path.read_text("utf-8").splitlines())
