"""Input as a Chinese keyboard types it (issue 13 §2): times, amounts, materials and order IDs, each
read into the one form the desk stores, and a refusal that says what was expected."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from repairctl.errors import RepairError
from repairctl.orders import records
from repairctl.text import clock, money

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=TZ)  # the pinned clock of the tests: a Wednesday noon


# --- times ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, stored", [
    ("14:05", "2026-11-25T14:05:00+08:00"),
    ("14：05", "2026-11-25T14:05:00+08:00"),  # the full-width colon
    ("１４：０５", "2026-11-25T14:05:00+08:00"),
    ("14点05", "2026-11-25T14:05:00+08:00"),
    ("14点05分", "2026-11-25T14:05:00+08:00"),
    ("14点", "2026-11-25T14:00:00+08:00"),
    ("9时30分", "2026-11-25T09:30:00+08:00"),
    ("下午2点", "2026-11-25T14:00:00+08:00"),
    ("下午2点半", "2026-11-25T14:30:00+08:00"),
    ("下午两点", "2026-11-25T14:00:00+08:00"),
    ("下午14点", "2026-11-25T14:00:00+08:00"),  # said twice, the same hour
    ("上午9点", "2026-11-25T09:00:00+08:00"),
    ("上午十点十五", "2026-11-25T10:15:00+08:00"),
    ("早上8:30", "2026-11-25T08:30:00+08:00"),
    ("中午12点", "2026-11-25T12:00:00+08:00"),
    ("中午1点", "2026-11-25T13:00:00+08:00"),
    ("晚上8点", "2026-11-25T20:00:00+08:00"),
    ("凌晨12点", "2026-11-25T00:00:00+08:00"),
    ("2026年11月25日 09:20", "2026-11-25T09:20:00+08:00"),
    ("2026年11月23日下午3点", "2026-11-23T15:00:00+08:00"),
    ("11月25日 9:20", "2026-11-25T09:20:00+08:00"),
    ("11月24号 9点", "2026-11-24T09:00:00+08:00"),
    ("昨天 16:30", "2026-11-24T16:30:00+08:00"),
    ("昨天下午4点半", "2026-11-24T16:30:00+08:00"),
    ("今天 8:00", "2026-11-25T08:00:00+08:00"),
    ("前天 9点", "2026-11-23T09:00:00+08:00"),
    ("明天上午9点", "2026-11-26T09:00:00+08:00"),  # an appointment
    ("2026-11-23 下午2点", "2026-11-23T14:00:00+08:00"),
    # the forms read before stay read
    ("2026-11-23 14:00", "2026-11-23T14:00:00+08:00"),
    ("2026-11-23T14:00:00+08:00", "2026-11-23T14:00:00+08:00"),
    ("2026-11-23T06:00:00Z", "2026-11-23T14:00:00+08:00"),
    ("11/23 14:00", "2026-11-23T14:00:00+08:00"),
    ("14:05:30", "2026-11-25T14:05:30+08:00"),
])
def test_a_typed_time_is_stored_in_one_form(typed, stored):
    assert clock.parse_time(typed, TZ, default=NOW).isoformat() == stored


@pytest.mark.parametrize("typed, message", [
    ("下午", "cannot read time '下午'; write it as 2026-11-23 14:05, 14:05, 14点05, 下午2点半 or 昨天 16:30"),
    ("明天下午", "cannot read time '明天下午'; write it as"),
    ("2月30日 9:00", "time '2月30日 9:00' names no day of the calendar; write it as 2026-11-23 14:05"),
    ("25:00", "time '25:00' has no such hour or minute; write it as 2026-11-23 14:05, 14:05, 14点05"),
    ("14点70", "time '14点70' has no such hour or minute"),
    ("晚上12点", "time '晚上12点' is midnight: write 00:00 with the next day, or 23:59"),
    ("上午14点", "time '上午14点' puts 14:00 in the 上午; write 14:00 or 下午2点"),
    ("2126年1月1日 9:00", "is in the year 2126; give a year from 2000 to 2099"),
])
def test_a_time_that_cannot_be_read_is_refused_with_an_example(typed, message):
    with pytest.raises(RepairError) as caught:
        clock.parse_time(typed, TZ, default=NOW)
    assert message in str(caught.value) and "\n" not in str(caught.value)


NEW = ["new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678", "--desc", "漏水", "--item", "W01"]


def test_new_reads_a_chinese_time_and_says_what_it_understood(clerk):
    made = clerk(*NEW, "--at", "昨天下午4点半")
    assert "--at 昨天下午4点半 = 2026-11-24 16:30" in made.stderr
    order_id = made.stdout.splitlines()[0]
    assert json.loads(clerk("show", order_id, "--format", "json").output)["events"][0]["at"] == \
        "2026-11-24T16:30:00+08:00"
    plain = clerk(*NEW, "--unit", "3栋1202", "--at", "2026-11-25 09:00")
    assert plain.stderr == ""  # an ASCII time is echoed by no one: it is what it says


def test_a_time_of_today_later_than_now_is_refused_with_the_hint_to_type_yesterday(clerk):
    refused = clerk(*NEW, "--at", "下午4点", ok=False)
    assert refused.exit_code == 1
    assert ("Error: --at 2026-11-25 16:00 is in the future; give the time the event happened "
            "(yesterday? type 昨天 16:00)") in refused.output
    assert not list(clerk.root.glob("records/orders/*/*/*.yaml"))
    tomorrow = clerk(*NEW, "--at", "2026-11-27 09:00", ok=False)
    assert "is in the future" in tomorrow.output and "昨天" not in tomorrow.output  # another day: no such guess


# --- amounts and materials -------------------------------------------------------------------------

@pytest.mark.parametrize("typed, amount", [
    ("35", "35"), ("35元", "35"), ("35.5元", "35.5"), ("¥35", "35"), ("￥35", "35"), ("３５", "35"),
    ("35块", "35"), ("35块钱", "35"), ("¥ 35.50", "35.5"), ("３５．５元", "35.5"), (" 35 元 ", "35"), ("0元", "0"),
])
def test_a_typed_amount_is_read_in_yuan(typed, amount):
    assert money.parse(typed) == Decimal(amount) and str(money.parse(typed)) == amount


@pytest.mark.parametrize("typed, message", [
    ("元", "amount '元' is not a number; write it like 35, 35.5, 35元 or ¥35"),
    ("35元元", "amount '35元元' is not a number; write it like 35, 35.5, 35元 or ¥35"),
    ("三十五", "amount '三十五' is not a number"),
    ("-3元", "amount '-3元' must be zero or more"),
    ("35.555元", "has more than two decimals"),
])
def test_an_amount_that_cannot_be_read_is_refused_with_an_example(typed, message):
    with pytest.raises(ValueError, match=message):
        money.parse(typed)


def test_a_quantity_is_no_amount_of_yuan():
    assert money.parse("２", "quantity", yuan=False) == 2
    with pytest.raises(ValueError, match=r"quantity '2元' is not a number; write it like 1, 2 or 0\.5"):
        money.parse("2元", "quantity", yuan=False)


def test_close_takes_materials_and_labour_as_a_chinese_keyboard_types_them(clerk):
    order_id = clerk.new(at="2026-11-25 09:00")
    clerk("assign", order_id, "--to", "李师傅", "--at", "09:10")
    clerk("visit", order_id, "--arrived", "--at", "9点20")
    closed = clerk("close", order_id, "--signed-by", "业户", "--work", "换水龙头", "--material", "水龙头：1：35元",
                   "--material", "生料带：２：1.5", "--labour", "¥20", "--opinion", "满意", "--signed-by", "张三",
                   "--at", "上午10点")
    assert closed.stdout.strip() == "HQ-000001 完工, 费用 58.00 元"  # 35 + 2 × 1.5 + 20: what was understood
    shown = json.loads(clerk("show", order_id, "--format", "json").output)
    assert [(m["name"], str(m["qty"]), str(m["unit_price"])) for m in shown["materials"]] == \
        [("水龙头", "1", "35"), ("生料带", "2", "1.5")]
    assert shown["labour"] in ("20", "20.00", 20)
    assert [event["at"][11:16] for event in shown["events"]] == ["09:00", "09:10", "09:20", "10:00"]


@pytest.mark.parametrize("typed, message", [
    ("水龙头：1", "material '水龙头：1' needs a name, a quantity and a unit price"),
    ("水龙头：一：35", "quantity of 水龙头 '一' is not a number"),
    ("水龙头：1：三十", "unit price of 水龙头 '三十' is not a number; write it like 35, 35.5, 35元 or ¥35"),
])
def test_a_material_that_cannot_be_read_is_refused(clerk, typed, message):
    order_id = clerk.new(at="2026-11-25 09:00")
    refused = clerk("close", order_id, "--work", "换", "--material", typed, ok=False)
    assert refused.exit_code == 2 and message in refused.output


# --- order IDs -------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, stored", [
    ("HQ-000001", "HQ-000001"), ("hq-000001", "HQ-000001"), ("ＨＱ－０００００１", "HQ-000001"),
    ("HQ—000001", "HQ-000001"), ("HQ–000001", "HQ-000001"), ("HQ－000001", "HQ-000001"), ("HQ−000001", "HQ-000001"),
    ("HQ-000124B", "HQ-000124B"), ("hq–000124b", "HQ-000124B"), (" ＨＱ－０００１２４Ｂ ", "HQ-000124B"),
])
def test_a_typed_order_id_is_read_in_its_one_form(typed, stored):
    assert records.check_id(typed) == stored


@pytest.mark.parametrize("typed", ["HQ000001", "HQ-0", "17x", "HQ-000124BB", "HQ-000001-B"])
def test_what_is_no_order_id_is_refused_with_the_forms_that_are(typed):
    with pytest.raises(RepairError, match=r"IDs look like HQ-000123 or HQ-000123B .*or 123 for the office's own"):
        records.check_id(typed)


def test_a_bare_number_is_the_offices_own_series(tmp_path):
    month = tmp_path / "2026" / "11"
    month.mkdir(parents=True)
    for name in ("HQ-000017.yaml", "HQ-000018B.yaml", "HQ-000019.yaml", "HQ-000019A.yaml", "SZ-000020.yaml"):
        (month / name).write_text("", "utf-8")
    assert records.typed_id("17", tmp_path, "HQ", "") == "HQ-000017"
    assert records.typed_id("１８", tmp_path, "HQ", "A") == "HQ-000018B"  # the one order with that number
    assert records.typed_id("20", tmp_path, "HQ", "") == "HQ-000020"  # none: the office's own (not found later)
    assert records.typed_id("21", tmp_path, "HQ", "C") == "HQ-000021C"  # none: this desk's own
    assert records.typed_id("hq-000017", tmp_path, "HQ", "") == "HQ-000017"
    with pytest.raises(RepairError, match=r"^19 is the number of 2 orders: HQ-000019, HQ-000019A; type the whole ID$"):
        records.typed_id("19", tmp_path, "HQ", "")
    with pytest.raises(RepairError, match="'0' is not an order number"):
        records.typed_id("0", tmp_path, "HQ", "")


def test_commands_take_an_id_as_typed(clerk):
    order_id = clerk.new(at="2026-11-25 09:00")
    assert order_id == "HQ-000001"
    for typed in ("1", "hq-000001", "ＨＱ－０００００１", "HQ—000001"):
        assert json.loads(clerk("show", typed, "--format", "json").output)["id"] == "HQ-000001"
    assigned = clerk("assign", "１", "--to", "李师傅", "--at", "09:10")
    assert assigned.stdout.startswith("HQ-000001 已派工给 李师傅")
    missing = clerk("show", "2", ok=False)
    assert missing.exit_code == 1 and "no order HQ-000002" in missing.output


def test_a_bare_number_two_orders_share_is_refused_naming_both(clerk):
    order_id = clerk.new(at="2026-11-25 09:00")
    path = clerk.order_file(order_id)
    path.with_name("HQ-000001B.yaml").write_text(path.read_text("utf-8").replace(order_id, "HQ-000001B"), "utf-8")
    refused = clerk("show", "1", ok=False)
    assert refused.exit_code == 2
    assert "1 is the number of 2 orders: HQ-000001, HQ-000001B; type the whole ID" in refused.output
    assert json.loads(clerk("show", "hq-000001b", "--format", "json").output)["id"] == "HQ-000001B"


@pytest.mark.parametrize("typed", ["8.55", "14.05", "5", "16", "16.30", "2026-11-23", "明天"])
def test_a_number_or_a_day_alone_is_no_time_and_is_refused_not_guessed(clerk, typed):
    # dateutil once read 8.55 as the 8th of the month at 9:00 and 16 as the 16th, and the order was saved
    before = clerk.git("rev-parse", "HEAD")
    result = clerk("new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678", "--desc", "漏水",
                   "--at", typed, ok=False)
    assert result.exit_code in (1, 2) and repr(typed) in result.output
    assert "write it as" in result.output and clerk.git("rev-parse", "HEAD") == before


@pytest.mark.parametrize(("typed", "read"), [("2026/11/23 14:05", "2026-11-23 14:05"),
                                             ("2026.11.23 9:00", "2026-11-23 09:00"),
                                             ("11/23 9:20", "2026-11-23 09:20")])
def test_dates_with_slashes_and_dots_are_read(clerk, typed, read):
    result = clerk("new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678", "--desc", "漏水",
                   "--at", typed)
    assert f"--at {typed} = {read}" in result.output


def test_a_choice_is_typed_as_its_code_or_as_the_desks_word(clerk):
    oid = clerk.new("--channel", "来访")
    assert "channel: walk-in\n" in clerk.order_file(oid).read_text("utf-8")
    assert clerk("list", "--status", "已受理", "--format", "csv").stdout.count(oid) == 1
    refused = clerk("callback", oid, "--method", "手机", "--satisfied", ok=False)
    assert refused.exit_code == 2
    assert ("'手机' is not one of phone（电话）, visit（上门）, intercom（对讲）, questionnaire（问卷）"
            in refused.output)


@pytest.mark.parametrize(("typed", "minutes"), [("2小时", 120), ("1天", 1440), ("30分钟", 30), ("1小时30分", 90),
                                                ("半小时", 30), ("1h30m", 90)])
def test_a_duration_in_chinese_units(typed, minutes):
    from repairctl.cli.options import DURATION

    assert DURATION.convert(typed, None, None) == dt.timedelta(minutes=minutes)


@pytest.mark.parametrize(("typed", "month"), [("2026年11月", "2026-11"), ("2026/11", "2026-11"), ("11月", "2026-11"),
                                              ("12月", "2025-12"), ("2026-1", "2026-01")])
def test_a_month_as_a_clerk_writes_it(clerk, typed, month):
    # 12月 alone, typed on 25 November 2026, is the December just past
    assert f"{month}" in clerk("monthly", typed).stdout.splitlines()[0]


@pytest.mark.parametrize("typed", ["hq-1", "HQ-1", "ＨＱ－１", "1"])
def test_an_id_without_its_zeros(clerk, typed):
    oid = clerk.new()
    assert clerk("show", typed).stdout.startswith("id")
    assert oid in clerk("show", typed).stdout
