"""The derived cache gives exactly the answers of a cold read, whoever changed the files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from repairctl.office.folder import load_office
from repairctl.orders import index, query, reading
from repairctl.store import files
from repairctl.store.files import order_files

AT = ["--at", "2026-10-06 12:00"]


def cold(office) -> dict:
    """Every order read straight from its file."""
    return {o.id: o.data for o in [reading.read(p, office.tz) for p in order_files(office.orders_dir)]}


def cached(office) -> dict:
    return {o.id: o.data for o in query.orders(office)}


def overdue_json(clerk) -> list:
    return json.loads(clerk("overdue", *AT, "--format", "json", ok=False).stdout)


def four_orders(clerk) -> None:
    for n in range(4):
        oid = clerk.new("--force", at=f"2026-10-05 0{n + 1}:00")
        if n:
            clerk("assign", oid, "--to", "李师傅", "--at", f"2026-10-05 0{n + 1}:05")


@pytest.fixture
def busy(clerk, monkeypatch, templates):
    """An office with a few orders in different states (made once a session), and a warm cache.

    As if its files had been written long ago (no racy window, files.RACY_NS): a row read from a
    file written in the last seconds is never trusted but read again, which would let every test
    here pass whatever the cache's change detection does; so the tests see that detection at work.
    """
    monkeypatch.setattr(files, "RACY_NS", 0)
    templates.put("four orders", four_orders, clerk.root)
    clerk("list")
    return clerk


def same_as_cold(clerk) -> None:
    office = load_office(clerk.root)
    assert cached(office) == cold(office)
    answer = overdue_json(clerk)
    shutil.rmtree(clerk.root / ".repairctl")
    assert overdue_json(clerk) == answer  # deleting the cache changes no answer


def test_a_hand_edit_that_keeps_size_and_mtime(busy):
    path = busy.order_file("HQ-000002")
    before = path.stat()
    text = path.read_text("utf-8")
    edited = text.replace("李师傅", "王师傅")
    assert len(edited.encode()) == len(text.encode())
    path.write_text(edited, "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    office = load_office(busy.root)
    assert cached(office)["HQ-000002"]["technician"] == "王师傅"
    same_as_cold(busy)


def test_a_deleted_file(busy):
    busy.order_file("HQ-000003").unlink()
    assert "HQ-000003" not in cached(load_office(busy.root))
    same_as_cold(busy)
    busy.git("commit", "-qam", "remove an order by hand")
    same_as_cold(busy)


def test_files_added_by_git_pull_and_an_old_checkout(busy, tmp_path, make_clerk):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(busy.root), str(clone)], check=True)
    other = make_clerk(clone)
    other.git("config", "repairctl.desk", "B")  # a clone with a remote issues IDs only as a desk (test_sharing)
    other.new("--force", at="2026-10-05 10:00")  # another clerk's clone
    busy.git("pull", "-q", "--no-rebase", str(clone), "HEAD")
    office = load_office(busy.root)
    assert "HQ-000005B" in cached(office)
    same_as_cold(busy)
    busy.git("checkout", "-q", "HEAD~3")  # an old commit
    assert set(cached(load_office(busy.root))) == set(cold(load_office(busy.root)))
    same_as_cold(busy)
    busy.git("checkout", "-q", "-")
    same_as_cold(busy)


def test_a_corrupt_cache_is_rebuilt_without_a_word(busy):
    (busy.root / ".repairctl" / "cache.sqlite").write_bytes(b"this is not sqlite" * 100)
    result = busy("list", "--format", "json")
    assert [row["id"] for row in json.loads(result.output)] == ["HQ-000001", "HQ-000002", "HQ-000003", "HQ-000004"]
    same_as_cold(busy)


def test_two_commands_at_once(busy):
    shutil.rmtree(busy.root / ".repairctl")
    env = {**os.environ, "REPAIRCTL_ROOT": str(busy.root)}
    command = [sys.executable, "-m", "repairctl", "list", "--format", "json"]
    procs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert len({out for out, _ in outputs}) == 1 and len(json.loads(outputs[0][0])) == 4
    same_as_cold(busy)


def test_outside_git_the_file_metadata_decides(busy):
    shutil.rmtree(busy.root / ".git")
    busy("list")
    path = busy.order_file("HQ-000002")
    before = path.stat()
    path.write_text(path.read_text("utf-8").replace("李师傅", "王师傅"), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    busy.order_file("HQ-000004").unlink()
    office = load_office(busy.root)
    assert cached(office) == cold(office) and cached(office)["HQ-000002"]["technician"] == "王师傅"


def test_a_command_s_own_change_is_seen(busy):
    busy("assign", "HQ-000001", "--to", "赵师傅", "--at", "2026-10-05 01:10")
    assert cached(load_office(busy.root))["HQ-000001"]["technician"] == "赵师傅"
    same_as_cold(busy)


def test_a_catalogue_change_rebuilds_the_rows(busy):
    office = load_office(busy.root)
    query.orders(office)
    path = Path(busy.root / "catalog.yaml")
    path.write_text(path.read_text("utf-8").replace("code: W01", "code: W91"), "utf-8")
    assert any("W01" in message for _, found, _ in query.problems(load_office(busy.root))
               for _, _, message in found)


def test_a_file_copied_in_by_hand_and_never_added_to_git(busy):
    source = busy.order_file("HQ-000004")
    copy = source.parent / "HQ-000009.yaml"
    copy.write_text(source.read_text("utf-8").replace("HQ-000004", "HQ-000009"), "utf-8")
    assert "HQ-000009" in cached(load_office(busy.root))
    same_as_cold(busy)
    before = copy.stat()
    copy.write_text(copy.read_text("utf-8").replace("3栋1201", "3栋1202"), "utf-8")  # same size
    os.utime(copy, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert cached(load_office(busy.root))["HQ-000009"]["unit"] == "3栋1202"
    copy.unlink()
    assert "HQ-000009" not in cached(load_office(busy.root))
    same_as_cold(busy)


def test_a_cache_damaged_inside_is_rebuilt_without_a_word(busy):
    import sqlite3

    for _ in range(30):  # enough orders that the tables span several pages
        busy.new("--force", "--item", "E01", at="2026-10-05 11:00")
    busy("list")
    path = busy.root / ".repairctl" / "cache.sqlite"
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with open(path, "r+b") as handle:  # garbage over pages 3 and 4, the header left intact
        handle.seek(4096 * 2)
        handle.write(os.urandom(4096 * 2))
    for args in (["list", "--format", "json"], ["check"], ["overdue", *AT, "--format", "json"]):
        result = busy(*args, ok=False)
        assert result.exit_code in (0, 1) and "Traceback" not in result.output and "Error" not in result.output, args
    same_as_cold(busy)


def test_an_order_moved_out_of_a_month_folder_is_not_an_order(busy):
    archive = busy.root / "records" / "orders" / "2026" / "old"
    archive.mkdir()
    busy.git("mv", "records/orders/2026/10/HQ-000002.yaml", "records/orders/2026/old/HQ-000002.yaml")
    busy.git("commit", "-qm", "archive by hand")
    assert "HQ-000002" not in cached(load_office(busy.root))
    same_as_cold(busy)
    # left out of every answer, but never in silence: each read names it, and its exit status says so
    result = busy("list", ok=False)
    assert result.exit_code == 1 and "HQ-000002" not in result.stdout
    assert "records/orders/2026/old/HQ-000002.yaml:1:1: not read as an order" in result.stderr


def test_a_file_left_behind_by_git_reset_is_watched(busy):
    busy.new("--force", at="2026-10-05 11:00")
    busy("list")
    busy.git("reset", "-q", "HEAD~1")  # undo the commit, keep the file: it is untracked now
    busy("list")  # the cache sees the reset first, then the edit
    path = busy.order_file("HQ-000005")
    path.write_text(path.read_text("utf-8").replace("3栋1201", "3栋1299"), "utf-8")
    assert cached(load_office(busy.root))["HQ-000005"]["unit"] == "3栋1299"
    same_as_cold(busy)


def test_git_started_early_is_what_the_refresh_reads(busy):
    path = busy.order_file("HQ-000003")
    path.write_text(path.read_text("utf-8").replace("李师傅", "赵师傅"), "utf-8")
    office = load_office(busy.root)
    office.look_for_edits()  # as overdue does, before importing and opening the cache
    started = office.edits
    assert cached(office)["HQ-000003"]["technician"] == "赵师傅"
    assert office.edits is None and started.process.returncode == 0  # taken and waited for


def test_git_started_for_a_command_that_failed_first_is_stopped(busy):
    office = load_office(busy.root)
    office.look_for_edits()
    process = office.edits.process
    office.stop_looking()
    assert process.returncode is not None and process.stdout.closed and process.stderr.closed
    office.stop_looking()  # twice is harmless


def test_outside_git_nothing_is_started(tmp_path):
    from repairctl.office.folder import init_office

    root = init_office(tmp_path / "office", "HQ")
    shutil.rmtree(root / ".git")
    office = load_office(root)
    office.look_for_edits()
    assert office.edits is None


def test_show_trusts_a_stored_row_only_while_the_file_is_as_it_was_read(busy):
    shutil.rmtree(busy.root / ".repairctl")
    office = load_office(busy.root)
    cached(office)
    path = busy.order_file("HQ-000002")
    assert query.stored_order(office, path).data == reading.read(path, office.tz).data
    before = path.stat()
    path.write_text(path.read_text("utf-8").replace("李师傅", "王师傅"), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime: only ctime moved
    assert query.stored_order(office, path) is None
    assert "王师傅" in busy("show", "HQ-000002").output


def test_a_file_changed_a_moment_before_it_was_read_is_read_again(busy, monkeypatch):
    monkeypatch.setattr(files, "RACY_NS", 10 * 10**9)  # the racy window back: 10 s, however slow the machine
    office = load_office(busy.root)
    path = busy.order_file("HQ-000001")
    path.write_text(path.read_text("utf-8") + "# 刚改的\n", "utf-8")
    cached(office)
    con = index.cache(office).connect()
    assert con.execute("SELECT sig FROM orders WHERE path LIKE '%HQ-000001.yaml'").fetchone() == (files.RACY,)
    assert query.stored_order(office, path) is None  # a same-size write in the same clock tick could follow


def test_a_row_read_while_racy_is_read_once_more_when_it_has_settled(busy, monkeypatch):
    """A file edited and put back (git checkout) is clean to git, so nothing would ever read it again: its row
    kept the signature RACY for good, and the trend's memo, which keys months by signatures, never kept a
    month again. The refresh reads it once more when it has settled, and stores its signature."""
    monkeypatch.setattr(files, "RACY_NS", 10 * 10**9)
    office = load_office(busy.root)
    path = busy.order_file("HQ-000001")
    path.write_text(path.read_text("utf-8") + "# 刚改的\n", "utf-8")
    cached(office)
    busy.git("checkout", "--", str(path))
    cached(load_office(busy.root))  # read again, clean now, but still within the racy window
    sig = "SELECT sig FROM orders WHERE path LIKE '%HQ-000001.yaml'"
    assert index.cache(load_office(busy.root)).connect().execute(sig).fetchone() == (files.RACY,)
    monkeypatch.setattr(files, "RACY_NS", 0)  # the window has passed
    office = load_office(busy.root)
    cached(office)
    assert index.cache(office).connect().execute(sig).fetchone() == (files.signature(path),)


@pytest.mark.parametrize("damage", ["missing", "garbage"])
def test_show_without_a_usable_cache_reads_the_file(busy, damage):
    base = busy.root / ".repairctl" / "cache.sqlite"
    for path in base.parent.glob("cache.sqlite*"):
        path.unlink()
    if damage == "garbage":
        base.write_bytes(b"not a database" * 100)
    office = load_office(busy.root)
    assert query.stored_order(office, busy.order_file("HQ-000002")) is None
    assert "李师傅" in busy("show", "HQ-000002").output
    assert not base.exists() or base.read_bytes().startswith(b"not a database")  # show never writes the cache


def test_new_sees_an_order_restored_by_checkout_since_a_read_found_it_broken(clerk, monkeypatch):
    """`new` asks git nothing (no git status): a file that was broken when last read and is back as committed
    must still count, or an open order of the same unit and item goes unseen and a duplicate is recorded."""
    monkeypatch.setenv("REPAIRCTL_RACY_SECONDS", "0")
    oid = clerk.new(at="2026-11-25 09:00", unit="3栋1201", item="W05")
    path = clerk.order_file(oid)
    path.write_text(path.read_text("utf-8").replace("status: received", "status: received\nstatus: received"),
                    encoding="utf-8")  # a duplicate key: unreadable
    assert clerk("check", ok=False).exit_code == 1  # read through the cache, and stored unreadable
    clerk.git("checkout", "--", str(path))
    refused = clerk("new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678", "--desc", "马桶漏水",
                    "--item", "W05", "--at", "2026-11-25 09:30", ok=False)
    assert refused.exit_code == 1 and oid in refused.output  # the open order is seen: a duplicate refused
