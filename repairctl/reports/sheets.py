"""The cells, tables and pages of repairctl's workbooks (the monthly one, workbook.py, and the company's,
companybook.py): a value written as what it is (text never a formula), a header row, a table with its
filter and fitted widths, and the printed page.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from repairctl.text import terms
from repairctl.text.cjk import width

INT, MONEY, PERCENT, MINUTES, TIME = "0", "#,##0.00", "0.0%", "0.0", "yyyy-mm-dd hh:mm"
HEADER, GOOD, BAD = "DDEBF7", "C6EFCE", "FFC7CE"
MAX_WIDTH = 60


def put(ws, row: int, col: int, value, fmt: str | None = None):
    """Write one cell; a string is always stored as text, never as a formula or an error code."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would make '=…' a formula and '#N/A' an error
    if fmt and value is not None:
        cell.number_format = fmt
    return cell


def header(ws, row: int, labels) -> None:
    for col, label in enumerate(labels, 1):
        cell = put(ws, row, col, label)
        cell.font, cell.alignment = Font(bold=True), Alignment(horizontal="center")
        cell.fill = PatternFill("solid", fgColor=HEADER)


def table(ws, labels, rows, formats, freeze: str = "A2", center=()) -> None:
    """A header row, data rows, frozen header, auto filter, fitted widths; marks centred in center columns."""
    header(ws, 1, labels)
    for r, row in enumerate(rows, 2):
        for c, (value, fmt, label) in enumerate(zip(row, formats, labels, strict=True), 1):
            cell = put(ws, r, c, value, fmt)
            if label in center:
                cell.alignment = Alignment(horizontal="center")
    ws.freeze_panes = freeze
    ws.print_title_rows = "1:1"  # every printed page repeats the header
    ws.auto_filter.ref = f"A1:{get_column_letter(len(labels))}{len(rows) + 1}"
    fit(ws)


def shown(value) -> int:
    """Columns a value takes on screen, a Chinese character counting two."""
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 17  # yyyy-mm-dd hh:mm and a little air before the next column
    if isinstance(value, (float, Decimal)):
        return len(f"{value:,.2f}")
    return width(value)


def fit(ws, skip_rows: int = 0) -> None:
    """Set each column wide enough for its longest value (capped)."""
    for col, cells in enumerate(ws.iter_cols(min_row=skip_rows + 1), 1):
        longest = max((shown(c.value) for c in cells), default=0)
        ws.column_dimensions[get_column_letter(col)].width = min(max(longest + 2, 8), MAX_WIDTH)


def page(ws, heading: str, *, one_page: bool = False) -> None:
    """A4, fitted to the page width (the summary: to one page); header and page numbers."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT if one_page else ws.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 1 if one_page else 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddHeader.center.text = heading.replace("&", "&&") + " &A"  # & starts a header code
    ws.oddFooter.center.text = terms.REPORT["page"]
