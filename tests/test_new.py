"""Recording new requests: IDs, classification, duplicates, referrals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from repairctl.store import yamlio


def new_args(*extra):
    return ["new", "--unit", "5栋302", "--name", "李四", "--phone", "139-0000-1111", *extra]


def test_ids_are_one_series_with_the_site_code(clerk):
    assert [clerk.new(at="2026-10-01 08:00"), clerk.new("--force", at="2026-11-02 08:00")] == ["HQ-000001", "HQ-000002"]
    # filed under the month received
    assert clerk.order_file("HQ-000001").relative_to(clerk.root).as_posix() == "records/orders/2026/10/HQ-000001.yaml"
    assert clerk.order_file("HQ-000002").parent.name == "11"


def test_without_item_suggests_catalogue_items(clerk):
    out = json.loads(clerk(*new_args("--desc", "马桶一直漏水", "--format", "json")).output)
    assert out["id"] == "HQ-000001" and out["status"] == "received"
    assert out["suggestions"][0]["code"] == "W05"
    assert "item" not in yamlio.load_fast(clerk.order_file("HQ-000001"))


def test_supplier_job_is_recorded_as_referred(clerk):
    out = clerk(*new_args("--desc", "空调不制冷", "--item", "S03")).output
    assert out.splitlines()[0] == "HQ-000001"
    # the seed's table names no provider for S03: the owner is told the office can give names (its note 02)
    assert "the office can give the names of specialist repairers" in out and "维修空调机" in out
    data = yamlio.load_fast(clerk.order_file("HQ-000001"))
    assert data["status"] == "referred" and data["supplier_job"] == "S03"
    assert [e["action"] for e in data["events"]] == ["received", "referred"]


def test_open_order_for_same_unit_and_item_is_refused_unless_forced(clerk):
    first = clerk.new()
    refused = clerk("new", "--unit", "3栋 1201", "--name", "张三", "--phone", "13812345678", "--desc", "还是漏水",
                   "--item", "w01", ok=False)
    assert refused.exit_code == 1 and first in refused.output and "--force" in refused.output
    assert len(list(clerk.root.glob("records/orders/*/*/*.yaml"))) == 1
    assert clerk.new("--force") == "HQ-000002"


def test_urgency_scope_and_channel_are_recorded(clerk):
    clerk(*new_args("--desc", "水管爆裂", "--item", "W07", "--emergency", "--channel", "walk-in",
                   "--at", "2026-10-05 23:10"))
    clerk(*new_args("--desc", "大堂灯不亮", "--item", "E01", "--public", "--appointment", "2026-10-06 10:00",
                   "--at", "2026-10-05 23:20"))
    urgent, public = (yamlio.load_fast(clerk.order_file(i)) for i in ("HQ-000001", "HQ-000002"))
    assert (urgent["urgency"], urgent["channel"], urgent["scope"]) == ("emergency", "walk-in", "unit")
    assert (public["urgency"], public["scope"]) == ("appointment", "public")
    assert public["appointment"] == "2026-10-06T10:00:00+08:00"


def test_water_meter_cleaning_warns_the_owner(clerk):
    out = clerk(*new_args("--desc", "水表", "--item", "W04")).output
    assert "度量不准确" in out


def test_bad_input_is_one_line_and_writes_nothing(clerk):
    cases = [
        (new_args("--desc", "漏水", "--item", "X99"), "unknown catalogue code"),
        (["new", "--unit", "1", "--name", "a", "--phone", "hello", "--desc", "漏水"], "not a phone number"),
        (new_args("--desc", "   "), "--desc is empty"),
        (new_args("--desc", "漏" * 10_000), "characters long"),
        (new_args("--desc", "漏水", "--emergency", "--appointment", "2026-10-06 10:00"), "exclude each other"),
    ]
    for args, message in cases:
        result = clerk(*args, ok=False)
        assert result.exit_code == 1, args
        assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert not list(clerk.root.glob("records/orders/*/*/*.yaml"))
    assert clerk.git("status", "--porcelain") == ""


def test_usage_errors_exit_2(clerk):
    assert clerk("new", "--unit", "1", ok=False).exit_code == 2
    assert clerk("assign", "../etc/passwd", "--to", "x", ok=False).exit_code == 2
    assert clerk("close", "HQ-000001", "--material", "水龙头:1", ok=False).exit_code == 2
    assert clerk("close", "HQ-000001", "--labour", "-5", ok=False).exit_code == 2


def test_parallel_new_in_separate_processes_gives_distinct_ids(office_root):
    """Eight clerks press enter at once: eight orders, eight IDs, eight commits, nothing lost."""
    env = {**os.environ, "REPAIRCTL_ROOT": str(office_root)}
    procs = [
        subprocess.Popen([sys.executable, "-m", "repairctl", "new", "--unit", f"{n}栋101", "--name", "业户",
                          "--phone", "13800000000", "--desc", "灯不亮", "--item", "E01"],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(8)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    ids = sorted(out.splitlines()[0] for out, _ in outputs)
    assert ids == [f"HQ-{n:06d}" for n in range(1, 9)]
    files = sorted(p.stem for p in Path(office_root).glob("records/orders/*/*/*.yaml"))
    assert files == ids
    git = ["git", "-C", str(office_root)]
    assert subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True).stdout == ""
    log = subprocess.run([*git, "log", "--format=%s"], capture_output=True, text=True).stdout.splitlines()
    assert sorted(line.split(":")[0] for line in log if line.startswith("new ")) == [f"new {i}" for i in ids]
