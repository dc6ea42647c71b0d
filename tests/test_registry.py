"""records/units.csv and records/staff.csv: the caller is an owner on record, the technician is one of ours."""

from __future__ import annotations

import pytest

from repairctl.store import yamlio

UNITS = "单元,业户姓名,联系电话\n3栋1201,张三/李梅,13812345678;13900001111\n5栋302,王五,13700000000\n"
STAFF = "name,trade,phone\n李师傅,水电,13600000000\n张师傅,土建,\n"


def put(clerk, name: str, text: str, encoding: str = "utf-8") -> None:
    (clerk.root / "records" / name).write_bytes(text.encode(encoding))
    clerk.git("add", f"records/{name}")
    clerk.git("commit", "-q", "-m", f"add {name}")


@pytest.fixture
def registered(clerk):
    put(clerk, "units.csv", UNITS)
    put(clerk, "staff.csv", STAFF)
    return clerk


def new(clerk, *args, ok=True):
    return clerk("new", "--desc", "灯不亮", "--item", "E01", "--at", "2026-10-05 09:00", *args, ok=ok)


def test_a_caller_not_on_record_is_refused_unless_forced(registered, snapshot):
    before = snapshot(registered)
    for args, message in [
        (["--unit", "3栋1201", "--name", "赵六", "--phone", "13812345678"],
         "赵六 is not an owner of 3栋1201 on record (张三/李梅"),
        (["--unit", "3栋1201", "--name", "张三", "--phone", "13500000000"],
         "13500000000 is not a phone of 3栋1201 on record"),
    ]:
        result = new(registered, *args, ok=False)
        assert result.exit_code == 1 and message in result.output and "--force" in result.output
        assert len(result.output.strip().splitlines()) == 1
    assert snapshot(registered) == before
    assert new(registered, "--unit", "3栋1201", "--name", "赵六", "--phone", "13500000000", "--force").exit_code == 0


@pytest.mark.parametrize("args,name,phone", [
    (["--unit", "3栋1201", "--phone", "139 0000 1111"], "李梅", "13900001111"),
    (["--unit", "3栋 1201", "--name", "张三"], "张三", "13812345678"),
    (["--unit", "5栋302", "--name", "王先生"], "王先生", "13700000000"),
    (["--unit", "5栋302", "--phone", "+86 13700000000"], "王五", "13700000000"),
], ids=["name from phone", "phone from name", "honorific", "country code"])
def test_the_registry_fills_in_what_the_clerk_left_out(registered, args, name, phone):
    new(registered, *args)
    data = yamlio.load_fast(next(registered.root.glob("records/orders/*/*/HQ-000001.yaml")))
    assert (data["name"], data["phone"]) == (name, phone)


def test_what_the_registry_cannot_tell_is_asked_for(registered):
    assert "give --name or --phone" in new(registered, "--unit", "5栋302", ok=False).output
    forced = new(registered, "--unit", "3栋1201", "--name", "赵六", "--force", ok=False).output
    assert "--phone is missing and 3栋1201 has several phones on record" in forced
    unknown = new(registered, "--unit", "9栋1", "--name", "周九", "--phone", "13600000000")
    assert "9栋1 is not in records/units.csv" in unknown.stderr


def test_without_a_registry_name_and_phone_are_required(clerk):
    assert new(clerk, "--unit", "3栋1201", "--phone", "13812345678", ok=False).output.strip() == \
        "Error: --name is missing: give the caller's name, e.g. --name 王先生"
    assert new(clerk, "--unit", "3栋1201", "--name", "张三", ok=False).output.strip() == \
        "Error: --phone is missing: give a phone number to call back, e.g. --phone 138-1234-5678"
    assert not list(clerk.root.glob("records/orders/*/*/*.yaml"))


def test_a_public_area_is_not_checked_against_owners(registered):
    new(registered, "--unit", "3栋1201", "--public", "--name", "保安", "--phone", "0755-12345678")


def test_assign_takes_only_a_technician_of_staff_csv(registered, snapshot):
    oid = new(registered, "--unit", "3栋1201", "--name", "张三").stdout.splitlines()[0]
    before = snapshot(registered)
    refused = registered("assign", oid, "--to", "王师傅", ok=False)
    assert refused.exit_code == 1 and refused.output.strip() == (
        "Error: 王师傅 is not in records/staff.csv; the technicians are: 李师傅, 张师傅 "
        "(add a line to records/staff.csv for a new one)")
    assert snapshot(registered) == before
    registered("assign", oid, "--to", "李师傅")


def test_a_long_staff_list_is_cut_short(registered):
    put(registered, "staff.csv", "姓名\n" + "".join(f"师傅{n}\n" for n in range(25)))
    oid = new(registered, "--unit", "3栋1201", "--name", "张三").stdout.splitlines()[0]
    message = registered("assign", oid, "--to", "王师傅", ok=False).output
    assert "师傅9 … (25 in all)" in message and "师傅10" not in message


def test_check_reports_each_broken_line_of_the_registries(registered):
    put(registered, "units.csv",
        UNITS + "6栋1,孙八,123\n,钱七,13800000000\n7栋1,,13800000000\n5栋 302,王五,13700000000\n")
    put(registered, "staff.csv", STAFF + ",水电,\n李师傅,土建,\n")
    oid = new(registered, "--unit", "3栋1201", "--name", "张三").stdout.splitlines()[0]
    registered("assign", oid, "--to", "张师傅", "--at", "2026-10-05 09:05")
    path = registered.order_file(oid)
    path.write_text(path.read_text("utf-8").replace("technician: 张师傅", "technician: 钱师傅"), "utf-8")
    result = registered("check", ok=False)
    assert result.exit_code == 1
    lines = [line.split("records/", 1)[1] for line in result.stdout.splitlines()]
    assert lines[0].startswith("orders/2026/10/HQ-000001.yaml:")
    assert "technician 钱师傅 is not in records/staff.csv" in lines[0]
    assert lines[1:] == [
        "staff.csv:4:1: empty name; every line names a technician",
        "staff.csv:5:1: 李师傅 is listed twice; keep one line for each technician",
        "units.csv:4:3: phone '123' is not a phone number; write a mobile like 13812345678 or a landline like "
        "0755-12345678",
        "units.csv:5:1: empty unit; every line names a unit",
        "units.csv:6:2: no owner name for 7栋1; write it after the unit, like `7栋1,张三`",
        "units.csv:7:1: unit 5栋 302 is listed twice (also line 3); keep one line, owners separated by /",
    ]


def test_a_registry_with_a_bad_header_is_reported_and_refused(registered):
    put(registered, "units.csv", "单元,业户姓名,楼层\n3栋1201,张三,12\n")
    assert "units.csv:1:3: unknown column '楼层'" in registered("check", ok=False).output
    refused = new(registered, "--unit", "3栋1201", "--name", "张三", ok=False)
    assert refused.exit_code == 1 and "units.csv:1:3: unknown column" in refused.output and "check" in refused.output


def test_a_gb18030_registry_is_read(clerk):
    put(clerk, "units.csv", UNITS, encoding="gb18030")
    new(clerk, "--unit", "5栋302", "--name", "王五")
    assert clerk("check").stdout.strip() == "ok"
