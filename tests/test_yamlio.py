"""yamlio: reading settings through a remembered parse, which must never give a stale answer."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from repairctl.errors import FileError
from repairctl.store import files, yamlio


@pytest.fixture
def settings(tmp_path):
    path = tmp_path / "office.yaml"
    path.write_text("site: HQ  # 总部\nservice_levels:\n  callback_hours: 24\n", encoding="utf-8")
    return path, tmp_path / ".repairctl" / "office.json"


def test_the_parse_is_remembered_beside_the_exact_text(settings):
    path, memo = settings
    assert yamlio.load_remembered(path, memo) == {"site": "HQ", "service_levels": {"callback_hours": 24}}
    saved = json.loads(memo.read_text("utf-8"))
    assert saved["text"] == path.read_text("utf-8")
    # the memo is what the next read answers from while the text is unchanged
    memo.write_text(json.dumps({**saved, "value": {"site": "FROM-MEMO"}}), encoding="utf-8")
    assert yamlio.load_remembered(path, memo) == {"site": "FROM-MEMO"}


def test_an_edited_file_is_parsed_again(settings):
    path, memo = settings
    yamlio.load_remembered(path, memo)
    path.write_text("site: SZ01\n", encoding="utf-8")
    assert yamlio.load_remembered(path, memo) == {"site": "SZ01"}
    assert json.loads(memo.read_text("utf-8"))["value"] == {"site": "SZ01"}


@pytest.mark.parametrize("damage", ["", "{not json", "[]", '{"text": 1}', "\udcff"])
def test_a_damaged_memo_is_parsed_again_and_replaced(settings, damage):
    path, memo = settings
    memo.parent.mkdir()
    memo.write_text(damage, encoding="utf-8", errors="surrogateescape")
    assert yamlio.load_remembered(path, memo)["site"] == "HQ"
    assert json.loads(memo.read_text("utf-8"))["value"]["site"] == "HQ"


def test_a_memo_from_another_reader_is_not_trusted(settings):
    path, memo = settings
    yamlio.load_remembered(path, memo)
    saved = json.loads(memo.read_text("utf-8"))
    memo.write_text(json.dumps({**saved, "reader": yamlio.READER - 1, "value": {"site": "OLD"}}), encoding="utf-8")
    assert yamlio.load_remembered(path, memo)["site"] == "HQ"


def test_what_json_cannot_keep_is_not_remembered(settings):
    path, memo = settings
    path.write_text("site: HQ\n1: one\n", encoding="utf-8")  # an integer key would come back as "1"
    assert yamlio.load_remembered(path, memo) == {"site": "HQ", 1: "one"}
    assert not memo.exists()
    assert yamlio.load_remembered(path, memo) == {"site": "HQ", 1: "one"}


def test_a_syntax_error_is_reported_with_its_place_and_nothing_remembered(settings):
    path, memo = settings
    path.write_text("site: HQ\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(FileError) as caught:
        yamlio.load_remembered(path, memo)
    assert str(caught.value).startswith(f"{path}:")
    assert not memo.exists()


@pytest.mark.parametrize("description", [
    "厨房水龙头漏水", "yes", "123", "12:30", "- 开头是横线", "引号 \"和\" '单引号'", "# 不是注释", "  前后空格  ",
    "a: b", "", "null", "2026-11-23", "1.5", "~", "@at", "多行\n第二行", "? 不清楚", ":)", "?x", ".5e3", "-.5e3",
    "1_000", "0b11", "0301", "-_", "on",
])
def test_plain_is_what_the_fast_loader_reads_back_from_the_written_file(description):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from repairctl.orders import lifecycle

    at = dt.datetime(2026, 11, 23, 9, 5, tzinfo=ZoneInfo("Asia/Shanghai"))
    doc = lifecycle.new_document("HQ-000001", {"unit": "3栋1201", "phone": "13812345678", "description": description,
                                            "urgency": "appointment", "appointment": at + dt.timedelta(hours=3)},
                              at, "王小红")
    lifecycle.record(doc, "close", at, description, labour=20, fee=35.5, signed=True, materials=None, to=description)
    assert yamlio.plain(doc) == yamlio.parse(yamlio.dump_text(doc))


def test_an_atomic_write_leaves_no_temporary_file_even_when_refused(tmp_path):
    path = tmp_path / "HQ-000001.yaml"
    files.write_atomic(path, "id: HQ-000001\n", exclusive=True)
    with pytest.raises(FileExistsError):
        files.write_atomic(path, "id: 另一张\n", exclusive=True)
    files.write_atomic(path, "id: HQ-000001  # 改过\n")
    assert path.read_text("utf-8") == "id: HQ-000001  # 改过\n"
    assert [p.name for p in tmp_path.iterdir()] == ["HQ-000001.yaml"]


def test_the_reader_follows_yaml_1_2_as_the_writer_does():
    # PyYAML alone reads YAML 1.1: unit `on` would be True, 12:30 the number 750, 0301 octal 193;
    # the rest is as ruamel's resolver reads it (.5e3 is text there: its exponent needs a sign)
    data = yamlio.parse("unit: on\nname: No\ndescription: 12:30\nroom: 0301\nsigned: true\nlabour: 20\nfee: 35.5\n"
                        "mode: 0o17\nat: 2026-11-23T09:05:00+08:00\nmissing: ~\nodd: 1_000\nhalf: .5e3\n"
                        "signed_half: .5e+3\nnot_a_number: -_\n")
    assert data == {"unit": "on", "name": "No", "description": "12:30", "room": 301, "signed": True, "labour": 20,
                    "fee": 35.5, "mode": 15, "at": "2026-11-23T09:05:00+08:00", "missing": None, "odd": 1000,
                    "half": ".5e3", "signed_half": 500.0, "not_a_number": "-_"}


# what an order file's values may be: text (Chinese, digits, YAML's own punctuation), numbers, booleans, nulls
_TEXT = st.text(alphabet=st.sampled_from(list("3栋1201张三-:#?@!&*'\"[]{},.~_ \n0bxoe+TtruefalsNnyo")), max_size=12)
_SCALARS = st.one_of(_TEXT, st.integers(-10**12, 10**12), st.booleans(), st.none(),
                     st.floats(allow_nan=False, allow_infinity=False, width=32))
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                           st.dictionaries(_TEXT, inner, max_size=4)), max_leaves=12)


@examples(max_examples=300, deadline=None)
@given(st.dictionaries(_TEXT, _VALUES, min_size=1, max_size=6))
def test_the_fast_reader_reads_back_whatever_the_writer_writes(data):
    """The fast reader turns node trees into data itself (not through PyYAML's constructor): whatever
    ruamel writes, it must read back as plain() says, text as text and numbers as numbers."""
    assert yamlio.parse(yamlio.dump_text(data)) == yamlio.plain(data)


@pytest.mark.parametrize(("text", "says"), [
    ("a: !!binary aGVsbG8=\n", "1:4: a value tagged !!binary"),
    ("a: !!set {x}\n", "1:4: a value tagged !!set"),
    ("a: !!bool yes\n", "1:4: a value tagged !!bool 'yes'"),
    ("? [1, 2]\n: x\n", "1:3: a key must be text or a number"),
    ("a: 1\nb: 2\na: 3\n", "3:1: duplicate key `a` (also at line 1)"),
])
def test_what_no_office_file_holds_is_refused_at_its_place(text, says):
    with pytest.raises(FileError) as caught:
        yamlio.parse(text, "f.yaml")
    assert str(caught.value).startswith("f.yaml:") and says in str(caught.value)


def test_yaml_1_1_merge_and_value_keys_are_text():
    assert yamlio.parse("<<: x\n=: y\n") == {"<<": "x", "=": "y"}
