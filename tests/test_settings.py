"""office.yaml: every setting checked by type, range and meaning; a bad one is one line office.yaml:LINE:COL
from every command (the first), and `check` lists them all; nothing is written."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from repairctl.office import settings
from repairctl.office.folder import DEFAULTS, load_office
from repairctl.orders import sla
from repairctl.reports import stats
from repairctl.store import yamlio

DOCS = Path(__file__).parent.parent / "docs" / "formats.md"
NEW = ["new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678", "--desc", "漏水", "--item", "W01"]
COMMANDS = [["list"], ["overdue"], ["monthly", "2026-11"], ["export"], NEW, ["show", "HQ-000001"]]

# (replace this in the shipped office.yaml, with this, the message[, its column when not the key's])
BAD = [
    ("  arrival_minutes: 15 ", "  arrival_minutes: 99999999999999999999999 ",
     "service_levels.arrival_minutes must be 10080 minutes or less, not 99999999999999999999999"),
    ("future_tolerance_minutes: 10", "future_tolerance_minutes: abc",
     "future_tolerance_minutes must be a whole number, like 10, not 'abc'"),
    ("future_tolerance_minutes: 10", "future_tolerance_minutes: -100000",
     "future_tolerance_minutes must be 0 or more, not -100000"),
    ("future_tolerance_minutes: 10", "future_tolerance_minutes: 2.5",
     "future_tolerance_minutes must be a whole number, like 10, not 2.5"),
    ("slip_copies: [业户联, 财务联, 存根联]", "slip_copies: 12",
     "slip_copies must be a list of copy names, like [业户联, 财务联, 存根联]"),
    ("slip_copies: [业户联, 财务联, 存根联]", f"slip_copies: [{', '.join(f'第{n}联' for n in range(12))}]",
     "slip_copies names 12 copies; a slip has at most 6"),
    ("slip_copies: [业户联, 财务联, 存根联]", "slip_copies: [业户联, 财务联, 业户联]",
     "slip_copies names 业户联 twice; give each copy its own name", 25),  # at the second
    ("slip_copies: [业户联, 财务联, 存根联]", "slip_copies: [业户联, '']",
     "slip_copies[1] must be the name of a copy, like 业户联", 20),
    ("  warranty_months: 3 ", "  warranty_months: 100000 ",
     "service_levels.warranty_months must be 120 months or less, not 100000"),
    ("  finish_hours: 24 ", "  finish_hours: 1.5 ",
     "service_levels.finish_hours must be a whole number, like 24, not 1.5"),
    ("  callback_hours: 24 ", "  callback_hours: 0 ", "service_levels.callback_hours must be 1 or more, not 0"),
    ("  fee_pending_hours: 72 ", "  fee_pending_hours: true ",
     "service_levels.fee_pending_hours must be a whole number, like 24, not True"),
    ("  emergency_day_start: '09:00'", "  emergency_day_start: '23:00'",
     "service_levels.emergency_day_start (23:00) must be before emergency_day_end (22:00)"),
    ("  emergency_day_end: '22:00'", "  emergency_day_end: '25:00'",
     "service_levels.emergency_day_end must be a time of day in quotes, like '22:00', not '25:00'"),
    ("  arrival_minutes: 15 ", "  arival_minutes: 15 ", "service_levels.arival_minutes is not a service level"),
    ("  satisfaction: 0.90 ", "  satisfaction: 1.5 ", "target satisfaction 1.5 must be a fraction 0..1"),
    ("  satisfaction: 0.90 ", "  satisfaction: -0.1 ", "target satisfaction -0.1 must be a fraction 0..1"),
    ("  on_time: 1.0 ", "  on_time: .nan ", "target on_time nan must be a fraction 0..1"),
    ("  on_time: 1.0 ", "  on_time: '100%' ", "target on_time '100%' must be a fraction 0..1"),
    ("  on_time: 1.0 ", "  ontime: 1.0 ", "unknown target 'ontime'"),
    ("# report:\n#   cutoff_day: 20", "report: {cutoff_day: 31}",
     "report.cutoff_day 31 must be a day 1..28 (20: from the 21st to the 20th)", 10),
    ("# report:\n#   cutoff_day: 20", "report: {cut_off: 20}",
     "report.cut_off is not a setting; report has cutoff_day", 10),
    ("timezone: Asia/Shanghai", "timezone: Mars/Olympus",
     "timezone 'Mars/Olympus' is not a known timezone; use a name like Asia/Shanghai"),
    ("timezone: Asia/Shanghai", "timezone: ../../etc/passwd", "timezone '../../etc/passwd' is not a known timezone"),
    ("timezone: Asia/Shanghai", "timezone: 8", "timezone must be a name like Asia/Shanghai, not 8"),
    ("site: HQ", "site: hq", "site 'hq' must be upper-case letters and digits, like HQ or SZ01"),
    ("phone: '0755-26001234'", "phone: 075526001234",
     "phone must be in quotes, like '0755-12345678' (unquoted, YAML reads it as the number 75526001234)"),
    ("phone: '0755-26001234'", "phone: '12345'", "phone '12345' is not a phone number"),
    ("name: 测试管理处", 'name: "示例\\e[31m管理处"', "name holds the control character U+001B; remove it"),
    ("name: 测试管理处", 'name: "示例\\u202e管理处"', "name holds the invisible character U+202E"),
    ("name: 测试管理处", "name: [示例管理处]", "name must be text, not ['示例管理处']"),
    ("future_tolerance_minutes: 10", "future_tolerance_minute: 10",
     "future_tolerance_minute is not a setting; the settings are site, name"),
    ("backdate_days: 400", "backdate_days: 0", "backdate_days must be 1 or more, not 0"),
    ("backdate_days: 400", "backdate_days: 99999", "backdate_days must be 3650 days or less, not 99999"),
    ("  - {up_to: 300, percent: 20}", "  - {up_to: 50, percent: 20}",
     "callback_sample[1].up_to 50 must be more than the band above's 100", 6),
    ("  - {percent: 10} ", "  - {up_to: 500, percent: 10} ",
     "the last band of callback_sample covers every larger number of households: leave out its up_to", 6),
    ("  - {up_to: 100, percent: 30}", "  - {up_to: 100, percent: 130}",
     "callback_sample[0].percent must be 100 percent or less, not 130", 18),
]


def line_of(root: Path, start: str) -> int:
    """The line of office.yaml that starts with start."""
    lines = (root / "office.yaml").read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(start))


def break_office(clerk, old: str, new: str) -> tuple[int, int]:
    """Put the bad setting into office.yaml and commit it; where its key is (line, column)."""
    path = clerk.root / "office.yaml"
    text = path.read_text("utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_text(text, "utf-8")
    clerk.git("commit", "-qam", "hand edit of office.yaml", "--no-verify")
    before = text[: text.index(new)]
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + len(new) - len(new.lstrip(" ")) + 1
    return line, column


@pytest.mark.parametrize("case", BAD, ids=[case[2][:40] for case in BAD])
def test_a_bad_setting_is_one_line_from_every_command_and_nothing_changes(clerk, snapshot, monkeypatch, case):
    old, new, message, *at = case
    line, column = break_office(clerk, old, new)
    column = at[0] if at else column
    monkeypatch.chdir(clerk.root)  # the path shown relative to where the clerk stands
    before = snapshot(clerk)
    for command in COMMANDS:
        result = clerk(*command, ok=False)
        assert result.exit_code == 1, (command, result.output)
        assert result.output.splitlines()[0].startswith(f"Error: office.yaml:{line}:{column}: {message}"), command
        assert len(result.output.splitlines()) == 1 and "Traceback" not in result.output, result.output
    checked = clerk("check", ok=False)
    assert checked.exit_code == 1 and checked.stdout.startswith(f"office.yaml:{line}:{column}: {message}")
    assert len(checked.stdout.splitlines()) == 1, checked.stdout
    assert snapshot(clerk) == before


def test_check_lists_every_bad_setting_and_a_command_names_the_first(clerk, snapshot, monkeypatch):
    break_office(clerk, "future_tolerance_minutes: 10", "future_tolerance_minutes: abc")
    break_office(clerk, "  warranty_months: 3 ", "  warranty_months: 100000 ")
    break_office(clerk, "  on_time: 1.0 ", "  on_time: 2 ")
    monkeypatch.chdir(clerk.root)
    before = snapshot(clerk)
    checked = clerk("check", ok=False)
    assert checked.exit_code == 1
    tolerance, warranty, on_time = (line_of(clerk.root, key) for key in
                                    ("future_tolerance_minutes", "  warranty_months", "  on_time"))
    assert checked.stdout.splitlines() == [
        f"office.yaml:{tolerance}:1: future_tolerance_minutes must be a whole number, like 10, not 'abc'",
        f"office.yaml:{warranty}:3: service_levels.warranty_months must be 120 months or less, not 100000",
        f"office.yaml:{on_time}:3: target on_time 2 must be a fraction 0..1, e.g. 0.95 for 95%",
    ]
    result = clerk("list", ok=False)
    assert result.exit_code == 1 and result.output == (
        f"Error: office.yaml:{tolerance}:1: future_tolerance_minutes must be a whole number, like 10, not 'abc' "
        "(and 2 more: `repairctl check` lists them)\n")
    assert snapshot(clerk) == before


def test_the_path_is_shown_as_given_outside_the_office(clerk):
    break_office(clerk, "backdate_days: 400", "backdate_days: 0")
    result = clerk("list", ok=False)  # the tests run in the repository: the office lies elsewhere
    line = line_of(clerk.root, "backdate_days")
    assert result.output == f"Error: {clerk.root / 'office.yaml'}:{line}:1: backdate_days must be 1 or more, not 0\n"


def test_a_large_office_reports_a_bad_setting_before_its_workers_start(clerk, snapshot, monkeypatch, place):
    """More changed files than PARALLEL_FROM are parsed by worker processes, which load the office
    again: a bad setting must stop the command before any starts (it was BrokenProcessPool)."""
    from repairctl.store.refresh import PARALLEL_FROM

    text = (Path(__file__).parent / "fixtures" / "HQ-000007.yaml").read_text("utf-8")
    folder = place(clerk, text.replace("HQ-000007", "HQ-000001")).parent
    for n in range(2, PARALLEL_FROM + 20):
        (folder / f"HQ-{n:06d}.yaml").write_text(text.replace("HQ-000007", f"HQ-{n:06d}"), "utf-8")
    clerk.git("add", "-A")
    clerk.git("commit", "-qm", "补录")
    line, column = break_office(clerk, "  arrival_minutes: 15 ", "  arrival_minutes: soon ")
    monkeypatch.chdir(clerk.root)
    before = snapshot(clerk)
    for command in (["list"], ["overdue"], ["check"]):
        result = clerk(*command, ok=False)
        assert result.exit_code == 1 and "BrokenProcessPool" not in result.output
        shown = result.stdout if command == ["check"] else result.output  # check's note on the hook aside
        assert shown.splitlines() == [
            f"{'' if command == ['check'] else 'Error: '}office.yaml:{line}:{column}: "
            "service_levels.arrival_minutes must be a whole number, like 15, not 'soon'"]
    assert snapshot(clerk) == before
    break_office(clerk, "  arrival_minutes: soon ", "  arrival_minutes: 15 ")
    assert len(clerk("list", "--format", "json").output.splitlines()) == PARALLEL_FROM + 19 + 2  # [ … ]


@pytest.mark.parametrize("old, new", [
    ("  arrival_minutes: 15 ", "  arrival_minutes: 10080 "),
    ("  appointment_early_minutes: 5 ", "  appointment_early_minutes: 0 "),
    ("  warranty_months: 3 ", "  warranty_months: 0 "),
    ("  warranty_months: 3 ", "  warranty_months: 120 "),
    ("  finish_hours: 24 ", "  finish_hours: 720 "),
    ("future_tolerance_minutes: 10", "future_tolerance_minutes: 0"),
    ("backdate_days: 400", "backdate_days: 3650"),
    ("slip_copies: [业户联, 财务联, 存根联]", "slip_copies: [工程部联, 财务部联, 客户联, 管家部联]"),
    ("  satisfaction: 0.90 ", "  satisfaction: 1 "),
    ("# report:\n#   cutoff_day: 20", "report:\n  cutoff_day: 28"),
    ("phone: '0755-26001234'", "phone: '400-800-1234'"),
    ("phone: '0755-26001234'", "phone:"),
    ("name: 测试管理处", "name: ''"),
    ("timezone: Asia/Shanghai", "timezone: America/New_York"),
])
def test_the_bounds_themselves_are_allowed(clerk, old, new):
    break_office(clerk, old, new)
    assert clerk("check").stdout.strip() == "ok"
    clerk("list")


def test_the_shipped_and_example_settings_are_good():
    for path in (DEFAULTS / "office.yaml", Path(__file__).parent.parent / "examples" / "office" / "office.yaml"):
        assert list(settings.findings(yamlio.load_fast(path))) == []


@pytest.mark.parametrize("config, message", [
    (None, "expected a mapping of settings such as `site: HQ`"),
    (["site: HQ"], "expected a mapping of settings such as `site: HQ`"),
    ({}, "site is missing"),
    ({"site": "HQ", 7: 1}, "7 is not a setting"),
    ({"site": "HQ", "timezone": ""}, "timezone '' is not a known timezone"),
    ({"site": "HQ", "service_levels": [15]},
     "service_levels must be a mapping of settings, like `arrival_minutes: 15`"),
    ({"site": "HQ", "targets": 0.9}, "`targets` must be a mapping such as {satisfaction: 0.95}"),
    ({"site": "HQ", "report": 20}, "report must be a mapping, like `report: {cutoff_day: 20}`"),
    ({"site": "HQ", "slip_copies": []}, "slip_copies must be a list of copy names"),
])
def test_what_is_no_office_config_at_all(config, message):
    assert message in next(m for _, m in settings.findings(config))


def test_a_bad_setting_raises_with_every_problem_placed(office_root, monkeypatch):
    path = office_root / "office.yaml"
    path.write_text(path.read_text("utf-8").replace("site: HQ", "site: hq").replace("backdate_days: 400",
                                                                                    "backdate_days: -1"), "utf-8")
    monkeypatch.chdir(office_root)
    with pytest.raises(settings.SettingsError) as caught:
        load_office(office_root)
    site, backdate = line_of(office_root, "site"), line_of(office_root, "backdate_days")
    assert [str(p) for p in caught.value.problems] == [
        f"office.yaml:{site}:1: site 'hq' must be upper-case letters and digits, like HQ or SZ01",
        f"office.yaml:{backdate}:1: backdate_days must be 1 or more, not -1"]
    assert str(caught.value).startswith(f"office.yaml:{site}:1: site 'hq'") and "(and 1 more" in str(caught.value)


def test_the_settings_table_agrees_with_the_code_that_uses_it():
    levels = sla.Levels()
    assert list(settings.LEVELS) == [f.name for f in dataclasses.fields(sla.Levels)]
    assert (levels.emergency_day_start, levels.emergency_day_end) == settings.DAYTIME
    assert tuple(stats.TARGETS) == settings.TARGETS
    for key, kind in settings.LEVELS.items():  # every default within its own bounds
        if kind != "time":
            assert kind.fault(getattr(levels, key)) is None, key
    assert sla.levels({"service_levels": {"arrival_minutes": 20, "emergency_day_end": "21:30"}}).emergency_day_end \
        .hour == 21


def test_every_setting_is_documented_with_its_bounds():
    text = DOCS.read_text("utf-8")
    table = text[text.index("## office.yaml"):text.index("## catalog.yaml")]
    for key in (*settings.KEYS, *settings.LEVELS):
        assert f"`{key}" in table, key
    for kind in (settings.MINUTES, settings.TOLERANCE, settings.HOURS, settings.MONTHS, settings.BACKDATE,
                 settings.FUTURE_TOLERANCE):
        assert f"{kind.low}..{kind.high}" in table, kind


@pytest.mark.parametrize(("raw", "message"), [
    (12, "callback_sample must be a list of bands, like [{up_to: 100, percent: 30}, "),
    ([], "callback_sample must be a list of bands"),
    ([{"up_to": 100, "percent": 30}], "the last band of callback_sample covers every larger number"),
    (["30%", {"percent": 10}], "callback_sample[0] must be a band like {up_to: 100, percent: 30}"),
    ([{"percent": 30}, {"percent": 10}], "callback_sample[0] needs up_to, the most households of the band"),
    ([{"up_to": 100}, {"percent": 10}], "callback_sample[0] needs percent, the share to call back"),
    ([{"up_to": 100, "percent": 30, "share": 1}, {"percent": 10}], "callback_sample[0].share is not a setting"),
    ([{"up_to": "100", "percent": 30}, {"percent": 10}], "callback_sample[0].up_to must be a whole number"),
])
def test_a_bad_callback_sample_band_is_named(raw, message):
    found = [text for _keys, text in settings.findings({"site": "HQ", "callback_sample": raw})]
    assert any(text.startswith(message) for text in found), found
