"""The shell's Tab: `repairctl completion bash|zsh|fish`, and what a Tab offers, asked the way the shell
asks (click's _REPAIRCTL_COMPLETE variable), through CliRunner and through bash itself."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from repairctl.cli.app import cli


def tab(clerk, line: str) -> list[tuple[str, str]]:
    """What zsh would be offered for the last word of a command line: (value, help) pairs."""
    words = ["repairctl", "--root", str(clerk.root), *line.split(" ")]
    env = {"_REPAIRCTL_COMPLETE": "zsh_complete", "COMP_WORDS": " ".join(words), "COMP_CWORD": str(len(words) - 1)}
    result = CliRunner().invoke(cli, [], env=env, prog_name="repairctl", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    return [(lines[i + 1], lines[i + 2]) for i in range(0, len(lines) - 2, 3)]


def values(clerk, line: str) -> list[str]:
    return [value for value, _ in tab(clerk, line)]


@pytest.fixture
def desk(clerk):
    """Three orders: the first closed, the other two open; a staff list with one technician nobody sent yet."""
    first = clerk.new(at="2026-10-05 09:00")
    clerk("assign", first, "--to", "李师傅", "--at", "2026-10-05 09:10")
    clerk("visit", first, "--arrived", "--at", "2026-10-05 09:30")
    clerk("close", first, "--signed-by", "业户", "--labour", "20", "--at", "2026-10-05 10:00")
    clerk.new("--force", at="2026-11-02 09:00", unit="5栋302", desc="灯不亮", item="E01")
    clerk.new("--force", at="2026-11-03 09:00", unit="8栋101", desc="门锁坏了", item="W01")
    clerk("assign", "HQ-000003", "--to", "陈师傅", "--at", "2026-11-03 09:10")
    (clerk.root / "records" / "staff.csv").write_text("姓名,工种\n王师傅,电工\n李师傅,水工\n", "utf-8")
    return clerk


def test_commands_and_options(desk):
    assert "list" in values(desk, "li") and "completion" in values(desk, "com")
    assert {"--q", "--name", "--phone", "--status"} <= set(values(desk, "list --"))


def test_open_order_ids_first_with_their_unit(desk):
    offered = tab(desk, "close HQ-")
    assert [value for value, _ in offered] == ["HQ-000002", "HQ-000003", "HQ-000001"]
    assert offered[0][1] == "5栋302 灯不亮" and offered[2][1] == "_"  # a finished order: no help
    assert values(desk, "show hq-0000") == ["HQ-000002", "HQ-000003", "HQ-000001"]  # any case
    assert values(desk, "show ＨＱ－０００００３") == ["HQ-000003"]  # full-width
    assert values(desk, "show hq—00000") == ["HQ-000002", "HQ-000003", "HQ-000001"]  # another dash
    assert values(desk, "show XX-") == []


def test_technicians_from_staff_and_orders(desk):
    assert tab(desk, "assign HQ-000002 --to ") == [("王师傅", "电工"), ("李师傅", "水工"), ("陈师傅", "1 order")]
    assert values(desk, "list --tech 陈") == ["陈师傅"]
    (desk.root / "records" / "staff.csv").unlink()
    assert values(desk, "list --tech ") == ["李师傅", "陈师傅"]


def test_catalogue_codes_with_their_names(desk):
    offered = dict(tab(desk, "new --item w0"))
    assert offered["W01"] == "更换普通水龙头" and all(code.startswith("W0") for code in offered)
    assert "S01" in values(desk, "assign HQ-000002 --item S")
    jobs = values(desk, "refer HQ-000002 --job ")
    assert jobs and all(code.startswith("S") for code in jobs)


def test_months_and_statuses(desk):
    assert tab(desk, "monthly ") == [("2026-11", "2 orders"), ("2026-10", "1 order")]
    assert values(desk, "list --month 2026-1") == ["2026-11", "2026-10"]
    statuses = dict(tab(desk, "list --status "))
    assert statuses["assigned"] == "已派工" and "open" in statuses and "finished" in statuses


def test_no_office_offers_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    words = "repairctl show HQ-"
    env = {"_REPAIRCTL_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": "2"}
    result = CliRunner().invoke(cli, [], env=env, prog_name="repairctl", catch_exceptions=False)
    assert result.exit_code == 0 and result.output.strip() == ""


@pytest.mark.parametrize(("shell", "mark"), [
    ("bash", "complete -o nosort -F _repairctl_completion repairctl"),
    ("zsh", "#compdef repairctl"),
    ("fish", "complete --no-files --command repairctl"),
])
def test_completion_prints_the_script(clerk, shell, mark):
    script = clerk("completion", shell).output
    assert mark in script and f"_REPAIRCTL_COMPLETE={shell}_complete" in script


def test_completion_refuses_another_shell(clerk):
    result = clerk("completion", "tcsh", ok=False)
    assert result.exit_code == 2 and "'tcsh' is not one of" in result.output


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_through_the_script(desk, executable):
    # the script as a user installs it, run by bash, calling the real executable on each Tab
    program = f"""eval "$(repairctl completion bash)"
COMP_WORDS=(repairctl --root '{desk.root}' close HQ-); COMP_CWORD=4
_repairctl_completion repairctl
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    env = {**os.environ, "PATH": f"{Path(executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "--norc", "-c", program], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.split() == ["HQ-000002", "HQ-000003", "HQ-000001"]
