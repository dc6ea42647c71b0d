"""An order ID is never given twice: not after its file is deleted, committed or not."""

from __future__ import annotations

import json

import pytest

from repairctl.office.folder import load_office
from repairctl.orders import numbering
from tests.test_commits import git_run_by


def numbers(clerk) -> dict:
    return json.loads((clerk.root / ".repairctl" / "numbers.json").read_text("utf-8"))


def delete(clerk, oid: str, *, commit: bool) -> None:
    relpath = str(clerk.order_file(oid).relative_to(clerk.root))
    if commit:
        clerk.git("rm", "-q", relpath)
        clerk.git("commit", "-q", "-m", f"删除 {oid}")
    else:
        (clerk.root / relpath).unlink()


@pytest.mark.parametrize("commit", [True, False], ids=["deletion committed", "deletion not committed"])
def test_a_deleted_orders_number_is_not_given_again(clerk, commit):
    """Before, the next `new` took the deleted order's number again (a committed deletion)."""
    assert [clerk.new(), clerk.new("--force"), clerk.new("--force")] == ["HQ-000001", "HQ-000002", "HQ-000003"]
    delete(clerk, "HQ-000003", commit=commit)
    delete(clerk, "HQ-000002", commit=commit)
    assert clerk.new("--force") == "HQ-000004"


def test_a_number_deleted_long_ago_in_an_old_month_is_not_given_again(clerk):
    first = clerk.new(at="2026-08-05 09:00")
    clerk.new("--force", at="2026-09-05 09:00")
    (clerk.root / ".repairctl" / "numbers.json").unlink()  # a fresh clone: the whole history is read
    delete(clerk, "HQ-000002", commit=True)
    clerk.new("--force", at="2026-10-05 09:00")  # HQ-000003, read from the history
    delete(clerk, "HQ-000003", commit=True)
    (clerk.root / ".repairctl" / "cache.sqlite").unlink()  # nothing of it in the cache either
    assert first == "HQ-000001" and clerk.new("--force", at="2026-10-06 09:00") == "HQ-000004"


def test_import_numbers_past_deleted_orders_too(clerk, tmp_path):
    clerk.new()
    clerk.new("--force")
    delete(clerk, "HQ-000002", commit=True)
    sheet = tmp_path / "day.csv"
    sheet.write_text("unit,name,phone,description,item,at\n"
                     "1-101,李四,13900000000,灯不亮,E01,2026-10-05 10:00\n"
                     "1-102,王五,13900000001,灯不亮,E01,2026-10-05 10:05\n", encoding="utf-8")
    clerk("import", str(sheet))
    assert sorted(p.stem for p in clerk.root.glob("records/orders/*/*/*.yaml")) == [
        "HQ-000001", "HQ-000003", "HQ-000004"]


def test_the_history_is_read_from_where_it_was_read_up_to(clerk, tmp_path, monkeypatch):
    clerk.new()
    first = clerk.git("rev-parse", "HEAD").strip()
    assert numbers(clerk) == {"commit": clerk.git("rev-parse", "HEAD~1").strip(), "highest": {}}
    clerk.git("commit", "-q", "--allow-empty", "-m", "其他")
    ran = git_run_by(clerk, tmp_path, monkeypatch, "new", "--force", "--unit", "1-1", "--name", "x", "--phone",
                     "13900000000", "--desc", "灯", "--item", "E01")
    assert "log" in ran and f"{clerk.git('rev-parse', 'HEAD~2').strip()}..{first}" not in ran
    assert any(arg.startswith(f"{clerk.git('rev-parse', 'HEAD~3').strip()}..") for arg in ran)  # since the last read
    assert numbers(clerk) == {"commit": clerk.git("rev-parse", "HEAD~1").strip(), "highest": {"HQ": 1}}
    # read up to HEAD already: git is asked nothing
    history = numbering.History(load_office(clerk.root))
    assert history.asked is not None and history.highest() == {"HQ": 2}
    assert numbering.History(load_office(clerk.root)).asked is None


@pytest.mark.parametrize("kept", ['{"commit": "0000000000000000000000000000000000000001", "highest": {"HQ": 0}}',
                                  "{not json", '["a list"]'], ids=["commit gone", "cut short", "not a record"])
def test_a_record_that_cannot_be_trusted_is_read_again_from_all_history(clerk, kept):
    clerk.new()
    clerk.new("--force")
    delete(clerk, "HQ-000002", commit=True)
    (clerk.root / ".repairctl" / "numbers.json").write_text(kept, encoding="utf-8")
    assert clerk.new("--force") == "HQ-000003"
    assert numbers(clerk)["highest"] == {"HQ": 2}


def test_another_sites_orders_and_other_files_do_not_count(clerk):
    clerk.new()
    folder = clerk.root / "records" / "orders" / "2026" / "10"
    (folder / "SZ-000050.yaml").write_text("id: SZ-000050\n", encoding="utf-8")  # a merged office's
    (clerk.root / "records" / "HQ-000090.yaml").write_text("x\n", encoding="utf-8")  # not an order file
    clerk.git("add", "-A")
    clerk.git("commit", "-q", "-m", "其他")
    clerk.git("rm", "-q", "records/orders/2026/10/SZ-000050.yaml", "records/HQ-000090.yaml")
    clerk.git("commit", "-q", "-m", "删除")
    assert clerk.new("--force") == "HQ-000002"
    assert numbers(clerk)["highest"] == {"HQ": 1, "SZ": 50}  # read before HQ-000002 was committed
