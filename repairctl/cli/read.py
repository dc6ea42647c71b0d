"""The commands that read orders: one order, lists, CSV for Excel, slips, history, what is late, the month's figures."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import click

from repairctl.cli import completion
from repairctl.cli.options import (
    DATE,
    DURATION,
    MONTH,
    ORDER_ID,
    TIME,
    WORKBOOK,
    format_option,
    order_filters,
    order_id_argument,
    report_options,
)
from repairctl.cli.session import Quiet, name_left_out, pass_session
from repairctl.text.i18n import _, ngettext

UNREAD = 3  # overdue's exit status when it could not read every order file


@click.command(help=_("Show one order."))
@order_id_argument
@format_option("text", "json")
@pass_session
def show(session, order_id, fmt):
    from repairctl.orders import query, reading, records
    from repairctl.reports import card, jsonview

    office = session.office
    path = records.locate(office.orders_dir, order_id)
    order = query.stored_order(office, path) or reading.read(path, office.tz)
    click.echo(jsonview.dumps(card.order_json(office, order)) if fmt == "json" else card.order_text(office, order))


@click.command("list", help=_("List orders, oldest first."))
@order_filters
@format_option("table", "csv", "json")
@pass_session
def list_(session, fmt, **filters):
    office = session.office_to_read
    from repairctl.orders import query
    from repairctl.reports import jsonview, views

    rows = views.list_rows(query.find(office, **filters))
    if fmt == "table":
        lines = [views.list_table(rows, filters)]
    else:  # streamed, so 100,000 orders never sit in memory at once
        lines = views.csv_lines(rows, views.LIST_COLUMNS) if fmt == "csv" else jsonview.lines(rows)
    for line in lines:
        click.echo(line)
    if name_left_out(office):
        raise Quiet()


@click.command(help=_("Orders as CSV for Excel: UTF-8 with BOM, Chinese headers, one row per order (re-imports with "
                      "`import`)."))
@order_filters
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help=_("Write to FILE (default: stdout)."))
@pass_session
def export(session, output, **filters):
    office = session.office_to_read
    from repairctl.exchange import export as exporting
    from repairctl.orders import query
    from repairctl.store.files import write_atomic

    data, count = exporting.export_bytes(office, query.find(office, **filters))
    if output:
        write_atomic(output, data)  # a crash never leaves half a sheet
        click.echo(ngettext("wrote {path}: {n} order", "wrote {path}: {n} orders", count).format(path=output, n=count))
    else:
        click.echo(data, nl=False)  # bytes: written as they are, BOM and CRLF kept
    if name_left_out(office):
        raise Quiet()


@click.command(help=_("Print repair slips (维修单), each once per copy: of the orders ID..., or with --date of a "
                      "day's jobs as one print-ready HTML page, a slip a page."))
@click.argument("order_ids", type=ORDER_ID, nargs=-1, metavar="[ID]...")
@click.option("--date", "day", type=DATE, help=_("The slips of this day's jobs (as `dispatch` lists them), as HTML."))
@click.option("--tech", metavar="NAME", shell_complete=completion.technicians,
              help=_("With --date: only this technician's jobs."))
@click.option("--copy", "copies", multiple=True, metavar="NAME", help=_("Only this copy (e.g. 业户联); repeatable."))
@click.option("--html", is_flag=True, help=_("A print-ready HTML page instead of text."))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help=_("Write to FILE."))
@pass_session
def slip(session, order_ids, day, tech, copies, html, output):
    from repairctl.reports import daysheet, slips

    if bool(order_ids) == bool(day) or (tech and not day):
        raise click.UsageError(_("give the order IDs, or --date DAY [--tech NAME], e.g. `repairctl slip HQ-000007` or "
                                 "`repairctl slip --date 2026-11-25 -o slips.html`"))
    orders = (slips.orders_of(session.office, order_ids) if order_ids
              else [job.order for job in daysheet.jobs(session.office_to_read, day, tech)])
    if not orders:
        return click.echo(_("no jobs on {day}; nothing to print (`repairctl dispatch --date {day}` lists a day's "
                            "jobs)").format(day=day))
    text = slips.render_slips(session.office, orders, list(copies) or None, html=html or bool(day))
    _write_or_echo(text, output)
    if day and name_left_out(session.office):  # a job in a file that cannot be read has no slip: named
        raise Quiet()


def _write_or_echo(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text, encoding="utf-8")
        return click.echo(_("wrote {path}").format(path=output))
    click.echo(text, nl=False)


@click.command(help=_("A technician's day sheet (派工单): each job of the day with its unit, contact, time, item, time "
                      "standard and notes, ordered by building for the route; one sheet per technician."))
@click.option("--date", "day", type=DATE, default="today", show_default=_("today"), help=_("The day."))
@click.option("--tech", metavar="NAME", shell_complete=completion.technicians, help=_("Only this technician's sheet."))
@click.option("--html", is_flag=True, help=_("A print-ready HTML page, a sheet a page."))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help=_("Write to FILE."))
@pass_session
def dispatch(session, day, tech, html, output):
    from repairctl.reports import daysheet

    office = session.office_to_read
    found = daysheet.jobs(office, day, tech)
    _write_or_echo((daysheet.sheet_html if html else daysheet.sheet_text)(office, day, found, tech), output)
    if name_left_out(office):
        raise Quiet()


@click.command(help=_("The order's history from git: when, who, what (exit status 1, after it, if the file cannot be "
                      "read now)."))
@order_id_argument
@pass_session
def log(session, order_id):
    from repairctl.orders import reading, records
    from repairctl.reports import views
    from repairctl.store import gitlog

    path = records.locate(session.office.orders_dir, order_id)
    entries = gitlog.history(session.office.root, str(path.relative_to(session.office.root)))
    click.echo(views.history_text(entries, session.office.tz) or _("{id} has no commits yet").format(id=order_id))
    try:
        reading.read(path, session.office.tz)
    except reading.Unreadable as exc:
        click.echo(_("warning: {message}").format(message=exc), err=True)
        raise Quiet() from None


@click.command(help=_("What is late or falls due soon (超时/临期), most late first.\n\nExit status: 0 nothing late, 1 "
                      "something late, 3 some order files cannot be read (named on stderr; one of them may be late), "
                      "whatever else the table shows."))
@click.option("--at", type=TIME, help=_("Judge at this time instead of now, e.g. '2026-11-23 14:00'."))
@click.option("--within", type=DURATION, default="2h", show_default=True,
              help=_("Also list what falls due within this time: 90m, 2h, 1d."))
@format_option("table", "csv", "json")
@pass_session
def overdue(session, at, within, fmt):
    office = session.office_to_read
    from repairctl.cli.complaints import name_unread
    from repairctl.office import escalation
    from repairctl.orders import complaintindex, query, sla
    from repairctl.reports import jsonview, views

    at = at or office.now()
    sla.levels(office.config)  # a bad setting is reported even when no order file needs reading
    edits = complaintindex.look(office)  # git looks for edited complaint files meanwhile (issue 15 §3)
    found = query.open_clocks(office, sla.later(at, within))
    more, unread = complaintindex.open_clocks(office, sla.later(at, within), edits)  # their first answers
    found = sla.most_late_first([*found, *more], at, within)
    left_out = name_left_out(office, among_open=True) + name_unread(unread)
    rows = views.overdue_rows(found, at, escalation.steps(office.config))  # who acts next on a late clock
    table = partial(views.overdue_table, complete=not left_out)  # never "nothing late" unless all was read
    click.echo({"table": table, "csv": views.overdue_csv, "json": jsonview.dumps}[fmt](rows))
    if left_out:
        raise Quiet(UNREAD)  # for cron: the answer may miss a late order
    if any(row["late_minutes"] > 0 for row in rows):
        raise Quiet()  # for cron: something is late


@click.command(help=_("Monthly statistics of the orders received in MONTH (月度统计), each measure beside its "
                      "target.\n\nRefused while an order file of the month cannot be read, unless --allow-broken. Exit "
                      "status with --verify: 0 when every figure matches its commit, 1 when one does not (or cannot "
                      "be told)."))
@click.argument("month", type=MONTH, required=False)
@report_options
@pass_session
def monthly(session, month, out, full_contacts, allow_broken, as_of, verify, fmt):
    if verify:
        return _verify(session.office, verify, fmt, month or out or as_of or full_contacts or allow_broken)
    if not month:
        raise click.UsageError(_("give the MONTH to report, e.g. 2026-10 (or --verify FILE.xlsx)"))
    _report(session, month, out, full_contacts, allow_broken, as_of, fmt)


def _report(session, label: str, out, full_contacts: bool, allow_broken: bool, as_of, fmt: str) -> None:
    """The figures of a month or week (label 2026-10 or 2026-W45), and the workbook with out: `monthly`, `report`."""
    from repairctl.reports import jsonview, provenance, views

    report, rows = _monthly(session, label, as_of, allow_broken)
    click.echo(jsonview.dumps(report) if fmt == "json" else f"{views.monthly_text(report)}\n{provenance.text(report)}")
    if out:
        from repairctl.reports.workbook import write_workbook

        wrote = write_workbook(report, rows, out, full_contacts=full_contacts, allow_broken=allow_broken)
        click.echo(_("wrote {path}").format(path=wrote), err=fmt == "json")


def _monthly(session, month: str, as_of: str | None, allow_broken: bool) -> tuple[dict, list[dict]]:
    """The report of month, from the work tree or (as_of) from history; the files left out named on stderr."""
    if not as_of:
        from repairctl.reports import stats

        office = session.office_to_read
        report, rows = stats.monthly(office, month, allow_broken=allow_broken)
        name_left_out(office, report["period"]["months"])  # --allow-broken: still named, and in the report
        for line in report["complaints"]["left_out"]:  # complaint files of the period, likewise
            click.echo(line, err=True)
        return report, rows
    from repairctl.reports import asof

    left_out: list[str] = []  # named as git names the commit's files: the copy read is gone
    report, rows = asof.monthly(session.office, month, asof.point(session.office, as_of), allow_broken=allow_broken,
                                notes=left_out)
    for line in left_out:
        click.echo(line, err=True)
    return report, rows


def _verify(office, path: Path, fmt: str, other) -> None:
    """monthly --verify: the workbook against its commit; exit status 1 unless every figure matches."""
    if other:
        raise click.UsageError(_("--verify takes the month and options from the workbook: give nothing else but "
                                 "--format"))
    from repairctl.reports import jsonview, verify

    found = verify.verify(office, path)
    click.echo(jsonview.dumps(found) if fmt == "json" else verify.text(found))
    if not found["matches"]:
        raise Quiet()


@click.command(help=_("Fees charged, and whether each is paid (应收/实收/减免/未收), for the finance desk."))
@click.option("--month", type=MONTH, help=_("Only orders received in this month's report period (as `monthly`)."))
@click.option("--unpaid", is_flag=True, help=_("Only fees still due."))
@format_option("table", "json")
@pass_session
def fees(session, month, unpaid, fmt):
    office = session.office_to_read
    from repairctl.reports import fees, jsonview

    found = fees.rows(office, month, unpaid=unpaid)
    click.echo(jsonview.dumps(fees.summary(found, month, unpaid)) if fmt == "json" else fees.text(found, month, unpaid))
    if name_left_out(office):
        raise Quiet()


@click.command(help=_("Several offices' month (公司汇总): each office's monthly figures and targets, the total, a "
                      "ranking.\n\nOFFICE is an office folder, or a company file listing office folders "
                      "(docs/formats.md). Refused while an office or an order file of the month cannot be read, "
                      "unless --allow-broken."))
@click.argument("month", type=MONTH)
@click.argument("offices", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="OFFICE...")
@click.option("--out", type=WORKBOOK, help=_("Also write the company workbook to FILE.xlsx."))
@click.option("--allow-broken", is_flag=True,
              help=_("Roll up even when an office or an order file of the month cannot be read: left out, and named."))
@format_option("text", "json")
def rollup(month, offices, out, allow_broken, fmt):
    from repairctl.office.company import company
    from repairctl.reports import jsonview
    from repairctl.reports import rollup as rolling

    done = rolling.rollup(company(list(offices)), month, allow_broken=allow_broken)
    for line in done.warnings:  # what was left out, or counted once: named, never silent
        click.echo(line, err=True)
    click.echo(jsonview.dumps(done.as_json()) if fmt == "json" else rolling.rollup_text(done))
    if out:
        from repairctl.reports.companybook import write_company_book

        click.echo(_("wrote {path}").format(path=write_company_book(done, out)), err=fmt == "json")


@click.command(help=_("Each technician's jobs on a day: open at its end and done on it, with the catalogue's time "
                      "standards summed (the load `assign ID` without --to orders by)."))
@click.option("--date", "day", type=DATE, default="today", show_default=_("today"), help=_("The day."))
@format_option("table", "json")
@pass_session
def workload(session, day, fmt):
    from repairctl.reports import jsonview
    from repairctl.reports import workload as loads

    found = loads.rows(session.office_to_read, day)
    click.echo(jsonview.dumps({"date": day.isoformat(), "technicians": found}) if fmt == "json"
               else loads.table(day, found))


COMMANDS = [show, list_, export, slip, log, overdue, monthly, rollup, dispatch, fees, workload]
