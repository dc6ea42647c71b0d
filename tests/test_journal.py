"""Crash safety: a command killed between writing an order and committing it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

from repairctl.store import yamlio

# slow_commands (conftest): the command runs with a git that waits before it commits, and is killed there


def test_killed_after_the_write_the_next_command_says_how_to_finish(clerk, slow_commands):
    oid = clerk.new()
    path = clerk.order_file(oid)
    proc = slow_commands.start("assign", oid, "--to", "李师傅")
    slow_commands.kill_when(proc, lambda: b"technician" in path.read_bytes())
    assert yamlio.load_fast(path)["technician"] == "李师傅"  # the file is whole: the new version
    refused = clerk("visit", oid, "--arrived", ok=False)
    assert refused.exit_code == 1 and "interrupted `assign HQ-000001`" in refused.output and "recover" in refused.output
    # killed in its commit, it left git's index lock too: recover removes it, then commits
    removed, committed = clerk("recover").output.splitlines()
    assert removed.startswith(f"removed {clerk.root / '.git' / 'index.lock'}, left ") and "killed command" in removed
    assert committed == "committed: assign HQ-000001: 派工给 李师傅"
    assert clerk.git("status", "--porcelain") == ""
    clerk("visit", oid, "--arrived")
    assert clerk("recover").output.strip() == "nothing to recover"


def test_killed_new_order_can_be_recovered(clerk, slow_commands):
    proc = slow_commands.start("new", "--unit", "1-101", "--name", "李四", "--phone", "13900000000",
                               "--desc", "灯不亮", "--item", "E01")
    slow_commands.kill_when(proc, lambda: any(clerk.root.glob("records/orders/*/*/HQ-000001.yaml")))
    assert "interrupted `new HQ-000001`" in clerk("new", "--unit", "2-2", "--name", "x", "--phone", "13900000000",
                                                 "--desc", "灯", ok=False).output
    clerk("recover")
    assert clerk.git("log", "-1", "--format=%s").startswith("new HQ-000001")
    assert clerk.new() == "HQ-000002"


def test_a_stale_note_is_dropped_silently(clerk):
    oid = clerk.new()
    note = clerk.root / ".repairctl" / "journal.json"
    note.write_text('{"path": "records/orders/2026/10/HQ-000001.yaml", "message": "assign HQ-000001: x"}')
    clerk("assign", oid, "--to", "李师傅")
    assert not note.exists()


# --- git's index lock left behind -------------------------------------------------------------------

def state(clerk) -> tuple:
    files = {p: p.read_bytes() for p in sorted(clerk.root.rglob("*")) if p.is_file() and ".repairctl" not in p.parts
             and ".git" not in p.parts}
    return files, clerk.git("status", "--porcelain"), clerk.git("log", "--format=%H"), clerk.git("ls-files", "-s")


def test_a_lock_left_by_a_killed_git_is_explained_and_recover_removes_it(clerk, tmp_path, no_lock_wait,
                                                                      holding_commit):
    oid = clerk.new()
    git = holding_commit(clerk, tmp_path)
    os.killpg(git.pid, signal.SIGKILL)  # git and its hook, killed: the lock stays, as git left it
    git.wait()
    lock = clerk.root / ".git" / "index.lock"
    assert lock.exists()
    before = state(clerk)
    refused = clerk("assign", oid, "--to", "李师傅", ok=False)
    assert refused.exit_code == 1 and refused.output.count("\n") == 1
    assert refused.output.startswith(f"Error: a killed git command left {lock} (")
    assert refused.output.endswith(" old; no git process is running in this repository): run `repairctl recover` "
                                   f"to remove it, or rm '{lock}'\n")
    assert state(clerk) == before and lock.exists()
    done = clerk("recover")
    assert done.output.startswith(f"removed {lock}, left ") and done.output.endswith(
        " ago by a killed command (no git or repairctl process was running in this repository)\n")
    assert not lock.exists() and state(clerk) == before  # only the lock went: x.txt is still staged
    clerk("assign", oid, "--to", "李师傅")
    assert clerk.git("status", "--porcelain") == "A  x.txt\n"


def test_recover_leaves_a_lock_a_running_git_holds(clerk, tmp_path, no_lock_wait, holding_commit):
    clerk.new()
    git = holding_commit(clerk, tmp_path)
    try:
        before = state(clerk)
        refused = clerk("recover", ok=False)
        lock = clerk.root / ".git" / "index.lock"
        assert refused.exit_code == 1 and refused.output.startswith(f"Error: git is busy: {lock} is held (")
        assert f"a git command is running in this repository (pid {git.pid}: git -C " in refused.output
        assert refused.output.endswith("let it finish, then run the command again\n") and lock.exists()
        assert state(clerk) == before
    finally:
        (tmp_path / "release").touch()
        git.wait(timeout=30)
    assert clerk.git("log", "-1", "--format=%s") == "x\n" and clerk.git("status", "--porcelain") == ""


# a git that, once update-ref has moved HEAD, says so and waits: a kill there leaves HEAD moved, the
# index as it was and the lock (repairctl's) behind
AFTER_UPDATE_REF = """#!/bin/sh
case " $* " in *" update-ref "*) {git} "$@"; status=$?; : > "{marker}"; sleep 30; exit $status;; esac
exec {git} "$@"
"""


def test_killed_after_its_commit_recover_brings_the_index_up_to_date(clerk, tmp_path):
    oid = clerk.new()
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "git").write_text(AFTER_UPDATE_REF.format(git=shutil.which("git"), marker=tmp_path / "moved"))
    (shim / "git").chmod(0o755)
    env = {**os.environ, "PATH": f"{shim}:{os.environ['PATH']}", "REPAIRCTL_ROOT": str(clerk.root)}
    proc = subprocess.Popen([sys.executable, "-m", "repairctl", "assign", oid, "--to", "李师傅"], env=env,
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while not (tmp_path / "moved").exists():
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert clerk.git("log", "-1", "--format=%s") == f"assign {oid}: 派工给 李师傅\n"  # committed, index not written
    assert (clerk.root / ".git" / "index.lock").exists()
    lines = clerk("recover").output.splitlines()
    assert lines[0].startswith("removed ") and lines[1] == (
        f"committed already: assign {oid}: 派工给 李师傅 (git's index brought up to date)")
    assert clerk.git("status", "--porcelain") == "" and clerk.git("log", "-1", "--format=%s").startswith("assign")
