"""The office's files and the command edge in Chinese: office.yaml's settings, catalog.yaml, staff.csv
and units.csv, a company file, desk letters, and the lines commands print when they succeed.

The language is chosen once per process, so each command runs in a process of its own
(`python -m repairctl` with REPAIRCTL_LANG=zh_CN), as in tests/test_i18n.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

# three ASCII words in a row: an English sentence left untranslated (commands, options, paths and
# what is quoted in backticks or '…' are taken out first: they stay as they are)
ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}")
KEPT = re.compile(r"`[^`]*`|'[^']*'|\S*/\S*|--[\w-]+|repairctl \w+")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """repairctl args in Chinese, in a process of its own."""
    env = {k: v for k, v in os.environ.items() if k not in ("REPAIRCTL_LANG", "REPAIRCTL_ROOT")}
    env["REPAIRCTL_LANG"] = "zh_CN"
    return subprocess.run([sys.executable, "-m", "repairctl", *args], capture_output=True, text=True, env=env,
                          cwd=cwd or Path.cwd())


def no_english(text: str) -> None:
    """Fail if text holds an English sentence outside commands, options, paths and quoted values."""
    left = ENGLISH.findall(KEPT.sub(" ", text))
    assert not left, f"English left: {left} in {text!r}"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_bad_settings_are_chinese_in_every_command_and_in_check(clerk):
    edit(clerk.root / "office.yaml", "future_tolerance_minutes: 10", "future_tolerance_minutes: abc")
    edit(clerk.root / "office.yaml", "timezone: Asia/Shanghai", "timezone: Mars/Base")
    refused = run("--root", str(clerk.root), "list")
    assert refused.returncode == 1
    assert "timezone 'Mars/Base' 不是已知的时区；请用 Asia/Shanghai 这样的名称" in refused.stderr
    assert "（另有 1 处问题，`repairctl check` 会全部列出）" in refused.stderr
    no_english(refused.stderr)
    listed = run("--root", str(clerk.root), "check")
    assert listed.returncode == 1
    assert "future_tolerance_minutes 必须是整数，例如 10，不能是 'abc'" in listed.stdout
    no_english(listed.stdout)


def test_a_bound_names_its_unit_in_chinese(clerk):
    edit(clerk.root / "office.yaml", "backdate_days: 400", "backdate_days: 9999")
    result = run("--root", str(clerk.root), "list")
    assert result.returncode == 1 and "backdate_days 最多 3650 天，不能是 9999" in result.stderr
    no_english(result.stderr)


def test_a_broken_catalogue_is_chinese(clerk):
    edit(clerk.root / "catalog.yaml", "name: 更换普通水龙头, limit: {minutes: 15},", "name: 更换普通水龙头,")
    result = run("--root", str(clerk.root), "new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678",
                 "--desc", "水龙头漏水", "--item", "W01")
    assert result.returncode == 1
    assert "W01：缺少 `limit`（没有时限就写 `limit: null`）" in result.stderr
    no_english(result.stderr)


def test_staff_csv_and_units_csv_problems_are_chinese(clerk):
    records = clerk.root / "records"
    (records / "staff.csv").write_text("姓名,工种\n王师傅,电工\n", encoding="utf-8")
    (records / "units.csv").write_text("房号,业户\n3栋1201,张三\n3栋1201,李四\n", encoding="utf-8")
    no_phone = run("--root", str(clerk.root), "new", "--unit", "3栋1201", "--name", "张三", "--desc", "灯不亮")
    assert no_phone.returncode == 1
    assert "缺少 --phone，而 3栋1201 在 records/units.csv 中没有登记电话：请给出 --phone" in no_phone.stderr
    no_english(no_phone.stderr)
    order = clerk("new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678",
                  "--desc", "灯不亮").output.split()[0]
    refused = run("--root", str(clerk.root), "assign", order, "--to", "李师傅")
    assert refused.returncode == 1
    assert "李师傅 不在 records/staff.csv 中；维修人员有：王师傅（新来的维修人员请在 records/staff.csv 里加一行）" \
        in refused.stderr
    no_english(refused.stderr)
    checked = run("--root", str(clerk.root), "check")
    assert "房号 3栋1201 列了两次（另见第 2 行）；只留一行，几位业户用 / 分开" in checked.stdout
    no_english(checked.stdout)


def test_a_company_file_and_desk_letters_are_chinese(clerk, tmp_path):
    company = tmp_path / "company.yaml"
    company.write_text(f"name: 翠苑物业公司\noffices: [{clerk.root}]\nboss: 王总\n", encoding="utf-8")
    rolled = run("rollup", "2026-11", str(company))
    assert rolled.returncode == 1 and "不认识的键 'boss'；公司文件只有 name and offices" in rolled.stderr
    desk = run("--root", str(clerk.root), "join", "--desk", "12")
    assert desk.returncode == 2 and "'12' 不是台号字母：应为一个 A-Z 的字母，例如 B" in desk.stderr


def test_usage_refusals_of_the_command_edge_are_chinese(clerk):
    order = clerk("new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678",
                  "--desc", "灯不亮").output.split()[0]
    visit = run("--root", str(clerk.root), "visit", order)
    assert visit.returncode == 2 and "--arrived, --absent, --reschedule 中要给一个，且只能给一个" in visit.stderr
    within = run("--root", str(clerk.root), "overdue", "--within", "5")
    assert within.returncode == 2 and "'5' 不是时长；请写成 2小时、1天" in within.stderr
    material = run("--root", str(clerk.root), "close", order, "--material", "水龙头:0:35")
    assert material.returncode == 2 and "水龙头的数量必须大于零，例如 水龙头:1:35" in material.stderr
    for result in (visit, within, material):
        no_english(result.stderr)


def test_success_lines_are_chinese(clerk, tmp_path):
    made = run("init", str(tmp_path / "east"), "--site", "EA", "--no-hook", "--phone", "0755-26001234")
    assert made.returncode == 0 and made.stderr == "", made.stderr
    assert made.stdout.strip() == f"已在 {(tmp_path / 'east').resolve()} 建立管理处 EA"
    assert run("--root", str(tmp_path / "east"), "check").stdout.strip() == "没有问题"
    assert run("--root", str(tmp_path / "east"), "recover").stdout.strip() == "没有需要恢复的内容"
    out = tmp_path / "orders.csv"
    exported = run("--root", str(clerk.root), "export", "-o", str(out))
    assert exported.stdout.strip() == f"已写入 {out}：0 张维修单"
