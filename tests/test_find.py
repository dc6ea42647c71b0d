"""Finding orders: `list --q` over ID, unit, name, phone and description, `--name`, `--phone`, and the
sentence a listing that finds nothing prints."""

from __future__ import annotations

import json

import pytest


def ids(result) -> list[str]:
    return [row["id"] for row in json.loads(result.output)]


@pytest.fixture
def desk(clerk):
    """Four orders with names, phones and descriptions to tell apart."""
    clerk.new(unit="3栋1201", name="张三", phone="13812345678", desc="厨房水龙头漏水", at="2026-10-05 09:00")
    clerk.new(unit="5栋302", name="李四", phone="+86 139-1234-5678", desc="卫生间灯不亮", at="2026-10-06 09:00")
    clerk.new(unit="8栋101", name="Wang Lei", phone="0755-12345678", desc="门锁坏了 (lock)", at="2026-11-02 09:00")
    clerk.new(unit="12栋1001", name="张女士", phone="13512345678", desc="马桶漏水", at="2026-11-03 09:00")
    return clerk


@pytest.mark.parametrize(("text", "found"), [
    ("漏水", ["HQ-000001", "HQ-000004"]),           # description
    ("hq-000002", ["HQ-000002"]),                   # ID, any case
    ("ＨＱ－０００００３", ["HQ-000003"]),            # ID typed full-width (NFKC)
    ("5栋", ["HQ-000002"]),                          # unit
    ("8栋 101", ["HQ-000003"]),                     # unit with a space, as units are compared
    ("张", ["HQ-000001", "HQ-000004"]),              # name
    ("wang", ["HQ-000003"]),                        # name, any case
    ("LOCK", ["HQ-000003"]),                        # description, any case
    ("139 1234 5678", ["HQ-000002"]),               # phone: digits compared
    ("13912345678", ["HQ-000002"]),
    ("12345678", ["HQ-000001", "HQ-000002", "HQ-000003", "HQ-000004"]),  # part of every phone
])
def test_q_searches_id_unit_name_phone_and_description(desk, text, found):
    assert ids(desk("list", "--q", text, "--format", "json")) == found


def test_name_and_phone_filters(desk):
    assert ids(desk("list", "--name", "张", "--format", "json")) == ["HQ-000001", "HQ-000004"]
    assert ids(desk("list", "--name", "ＷＡＮＧ", "--format", "json")) == ["HQ-000003"]
    assert ids(desk("list", "--name", "漏水", "--format", "json")) == []  # only the name is looked in
    assert ids(desk("list", "--phone", "138-1234-5678", "--format", "json")) == ["HQ-000001"]
    assert ids(desk("list", "--phone", "+86 13912345678", "--format", "json")) == ["HQ-000002"]
    assert ids(desk("list", "--phone", "0755 1234 5678", "--format", "json")) == ["HQ-000003"]
    assert ids(desk("list", "--phone", "5678", "--format", "json")) == ["HQ-000001", "HQ-000002", "HQ-000003",
                                                                         "HQ-000004"]


def test_search_combines_with_the_other_filters(desk):
    assert ids(desk("list", "--q", "漏水", "--month", "2026-11", "--format", "json")) == ["HQ-000004"]
    assert ids(desk("list", "--name", "张", "--phone", "135", "--format", "json")) == ["HQ-000004"]
    desk("assign", "HQ-000001", "--to", "李师傅", "--at", "2026-10-05 09:10")
    assert ids(desk("list", "--q", "漏水", "--status", "assigned", "--format", "json")) == ["HQ-000001"]
    found = desk("list", "--q", "漏水", "--tech", "李师傅", "--unit", "3栋1201", "--format", "json")
    assert ids(found) == ["HQ-000001"]
    rows = desk("export", "--q", "马桶").output.splitlines()
    assert len(rows) == 2 and "HQ-000004" in rows[1]


def test_a_hand_edited_file_is_found_as_it_reads(desk):
    # full-width letters and a quote written by hand: folded and unescaped as the clerk's text is
    path = desk.order_file("HQ-000004")
    path.write_text(path.read_text("utf-8").replace("马桶漏水", "ＷＣ \"马桶\" 漏水"), "utf-8")
    assert ids(desk("list", "--q", "wc \"马桶\"", "--format", "json")) == ["HQ-000004"]
    assert ids(desk("list", "--q", "\"马桶\"", "--format", "json")) == ["HQ-000004"]


def test_nothing_found_is_said_in_words(desk):
    result = desk("list", "--q", "暖气", "--month", "2026-11")
    assert result.output.strip() == "no orders match --q 暖气 --month 2026-11"
    assert json.loads(desk("list", "--q", "暖气", "--format", "json").output) == []
    assert desk("list", "--phone", "0000").output.strip() == "no orders match --phone 0000"
    assert desk("list", "--q", "9栋 9").output.strip() == "no orders match --q '9栋 9'"


def test_an_empty_office_says_so(clerk):
    assert clerk("list").output.strip() == "no orders yet"


@pytest.mark.parametrize(("args", "message"), [
    (["--q", " "], "--q is empty"),
    (["--name", ""], "--name is empty"),
    (["--phone", "abc"], "is not (part of) a phone number"),
])
def test_search_text_that_cannot_be_searched(desk, args, message):
    result = desk("list", *args, ok=False)
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_search_survives_a_cache_made_again(desk):
    # the search's SQL functions live on the connection: a cache discarded mid-command gets them again
    from repairctl.office.folder import load_office
    from repairctl.orders import index, query

    office = load_office(desk.root)
    assert [o.id for o in query.find(office, q="漏水")] == ["HQ-000001", "HQ-000004"]
    index.cache(office).discard()
    assert [o.id for o in query.find(office, q="漏水", phone="135")] == ["HQ-000004"]
    index.cache(office).close()
