"""IDs with a desk letter, valid wherever an ID is read; and what a clone's git config says of its desk."""

from __future__ import annotations

import subprocess

import pytest

from repairctl.errors import RepairError
from repairctl.office import desks
from repairctl.orders import records


@pytest.mark.parametrize(("text", "expected"), [("HQ-000124B", "HQ-000124B"), ("hq-000124b", "HQ-000124B"),
                                                ("HQ-000123", "HQ-000123"), (" SZ01-1234567Z ", "SZ01-1234567Z")])
def test_an_id_may_end_in_one_desk_letter(text, expected):
    assert records.check_id(text) == expected


@pytest.mark.parametrize("text", ["HQ-000124BB", "HQ-000124-B", "HQ-00124B", "HQ-000124B1", "HQ-B-000124"])
def test_an_id_with_more_than_one_letter_after_its_number_is_none(text):
    with pytest.raises(RepairError, match="IDs look like HQ-000123 or HQ-000123B"):
        records.check_id(text)


def test_the_number_series_is_one_for_every_desk(tmp_path):
    month = tmp_path / "2026" / "10"
    month.mkdir(parents=True)
    for name in ("HQ-000007.yaml", "HQ-000009C.yaml", "HQ-000008A.yaml", "SZ-000050B.yaml"):
        (month / name).touch()
    assert records.next_ids(tmp_path, "HQ", 2, desk="B") == ["HQ-000010B", "HQ-000011B"]
    assert records.next_id(tmp_path, "HQ") == "HQ-000010"
    assert sorted(["HQ-000010B", "HQ-000009C", "HQ-000010A", "HQ-000010"]) == [
        "HQ-000009C", "HQ-000010", "HQ-000010A", "HQ-000010B"]  # string order is (number, desk) order


def test_an_order_with_a_desk_letter_is_checked_shown_and_changed_like_any(clerk, place):
    path = clerk.order_file(clerk.new())
    text = path.read_text("utf-8").replace("HQ-000001", "HQ-000002B")
    path.unlink()
    place(clerk, text, "HQ-000002B")
    assert clerk("check").stdout == "ok\n"
    assert "HQ-000002B 已派工给 李师傅" in clerk("assign", "hq-000002b", "--to", "李师傅").stdout
    assert clerk.new(unit="5栋0101") == "HQ-000003"  # the home desk goes on above every desk's number


def git(root, *args) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def test_the_desk_and_the_remote_are_read_from_git_config(tmp_path):
    root = tmp_path / "office"
    root.mkdir()
    assert desks.settings(root) == ("", False)  # not in git at all
    git(root, "init", "-q")
    assert desks.settings(root) == ("", False) and desks.letter(root) == ""
    git(root, "remote", "add", "origin", str(tmp_path / "server.git"))
    assert desks.settings(root) == ("", True)
    with pytest.raises(RepairError, match="run `repairctl join`"):
        desks.letter(root)
    git(root, "config", desks.KEY, "b")
    assert desks.letter(root) == "B"
    (root / "sub").mkdir()
    assert desks.letter(root / "sub") == "B"  # an office in a folder of the repository
    git(root, "config", desks.KEY, "BB")
    with pytest.raises(RepairError, match="not one letter A-Z"):
        desks.letter(root)


def test_a_linked_work_tree_and_an_included_file_are_read_as_git_reads_them(tmp_path):
    root = tmp_path / "office"
    root.mkdir()
    git(root, "init", "-q")
    git(root, "commit", "-q", "--allow-empty", "-m", "first")
    git(root, "config", desks.KEY, "D")
    git(root, "worktree", "add", "-q", str(tmp_path / "linked"))
    assert desks.settings(tmp_path / "linked") == ("D", False)  # .git is a file there: the config is the main one
    git(root, "config", "--unset", desks.KEY)
    (tmp_path / "more.cfg").write_text("[repairctl]\n\tdesk = C\n[remote \"origin\"]\n\turl = x\n", encoding="utf-8")
    git(root, "config", "include.path", str(tmp_path / "more.cfg"))
    assert desks.settings(root) == ("C", True)
    assert desks.settings(tmp_path / "linked") == ("C", True)


def test_a_free_letter_is_the_first_not_claimed_nor_ending_an_order_and_i_and_o_come_last(tmp_path):
    for letter in "ABCDEFGH":
        desks.add_line(tmp_path, letter, "刘芳", "pc-front", "2026-11-25T12:00:00+08:00")
    (tmp_path / "records" / "orders" / "2026" / "10").mkdir(parents=True)
    (tmp_path / "records" / "orders" / "2026" / "10" / "HQ-000003J.yaml").touch()  # its desk's line was lost
    assert sorted(desks.claimed(tmp_path)) == list("ABCDEFGH")
    assert desks.choose(tmp_path, None) == "K"
    assert desks.choose(tmp_path, "i") == "I"
    for letter in "KLMNPQRSTUVWXYZ":
        desks.add_line(tmp_path, letter, "王小红", "laptop", "2026-11-25T12:00:00+08:00")
    assert desks.choose(tmp_path, None) == "I"
    with pytest.raises(RepairError, match=r"desk J is claimed already \(order IDs end in it\)"):
        desks.choose(tmp_path, "J")
