"""The audit trail: commits, refusals by git, offices outside git, and the installed executable."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from repairctl.office.folder import init_office


def test_outside_git_the_commands_work_and_warn(tmp_path, monkeypatch, clerk):
    shutil.rmtree(clerk.root / ".git")
    oid = clerk.new()
    result = clerk("assign", oid, "--to", "李师傅")
    assert "no audit trail" in result.output
    assert "technician: 李师傅" in clerk.order_file(oid).read_text("utf-8")


def test_a_locked_git_repository_refuses_and_leaves_the_file_as_it_was(clerk, no_lock_wait):
    oid = clerk.new()
    path = clerk.order_file(oid)
    before = path.read_bytes()
    (clerk.root / ".git" / "index.lock").touch()
    result = clerk("assign", oid, "--to", "李师傅", ok=False)
    assert result.exit_code == 1 and "index.lock" in result.output
    assert path.read_bytes() == before
    new = clerk("new", "--unit", "9-901", "--name", "王五", "--phone", "13600000000", "--desc", "灯不亮", ok=False)
    assert new.exit_code == 1 and not list(clerk.root.glob("records/orders/*/*/HQ-000002.yaml"))
    (clerk.root / ".git" / "index.lock").unlink()
    assert clerk.git("status", "--porcelain") == ""


def test_a_lock_another_git_releases_meanwhile_is_waited_out(clerk):
    """The real back-off, at its default: index.lock held for 0.3 s is waited out (tries at 0, 0.05,
    0.15, 0.35 s), and the change is committed as usual."""
    oid = clerk.new()
    lock = clerk.root / ".git" / "index.lock"
    lock.touch()

    def release() -> None:  # another git, done after 0.3 s (a sleep, not a Timer: its wait ignores faketime)
        time.sleep(0.3)
        lock.unlink()

    releasing = threading.Thread(target=release)
    started = time.monotonic()
    releasing.start()
    try:
        clerk("assign", oid, "--to", "李师傅", "--at", "2026-10-05 09:05")
        took = time.monotonic() - started
    finally:
        releasing.join()
    assert took >= 0.3 and clerk.git("log", "-1", "--format=%s") == f"assign {oid}: 派工给 李师傅\n"
    assert clerk.git("status", "--porcelain") == ""


def test_no_git_user_asks_for_one(clerk, isolated_git, monkeypatch):
    (isolated_git / ".gitconfig").write_text("", encoding="utf-8")
    monkeypatch.setenv("EMAIL", "")
    result = clerk("new", "--unit", "9-901", "--name", "王五", "--phone", "13600000000", "--desc", "灯不亮", ok=False)
    assert result.exit_code == 1 and "--by NAME" in result.output
    assert not list(clerk.root.glob("records/orders/*/*/*.yaml"))


def test_installed_executable_runs_a_whole_order(tmp_path, executable):
    root = init_office(tmp_path / "office", "HQ")
    env = {**os.environ, "REPAIRCTL_ROOT": str(root)}

    def run(*args: str) -> str:
        done = subprocess.run([executable, *args], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    oid = run("new", "--unit", "2栋501", "--name", "刘女士", "--phone", "13500001234", "--desc", "灯泡坏了",
              "--item", "E01", "--at", "2026-10-08 10:00").strip()
    run("assign", oid, "--to", "陈师傅", "--at", "2026-10-08 10:02")
    run("visit", oid, "--arrived", "--at", "2026-10-08 10:12")
    run("close", oid, "--work", "换灯泡", "--material", "灯泡:1:12", "--signed-by", "刘女士",
        "--at", "2026-10-08 10:20")
    run("callback", oid, "--method", "phone", "--satisfied", "--at", "2026-10-08 16:00")
    assert "called back" in run("show", oid)
    assert len(run("log", oid).splitlines()) == 5
    failed = subprocess.run([executable, "close", oid], env=env, capture_output=True, text=True)
    assert failed.returncode == 1 and failed.stderr.startswith("Error: cannot close")
    assert "Traceback" not in failed.stderr


def test_two_clerks_at_once_for_the_same_job_make_one_order(office_root):
    env = {**os.environ, "REPAIRCTL_ROOT": str(office_root)}
    command = [sys.executable, "-m", "repairctl", "new", "--unit", "6栋701", "--name", "业户", "--phone",
               "13800000000", "--desc", "马桶漏水", "--item", "W05"]
    procs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    for p in procs:
        p.communicate(timeout=60)
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 1, 1]  # one recorded, two told it is already open (003 §4.1.6)
    assert len(list(Path(office_root).glob("records/orders/*/*/*.yaml"))) == 1
