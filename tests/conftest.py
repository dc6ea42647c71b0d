"""Shared fixtures: a real office folder in a real git repository, and ways to run commands on it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from repairctl.cli.app import cli
from repairctl.office.folder import init_office, load_office

CLERK = "王小红"
# The tests' "now" (REPAIRCTL_NOW, read by repairctl.text.clock.now): after every time the tests
# record, so no --at of theirs is "in the future", and fixed, so no answer depends on the day the
# suite runs. A test about the clock itself sets or removes it with monkeypatch.
NOW = "2026-11-25T12:00:00+08:00"
GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, text: str) -> None:
    """Compare text with tests/golden/name; REPAIRCTL_UPDATE_GOLDEN=1 rewrites the golden file instead."""
    path = GOLDEN / name
    if os.environ.get("REPAIRCTL_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {name}; create it with REPAIRCTL_UPDATE_GOLDEN=1"
    assert text == path.read_text("utf-8"), f"{name} differs; REPAIRCTL_UPDATE_GOLDEN=1 regenerates it"


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory, monkeypatch):
    """Every test gets its own HOME and git identity, and no office from the environment."""
    home = tmp_path_factory.mktemp("home")
    (home / ".gitconfig").write_text(f"[user]\n\tname = {CLERK}\n\temail = clerk@example.com\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("REPAIRCTL_ROOT", raising=False)
    return home


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch) -> str:
    """Every test, and every command it starts in a subprocess, runs at NOW."""
    monkeypatch.setenv("REPAIRCTL_NOW", NOW)
    return NOW


@pytest.fixture
def office_root(tmp_path) -> Path:
    """A new office folder, HQ, freshly committed."""
    return init_office(tmp_path / "office", "HQ", "测试管理处")


@pytest.fixture
def office(office_root):
    return load_office(office_root)


class Desk:
    """Runs repairctl commands against one office through click's CliRunner."""

    def __init__(self, root: Path):
        self.root = root

    def __call__(self, *args: str, ok: bool = True):
        result = CliRunner().invoke(cli, ["--root", str(self.root), *args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    def new(self, *extra: str, at: str = "2026-10-05 09:00") -> str:
        """Record a standard request (unit 3栋1201, item W01 unless given) and return its ID."""
        args = ["new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678", "--desc", "厨房水龙头漏水",
                "--at", at, *extra]
        if "--item" not in extra:
            args += ["--item", "W01"]
        return self(*args).stdout.splitlines()[0]

    def git(self, *args: str) -> str:
        return subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True, check=True).stdout

    def order_file(self, order_id: str) -> Path:
        return next(self.root.glob(f"records/orders/*/*/{order_id}.yaml"))


@pytest.fixture
def desk(office_root) -> Desk:
    return Desk(office_root)
