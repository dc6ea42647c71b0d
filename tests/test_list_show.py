"""Reading orders back: list with its filters and formats, show, and ID completion in the shell."""

from __future__ import annotations

import csv
import io
import json

import click

from repairctl.cli.app import cli
from repairctl.cli.options import ORDER_ID
from repairctl.cli.session import Session
from repairctl.store import yamlio


def three_orders(clerk) -> None:
    a = clerk.new(at="2026-09-30 18:00")
    clerk("assign", a, "--to", "李师傅", "--at", "2026-09-30 18:05")
    b = clerk.new("--force", at="2026-10-02 09:00")
    clerk("assign", b, "--to", "陈师傅", "--at", "2026-10-02 09:10")
    clerk("new", "--unit", "8栋101", "--name", "周女士", "--phone", "13511112222", "--desc", "开关坏了",
          "--item", "E09", "--at", "2026-10-03 11:00")


def ids(output: str) -> list[str]:
    return [row["id"] for row in json.loads(output)]


def test_list_filters(clerk):
    three_orders(clerk)
    assert ids(clerk("list", "--format", "json").output) == ["HQ-000001", "HQ-000002", "HQ-000003"]
    assert ids(clerk("list", "--month", "2026-10", "--format", "json").output) == ["HQ-000002", "HQ-000003"]
    assert ids(clerk("list", "--tech", "陈师傅", "--format", "json").output) == ["HQ-000002"]
    assert ids(clerk("list", "--unit", "8栋 101", "--format", "json").output) == ["HQ-000003"]
    assert ids(clerk("list", "--status", "received", "--format", "json").output) == ["HQ-000003"]
    assert ids(clerk("list", "--status", "open", "--format", "json").output) == ["HQ-000001", "HQ-000002", "HQ-000003"]
    assert clerk("list", "--month", "2026-13", ok=False).exit_code == 2


def test_list_table_and_csv(clerk):
    three_orders(clerk)
    table = clerk("list").output.splitlines()
    assert table[0].split() == ["id", "received", "unit", "description", "item", "technician", "status"]
    assert "assigned" in table[2] and "李师傅" in table[2]
    rows = list(csv.DictReader(io.StringIO(clerk("list", "--format", "csv").output)))
    assert [r["id"] for r in rows] == ["HQ-000001", "HQ-000002", "HQ-000003"] and rows[2]["item"] == "E09"


def test_show_text_is_a_card_of_fields_then_events(clerk):
    three_orders(clerk)
    text = clerk("show", "HQ-000002").output
    assert "status       assigned" in text and "item         W01 更换普通水龙头" in text
    assert "陈师傅  assigned" not in text
    assert "2026-10-02 09:10  王小红  assigned" in text
    assert clerk("show", "HQ-000099", ok=False).exit_code == 1


def test_order_ids_complete_in_the_shell(clerk):
    three_orders(clerk)
    ctx = click.Context(cli, obj=Session(clerk.root))
    assert [c.value for c in ORDER_ID.shell_complete(ctx, None, "hq-00000")] == ["HQ-000001", "HQ-000002", "HQ-000003"]


def test_catalogue_edited_by_a_program_keeps_its_comments(office_root):
    path = office_root / "catalog.yaml"
    comments = [line for line in path.read_text("utf-8").splitlines() if line.lstrip().startswith("#")]
    with yamlio.edit(path) as catalogue:
        catalogue["categories"]["power"]["items"][0]["keywords"].append("灯坏了")
    text = path.read_text("utf-8")
    assert "# 管理处家庭维修服务项目一览表" in text and "灯坏了" in text
    assert [line for line in text.splitlines() if line.lstrip().startswith("#")] == comments
