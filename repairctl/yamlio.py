"""The one YAML module: a fast safe loader for reading, a round-trip editor for writing.

Reading many files uses PyYAML's libyaml loader (ten times faster than ruamel's).
Every change goes through ruamel.yaml's round trip, so the comments, key order and
layout a clerk wrote by hand survive, and through a temporary file and ``os.replace``,
so a crash never leaves half a file.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.error import YAMLError as RuamelError

from repairctl.errors import OfficeError

FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
BOM = "\ufeff"


def decode(data: bytes, path: Path | str) -> str:
    """Return the text of a UTF-8 file (a BOM is accepted), or raise a one-line error."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OfficeError(
            f"{path}: not UTF-8 text (bad byte at offset {exc.start}); save the file as UTF-8"
        ) from None


def parse(text: str, path: Path | str = "<text>") -> Any:
    """Parse YAML text with the fast safe loader."""
    try:
        return yaml.load(text, Loader=FastLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise OfficeError(f"{where}: YAML syntax error: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise OfficeError(f"{path}: YAML syntax error: {exc}") from None


def load_fast(path: Path) -> Any:
    """Read and parse one YAML file for reading only."""
    text, _ = _read_text(path)
    return parse(text, path)


def _represent_datetime(representer, value: dt.datetime):
    # ISO 8601 with the 'T' and the offset, plain, as a clerk would type it.
    return representer.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


def _round_trip() -> YAML:
    rt = YAML()  # round-trip mode
    rt.width = 4096  # never fold Chinese text
    rt.preserve_quotes = True
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.representer.add_representer(dt.datetime, _represent_datetime)
    rt.representer.ignore_aliases = lambda data: True
    return rt


def dump_text(data: Any) -> str:
    """Serialise data with the project's one round-trip dumper configuration."""
    out = io.StringIO()
    _round_trip().dump(data, out)
    return out.getvalue()


def _read_text(path: Path) -> tuple[str, bool]:
    """Return a file's text and whether it began with a byte-order mark."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise OfficeError(f"{path}: no such file") from None
    except OSError as exc:
        raise OfficeError(f"{path}: cannot read: {exc.strerror}") from None
    return decode(data, path), data.startswith(BOM.encode())


def load_round_trip(path: Path, text: str | None = None) -> Any:
    """Parse a file (or its already-read text) with the round-trip loader, for editing."""
    if text is None:
        text, _ = _read_text(path)
    try:
        return _round_trip().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise OfficeError(f"{where}: YAML syntax error: {exc.problem or exc.context}") from None
    except RuamelError as exc:
        raise OfficeError(f"{path}: YAML syntax error: {exc}") from None


def write_atomic(path: Path, text: str, *, exclusive: bool = False) -> None:
    """Write text to path through a temporary file; with exclusive, fail if path exists."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            os.link(tmp, path)  # atomic, and refuses to replace an existing file
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


@contextmanager
def edit(path: Path) -> Iterator[Any]:
    """Yield the round-trip document of path; on a clean exit write it back if it changed.

    The file keeps its byte-order mark and line ends. An exception inside the block
    leaves the file untouched.
    """
    original, had_bom = _read_text(path)
    doc = load_round_trip(path, original)
    yield doc
    text = dump_text(doc)
    if "\r\n" in original:
        text = text.replace("\n", "\r\n")
    if text != original:
        write_atomic(path, BOM + text if had_bom else text)
