"""office.yaml `units: {same_building_forms: true}`: 3-1201, 3栋1201 and 3号楼1201 are one unit to the desk's rules."""

from __future__ import annotations

import json

import pytest

from repairctl.office import settings
from repairctl.store import yamlio
from repairctl.text.inputs import unit_key

SAME = "units: {same_building_forms: true}\n"


def same_forms(clerk, text: str = SAME) -> None:
    """Turn the setting on (or write text) in the clerk's office.yaml and commit it."""
    path = clerk.root / "office.yaml"
    path.write_text(path.read_text("utf-8") + text, "utf-8")
    clerk.git("commit", "-qam", "units in one form", "--no-verify")


# typed, its key with the setting off, with it on
FORMS = [
    ("3-1201", "3-1201", "3-1201"),
    ("3栋1201", "3栋1201", "3-1201"),
    ("3号楼1201", "3号楼1201", "3-1201"),
    ("3幢1201", "3幢1201", "3-1201"),
    ("３栋１２０１", "3栋1201", "3-1201"),
    ("3 栋 1201", "3栋1201", "3-1201"),
    ("3－1201", "3-1201", "3-1201"),
    ("3栋1201室", "3栋1201室", "3-1201"),
    ("3楼1201", "3楼1201", "3楼1201"),  # 楼 alone is a floor
    ("A栋1201", "A栋1201", "A栋1201"),
    ("3栋1202", "3栋1202", "3-1202"),
    ("12号楼101", "12号楼101", "12-101"),
]


@pytest.mark.parametrize("typed,off,on", FORMS, ids=[f[0] for f in FORMS])
def test_the_key_of_each_form(typed, off, on):
    assert (unit_key(typed), unit_key(typed, forms=True)) == (off, on)


def test_a_duplicate_in_another_form_is_refused_only_when_the_office_says_so(clerk):
    clerk.new(unit="3栋1201")
    assert clerk.new(unit="3-1201") == "HQ-000002"  # off: two units
    same_forms(clerk)  # the cache's rows are made again: 3栋1201 and 3-1201 are one key now
    refused = clerk("new", "--unit", "3号楼1201", "--name", "张三", "--phone", "13812345678", "--desc", "又漏水",
                    "--item", "W01", "--at", "2026-10-05 10:00", ok=False)
    assert refused.exit_code == 1 and "order HQ-000001 for 3号楼1201 W01 is still open" in refused.output
    assert clerk("list", "--unit", "３栋１２０１", "--format", "json").stdout.count('"id"') == 2


def test_a_typed_form_is_stored_as_the_registry_names_it(clerk):
    (clerk.root / "records" / "units.csv").write_text("单元,业户姓名,联系电话\n3栋1201,张三,13812345678\n", "utf-8")
    clerk.git("add", "records/units.csv")
    clerk.git("commit", "-qm", "units")
    unknown = clerk("new", "--unit", "3-1201", "--name", "张三", "--desc", "漏水", "--item", "W01",
                    "--at", "2026-10-05 09:00", ok=False)
    assert "--phone is missing" in unknown.output  # off: 3-1201 is not on record
    same_forms(clerk)
    result = clerk("new", "--unit", "3号楼1201", "--name", "张三", "--desc", "漏水", "--item", "W01",
                   "--at", "2026-10-05 09:00")
    assert "unit 3号楼1201 is 3栋1201 in records/units.csv: recorded as 3栋1201" in result.stderr
    data = yamlio.load_fast(clerk.order_file("HQ-000001"))
    assert (data["unit"], data["phone"]) == ("3栋1201", "13812345678")


def test_rework_is_seen_across_forms(clerk):
    first = clerk.new(unit="3栋1201", at="2026-10-05 09:00")
    clerk("assign", first, "--to", "李师傅", "--at", "2026-10-05 09:05")
    clerk("visit", first, "--arrived", "--at", "2026-10-05 09:15")
    clerk("close", first, "--signed-by", "业户", "--at", "2026-10-05 10:00")
    clerk.new(unit="3号楼1201", at="2026-10-20 09:00")

    def rework() -> int:
        return json.loads(clerk("monthly", "2026-10", "--format", "json").stdout)["rework_count"]

    assert rework() == 0
    same_forms(clerk)
    assert rework() == 1


@pytest.mark.parametrize("text,message", [
    ("units: yes\n", "units must be a mapping, like `units: {same_building_forms: true}`"),
    ("units: {same_building_forms: 1}\n", "units.same_building_forms 1 must be true or false"),
    ("units: {same_forms: true}\n", "units.same_forms is not a setting; units has same_building_forms"),
])
def test_a_bad_units_setting_is_one_line_at_its_place(clerk, text, message):
    same_forms(clerk, text)
    line = (clerk.root / "office.yaml").read_text("utf-8").count("\n")
    result = clerk("list", ok=False)
    assert result.exit_code == 1 and len(result.output.splitlines()) == 1
    assert f"office.yaml:{line}:" in result.output and message in result.output
    assert message in clerk("check", ok=False).stdout


def test_the_setting_is_off_unless_true():
    assert not settings.same_forms({}) and not settings.same_forms({"units": {}})
    assert settings.same_forms({"units": {"same_building_forms": True}})
