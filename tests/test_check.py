"""`repairctl check`: a corpus of broken files, each reported at its line, every problem in one run."""

from __future__ import annotations

import json
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repairctl.orders import check, rules
from repairctl.orders.check import check_office
from repairctl.store import yamlio

GOOD = """\
# 手写补录
id: HQ-000001
status: finished
channel: phone
scope: unit
unit: 7栋803
name: 陈先生
phone: '13700001111'
description: 洗手盆下水管漏水
item: W08
urgency: immediate
technician: 李师傅
materials:
  - {name: 下水管, qty: 1, unit_price: 18.5}
labour: 15
fee_pending: false
events:
  - {action: received, at: 2026-10-06T08:30:00+08:00, by: 王小红}
  - {action: assigned, at: 2026-10-06T08:40:00+08:00, by: 王小红, to: 李师傅}
  - {action: arrived, at: 2026-10-06T08:55:00+08:00, by: 李师傅}
  - {action: finished, at: 2026-10-06T09:30:00+08:00, by: 李师傅}
"""


def write(root, text: str, name: str = "HQ-000001", month: str = "2026/10"):
    path = root / "records" / "orders" / month / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def run_check(clerk, *args):
    return clerk("check", *args, ok=False)


def test_a_good_office_is_ok(clerk):
    write(clerk.root, GOOD)
    result = run_check(clerk)
    assert result.exit_code == 0 and result.stdout.strip() == "ok"


BROKEN = [
    # (replace this, with this, expected line, message fragment)
    ("status: finished", "status: done", 3, "status 'done' is not one of"),
    ("phone: '13700001111'", "phone: '1370'", 8, "not a phone number"),
    ("item: W08", "item: W99", 10, "not a catalogue item code"),
    ("labour: 15", "labour: -15", 15, "labour must be an amount of zero or more"),
    ("qty: 1,", "qty: -1,", 14, "qty of 下水管 must be a positive amount"),
    ("unit_price: 18.5}", "unit_price: }", 14, "unit_price of 下水管 must be a positive amount"),
    ("2026-10-06T08:55:00+08:00", "2026-10-06T08:35:00+08:00", 20, "is before the event above it"),
    ("2026-10-06T08:55:00+08:00", "2026-10-06 08:55", 20, "has no UTC offset"),
    ("2026-10-06T08:55:00+08:00", "昨天下午", 20, "is not a time"),
    ("{action: arrived,", "{action: arrive,", 20, "unknown event 'arrive'"),
    ("id: HQ-000001", "id: HQ-000002", 2, "does not match the file name"),
    ("id: HQ-000001", "id: ../x", 2, "is not an order ID"),
    ("description: 洗手盆下水管漏水\n", "", 2, "missing required field `description`"),
    ("status: finished", "status: called_back", 3, "status is called_back but the events say finished"),
    ("fee_pending: false", "fee_pending: later", 16, "fee_pending must be true or false"),
    ("urgency: immediate", "urgency: appointment", 11, "an appointment needs"),
    ("labour: 15", "labour: 15\nwaiver: {amount: 600, approved_by: 刘总监, approver_role: director}", 16,
     "needs company approval"),
    ("  - {action: assigned, at: 2026-10-06T08:40:00+08:00, by: 王小红, to: 李师傅}\n", "", 19,
     "arrived cannot follow an order that is received"),
    ("unit: 7栋803", "unit: [7栋803", 7,
     "YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence started at line 6)"),
]


@pytest.mark.parametrize("old,new,line,message", BROKEN, ids=[b[3][:24] for b in BROKEN])
def test_each_broken_file_is_reported_at_its_line_and_nothing_changes(clerk, old, new, line, message):
    assert old in GOOD
    path = write(clerk.root, GOOD.replace(old, new, 1))
    clerk.git("add", "-A")
    clerk.git("commit", "-qm", "hand edit", "--no-verify")
    before = path.read_bytes()
    result = run_check(clerk)
    assert result.exit_code == 1
    hits = [row for row in result.output.splitlines() if message in row]
    assert hits, result.output
    assert hits[0].startswith(f"{path}:{line}:"), hits[0]
    assert path.read_bytes() == before and clerk.git("status", "--porcelain") == ""


def test_every_problem_in_one_run_with_json(clerk):
    write(clerk.root, GOOD.replace("item: W08", "item: W99").replace("labour: 15", "labour: -1"))
    write(clerk.root, GOOD.replace("HQ-000001", "HQ-000002").replace("status: finished", "status: x"), "HQ-000002")
    write(clerk.root, b"id: \xff\xfe\n", "HQ-000003")
    rows = json.loads(run_check(clerk, "--format", "json").stdout)
    assert {(r["path"].rsplit("/", 1)[1], r["line"]) for r in rows} >= {
        ("HQ-000001.yaml", 10), ("HQ-000001.yaml", 15), ("HQ-000002.yaml", 3), ("HQ-000003.yaml", 1)}
    assert any("not UTF-8" in r["message"] for r in rows)


def test_an_id_used_twice_after_a_merge(clerk):
    write(clerk.root, GOOD)
    write(clerk.root, GOOD.replace("2026-10-06T", "2026-11-06T").replace("10-06", "11-06"), month="2026/11")
    out = run_check(clerk).output
    assert "ID HQ-000001 is used twice" in out


def test_a_file_in_the_wrong_month_folder(clerk):
    write(clerk.root, GOOD, month="2026/09")
    assert "belongs in records/orders/2026/10/" in run_check(clerk).output


def test_broken_office_files_are_reported(clerk):
    (clerk.root / "catalog.yaml").write_text("categories:\n  power: {name: 供电类, items: [{code: E01}]}\n", "utf-8")
    result = run_check(clerk)
    assert result.exit_code == 1 and "catalog.yaml:1:1:" in result.output and "E01" in result.output
    (clerk.root / "office.yaml").write_text("site: [HQ\n", "utf-8")
    assert "office.yaml:2:1: YAML syntax error" in run_check(clerk).output


def test_the_pre_commit_hook_refuses_a_broken_hand_edit(clerk):
    result = clerk("check", "--install-hook")
    assert "installed" in result.output
    write(clerk.root, GOOD.replace("item: W08", "item: W99"))
    clerk.git("add", "-A")
    commit = subprocess.run(["git", "-C", str(clerk.root), "commit", "-qm", "hand edit"],
                            capture_output=True, text=True)
    assert commit.returncode != 0 and "W99" in commit.stdout + commit.stderr
    write(clerk.root, GOOD)
    clerk.git("add", "-A")
    clerk.git("commit", "-qm", "fixed hand edit")
    clerk.new("--force")  # the commands themselves do not wait for the hook


# -- random mutations never crash the checker --------------------------------------------------

LINES = GOOD.splitlines(keepends=True)


@st.composite
def mutated(draw):
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        n = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "garble", "retype", "duplicate"]))
        if op == "drop":
            del lines[n]
        elif op == "duplicate":
            lines.insert(n, lines[n])
        elif op == "garble":
            at = draw(st.integers(0, max(len(lines[n]) - 1, 0)))
            lines[n] = lines[n][:at] + draw(st.sampled_from(list(":{}[]-'\"#&*!|> 0x"))) + lines[n][at:]
        else:
            key = lines[n].split(":", 1)[0]
            lines[n] = f"{key}: {draw(st.sampled_from(['null', '[]', '{}', '-3', 'true', '1.5', '2026-13-40', 'x']))}\n"
        if not lines:
            break
    return "".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=mutated())
def test_random_mutations_are_accepted_or_reported_never_crash(office, text, tmp_path_factory):
    path = tmp_path_factory.mktemp("m") / "records" / "orders" / "2026" / "10" / "HQ-000001.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    try:
        data = yamlio.load_fast(path)
    except Exception as exc:  # only our own one-line error is allowed
        assert type(exc).__name__ == "FileError", exc
        return
    findings = rules.check_order_data(data, path, office.tz, office.catalogue)
    for problem in check.place(path, findings, path):
        assert problem.line >= 1 and problem.message


def test_check_office_on_a_fresh_office_is_empty(office_root):
    assert check_office(office_root) == []
