"""The close (issue 14 §2): the owner's sign-off, the slip's arrival, the quantity of a per-unit item,
the catalogue's work-time standard as a clock, and an appointment's finish clock from the agreed time."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from repairctl.office.catalogue import Item
from repairctl.orders import standard
from repairctl.store import yamlio


def assigned(clerk, item: str = "W01", **new) -> str:
    oid = clerk.new(item=item, **new)
    clerk("assign", oid, "--to", "李师傅", "--at", "2026-10-05 09:05")
    return oid


def refused(clerk, *args: str) -> str:
    """The one line a refused command prints; the order file is left as it was."""
    result = clerk(*args, ok=False)
    assert result.exit_code == 1, result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    return result.output.strip()


def events(clerk, oid: str) -> list[dict]:
    return yamlio.load_round_trip(clerk.order_file(oid))["events"]


def test_a_close_without_a_sign_off_is_refused_with_an_example(clerk):
    oid = assigned(clerk)
    clerk("visit", oid, "--arrived", "--at", "2026-10-05 09:15")
    before = clerk.order_file(oid).read_bytes()
    message = refused(clerk, "close", oid, "--work", "换阀芯", "--at", "2026-10-05 09:40")
    assert "sign-off" in message and "--signed-by 张三" in message and "--unsigned 业户不在家" in message
    assert clerk.order_file(oid).read_bytes() == before
    both = refused(clerk, "close", oid, "--signed-by", "张三", "--unsigned", "业户不在家")
    assert "exclude each other" in both and clerk.order_file(oid).read_bytes() == before


def test_signed_and_unsigned_are_written_in_the_field_and_the_finished_event(clerk):
    signed, unsigned = assigned(clerk), assigned(clerk, unit="3栋1202")
    for oid, sign in ((signed, ("--signed-by", "张三")), (unsigned, ("--unsigned", "业户不在家"))):
        clerk("visit", oid, "--arrived", "--at", "2026-10-05 09:15")
        clerk("close", oid, *sign, "--at", "2026-10-05 09:25")
    data = yamlio.load_round_trip(clerk.order_file(signed))
    assert data["signed_by"] == "张三" and "unsigned" not in data and data["events"][-1]["signed_by"] == "张三"
    data = yamlio.load_round_trip(clerk.order_file(unsigned))
    assert data["unsigned"] == "业户不在家" and "signed_by" not in data
    assert data["events"][-1]["unsigned"] == "业户不在家"
    report = json.loads(clerk("monthly", "2026-10", "--format", "json").stdout)
    assert report["signoff"] == {"signed": 1, "unsigned": 1, "not_recorded": 0, "unsigned_orders": [
        {"id": unsigned, "unit": "3栋1202", "technician": "李师傅", "reason": "业户不在家"}]}
    assert "signed 1  unsigned 1" in clerk("monthly", "2026-10").stdout


def test_no_arrival_on_record_takes_the_slips_or_is_refused(clerk):
    oid = assigned(clerk)
    before = clerk.order_file(oid).read_bytes()
    message = refused(clerk, "close", oid, "--signed-by", "张三", "--at", "2026-10-05 09:40")
    assert message == ('Error: HQ-000001 has no arrival recorded; give --arrived-at from the paper slip, '
                       'e.g. --arrived-at "10:15"')
    after = refused(clerk, "close", oid, "--signed-by", "张三", "--arrived-at", "2026-10-05 09:50",
                    "--at", "2026-10-05 09:40")
    assert "--arrived-at 2026-10-05 09:50 is after the close" in after
    early = refused(clerk, "close", oid, "--signed-by", "张三", "--arrived-at", "2026-10-05 09:00",
                    "--at", "2026-10-05 09:40")
    assert "is before the order's last event (2026-10-05 09:05)" in early
    assert clerk.order_file(oid).read_bytes() == before
    clerk("close", oid, "--signed-by", "张三", "--arrived-at", "2026-10-05 09:13", "--at", "2026-10-05 09:40",
          "--by", "王小红")
    arrived, finished = events(clerk, oid)[-2:]
    assert dict(arrived) == {"action": "arrived", "at": dt.datetime.fromisoformat("2026-10-05T09:13:00+08:00"),
                             "by": "王小红", "from_slip": True}
    assert finished["action"] == "finished"
    assert clerk("check").exit_code == 0
    # the arrival clock reads the slip's time: 13 minutes, on time
    report = json.loads(clerk("monthly", "2026-10", "--format", "json").stdout)
    assert report["on_time"]["arrival"]["met"] == 1 and report["minutes"]["to_arrival"]["average"] == 13


def test_an_arrival_on_record_refuses_another_from_the_slip(clerk):
    oid = assigned(clerk)
    clerk("visit", oid, "--arrived", "--at", "2026-10-05 09:15")
    message = refused(clerk, "close", oid, "--signed-by", "张三", "--arrived-at", "2026-10-05 09:16")
    assert message == f"Error: {oid} already has its arrival recorded; leave out --arrived-at"


def test_a_per_unit_item_needs_its_quantity_and_others_take_none(clerk):
    pipe = assigned(clerk, item="E16", desc="更换线管")
    clerk("visit", pipe, "--arrived", "--at", "2026-10-05 09:15")
    message = refused(clerk, "close", pipe, "--signed-by", "张三", "--at", "2026-10-05 09:50")
    assert message == (f"Error: {pipe} is E16 更换阻燃导线管, timed 15分钟/米: give the quantity done with "
                       "--quantity N, e.g. --quantity 3")
    assert "more than zero" in refused(clerk, "close", pipe, "--signed-by", "张三", "--quantity", "0")
    tap = assigned(clerk, unit="3栋1202")
    clerk("visit", tap, "--arrived", "--at", "2026-10-05 09:15")
    assert "--quantity is only for items timed per metre" in refused(clerk, "close", tap, "--signed-by", "张三",
                                                                      "--quantity", "2")
    # 2.5 metres at 15 minutes a metre: 37.5 minutes allowed; 35 taken
    clerk("close", pipe, "--signed-by", "张三", "--quantity", "2.5", "--at", "2026-10-05 09:50")
    assert yamlio.load_round_trip(clerk.order_file(pipe))["quantity"] == 2.5
    shown = json.loads(clerk("show", pipe, "--format", "json").stdout)
    assert shown["standard"] == {"text": "15分钟/米", "quantity": 2.5, "allowed_minutes": 37.5, "taken_minutes": 35,
                                 "met": True}
    assert clerk("check").exit_code == 0


@pytest.mark.parametrize("limit,quantity,minutes", [
    ({"minutes": 15}, None, 15), ({"within_hours": 2}, None, 120), ({"minutes": 15, "per": "metre"}, 3, 45),
    ({"minutes": 50, "per": "bicycle"}, 2, 100), ({"minutes": 15, "per": "metre"}, None, None),
    ({"depends_on_part": True}, None, None), (None, None, None),
])
def test_each_shape_of_the_catalogues_standard(limit, quantity, minutes):
    item = Item("X01", "x", "x", "01", "x", limit)
    found = standard.allowed(item, quantity)
    assert (None if found is None else found / dt.timedelta(minutes=1)) == minutes


def test_the_standard_is_kept_to_the_minute(clerk):
    # W01: 15 minutes. Arrived 09:15; finished 09:30:59 is kept (15 whole minutes), 09:31 is not
    kept, late = assigned(clerk), assigned(clerk, unit="3栋1202")
    for oid, finished in ((kept, "2026-10-05 09:30:59"), (late, "2026-10-05 09:31")):
        clerk("visit", oid, "--arrived", "--at", "2026-10-05 09:15")
        clerk("close", oid, "--signed-by", "张三", "--at", finished)
    assert json.loads(clerk("show", kept, "--format", "json").stdout)["standard"]["met"] is True
    assert json.loads(clerk("show", late, "--format", "json").stdout)["standard"]["met"] is False


def test_an_item_without_a_standard_is_not_measured(clerk):
    oid = assigned(clerk, item="E13", desc="漏电")  # 检查线路接地、漏电故障: limit null
    clerk("visit", oid, "--arrived", "--at", "2026-10-05 09:15")
    clerk("close", oid, "--signed-by", "张三", "--at", "2026-10-05 12:00")
    assert json.loads(clerk("show", oid, "--format", "json").stdout)["standard"] is None
    report = json.loads(clerk("monthly", "2026-10", "--format", "json").stdout)
    assert report["worktime"] == {"measured": 0, "met": 0, "rate": None}


def test_monthly_counts_the_standard_per_item_and_technician(clerk, october, tmp_path):
    # arrival to finish in conftest.build_october: O2 W01 28 min (15), O3 E01 30 (10), O4 W05 46 (1 h),
    # O5 E09 46 (20), O6 W09 62 (2 h), O7 E18 45 (20), O8 W07 24 h 40 (30): met O4 O6 only
    report = json.loads(clerk("monthly", "2026-10", "--format", "json").stdout)
    assert report["worktime"] == {"measured": 7, "met": 2, "rate": 0.2857}
    people = {row["technician"]: row["worktime"] for row in report["by_technician"]}
    assert people == {"李师傅": {"measured": 4, "met": 2, "rate": 0.5},
                      "王师傅": {"measured": 3, "met": 0, "rate": 0.0}}
    items = {row["code"]: (row["standard"], row["worktime"]) for row in report["by_item"]}
    assert items["W09"] == ("2小时内", {"measured": 1, "met": 1, "rate": 1.0})
    assert items["W01"] == ("15分钟", {"measured": 1, "met": 0, "rate": 0.0})
    assert items["E13"] == ("", {"measured": 0, "met": 0, "rate": None})
    assert report["signoff"]["unsigned"] == 1 and report["signoff"]["signed"] == 6  # O8 nobody home
    text = clerk("monthly", "2026-10").stdout
    assert "worktime rate 28.6% (2/7)" in text
    assert "work-time standard by technician: 李师傅 50.0% (2/4), 王师傅 0.0% (0/3)" in text
    out = tmp_path / "月报.xlsx"
    clerk("monthly", "2026-10", "--out", str(out))
    book = openpyxl.load_workbook(out)
    by_item = [[c.value for c in row] for row in book["按项目"].iter_rows()]
    assert by_item[0][-4:] == ["维修时限", "标准工时计量单数", "标准工时达标单数", "标准工时达标率"]
    w09 = next(row for row in by_item if row[0] == "W09")
    assert w09[-4:] == ["2小时内", 1, 1, 1.0]
    by_tech = [[c.value for c in row] for row in book["按维修人员"].iter_rows()]
    assert by_tech[0][-4:-1] == ["标准工时计量单数", "标准工时达标单数", "标准工时达标率"]  # then 返工次数
    assert [row[0] for row in by_tech[1:]] == ["李师傅", "王师傅"] and by_tech[1][-4:-1] == [4, 2, 0.5]


def test_an_appointment_booked_three_days_ahead_and_kept_is_on_time_on_finish(clerk):
    oid = clerk.new("--appointment", "2026-10-08 09:00", at="2026-10-05 09:00")
    clerk("assign", oid, "--to", "李师傅", "--at", "2026-10-05 09:05")
    clerk("visit", oid, "--arrived", "--at", "2026-10-08 09:00")
    # still open on the 8th at noon: the finish clock runs to 9 October 09:00, not to 6 October 09:00
    found = json.loads(clerk("overdue", "--at", "2026-10-08 12:00", "--within", "1d", "--format", "json",
                             ok=False).stdout)
    assert [(r["kind"], r["due"]) for r in found] == [("finish", "2026-10-09T09:00:00+08:00")]
    clerk("close", oid, "--signed-by", "张三", "--at", "2026-10-08 09:14")
    report = json.loads(clerk("monthly", "2026-10", "--format", "json").stdout)
    assert report["on_time"]["finish"] == {"met": 1, "missed": 0, "open": 0, "rate": 1.0}
    assert report["on_time"]["appointment"]["met"] == 1
