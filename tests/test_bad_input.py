"""Bad input, as a careless user types it: one line naming what is wrong, exit 1 (2 for usage), nothing changed."""

from __future__ import annotations

import subprocess

import pytest


def assigned_order(clerk) -> str:
    oid = clerk.new()
    clerk("assign", oid, "--to", "李师傅", "--at", "2026-10-05 09:05")
    return oid


@pytest.fixture
def one_order(clerk, templates) -> str:
    """The test's office holds one assigned order (made once a session); its ID."""
    return templates.put("one assigned order", assigned_order, clerk.root)


CASES = [
    # (arguments, exit status, fragment of the one-line message)
    (["show", "HQ-999999"], 1, "no order HQ-999999"),
    (["assign", "../../etc/passwd", "--to", "x"], 2, "is not an order ID"),
    (["assign", "HQ-000001/../x", "--to", "x"], 2, "is not an order ID"),
    (["assign", "HQ\\000001", "--to", "x"], 2, "is not an order ID"),
    (["visit", "HQ-000001", "--arrived", "--at", "明天下午"], 2, "cannot read time"),
    (["visit", "HQ-000001", "--arrived", "--at", "2099-01-01 10:00"], 1, "in the future"),
    (["visit", "HQ-000001"], 2, "exactly one of"),
    (["close", "HQ-000001", "--material", "水龙头:-1:35"], 2, "must be zero or more"),
    (["close", "HQ-000001", "--material", "水龙头:1:-35"], 2, "must be zero or more"),
    (["close", "HQ-000001", "--material", "水龙头:1"], 2, "NAME:QTY:UNIT_PRICE"),
    (["close", "HQ-000001", "--material", "水龙头:1:abc"], 2, "is not a number"),
    (["close", "HQ-000001", "--labour", "1e999"], 2, "labour"),
    (["close", "HQ-000001", "--waive", "10"], 1, "--approved-by"),
    (["new", "--unit", "1", "--name", "x", "--phone", "12", "--desc", "漏水"], 1, "not a phone number"),
    (["new", "--unit", "1", "--name", "x", "--phone", "13800000000", "--desc", ""], 1, "--desc is empty"),
    (["new", "--unit", "1", "--name", "x", "--phone", "13800000000", "--desc", "漏" * 10_000], 1, "characters long"),
    (["new", "--unit", "1", "--name", "x", "--phone", "13800000000", "--desc", "漏水", "--item", "ZZ"], 1,
     "unknown catalogue code"),
    (["list", "--month", "2026-1x"], 2, "is not a month"),
    (["callback", "HQ-000001", "--method", "fax", "--satisfied"], 2, "'fax' is not one of"),
    (["callback", "HQ-000001", "--method", "phone"], 2, "give exactly one of --satisfied, --unsatisfied"),
    (["visit", "HQ-000001", "--arrived", "--absent"], 2, "exactly one of --arrived, --absent, --reschedule"),
    (["monthly", "2026-10", "--out", "report.csv"], 2, "does not end in .xlsx"),
    (["new", "--unit", "1", "--name", "x", "--phone", "13800000000", "--desc", "漏水", "--at", "2026-10-05 10:00",
      "--appointment", "2026-10-05 09:00"], 1, "is before the request was received"),
    (["new", "--unit", "", "--name", "x", "--phone", "13800000000", "--desc", "漏水"], 1,
     "--unit is empty; give a value, e.g. --unit 3栋1201"),
]


@pytest.mark.parametrize("args,status,message", CASES, ids=[" ".join(c[0])[:40] for c in CASES])
def test_bad_arguments(clerk, one_order, snapshot, args, status, message):
    before = snapshot(clerk)
    result = clerk(*args, ok=False)
    assert result.exit_code == status, result.output
    assert message in result.output, result.output
    assert "Traceback" not in result.output
    if status == 1:
        assert len(result.output.strip().splitlines()) == 1
    assert snapshot(clerk) == before


def test_malformed_order_file(clerk, one_order, snapshot):
    path = clerk.order_file(one_order)
    path.write_text(path.read_text("utf-8").replace("unit: 3栋1201", "unit: [3栋1201"), "utf-8")
    before = snapshot(clerk)
    result = clerk("visit", one_order, "--arrived", ok=False)
    assert result.exit_code == 1 and f"{path}:" in result.output and "YAML syntax error" in result.output
    assert snapshot(clerk) == before


@pytest.mark.parametrize("data", [b"id: HQ-000001\nunit: \xb3\xa4\n", b"\x00\x01binary"], ids=["gbk", "binary"])
def test_a_file_that_is_not_utf8(clerk, one_order, snapshot, data):
    path = clerk.order_file(one_order)
    path.write_bytes(data)
    before = snapshot(clerk)
    result = clerk("assign", one_order, "--to", "王师傅", ok=False)
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "not UTF-8" in result.output or "YAML syntax error" in result.output
    assert snapshot(clerk) == before


def test_an_order_file_that_is_not_a_mapping(clerk, one_order):
    clerk.order_file(one_order).write_text("- just\n- a list\n", "utf-8")
    result = clerk("assign", one_order, "--to", "王师傅", ok=False)
    assert result.exit_code == 1 and "not an order" in result.output


def test_the_executable_never_shows_a_traceback(clerk, one_order, tmp_path, executable):
    for args in (["show", "HQ-0"], ["close", one_order, "--labour", "x"], ["list", "--month", "x"]):
        done = subprocess.run([executable, "--root", str(clerk.root), *args], capture_output=True, text=True)
        assert done.returncode == 2 and "Traceback" not in done.stderr and done.stderr.strip()
    done = subprocess.run([executable, "list"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "no office folder found" in done.stderr


def test_a_command_refuses_to_change_a_broken_hand_edit(clerk, one_order, snapshot):
    path = clerk.order_file(one_order)
    path.write_text(path.read_text("utf-8").replace("item: W01", "item: Z99"), "utf-8")
    before = snapshot(clerk)
    result = clerk("visit", one_order, "--arrived", ok=False)
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert f"{path}:" in result.output and "item 'Z99' is not a catalogue item code" in result.output
    assert "fix the file first" in result.output
    assert snapshot(clerk) == before  # nothing committed under the command's name


def test_suggestions_say_which_command_takes_them(clerk):
    out = clerk("new", "--unit", "2-201", "--name", "李四", "--phone", "13900001111", "--desc", "下水道堵了").output
    lines = out.splitlines()
    assert lines[1].startswith("suggested items (repairctl assign HQ-000001 --item CODE): W09")
    assert lines[2].startswith("if it is a specialist supplier's job (repairctl refer HQ-000001 --job CODE): S16")


def test_one_broken_file_does_not_stop_the_desk(clerk, one_order):
    second = clerk.new("--force", at="2026-10-05 09:30")
    path = clerk.order_file(one_order)
    path.write_text(path.read_text("utf-8").replace("unit: 3栋1201", "unit: [3栋1201"), "utf-8")
    named = f"records/orders/2026/10/{one_order}.yaml:"
    for args, status in ((["list", "--format", "json"], 1), (["overdue", "--at", "2026-10-05 10:00"], 3),
                         (["monthly", "2026-10", "--allow-broken", "--format", "json"], 0)):
        result = clerk(*args, ok=False)
        assert result.exit_code == status and "Traceback" not in result.output, args
        assert named in result.stderr and "1 order file(s) cannot be read" in result.stderr, args
        assert second in result.stdout or args[0] == "monthly"
    assert clerk.new("--force", "--item", "E01", at="2026-10-05 09:40") == "HQ-000003"


def test_a_closed_pipe_stops_quietly(example_office, executable):
    """`repairctl list | head -1`: no error message when the reader goes away."""
    done = subprocess.run(f"'{executable}' --root '{example_office}' list --format json | head -1",
                          shell=True, capture_output=True, text=True)
    assert done.stdout == "[\n" and done.stderr == ""
