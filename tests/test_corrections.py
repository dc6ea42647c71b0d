"""`edit`: correcting what was recorded wrongly, one event and one commit per field (issue 15 §5)."""

from __future__ import annotations

import subprocess

from repairctl.store import yamlio
from tests.test_i18n import run
from tests.test_i18n_orders import english_left
from tests.test_unit_forms import same_forms


def events(clerk, order_id: str) -> list[dict]:
    return yamlio.load_fast(clerk.order_file(order_id))["events"]


def test_a_corrected_unit_is_recorded_with_its_event_commit_and_log(clerk, clerk_name):
    order = clerk.new()
    result = clerk("edit", order, "--unit", "3栋1202", "--reason", "登记时听错")
    assert result.stdout.strip() == f"{order} 更正 unit 3栋1201 → 3栋1202（登记时听错）"
    data = yamlio.load_fast(clerk.order_file(order))
    assert data["unit"] == "3栋1202" and data["status"] == "received"
    last = data["events"][-1]
    assert (last["action"], last["field"], last["old"], last["new"], last["reason"], last["by"]) == (
        "edited", "unit", "3栋1201", "3栋1202", "登记时听错", clerk_name)
    assert clerk.git("log", "-1", "--format=%s").strip() == f"edit {order}: 更正 unit 3栋1201 → 3栋1202（登记时听错）"
    assert "更正 unit 3栋1201 → 3栋1202（登记时听错）" in clerk("log", order).stdout
    assert "edited unit 3栋1201 → 3栋1202（登记时听错）" in clerk("show", order).stdout
    assert clerk("check").exit_code == 0


def test_each_corrected_field_is_its_own_commit_and_inputs_are_read_as_new_reads_them(clerk):
    order = clerk.new()
    before = int(clerk.git("rev-list", "--count", "HEAD"))
    clerk("edit", order, "--phone", "138 1234 5679", "--name", "张三", "--desc", "卫生间水龙头漏水",
          "--item", "w02", "--reason", "业户来电更正")
    assert int(clerk.git("rev-list", "--count", "HEAD")) == before + 3  # the name was already 张三: no change
    changed = [(e["field"], e["old"], e["new"]) for e in events(clerk, order) if e["action"] == "edited"]
    assert changed == [("phone", "13812345678", "13812345679"), ("description", "厨房水龙头漏水", "卫生间水龙头漏水"),
                       ("item", "W01", "W02")]


def test_an_edit_that_changes_nothing_is_refused_and_writes_nothing(clerk):
    order = clerk.new()
    head = clerk.git("rev-parse", "HEAD")
    result = clerk("edit", order, "--unit", "3栋1201", "--phone", "138-1234-5678", "--reason", "核对", ok=False)
    assert result.exit_code == 1
    assert "nothing to correct" in result.output
    assert clerk.git("rev-parse", "HEAD") == head
    assert clerk("edit", order, "--reason", "核对", ok=False).exit_code == 1


def test_any_status_may_be_corrected_but_not_the_item_of_a_referred_order(clerk):
    order = clerk.new()
    clerk("cancel", order, "--reason", "业户取消")
    clerk("edit", order, "--name", "张四", "--reason", "姓名写错")
    referred = clerk.new("--item", "S01", unit="5栋0301")
    head = clerk.git("rev-parse", "HEAD")
    refused = clerk("edit", referred, "--item", "W01", "--reason", "分类错", ok=False)
    assert refused.exit_code == 1 and "referred to a supplier" in refused.output
    supplier = clerk("edit", order, "--item", "S01", "--reason", "分类错", ok=False)
    assert "is a supplier job" in supplier.output
    unknown = clerk("edit", order, "--item", "Z99", "--reason", "分类错", ok=False)
    assert unknown.exit_code == 1
    assert clerk.git("rev-parse", "HEAD") == head


def test_the_duplicate_rule_sees_the_corrected_unit(clerk):
    order = clerk.new()
    clerk("edit", order, "--unit", "3栋1202", "--reason", "登记时听错")
    again = clerk("new", "--unit", "3栋1202", "--name", "李四", "--phone", "13900001111", "--desc", "又漏水",
                  "--item", "W01", ok=False)
    assert again.exit_code == 1 and f"order {order} for 3栋1202 W01 is still open" in again.output
    clerk("new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678", "--desc", "厨房水龙头漏水",
          "--item", "W01")  # the old unit has no open order any more


def test_a_unit_is_recorded_in_the_registry_form(clerk):
    same_forms(clerk)
    (clerk.root / "records" / "units.csv").write_text("单元,业户姓名,联系电话\n3栋1202,张三,13812345678\n", "utf-8")
    clerk.git("add", "records/units.csv")
    clerk.git("commit", "-qm", "units", "--no-verify")
    order = clerk.new("--force")
    clerk("edit", order, "--unit", "3-1202", "--reason", "登记时听错")
    assert events(clerk, order)[-1]["new"] == "3栋1202"


def test_the_real_executable_refuses_in_chinese(clerk, executable):
    order = clerk.new()
    refused = run("edit", order, "--unit", "3栋1201", "--reason", "核对", cwd=clerk.root)
    assert refused.returncode == 1
    assert "没有要更正的" in refused.stderr
    assert not english_left(refused.stderr)
    done = subprocess.run([executable, "edit", order, "--unit", "3栋1202", "--reason", "听错"], cwd=clerk.root,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
