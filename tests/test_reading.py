"""A file that cannot be read is never silently left out (issue 11 §1-2): each way a hand edit, a merge
or a typo can break an order file is named by `check` and by every read command with the same
FILE:LINE:COL line, changes their exit status, and changes no file."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import openpyxl
import pytest

LATE = "2026-11-25 08:00"  # received then, an order is late for arrival at the tests' 12:00
FILE = "records/orders/2026/11/HQ-000001.yaml"


def _late_order(clerk) -> str:
    order_id = clerk.new(at=LATE)
    assert order_id == "HQ-000001"
    return order_id


def _replace(old: str, new: str, count: int = 1):
    def mutate(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)
    return mutate


def _insert_after(marker: str, line: str):
    def mutate(text: str) -> str:
        head, sep, tail = text.partition(marker)
        assert sep, marker
        end = tail.index("\n") + 1
        return head + sep + tail[:end] + line + tail[end:]
    return mutate


# (name, how the file is broken, what the message says, the line it names)
BROKEN = [
    ("syntax", _replace("unit: 3栋1201", "unit: [3栋1201"), "YAML syntax error", None),
    ("duplicate key", _insert_after("status: received", "status: finished\n"), "duplicate key `status`", None),
    ("two orders in one file", lambda text: text + text.split("\n", 1)[1], "duplicate key", None),
    ("conflict markers", lambda text: text.replace(
        "status: received\n", "<<<<<<< HEAD\nstatus: received\n=======\nstatus: assigned\n>>>>>>> theirs\n"),
     "unresolved merge conflict", None),
    ("alias", lambda text: text.replace("name: 张三", "name: &who 张三").replace("description: 厨房水龙头漏水",
                                                                               "description: *who"),
     "anchor or alias &who", None),
    ("not a mapping", lambda text: "- 3栋1201\n- 张三\n", "not an order", 1),
    ("time typo", _replace("T08:00:00+08:00", "T08:00:00+8:00"), "2026-11-25T08:00:00+8:00", None),
    ("year typo", _replace("2026-11-25T08:00:00+08:00", "0026-11-25T08:00:00+08:00"), "0026", None),
    ("escape character", _replace("description: 厨房水龙头漏水", 'description: "厨房\\e[31m水龙头漏水"'),
     "U+001B", None),
    ("bidi override", _replace("description: 厨房水龙头漏水", "description: 厨房\u202e水龙头漏水"), "U+202E", None),
    ("zero-width space", _replace("unit: 3栋1201", "unit: 3栋\u200b1201"), "U+200B", None),
    ("first event misspelt", _replace("action: received", "action: recieved"), "the first event must be", None),
    ("a null event", _replace("events:\n", "events:\n  - null\n"), "an event needs action, at and by", None),
    ("events a mapping", lambda text: text.split("events:")[0] + "events: {received: now}\n",
     "events must be a list", None),
    ("no events", lambda text: text.split("events:")[0], "missing required field `events`", None),
]


def _break(clerk, mutate) -> None:
    path = clerk.root / FILE
    path.write_text(mutate(path.read_text("utf-8")), "utf-8")
    clerk.git("commit", "-qam", "a hand edit", "--no-verify")


def _problem_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(FILE + ":")]


@pytest.mark.parametrize(("mutate", "says", "line"), [case[1:] for case in BROKEN], ids=[c[0] for c in BROKEN])
def test_every_read_names_a_broken_file_as_check_does(clerk, snapshot, monkeypatch, mutate, says, line):
    monkeypatch.chdir(clerk.root)  # paths shown as a clerk in the office folder sees them
    _late_order(clerk)
    _break(clerk, mutate)
    before = snapshot(clerk)
    checked = clerk("check", ok=False)
    assert checked.exit_code == 1 and says in checked.stdout, checked.output
    check_lines = set(_problem_lines(checked.stdout))
    assert check_lines
    if line:
        assert any(entry.startswith(f"{FILE}:{line}:") for entry in check_lines)
    for args, status in ((["overdue"], 3), (["list"], 1), (["export"], 1), (["show", "HQ-000001"], 1),
                         (["slip", "HQ-000001"], 1), (["log", "HQ-000001"], 1), (["monthly", "2026-11"], 1)):
        result = clerk(*args, ok=False)
        assert result.exit_code == status, (args, result.output)
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        named = [entry.removeprefix("Error: ").removeprefix("warning: ") for entry in result.stderr.splitlines()]
        named = [entry.split("; `repairctl check`")[0].split(" (and ")[0] for entry in named
                 if entry.startswith(FILE + ":")]
        assert named, (args, result.stderr)
        # the same place and reason as check's line (show/slip/log add how to see the rest)
        assert all(any(full.startswith(entry) for full in check_lines) for entry in named), (named, check_lines)
    assert clerk("overdue", ok=False).stdout.strip() != "nothing is late or due soon"
    assert snapshot(clerk) == before


def test_overdue_exit_status_3_still_lists_what_it_read(clerk, executable):
    broken, late = _late_order(clerk), clerk.new(at=LATE, unit="5栋0301")
    _break(clerk, BROKEN[0][1])
    done = subprocess.run([executable, "overdue"], capture_output=True, text=True, cwd=clerk.root)
    assert done.returncode == 3
    assert late in done.stdout and broken not in done.stdout
    assert done.stderr.splitlines()[0].startswith(f"{FILE}:") and "1 order file(s) cannot be read" in done.stderr
    assert "Traceback" not in done.stderr


def test_nothing_late_is_never_said_while_a_file_is_unread(clerk):
    _late_order(clerk)
    _break(clerk, BROKEN[0][1])
    result = clerk("overdue", ok=False)
    assert result.exit_code == 3
    assert result.stdout.strip() != "nothing is late or due soon" and "cannot be read" in result.stdout


def test_two_broken_files_are_two(clerk, monkeypatch):
    monkeypatch.chdir(clerk.root)
    _late_order(clerk)
    second = clerk.new(at=LATE, unit="5栋0301")
    for order_id in ("HQ-000001", second):
        path = clerk.order_file(order_id)
        path.write_text(path.read_text("utf-8").replace("unit: ", "unit: ["), "utf-8")
    result = clerk("list", ok=False)
    assert result.exit_code == 1 and "2 order file(s) cannot be read" in result.stderr
    assert len([line for line in result.stderr.splitlines() if "YAML syntax error" in line]) == 2


def test_monthly_writes_no_workbook_unless_allowed(clerk, tmp_path, monkeypatch):
    monkeypatch.chdir(clerk.root)
    _late_order(clerk)
    ok = clerk.new(at="2026-11-24 09:00", unit="5栋0301")
    _break(clerk, BROKEN[0][1])
    out = tmp_path / "m.xlsx"
    refused = clerk("monthly", "2026-11", "--out", str(out), ok=False)
    assert refused.exit_code == 1 and not out.exists() and refused.stdout == ""
    assert "1 order file(s) of 2026-11 cannot be read" in refused.stderr and "--allow-broken" in refused.stderr
    assert refused.stderr.startswith(f"{FILE}:7:5: YAML syntax error")
    allowed = clerk("monthly", "2026-11", "--out", str(out), "--allow-broken", "--format", "json")
    assert allowed.exit_code == 0 and f"{FILE}:" in allowed.stderr
    assert '"left_out": {\n    "count": 1' in allowed.stdout and ok not in allowed.stderr
    sheet = openpyxl.load_workbook(out).worksheets[0]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any("1 个工单文件无法读取" in c for c in cells) and FILE in cells
    text = clerk("monthly", "2026-11", "--allow-broken").stdout
    assert "received 1" in text and "1 order file of this period cannot be read" in text


def test_a_broken_file_of_another_month_does_not_stop_the_report(clerk):
    clerk.new(at="2026-10-05 09:00")
    clerk.new(at="2026-11-24 09:00", unit="5栋0301")
    path = clerk.order_file("HQ-000001")
    path.write_text(path.read_text("utf-8").replace("unit: 3栋1201", "unit: [3栋1201"), "utf-8")
    result = clerk("monthly", "2026-11")
    assert "received 1" in result.stdout and result.stderr == ""


# repairctl in a process of its own that prints its peak memory (KiB) last: VmHWM belongs to the
# process's own memory, which a forked child's ru_maxrss does not (it starts from its parent's)
PEAK = ("import atexit, sys; from repairctl.cli.app import main\n"
        "atexit.register(lambda: print('peak', open('/proc/self/status').read().split('VmHWM:')[1].split()[0],"
        " file=sys.stderr))\nsys.argv[0] = 'repairctl'; main()")


def test_a_billion_laughs_is_refused_at_once_and_small(clerk):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{b}: &{b} [{','.join('*' + a for _ in range(9))}]" for a, b in zip("abcdefgh", "bcdefghi", strict=True)]
    bomb = clerk.root / "records/orders/2026/11/HQ-000009.yaml"
    bomb.parent.mkdir(parents=True, exist_ok=True)
    bomb.write_text("\n".join(lines) + "\n", "utf-8")
    assert len(bomb.read_bytes()) < 1000
    for args in (["check"], ["list"], ["show", "HQ-000009"]):
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-c", PEAK, "--root", str(clerk.root), *args],
                              capture_output=True, text=True)
        elapsed = time.monotonic() - started
        assert done.returncode == 1, done.stderr
        assert "HQ-000009.yaml:1:4: YAML anchor or alias &a is not allowed" in done.stdout + done.stderr
        peak_kib = int(done.stderr.rsplit("peak ", 1)[1])
        assert elapsed < 1 and peak_kib < 100 * 1024, (elapsed, peak_kib)


def test_an_id_in_two_files_counts_once_and_is_named(clerk, monkeypatch):
    monkeypatch.chdir(clerk.root)
    _late_order(clerk)
    copy = clerk.root / "records/orders/2026/10/HQ-000001.yaml"
    copy.parent.mkdir(parents=True)
    copy.write_bytes((clerk.root / FILE).read_bytes())
    listed = clerk("list", "--format", "csv")
    assert listed.stdout.count("HQ-000001") == 1
    assert "HQ-000001 is the ID of 2 files" in listed.stderr and FILE in listed.stderr
    late = clerk("overdue", ok=False)
    assert late.exit_code == 1 and late.stdout.count("HQ-000001") == 1 and "ID of 2 files" in late.stderr
    report = clerk("monthly", "2026-11", "--format", "json").stdout
    assert '"received": 1' in report
    assert "HQ-000001 is used twice" in clerk("check", ok=False).stdout


def test_a_symlink_is_no_order_file(clerk, tmp_path, snapshot, monkeypatch):
    monkeypatch.chdir(clerk.root)
    _late_order(clerk)
    path = clerk.root / FILE
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)
    before = snapshot(clerk)
    for args in (["check"], ["list"], ["show", "HQ-000001"]):
        result = clerk(*args, ok=False)
        assert result.exit_code == 1 and f"{FILE}:1:1: is a symbolic link" in result.output, args
    assert snapshot(clerk) == before and outside.read_bytes() == (clerk.root / FILE).read_bytes()


def test_check_names_leftovers(clerk, monkeypatch):
    monkeypatch.chdir(clerk.root)
    _late_order(clerk)
    temporary = clerk.root / "records/orders/2026/11/.HQ-000001.yaml.4242-0a1b2c3d.tmp"
    temporary.write_text("id: HQ-0", "utf-8")
    result = clerk("check", ok=False)
    assert f"{temporary.relative_to(clerk.root)}:1:1: a temporary file left by an interrupted command" in result.stdout
    temporary.unlink()
    (clerk.root / FILE).unlink()
    result = clerk("check", ok=False)
    assert f"{FILE}:1:1: in git but missing from the folder" in result.stdout
    assert f"git checkout -- {FILE}" in result.stdout


def test_init_installs_the_hook_and_check_says_when_it_is_missing(tmp_path, executable):
    office = tmp_path / "east"
    made = subprocess.run([executable, "init", str(office), "--phone", "0755-26001234"], capture_output=True, text=True)
    assert made.returncode == 0 and "pre-commit" in made.stderr
    hook = office / ".git/hooks/pre-commit"
    assert os.access(hook, os.X_OK)
    checked = subprocess.run([executable, "--root", str(office), "check"], capture_output=True, text=True)
    assert checked.stdout == "ok\n" and checked.stderr == ""
    broken = office / "records/orders/2026/11/HQ-000001.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text("id: HQ-000001\nid: HQ-000002\n", "utf-8")
    subprocess.run(["git", "-C", str(office), "add", "."], check=True)
    commit = subprocess.run(["git", "-C", str(office), "commit", "-m", "x"], capture_output=True, text=True)
    assert commit.returncode != 0 and "duplicate key `id`" in commit.stdout + commit.stderr
    plain = tmp_path / "plain"
    subprocess.run([executable, "init", str(plain), "--no-hook"], check=True, capture_output=True)
    assert not (plain / ".git/hooks/pre-commit").exists()
    checked = subprocess.run([executable, "--root", str(plain), "check"], capture_output=True, text=True)
    assert checked.returncode == 0 and "check --install-hook" in checked.stderr


def test_a_file_the_folder_rule_does_not_see_is_named_by_check(clerk, monkeypatch):
    monkeypatch.chdir(clerk.root)
    _late_order(clerk)
    (clerk.root / "records/orders/2026/11/old").mkdir()
    clerk.git("mv", FILE, "records/orders/2026/11/old/HQ-000001.yaml")
    (clerk.root / "records/orders/2026/11/HQ-000002.yml").write_text("id: HQ-000002\n", "utf-8")
    result = clerk("check", ok=False)
    for stray in ("records/orders/2026/11/old/HQ-000001.yaml", "records/orders/2026/11/HQ-000002.yml"):
        assert f"{stray}:1:1: not read as an order" in result.stdout, result.stdout
    assert "missing from the folder" not in result.stdout  # the move is staged: git knows where it went


def test_the_hook_lets_a_deletion_be_committed(tmp_path, executable):
    office = tmp_path / "east"
    subprocess.run([executable, "init", str(office)], check=True, capture_output=True)
    env = {**os.environ, "REPAIRCTL_ROOT": str(office)}
    made = subprocess.run([executable, "new", "--unit", "1-101", "--name", "李四", "--phone", "13900000000",
                           "--desc", "灯不亮", "--item", "E01"], capture_output=True, text=True, env=env)
    assert made.returncode == 0, made.stderr
    order = next(office.glob("records/orders/*/*/*.yaml")).relative_to(office)
    subprocess.run(["git", "-C", str(office), "rm", "-q", str(order)], check=True)
    done = subprocess.run(["git", "-C", str(office), "commit", "-m", "录错了, 删除"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_read_names_a_file_the_folder_rule_does_not_see_as_it_comes_and_goes(clerk, monkeypatch):
    """Found by the cache's refresh (a month folder listed again, another folder's mtime), not by a walk
    of every file on every command."""
    monkeypatch.chdir(clerk.root)
    _late_order(clerk)
    clerk.new(at="2026-10-05 09:00", unit="5栋0301")
    assert clerk("overdue", ok=False).exit_code == 1  # the cache, warm: nothing left out
    (clerk.root / "records/orders/2026/11/old").mkdir()
    clerk.git("mv", FILE, "records/orders/2026/11/old/HQ-000001.yaml")
    moved = clerk("overdue", ok=False)
    assert moved.exit_code == 3
    assert "records/orders/2026/11/old/HQ-000001.yaml:1:1: not read as an order" in moved.stderr
    later = clerk.root / "records/orders/2026/11/old/HQ-000009.yaml"  # only the subfolder's mtime moves
    later.write_text("id: HQ-000009\n", "utf-8")
    assert "old/HQ-000009.yaml:1:1: not read as an order" in clerk("list", ok=False).stderr
    refused = clerk("monthly", "2026-11", ok=False)
    assert refused.exit_code == 1 and "2 order file(s) of 2026-11 cannot be read" in refused.stderr
    assert clerk("monthly", "2026-10").exit_code == 0  # another month's folder: not this report's
    later.unlink()
    clerk.git("mv", "records/orders/2026/11/old/HQ-000001.yaml", FILE)
    back = clerk("overdue", ok=False)
    assert back.exit_code == 1 and "not read as an order" not in back.stderr
    (clerk.root / "records/orders/2026/11/HQ-000003.yml").write_text("id: HQ-000003\n", "utf-8")
    assert "records/orders/2026/11/HQ-000003.yml:1:1: not read as an order" in clerk("list", ok=False).stderr


def test_init_inside_a_repository_with_a_hook_of_its_own_warns_and_keeps_both(tmp_path, executable):
    subprocess.run(["git", "init", "-q", str(tmp_path / "company")], check=True)
    theirs = tmp_path / "company/.git/hooks/pre-commit"
    theirs.write_text("#!/bin/sh\nexit 0\n", "utf-8")
    made = subprocess.run([executable, "init", str(tmp_path / "company/east"), "--phone", "0755-26001234"],
                          capture_output=True, text=True)
    assert made.returncode == 0 and (tmp_path / "company/east/office.yaml").exists()
    assert made.stderr.startswith("warning: ") and "is not repairctl's" in made.stderr and made.stderr.count("\n") == 1
    assert theirs.read_text("utf-8") == "#!/bin/sh\nexit 0\n"
