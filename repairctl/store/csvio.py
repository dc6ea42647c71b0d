"""CSV as the office's spreadsheets write and read it.

In: UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"), else GB18030 (what
a Chinese Excel's plain "CSV" saves). Out: UTF-8 with a BOM and CRLF line ends, so Excel
opens the Chinese intact, and every cell that a spreadsheet would run as a formula is
neutralised with a leading ``'`` (OWASP, CSV injection).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from repairctl.errors import OfficeError, RepairError
from repairctl.text import oserrors
from repairctl.text.i18n import _

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Sheet:
    """A CSV file read: its encoding, header row and data rows (Excel's row number, file line, cells)."""

    path: Path
    encoding: str
    header: list[str]
    rows: list[tuple[int, int, list[str]]]


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in: UTF-8 (a BOM is dropped), else GB18030."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise RepairError(_("{path}: an Excel workbook, not CSV; in Excel, “Save As” “CSV UTF-8” and give that file")
                          .format(path=path))
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError:
        raise RepairError(_("{path}: neither UTF-8 nor GB18030 text; in Excel, save it as “CSV UTF-8”")
                          .format(path=path)) from None


def read(path: Path) -> Sheet:
    """Read a CSV file; blank rows are skipped but still counted, as Excel numbers them."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise OfficeError(_("{path}: cannot read: {reason}").format(path=path, reason=oserrors.reason(exc))) from None
    text, encoding = decode(data, path)
    reader = csv.reader(io.StringIO(text, newline=""))
    records = []
    try:
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            records.append((len(records) + 1, line, cells))
    except csv.Error as exc:
        raise RepairError(_("{path}:{line}: not readable as CSV ({reason})")
                          .format(path=path, line=reader.line_num, reason=exc)) from None
    if not records or not any(cell.strip() for cell in records[0][2]):
        raise RepairError(_("{path}: no header row; the first row names the columns, e.g. 单元,业户姓名,电话,维修内容")
                          .format(path=path))
    rows = [(row, line, cells) for row, line, cells in records[1:] if any(cell.strip() for cell in cells)]
    return Sheet(Path(path), encoding, records[0][2], rows)


def header_key(text: str) -> str:
    """A header as it is matched: no spaces at the ends, no BOM, no trailing colon or asterisk, lower case."""
    return re.sub(r"\s+", " ", text.replace("\ufeff", "")).strip().rstrip(":：*＊").strip().lower()


def columns(header: list[str], table: dict[str, tuple[str, ...]]) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """Which column holds each field of table (header words -> field), and the headers table does not know.

    A second column for a field already found is reported as unknown too, naming the first.
    """
    words = {header_key(word): key for key, options in table.items() for word in options}
    found: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    for index, text in enumerate(header):
        key = words.get(header_key(text))
        if key is None or key in found:
            unknown.append((index, text))
        else:
            found[key] = index
    return found, unknown


def cell(cells: list[str], index: int | None) -> str:
    """The stripped text of a row's cell (empty when the column is absent or the row short)."""
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


# a phone as a cell: digits, spaces, dashes, brackets and a leading + (nothing a formula could run)
NUMBER_TEXT = re.compile(r"\+?[\d\- ()]+", re.ASCII)
AS_TEXT = re.compile(r'="(\+?[\d\- ()]+)"', re.ASCII)


class Digits(str):
    """A cell Excel must show as the text it is (a phone: 13812345678, not 1.38E+10; +44 20 …, no stray quote)."""


def neutralise(value) -> str:
    """A cell a spreadsheet will show as text: one starting like a formula gets a leading quote; Digits
    that fit a phone are written ="13812345678", the one way a CSV tells Excel a number is text."""
    text = "" if value is None else str(value)
    if isinstance(value, Digits) and NUMBER_TEXT.fullmatch(text):
        return f'="{text}"'
    return "'" + text if text.startswith(FORMULA_START) else text


def restore(text: str) -> str:
    """Undo neutralise: the quote before a formula-like start goes, ="…" gives its digits (a round trip
    gives back what was exported)."""
    if match := AS_TEXT.fullmatch(text):
        return match[1]
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def excel_bytes(header: list[str], rows: list[list]) -> bytes:
    """Rows as CSV for Excel: UTF-8 with a BOM, CRLF, every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    writer.writerows([neutralise(value) for value in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
