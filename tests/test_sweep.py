"""Nobody's work is swept into another's commit: hand edits, a clerk's staged work, a clerk's own
`git commit` running beside a command, and order files that are symbolic links."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ASSIGN = ("assign", "HQ-000001", "--to", "李师傅", "--by", "赵主管", "--at", "2026-10-05 09:05")


def state(clerk) -> tuple:
    """What must not change when a command is refused: every file's bytes (links as links), git's
    status, its log and its index."""
    files = {}
    for path in sorted(clerk.root.rglob("*")):
        if ".git" in path.parts or ".repairctl" in path.parts:
            continue
        if path.is_symlink():
            files[path] = ("link", os.readlink(path))
        elif path.is_file():
            files[path] = path.read_bytes()
    return (files, clerk.git("status", "--porcelain"), clerk.git("log", "--format=%H %an %s"),
            clerk.git("ls-files", "--stage"))


def run(clerk, executable, *args, env=None) -> subprocess.CompletedProcess:
    """The installed repairctl, in the clerk's office."""
    return subprocess.run([executable, *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "REPAIRCTL_ROOT": str(clerk.root), **(env or {})})


def files_of(clerk, commit: str) -> list[str]:
    return clerk.git("show", "--name-only", "--format=", commit).split()


def hand_edit(clerk, oid: str, old: str, new: str) -> Path:
    path = clerk.order_file(oid)
    path.write_text(path.read_text("utf-8").replace(old, new), encoding="utf-8")
    return path


# --- 1. a hand edit left uncommitted ------------------------------------------------------------


@pytest.mark.parametrize("staged", [False, True], ids=["edited", "edited and staged"])
def test_a_hand_edit_is_committed_first_in_the_git_users_name(clerk, executable, clerk_name, staged):
    oid = clerk.new()
    path = hand_edit(clerk, oid, "name: 张三", "name: 张先生")
    relpath = str(path.relative_to(clerk.root))
    if staged:
        clerk.git("add", relpath)
    done = run(clerk, executable, *ASSIGN)
    assert done.returncode == 0 and done.stdout == f"{oid} 已派工给 李师傅\n"
    assert done.stderr == (f"warning: {relpath} held an uncommitted edit: committed it first, in git's user's name, "
                           f"as 'hand edit {oid}: 手工修改，在 assign 之前提交'\n")
    assert clerk.git("log", "-3", "--format=%an <%ae>|%s").splitlines() == [
        f"赵主管 <>|assign {oid}: 派工给 李师傅",
        f"{clerk_name} <clerk@example.com>|hand edit {oid}: 手工修改，在 assign 之前提交",
        f"{clerk_name} <>|new {oid}: 3栋1201 厨房水龙头漏水"]
    hand, assign = clerk.git("show", "--format=", "HEAD~1"), clerk.git("show", "--format=", "HEAD")
    assert "+name: 张先生" in hand and "technician" not in hand  # each commit holds its own change only
    assert "张先生" not in assign and "+technician: 李师傅" in assign
    assert clerk.git("status", "--porcelain") == ""
    log = run(clerk, executable, "log", oid).stdout.splitlines()
    assert [line.split("  ")[2] for line in log] == [f"new {oid}: 3栋1201 厨房水龙头漏水",
                                                       f"hand edit {oid}: 手工修改，在 assign 之前提交",
                                                       f"assign {oid}: 派工给 李师傅"]


def test_an_order_copied_in_by_hand_is_committed_first_as_a_hand_edit(clerk, executable):
    oid = clerk.new()
    relpath = str(clerk.order_file(oid).relative_to(clerk.root))
    clerk.git("rm", "-q", "--cached", relpath)
    clerk.git("commit", "-q", "-m", "untrack")  # the file is here, but git does not know it
    assert run(clerk, executable, *ASSIGN).returncode == 0
    assert clerk.git("log", "-2", "--format=%s").splitlines() == [
        f"assign {oid}: 派工给 李师傅", f"hand edit {oid}: 手工修改，在 assign 之前提交"]
    assert files_of(clerk, "HEAD~1") == [relpath] and files_of(clerk, "HEAD") == [relpath]
    assert clerk.git("status", "--porcelain") == ""


def test_a_hand_edit_that_breaks_the_rules_is_refused_and_nothing_changes(clerk, executable):
    oid = clerk.new()
    path = hand_edit(clerk, oid, "status: received", "status: bogus")
    before = state(clerk)
    done = run(clerk, executable, *ASSIGN)
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"Error: {path}:") and "status 'bogus'" in done.stderr
    assert "git checkout -- FILE" in done.stderr
    assert state(clerk) == before  # the edit is still there, uncommitted, and nothing else moved


def test_a_step_that_does_not_fit_commits_no_hand_edit(clerk, executable):
    oid = clerk.new()
    hand_edit(clerk, oid, "name: 张三", "name: 张先生")
    before = state(clerk)
    done = run(clerk, executable, "callback", oid, "--method", "phone", "--satisfied")
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and done.stderr.startswith("Error: cannot callback")
    assert state(clerk) == before


@pytest.mark.parametrize("hook", [None, "post-commit"], ids=["plumbing", "git commit"])
def test_other_work_is_never_swept_into_a_commit(clerk, tmp_path, hook):
    """Edited, staged, new and deleted files beside the command's own stay as they were, staged or
    not, whichever way the commit is made (with a post-commit hook, `git commit -- FILE` makes it)."""
    first, second, third = clerk.new(), clerk.new("--force"), clerk.new("--force")
    if hook:
        hooks = tmp_path / "hooks"
        hooks.mkdir()
        (hooks / hook).write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
        (hooks / hook).chmod(0o755)
        clerk.git("config", "core.hooksPath", str(hooks))
    hand_edit(clerk, first, "name: 张三", "name: 张先生")  # edited, not staged
    hand_edit(clerk, second, "name: 张三", "name: 李四")
    clerk.git("add", str(clerk.order_file(second).relative_to(clerk.root)))  # edited and staged
    (clerk.root / "交接班.txt").write_text("早班\n", encoding="utf-8")
    clerk.git("add", "交接班.txt")  # a new file, staged
    (clerk.root / "草稿.txt").write_text("未完\n", encoding="utf-8")  # untracked
    clerk.git("rm", "-q", "--cached", "office.yaml")  # a deletion, staged
    status, index = clerk.git("status", "--porcelain"), clerk.git("ls-files", "--stage")
    made = clerk.new("--force", unit="5栋0101")
    clerk("assign", third, "--to", "李师傅", "--at", "2026-10-05 09:05")
    new_file = str(clerk.order_file(made).relative_to(clerk.root))
    assert files_of(clerk, "HEAD~1") == [new_file]
    assert files_of(clerk, "HEAD") == [str(clerk.order_file(third).relative_to(clerk.root))]
    assert clerk.git("status", "--porcelain") == status  # the clerk's work, staged or not, as it was
    others = [line for line in clerk.git("ls-files", "--stage").splitlines()
              if not line.endswith((new_file, f"{third}.yaml"))]
    assert others == [line for line in index.splitlines() if not line.endswith(f"{third}.yaml")]


# --- 2. a clerk's own git commit beside a command ----------------------------------------------------

# a git that, in commit-tree, says so and waits for the test's word: the command holds the index lock then
WAITING_GIT = """#!/bin/sh
for arg in "$@"; do case "$arg" in commit-tree)
  : > "{folder}/committing"; while [ ! -e "{folder}/go" ]; do sleep 0.02; done;; esac; done
exec {git} "$@"
"""


def waiting_new(clerk, tmp_path, executable, **env) -> subprocess.Popen:
    """`repairctl new` with a git that stops in commit-tree until tmp_path/go exists."""
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "git").write_text(WAITING_GIT.format(folder=tmp_path, git=shutil.which("git")), encoding="utf-8")
    (shim / "git").chmod(0o755)
    return subprocess.Popen([executable, "new", "--unit", "1-101", "--name", "李四", "--phone", "13900000000",
                             "--desc", "灯不亮", "--item", "E01", "--at", "2026-10-05 09:00"],
                            env={**os.environ, "PATH": f"{shim}:{os.environ['PATH']}",
                                 "REPAIRCTL_ROOT": str(clerk.root), **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(path: Path, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + 20
    while not path.exists():
        assert time.monotonic() < deadline and (proc is None or proc.poll() is None), f"never saw {path.name}"
        time.sleep(0.02)


def clerk_git(clerk, *args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(clerk.root), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def test_a_clerks_commit_while_a_command_commits_is_refused_by_git_and_sweeps_nothing(clerk, tmp_path, executable):
    """The race of issue 11: `git add x; git commit` while `new` is in commit-tree. Before, the
    clerk's commit took the new order file (under the message "x") and `new` then deleted it."""
    head = clerk.git("rev-parse", "HEAD").strip()
    proc = waiting_new(clerk, tmp_path, executable)
    wait_for(tmp_path / "committing", proc)
    (clerk.root / "x.txt").write_text("x\n", encoding="utf-8")
    added = clerk_git(clerk, "add", "x.txt")
    committed = clerk_git(clerk, "commit", "-q", "-m", "x")
    (tmp_path / "go").touch()
    out, err = proc.communicate(timeout=60)
    assert added.returncode == 128 and "index.lock': File exists" in added.stderr  # git's own refusal
    assert committed.returncode != 0 and "x" not in clerk.git("log", "--format=%s").split()
    assert proc.returncode == 0 and out.splitlines()[0] == "HQ-000001" and err == ""
    order = str(clerk.order_file("HQ-000001").relative_to(clerk.root))
    assert clerk.git("log", "--format=%s", f"{head}..HEAD").splitlines() == ["new HQ-000001: 1-101 灯不亮"]
    assert files_of(clerk, "HEAD") == [order] and (clerk.root / order).is_file()
    assert clerk.git("status", "--porcelain") == "?? x.txt\n"
    clerk.git("add", "x.txt")  # the clerk runs it again: it commits x alone
    clerk.git("commit", "-q", "-m", "x")
    assert files_of(clerk, "HEAD") == ["x.txt"] and files_of(clerk, "HEAD~1") == [order]


def test_a_clerks_commit_that_went_first_is_kept_and_the_command_goes_on_top(clerk, tmp_path, executable):
    """`git commit` of what is staged lets go of the index lock before it writes HEAD: if it lands
    while the command commits, the command's commit goes on top, holding its own file only."""
    head = clerk.git("rev-parse", "HEAD").strip()
    (clerk.root / "x.txt").write_text("x\n", encoding="utf-8")
    clerk.git("add", "x.txt")  # staged before the command takes the lock: in the lock's copy of the index
    proc = waiting_new(clerk, tmp_path, executable)
    wait_for(tmp_path / "committing", proc)
    # the clerk's commit, written as git commit writes it, lands while the command is in commit-tree
    mine = clerk.git("commit-tree", _tree_with(clerk, head, "x.txt"), "-p", head, "-m", "x").strip()
    clerk.git("update-ref", "HEAD", mine, head)
    (tmp_path / "go").touch()
    err = proc.communicate(timeout=60)[1]
    assert proc.returncode == 0 and err == ""
    order = str(clerk.order_file("HQ-000001").relative_to(clerk.root))
    assert clerk.git("log", "--format=%s", f"{head}..HEAD").splitlines() == ["new HQ-000001: 1-101 灯不亮", "x"]
    assert files_of(clerk, "HEAD") == [order] and files_of(clerk, "HEAD~1") == ["x.txt"]
    assert clerk.git("status", "--porcelain") == ""


def _tree_with(clerk, head: str, name: str) -> str:
    """HEAD's tree plus one work-tree file, made in an index of its own."""
    env = {"GIT_INDEX_FILE": str(clerk.root / ".git" / "test-index")}
    for args in (["read-tree", head], ["update-index", "--add", "--", name]):
        assert clerk_git(clerk, *args, env=env).returncode == 0
    tree = clerk_git(clerk, "write-tree", env=env).stdout.strip()
    (clerk.root / ".git" / "test-index").unlink()
    return tree


def test_a_command_waits_out_a_clerks_commit_and_commits_on_top(clerk, tmp_path, executable, holding_commit):
    head = clerk.git("rev-parse", "HEAD").strip()
    commit = holding_commit(clerk, tmp_path)
    new = subprocess.Popen([executable, "new", "--unit", "1-101", "--name", "李四", "--phone", "13900000000",
                            "--desc", "灯不亮", "--item", "E01"], env={**os.environ, "REPAIRCTL_ROOT": str(clerk.root)},
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)  # the command is waiting for the lock (2.15 s at most)
    (tmp_path / "release").touch()
    assert commit.wait(timeout=30) == 0
    err = new.communicate(timeout=60)[1]
    assert new.returncode == 0 and err == ""
    order = str(clerk.order_file("HQ-000001").relative_to(clerk.root))
    assert clerk.git("log", "--format=%s", f"{head}..HEAD").splitlines() == ["new HQ-000001: 1-101 灯不亮", "x"]
    assert files_of(clerk, "HEAD") == [order] and files_of(clerk, "HEAD~1") == ["x.txt"]
    assert clerk.git("status", "--porcelain") == ""


def test_a_clerks_commit_that_holds_the_lock_too_long_makes_the_command_refuse(clerk, tmp_path, executable,
                                                                                holding_commit):
    commit = holding_commit(clerk, tmp_path)
    before = state(clerk)
    try:
        done = run(clerk, executable, "new", "--unit", "1-101", "--name", "李四", "--phone", "13900000000",
                   "--desc", "灯不亮", "--item", "E01", env={"REPAIRCTL_GIT_LOCK_WAIT": "0.2"})
        assert done.returncode == 1 and done.stderr.count("\n") == 1
        assert done.stderr.startswith(f"Error: git is busy: {clerk.root / '.git' / 'index.lock'} is held")
        assert f"(pid {commit.pid}: git -C " in done.stderr and "let it finish" in done.stderr
        assert state(clerk) == before  # no order file, the clerk's x.txt staged as it was
    finally:
        (tmp_path / "release").touch()
        commit.wait(timeout=30)
    assert files_of(clerk, "HEAD") == ["x.txt"] and clerk.git("status", "--porcelain") == ""


# --- 6. order files that are symbolic links --------------------------------------------------------

CHANGES = [
    ("assign", "--to", "李师傅"),
    ("visit", "--arrived"),
    ("close", "--signed-by", "业户", "--work", "换水龙头"),
    ("fee", "--amount", "10"),
    ("callback", "--method", "phone", "--satisfied"),
    ("followup", "--note", "已处理"),
    ("cancel", "--reason", "业户自行修好"),
    ("refer", "--job", "S24"),
]


@pytest.mark.parametrize("command", CHANGES, ids=[c[0] for c in CHANGES])
def test_an_order_file_that_is_a_link_is_refused_by_every_change(clerk, tmp_path, executable, command):
    """Before, `assign` replaced a link to a file outside the office with that file's contents, and
    committed them."""
    oid = clerk.new()
    path = clerk.order_file(oid)
    outside = tmp_path / "elsewhere.yaml"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)
    clerk.git("add", "-A")
    clerk.git("commit", "-q", "-m", "link")
    before, target = state(clerk), outside.read_bytes()
    done = run(clerk, executable, command[0], oid, *command[1:])
    assert done.returncode == 1 and done.stderr == (
        f"Error: {path.relative_to(clerk.root)} is a symbolic link (to {outside}), not an order file: "
        "replace the link with a copy of the file it points to, and commit that\n")
    assert state(clerk) == before and outside.read_bytes() == target and path.is_symlink()


def test_an_order_in_a_linked_month_folder_is_refused(clerk, tmp_path, executable):
    oid = clerk.new(at="2026-10-05 09:00")
    month = clerk.order_file(oid).parent
    outside = tmp_path / "elsewhere"
    shutil.move(month, outside)
    month.symlink_to(outside, target_is_directory=True)
    clerk.git("add", "-A")
    clerk.git("commit", "-q", "-m", "link")
    before, inside = state(clerk), (outside / f"{oid}.yaml").read_bytes()
    done = run(clerk, executable, "assign", oid, "--to", "李师傅")
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "lies in a folder that is a symbolic link" in done.stderr
    new = run(clerk, executable, "new", "--unit", "1-101", "--name", "李四", "--phone", "13900000000",
              "--desc", "灯不亮", "--item", "E01", "--at", "2026-10-06 09:00")
    assert new.returncode == 1 and new.stderr == (
        "Error: records/orders/2026/10 is, or lies in, a symbolic link: new orders are filed only in real "
        "folders of the office; replace the link with a real folder, and commit that\n")
    assert state(clerk) == before and (outside / f"{oid}.yaml").read_bytes() == inside
    assert sorted(p.name for p in outside.iterdir()) == [f"{oid}.yaml"]
