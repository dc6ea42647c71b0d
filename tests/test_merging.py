"""merging.merge on texts: one order changed on two machines, merged by its events or kept as a conflict."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from repairctl.office.catalogue import load_catalogue
from repairctl.office.folder import DEFAULTS
from repairctl.orders import conflict, merging, records, rules
from repairctl.store import yamlio

TZ = ZoneInfo("Asia/Shanghai")
PATH = Path("records/orders/2026/11/HQ-000001.yaml")

BASE = """\
# 维修单 HQ-000001: edit by hand if you must, then run `repairctl check`
id: HQ-000001
status: received
channel: phone
scope: unit
unit: 3栋1201    # 业户说厨房, 走东门
name: 张三
phone: '13812345678'
description: 厨房水龙头漏水
item: W01
urgency: immediate
events:
  - {action: received, at: 2026-11-20T09:00:00+08:00, by: 王小红}  # 电话报修
"""
ASSIGNED = "  - {action: assigned, at: 2026-11-20T09:05:00+08:00, by: 王小红, to: 李师傅}\n"


def changed(text: str, *events: str, status: str | None = None, **fields: str) -> str:
    """text with events appended, its status set, and fields set (an existing one in place, a new one
    above `events:`)."""
    lines = text.splitlines(keepends=True)
    for key, value in fields.items():
        found = [n for n, line in enumerate(lines) if line.startswith(f"{key}:")]
        if found:
            lines[found[0]] = f"{key}: {value}\n"
        else:
            lines.insert(lines.index("events:\n"), f"{key}: {value}\n")
    if status:
        lines = [f"status: {status}\n" if line.startswith("status:") else line for line in lines]
    return "".join(lines) + "".join(events)


def assigned(text: str = BASE) -> str:
    return changed(text, ASSIGNED, status="assigned", technician="李师傅")


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    root = tmp_path_factory.mktemp("office")
    for name in ("catalog.yaml", "suppliers.yaml"):
        (root / name).write_bytes((DEFAULTS / name).read_bytes())
    return load_catalogue(root)


def readable(text: str, catalogue) -> records.Order:
    """The order a merged text holds, after it passed every rule but the conflict warning; no markers (a
    broken version kept whole under `conflict:` is indented data, no line of the file's own)."""
    assert not [line for line in text.splitlines() if line.startswith(("<<<<<<<", "=======", ">>>>>>>"))]
    data = yamlio.parse(text, PATH)
    path = Path(f"records/orders/{data['events'][0]['at'][:7].replace('-', '/')}/HQ-000001.yaml")
    found = [f for f in rules.check_order_data(data, path, TZ, catalogue) if f.rule not in rules.WARNINGS]
    assert found == [], found
    return records.Order(path, data, TZ)


def actions(order: records.Order) -> list[str]:
    return [event["action"] for event in order.events]


# --- compatible changes: one order, the events of both sides --------------------------------------------


def test_one_side_assigned_the_other_rescheduled(catalogue):
    ours = assigned()
    theirs = changed(BASE, "  - {action: rescheduled, at: 2026-11-20T09:03:00+08:00, by: 刘芳, "
                           "to: 2026-11-21T10:00:00+08:00}\n", appointment="2026-11-21T10:00:00+08:00")
    merged = merging.merge(BASE, ours, theirs, TZ)
    assert merged.conflict is None
    order = readable(merged.text, catalogue)
    assert actions(order) == ["received", "rescheduled", "assigned"]  # by time, not by side
    assert (order.status, order.get("technician"), order.get("appointment")) == \
        ("assigned", "李师傅", "2026-11-21T10:00:00+08:00")
    # ours' layout and comments stand
    assert "unit: 3栋1201    # 业户说厨房, 走东门\n" in merged.text and "by: 王小红}  # 电话报修\n" in merged.text
    assert merged.text.startswith("# 维修单 HQ-000001")


def test_both_sides_took_different_steps(catalogue):
    base = changed(assigned(), "  - {action: arrived, at: 2026-11-20T09:20:00+08:00, by: 李师傅}\n",
                   "  - {action: finished, at: 2026-11-20T09:50:00+08:00, by: 李师傅}\n",
                   status="finished", labour="20", fee_pending="true")
    ours = changed(base, "  - {action: called_back, at: 2026-11-21T15:00:00+08:00, by: 王小红, method: phone, "
                         "satisfied: true}\n", status="called_back", callback="{method: phone, satisfied: true}")
    theirs = changed(base, "  - {action: fee_settled, at: 2026-11-21T14:00:00+08:00, by: 赵主管, amount: 15}\n",
                     fee_pending="false", fee_settled="15")
    merged = merging.merge(base, ours, theirs, TZ)
    order = readable(merged.text, catalogue)
    assert actions(order)[-2:] == ["fee_settled", "called_back"]
    assert order.status == "called_back" and order.get("fee_pending") is False
    assert order.get("fee_settled") == 15 and order.get("callback") == {"method": "phone", "satisfied": True}


def test_the_same_event_on_both_sides_is_kept_once(catalogue):
    # one paper slip typed in on both machines, then each went on
    ours = changed(assigned(), "  - {action: arrived, at: 2026-11-20T09:20:00+08:00, by: 李师傅}\n", status="arrived")
    theirs = changed(assigned().replace("# 电话报修", "# 电话报修, 业户在家"),
                     "  - {action: absent, at: 2026-11-20T09:15:00+08:00, by: 李师傅}\n")
    merged = merging.merge(BASE, ours, theirs, TZ)
    order = readable(merged.text, catalogue)
    assert actions(order) == ["received", "assigned", "absent", "arrived"] and merged.conflict is None
    assert order.status == "arrived" and "# 电话报修\n" in merged.text  # ours' comment: both changed it, ours kept
    assert merging.merge(BASE, ours, ours.replace("# 电话报修", "# 电话"), TZ).text == ours


def test_a_field_one_side_removed_is_removed_and_two_reschedules_keep_the_later(catalogue):
    base = changed(BASE, appointment="2026-11-21T10:00:00+08:00", urgency="appointment")

    def rescheduled(at: str, to: str) -> str:
        return changed(base, f"  - {{action: rescheduled, at: {at}, by: 王小红, from: 2026-11-21T10:00:00+08:00, "
                             f"to: {to}}}\n", appointment=to)

    ours = rescheduled("2026-11-20T11:00:00+08:00", "2026-11-22T09:00:00+08:00")
    theirs = rescheduled("2026-11-20T10:00:00+08:00", "2026-11-23T09:00:00+08:00").replace("name: 张三\n", "")
    merged = merging.merge(base, ours, theirs, TZ)
    order = readable(merged.text, catalogue)
    assert order.get("appointment") == "2026-11-22T09:00:00+08:00"  # ours' reschedule came later
    assert "name" not in order.data
    swapped = readable(merging.merge(base, theirs, ours, TZ).text, catalogue)
    assert swapped.get("appointment") == "2026-11-22T09:00:00+08:00"


def test_a_field_an_event_set_follows_the_side_that_recorded_it(catalogue):
    """A dispatch (or reschedule) back to the value the ancestor had is a change all the same: the merged
    field never disagrees with the merged events (seen in tests/test_week.py, seed 5)."""
    def event(at: str, by: str, to: str) -> str:
        return f"  - {{action: assigned, at: 2026-11-20T{at}:00+08:00, by: {by}, to: {to}}}\n"

    base = assigned()  # 李师傅, by 王小红 at 09:05
    ours = changed(base, event("10:00", "周丽", "王师傅"), technician="王师傅")  # dispatched again
    # theirs dispatched 李师傅 again later (a clerk who had not seen ours'), and finished the job
    theirs = changed(base, event("11:00", "刘芳", "李师傅"), "  - {action: finished, at: 2026-11-20T11:30:00+08:00, "
                     "by: 刘芳}\n", status="finished", fee_pending="false")
    assert "维修人员 在 ours 中为 王师傅，在 theirs 中为 李师傅" in contradicted(base, ours, theirs, catalogue)
    # one side alone dispatched again, after taking in a dispatch the other side made: that side's technician
    both = changed(base, event("10:00", "周丽", "王师傅"), technician="王师傅")
    later = changed(both, event("12:00", "刘芳", "李师傅"), technician="李师傅")
    merged = merging.merge(BASE, both, later, TZ)
    assert merged.conflict is None and readable(merged.text, catalogue).get("technician") == "李师傅"
    # a reschedule back to the ancestor's time, later than the other side's: the later one stands
    first = changed(BASE, appointment="2026-11-21T10:00:00+08:00", urgency="appointment")
    moved = changed(first, "  - {action: rescheduled, at: 2026-11-20T10:00:00+08:00, by: 王小红, "
                           "from: 2026-11-21T10:00:00+08:00, to: 2026-11-22T09:00:00+08:00}\n",
                    appointment="2026-11-22T09:00:00+08:00")
    back = changed(first, "  - {action: rescheduled, at: 2026-11-20T11:00:00+08:00, by: 刘芳, "
                          "from: 2026-11-21T10:00:00+08:00, to: 2026-11-21T10:00:00+08:00}\n")
    for ours_side, theirs_side in ((moved, back), (back, moved)):
        order = readable(merging.merge(first, ours_side, theirs_side, TZ).text, catalogue)
        assert order.get("appointment") == "2026-11-21T10:00:00+08:00"


def test_merging_twice_changes_nothing(catalogue):
    theirs = changed(BASE, "  - {action: rescheduled, at: 2026-11-20T09:03:00+08:00, by: 刘芳, "
                           "to: 2026-11-21T10:00:00+08:00}\n", appointment="2026-11-21T10:00:00+08:00")
    once = merging.merge(BASE, assigned(), theirs, TZ).text
    assert merging.merge(BASE, once, theirs, TZ).text == once
    assert merging.merge(theirs, once, theirs, TZ).text == once


def test_a_windows_file_keeps_its_line_ends(catalogue):
    ours = assigned().replace("\n", "\r\n")
    theirs = changed(BASE, "  - {action: rescheduled, at: 2026-11-20T09:03:00+08:00, by: 刘芳, "
                           "to: 2026-11-21T10:00:00+08:00}\n", appointment="2026-11-21T10:00:00+08:00")
    text = merging.merge(BASE, ours, theirs, TZ).text
    assert text.count("\r\n") == text.count("\n") and readable(text, catalogue).status == "assigned"


HAND_WRITTEN = """\
# 纸质维修单补录 — 王小红 10月6日
id: HQ-000001
status: finished
unit: 7栋 803      # 业户说门铃坏了, 走楼梯
name: 陈先生
phone: "13700001111"
description: |
  卫生间洗手盆下水管漏水,
  楼下天花板有水渍
item: W08
channel: phone
scope: unit
urgency: immediate
technician: 李师傅
work: 更换下水管
materials:
  - {name: 下水管, qty: 1, unit_price: 18.5}
labour: 15
fee_pending: true   # 主管定价

# 以下为系统记录
events:
  - {action: received, at: 2026-10-06T08:30:00+08:00, by: 王小红}
  - {action: assigned, at: 2026-10-06T08:40:00+08:00, by: 王小红, to: 李师傅}
  - action: arrived     # 师傅电话告知
    at: 2026-10-06T08:55:00+08:00
    by: 王小红
  - {action: finished, at: 2026-10-06T09:30:00+08:00, by: 王小红}
"""


def test_a_hand_written_order_merged(catalogue, check_golden):
    hand = HAND_WRITTEN
    ours = changed(hand, "  - {action: called_back, at: 2026-10-06T16:00:00+08:00, by: 王小红, method: phone, "
                         "satisfied: true}\n", status="called_back", callback="{method: phone, satisfied: true}")
    theirs = changed(hand, "  - {action: fee_settled, at: 2026-10-06T12:00:00+08:00, by: 赵主管, amount: 30}"
                           "   # 主管审定\n", fee_settled="30", fee_pending="false")
    merged = merging.merge(hand, ours, theirs, TZ)
    assert merged.conflict is None and readable(merged.text, catalogue).status == "called_back"
    check_golden("merged_hand_written.yaml", merged.text)


# --- contradictions: ours stands, theirs kept whole beside it --------------------------------------------


def contradicted(base: str, ours: str, theirs: str, catalogue) -> str:
    """The merge's reason, after checking it kept ours as it was plus the block, with theirs' exact text."""
    merged = merging.merge(base, ours, theirs, TZ)
    assert merged.conflict and "\n" not in merged.conflict
    assert conflict.removed(merged.text) == ours  # ours, byte for byte, under the block
    data = yamlio.parse(merged.text)
    assert data["conflict"] == {"reason": merged.conflict, "theirs": theirs}
    readable(merged.text, catalogue)
    warned = rules.check_order_data(data, PATH, TZ, catalogue)
    assert [f.rule for f in warned] == ["conflict"] and "resolve HQ-000001 --take ours|theirs" in warned[0].message
    assert merging.merge(base, merged.text, theirs, TZ).text == merged.text  # merging twice: the same
    return merged.conflict


def test_cancelled_on_one_side_closed_on_the_other(catalogue):
    base = assigned()
    ours = changed(base, "  - {action: finished, at: 2026-11-20T10:00:00+08:00, by: 李师傅}\n", status="finished",
                   work="换水龙头", fee_pending="false")
    theirs = changed(base, "  - {action: cancelled, at: 2026-11-20T09:30:00+08:00, by: 刘芳, reason: 业户取消}\n",
                     status="cancelled", cancel_reason="业户取消")
    reason = contradicted(base, ours, theirs, catalogue)
    # a record, like a commit message: in Chinese whatever the desk's language (this suite's is English)
    assert reason == ("HQ-000001：完工（ours）不能接在取消（theirs）之后；"
                      "ours（文件显示的版本）：2026-11-20 10:00 李师傅 完工；"
                      "theirs（保存在 conflict: 下）：2026-11-20 09:30 刘芳 取消")


def test_two_technicians(catalogue):
    theirs = changed(BASE, ASSIGNED.replace("王小红, to: 李师傅", "刘芳, to: 王师傅"), status="assigned",
                     technician="王师傅")
    reason = contradicted(BASE, assigned(), theirs, catalogue)
    assert reason.startswith("HQ-000001：维修人员 在 ours 中为 李师傅，在 theirs 中为 王师傅；"
                             "ours（文件显示的版本）：")
    assert "theirs（保存在 conflict: 下）：2026-11-20 09:05 刘芳 派工给 王师傅" in reason


def test_two_different_orders_added_under_one_id(catalogue):
    theirs = BASE.replace("3栋1201", "5栋0302").replace("09:00:00+08:00, by: 王小红", "09:02:00+08:00, by: 刘芳")
    reason = contradicted(None, BASE, theirs, catalogue)
    assert "两张不同的维修单用了这个单号（ours：2026-11-20 09:00 王小红 受理；" \
           "theirs：2026-11-20 09:02 刘芳 受理）" in reason
    assert merging.merge(None, BASE, BASE, TZ).conflict is None  # one order added on both sides alike: one
    assert merging.merge("", BASE, assigned(), TZ).text == assigned()  # git gives an empty base for add/add


def test_a_version_holding_a_conflict_already(catalogue):
    theirs = changed(BASE, ASSIGNED.replace("王小红, to: 李师傅", "刘芳, to: 王师傅"), status="assigned",
                     technician="王师傅")
    held = merging.merge(BASE, assigned(), theirs, TZ).text
    # their side kept the conflict and pushed; ours moved on: their whole text is kept beside ours
    ours = changed(BASE, "  - {action: cancelled, at: 2026-11-20T10:00:00+08:00, by: 王小红, reason: 重复}\n",
                   status="cancelled", cancel_reason="重复")
    assert "theirs 有未解决的冲突" in contradicted(BASE, ours, held, catalogue)
    # theirs changed again the version our conflict keeps: their newer one takes its place
    newer = changed(theirs, "  - {action: arrived, at: 2026-11-20T10:00:00+08:00, by: 王师傅}\n", status="arrived")
    again = merging.merge(theirs, held, newer, TZ)
    assert conflict.stored(yamlio.parse(again.text)) == newer and "theirs 又改了" in again.conflict
    assert conflict.removed(again.text) == assigned()
    # a conflict of ours, and theirs changed from something else: all three kept, theirs nesting ours' other
    three = merging.merge(assigned(), held, newer, TZ)
    assert "theirs 也改了" in three.conflict and conflict.removed(three.text) == assigned()
    assert conflict.versions(three.text) == [assigned(), newer, theirs]


def test_two_desks_settling_one_nested_conflict_differently(catalogue):
    """Three desks, one order: a conflict kept inside a conflict; desk P takes theirs once (a conflict is
    left), desk Q takes theirs and then ours (settled). Merging the two never stops a sync."""
    x = changed(BASE, ASSIGNED.replace("李师傅", "王师傅"), status="assigned", technician="王师傅")
    z = changed(BASE, ASSIGNED.replace("09:05", "09:07"), status="assigned", technician="李师傅")
    y = changed(BASE, "  - {action: cancelled, at: 2026-11-20T09:06:00+08:00, by: 刘芳, reason: 重复}\n",
                status="cancelled", cancel_reason="重复")
    x_and_z = merging.merge(BASE, x, z, TZ).text
    all_three = merging.merge(BASE, y, x_and_z, TZ).text
    assert conflict.chain(all_three) == [all_three, x_and_z, z]
    # Q settled it (x) where P still holds z beside x: Q's choice stands, either way round
    assert merging.merge(all_three, x_and_z, x, TZ) == merging.Merged(x)
    assert merging.merge(all_three, x, x_and_z, TZ).text == x
    # Q took y, letting x and z go, where P took x and left z open: the two choices stand against each other
    settled = merging.merge(all_three, x_and_z, y, TZ)
    assert conflict.versions(settled.text) == [x, y] and "theirs 也改了" in settled.conflict
    readable(settled.text, catalogue)
    # Q had let z go before it met y (x, then y merged in): P's x and z, Q's x and y, settle on x alone
    q = merging.merge(x_and_z, x, all_three, TZ).text
    assert conflict.versions(q) == [x, y]
    assert merging.merge(all_three, x_and_z, q, TZ) == merging.Merged(x)
    # without the ancestor holding the conflict, theirs is only our own side: our conflict stays
    assert merging.merge(BASE, x_and_z, x, TZ).text == x_and_z


def test_a_rebase_onto_a_conflict_others_pushed_keeps_every_version(catalogue):
    """git pull --rebase: ours is the server's version holding a conflict between two other desks, theirs
    the clerk's own commit made on an older version. Not an unmergeable file that stops the rebase."""
    cancelled = changed(assigned(), "  - {action: cancelled, at: 2026-11-20T10:00:00+08:00, by: 刘芳, reason: 重复}\n",
                        status="cancelled", cancel_reason="重复")
    arrived = changed(assigned(), "  - {action: arrived, at: 2026-11-20T10:30:00+08:00, by: 陈静}\n",
                      status="arrived")
    server = merging.merge(assigned(), cancelled, arrived, TZ).text
    closed = changed(assigned(), "  - {action: finished, at: 2026-11-20T11:00:00+08:00, by: 周丽}\n",
                     status="finished", fee_pending="false")
    merged = merging.merge(assigned(), server, closed, TZ)
    assert conflict.versions(merged.text) == [cancelled, closed, arrived]
    assert "2026-11-20 11:00 周丽 完工" in merged.conflict
    assert conflict.removed(merged.text) == cancelled
    readable(merged.text, catalogue)


@pytest.mark.parametrize(("broken", "words"), [
    ("<<<<<<< HEAD\n", "unresolved merge conflict"),
    ("events: [\n", "YAML syntax error"),
    ("  - {action: arrived, at: 2026-11-20 10:00, by: 李师傅}\n", "has no UTC offset"),
])
def test_a_version_that_cannot_be_read_waits_beside_the_readable_one(broken, words, catalogue):
    """Only that order waits for a person: the file shows the readable version, the other is kept whole."""
    for ours, theirs, kept in ((assigned(), BASE + broken, "theirs"), (BASE + broken, assigned(), "ours")):
        merged = merging.merge(BASE, ours, theirs, TZ)
        shown = assigned()
        assert merged.text.startswith(shown) and words in merged.conflict
        assert f"{'另一台' if kept == 'theirs' else '本机'}的版本无法读取" in merged.conflict
        assert yamlio.parse(merged.text)["conflict"]["theirs"] == BASE + broken
        readable(merged.text, catalogue)


def test_two_versions_that_cannot_be_read_are_not_merged():
    with pytest.raises(merging.Unmergeable, match="our version cannot be read"):
        merging.merge(BASE, BASE + "events: [\n", BASE + "<<<<<<< HEAD\n", TZ)


def test_contradiction_names_the_conflict_of_a_file(tmp_path, catalogue):
    path = tmp_path / "HQ-000001.yaml"
    path.write_text(BASE, encoding="utf-8")
    assert merging.contradiction(path) is None
    theirs = changed(BASE, ASSIGNED.replace("李师傅", "王师傅"), status="assigned", technician="王师傅")
    merged = merging.merge(BASE, assigned(), theirs, TZ)
    path.write_text(merged.text, encoding="utf-8")
    assert merging.contradiction(path) == merged.conflict
    assert merging.contradiction(tmp_path / "missing.yaml") is None


def test_a_stored_text_no_literal_block_can_hold_is_kept_exactly(catalogue):
    theirs = changed(BASE, ASSIGNED.replace("李师傅", "王师傅"), status="assigned",
                     technician="王师傅").replace("description: 厨房水龙头漏水", "description: 厨房水龙头漏水   ")
    theirs = theirs.rstrip("\n")  # no line end at the end, trailing spaces on a line
    text = merging.merge(BASE, assigned(), theirs, TZ).text
    assert conflict.stored(yamlio.parse(text)) == theirs


def test_a_long_stored_version_is_held_to_each_lines_limits(catalogue):
    visits = "".join(f"  - {{action: absent, at: 2026-11-20T1{hour}:00:00+08:00, by: 李师傅}}\n" for hour in range(10))
    theirs = changed(assigned(), visits, description="厨房水龙头漏水," * 60).replace("李师傅", "王师傅")
    assert len(theirs) > 1000  # more than one text may hold: a whole file may
    ours = changed(assigned(), "  - {action: cancelled, at: 2026-11-20T09:30:00+08:00, by: 王小红, reason: 重复}\n",
                   status="cancelled", cancel_reason="重复")
    text = merging.merge(BASE, ours, theirs, TZ).text
    readable(text, catalogue)
    data = yamlio.parse(text)
    data["conflict"]["theirs"] = theirs.replace("王师傅}", "王\x1b[2J师傅}", 1)  # a line with ESC in it
    found = rules.check_order_data(data, PATH, TZ, catalogue, only=rules.UNREADABLE)
    assert [(f.rule, f.keys) for f in found] == [("characters", ("conflict", "theirs"))]


def _held_conflict() -> tuple[str, str, str]:
    """A file holding a conflict (two technicians), and what `resolve --take ours` and `--take theirs` make of it."""
    theirs = changed(BASE, ASSIGNED.replace("李师傅", "王师傅").replace("09:05", "09:06"), status="assigned",
                     technician="王师傅")
    held = merging.merge(BASE, assigned(), theirs, TZ).text
    return held, conflict.removed(held), conflict.stored(yamlio.parse(held))


def test_a_conflict_resolved_differently_on_two_desks_is_a_conflict_again(catalogue):
    held, took_ours, took_theirs = _held_conflict()
    merged = merging.merge(held, took_ours, took_theirs, TZ)
    assert merged.conflict and "两边作了不同的处理" in merged.conflict  # neither choice silently wins
    assert merged.text.startswith(took_ours) and yamlio.parse(merged.text)["conflict"]["theirs"] == took_theirs
    readable(merged.text, catalogue)


def test_a_conflict_resolved_alike_on_two_desks_merges_what_came_after(catalogue):
    held, _, took_theirs = _held_conflict()
    arrived = "  - {action: arrived, at: 2026-11-20T09:20:00+08:00, by: 王师傅}\n"
    later = changed(took_theirs, arrived, status="arrived")
    merged = merging.merge(held, took_theirs, later, TZ)
    assert merged.conflict is None and merged.text == later
    assert actions(readable(merged.text, catalogue)) == ["received", "assigned", "arrived"]


def test_a_held_unreadable_version_resolved_on_both_desks_still_merges(catalogue):
    """The ancestor kept a version no command could read; both desks took the readable one, one went on."""
    broken = BASE + "events: [\n"
    held = merging.merge(BASE, assigned(), broken, TZ).text
    took_ours = conflict.removed(held)
    arrived = "  - {action: arrived, at: 2026-11-20T09:20:00+08:00, by: 李师傅}\n"
    later = changed(took_ours, arrived, status="arrived")
    merged = merging.merge(held, took_ours, later, TZ)
    assert merged.conflict is None and merged.text == later
    readable(merged.text, catalogue)
