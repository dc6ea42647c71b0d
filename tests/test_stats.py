"""Monthly statistics (`repairctl monthly`): a month built by hand, every figure worked out by hand."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from repairctl.office import sampling
from repairctl.reports import stats
from repairctl.store import yamlio
from repairctl.text.clock import zone

TZ = zone("Asia/Shanghai")


def test_october_figures_worked_out_by_hand(clerk, october, pinned_clock):
    """The month of conftest.build_october: O1 (September) .. O14 (November), built through the commands."""
    o, FORMULA = october, october.formula
    report = json.loads(clerk("monthly", "2026-10", "--format", "json").stdout)
    # the clocks still open are judged as of now: the tests' pinned now, 2026-11-25 12:00, weeks after October
    assert report["as_of"] == pinned_clock == "2026-11-25T12:00:00+08:00"
    # O2..O13 received in October; O1 (September) and O14 (November) are not
    assert report["received"] == 12
    # finished or called back: O2 O3 O4 O5 O6 O7 O8; open: O9 (assigned), O10 O13 (received)
    assert (report["finished"], report["open"], report["cancelled"], report["referred"]) == (7, 3, 1, 1)
    assert report["open_by_status"] == {"received": 2, "assigned": 1, "arrived": 0}
    assert report["completion_rate"] == 0.7  # 7 / (7 + 3); the cancelled and the referred are left out
    on_time = report["on_time"]
    # arrival (15 min): met O2 (12) O4 (14) O5 (14) O7 (15 exactly); missed O3 (30) O8 (20) and the never
    # visited O9 O10 O13, long past due by 25 November. O6 is an appointment; O11 O12 stopped before any clock ran.
    assert on_time["arrival"] == {"met": 4, "missed": 5, "open": 0, "rate": 0.4444}
    assert on_time["appointment"] == {"met": 1, "missed": 0, "open": 0, "rate": 1.0}  # O6 at 08:58 for 09:00
    # finish (24 h from receipt, an appointment's from its agreed time): met O2 O3 O4 O5 O6 (1 h after 09:00)
    # O7; missed O8 (25 h), O9 O10 O13 (never finished)
    assert on_time["finish"] == {"met": 6, "missed": 4, "open": 0, "rate": 0.6}
    # callback (24 h after finish): met O2 O3 O4 O6 (23 h); missed O7 (48 h), O5 O8 (never called back)
    assert on_time["callback"] == {"met": 4, "missed": 3, "open": 0, "rate": 0.5714}
    # the other clocks: O6's pending fee was never settled (72 h), O3's complaint never followed up (24 h)
    assert on_time["fee"]["rate"] == 0.0 and on_time["followup"] == {"met": 0, "missed": 1, "open": 0, "rate": 0.0}
    # minutes to arrival (appointments left out): 12 30 14 14 15 20 -> 105 / 6 = 17.5; 90th: rank ceil(5.4) = 6 -> 30
    assert report["minutes"]["to_arrival"] == {"count": 6, "average": 17.5, "p90": 30.0}
    # minutes to finish: 40 60 60 60 1080 60 1500 -> 2860 / 7 = 408.57; 90th: rank ceil(6.3) = 7 -> 1500
    assert report["minutes"]["to_finish"] == {"count": 7, "average": 408.6, "p90": 1500.0}
    # called back: O2 O3 O4 O6 O7 of the 7 finished; of the 6 unit jobs (O5 is a public area)
    assert report["callback_coverage"] == {"unit": {"finished": 6, "called_back": 5, "rate": 0.8333},
                                           "all": {"finished": 7, "called_back": 5, "rate": 0.7143}}
    assert (report["called_back"], report["satisfied"], report["satisfaction_rate"]) == (5, 4, 0.8)  # O3 unsatisfied
    assert report["unsatisfied"] == [{"id": o[3], "unit": "3栋1202", "item": "E01", "item_name": "更换各类普通灯泡",
                                      "technician": "王师傅", "method": "phone", "reason": "到场太慢"}]
    # rework: O4 repeats September's O1 -> 1 of 12 received
    assert (report["rework_count"], report["rework_rate"]) == (1, 0.0833)
    assert report["rework"] == [{"id": o[4], "unit": "5栋0301", "item": "W05", "of": o[1]}]
    fees = report["fees"]
    assert fees["materials"] == 140.0  # 35 + 2x10 + 25 + 2x30
    assert fees["labour"] == 150.0  # 20 + 10 + 0 + 50 + 40 + 30
    assert fees["waived"] == {"total": 20.0, "approvals": [{"id": o[7], "amount": 20.0, "approved_by": "赵总监",
                                                             "approver_role": "director"}]}
    assert fees["pending"] == {"count": 1, "amount": 50.0, "ids": [o[6]]}  # O6: labour 50, not yet settled
    assert fees["due"] == 220.0  # 55 (O2) + 30 (O3) + 0 (O4) + 25 (O5) + 80 (O7: 60+40-20) + 30 (O8)
    # households served: 3栋1201 (O2 and O8: once), 3栋1202, 5栋0301, 7栋0802, 8栋1501 -> 5, all called back;
    # under 100 households -> 30%, 1.5 rounded up -> 2
    assert report["callback_sample"] == {"households": 5, "share": 0.3, "required": 2, "called_back": 5}
    assert {t["measure"]: t["passed"] for t in report["targets"]} == {
        "satisfaction": False,  # 0.8 < 0.90
        "on_time_arrival": False, "on_time_appointment": True, "on_time_finish": False, "on_time_callback": False,
        "rework_rate": False,  # 0.0833 > 0.01
        "callback_unit": False,  # 0.8333 < 1.0
        "callback_all": True,  # 0.7143 >= 0.60
        "callback_sample": True,  # 5 >= 2
    }
    assert report["targets"][0] == {"measure": "satisfaction", "value": 0.8, "target": 0.9, "compare": ">=",
                                    "passed": False}
    by = {g["category"]: g for g in report["by_category"]}
    # power: O3 O5 O7; technician's clocks 5 met of 6 (O3 arrived late); called back O3 (no) O7 (yes)
    assert by["power"] == {"category": "power", "name": "供电类", "count": 3, "finished": 3, "on_time": 0.8333,
                           "called_back": 2, "satisfied": 1, "satisfaction": 0.5}
    # water: O2 O4 O6 O8 O11 O13; 6 met (O2 O4 O6 twice each) of 10 (O8 O13 missed both); O2 O4 O6 satisfied
    assert by["water"] == {"category": "water", "name": "给排水类", "count": 6, "finished": 4, "on_time": 0.6,
                           "called_back": 3, "satisfied": 3, "satisfaction": 1.0}
    assert by["civil"]["count"] == 1 and by["civil"]["on_time"] == 0.0 and by["civil"]["satisfaction"] is None  # O9
    items = {g["code"]: g for g in report["by_item"]}
    assert len(items) == 43  # every catalogue item, used or not, so management sees which to keep or drop
    assert items["W01"] == {"code": "W01", "name": "更换普通水龙头", "category": "给排水类", "count": 3, "finished": 1,
                            "on_time": 0.5, "called_back": 1, "satisfied": 1, "satisfaction": 1.0,  # O2 O11 O13
                            # the work-time standard: O2 took 28 minutes of 15 (tests/test_close.py has the rest)
                            "standard": "15分钟", "worktime": {"measured": 1, "met": 0, "rate": 0.0}}
    assert items["E02"]["count"] == 0 and items["E02"]["on_time"] is None
    assert report["uncovered"] == [{"id": o[10], "unit": "9栋0202", "description": FORMULA, "status": "received",
                                    "item": None}]
    assert report["suppliers"] == [{"code": "S24", "name": "更换、维修室内暗敷给水管", "provider": None,
                                    "count": 1, "ids": [o[12]]}]
    techs = {g["technician"]: g for g in report["by_technician"]}
    # 李师傅: O2 O4 O6 O8 -> clocks 6 of 8 (O8 late twice), 3 of 3 satisfied
    assert techs["李师傅"] == {"technician": "李师傅", "count": 4, "finished": 4, "on_time": 0.75,
                                   "called_back": 3, "satisfied": 3, "satisfaction": 1.0,
                                   "worktime": {"measured": 4, "met": 2, "rate": 0.5}, "rework": 0}
    # 王师傅: O3 O5 O7 O9 -> clocks 5 of 8 (O3 arrival, O9 both), 1 of 2 satisfied
    assert (techs["王师傅"]["count"], techs["王师傅"]["on_time"], techs["王师傅"]["satisfaction"]) == (4, 0.625, 0.5)
    # phone: O2 O4 O7 O8 O10 O11 O12 O13; one each for walk-in (O3), written (O9), staff (O5), online (O6)
    assert {g["channel"]: g["count"] for g in report["by_channel"]} == {
        "phone": 8, "walk-in": 1, "written": 1, "staff": 1, "online": 1}
    assert report["period"] == {"start": "2026-10-01T00:00:00+08:00", "end": "2026-11-01T00:00:00+08:00",
                                "first_day": "2026-10-01", "last_day": "2026-10-31", "cutoff_day": None,
                                "months": ["2026-10"]}
    text = clerk("monthly", "2026-10").stdout
    assert "monthly repair statistics" in text and "received 12" in text and "satisfaction" in text
    assert "failed" in text and "到场太慢" in text and "callback sample 2 (" in text


def test_a_month_without_orders(clerk, tmp_path):
    report = json.loads(clerk("monthly", "2026-08", "--format", "json").stdout)
    assert [report[k] for k in ("received", "finished", "open", "cancelled", "referred", "rework_count")] == [0] * 6
    assert report["completion_rate"] is None and report["satisfaction_rate"] is None and report["rework_rate"] is None
    assert all(v["rate"] is None for v in report["on_time"].values())
    assert report["callback_coverage"]["all"]["rate"] is None and report["callback_coverage"]["unit"]["rate"] is None
    assert report["fees"]["materials"] == 0.0 and report["fees"]["pending"] == {"count": 0, "amount": 0.0, "ids": []}
    assert report["callback_sample"] == {"households": 0, "share": 0.3, "required": 0, "called_back": 0}
    assert all(t["passed"] is None for t in report["targets"])
    assert "received 0" in clerk("monthly", "2026-08").stdout


@pytest.mark.parametrize(("month", "cutoff", "start", "end"), [
    ("2026-10", None, dt.datetime(2026, 10, 1), dt.datetime(2026, 11, 1)),
    ("2026-12", None, dt.datetime(2026, 12, 1), dt.datetime(2027, 1, 1)),
    ("2026-10", 20, dt.datetime(2026, 9, 21), dt.datetime(2026, 10, 21)),
    ("2027-01", 20, dt.datetime(2026, 12, 21), dt.datetime(2027, 1, 21)),
    ("2027-03", 28, dt.datetime(2027, 3, 1), dt.datetime(2027, 3, 29)),  # February 2027 has 28 days
])
def test_period_bounds(month, cutoff, start, end):
    assert stats.period(month, TZ, cutoff) == (start.replace(tzinfo=TZ), end.replace(tzinfo=TZ))


def test_cutoff_day_moves_the_period_boundaries(clerk):
    with yamlio.edit(clerk.root / "office.yaml") as config:
        config["report"] = {"cutoff_day": 20}
    out_before = clerk.new(unit="1栋0101", at="2026-09-20 23:59")
    first_in = clerk.new(unit="1栋0102", at="2026-09-21 00:00")
    last_in = clerk.new(unit="1栋0103", at="2026-10-20 23:59")
    out_after = clerk.new(unit="1栋0104", at="2026-10-21 00:00")
    report = json.loads(clerk("monthly", "2026-10", "--format", "json").stdout)
    assert report["period"]["first_day"] == "2026-09-21" and report["period"]["last_day"] == "2026-10-20"
    assert report["received"] == 2 and report["period"]["cutoff_day"] == 20
    assert {o["id"] for o in report["open_orders"]} == {first_in, last_in}
    november = json.loads(clerk("monthly", "2026-11", "--format", "json").stdout)
    assert [o["id"] for o in november["open_orders"]] == [out_after]
    september = json.loads(clerk("monthly", "2026-09", "--format", "json").stdout)
    assert [o["id"] for o in september["open_orders"]] == [out_before]


@pytest.mark.parametrize(("bad", "message"), [
    ({"report": {"cutoff_day": 31}}, "report.cutoff_day 31 must be a day 1..28"),
    ({"targets": {"satisfaction": 95}}, "target satisfaction 95 must be a fraction 0..1"),
    ({"targets": {"satisfied": 0.9}}, "unknown target 'satisfied'"),
])
def test_bad_report_settings_are_one_line_errors(clerk, bad, message):
    with yamlio.edit(clerk.root / "office.yaml") as config:
        for key, value in bad.items():
            config[key] = value
    result = clerk("monthly", "2026-10", ok=False)
    assert result.exit_code == 1 and message in result.output


def test_office_targets_replace_the_defaults(clerk):
    with yamlio.edit(clerk.root / "office.yaml") as config:
        config["targets"]["satisfaction"] = 0.95  # 004 §5.2.2 instead of 000 标准5
    report = json.loads(clerk("monthly", "2026-10", "--format", "json").stdout)
    assert report["targets"][0]["target"] == 0.95
    assert stats.targets({}) == {"satisfaction": 0.9, "on_time": 1.0, "rework_rate_max": 0.01, "callback_unit": 1.0,
                                 "callback_all": 0.6}


@pytest.mark.parametrize(("households", "share", "required"), [
    (0, 0.3, 0), (1, 0.3, 1), (99, 0.3, 30),  # 100户以下: 30%, 29.7 rounded up
    (100, 0.3, 30),  # 100户以下 includes 100, so does 100户—300户: both floors bind, 30% meets both
    (101, 0.2, 21), (300, 0.2, 60),  # 100户—300户: 20%; 300 is also 300户以上's, whose 10% 20% meets
    (301, 0.1, 31),  # 300户以上: 10%, 30.1 rounded up
])
def test_callback_sample_size(households, share, required):
    assert sampling.sample_size(households) == (share, required)
    assert sampling.sample_size(households, sampling.bands({})) == (share, required)


def test_the_office_sets_the_callback_sample_bands(clerk):
    """office.yaml's callback_sample replaces the seed's bands in `monthly` (no household served: the first band)."""
    report = json.loads(clerk("monthly", "2026-11", "--format", "json").stdout)
    assert report["callback_sample"]["share"] == 0.3  # the default: 100户以下
    with yamlio.edit(clerk.root / "office.yaml") as config:
        config["callback_sample"] = [{"up_to": 0, "percent": 50}, {"percent": 15}]
    refused = clerk("monthly", "2026-11", "--format", "json", ok=False)
    assert refused.exit_code == 1 and "callback_sample[0].up_to must be 1 or more, not 0" in refused.output
    with yamlio.edit(clerk.root / "office.yaml") as config:
        config["callback_sample"] = [{"up_to": 1, "percent": 50}, {"percent": 15}]
    report = json.loads(clerk("monthly", "2026-11", "--format", "json").stdout)
    assert report["callback_sample"]["share"] == 0.5
