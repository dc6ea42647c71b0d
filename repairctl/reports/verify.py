"""`monthly --verify FILE.xlsx`: whether a workbook still matches the records it names.

The workbook's provenance (provenance.read) names its month, its commit, the time its clocks
were judged at and the options that change cells. The report is made again as the office stood
at that commit (asof.monthly), written the same way, and every cell of every sheet is compared:
a cell that differs was edited by hand, unless the workbook says it was made from uncommitted
files, and then no history can tell. Either way the period's order files, office.yaml and the
catalogue changed since the commit are listed (git diff --name-status COMMIT HEAD).

``matches`` is True only when every cell matches and the workbook was made from committed files:
`monthly --verify` exits 0 then, else 1.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from repairctl.errors import RepairError
from repairctl.reports import asof, provenance
from repairctl.store import history
from repairctl.store.files import ORDERS
from repairctl.text.i18n import _


def verify(office, path: Path) -> dict:
    """Make the workbook at path again from the commit it names and compare it; see the module docstring."""
    from openpyxl import load_workbook  # 60 ms: only when a workbook is read
    from openpyxl.utils.exceptions import InvalidFileException

    from repairctl.reports.workbook import write_workbook

    try:  # from its bytes: openpyxl refuses a name not ending .xlsx, and a copy may be named anything
        book = load_workbook(io.BytesIO(path.read_bytes()))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, InvalidFileException):
        # not openpyxl's reason ("File is not a zip file"): English a clerk cannot act on
        raise RepairError(_("{path}: cannot be read as an Excel workbook; give the .xlsx file that "
                            "`repairctl monthly MONTH --out FILE.xlsx` wrote").format(path=path)) from None
    seal = provenance.read(book)
    if seal is None:
        raise RepairError(_("{path} does not say what it was made from (no repairctl provenance in its properties): "
                            "it cannot be verified; make it again with `repairctl monthly MONTH --out FILE.xlsx`"
                            ).format(path=path))
    if seal["commit"] is None:
        raise RepairError(_("{path} was made outside git, from files no history holds: it cannot be verified").format(
            path=path))
    asof.need_history(office, "--verify")
    if history.commit_of(office.root, seal["commit"]) is None:
        raise RepairError(_("{path} was made from commit {commit}, which this office's history does not hold "
                            "(another office's workbook, or a history rewritten)").format(
            path=path, commit=seal["commit"][:asof.SHORT]))
    point = asof.Point(seal["commit"], seal["as_of"].astimezone(office.tz))
    report, rows = asof.monthly(office, seal["month"], point, allow_broken=seal["allow_broken"])
    with tempfile.TemporaryDirectory(prefix="repairctl-verify-") as folder:
        made = write_workbook(report, rows, Path(folder) / "again.xlsx", full_contacts=seal["full_contacts"],
                              allow_broken=seal["allow_broken"])
        differences = _differences(book, load_workbook(made))
    folders = [f"{ORDERS}/{month.replace('-', '/')}" for month in report["period"]["months"]]
    changed = history.changed_since(office.root, seal["commit"], [*provenance.READ, *folders])
    return {"file": str(path), "month": seal["month"], "commit": seal["commit"], "as_of": point.when,
            "uncommitted": seal["uncommitted"], "matches": not differences and seal["uncommitted"] == 0,
            "differences": differences, "changed_since": [{"status": s, "path": p} for s, p in changed]}


def _differences(book, again) -> list[dict]:
    """Each cell whose value differs between the workbook and the one made again: where, what, both values."""
    from openpyxl.utils import get_column_letter

    found = []
    for name in dict.fromkeys([*again.sheetnames, *book.sheetnames]):
        theirs = _values(again[name]) if name in again.sheetnames else {}
        mine = _values(book[name]) if name in book.sheetnames else {}
        labels = again[name] if name in again.sheetnames else book[name]
        for row, col in sorted(mine.keys() | theirs.keys()):
            if mine.get((row, col)) != theirs.get((row, col)):
                found.append({"cell": f"{name}!{get_column_letter(col)}{row}", "label": _label(labels, row, col),
                              "file": mine.get((row, col)), "records": theirs.get((row, col))})
    return found


def _values(ws) -> dict[tuple[int, int], object]:
    """Every cell of a sheet that holds a value, by (row, column)."""
    return {(cell.row, cell.column): cell.value for line in ws.iter_rows() for cell in line if cell.value is not None}


def _label(ws, row: int, col: int) -> str:
    """What a cell means: its row's first cell, and the header above it (the nearest header cell)."""
    header = next((ws.cell(r, col).value for r in range(row - 1, 0, -1)
                   if str(ws.cell(r, col).fill.fgColor.rgb).endswith(provenance.HEADER)), None)
    lead = ws.cell(row, 1).value if col > 1 else None
    return ", ".join(str(part) for part in (lead, header) if part not in (None, ""))


def text(found: dict) -> str:
    """What --verify says, in the terminal's language (the cells' labels are the workbook's)."""
    commit = found["commit"][:asof.SHORT]
    lines = [_("{file}: {month}, made from commit {commit}, clocks judged at {when}").format(
        file=found["file"], month=found["month"], commit=commit, when=f"{found['as_of']:%Y-%m-%d %H:%M}")]
    differences, uncommitted = found["differences"], found["uncommitted"]
    if uncommitted:
        lines.append((_("made from {count} uncommitted file(s): no history holds what it was made from, so it cannot "
                        "be verified; {cells} cell(s) differ from commit {commit}:") if differences else
                      _("made from {count} uncommitted file(s): no history holds what it was made from, so it cannot "
                        "be verified")).format(count=uncommitted, cells=len(differences), commit=commit))
    elif differences:
        lines.append(_("edited by hand: {cells} cell(s) differ from the records at commit {commit}:").format(
            cells=len(differences), commit=commit))
    else:
        lines.append(_("every figure matches the records at commit {commit}").format(commit=commit))
    lines += ["  " + _("{cell} {label}: the file has {file}, the records {records}").format(
        cell=d["cell"], label=d["label"], file=_shown(d["file"]), records=_shown(d["records"])) for d in differences]
    changed = found["changed_since"]
    if changed:
        lines.append(_("changed since commit {commit} (git diff --name-status {commit} HEAD):").format(commit=commit))
        lines += [f"  {c['status']} {c['path']}" for c in changed]
    else:
        lines.append(_("no order file of the period, office.yaml or catalogue changed since commit {commit}").format(
            commit=commit))
    return "\n".join(lines)


def _shown(value) -> str:
    return _("nothing") if value is None else repr(value) if isinstance(value, str) else str(value)
