"""The default catalogue and supplier list, checked against the seed document they were copied from."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import repairctl
from repairctl.errors import NotFound, OfficeError
from repairctl.office.catalogue import Item, load_catalogue

DEFAULTS = Path(repairctl.__file__).parent / "defaults"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_75554f1ecf02b50e.txt"
REASONS = "专业技术要求高|行业专项管理"


@pytest.fixture(scope="module")
def defaults(tmp_path_factory) -> Path:
    """The shipped catalog.yaml and suppliers.yaml, copied: loading remembers its parse beside the files."""
    folder = tmp_path_factory.mktemp("defaults")
    for name in ("catalog.yaml", "suppliers.yaml"):
        shutil.copy(DEFAULTS / name, folder)
    return folder


@pytest.fixture(scope="module")
def cat(defaults):
    return load_catalogue(defaults)


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    if not SEED.is_file():
        pytest.skip(f"seed document {SEED} not found; transcription checks need it")
    return [line.replace(" ", "") for line in SEED.read_text("utf-8").splitlines()]


def section(lines: list[str], start: str, end: str | None) -> list[str]:
    """The lines after the line `start` up to (not including) the line `end`."""
    first = lines.index(start) + 1
    return lines[first : lines.index(end, first) if end else len(lines)]


def numbered(lines: list[str]) -> list[str]:
    """Numbered remarks, with a line that does not start with a number joined to the one before."""
    out: list[str] = []
    for line in lines:
        if re.match(r"\d\d", line) or not out:
            out.append(line)
        else:
            out[-1] += line
    return out


# Counts and codes ---------------------------------------------------------------


def test_counts(cat):
    by_category = {key: [i for i in cat.items.values() if i.category == key] for key in cat.categories}
    assert {key: len(items) for key, items in by_category.items()} == {"power": 20, "water": 9, "civil": 14}
    assert len(cat.jobs) == 32
    assert len(cat.notes) == 6 and len(cat.supplier_notes) == 3


def test_codes_are_stable(cat):
    expected = [f"E{n:02d}" for n in range(1, 21)] + [f"W{n:02d}" for n in range(1, 10)]
    assert list(cat.items) == expected + [f"C{n:02d}" for n in range(1, 15)]
    assert list(cat.jobs) == [f"S{n:02d}" for n in range(1, 33)]
    assert all(item.code[1:] == item.number for item in cat.items.values())
    assert all(job.code[1:] == job.number for job in cat.jobs.values())


# Transcription against the seed -------------------------------------------------


def test_items_match_seed_table(cat, seed_lines):
    table = section(seed_lines, "序号服务项目维修时限备注", "四说明")
    seed_categories: dict[str, list[str]] = {}
    heading = ""
    for line in table:
        if re.match(r"\d\d", line):
            seed_categories[heading].append(line)
        else:
            heading = line[1:]  # '一供电类' -> '供电类'
            seed_categories[heading] = []
    ours: dict[str, list[str]] = {name: [] for name in cat.categories.values()}
    for item in cat.items.values():
        ours[item.category_name].append(item.number + item.name + item.limit_text() + (item.remark or ""))
    assert ours == seed_categories


def test_notes_match_seed(cat, seed_lines):
    seed_notes = numbered(section(seed_lines, "四说明", "专业供应商名单和维修服务项目一览表"))
    assert [f"{n:02d}{text}" for n, text in enumerate(cat.notes, 1)] == seed_notes
    seed_supplier_notes = numbered(section(seed_lines, "几点说明", None))
    assert [f"{n:02d}{text}" for n, text in enumerate(cat.supplier_notes, 1)] == seed_supplier_notes


def test_jobs_match_seed_table_a_blank_provider_left_blank(cat, seed_lines):
    table = section(seed_lines, "序号维修项目说明备注", "几点说明")
    assert len(table) == len(cat.jobs)
    for line, job in zip(table, cat.jobs.values(), strict=True):
        no, name, reason_text, provider = re.fullmatch(rf"(\d\d)(.+?)({REASONS})(.*)", line).groups()
        # a row whose 备注 the seed leaves blank names nobody: the row above's provider was not said to do it
        assert (job.number, job.name, job.reason_text, job.provider) == (no, name, reason_text, provider or None)


def test_provider_and_reason_examples(cat):
    assert cat.lookup("S01").provider == "海尔代理公司" and cat.lookup("S05").provider == "海尔代理公司"
    blank = ["S02", "S03", "S06", *(f"S{n:02d}" for n in (*range(8, 13), *range(14, 20), 22, 23, 24, 26, 27, 28,
                                                             30, 31, 32))]
    assert [code for code, job in cat.jobs.items() if job.provider is None] == blank
    assert cat.lookup("S30").reason == "regulated"
    assert cat.lookup("S30").reason_text == "行业专项管理"
    assert cat.lookup("S01").reason == "skill"


# Items ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, text",
    [
        ("E01", "10分钟"),
        ("E15", "1小时内"),
        ("W09", "2小时内"),
        ("E16", "15分钟/米"),
        ("C14", "50分钟/辆"),
        ("C09", "视维修部位定"),
        ("E12", ""),
        ("E13", ""),
    ],
)
def test_limit_text(cat, code, text):
    assert cat.lookup(code).limit_text() == text


def test_remarks_and_owner_warning(cat):
    assert cat.lookup("E08").remark == "大型吊灯除外"
    assert cat.lookup("W04").warn_owner is True
    assert [i.code for i in cat.items.values() if i.warn_owner] == ["W04"]
    assert cat.lookup("E12").limit is None


def test_lookup_is_case_insensitive_and_kinds(cat):
    assert cat.lookup("w09").name == "疏通下水道" and cat.lookup("w09").in_house
    assert cat.lookup("s16").name == "疏通下水道" and not cat.lookup("s16").in_house


def test_lookup_unknown_code(cat):
    with pytest.raises(NotFound, match="unknown catalogue code 'X99'"):
        cat.lookup("X99")


# Suggestions ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, first",
    [
        ("厨房水龙头漏水", "W01"),
        ("下水道堵了", "W09"),
        ("空调不制冷", "S03"),
        ("灯泡坏了", "E01"),
        ("马桶一直漏水", "W05"),
    ],
)
def test_suggest_first(cat, text, first):
    assert cat.suggest(text)[0].code == first


def test_suggest_offers_in_house_and_supplier(cat):
    codes = [entry.code for entry in cat.suggest("下水道堵了")]
    assert codes[:2] == ["W09", "S16"]


def test_suggest_nothing_and_limit(cat):
    assert cat.suggest("abc") == []
    assert cat.suggest("") == []
    assert len(cat.suggest("漏水", limit=2)) == 2
    assert cat.suggest("更换维修安装") == []  # stop words alone match nothing


def test_suggest_gives_the_same_order_in_every_process(cat, defaults):
    """Ties and all, the same ranking in another Python with another string-hash seed (two calls in one
    process would agree even if the order hung on set iteration)."""
    ours = [e.code for e in cat.suggest("水管漏水", limit=10)]
    assert ours == ["W01", "W05", "W06", "W07", "W08", "S24"]  # six tied: own items first, then by code
    probe = ("import sys\nfrom repairctl.office.catalogue import load_catalogue\n"
             "print(*(e.code for e in load_catalogue(sys.argv[1]).suggest('水管漏水', limit=10)))")
    hash_seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    done = subprocess.run([sys.executable, "-c", probe, str(defaults)], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONHASHSEED": hash_seed})
    assert done.stdout.split() == ours


# Broken files -----------------------------------------------------------------

GOOD = "{code: E01, number: '01', name: 更换各类普通灯泡, limit: {minutes: 10}}"


def power(*items: str) -> str:
    """A catalog.yaml text with one category holding these flow-style items."""
    return f"categories: {{power: {{name: 供电类, items: [{', '.join(items)}]}}}}"


@pytest.mark.parametrize(
    "catalog, needle",
    [
        (power(GOOD.replace("minutes", "hours")), "E01: unknown limit shape"),
        (power(GOOD.replace("{minutes: 10}", "{minutes: 15, per: floor}")), "E01: unknown limit shape"),
        (power("{code: E01, number: '01', limit: null}"), "E01: missing or invalid `name`"),
        (power("{code: E01, number: '01', name: x}"), "E01: missing `limit`"),
        (power(GOOD, GOOD), "duplicate code E01"),
        (power(GOOD.replace("E01", "S01")), "duplicate code S01"),
        ("items: []", "missing or invalid `categories`"),
        ("categories: [", "syntax"),
    ],
)
def test_broken_catalog_names_file_and_entry(tmp_path, catalog, needle):
    shutil.copy(DEFAULTS / "suppliers.yaml", tmp_path)
    (tmp_path / "catalog.yaml").write_text(catalog, encoding="utf-8")
    with pytest.raises(OfficeError) as info:
        load_catalogue(tmp_path)
    assert "catalog.yaml" in str(info.value)
    assert needle in str(info.value)


def test_broken_suppliers_names_file(tmp_path):
    shutil.copy(DEFAULTS / "catalog.yaml", tmp_path)
    jobs = "jobs: [{code: S01, number: '01', name: 室外安装空调机, reason: cheap}]"
    (tmp_path / "suppliers.yaml").write_text(f"reasons: {{skill: 专业技术要求高}}\n{jobs}\n", encoding="utf-8")
    with pytest.raises(OfficeError, match=r"suppliers\.yaml.*S01"):
        load_catalogue(tmp_path)


def test_missing_file(tmp_path):
    shutil.copy(DEFAULTS / "catalog.yaml", tmp_path)
    with pytest.raises(OfficeError, match=r"suppliers\.yaml"):
        load_catalogue(tmp_path)


def test_unquoted_number_is_read_as_printed(tmp_path):
    shutil.copy(DEFAULTS / "suppliers.yaml", tmp_path)
    item = "{code: e01, number: 1, name: 更换各类普通灯泡, limit: {minutes: 10}}"
    (tmp_path / "catalog.yaml").write_text(power(item), encoding="utf-8")
    loaded = load_catalogue(tmp_path).lookup("E01")
    assert isinstance(loaded, Item) and loaded.number == "01" and loaded.code == "E01"
