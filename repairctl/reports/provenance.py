"""What a monthly report was made from, said in its JSON, its text and its workbook.

Every report names the commit it was made from (``commit``, the full hash; None outside git),
the office.yaml in force (``settings``: its path and git's blob hash of its bytes) and the files
it read that git does not hold as that commit has them (``uncommitted``: office.yaml, the
catalogue and the order files read; None outside git). A report made from uncommitted files
cannot be made again from history, and says so. The workbook keeps the same, and the month and
the options that change its cells, as custom document properties (Excel: File > Info >
Properties > Advanced > Custom), where `monthly --verify` reads them back.
"""

from __future__ import annotations

import datetime as dt

from repairctl.store import history
from repairctl.store.files import ORDERS
from repairctl.text.i18n import _, ngettext

SETTINGS = "office.yaml"
# besides the order files: what a report reads (calendar.yaml: the due times of working-time clocks)
READ = (SETTINGS, "catalog.yaml", "suppliers.yaml", "calendar.yaml")
PREFIX, VERSION = "repairctl.", 1  # the custom properties' names begin with PREFIX
LABELS = {"source": "数据来源", "commit": "提交 (commit)", "no_git": "无：办公室不在 git 中，本报告无法按提交复现",
          "uncommitted": "注意：本报告用了 {count} 个未提交的文件，无法按提交复现", "file": "未提交",
          "value": "标识"}
HEADER = "DDEBF7"  # workbook.HEADER, the fill of a header cell
SHOWN = 5  # uncommitted files the terminal names before "…"


def stamp(office, months: list[str], orders) -> dict:
    """The provenance of a report of months made now from office's files, orders being the orders it read."""
    settings = {"path": SETTINGS, "blob": history.blob_of(office.root if office.in_git else None,
                                                          office.root / SETTINGS)}
    if not office.in_git:
        return {"commit": None, "settings": settings, "uncommitted": None}
    commit, prefix = office.git_head
    folders = {f"{ORDERS}/{month.replace('-', '/')}" for month in months}
    read = {str(o.path.relative_to(office.root)) for o in orders}
    earlier = {path for path in read if path.rpartition("/")[0] not in folders}  # rework's earlier orders
    asked = [*READ, *sorted(folders), *sorted({path.rpartition("/")[0] for path in earlier})]
    # the earlier orders' folders hold files the report did not read: only those it read count
    changed = [path for path in history.uncommitted(office.root, asked, prefix)
               if path in READ or path in earlier or any(path.startswith(f"{folder}/") for folder in folders)]
    return {"commit": commit, "settings": settings, "uncommitted": changed}


def text(report: dict) -> str:
    """The terminal's lines saying what the report was made from (the workbook says it with LABELS)."""
    commit, uncommitted = report.get("commit"), report.get("uncommitted") or []
    lines = [_("made from: commit {commit}, {settings} {blob}").format(
        commit=commit, settings=SETTINGS, blob=report["settings"]["blob"][:12]) if commit else
        _("made from: no commit (the office is not in git, so this report cannot be made again from a commit)")]
    if uncommitted:
        names = ", ".join(uncommitted[:SHOWN]) + (" …" if len(uncommitted) > SHOWN else "")
        lines.append(ngettext("note: this report read {count} uncommitted file, so it cannot be made again from a "
                              "commit: {names}",
                              "note: this report read {count} uncommitted files, so it cannot be made again from a "
                              "commit: {names}", len(uncommitted)).format(count=len(uncommitted), names=names))
    return "\n".join(lines)


def write(book, ws, report: dict, *, full_contacts: bool, allow_broken: bool) -> None:
    """Say on the summary sheet ws, below its figures, what the report was made from; keep it, the month
    and the options that change cells in book's custom document properties."""
    from openpyxl.packaging.custom import BoolProperty, IntProperty, StringProperty

    write_lines(ws, report)
    commit, uncommitted = report.get("commit"), report.get("uncommitted") or []
    # a week's label (2026-W45) where a month's is: --verify makes either again from it
    label = report["month"] or report["period"]["label"]
    seal = {"version": VERSION, "month": label, "as_of": report["as_of"], "commit": commit or "",
            "settings_path": SETTINGS, "settings_blob": report["settings"]["blob"],
            "uncommitted": -1 if report.get("uncommitted") is None else len(uncommitted),
            "full_contacts": full_contacts, "allow_broken": allow_broken}
    kinds = {bool: BoolProperty, int: IntProperty, str: StringProperty}
    for key, value in seal.items():
        book.custom_doc_props.append(kinds[type(value)](name=PREFIX + key, value=value))


def write_lines(ws, report: dict) -> None:
    """Say on the sheet ws, below its figures, what the report was made from: commit, office.yaml, and any
    file read uncommitted (the monthly workbook's summary, and each office's sheet of a company workbook)."""
    # openpyxl here, not at the top: every report is stamped, and most write no workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font, PatternFill

    def put(row: int, col: int, value: str):
        cell = ws.cell(row, col, ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # a file called =x.yaml stays a name, never a formula
        return cell

    row = ws.max_row + 2
    for col, label in enumerate((LABELS["source"], LABELS["value"]), 1):  # a header: --verify names cells by it
        cell = put(row, col, label)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor=HEADER)
    commit, uncommitted = report.get("commit"), report.get("uncommitted") or []
    put(row + 1, 1, LABELS["commit"])
    put(row + 1, 2, commit or LABELS["no_git"])
    put(row + 2, 1, SETTINGS)
    put(row + 2, 2, report["settings"]["blob"])
    if uncommitted:  # where the figures are read: these cannot be made again from history
        put(row + 3, 1, LABELS["uncommitted"].format(count=len(uncommitted))).font = Font(bold=True, color="C00000")
        for offset, name in enumerate(uncommitted, start=4):
            put(row + offset, 1, LABELS["file"])
            put(row + offset, 2, name)


def read(book) -> dict | None:
    """The provenance write() kept in book (openpyxl's), or None when it holds none."""
    found = {p.name.removeprefix(PREFIX): p.value for p in book.custom_doc_props.props if p.name.startswith(PREFIX)}
    if found.get("version") != VERSION or not found.get("month") or not found.get("as_of"):
        return None
    return {**found, "commit": found.get("commit") or None, "as_of": dt.datetime.fromisoformat(found["as_of"]),
            "full_contacts": bool(found.get("full_contacts")), "allow_broken": bool(found.get("allow_broken"))}
