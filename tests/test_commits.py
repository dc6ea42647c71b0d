"""commits: one commit per change, of exactly its files: the very commit `git commit` would make."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from repairctl.store import commits

SUBJECT = "assign HQ-000001: 派工给 李师傅"


def git_with(root, env: dict, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True,
                          env={**os.environ, **env}).stdout


def git_run_by(clerk, tmp_path, monkeypatch, *command: str) -> set[str]:
    """Every argument of every git process the command started (from git's trace2 events)."""
    trace = tmp_path / "trace.json"
    trace.unlink(missing_ok=True)
    with monkeypatch.context() as traced:
        traced.setenv("GIT_TRACE2_EVENT", str(trace))
        clerk(*command)
    events = [json.loads(line) for line in trace.read_text().splitlines()]
    return {arg for event in events if event["event"] == "start" for arg in event["argv"]}


def test_the_commit_repairctl_writes_is_the_one_git_commit_would_write(clerk, monkeypatch, tmp_path):
    oid = clerk.new()
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-10-05T09:31:00+08:00")
    ran = git_run_by(clerk, tmp_path, monkeypatch, "assign", oid, "--to", "李师傅", "--at", "2026-10-05 09:30")
    assert "commit-tree" in ran and "commit" not in ran  # the usual case: repairctl wrote the commit
    written = clerk.git("rev-parse", "HEAD").strip()
    assert clerk.git("reflog", "-1", "--format=%gs").strip() == f"commit: {SUBJECT}"
    name, email, date, message = clerk.git("log", "-1", "--format=%an%x00%ae%x00%aI%x00%B").split("\0")
    clerk.git("reset", "-q", "--soft", "HEAD~1")
    git_with(clerk.root, {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date},
             "commit", "-q", "--no-verify", "-m", message)
    assert clerk.git("rev-parse", "HEAD").strip() == written  # byte for byte the same commit
    assert clerk.git("status", "--porcelain") == ""


@pytest.mark.parametrize("hook", ["post-commit", "prepare-commit-msg"])
def test_a_commit_hook_still_runs(clerk, tmp_path, hook):
    oid = clerk.new()
    hooks, marker = tmp_path / "hooks", tmp_path / "ran"
    hooks.mkdir()
    (hooks / hook).write_text(f"#!/bin/sh\necho {hook} >> '{marker}'\n", encoding="utf-8")
    (hooks / hook).chmod(0o755)
    clerk.git("config", "core.hooksPath", str(hooks))
    clerk("assign", oid, "--to", "李师傅", "--at", "2026-10-05 09:30")
    assert marker.read_text().split() == [hook]
    assert clerk.git("log", "-1", "--format=%s").strip() == SUBJECT and clerk.git("status", "--porcelain") == ""


def test_an_office_that_signs_its_commits_never_gets_an_unsigned_one(clerk):
    oid = clerk.new()
    path, head = clerk.order_file(oid), clerk.git("rev-parse", "HEAD")
    before = path.read_bytes()
    clerk.git("config", "commit.gpgsign", "true")
    clerk.git("config", "gpg.program", "false")  # signing fails: git commit was asked to sign
    refused = clerk("assign", oid, "--to", "李师傅", "--at", "2026-10-05 09:30", ok=False)
    assert refused.exit_code == 1 and "gpg failed to sign" in refused.output
    assert clerk.git("rev-parse", "HEAD") == head and path.read_bytes() == before
    assert clerk.git("status", "--porcelain") == ""


def test_a_commit_made_meanwhile_is_kept_and_the_change_goes_on_top(clerk):
    oid = clerk.new()
    path = clerk.order_file(oid)
    preflight = commits.Preflight(clerk.root)
    assert preflight.alone() and preflight.plain_parent()  # answered before the clerk's commit below
    (clerk.root / "交接班.txt").write_text("早班\n", encoding="utf-8")
    clerk.git("add", "交接班.txt")
    clerk.git("commit", "-q", "-m", "交接班")
    path.write_text(path.read_text("utf-8") + "# 改过\n", encoding="utf-8")
    commits.commit(clerk.root, [str(path.relative_to(clerk.root))], SUBJECT, author="王小红", existing=True,
                   preflight=preflight)
    assert clerk.git("log", "-3", "--format=%s").splitlines()[:2] == [SUBJECT, "交接班"]
    assert clerk.git("show", "--name-only", "--format=", "HEAD").split() == [str(path.relative_to(clerk.root))]
    assert clerk.git("status", "--porcelain") == ""


def test_work_staged_while_the_command_ran_stays_out_of_its_commit(clerk):
    oid = clerk.new()
    path = clerk.order_file(oid)
    preflight = commits.Preflight(clerk.root)
    assert preflight.alone() and preflight.plain_parent()  # nothing staged when asked
    (clerk.root / "notes.txt").write_text("早班\n", encoding="utf-8")
    clerk.git("add", "notes.txt")  # staged after the question, before the commit
    path.write_text(path.read_text("utf-8") + "# 改过\n", encoding="utf-8")
    commits.commit(clerk.root, [str(path.relative_to(clerk.root))], SUBJECT, author="王小红", existing=True,
                   preflight=preflight)
    assert clerk.git("show", "--name-only", "--format=", "HEAD").split() == [str(path.relative_to(clerk.root))]
    assert clerk.git("status", "--porcelain").splitlines() == ["A  notes.txt"]


def test_an_unchanged_file_makes_no_empty_commit(clerk):
    oid = clerk.new()
    path, head = clerk.order_file(oid), clerk.git("rev-parse", "HEAD")
    with pytest.raises(commits.GitError):
        commits.commit(clerk.root, [str(path.relative_to(clerk.root))], SUBJECT, author="王小红", existing=True)
    assert clerk.git("rev-parse", "HEAD") == head and clerk.git("status", "--porcelain") == ""


def test_a_cleanup_setting_is_git_commits_to_apply(clerk):
    oid = clerk.new()
    path = clerk.order_file(oid)
    clerk.git("config", "commit.cleanup", "verbatim")
    path.write_text(path.read_text("utf-8") + "# 改过\n", encoding="utf-8")
    commits.commit(clerk.root, [str(path.relative_to(clerk.root))], "assign  \n\n\nx", author="王小红", existing=True)
    assert clerk.git("cat-file", "commit", "HEAD").split("\n\n", 1)[1] == "assign  \n\n\nx\n"


def test_auto_maintenance_runs_unless_the_office_turned_it_off(clerk, monkeypatch, tmp_path):
    oid = clerk.new()
    clerk.git("config", "maintenance.auto", "false")
    ran = git_run_by(clerk, tmp_path, monkeypatch, "assign", oid, "--to", "李师傅", "--at", "2026-10-05 09:30")
    assert "commit-tree" in ran and "maintenance" not in ran
    clerk.git("config", "--unset", "maintenance.auto")
    ran = git_run_by(clerk, tmp_path, monkeypatch, "visit", oid, "--arrived", "--at", "2026-10-05 09:40")
    assert "maintenance" in ran


@pytest.mark.parametrize("message", ["new HQ-000001: 3栋1201 漏水  ", "标题\n\n\n正文\t\n", "\n\n 标题 \n正文\n\n",
                                     "全角空格\u3000", "行\u2028分隔", "a\r\nb \x0b"])
def test_a_message_is_kept_as_git_commit_keeps_it(tmp_path, message):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    git_with(tmp_path, {}, "commit", "-q", "--allow-empty", "-m", message)
    stored = git_with(tmp_path, {}, "cat-file", "commit", "HEAD").split("\n\n", 1)[1]
    assert stored == commits.tidy(message) + "\n"


def test_a_commit_git_refuses_leaves_nothing_staged(clerk, isolated_git, monkeypatch):
    (isolated_git / ".gitconfig").write_text("", encoding="utf-8")  # no committer identity
    monkeypatch.setenv("EMAIL", "")
    result = clerk("new", "--unit", "9-901", "--name", "王五", "--phone", "13600000000", "--desc", "灯不亮",
                  "--by", "王小红", ok=False)
    assert result.exit_code == 1 and "git does not know who you are" in result.output
    assert clerk.git("status", "--porcelain") == "" and not list(clerk.root.glob("records/orders/*/*/*.yaml"))


def test_work_a_clerk_staged_stays_staged_and_out_of_every_commit(clerk):
    oid = clerk.new()
    (clerk.root / "records" / "notes.txt").write_text("交接班记录\n", encoding="utf-8")
    clerk.git("add", "records/notes.txt")
    other = clerk.new("--force")  # a new file, committed while something else is staged
    clerk("assign", oid, "--to", "李师傅", "--at", "2026-10-05 09:30")  # a tracked file, likewise
    for commit in ("HEAD", "HEAD~1"):
        assert "records/notes.txt" not in clerk.git("show", "--name-only", "--format=", commit)
    assert clerk.git("show", "--name-only", "--format=", "HEAD~1").split()[0].endswith(f"{other}.yaml")
    assert clerk.git("status", "--porcelain").splitlines() == ["A  records/notes.txt"]


def test_with_nothing_staged_each_change_is_one_commit_of_its_file(clerk):
    oid = clerk.new()
    clerk("assign", oid, "--to", "李师傅", "--at", "2026-10-05 09:30")
    for commit in ("HEAD", "HEAD~1"):
        assert clerk.git("show", "--name-only", "--format=", commit).split() == [
            str(clerk.order_file(oid).relative_to(clerk.root))]
    assert clerk.git("status", "--porcelain") == ""


def test_an_order_copied_in_by_hand_is_committed_on_its_first_change(clerk):
    oid = clerk.new()
    path = clerk.order_file(oid)
    clerk.git("rm", "-q", "--cached", str(path.relative_to(clerk.root)))
    clerk.git("commit", "-q", "-m", "untrack")  # the file is here, but git does not know it
    clerk("assign", oid, "--to", "李师傅", "--at", "2026-10-05 09:30")
    assert clerk.git("show", "--name-only", "--format=", "HEAD").split() == [str(path.relative_to(clerk.root))]
    assert clerk.git("status", "--porcelain") == ""


@pytest.mark.parametrize("setting, pauses", [
    (None, [0.05, 0.1, 0.2, 0.4, 0.6, 0.8]),  # the default: 2.15 s
    ("0", []),  # one try
    ("0.3", [0.05, 0.1, 0.15]),
    ("3", [0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 0.8, 0.05]),  # longer: the last pause again
])
def test_the_wait_for_index_lock_follows_repairctl_git_lock_wait(monkeypatch, setting, pauses):
    if setting is not None:
        monkeypatch.setenv("REPAIRCTL_GIT_LOCK_WAIT", setting)
    assert commits.lock_pauses() == pytest.approx(pauses)


def test_a_merge_in_progress_is_refused_not_concluded_under_the_commands_name(clerk):
    """Before, `git commit -i -- FILE` concluded the clerk's merge with the command's message."""
    oid = clerk.new()
    clerk.git("checkout", "-q", "-b", "other")
    (clerk.root / "交接班.txt").write_text("早班\n", encoding="utf-8")
    clerk.git("add", "交接班.txt")
    clerk.git("commit", "-q", "-m", "交接班")
    clerk.git("checkout", "-q", "-")
    clerk.git("merge", "-q", "-s", "ours", "--no-commit", "other")  # a merge with nothing staged
    path = clerk.order_file(oid)
    before = (path.read_bytes(), clerk.git("status", "--porcelain"), clerk.git("log", "--format=%H"),
              clerk.git("ls-files", "--stage"))
    refused = clerk("assign", oid, "--to", "李师傅", ok=False)
    assert refused.exit_code == 1 and refused.output == (
        "Error: a merge is in progress in this repository: finish it with `git commit` (or `git merge --abort`) "
        "first, so that its commit holds only its own changes\n")
    assert (path.read_bytes(), clerk.git("status", "--porcelain"), clerk.git("log", "--format=%H"),
            clerk.git("ls-files", "--stage")) == before
    assert (clerk.root / ".git" / "MERGE_HEAD").exists()
