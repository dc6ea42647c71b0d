"""The ``repairctl`` commands: each reads its options, calls one library function and prints."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from repairctl import __version__
from repairctl.cli.options import (
    AMOUNT,
    DURATION,
    MATERIAL,
    MONTH,
    TIME,
    WORKBOOK,
    Desk,
    event_options,
    exactly_one,
    format_option,
    order_id_argument,
)
from repairctl.errors import RepairError


class RepairGroup(click.Group):
    """Turns the library's errors into one-line messages and exit status 1, at the edge only."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except RepairError as exc:
            raise click.ClickException(str(exc)) from None
        except BrokenPipeError:
            # the reader went away (`| head`): stop quietly, as Unix tools do; stdout goes nowhere now
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except OSError as exc:
            raise click.ClickException(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")) from None


def report(outcome, message: str) -> None:
    """Print what a command did, and its warnings on stderr."""
    for warning in outcome.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(message)


def perform(desk, order_id: str, step, at, by, message=None) -> None:
    """Carry out one step on an order (lock, edit, commit) and print what was done.

    message is the line to print, or a function of the outcome giving it; default: the summary.
    """
    from repairctl.orders.desk import change

    outcome = change(desk.office, order_id, step, at=at, by=by)
    text = message(outcome) if callable(message) else message
    report(outcome, text or f"{order_id} {outcome.summary}")


def warn_unreadable(office) -> None:
    """Say on stderr when broken order files were left out of an answer."""
    from repairctl.orders import query

    if count := query.unreadable(office):
        click.echo(f"warning: {count} order file(s) cannot be read and are left out; `repairctl check` names them",
                   err=True)


@click.group(cls=RepairGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), envvar="REPAIRCTL_ROOT",
              help="The office folder (default: $REPAIRCTL_ROOT, else the nearest folder up with office.yaml).")
@click.version_option(__version__, prog_name="repairctl")
@click.pass_context
def cli(ctx, root):
    """The repair desk of a property-management office (管理处): one YAML file per work order, git as the audit trail."""
    ctx.obj = Desk(root)
    ctx.call_on_close(ctx.obj.close)


pass_desk = click.make_pass_decorator(Desk)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--site", default="HQ", show_default=True, help="Site code, the prefix of every order ID.")
@click.option("--name", help="The office's name, printed on slips.")
def init(directory, site, name):
    """Create a new office folder with the default catalogue, suppliers, templates and config."""
    from repairctl.office.folder import init_office

    click.echo(f"created office {site.upper()} in {init_office(directory, site, name)}")


@cli.command()
@click.option("--unit", required=True, help="Unit or address, e.g. 3栋1201 (with --public, a place like 3栋大堂).")
@click.option("--name", help="Owner's (or caller's) name; with records/units.csv, may be left to the registry.")
@click.option("--phone", help="Contact phone; with records/units.csv, may be left to the registry.")
@click.option("--desc", "description", required=True, help="What is wrong, in the owner's words.")
@click.option("--item", metavar="CODE", help="Catalogue code (E01, W01, C01 …) or supplier job (S01 …).")
@click.option("--channel", type=click.Choice(["phone", "walk-in", "written", "staff", "online"]), default="phone",
              show_default=True, help="How the request came in.")
@click.option("--appointment", type=TIME, help="Agreed visit time (预约维修); default: an immediate repair.")
@click.option("--emergency", is_flag=True, help="An emergency (burst pipe, power cut …).")
@click.option("--public", is_flag=True, help="A public area (公共区域), not inside a unit.")
@click.option("--force", is_flag=True, help="Record it even if an open order exists for the same unit and item, "
              "or the caller is not on record as an owner of the unit.")
@format_option("text", "json")
@event_options
@pass_desk
def new(desk, fmt, **options):
    """Record a new repair request and print its ID."""
    from repairctl.orders import actions
    from repairctl.reports import views

    outcome = actions.new_order(desk.office, **options)
    report(outcome, views.dumps(views.new_summary(desk.office, outcome)) if fmt == "json"
           else views.new_text(desk.office, outcome))


@cli.command()
@order_id_argument
@click.option("--to", required=True, metavar="NAME", help="The technician.")
@click.option("--item", metavar="CODE", help="Classify the order at dispatch (catalogue code).")
@event_options
@pass_desk
def assign(desk, order_id, to, item, at, by):
    """Dispatch a technician to an order (派工)."""
    from repairctl.office import registry
    from repairctl.orders import steps

    registry.check_technician(registry.usable(desk.office_root), to.strip())
    perform(desk, order_id, steps.assign(desk.office, to=to, item=item), at, by, f"{order_id} 已派工给 {to}")


@cli.command()
@order_id_argument
@click.option("--arrived", is_flag=True, help="The technician is on site.")
@click.option("--absent", is_flag=True, help="The owner was not at home: prints the message note.")
@click.option("--reschedule", type=TIME, help="A new visit time agreed with the owner.")
@event_options
@pass_desk
def visit(desk, order_id, arrived, absent, reschedule, at, by):
    """Record a visit: arrived, owner absent (留言条), or a new time agreed."""
    from repairctl.orders import steps

    mode = exactly_one(arrived=arrived, absent=absent, reschedule=reschedule)
    if reschedule:
        return perform(desk, order_id, steps.reschedule(desk.office, when=reschedule), at, by)
    if mode == "arrived":
        return perform(desk, order_id, steps.arrive(), at, by, f"{order_id} 已到场")
    from repairctl.reports.slips import render_note

    perform(desk, order_id, steps.absent(), at, by, lambda outcome: render_note(desk.office, outcome.order))


@cli.command()
@order_id_argument
@click.option("--work", help="Work done.")
@click.option("--material", "materials", type=MATERIAL, multiple=True, help="Material used; repeat for each.")
@click.option("--labour", type=AMOUNT, help="Labour charge in yuan.")
@click.option("--opinion", help="The owner's opinion (业户意见).")
@click.option("--signed-by", help="Who signed the slip.")
@click.option("--fee-pending", is_flag=True, help="The fee could not be settled on site (settle it later with `fee`).")
@click.option("--waive", type=AMOUNT, help="Amount waived (减免), in yuan.")
@click.option("--approved-by", metavar="NAME", help="Who approved the waiver.")
@click.option("--approver-role", type=click.Choice(["director", "company"]), help="物业总监 (director) or 公司领导 (company).")
@event_options
@pass_desk
def close(desk, order_id, at, by, **options):
    """Record the job finished and signed for (完工验收)."""
    from repairctl.orders import steps

    perform(desk, order_id, steps.close(**options), at, by)


@cli.command()
@order_id_argument
@click.option("--amount", type=AMOUNT, required=True, help="The fee settled, in yuan.")
@event_options
@pass_desk
def fee(desk, order_id, amount, at, by):
    """Settle a fee left pending at close (工程主管会同客服确定收费)."""
    from repairctl.orders import steps

    perform(desk, order_id, steps.settle_fee(amount=amount), at, by)


@cli.command()
@order_id_argument
@click.option("--method", type=click.Choice(["phone", "visit", "intercom", "questionnaire"]), required=True)
@click.option("--satisfied/--unsatisfied", default=None, required=True, help="The owner's answer.")
@click.option("--reason", help="Why the owner is not satisfied.")
@event_options
@pass_desk
def callback(desk, order_id, at, by, **options):
    """Record the callback to the owner after the job (回访)."""
    from repairctl.orders import steps

    if options["satisfied"] is None:  # click does not enforce required on a flag pair
        raise click.UsageError("give the owner's answer: --satisfied or --unsatisfied --reason TEXT")

    perform(desk, order_id, steps.callback(**options), at, by)


@cli.command()
@order_id_argument
@click.option("--note", required=True, help="How the complaint was handled and what the owner was told.")
@event_options
@pass_desk
def followup(desk, order_id, note, at, by):
    """Record the follow-up of an unsatisfied callback (跟进回访, 004 §5.4.2)."""
    from repairctl.orders import steps

    perform(desk, order_id, steps.followup(note=note), at, by)


@cli.command()
@order_id_argument
@click.option("--reason", required=True, help="Why the order is cancelled.")
@event_options
@pass_desk
def cancel(desk, order_id, reason, at, by):
    """Cancel an open order."""
    from repairctl.orders import steps

    perform(desk, order_id, steps.cancel(reason=reason), at, by, f"{order_id} 已取消")


@cli.command()
@order_id_argument
@click.option("--job", "job_code", required=True, metavar="CODE", help="The supplier job (S01–S32).")
@event_options
@pass_desk
def refer(desk, order_id, job_code, at, by):
    """Refer an order to a specialist supplier after inspection (000 §2.2)."""
    from repairctl.orders import steps
    from repairctl.reports import views

    perform(desk, order_id, steps.refer(desk.office, job_code=job_code), at, by,
            lambda outcome: views.referral_text(desk.office, outcome.order))


@cli.command()
@order_id_argument
@format_option("text", "json")
@pass_desk
def show(desk, order_id, fmt):
    """Show one order."""
    from repairctl.orders import query, records
    from repairctl.reports import views

    path = records.locate(desk.office.orders_dir, order_id)
    order = query.stored_order(desk.office, path) or records.read(path, desk.office.tz)
    click.echo(views.dumps(views.order_json(order)) if fmt == "json" else views.order_text(desk.office, order))


@cli.command("list")
@click.option("--status", type=click.Choice(["received", "assigned", "arrived", "finished", "called_back",
                                             "cancelled", "referred", "open"]), help="Only orders in this state.")
@click.option("--month", type=MONTH, help="Only orders received in this month.")
@click.option("--tech", help="Only orders of this technician.")
@click.option("--unit", help="Only orders of this unit.")
@format_option("table", "csv", "json")
@pass_desk
def list_(desk, fmt, **filters):
    """List orders, oldest first."""
    office = desk.office_to_read
    from repairctl.orders import query
    from repairctl.reports import views

    rows = views.list_rows(query.find(office, **filters))
    if fmt == "table":
        lines = [views.list_table(rows)]
    else:  # streamed, so 100,000 orders never sit in memory at once
        lines = views.csv_lines(rows, views.LIST_COLUMNS) if fmt == "csv" else views.json_lines(rows)
    for line in lines:
        click.echo(line)
    warn_unreadable(office)


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and list what would be created; write nothing.")
@click.option("--force", is_flag=True, help="As for `new`: allow a second open order for a unit and item, or a caller not on record.")
@format_option("text", "json")
@event_options
@pass_desk
def import_(desk, file, dry_run, force, fmt, at, by):
    """Create orders from an intake sheet (CSV): every row is checked first; all are created, in one commit, or none."""
    from repairctl.exchange import intake
    from repairctl.reports import views

    with desk.office.lock():  # the duplicate checks and the writes as one step, as for `new`
        plan = intake.plan(desk.office, file, force=force, at=at, by=by)
        created = [] if dry_run or plan.errors else intake.create(desk.office, plan, by=by)
    for line in [*plan.notes, *map(str, plan.errors)]:
        click.echo(line, err=True)
    shown = views.dumps(intake.summary(plan, created, dry_run)) if fmt == "json" else intake.text(plan, created, dry_run)
    if shown:
        click.echo(shown)
    if plan.errors:
        raise click.ClickException(f"{len(plan.errors)} problem(s) in {file}; nothing was imported")


@cli.command()
@click.option("--month", type=MONTH, help="Only orders received in this month.")
@click.option("--status", type=click.Choice(["received", "assigned", "arrived", "finished", "called_back",
                                             "cancelled", "referred", "open"]), help="Only orders in this state.")
@click.option("--tech", help="Only orders of this technician.")
@click.option("--unit", help="Only orders of this unit.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE (default: stdout).")
@pass_desk
def export(desk, output, **filters):
    """Orders as CSV for Excel: UTF-8 with BOM, Chinese headers, one row per order (re-imports with `import`)."""
    office = desk.office_to_read
    from repairctl.exchange import export as exporting
    from repairctl.orders import query
    from repairctl.store.files import write_atomic

    data, count = exporting.export_bytes(office, query.find(office, **filters))
    if output:
        write_atomic(output, data)  # a crash never leaves half a sheet
        return click.echo(f"wrote {output}: {count} order{'' if count == 1 else 's'}")
    click.echo(data, nl=False)  # bytes: written as they are, BOM and CRLF kept


@cli.command()
@order_id_argument
@click.option("--copy", "copies", multiple=True, metavar="NAME", help="Only this copy (e.g. 业户联); repeatable.")
@click.option("--html", is_flag=True, help="A print-ready HTML page instead of text.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@pass_desk
def slip(desk, order_id, copies, html, output):
    """Print the repair slip (维修单), once per copy."""
    from repairctl.orders import records
    from repairctl.reports import slips

    order = records.read(records.locate(desk.office.orders_dir, order_id), desk.office.tz)
    text = slips.render_slip(desk.office, order, list(copies) or None, html=html)
    if output:
        output.write_text(text, encoding="utf-8")
        return click.echo(f"wrote {output}")
    click.echo(text, nl=False)


@cli.command()
@order_id_argument
@pass_desk
def log(desk, order_id):
    """The order's history from git: when, who, what."""
    from repairctl.orders import records
    from repairctl.reports import views
    from repairctl.store import gitlog

    path = records.locate(desk.office.orders_dir, order_id)
    entries = gitlog.history(desk.office.root, str(path.relative_to(desk.office.root)))
    click.echo(views.history_text(entries, desk.office.tz) or f"{order_id} has no commits yet")


@cli.command()
@click.option("--install-hook", is_flag=True, help="Also install check as the git pre-commit hook.")
@format_option("text", "json")
@pass_desk
def check(desk, install_hook, fmt):
    """Validate every order and office file: one line per problem (FILE:LINE:COL: message); exit 1 if any."""
    from repairctl.orders import check as checking
    from repairctl.reports import views

    if install_hook:
        click.echo(f"installed {checking.install_hook(desk.office_root)}", err=True)
    problems = checking.check_office(desk.office_root)
    click.echo(views.dumps([p.as_dict() for p in problems]) if fmt == "json" else "\n".join(map(str, problems)) or "ok")
    if problems:
        raise SystemExit(1)


@cli.command()
@pass_desk
def recover(desk):
    """Commit the order files a killed or crashed command left uncommitted (an import cut short is undone)."""
    from repairctl.store import journal

    with desk.office.lock():
        done = journal.recover(desk.office.root)
    click.echo(done or "nothing to recover")


@cli.command()
@click.option("--at", type=TIME, help="Judge at this time instead of now, e.g. '2026-11-23 14:00'.")
@click.option("--within", type=DURATION, default="2h", show_default=True,
              help="Also list what falls due within this time: 90m, 2h, 1d.")
@format_option("table", "csv", "json")
@pass_desk
def overdue(desk, at, within, fmt):
    """What is late or falls due soon (超时/临期), most late first; exit status 1 if anything is late."""
    office = desk.office_to_read
    from repairctl.orders import query, sla
    from repairctl.reports import views

    at = at or office.now()
    sla.levels(office.config)  # a bad setting is reported even when no order file needs reading
    found = sla.most_late_first(query.open_clocks(office, at + within), at, within)
    warn_unreadable(office)
    rows = views.overdue_rows(found, at)
    click.echo({"table": views.overdue_table, "csv": views.overdue_csv, "json": views.dumps}[fmt](rows))
    if any(row["late_minutes"] > 0 for row in rows):
        click.get_current_context().exit(1)  # for cron: something is late


@cli.command()
@click.argument("month", type=MONTH)
@click.option("--out", type=WORKBOOK, help="Also write the Excel workbook to FILE.xlsx.")
@click.option("--full-contacts", is_flag=True, help="Show owners' phone numbers in full in the workbook (default: masked).")
@format_option("text", "json")
@pass_desk
def monthly(desk, month, out, full_contacts, fmt):
    """Monthly statistics of the orders received in MONTH (月度统计), each measure beside its target."""
    office = desk.office_to_read
    from repairctl.reports import stats, views

    report, rows = stats.monthly(office, month)
    warn_unreadable(office)
    click.echo(views.dumps(report) if fmt == "json" else views.monthly_text(report))
    if out:
        from repairctl.reports.workbook import write_workbook

        click.echo(f"wrote {write_workbook(report, rows, out, full_contacts=full_contacts)}", err=fmt == "json")


def main() -> None:
    """Entry point of the repairctl executable."""
    cli(prog_name="repairctl")
