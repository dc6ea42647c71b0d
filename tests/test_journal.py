"""Crash safety: a command killed between writing an order and committing it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from repairctl.store import yamlio

SLOW_GIT = """#!/bin/sh
# git, but `commit` (or `commit-tree`) says so and waits first: room to kill the command after the
# write, before the commit, and never while git holds index.lock (a kill then leaves the lock, as git would)
for arg in "$@"; do case "$arg" in commit|commit-tree) : > "{marker}"; sleep 30;; esac; done
exec {git} "$@"
"""


def start_slow(desk, tmp_path: Path, *args: str) -> subprocess.Popen:
    shim = tmp_path / "shim"
    shim.mkdir()
    real = subprocess.run(["which", "git"], capture_output=True, text=True).stdout.strip()
    (shim / "git").write_text(SLOW_GIT.format(git=real, marker=shim / "committing"))
    (shim / "git").chmod(0o755)
    env = {**os.environ, "PATH": f"{shim}:{os.environ['PATH']}", "REPAIRCTL_ROOT": str(desk.root)}
    proc = subprocess.Popen([sys.executable, "-m", "repairctl", *args], env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.committing = shim / "committing"
    return proc


def kill_when(proc: subprocess.Popen, written) -> None:
    deadline = time.monotonic() + 20
    while not (written() and proc.committing.exists()):
        assert time.monotonic() < deadline and proc.poll() is None, "the command never wrote the file"
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()  # reaps it and closes its pipes


def test_killed_after_the_write_the_next_command_says_how_to_finish(desk, tmp_path):
    oid = desk.new()
    path = desk.order_file(oid)
    proc = start_slow(desk, tmp_path, "assign", oid, "--to", "李师傅")
    kill_when(proc, lambda: b"technician" in path.read_bytes())
    assert yamlio.load_fast(path)["technician"] == "李师傅"  # the file is whole: the new version
    refused = desk("visit", oid, "--arrived", ok=False)
    assert refused.exit_code == 1 and "interrupted `assign HQ-000001`" in refused.output and "recover" in refused.output
    assert desk("recover").output.startswith("committed: assign HQ-000001: 派工给 李师傅")
    assert desk.git("status", "--porcelain") == ""
    desk("visit", oid, "--arrived")
    assert desk("recover").output.strip() == "nothing to recover"


def test_killed_new_order_can_be_recovered(desk, tmp_path):
    proc = start_slow(desk, tmp_path, "new", "--unit", "1-101", "--name", "李四", "--phone", "13900000000",
                      "--desc", "灯不亮", "--item", "E01")
    kill_when(proc, lambda: any(desk.root.glob("records/orders/*/*/HQ-000001.yaml")))
    assert "interrupted `new HQ-000001`" in desk("new", "--unit", "2-2", "--name", "x", "--phone", "13900000000",
                                                 "--desc", "灯", ok=False).output
    desk("recover")
    assert desk.git("log", "-1", "--format=%s").startswith("new HQ-000001")
    assert desk.new() == "HQ-000002"


def test_a_stale_note_is_dropped_silently(desk):
    oid = desk.new()
    note = desk.root / ".repairctl" / "journal.json"
    note.write_text('{"path": "records/orders/2026/10/HQ-000001.yaml", "message": "assign HQ-000001: x"}')
    desk("assign", oid, "--to", "李师傅")
    assert not note.exists()
