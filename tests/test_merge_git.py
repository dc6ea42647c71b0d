"""One order changed on two machines, through real git: a bare repository, two plain clones, `git pull`.

Each clone has the driver registered as the office's clones will (driver.register) and the office
has committed its .gitattributes (driver.write_attributes); git then runs `python -m repairctl
merge-driver` for order files on every merge and rebase.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from repairctl.store import driver, yamlio

MODES = {"merge": ["--no-rebase", "--no-edit"], "rebase": ["--rebase"]}


def git(root: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    assert done.returncode == 0 or not ok, done.stderr
    return done


@pytest.fixture
def desks(tmp_path, clerk, make_clerk) -> SimpleNamespace:
    """An office of three orders on a server (a bare repository) and two clerks' clones of it: a (王小红)
    and b (刘芳), each with the merge driver registered."""
    ids = [clerk.new(unit=f"3栋120{n}", at=f"2026-11-20 09:0{n}") for n in (1, 2, 3)]
    if driver.write_attributes(clerk.root):  # an office made before init wrote it (init does since issue 12)
        clerk.git("add", ".gitattributes")
        clerk.git("commit", "-q", "-m", "order files merge by their events")
    assert driver.LINE in clerk.git("show", "HEAD:.gitattributes").splitlines()
    server = tmp_path / "server.git"
    git(tmp_path, "clone", "-q", "--bare", str(clerk.root), str(server))
    clones = {}
    for name, person in (("a", "王小红"), ("b", "刘芳")):
        git(tmp_path, "clone", "-q", str(server), str(tmp_path / name))
        git(tmp_path / name, "config", "user.name", person)
        driver.register(tmp_path / name)
        git(tmp_path / name, "config", "repairctl.desk", name.upper())  # a desk, as `join` gives
        clones[name] = make_clerk(tmp_path / name)
    return SimpleNamespace(ids=ids, **clones)


def pull(clerk, mode: str) -> subprocess.CompletedProcess:
    return git(clerk.root, "pull", *MODES[mode], ok=False)


def text(clerk, order_id: str) -> str:
    return clerk.order_file(order_id).read_text("utf-8")


def no_markers(clerk) -> None:
    for path in clerk.root.glob("records/orders/*/*/*.yaml"):
        assert not yamlio.CONFLICT.search(path.read_text("utf-8")), path
    assert git(clerk.root, "ls-files", "--unmerged").stdout == ""
    assert git(clerk.root, "status", "--porcelain").stdout == ""


@pytest.mark.parametrize("mode", MODES)
def test_compatible_changes_merge_their_events(desks, mode):
    o1, o2, o3 = desks.ids
    desks.a("assign", o1, "--to", "李师傅", "--at", "2026-11-20 09:30")
    desks.a("assign", o2, "--to", "王师傅", "--at", "2026-11-20 09:31")
    git(desks.a.root, "push", "-q")
    desks.b("visit", o1, "--reschedule", "2026-11-21 10:00", "--at", "2026-11-20 09:20")
    desks.b("cancel", o3, "--reason", "业户自行修好", "--at", "2026-11-20 09:40")
    done = pull(desks.b, mode)
    assert done.returncode == 0, done.stdout + done.stderr
    no_markers(desks.b)
    merged = yamlio.parse(text(desks.b, o1))
    assert [e["action"] for e in merged["events"]] == ["received", "rescheduled", "assigned"]
    assert (merged["status"], merged["technician"], merged["appointment"]) == \
        ("assigned", "李师傅", "2026-11-21T10:00:00+08:00")
    assert "conflict" not in merged
    assert desks.b("check").stdout == "ok\n"
    shown = desks.b("show", o1).stdout  # the cache follows the pull
    assert "status       assigned" in shown and "rescheduled" in shown
    assert "status       assigned" in desks.b("show", o2).stdout
    assert "status       cancelled" in desks.b("show", o3).stdout
    git(desks.b.root, "push", "-q")
    git(desks.a.root, "pull", "-q", "--no-rebase")
    assert text(desks.a, o1) == text(desks.b, o1)


@pytest.mark.parametrize("mode", MODES)
def test_a_contradiction_stops_that_order_only(desks, mode, executable):
    o1, o2, o3 = desks.ids
    desks.a("assign", o1, "--to", "李师傅", "--at", "2026-11-20 09:30")
    desks.a("close", o1, "--signed-by", "业户", "--arrived-at", "2026-11-20 09:50", "--work", "换水龙头",
            "--labour", "20", "--at", "2026-11-20 10:30", "--by", "李师傅")
    desks.a("assign", o2, "--to", "王师傅", "--at", "2026-11-20 09:31")
    git(desks.a.root, "push", "-q")
    finished = text(desks.a, o1)
    desks.b("cancel", o1, "--reason", "业户取消", "--at", "2026-11-20 10:00")
    desks.b("cancel", o3, "--reason", "业户自行修好", "--at", "2026-11-20 09:40")
    cancelled = text(desks.b, o1)
    done = pull(desks.b, mode)
    assert done.returncode == 0, done.stdout + done.stderr
    said = [line for line in done.stderr.splitlines() if line.startswith("repairctl:")]
    assert len(said) == 1 and o1 in said[0] and f"repairctl resolve {o1} --take ours|theirs" in said[0]
    assert "取消" in said[0] and "完工" in said[0] and "Traceback" not in done.stderr  # the reason: a Chinese record
    no_markers(desks.b)
    # git's ours is the branch merged into: b's own in a merge, the server's in a rebase
    ours, theirs = (cancelled, finished) if mode == "merge" else (finished, cancelled)
    held = yamlio.parse(text(desks.b, o1))
    assert held["conflict"]["theirs"] == theirs
    assert held["status"] == yamlio.parse(ours)["status"]
    # the other orders went through
    assert yamlio.parse(text(desks.b, o2))["technician"] == "王师傅"
    assert yamlio.parse(text(desks.b, o3))["status"] == "cancelled"
    checked = desks.b("check")  # a warning: the commit hook and the clerk's work go on
    assert "unresolved conflict" in checked.stdout and f"resolve {o1} --take ours|theirs" in checked.stdout
    assert "unresolved conflict" in desks.b("show", o1).stdout
    refused = desks.b("callback", o1, "--method", "phone", "--satisfied", ok=False)
    assert refused.exit_code == 1 and f"`repairctl resolve {o1} --take ours|theirs`" in refused.output
    head = git(desks.b.root, "rev-parse", "HEAD").stdout
    resolved = subprocess.run([executable, "--root", str(desks.b.root), "resolve", o1, "--take", "theirs"],
                              capture_output=True, text=True)
    assert resolved.returncode == 0, resolved.stderr
    assert text(desks.b, o1) == theirs
    assert desks.b("check").stdout == "ok\n"
    log = git(desks.b.root, "log", "-1", "--format=%an|%s|%P").stdout.strip()
    assert log == f"刘芳|resolve {o1}: 采用另一台的版本 (theirs)|{head.strip()}"
    git(desks.b.root, "push", "-q")
    assert pull(desks.a, "merge").returncode == 0
    assert text(desks.a, o1) == theirs


def test_resolve_ours_keeps_the_file_as_it_was(desks):
    o1 = desks.ids[0]
    desks.a("assign", o1, "--to", "李师傅", "--at", "2026-11-20 09:30")
    git(desks.a.root, "push", "-q")
    desks.b("assign", o1, "--to", "王师傅", "--at", "2026-11-20 09:31")
    ours = text(desks.b, o1)
    assert pull(desks.b, "merge").returncode == 0
    assert "维修人员 在 ours 中为 王师傅，在 theirs 中为 李师傅" in text(desks.b, o1)
    path = desks.b.order_file(o1)
    merged = path.read_text("utf-8")
    path.write_text(merged.replace("unit: 3栋1201", "unit: 3栋1201  # 东门"), encoding="utf-8")
    refused = desks.b("resolve", o1, "--take", "theirs", ok=False)
    assert refused.exit_code == 1 and "holds an uncommitted edit" in refused.output
    path.write_text(merged, encoding="utf-8")
    assert desks.b("resolve", o1, "--take", "ours").stdout == f"{o1}: kept this version (ours)\n"
    assert text(desks.b, o1) == ours
    refused = desks.b("resolve", o1, "--take", "theirs", ok=False)
    assert refused.exit_code == 1 and f"{o1} holds no conflict" in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    assert "李师傅" not in text(desks.b, o1)  # the refusal changed nothing


def test_a_rebase_of_two_commits_keeps_the_newest_version_of_ours(desks):
    o1 = desks.ids[0]
    desks.a("assign", o1, "--to", "李师傅", "--at", "2026-11-20 09:30")
    git(desks.a.root, "push", "-q")
    desks.b("assign", o1, "--to", "王师傅", "--at", "2026-11-20 09:31")
    desks.b("visit", o1, "--arrived", "--at", "2026-11-20 09:50", "--by", "王师傅")
    arrived = text(desks.b, o1)
    done = pull(desks.b, "rebase")
    assert done.returncode == 0, done.stderr
    no_markers(desks.b)
    held = yamlio.parse(text(desks.b, o1))
    assert held["technician"] == "李师傅" and held["conflict"]["theirs"] == arrived
    assert "theirs 又改了" in held["conflict"]["reason"]


def test_a_version_that_cannot_be_read_stops_that_order_only(desks):
    o1 = desks.ids[0]
    path = desks.a.order_file(o1)
    path.write_text(path.read_text("utf-8").replace("+08:00, by", ", by", 1), encoding="utf-8")  # no offset
    git(desks.a.root, "commit", "-q", "--no-verify", "-am", "a hand edit gone wrong")
    git(desks.a.root, "push", "-q")
    desks.b("assign", o1, "--to", "王师傅", "--at", "2026-11-20 09:31")
    desks.a("assign", desks.ids[1], "--to", "李师傅", "--at", "2026-11-20 09:32")  # another order: merged
    git(desks.a.root, "push", "-q")
    ours = text(desks.b, o1)
    done = pull(desks.b, "merge")
    assert done.returncode == 0 and "CONFLICT" not in done.stdout and "Traceback" not in done.stderr
    said = [line for line in done.stderr.splitlines() if line.startswith("repairctl:")]
    assert len(said) == 1 and "has no UTC offset" in said[0] and f"resolve {o1}" in said[0]
    held = yamlio.parse(text(desks.b, o1))
    assert text(desks.b, o1).startswith(ours) and "no UTC offset" in held["conflict"]["reason"]  # b's, readable
    assert json.loads(desks.b("show", desks.ids[1], "--format", "json").stdout)["technician"] == "李师傅"
    no_markers(desks.b)


def test_the_driver_command_itself(tmp_path, executable):
    base, ours, theirs = (tmp_path / name for name in ("base", "ours", "theirs"))
    order = ("id: HQ-000001\nstatus: received\nunit: 3栋1201\ndescription: 漏水\nevents:\n"
             "  - {action: received, at: 2026-11-20T09:00:00+08:00, by: 王小红}\n")
    base.write_text(order, encoding="utf-8")
    ours.write_text(order.replace("status: received", "status: cancelled") +
                    "  - {action: cancelled, at: 2026-11-20T09:10:00+08:00, by: 王小红, reason: 重复}\n", "utf-8")
    theirs.write_text(order + "  - {action: absent, at: 2026-11-20T09:05:00+08:00, by: 刘芳}\n", "utf-8")
    run = [executable, "merge-driver", str(base), str(ours), str(theirs), "records/orders/2026/11/HQ-000001.yaml"]
    done = subprocess.run(run, capture_output=True, text=True)
    # absent needs a technician: the replay fails on the order as both sides had it
    assert done.returncode == 0 and done.stderr.count("\n") == 1 and "HQ-000001" in done.stderr
    assert yamlio.parse(ours.read_text("utf-8"))["conflict"]["theirs"] == theirs.read_text("utf-8")
    theirs.write_text("id: [HQ-000001\n", encoding="utf-8")
    before = ours.read_bytes()
    done = subprocess.run(run, capture_output=True, text=True)
    assert done.returncode == 0 and "YAML syntax error" in done.stderr  # theirs waits beside ours
    assert yamlio.parse(ours.read_text("utf-8"))["conflict"]["theirs"] == "id: [HQ-000001\n"
    ours.write_bytes(before)
    base.write_text("id: [HQ-000001\n", encoding="utf-8")
    ours.write_text("status: [\n", encoding="utf-8")
    before = ours.read_bytes()
    done = subprocess.run(run, capture_output=True, text=True)  # nothing readable on either side: git's to say
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "YAML syntax error" in done.stderr
    assert ours.read_bytes() == before
    assert "merge-driver" not in subprocess.run([executable, "--help"], capture_output=True, text=True).stdout
