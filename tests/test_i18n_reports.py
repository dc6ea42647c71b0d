"""What list, show, new, overdue, monthly, check and their refusals say in Chinese, run as a clerk runs them.

Each command runs in a process of its own (test_i18n.run), where the language is chosen; the rest
of the suite reads these views in English. Every output is also searched for English left behind.
"""

from __future__ import annotations

import re

from babel.messages.extract import extract_from_dir

from tests.test_i18n import KEYWORDS, SOURCE, _po, run

# what may stay ASCII inside a Chinese line: commands in backticks or brackets, options, IDs, paths, numbers
ALLOWED = [r"`[^`]*`", r"repairctl [a-z]+(?: [A-Z][A-Z0-9-]*| --[a-z-]+(?: [A-Z]+)?)*", r"--[a-z-]+(?: \S+)?",
           r"\S*/\S*", r"[A-Z]+-\d+"]


def english_left(text: str) -> list[str]:
    """Runs of three or more English words outside commands, options, IDs and paths."""
    for pattern in ALLOWED:
        text = re.sub(pattern, " ", text)
    return re.findall(r"[A-Za-z]{2,}(?:[ ,'’]+[A-Za-z]{2,}){2,}", text)


def chinese(*args: str, clerk, status: int = 0, ours: str = "") -> str:
    """repairctl args in the clerk's office, in Chinese: stdout and stderr, with no English sentence left
    (ours: only in the lines holding it, the lines this area prints)."""
    done = run(*args, cwd=clerk.root)
    out = done.stdout + done.stderr
    assert done.returncode == status, out
    assert english_left("\n".join(line for line in out.splitlines() if ours in line)) == [], out
    return out


def test_list_and_show_speak_the_desks_words(clerk):
    oid = clerk.new(at="2026-10-05 09:00")
    clerk("assign", oid, "--to", "李师傅", "--at", "2026-10-05 09:10")
    listed = chinese("list", clerk=clerk)
    assert listed.splitlines()[0].split() == ["单号", "受理时间", "地址/单元", "维修内容", "维修项目", "维修人员",
                                              "状态"]
    assert "已派工" in listed
    card = chinese("show", oid, clerk=clerk)
    assert "状态       已派工" in card and "受理方式   电话" in card and "费用合计   0.00 元" in card
    assert "2026-10-05 09:10  王小红  派工" in card
    assert chinese("list", "--tech", "张师傅", clerk=clerk).strip() == "没有符合 --tech 张师傅 的维修单"


def test_new_suggests_items_in_chinese(clerk):
    out = chinese("new", "--unit", "2-201", "--name", "李四", "--phone", "13900001111", "--desc", "下水道堵了",
                  clerk=clerk)
    assert "建议维修项目（repairctl assign HQ-000001 --item CODE）：W09" in out
    assert "如属专业供应商项目（repairctl refer HQ-000001 --job CODE）：S16" in out


def test_overdue_says_late_and_left_in_chinese(clerk):
    assert chinese("overdue", "--at", "2026-10-05 10:00", clerk=clerk).strip() == "没有超时或临期的事项"
    late = clerk.new(at="2026-10-05 10:00")
    clerk("assign", late, "--to", "李师傅", "--at", "2026-10-05 10:01")
    soon = clerk.new("--force", at="2026-10-05 10:30")
    lines = chinese("overdue", "--at", "2026-10-05 12:35", clerk=clerk, status=1).splitlines()
    assert lines[0].split() == ["单号", "地址/单元", "时限", "到期时间", "超时/剩余", "责任人"]
    assert lines[2].startswith(late) and "超时 2小时20分钟" in lines[2] and "李师傅" in lines[2]
    assert any(line.startswith(soon) and "超时 1小时50分钟" in line and "客服" in line for line in lines)


def test_monthly_summary_and_provenance_in_chinese(clerk, october):
    text = chinese("monthly", "2026-10", clerk=clerk)
    assert text.startswith("测试管理处 维修服务月度统计 2026-10（2026-10-01 至 2026-10-31）\n")
    assert "受理单数 12" in text and "未达标" in text and "应抽样回访 2户（30%）" in text
    assert "回访不满意：HQ-000003 3栋1202 王师傅 到场太慢" in text and "数据来源：提交 " in text


def test_report_refusals_in_chinese(clerk, tmp_path):
    clerk.new(at="2026-10-05 09:00")
    bogus = chinese("monthly", "2026-10", "--as-of", "no-such-thing", clerk=clerk, status=1)
    assert "--as-of 'no-such-thing' 既不是这里 git 认得的提交，也不是时间" in bogus
    assert "例如 '2026-10-31 18:00'" in bogus
    paper = tmp_path / "月报.xlsx"
    paper.write_text("不是工作簿", encoding="utf-8")
    assert "月报.xlsx：无法作为 Excel 工作簿读取；请给 `repairctl monthly MONTH --out FILE.xlsx` 写出的 .xlsx 文件" in \
        chinese("monthly", "--verify", str(paper), clerk=clerk, status=1)
    copy = chinese("slip", "HQ-000001", "--copy", "第九联", clerk=clerk, status=1)
    assert "没有 '第九联' 这一联；本管理处打印的是 " in copy and "（office.yaml 的 slip_copies）" in copy


def test_check_names_a_missing_template_and_a_rejudging_edit_in_chinese(clerk):
    (clerk.root / "templates" / "note.txt.j2").unlink()
    config = clerk.root / "office.yaml"
    config.write_text(config.read_text("utf-8").replace("timezone: Asia/Shanghai", "timezone: Asia/Tokyo"), "utf-8")
    out = chinese("check", clerk=clerk, status=1, ours=":1: ")  # check's own lines are cli's, translated there
    assert "note.txt.j2:1:1: 模板不见了；请从新建的管理处（`repairctl init`）复制一份，或用 git 恢复" in out
    assert "警告：timezone 由 Asia/Shanghai 改为 Asia/Tokyo：每张维修单的时间" in out


def test_this_areas_translations_keep_their_placeholders():
    # a msgstr naming another placeholder than its msgid would raise KeyError in .format at run time
    def names(text):
        return sorted(set(re.findall(r"(?<!\{)\{(\w+)\}(?!\})", text)))

    catalog = _po()
    found = {message if isinstance(message, str) else message[0]
             for _file, _line, message, _comments, _context in extract_from_dir(
                 str(SOURCE / "reports"), method_map=[("**.py", "python")], keywords=KEYWORDS)}
    assert len(found) > 60
    for msgid in found:
        entry = catalog.get(msgid)
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for text in (*ids[1:], *strings):
            assert names(text) == names(ids[0]), (msgid, text)
