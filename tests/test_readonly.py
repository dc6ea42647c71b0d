"""Reading an office you cannot write: every read command answers, the derived state goes to the
user's cache folder, and a command that would change the office says so in one line.

The office is made read-only for real: `chmod -R a-w` for an ordinary user; for root, whom file
modes do not stop, a read-only bind mount of the office in a mount namespace of its own (`unshare
-rm`). The commands run as the installed executable, in a subprocess, as a supervisor would.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from functools import cache
from pathlib import Path

import pytest

from repairctl.store import state

MODES = ("chmod", "mount")


@cache
def mount_works(folder: str) -> bool:
    """Whether this machine lets a test mount a folder read-only in a namespace of its own."""
    if not shutil.which("unshare"):
        return False
    probe = ["unshare", "-rm", "sh", "-c", f"mount --bind '{folder}' '{folder}' && "
             f"mount -o remount,bind,ro '{folder}' '{folder}' && ! touch '{folder}/probe' 2>/dev/null"]
    return subprocess.run(probe, capture_output=True).returncode == 0


class ReadOnly:
    """Runs repairctl on an office it cannot write, one way or the other (mode)."""

    def __init__(self, root: Path, mode: str, executable: str):
        self.root, self.mode, self.executable = root, mode, executable

    def __enter__(self):
        if self.mode == "chmod":
            for path in (self.root, *self.root.rglob("*")):
                if not path.is_symlink():
                    path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        return self

    def __exit__(self, *exc):
        if self.mode == "chmod":  # writable again, for the next step and for pytest to clean up
            for path in (self.root, *self.root.rglob("*")):
                if not path.is_symlink():
                    path.chmod(path.stat().st_mode | stat.S_IWUSR)

    def __call__(self, *args: str) -> subprocess.CompletedProcess:
        command = [self.executable, "--root", str(self.root), *args]
        if self.mode == "mount":
            root = str(self.root)
            command = ["unshare", "-rm", "sh", "-c", f"mount --bind '{root}' '{root}' && "
                       f"mount -o remount,bind,ro '{root}' '{root}' && exec \"$@\"", "sh", *command]
        return subprocess.run(command, capture_output=True, text=True)


@pytest.fixture(params=MODES)
def read_only(request, tmp_path, executable, monkeypatch):
    """read_only(root): a context in which commands run on root as on an office they cannot write."""
    mode = request.param
    if mode == "chmod" and os.geteuid() == 0:
        pytest.skip("running as root, whom file modes do not stop: the read-only mount stands in")
    if mode == "mount" and not mount_works(str(tmp_path)):
        pytest.skip("unshare cannot make a read-only mount here (no user namespaces); chmod stands in")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return lambda root: ReadOnly(root, mode, executable)


def reads(ids, out: Path) -> list[tuple[str, ...]]:
    """Every read command, on the hand-built month."""
    return [("overdue", "--at", "2026-10-25 10:20", "--format", "json"), ("list",), ("list", "--format", "json"),
            ("show", ids[2]), ("show", ids[2], "--format", "json"), ("monthly", "2026-10", "--format", "json"),
            ("monthly", "2026-10", "--out", str(out)), ("check",), ("export", "--month", "2026-10"),
            ("slip", ids[2]), ("slip", ids[3], "--html"), ("log", ids[7])]


def answers(run, commands) -> list[tuple[int, str, str]]:
    return [(done.returncode, done.stdout, done.stderr) for done in (run(*args) for args in commands)]


def test_every_read_command_answers_on_an_office_it_cannot_write(clerk, october, read_only, snapshot, tmp_path,
                                                                   executable):
    commands = reads(october, tmp_path / "monthly.xlsx")
    before = snapshot(clerk)
    assert not (clerk.root / ".repairctl").exists()  # a fresh clone: nothing derived yet
    with read_only(clerk.root) as run:  # .repairctl/ cannot be made
        first = answers(run, commands)
        second = answers(run, commands)  # and again, from the cache kept in the user's folder
    assert not (clerk.root / ".repairctl").exists() and snapshot(clerk) == before
    kept = state.users(clerk.root)
    assert (kept / "cache.sqlite").is_file() and (kept / "office.json").is_file()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o700  # owners' phones: for this user alone
    # the same answers as on the office itself, written to as usual
    writable = answers(lambda *args: subprocess.run([executable, "--root", str(clerk.root), *args],
                                                    capture_output=True, text=True), commands)
    assert first == second == writable
    assert [status for status, _, _ in writable] == [1] + [0] * (len(commands) - 1)  # overdue: something late
    assert all(out for _, out, _ in writable[:-1]) and "Traceback" not in "".join(err for _, _, err in first)
    # .repairctl/ there now, but not writable: the user's folder still serves
    shutil.rmtree(kept)
    with read_only(clerk.root) as run:
        assert answers(run, commands) == writable
    assert (kept / "cache.sqlite").is_file()


def test_a_hand_edit_in_a_read_only_office_is_seen(clerk, october, read_only):
    # the cache in the user's folder follows the office as the office's own would
    with read_only(clerk.root) as run:
        assert "5栋0301" in run("show", october[1]).stdout
    path = clerk.order_file(october[1])
    path.write_text(path.read_text("utf-8").replace("5栋0301", "5栋0309"), encoding="utf-8")
    with read_only(clerk.root) as run:
        assert "5栋0309" in run("list", "--unit", "5栋0309").stdout


CHANGES = [("new", "--unit", "1栋101", "--name", "张三", "--phone", "13812345678", "--desc", "漏水"),
           ("assign", "{id}", "--to", "李师傅"), ("callback", "{id}", "--method", "phone", "--satisfied"),
           ("recover",)]


@pytest.mark.parametrize("args", CHANGES, ids=[c[0] for c in CHANGES])
def test_a_change_to_a_read_only_office_is_one_clear_line(clerk, october, read_only, snapshot, args):
    before = snapshot(clerk)
    with read_only(clerk.root) as run:
        done = run(*(a.format(id=october[9]) for a in args))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(f"Error: {clerk.root}: this office cannot be changed here: ")
    assert done.stderr.rstrip().endswith("read commands still answer") and done.stderr.count("\n") == 1
    assert snapshot(clerk) == before


def test_the_users_folder_is_named_by_the_office_path(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    one, other = state.users(tmp_path / "办公室 A"), state.users(tmp_path / "b" / "办公室 A")
    assert one.parent == other.parent == tmp_path / "xdg" / "repairctl" and one != other
    assert one.name.startswith("_A-") and one == state.users(tmp_path / "x" / ".." / "办公室 A")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # to be ignored, as the XDG rule says
    assert state.users(tmp_path).parent == Path.home() / ".cache" / "repairctl"


def test_a_writable_office_keeps_its_state_at_home(office_root, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert state.folder(office_root) == office_root / ".repairctl"
    (office_root / ".repairctl").mkdir()
    assert state.folder(office_root) == office_root / ".repairctl"
    assert not (tmp_path / "xdg").exists()


def test_no_writable_folder_at_all_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "/proc/no-such-place")
    with pytest.raises(state.OfficeError, match=r"cannot keep the office's cache here .*set XDG_CACHE_HOME"):
        state.made(state.users(tmp_path))
