"""The office's own details: `init --phone` writes the desk's phone, and `check` warns (exit 0) while
office.yaml still holds the shipped placeholder that the message note would print."""

from __future__ import annotations

import json
import subprocess

from click.testing import CliRunner

from repairctl.cli.app import cli
from repairctl.office import placeholder
from repairctl.store import yamlio


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_init_writes_the_phone_in_its_one_stored_form(tmp_path, isolated_git):
    made = run("init", str(tmp_path / "east"), "--phone", "(0755) 8888 1234")
    assert made.exit_code == 0, made.output
    assert "placeholder" not in made.output and "still 0755-00000000" not in made.output
    text = (tmp_path / "east" / "office.yaml").read_text("utf-8")
    assert "phone: '0755-88881234'\n" in text and "# phone:      客服电话" in text  # quoted, the comments kept
    checked = run("--root", str(tmp_path / "east"), "check")
    assert checked.exit_code == 0 and checked.stdout.strip() == "ok"


def test_init_without_a_phone_says_the_note_would_print_the_placeholder(tmp_path, isolated_git):
    made = run("init", str(tmp_path / "east"))
    assert made.exit_code == 0 and "still 0755-00000000" in made.stderr and "--phone" in made.stderr
    assert yamlio.load_fast(tmp_path / "east" / "office.yaml")["phone"] == placeholder.PHONE


def test_init_refuses_a_phone_that_is_none_and_writes_nothing(tmp_path, isolated_git):
    refused = run("init", str(tmp_path / "east"), "--phone", "12345")
    assert refused.exit_code == 1 and "--phone '12345' is not a phone number" in refused.output
    assert not (tmp_path / "east").exists()


def test_check_warns_at_the_placeholder_phone_and_exits_0(clerk, monkeypatch):
    monkeypatch.chdir(clerk.root)
    assert clerk("check").stdout.strip() == "ok"  # the tests' office has its own phone
    path = clerk.root / "office.yaml"
    text = path.read_text("utf-8")
    for written in ("'0755-00000000'", "'0755 0000 0000'", "'+86 755 0000 0000'"):
        path.write_text(text.replace("phone: '0755-26001234'", f"phone: {written}"), "utf-8")
        line = next(n for n, row in enumerate(path.read_text("utf-8").splitlines(), 1) if row.startswith("phone:"))
        checked = clerk("check")  # a warning alone: exit 0, so the pre-commit hook lets work be committed
        assert checked.stdout.splitlines() == [
            f"office.yaml:{line}:1: warning: phone is still the placeholder 0755-00000000, which the message note "
            "prints for the owner to call; write the desk's number, like phone: '0755-12345678'"], written
    as_json = json.loads(clerk("check", "--format", "json").stdout)
    assert [p["rule"] for p in as_json] == ["placeholder"]


def test_the_placeholder_warning_does_not_hide_a_real_problem(clerk, monkeypatch):
    monkeypatch.chdir(clerk.root)
    path = clerk.root / "office.yaml"
    path.write_text(path.read_text("utf-8").replace("phone: '0755-26001234'", "phone: '0755-00000000'"), "utf-8")
    clerk.new()
    order = clerk.order_file("HQ-000001")
    order.write_text(order.read_text("utf-8").replace("status: received", "status: resolved"), "utf-8")
    checked = clerk("check", ok=False)
    assert checked.exit_code == 1 and len(checked.stdout.splitlines()) == 2
    assert "placeholder" in checked.stdout and "resolved" in checked.stdout


def test_the_hook_commits_an_office_whose_phone_is_the_placeholder(tmp_path, isolated_git):
    root = tmp_path / "east"
    assert run("init", str(root)).exit_code == 0 and (root / ".git" / "hooks" / "pre-commit").is_file()
    committed = subprocess.run(["git", "-C", str(root), "commit", "-qam", "x", "--allow-empty"], capture_output=True,
                               text=True)
    assert committed.returncode == 0, committed.stderr


def test_the_note_and_the_warning_in_chinese(tmp_path):
    from tests.test_i18n import run as chinese
    from tests.test_i18n_reports import english_left

    made = chinese("init", str(tmp_path / "east"), "--no-hook")
    assert made.returncode == 0
    assert "提示：留言条上印的是 office.yaml 里的电话，现在还是示例号码 0755-00000000" in made.stderr
    checked = chinese("--root", str(tmp_path / "east"), "check")
    assert checked.returncode == 0 and "警告：phone 还是示例号码 0755-00000000" in checked.stdout
    assert english_left(made.stderr + checked.stdout) == []
