"""Several clerks share one office through a real bare repository: desk letters keep their IDs apart
while they work offline, and sync brings everything together with nothing lost and the cache true."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from repairctl.office import desks
from repairctl.store import driver, files

NEW = ["--name", "张三", "--phone", "13812345678", "--desc", "厨房水龙头漏水", "--item", "W01"]
# a pre-push hook that waits until two pushes have reached it: both have read the server's branch
# before either changes it, so one of them must be refused and try again
BARRIER = """#!/bin/sh
cat > /dev/null
touch "{folder}/$$"; n=0
while [ "$(ls "{folder}" | wc -l)" -lt 2 ] && [ $n -lt 500 ]; do sleep 0.02; n=$((n + 1)); done
"""


def git(*args) -> str:
    return subprocess.run(["git", *map(str, args)], capture_output=True, text=True, check=True).stdout


def same_as_fresh(clerk) -> None:
    """The cache answers as one built from nothing would (list and overdue, every field)."""
    answers = [clerk(*command, ok=False).stdout for command in (["list", "--format", "json"],
                                                                ["overdue", "--format", "json"])]
    (clerk.root / files.STATE / "cache.sqlite").unlink()
    assert [clerk(*command, ok=False).stdout for command in (["list", "--format", "json"],
                                                             ["overdue", "--format", "json"])] == answers


def ids(clerk) -> list[str]:
    return [row["id"] for row in json.loads(clerk("list", "--format", "json").stdout)]


def no_conflict_markers(root: Path) -> None:
    for path in (root / "records").rglob("*.yaml"):
        assert not re.search(r"^(<{7}|={7}|>{7})", path.read_text("utf-8"), re.M), path


@pytest.fixture
def shared(clerk, tmp_path, make_clerk, monkeypatch):
    """The test's office, joined to a new bare repository (desk A), and desk(name) for a clerk's clone of it.

    No racy window (files.RACY_NS): a file a merge wrote is trusted from the cache as any other, so
    the cache must learn of it from git (store/refresh.py), as it must on a real desk."""
    monkeypatch.setattr(files, "RACY_NS", 0)
    monkeypatch.setenv("REPAIRCTL_RACY_SECONDS", "0")
    server = tmp_path / "server.git"
    git("init", "-q", "--bare", server)
    clerk.git("remote", "add", "origin", str(server))
    assert "claimed desk A" in clerk("join").stdout

    def desk(name: str, *extra: str):
        clerk("clone", str(server), str(tmp_path / name), *extra)
        return make_clerk(tmp_path / name)

    return SimpleNamespace(server=server, office=clerk, desk=desk)


def test_three_desks_working_offline_never_issue_one_id_and_sync_loses_nothing(shared):
    a, b, c = shared.office, shared.desk("b"), shared.desk("c")
    made = {}
    for n, who in enumerate((a, b, c)):  # offline: nobody fetches
        made[who.root.name] = [who.new("--force", at=f"2026-10-0{n + 1} 0{hour}:00", unit=f"{n + 1}栋0{hour}01")
                               for hour in (8, 9)]
    assert made == {"office": ["HQ-000001A", "HQ-000002A"], "b": ["HQ-000001B", "HQ-000002B"],
                    "c": ["HQ-000001C", "HQ-000002C"]}
    b("assign", "HQ-000001B", "--to", "李师傅", "--at", "2026-10-02 08:05")
    assert c("sync").stdout == "pushed 2 changes to origin/master\n"  # the first: nothing to pull
    same_as_fresh(c)
    for who in (a, b, a, c):
        who("sync")
        same_as_fresh(who)
    everything = sorted(order for orders in made.values() for order in orders)
    for who in (a, b, c):
        assert sorted(ids(who)) == everything
        assert who.git("rev-parse", "HEAD") == git("-C", shared.server, "rev-parse", "HEAD")
        no_conflict_markers(who.root)
        assert who("check").stdout == "ok\n"
    assert json.loads(a("show", "hq-000001b", "--format", "json").stdout)["technician"] == "李师傅"
    assert c("sync").stdout == "已是最新 up to date with origin/master\n"
    # Lamport's clock: the next number is one above every desk's, whoever issued it
    assert b.new("--force", at="2026-10-05 10:00") == "HQ-000003B"
    assert "A: {" in (a.root / "desks.yaml").read_text("utf-8") and "C: {" in (b.root / "desks.yaml").read_text("utf-8")


def test_a_plain_git_clone_changes_no_order_before_join(shared, tmp_path, make_clerk, snapshot):
    """Its git has no merge driver: an order it changed would meet another desk's with git's text merge."""
    order = shared.office.new(unit="1栋0101")
    shared.office("sync")
    git("clone", "-q", shared.server, tmp_path / "plain")
    plain = make_clerk(tmp_path / "plain")
    before = snapshot(plain)
    for command in (["assign", order, "--to", "李师傅"], ["visit", order, "--reschedule", "2026-11-26 09:00"],
                    ["cancel", order, "--reason", "业户取消"]):
        refused = plain(*command, ok=False)
        assert refused.exit_code == 1 and len(refused.output.strip().splitlines()) == 1, refused.output
        assert "run `repairctl join`" in refused.output and "conflict markers" in refused.output
    assert snapshot(plain) == before
    plain("join")
    assert "已派工给 李师傅" in plain("assign", order, "--to", "李师傅").stdout


def test_a_plain_git_clone_is_told_to_join_and_then_works(shared, tmp_path, make_clerk, snapshot):
    git("clone", "-q", shared.server, tmp_path / "plain")
    plain = make_clerk(tmp_path / "plain")
    before = snapshot(plain)
    refused = plain("new", "--unit", "3栋1201", *NEW, ok=False)
    assert refused.exit_code == 1 and "`repairctl join`" in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    sheet = "单元,业户姓名,联系电话,维修内容\n3栋1201,张三,13812345678,漏水\n"
    (tmp_path / "in.csv").write_text(sheet, encoding="utf-8")
    assert "`repairctl join`" in plain("import", str(tmp_path / "in.csv"), ok=False).output
    assert snapshot(plain) == before
    assert plain("show", "HQ-000001A", ok=False).exit_code == 1  # reads need no desk: nothing is there yet
    assert "claimed desk B" in plain("join").stdout
    assert driver.registered(plain.root) == driver.command()
    assert plain.new() == "HQ-000001B"
    assert plain("sync").stdout == "pushed 1 change to origin/master\n"
    same_as_fresh(plain)


def test_join_moves_the_original_office_to_desk_letters(clerk, tmp_path, snapshot):
    home = clerk.new()
    assert home == "HQ-000001"  # no remote, no desk: IDs as before sharing
    server = tmp_path / "server.git"
    git("init", "-q", "--bare", server)
    clerk.git("remote", "add", "origin", str(server))
    assert "`repairctl join`" in clerk("new", "--unit", "3栋1202", *NEW, ok=False).output
    assert clerk("join").stdout == f"{clerk.root}: claimed desk A; its new orders get IDs like HQ-000002A\n"
    assert clerk.git("config", desks.KEY) == "A\n"
    assert clerk.git("rev-parse", "--abbrev-ref", "@{u}") == "origin/master\n"
    assert "A: {" in git("-C", server, "show", "HEAD:desks.yaml")
    assert clerk.new("--force") == "HQ-000002A"
    assert json.loads(clerk("show", home, "--format", "json").stdout)["id"] == home  # old IDs stay valid
    before = snapshot(clerk)
    assert clerk("join").stdout == f"{clerk.root}: is desk A; its new orders get IDs like HQ-000003A\n"
    assert snapshot(clerk) == before


def test_join_with_a_remote_moves_an_office_in_one_command(clerk, tmp_path, snapshot):
    clerk.new()
    server = tmp_path / "server.git"
    git("init", "-q", "--bare", server)
    nowhere = tmp_path / "nowhere.git"
    before = snapshot(clerk)
    refused = clerk("join", str(nowhere), ok=False)  # unreachable: the office as it was, no remote left behind
    assert refused.exit_code == 1 and len(refused.output.strip().splitlines()) == 1
    assert snapshot(clerk) == before and clerk.git("remote") == ""
    assert "claimed desk A" in clerk("join", str(server)).stdout
    assert clerk.git("remote", "get-url", "origin") == f"{server}\n"
    assert git("-C", server, "log", "--format=%s", "-1") == clerk.git("log", "--format=%s", "-1")  # pushed
    assert "already" in clerk("join", str(nowhere), ok=False).output  # another server: refused


def test_join_needs_the_remote_and_refuses_in_one_line_offline(clerk, tmp_path, snapshot):
    assert "no git remote" in clerk("join", ok=False).output
    clerk.git("remote", "add", "origin", str(tmp_path / "nowhere.git"))
    before = snapshot(clerk)
    refused = clerk("join", ok=False)
    assert refused.exit_code == 1 and refused.output.startswith("Error: cannot reach origin (")
    assert len(refused.output.strip().splitlines()) == 1
    assert snapshot(clerk) == before
    assert desks.settings(clerk.root) == ("", True)


def test_a_claimed_letter_is_refused_and_the_clone_removed(shared, tmp_path):
    refused = shared.office("clone", str(shared.server), str(tmp_path / "x"), "--desk", "a", ok=False)
    assert "desk A is claimed already" in refused.output and "the clone was removed" in refused.output
    assert not (tmp_path / "x").exists()
    (tmp_path / "mine").mkdir()  # a folder the clerk made for it stays, empty, as git clone leaves it
    refused = shared.office("clone", str(shared.server), str(tmp_path / "mine"), "--desk", "A", ok=False)
    assert refused.exit_code == 1 and (tmp_path / "mine").is_dir() and not any((tmp_path / "mine").iterdir())
    refused = shared.office("clone", str(shared.server), str(tmp_path / "z"), "--desk", "1", ok=False)
    assert refused.exit_code == 2 and "not a desk letter" in refused.output and not (tmp_path / "z").exists()
    assert shared.desk("y", "--desk", "q").git("config", desks.KEY) == "Q\n"


def test_two_clones_claiming_at_once_get_two_letters(shared, tmp_path, executable):
    template, barrier = tmp_path / "template", tmp_path / "barrier"
    (template / "hooks").mkdir(parents=True)
    barrier.mkdir()
    (template / "hooks" / "pre-push").write_text(BARRIER.format(folder=barrier), encoding="utf-8")
    (template / "hooks" / "pre-push").chmod(0o755)
    env = {**os.environ, "GIT_TEMPLATE_DIR": str(template)}  # git clone puts the hook into each new clone
    procs = [subprocess.Popen([executable, "clone", str(shared.server), str(tmp_path / name)], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for name in ("p", "q")]
    outputs = [proc.communicate(timeout=60) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    letters = sorted(git("-C", tmp_path / name, "config", desks.KEY).strip() for name in ("p", "q"))
    assert letters == ["B", "C"]
    assert re.findall(r"^  ([A-Z]):", git("-C", shared.server, "show", "HEAD:desks.yaml"), re.M) == ["A", "B", "C"]


def test_two_syncs_at_once_one_retries_and_both_get_through(shared, tmp_path, executable, make_clerk):
    b, c = shared.desk("b"), shared.desk("c")
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    for who, unit in ((b, "1栋0101"), (c, "2栋0101")):
        who.new(unit=unit)
        hook = who.root / ".git" / "hooks" / "pre-push"
        hook.write_text(BARRIER.format(folder=barrier), encoding="utf-8")
        hook.chmod(0o755)
    procs = [subprocess.Popen([executable, "--root", str(who.root), "sync"], text=True, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for who in (b, c)]
    outputs = [proc.communicate(timeout=60) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    said = [out.splitlines() for out, _ in outputs]  # b pulls c's claim first; the second pulls the first's order
    assert sorted("retried after a concurrent push (1×)" in lines for lines in said) == [False, True], said
    assert all(lines[-1] == "pushed 1 change to origin/master" for lines in said), said
    for who in (b, c, shared.office):
        who("sync")
        assert sorted(ids(who)) == ["HQ-000001B", "HQ-000001C"]
        same_as_fresh(who)


def test_one_order_changed_on_two_desks_merges_by_its_events_or_is_named_with_its_resolve(shared):
    a = shared.office
    first, second = a.new(unit="1栋0101"), a.new(unit="1栋0102")
    a("sync")
    b, c = shared.desk("b"), shared.desk("c")
    b("assign", first, "--to", "李师傅", "--at", "2026-10-05 09:05")
    b("assign", second, "--to", "李师傅", "--at", "2026-10-05 09:05")
    c("cancel", first, "--reason", "业户自行修好", "--at", "2026-10-05 09:10")  # after b's dispatch: compatible
    c("assign", second, "--to", "王师傅", "--at", "2026-10-05 09:06")  # another technician: a contradiction
    b("sync")
    synced = c("sync", ok=False)  # done and pushed, but a person must choose: exit 1
    assert synced.exit_code == 1
    said = synced.stdout.splitlines()
    assert said[:2] == ["pulled 2 changes from origin/master", "pushed 2 changes to origin/master"]
    assert said[2].startswith(f"{second}: 维修人员 在 ours 中为 王师傅，在 theirs 中为 李师傅；"
                              "ours（文件显示的版本）：")
    assert said[2].endswith(f"; choose one with `repairctl resolve {second} --take ours|theirs`") and len(said) == 3
    merged = json.loads(c("show", first, "--format", "json").stdout)
    assert (merged["status"], merged["technician"]) == ("cancelled", "李师傅")
    assert [event["action"] for event in merged["events"]] == ["received", "assigned", "cancelled"]
    no_conflict_markers(c.root)
    same_as_fresh(c)
    c("resolve", second, "--take", "theirs")
    assert c("sync").stdout == "pushed 1 change to origin/master\n"
    assert b("sync").stdout == "pulled 3 changes from origin/master\n"  # b's merge of c's resolved file: nothing left
    assert json.loads(b("show", second, "--format", "json").stdout)["technician"] == "李师傅"
    same_as_fresh(b)


def test_sync_refuses_while_an_order_file_has_uncommitted_changes(shared, snapshot):
    b = shared.desk("b")
    order = b.order_file(b.new())
    order.write_text(order.read_text("utf-8").replace("厨房", "厨房的"), encoding="utf-8")
    server = git("-C", shared.server, "rev-parse", "HEAD")
    before = snapshot(b)
    refused = b("sync", ok=False)
    assert refused.exit_code == 1 and len(refused.output.strip().splitlines()) == 1
    assert "HQ-000001B.yaml: uncommitted changes to order files" in refused.output
    assert snapshot(b) == before and git("-C", shared.server, "rev-parse", "HEAD") == server


def test_a_conflict_in_office_yaml_is_aborted_and_named_with_nothing_lost(shared):
    b, c = shared.desk("b"), shared.desk("c")
    for who, name in ((b, "翠苑一"), (c, "翠苑二")):
        path = who.root / "office.yaml"
        path.write_text(re.sub(r"(?m)^name:.*$", f"name: {name}", path.read_text("utf-8")), encoding="utf-8")
        who.git("commit", "-qam", f"rename {name}")
    c.new()
    b("sync")
    head = c.git("rev-parse", "HEAD")
    refused = c("sync", ok=False)
    assert refused.exit_code == 1 and len(refused.output.strip().splitlines()) == 1
    assert refused.output.startswith("Error: office.yaml changed here and on origin/master")
    assert c.git("rev-parse", "HEAD") == head and c.git("status", "--porcelain") == ""
    assert not (c.root / ".git" / "MERGE_HEAD").exists()
    assert ids(c) == ["HQ-000001C"]
    same_as_fresh(c)


def test_sync_leaves_a_merge_of_the_clerks_own_alone(shared):
    b, c = shared.desk("b"), shared.desk("c")
    c.new()
    c("sync")
    b.git("fetch", "-q")
    b.git("merge", "-q", "--no-commit", "--no-ff", "origin/master")  # by hand, not finished
    refused = b("sync", ok=False)
    assert refused.output.startswith("Error: a merge is under way in this repository: finish it")
    assert (b.root / ".git" / "MERGE_HEAD").exists()


def test_an_unreachable_server_keeps_the_local_commits(shared, tmp_path, executable):
    b = shared.desk("b")
    b.new()
    b.git("remote", "set-url", "origin", str(tmp_path / "gone.git"))
    head = b.git("rev-parse", "HEAD")
    done = subprocess.run([executable, "--root", str(b.root), "sync"], capture_output=True, text=True)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("Error: cannot reach origin (") and len(done.stderr.splitlines()) == 1
    assert b.git("rev-parse", "HEAD") == head and ids(b) == ["HQ-000001B"]


def test_sync_pushes_an_office_with_one_remote_and_sets_the_upstream(clerk, tmp_path):
    clerk.new()  # no remote yet: the home desk's ID
    server = tmp_path / "server.git"
    git("init", "-q", "--bare", server)
    clerk.git("remote", "add", "origin", str(server))
    assert re.fullmatch(r"pushed \d changes to origin/master, now this branch's upstream\n", clerk("sync").stdout)
    assert clerk.git("rev-parse", "@{u}") == git("-C", server, "rev-parse", "HEAD")
    assert clerk("sync").stdout == "已是最新 up to date with origin/master\n"


def test_sync_registers_the_driver_of_an_office_older_than_sharing(clerk, tmp_path):
    clerk.git("rm", "-q", ".gitattributes")
    clerk.git("commit", "-qm", "an office from before sharing")
    clerk.git("config", "--remove-section", f"merge.{driver.NAME}")
    server = tmp_path / "server.git"
    git("init", "-q", "--bare", server)
    clerk.git("remote", "add", "origin", str(server))
    clerk("sync")
    assert driver.registered(clerk.root) == driver.command()
    attributes = git("-C", server, "show", "HEAD:.gitattributes").splitlines()
    assert driver.LINE in attributes and desks.ATTRIBUTE in attributes
    assert clerk.git("status", "--porcelain") == ""


def test_the_cache_is_right_after_a_plain_pull_with_rebase_or_merge(shared):
    b, c = shared.desk("b"), shared.desk("c")

    def seen(clerk) -> dict:
        return {row["id"]: row.get("technician") for row in json.loads(clerk("list", "--format", "json").stdout)}

    b.new(unit="1栋0101")
    b("sync")
    c.new(unit="2栋0101")
    c("sync")
    assert seen(b) == {"HQ-000001B": ""}  # b's cache holds its order as received
    c("assign", "HQ-000001B", "--to", "李师傅", "--at", "2026-10-05 09:05")  # changed elsewhere: same file name
    c("sync")
    b.new(unit="1栋0102", at="2026-10-05 10:00")  # a commit of b's own, for the rebase to move
    b.git("pull", "-q", "--rebase")
    assert seen(b) == {"HQ-000001B": "李师傅", "HQ-000001C": "", "HQ-000002B": ""}
    same_as_fresh(b)
    b("sync")
    b("assign", "HQ-000001C", "--to", "王师傅", "--at", "2026-10-05 09:10")
    b("sync")
    c.new(unit="2栋0102", at="2026-10-06 09:00")
    assert seen(c)["HQ-000001C"] == ""
    c.git("pull", "-q", "--no-rebase")
    assert seen(c)["HQ-000001C"] == "王师傅"
    same_as_fresh(c)


def test_init_makes_an_office_ready_to_share(tmp_path, make_clerk):
    clerk = make_clerk(tmp_path / "office")
    clerk("init", str(clerk.root))
    assert driver.registered(clerk.root) == driver.command()
    assert clerk.git("show", "HEAD:.gitattributes").splitlines() == [driver.LINE, desks.ATTRIBUTE]
    assert git("-C", clerk.root, "check-attr", "merge", "--", "desks.yaml").strip().endswith(": union")
