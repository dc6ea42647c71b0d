"""What the order commands say, in Chinese: refusals, warnings, `check`'s problems, conflicts and sharing.

Each command runs in a process of its own (test_i18n.run), as the language is chosen once per process;
the office is made and changed in English, in this process, by the `clerk` fixture.
"""

from __future__ import annotations

import re

from repairctl.orders import merging
from tests.test_i18n import run

# a run of three or more English words: a sentence left untranslated (commands, options, IDs, paths and
# the text between backticks are taken out first: they stay as typed)
ENGLISH = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}")
TYPED = re.compile(r"`[^`]*`|--?[a-z][\w-]*|\S*/\S*|[A-Z]{2,}-\d+[A-Z]?|\S+\.(?:yaml|csv)\b|repairctl \w+")


def english_left(text: str) -> list[str]:
    """The runs of English words left in text once what is typed as it is has been taken out."""
    return ENGLISH.findall(TYPED.sub(" ", text))


def test_a_refused_step_says_the_state_and_what_it_needs_in_chinese(clerk):
    order = clerk.new()
    closed = run("close", order, "--signed-by", "业户", "--work", "换阀芯", cwd=clerk.root)
    assert closed.returncode == 1
    assert closed.stderr.strip() == (f"错误：无法完工 {order}：该单状态为已受理；"
                                     "完工要求该单为已到场或已派工")
    clerk("cancel", order, "--reason", "业户取消")
    assigned = run("assign", order, "--to", "李师傅", cwd=clerk.root)
    assert f"无法派工 {order}：该单状态为已取消，不能再做任何操作" in assigned.stderr
    assert not english_left(closed.stderr + assigned.stderr)


def test_a_duplicate_is_refused_and_open_orders_are_warned_of_in_chinese(clerk):
    first = clerk.new()
    args = ("new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678", "--desc", "厨房水龙头又漏水")
    twice = run(*args, "--item", "W01", cwd=clerk.root)
    assert twice.returncode == 1
    assert f"3栋1201 W01 的维修单 {first} 尚未完结（已受理）；同一项维修不要重复派单（003 §4.1.6）" in twice.stderr
    warned = run(*args, cwd=clerk.root)
    assert warned.returncode == 0, warned.stderr
    assert f"3栋1201 已有未完结的维修单：{first}" in warned.stderr
    assert not english_left(twice.stderr + warned.stderr)


def test_check_names_each_problem_in_the_language_it_runs_in(clerk):
    order = clerk.new()
    path = clerk.order_file(order)
    path.write_text(path.read_text("utf-8").replace("status: received", "status: done"), encoding="utf-8")
    english = run("check", lang="en", cwd=clerk.root)  # the cache keeps the findings: made here in English
    assert "status 'done' is not one of received" in english.stdout
    chinese = run("check", cwd=clerk.root)
    assert chinese.returncode == 1
    assert "status 'done' 不在可选值之中，应为以下之一：received" in chinese.stdout, chinese.stdout
    refused = run("assign", order, "--to", "李师傅", cwd=clerk.root)
    assert "；请先改好文件（`repairctl check` 会列出全部问题" in refused.stderr
    assert not english_left(chinese.stdout + refused.stderr)


def test_a_conflicts_reason_is_a_chinese_record_whatever_the_desks_language(clerk):
    order = clerk.new()
    path = clerk.order_file(order)
    base = path.read_text("utf-8")
    dispatched = base.replace("status: received", "status: assigned")
    ours, theirs = (dispatched.replace("events:", f"technician: {name}\nevents:")
                    + f"  - {{action: assigned, at: 2026-10-05T09:{minute}:00+08:00, by: 刘芳, to: {name}}}\n"
                    for name, minute in (("李师傅", "05"), ("王师傅", "06")))
    merged = merging.merge(base, ours, theirs)  # this process speaks English: the record is Chinese all the same
    assert merged.conflict.startswith(f"{order}：维修人员 在 ours 中为 李师傅，在 theirs 中为 王师傅；")
    assert not english_left(merged.conflict)
    path.write_text(merged.text, encoding="utf-8")
    clerk.git("commit", "-qam", "merge")
    refused = run("assign", order, "--to", "李师傅", cwd=clerk.root)
    assert f"错误：{order} 有未解决的冲突（{merged.conflict}）；请先保留一个版本" in refused.stderr
    checked = run("check", cwd=clerk.root)
    assert "两个版本之间有未解决的冲突：" in checked.stdout and "--take ours|theirs" in checked.stdout
    resolved = run("resolve", order, "--take", "ours", cwd=clerk.root)
    assert resolved.returncode == 0 and f"{order}: 保留了本机的版本（ours）" in resolved.stdout, resolved.stderr
    again = run("resolve", order, "--take", "ours", cwd=clerk.root)
    assert f"{order} 没有冲突：无需处理" in again.stderr
    assert not english_left(refused.stderr + checked.stdout + resolved.stdout + again.stderr)


def test_sharing_refusals_are_chinese(clerk, tmp_path):
    taken = tmp_path / "taken"
    (taken / "something").mkdir(parents=True)
    cloned = run("clone", str(clerk.root), str(taken), cwd=tmp_path)
    assert cloned.returncode == 1 and f"错误：{taken} 已存在且不是空的：请为副本另起一个新文件夹名" in cloned.stderr
    assert not english_left(cloned.stderr)
