"""The language a person reads: Chinese by default, English when asked, the catalog complete and compiled.

The language is chosen once per process, so every command here runs in a process of its own
(`python -m repairctl`, and the installed executable once); the rest of the suite reads English.
"""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

import repairctl
from repairctl.text import clickwords, i18n

PACKAGE = Path(repairctl.__file__).resolve().parent
REPO = PACKAGE.parent
# the catalog's source and the code it translates, from the repository: an installed package ships the .mo only
SOURCE = Path(__file__).resolve().parents[1] / "repairctl"
PO = SOURCE / "locale" / "zh_CN" / "LC_MESSAGES" / "repairctl.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {**DEFAULT_KEYWORDS, "NP_": (1, 2)}  # as README's `pybabel extract -k NP_:1,2`


def run(*args: str, lang: str | None = "zh_CN", cwd: Path | None = None, command=None,
        env: dict | None = None) -> subprocess.CompletedProcess:
    """repairctl args in a process of its own, in lang (None: REPAIRCTL_LANG unset), env added."""
    env = {**{k: v for k, v in os.environ.items() if k not in ("REPAIRCTL_LANG", "REPAIRCTL_ROOT")}, **(env or {})}
    if lang:
        env["REPAIRCTL_LANG"] = lang
    return subprocess.run([*(command or [sys.executable, "-m", "repairctl"]), *args], capture_output=True,
                          text=True, env=env, cwd=cwd or Path.cwd())


# -- the catalog --------------------------------------------------------------------------------------


def _po():
    with PO.open("rb") as handle:
        return read_po(handle, locale="zh_CN")


def test_every_marked_sentence_has_a_translation():
    source = {message if isinstance(message, str) else message[0]
              for _file, _line, message, _comments, _context in extract_from_dir(
                  str(SOURCE), method_map=[("**.py", "python")], keywords=KEYWORDS)}
    catalog = _po()
    untranslated = sorted(m for m in source if not (catalog.get(m) and all(_strings(catalog.get(m)))))
    assert not untranslated, "untranslated (pybabel update, then translate): " + "; ".join(untranslated)
    assert len(source) > 100  # the help of every command and option, and click's own


def test_a_translation_has_the_placeholders_of_its_source():
    # a {name} the translation adds is a KeyError when the message is shown, and one it drops is a fact
    # the reader no longer gets: only a code word the Chinese says in words may go (已受理 for received);
    # zh_CN has one plural form, the English plural's (which names every placeholder)
    def names(text):
        return sorted(re.findall(r"\{(\w*)(?:![rsa])?(?::[^{}]*)?\}", text) + re.findall(r"%\((\w+)\)s", text))
    wrong = [message.id for message in _po() if message.id
             for translated in _strings(message)
             if translated and not _dropped_only(names(translated), names(_ids(message)[-1]))]
    assert not wrong, "placeholders differ: " + "; ".join(map(str, wrong))


# placeholders a translation may leave out: the code word beside the Chinese word it names
MAY_DROP = {"status"}


def _dropped_only(translated: list[str], source: list[str]) -> bool:
    return set(translated) <= set(source) and set(source) - set(translated) <= MAY_DROP


def test_the_catalog_speaks_the_desks_words():
    # docs/terms.md: 维修人员 (not 技工, 维修工), 推荐供应商 (not 转介), 确定收费 (not 结算), 客服 not 未派工
    given_up = ("技工", "维修工", "转介", "结算", "未派工")
    said = [(message.id, word) for message in _po() if message.id for text in _strings(message)
            for word in given_up if word in (text or "")]
    assert not said, said


def _ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def test_the_compiled_catalog_is_the_po(tmp_path):
    with MO.open("rb") as handle:
        shipped = _contents(read_mo(handle))
    compiled = tmp_path / "fresh.mo"
    with compiled.open("wb") as handle:
        write_mo(handle, _po())
    with compiled.open("rb") as handle:
        fresh = _contents(read_mo(handle))
    assert shipped == fresh, "repairctl.mo is stale: run pybabel compile -d repairctl/locale -D repairctl"


def _contents(catalog) -> dict:
    """msgid -> msgstr of a catalog, plural pairs as tuples."""
    def plain(value):
        return tuple(value) if isinstance(value, (list, tuple)) else value
    return {plain(m.id): plain(m.string) for m in catalog if m.id}


def test_clicks_sentences_are_still_clicks():
    # the catalog answers click's msgids: a click that reworded one would print it in English again
    click_source = "".join(inspect.getsource(module) for module in (
        click.core, click.exceptions, click.parser, click.types, click.formatting, click.decorators, click.termui))
    for word in (*clickwords.WORDS, *(pair[0] for pair in clickwords.PLURALS)):
        assert repr(word)[1:-1] in click_source or word in click_source, word


# -- choosing the language ----------------------------------------------------------------------------


def test_the_language_comes_from_the_environment_then_office_yaml_then_zh_cn(tmp_path):
    office = tmp_path / "office"
    (office / "inner").mkdir(parents=True)
    (office / "office.yaml").write_text("site: HQ\nlanguage: en  # 界面语言\n", encoding="utf-8")
    assert i18n.choose([], {}, tmp_path) == "zh_CN"  # no office found
    assert i18n.choose([], {}, office / "inner") == "en"  # the nearest office up
    assert i18n.choose([], {"REPAIRCTL_LANG": "zh_CN"}, office) == "zh_CN"
    assert i18n.choose(["--root", str(office), "list"], {}, tmp_path) == "en"
    assert i18n.choose([f"--root={office}"], {}, tmp_path) == "en"
    assert i18n.choose([], {"REPAIRCTL_ROOT": str(office)}, tmp_path) == "en"
    (office / "office.yaml").write_text("site: HQ\n", encoding="utf-8")
    assert i18n.choose([], {}, office) == "zh_CN"  # an absent key means zh_CN


def test_a_language_office_yaml_does_not_know_is_refused(clerk):
    config = clerk.root / "office.yaml"
    config.write_text(config.read_text("utf-8").replace("language: zh_CN", "language: fr"), encoding="utf-8")
    result = clerk("list", ok=False)
    assert result.exit_code == 1 and "language 'fr' is not a language of repairctl" in result.output


def test_new_offices_say_zh_cn():
    assert "\nlanguage: zh_CN\n" in (PACKAGE / "defaults" / "office.yaml").read_text("utf-8")


# -- what a person reads -------------------------------------------------------------------------------


@pytest.mark.parametrize(("command", "words"), [
    ((), ["用法:", "选项:", "命令:", "管理处的维修台", "显示本帮助并退出。", "给维修单派维修人员（派工）。"]),
    (("new",), ["登记一张新的报修单", "房号或地址", "报修内容，用业户的原话。"]),
    (("list",), ["列出维修单，最早的在前。", "只要这个月受理的维修单。", "输出格式。"]),
    (("fee",), ["确定收费"]),
])
def test_help_is_chinese_by_default(tmp_path, command, words):
    result = run(*command, "--help", lang=None, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for word in words:
        assert word in result.stdout, word
    assert "Show this message" not in result.stdout and "Usage" not in result.stdout


def test_clicks_own_messages_are_chinese(tmp_path):
    missing = run("new", cwd=tmp_path)
    assert missing.returncode == 2
    assert "用法: repairctl new [选项]" in missing.stderr and "错误：缺少选项 '--unit'" in missing.stderr
    assert "输入 'repairctl new --help' 查看帮助。" in missing.stderr
    unknown = run("nwe", cwd=tmp_path)
    assert unknown.returncode == 2 and "错误：没有 'nwe' 这个命令。" in unknown.stderr
    assert "No such" not in unknown.stderr and "Error" not in unknown.stderr
    assert run("--version").stdout.strip() == f"repairctl，版本 {repairctl.__version__}"


def test_an_error_is_chinese(tmp_path):
    result = run("list", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"错误：在 {tmp_path.resolve()} 及其上级文件夹中找不到管理处文件夹")


def test_repairctl_lang_en_is_english(tmp_path):
    result = run("new", "--help", lang="en", cwd=tmp_path)
    assert "Usage: repairctl new" in result.stdout and "Record a new repair request" in result.stdout
    assert "用法" not in result.stdout
    assert "Error: Missing option '--unit'." in run("new", lang="en", cwd=tmp_path).stderr


def test_office_yaml_language_en_is_english(clerk):
    config = clerk.root / "office.yaml"
    config.write_text(config.read_text("utf-8").replace("language: zh_CN", "") + "language: en\n", encoding="utf-8")
    inside = run("new", "--help", lang=None, cwd=clerk.root)
    assert "Record a new repair request" in inside.stdout, inside.stderr
    named = run("--root", str(clerk.root), "nwe", lang=None, cwd=Path("/"))
    assert "Error: No such command 'nwe'." in named.stderr
    assert "用法:" in run("new", "--help", lang="zh_CN", cwd=clerk.root).stdout  # the environment wins


def test_the_installed_executable_speaks_chinese(executable, tmp_path):
    result = run("assign", "--help", lang=None, cwd=tmp_path, command=[executable])
    assert result.returncode == 0 and "用法: repairctl assign" in result.stdout and "维修人员。" in result.stdout
