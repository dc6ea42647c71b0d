"""The language a person reads: gettext over the catalog in repairctl/locale, chosen once per process.

`_("…")` and `ngettext(…)` mark and translate every sentence. The language is chosen at the first
call: $REPAIRCTL_LANG (en | zh_CN) when set, else `language:` of the office's office.yaml, else
zh_CN. Help texts are translated while the commands are built, before click parses --root, so the
office is found here cheaply and without loading it: --root in the command line, else
$REPAIRCTL_ROOT, else the nearest folder up from here with office.yaml, and only its `language:`
line is read (no YAML parser: `--help` must stay as fast as click; office/settings.py checks the key).
click's own messages (Usage, Missing option, …) come from the same catalog: click binds the
stdlib's gettext functions as `_`/`ngettext` in its modules, and `translate_click` rebinds them.
English is the source text: in `en` no catalog is read at all.
"""

from __future__ import annotations

import gettext as _gettext
import os
import re
import sys
from pathlib import Path

DOMAIN = "repairctl"
LOCALEDIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("zh_CN", "en")
DEFAULT = "zh_CN"
ENV_LANG = "REPAIRCTL_LANG"
# the one key read without a YAML parser: `language: en`, quoted or not, with a comment after it
LANGUAGE_LINE = re.compile(r"^language:[ \t]*['\"]?([A-Za-z_]+)['\"]?[ \t]*(?:#.*)?$", re.MULTILINE)

_chosen: _gettext.NullTranslations | None = None
_language = ""


def language() -> str:
    """The language of this process, en or zh_CN (chosen at the first call)."""
    _catalog()
    return _language


def _(message: str) -> str:
    """message in the process's language."""
    return _catalog().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """singular or plural by n, in the process's language."""
    return _catalog().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """message itself, marked for extraction; translated where it is shown."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """The pair itself, marked for extraction (`pybabel extract -k NP_:1,2`); ngettext picks one where shown."""
    return singular, plural


def choose(argv: list[str] | None = None, environ=None, cwd: Path | None = None) -> str:
    """The language for a command line: $REPAIRCTL_LANG, else the office's `language:`, else zh_CN."""
    environ = os.environ if environ is None else environ
    wanted = environ.get(ENV_LANG, "").strip()
    if wanted in LANGUAGES:
        return wanted
    config = _office_config(sys.argv[1:] if argv is None else argv, environ, cwd or Path.cwd())
    if config is not None:
        try:
            found = LANGUAGE_LINE.search(config.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            found = None
        if found and found.group(1) in LANGUAGES:
            return found.group(1)
    return DEFAULT


def _office_config(argv: list[str], environ, cwd: Path) -> Path | None:
    """office.yaml as office/folder.find_root would find it, or None; nothing is loaded."""
    root = environ.get("REPAIRCTL_ROOT") or None
    for n, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--root" and n + 1 < len(argv):
            root = argv[n + 1]
        elif arg.startswith("--root="):
            root = arg[len("--root="):]
    if root:
        config = Path(root).expanduser() / "office.yaml"
        return config if config.is_file() else None
    try:
        here = cwd.resolve()
    except OSError:
        return None
    for folder in (here, *here.parents):
        if (folder / "office.yaml").is_file():
            return folder / "office.yaml"
    return None


def _catalog() -> _gettext.NullTranslations:
    global _chosen, _language
    if _chosen is None:
        _language = choose()
        _chosen = _gettext.NullTranslations() if _language == "en" else _load(_language)
        translate_click()
    return _chosen


def _load(language: str) -> _gettext.NullTranslations:
    """The compiled catalog of a language we ship, opened directly: gettext.translation's search of
    locale aliases costs a millisecond every command pays, for a path we know."""
    try:
        with (LOCALEDIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as handle:
            return _gettext.GNUTranslations(handle)
    except OSError:  # a broken install: English rather than no command at all
        return _gettext.NullTranslations()


def translate_click() -> None:
    """Make click's own messages come from this process's catalog (its loaded modules; idempotent)."""
    catalog = _catalog()
    for name, module in list(sys.modules.items()):
        if name != "click" and not name.startswith("click."):
            continue
        if getattr(module, "_", None) is _gettext.gettext:
            module._ = catalog.gettext
        if getattr(module, "ngettext", None) is _gettext.ngettext:
            module.ngettext = catalog.ngettext
