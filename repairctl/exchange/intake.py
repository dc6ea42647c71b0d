"""`import`: new orders from an intake sheet (a day's phone log), all or nothing.

Every row goes through the checks of `new` (actions.draft_order) before anything is
written; any problem, in any row, and nothing is written. Otherwise the orders get
consecutive IDs and are committed together, in one commit covered by the journal.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from repairctl.errors import Problem, RepairError, field_problem
from repairctl.office import registry, settings
from repairctl.office.folder import Office
from repairctl.orders import actions, desk, query
from repairctl.store import csvio, gitlog, progress
from repairctl.text import clock, headers, terms
from repairctl.text.i18n import _, ngettext
from repairctl.text.inputs import unit_key

REQUIRED = ("unit", "name", "phone", "description")
# Columns of `export` that say what happened after intake: an exported sheet re-imports without them.
EXPORT_ONLY = ("id", "technician", "status", "arrived", "finished", "materials", "labour", "waived", "fee", "callback")
IGNORED = {csvio.header_key(headers.EXPORT[key]) for key in EXPORT_ONLY}
CHANNELS = {**{csvio.header_key(code): code for code in terms.CHANNEL},
            **{csvio.header_key(word): code
               for code, label in terms.CHANNEL.items() for word in (label, *label.split("/"))},
            **headers.CHANNEL_WORDS}
CODE_RE = re.compile(r"^([A-Za-z]+\d+)")


@dataclass
class Plan:
    """What an import would do: the checked rows (Excel row, draft), every error, and notes for the clerk."""

    path: Path
    encoding: str
    rows: list[tuple[int, desk.Draft]] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)  # FILE:ROW:COLUMN, rows as Excel numbers them
    notes: list[str] = field(default_factory=list)


def _known_columns() -> str:
    return ", ".join(f"{words[0]} ({key})" for key, words in headers.INTAKE_HEADER.items())


def _header(sheet: csvio.Sheet, shown: str, plan: Plan) -> dict[str, int]:
    found, unknown = csvio.columns(sheet.header, headers.INTAKE_HEADER)
    ignored = []
    for index, text in unknown:
        if csvio.header_key(text) in IGNORED:
            ignored.append(text.strip())
        elif text.strip() or any(csvio.cell(cells, index) for _, _, cells in sheet.rows):
            plan.errors.append(Problem(Path(shown), 1, text.strip() or _("column {n}").format(n=index + 1),
                                       _("unknown column {name}; the columns are {known}").format(
                                           name=repr(text.strip()), known=_known_columns())))
    for key in REQUIRED:
        if key not in found:
            plan.errors.append(Problem(Path(shown), 1, headers.INTAKE_HEADER[key][0],
                                       _("no {header} ({key}) column; a sheet needs {needed}").format(
                                           header=headers.INTAKE_HEADER[key][0], key=key,
                                           needed=", ".join(headers.INTAKE_HEADER[k][0] for k in REQUIRED))))
    if ignored:
        plan.notes.append(_("{path}: columns left out (they are not part of a new order): {columns}").format(
            path=shown, columns=", ".join(ignored)))
    return found


def _yes_no(text: str, label: str) -> bool:
    word = csvio.header_key(text)
    if word in headers.YES:
        return True
    if word in headers.NO:
        return False
    raise RepairError(_("{label} {value} is neither yes nor no; write 是 or 否").format(label=label, value=repr(text)))


def _channel(text: str, label: str) -> str:
    if not text:
        return "phone"
    code = CHANNELS.get(csvio.header_key(text))
    if code is None:
        raise RepairError(_("{label} {value} is not a channel; write one of {words} (or {codes})").format(
            label=label, value=repr(text), words=", ".join(w.split("/")[0] for w in terms.CHANNEL.values()),
            codes=", ".join(terms.CHANNEL)))
    return code


def _item(text: str) -> str | None:
    """A catalogue code, alone or followed by its name as `export` writes it (W01 更换普通水龙头)."""
    match = CODE_RE.match(text)
    return match[1] if match else text or None


def _row(office: Office, values: dict, labels: dict, context: dict) -> tuple[desk.Draft | None, list[Problem]]:
    """Check one row: its own cells (yes/no, channel, times), then every check of `new`."""
    problems: list[Problem] = []

    def parse(key, convert, default=None):
        if not values.get(key):
            return default
        try:
            return convert(values[key], labels[key])
        except RepairError as exc:
            # the time's own refusal, said of the sheet's column: "time '昨天 25:00' …" is "受理时间 '昨天 25:00' …"
            message = str(exc).replace(_("time {text}").format(text=repr(values[key])),
                                       f"{labels[key]} {values[key]!r}")
            problems.append(field_problem(key, message))
            return default

    at = parse("at", lambda text, _: clock.parse_time(text, office.tz), default=context["at"])
    appointment = parse("appointment", lambda text, _: clock.parse_time(text, office.tz, default=at or office.now()))
    draft = None
    try:
        draft = actions.draft_order(
            office, unit=values.get("unit", ""), name=values.get("name"), phone=values.get("phone"),
            description=values.get("description", ""), item=_item(values.get("item", "")),
            channel=parse("channel", _channel, default="phone"), emergency=parse("emergency", _yes_no, default=False),
            public=parse("public", _yes_no, default=False), appointment=appointment,
            at=at, by=values.get("by") or context["by"], force=context["force"],
            orders=context["orders"], owners=context["owners"], labels=labels)
    except actions.Refused as refused:
        problems += refused.problems
    return (None if problems else draft), problems


def _tidy(message: str, label: str) -> str:
    """A message of `new`'s checks, said of a cell whose column the error already names."""
    if message.startswith(_("{option} is empty; give a value").format(option=label)):
        return _("empty; every row needs one")
    if message.startswith("--at ") and label != "--at":  # a 受理时间 cell, checked as `new` checks --at
        return message.removeprefix("--at ")
    if message.startswith(f"{label} is missing"):
        return "empty" + message[len(f"{label} is missing"):]
    return message.removeprefix(f"{label} ") if message.startswith(f"{label} '") else message


def plan(office: Office, path: Path, *, force: bool = False, at: dt.datetime | None = None,
         by: str | None = None) -> Plan:
    """Read and check the whole sheet, writing nothing: every row's draft, or every problem."""
    shown = str(path)
    sheet = csvio.read(path)
    result = Plan(Path(path), sheet.encoding)
    if sheet.encoding != "UTF-8":
        result.notes.append(_("{path} is not UTF-8: read it as {encoding} (what Chinese Excel saves as CSV)").format(
            path=shown, encoding=sheet.encoding))
    found = _header(sheet, shown, result)
    if result.errors:
        return result
    if not sheet.rows:
        raise RepairError(_("{path}: no rows below the header; nothing to import").format(path=shown))
    forms = settings.same_forms(office.config)
    labels = {**actions.OPTION_NAMES, **{key: sheet.header[index].strip() for key, index in found.items()}}
    context = {"at": desk.event_time(office, at) if at else None, "force": force,
               "by": (desk.actor(office, by) if "by" not in found
                      else (by or "").strip() or gitlog.user_name(office.root)),
               "orders": list(query.find(office, status="open")), "owners": registry.usable(office.root, forms)}
    seen: dict[tuple[str, str], int] = {}
    for row, _line, cells in progress.shown(sheet.rows, len(sheet.rows), _("checking the sheet's rows")):
        values = {key: csvio.restore(csvio.cell(cells, index)) for key, index in found.items()}
        draft, problems = _row(office, values, labels, context)
        code = (_item(values.get("item", "")) or "").upper()
        key = ((unit_key(values.get("unit"), forms), code) if values.get("unit") and code in office.catalogue.items
               else None)
        if key in seen and not force:
            problems.append(field_problem("item", _("row {row} is already {unit} {code}: do not dispatch the same "
                                                    "job twice (003 §4.1.6), or pass --force if this is a different "
                                                    "fault").format(row=seen[key], unit=values["unit"], code=code)))
        elif key:
            seen[key] = row
        problems.sort(key=lambda problem: found.get(problem.column, len(sheet.header)))
        result.errors += [Problem(Path(shown), row, labels.get(p.column, p.column),
                                  _tidy(p.message, labels.get(p.column, p.column))) for p in problems]
        if draft and not problems:
            result.rows.append((row, draft))
            result.notes += [f"{shown}:{row}: {warning}" for warning in draft.warnings]
    return result


def create(office: Office, planned: Plan, *, by: str | None = None) -> list[desk.Outcome]:
    """Write every planned order with consecutive IDs, in one commit; nothing if the plan has errors."""
    if planned.errors:
        count = len(planned.errors)
        raise RepairError(ngettext("{path}: {n} problem; nothing imported", "{path}: {n} problems; nothing imported",
                                   count).format(path=planned.path, n=count))
    message = f"import {planned.path.name}: {len(planned.rows)} orders"
    created = desk.create_many(office, [draft for _row, draft in planned.rows], message=message,
                               by=desk.actor(office, by), at=office.now())
    # the same for every order
    planned.notes += [_("warning: {warning}").format(warning=warning) for warning in created[0].warnings]
    return created


def summary(planned: Plan, created: list[desk.Outcome], dry_run: bool) -> dict:
    """What `import --format json` prints."""
    ids = [outcome.order.id for outcome in created]
    orders = [{"row": row, **({"id": ids[n]} if ids else {}), "unit": d.fields["unit"],
               "description": d.fields["description"], "item": d.fields.get("item") or d.fields.get("supplier_job")}
              for n, (row, d) in enumerate(planned.rows)]
    return {"file": str(planned.path), "encoding": planned.encoding, "dry_run": dry_run, "imported": len(ids),
            "orders": orders, "errors": [{"path": str(e.path), "row": e.line, "column": e.column, "message": e.message}
                                                     for e in planned.errors], "notes": planned.notes}


def text(planned: Plan, created: list[desk.Outcome], dry_run: bool) -> str:
    """What `import` prints: one line per order (created, or that would be), then the outcome."""
    data = summary(planned, created, dry_run)
    lines = ["  ".join(filter(None, [o.get("id"), _("row {n}").format(n=o["row"]), o["unit"], o["description"],
                                     o["item"]]))
             for o in data["orders"]]
    name = planned.path.name
    if created:
        n, first, last = len(created), created[0].order.id, created[-1].order.id
        said = (ngettext("imported {n} order from {name} ({first} … {last})",
                         "imported {n} orders from {name} ({first} … {last})", n) if created[0].warnings
                else ngettext("imported {n} order from {name} ({first} … {last}) in one commit",
                              "imported {n} orders from {name} ({first} … {last}) in one commit", n))
        lines.append(said.format(n=n, name=name, first=first, last=last))
    elif dry_run and not planned.errors:
        n = len(planned.rows)
        lines.append(ngettext("would import {n} order from {name}; nothing written (--dry-run)",
                              "would import {n} orders from {name}; nothing written (--dry-run)", n)
                     .format(n=n, name=name))
    return "\n".join(lines)
