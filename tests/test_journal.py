"""Crash safety: a command killed between writing an order and committing it."""

from __future__ import annotations

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
