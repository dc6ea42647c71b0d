"""Dispatch by trade: staff.csv's 工种 against the item's category, `assign ID` without --to, the warning of
`assign --to` someone of another trade, and `workload` (REPAIRCTL_NOW is 2026-11-25 12:00)."""

from __future__ import annotations

import json

import pytest

from repairctl.orders import trades

STAFF = "姓名,工种\n李师傅,水工\n陈师傅,电工\n王师傅,水电\n赵师傅,土建\n钱师傅,\n"


@pytest.fixture
def desk(clerk):
    (clerk.root / "records" / "staff.csv").write_text(STAFF, encoding="utf-8")
    clerk.git("add", "records/staff.csv")
    clerk.git("commit", "-qm", "staff")
    return clerk


@pytest.mark.parametrize(("trade", "covered"), [
    ("水", {"water"}), ("电工", {"power"}), ("水电", {"power", "water"}), ("土建/木工", {"civil"}),
    ("综合", {"power", "water", "civil"}), ("", set()), ("保安", set()),
])
def test_a_trade_covers_its_categories(trade, covered):
    assert trades.categories(trade) == covered


def test_only_a_known_other_trade_is_a_mismatch():
    assert trades.mismatch("电工", "water")
    assert not trades.mismatch("水电", "water")
    assert not trades.mismatch("", "water")  # unknown trade: nothing to warn of
    assert not trades.mismatch("电工", None)  # unclassified order


def test_assign_without_to_lists_the_trade_least_loaded_first_and_changes_nothing(desk, snapshot):
    busy = desk.new(at="2026-11-25 08:00")
    desk("assign", busy, "--to", "李师傅", "--at", "2026-11-25 08:10")
    order = desk.new(at="2026-11-25 09:00", unit="5栋101")  # W01: water
    before = snapshot(desk)
    result = desk("assign", order)
    lines = result.stdout.splitlines()
    assert lines[0] == f"{order} W01 (给排水类): its technicians, least loaded today first:"
    assert [line.split()[0] for line in lines[1:-1]] == ["王师傅", "李师傅"]  # 王 has no job, 李 one
    assert lines[2].strip() == "李师傅 (水工): 1 open, 0 done today"
    assert "nothing was changed" in lines[-1]
    assert snapshot(desk) == before


def test_assign_without_to_takes_the_item_given_and_refuses_an_unknown_one(desk):
    order = desk.new(item=None, desc="灯不亮")
    out = desk("assign", order, "--item", "E01").stdout
    assert out.splitlines()[1:-1] == ["  陈师傅 (电工): 0 open, 0 done today", "  王师傅 (水电): 0 open, 0 done today"]
    refused = desk("assign", order, "--item", "X99", ok=False)
    assert refused.exit_code == 1 and "unknown catalogue code 'X99'" in refused.output
    assert "item:" not in desk.order_file(order).read_text("utf-8")


def test_assign_without_to_and_without_an_item_lists_everyone(desk):
    order = desk.new(item=None, desc="有点问题")
    out = desk("assign", order).stdout
    assert "has no catalogue item" in out
    assert all(name in out for name in ("李师傅", "陈师傅", "王师傅", "赵师傅", "钱师傅"))


def test_assign_without_to_and_without_staff_says_so(clerk):
    order = clerk.new()
    result = clerk("assign", order)
    assert result.stdout.startswith("no records/staff.csv, so no trades to match; nothing was changed")


def test_assigning_another_trade_warns_and_still_assigns(desk):
    order = desk.new()
    result = desk("assign", order, "--to", "陈师傅")
    warned = "warning: 陈师傅's trade is 电工 (records/staff.csv) but W01 is 给排水类 work; assigned anyway"
    assert warned in result.stderr
    assert "technician: 陈师傅" in desk.order_file(order).read_text("utf-8")
    fits = desk.new(unit="5栋101")
    assert "warning" not in desk("assign", fits, "--to", "王师傅").stderr
    unknown = desk.new(unit="6栋101")
    assert "warning" not in desk("assign", unknown, "--to", "钱师傅").stderr


def test_workload_counts_open_and_done_with_the_standards_summed(desk):
    done = desk.new(at="2026-11-25 08:00")  # W01: 15 minutes
    desk("assign", done, "--to", "李师傅", "--at", "2026-11-25 08:05")
    desk("visit", done, "--arrived", "--at", "2026-11-25 08:30")
    desk("close", done, "--signed-by", "张三", "--work", "换龙头", "--at", "2026-11-25 08:50")
    still = desk.new(at="2026-11-25 09:00", item="W05", unit="5栋101")  # 1小时内: 60 minutes
    desk("assign", still, "--to", "李师傅", "--at", "2026-11-25 09:05")
    yesterday = desk.new(at="2026-11-24 09:00", unit="6栋101")
    desk("assign", yesterday, "--to", "陈师傅", "--at", "2026-11-24 09:05")
    desk("visit", yesterday, "--arrived", "--at", "2026-11-24 09:30")
    desk("close", yesterday, "--signed-by", "张三", "--work", "换龙头", "--at", "2026-11-24 09:50")
    rows = {row["technician"]: row for row in json.loads(desk("workload", "--format", "json").stdout)["technicians"]}
    assert (rows["李师傅"]["open"], rows["李师傅"]["open_minutes"]) == (1, 60)
    assert (rows["李师傅"]["done"], rows["李师傅"]["done_minutes"], rows["李师傅"]["done_ids"]) == (1, 15, [done])
    assert rows["陈师傅"]["done"] == 0  # done yesterday, not on the day
    past = {row["technician"]: row for row in
            json.loads(desk("workload", "--date", "2026-11-24", "--format", "json").stdout)["technicians"]}
    assert (past["陈师傅"]["done"], past["李师傅"]["open"], past["李师傅"]["done"]) == (1, 0, 0)
    late = desk.new(at="2026-11-24 17:00", unit="7栋101")  # received on the 24th, dispatched on the 25th
    desk("assign", late, "--to", "赵师傅", "--at", "2026-11-25 08:00")
    days = [{row["technician"]: row["open"] for row in json.loads(
        desk("workload", "--date", day, "--format", "json").stdout)["technicians"]}
        for day in ("2026-11-24", "2026-11-25")]
    assert (days[0]["赵师傅"], days[1]["赵师傅"]) == (0, 1)
    table = desk("workload").stdout.splitlines()
    assert table[0].startswith("workload on 2026-11-25")
    assert table[3].split() == ["李师傅", "水工", "1", "60", "1", "15", "0"]


def test_the_catalogue_may_name_its_own_trade_words(desk):
    catalog = desk.root / "catalog.yaml"
    text = catalog.read_text("utf-8")
    # 水电 here means the water trade only, and a 管道工 (no default word) is the water trade's too
    named = "    name: 给排水类\n"
    catalog.write_text(text.replace(named, named + "    trades: [水电, 管道工]\n", 1), "utf-8")
    (desk.root / "records" / "staff.csv").write_text(STAFF + "孙师傅,管道工\n", encoding="utf-8")
    desk.git("commit", "-qam", "trades of the office")
    water = desk.new(unit="5栋101")
    assert [line.split()[0] for line in desk("assign", water).stdout.splitlines()[1:-1]] == [
        "李师傅", "王师傅", "孙师傅"]
    power = desk.new(unit="6栋101", item="E01")
    assert "warning: 王师傅's trade is 水电" in desk("assign", power, "--to", "王师傅").stderr


def test_a_catalogue_trades_that_is_no_list_of_words_is_refused(desk):
    catalog = desk.root / "catalog.yaml"
    named = "    name: 给排水类\n"
    catalog.write_text(catalog.read_text("utf-8").replace(named, named + "    trades: 水电\n", 1), "utf-8")
    refused = desk("check", ok=False)
    assert refused.exit_code == 1 and "category water: `trades` must be a list" in refused.output
