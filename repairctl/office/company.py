"""A company's offices: the office folders `rollup` reads, named on its command line or in a company file.

A company file (docs/formats.md) is a small YAML file; its folders are relative to the file::

    name: 翠苑物业公司
    offices:
      - 翠苑管理处
      - ../east/office

An argument that is a file is read as a company file; anything else as an office folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from repairctl.errors import FileError, OfficeError, Problem, shown
from repairctl.office.folder import CONFIG, Office, load_office
from repairctl.store import yamlio
from repairctl.text.i18n import _

KEYS = ("name", "offices")


@dataclass(frozen=True)
class Listed:
    """One office folder as listed: where it is, as it was written, and the company file's line naming it."""

    folder: Path
    written: str
    source: tuple[Path, int, int] | None = None  # (company file, line, column), when listed in one

    def problem(self, message: str) -> Problem:
        """A problem of this office, placed at its line of the company file when it was listed in one."""
        if self.source is None:
            return Problem(None, 0, "", f"{self.written}: {message}")
        path, line, column = self.source
        return Problem(shown(path), line, column, f"{self.written}: {message}")

    def load(self) -> Office:
        """The office in this folder; OfficeError, placed as problem() places it, when it cannot be read."""
        if not self.folder.is_dir():
            raise OfficeError(str(self.problem(_("no such folder"))))
        if not (self.folder / CONFIG).is_file():
            raise OfficeError(str(self.problem(_("not an office folder (no {config})").format(config=CONFIG))))
        try:
            return load_office(self.folder)
        except FileError as exc:  # office.yaml:LINE:COL: names its own place
            raise OfficeError(f"{self.written}: {exc}") from None


@dataclass(frozen=True)
class Company:
    """The offices to roll up, in the order given, and the company's name (from a company file, or '')."""

    name: str
    offices: tuple[Listed, ...]


def company(arguments: list[Path]) -> Company:
    """The offices the arguments name: each an office folder, or a company file listing them."""
    name, listed = "", []
    for argument in arguments:
        if argument.is_file():
            named, offices = read_company(argument)
            name = name or named
            listed += offices
        else:
            listed.append(Listed(argument.expanduser().resolve(), str(argument)))
    if not listed:
        raise OfficeError(_("no office to roll up: name office folders, or a company file listing them"))
    seen: dict[Path, Listed] = {}
    for office in listed:
        if office.folder in seen:
            raise OfficeError(str(office.problem(_("listed twice (also as {other}); list each office once").format(
                other=seen[office.folder].written))))
        seen[office.folder] = office
    return Company(name, tuple(listed))


def read_company(path: Path) -> tuple[str, list[Listed]]:
    """The name and the office folders of a company file; FileError (FILE:LINE:COL: why) when it is wrong."""
    text = yamlio.decode(path.read_bytes(), path)
    data = yamlio.parse(text, path)
    tree = yamlio.compose(text)

    def fail(keys: tuple, message: str):
        raise FileError(Problem(shown(path), *yamlio.position(tree, keys), message))

    if not isinstance(data, dict):
        fail((), _("a company file is a mapping: `name:` and `offices:`, a list of office folders"))
    for key in data:
        if key not in KEYS:
            fail((key,), _("unknown key {key}; a company file has {keys}").format(key=repr(key),
                                                                                  keys=" and ".join(KEYS)))
    name = data.get("name") or ""
    if not isinstance(name, str):
        fail(("name",), _("name: one line of text, the company's name"))
    offices = data.get("offices")
    if not isinstance(offices, list) or not offices:
        fail(("offices",) if "offices" in data else (),
             _("offices: list each office's folder, relative to this file (`- 翠苑管理处`)"))
    listed = []
    for index, folder in enumerate(offices):
        if not isinstance(folder, str) or not folder.strip():
            fail(("offices", index), _("an office folder is a path, relative to this file, like `- 翠苑管理处`"))
        where = (path, *yamlio.position(tree, ("offices", index)))
        listed.append(Listed((path.parent / Path(folder.strip()).expanduser()).resolve(), folder.strip(), where))
    return name.strip(), listed
