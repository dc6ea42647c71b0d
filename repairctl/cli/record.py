"""The commands that record what happens to orders: a new request, each step of its life, an intake sheet."""

from __future__ import annotations

from pathlib import Path

import click

from repairctl.cli import completion
from repairctl.cli.options import (
    AMOUNT,
    MATERIAL,
    TIME,
    WordChoice,
    answer_options,
    event_options,
    exactly_one,
    format_option,
    order_id_argument,
)
from repairctl.cli.session import pass_session, perform, tell
from repairctl.text import terms
from repairctl.text.i18n import _


@click.command(help=_("Record a new repair request and print its ID."))
@click.option("--unit", required=True, help=_("Unit or address, e.g. 3栋1201 (with --public, a place like 3栋大堂)."))
@click.option("--name", help=_("Owner's (or caller's) name; with records/units.csv, may be left to the registry."))
@click.option("--phone", help=_("Contact phone; with records/units.csv, may be left to the registry."))
@click.option("--desc", "description", required=True, help=_("What is wrong, in the owner's words."))
@click.option("--item", metavar="CODE", shell_complete=completion.catalogue_codes,
              help=_("Catalogue code (E01, W01, C01 …) or supplier job (S01 …)."))
@click.option("--channel", type=WordChoice(terms.CHANNEL), default="phone",
              show_default=True, help=_("How the request came in."))
@click.option("--appointment", type=TIME, help=_("Agreed visit time (预约维修); default: an immediate repair."))
@click.option("--emergency", is_flag=True, help=_("An emergency (burst pipe, power cut …)."))
@click.option("--public", is_flag=True, help=_("A public area (公共区域), not inside a unit."))
@click.option("--force", is_flag=True, help=_("Record it even if an open order exists for the same unit and item, or "
                                              "the caller is not on record as an owner of the unit."))
@format_option("text", "json")
@event_options
@pass_session
def new(session, fmt, **options):
    from repairctl.orders import actions
    from repairctl.reports import jsonview, views

    outcome = actions.new_order(session.office, **options)
    tell(outcome, jsonview.dumps(views.new_summary(session.office, outcome)) if fmt == "json"
           else views.new_text(session.office, outcome))


@click.command(help=_("Dispatch a technician to an order (派工)."))
@order_id_argument
@click.option("--to", metavar="NAME", shell_complete=completion.technicians, help=_("The technician."))
@click.option("--item", metavar="CODE", shell_complete=completion.catalogue_codes,
              help=_("Classify the order at dispatch (catalogue code)."))
@event_options
@pass_session
def assign(session, order_id, to, item, at, by):
    from repairctl.office import registry
    from repairctl.orders import steps, trades
    from repairctl.reports.views import remark_line

    if to is None:  # a suggestion only: exit 0, no file changed
        from repairctl.reports import workload

        return click.echo(workload.for_order(session.office, order_id, item))
    registry.check_technician(registry.usable(session.office_root), to.strip())

    def told(outcome) -> str:  # the item's remark (W04's water meter, 大型吊灯除外) goes with the job
        if warning := trades.other_trade(session.office, outcome.order, to.strip()):
            click.echo(_("warning: {message}").format(message=warning), err=True)
        return "\n".join(filter(None, (f"{order_id} 已派工给 {to}", remark_line(session.office, outcome.order))))

    perform(session, order_id, steps.assign(session.office, to=to, item=item), at, by, told)


@click.command(help=_("Record a visit: arrived, owner absent (留言条), or a new time agreed."))
@order_id_argument
@click.option("--arrived", is_flag=True, help=_("The technician is on site."))
@click.option("--absent", is_flag=True, help=_("The owner was not at home: prints the message note."))
@click.option("--reschedule", type=TIME, help=_("A new visit time agreed with the owner."))
@event_options
@pass_session
def visit(session, order_id, arrived, absent, reschedule, at, by):
    from repairctl.orders import steps

    mode = exactly_one(arrived=arrived, absent=absent, reschedule=reschedule)
    if reschedule:
        return perform(session, order_id, steps.reschedule(session.office, when=reschedule), at, by)
    if mode == "arrived":
        return perform(session, order_id, steps.arrive(), at, by, f"{order_id} 已到场")
    from repairctl.reports.slips import refuse_a_broken_note, render_note

    refuse_a_broken_note(session.office)  # the note is printed after the commit: a fault must stop it before
    perform(session, order_id, steps.absent(), at, by, lambda outcome: render_note(session.office, outcome.order))


@click.command(help=_("Record the job finished and signed for (完工验收)."))
@order_id_argument
@click.option("--work", help=_("Work done."))
@click.option("--material", "materials", type=MATERIAL, multiple=True, help=_("Material used; repeat for each."))
@click.option("--labour", type=AMOUNT, help=_("Labour charge in yuan."))
@click.option("--opinion", help=_("The owner's opinion (业户意见)."))
@click.option("--signed-by", metavar="NAME", help=_("Who signed the slip (the owner, or for a public area the one "
                                                     "who accepted the job); this or --unsigned is required."))
@click.option("--unsigned", metavar="REASON", help=_("Why nobody signed, e.g. 业户不在家 or 业户拒签."))
@click.option("--arrived-at", type=TIME, help=_("The arrival time from the paper slip, when no arrival is recorded."))
@click.option("--quantity", type=AMOUNT, metavar="QUANTITY",
              help=_("Metres or units done, for an item timed per metre or per unit."))
@click.option("--fee-pending", is_flag=True, help=_("The fee could not be settled on site (settle it later with "
                                                    "`fee`)."))
@click.option("--waive", type=AMOUNT, help=_("Amount waived (减免), in yuan."))
@click.option("--approved-by", metavar="NAME", help=_("Who approved the waiver."))
@click.option("--approver-role", type=WordChoice(terms.APPROVER_ROLE),
              help=_("物业总监 (director) or 公司领导 (company)."))
@event_options
@pass_session
def close(session, order_id, at, by, **options):
    from repairctl.orders import payments, steps

    step = payments.checked_close(session.office, steps.close(session.office, **options))  # fees.quote_required
    perform(session, order_id, step, at, by, _over_quote(session.office))


@click.command(help=_("Settle a fee left pending at close (工程主管会同客服确定收费)."))
@order_id_argument
@click.option("--amount", type=AMOUNT, required=True, help=_("The fee settled, in yuan."))
@event_options
@pass_session
def fee(session, order_id, amount, at, by):
    from repairctl.orders import steps

    perform(session, order_id, steps.settle_fee(amount=amount), at, by, _over_quote(session.office))


def _over_quote(office):
    """After a close or a settled fee: warn of a fee above the accepted quote; the summary is printed as ever."""
    def warn(outcome) -> None:
        from repairctl.orders import payments

        outcome.warnings += payments.over_quote(office, outcome.order)
    return warn


@click.command(help=_("Record the price quoted before paid work, and the owner's answer (报价, 003 §4.1.2.3)."))
@order_id_argument
@click.option("--amount", type=AMOUNT, required=True, help=_("The price quoted, in yuan."))
@click.option("--accepted-by", metavar="NAME", help=_("The owner who agreed to the price."))
@click.option("--declined", is_flag=True, help=_("The owner said no: the order ends, not repaired."))
@event_options
@pass_session
def quote(session, order_id, amount, accepted_by, declined, at, by):
    from repairctl.orders import payments

    exactly_one(**{"accepted-by": accepted_by, "declined": declined})
    perform(session, order_id, payments.quote(amount=amount, accepted_by=accepted_by, declined=declined), at, by)


@click.command(help=_("Record the owner's payment at the finance desk (缴费; the technician takes no cash, 000 §2.3)."))
@order_id_argument
@click.option("--amount", type=AMOUNT, required=True, help=_("The amount paid, in yuan: the whole fee due."))
@click.option("--receipt", required=True, metavar="NO", help=_("The receipt (收据) number, e.g. SJ-0012."))
@click.option("--method", type=click.Choice(list(terms.PAY_METHOD)), default="cash", show_default=True,
              help=_("How the owner paid."))
@event_options
@pass_session
def pay(session, order_id, amount, receipt, method, at, by):
    from repairctl.orders import payments

    perform(session, order_id, payments.pay(amount=amount, receipt=receipt, method=method), at, by)


@click.command(help=_("Record the callback to the owner after the job (回访)."))
@order_id_argument
@click.option("--method", type=WordChoice(terms.CALLBACK_METHOD), required=True,
              help=_("How the owner was reached: by phone, a visit, the intercom or a questionnaire."))
@answer_options
@click.option("--reason", help=_("Why the owner is not satisfied."))
@click.option("--complaint", "opens_complaint", is_flag=True,
              help=_("With --unsatisfied: file the reason as a complaint (投诉), whose first answer replaces the "
                     "follow-up."))
@event_options
@pass_session
def callback(session, order_id, at, by, opens_complaint, **options):
    from repairctl.orders import steps

    if opens_complaint:  # issue 15 §3: the complaint, then the callback naming it
        from repairctl.orders import complaintdesk

        outcome, found = complaintdesk.from_callback(session.office, order_id, steps.callback(**options), at=at, by=by)
        return tell(outcome, _("{id} {summary}; complaint {complaint} filed").format(
            id=order_id, summary=outcome.summary, complaint=found.id))
    perform(session, order_id, steps.callback(**options), at, by)


@click.command(help=_("Record the follow-up of an unsatisfied callback (跟进回访, 004 §5.4.2)."))
@order_id_argument
@click.option("--note", required=True, help=_("How the complaint was handled and what the owner was told."))
@event_options
@pass_session
def followup(session, order_id, note, at, by):
    from repairctl.orders import steps

    perform(session, order_id, steps.followup(note=note), at, by)


@click.command(help=_("Cancel an open order."))
@order_id_argument
@click.option("--reason", required=True, help=_("Why the order is cancelled."))
@event_options
@pass_session
def cancel(session, order_id, reason, at, by):
    from repairctl.orders import steps

    perform(session, order_id, steps.cancel(reason=reason), at, by, f"{order_id} 已取消")


@click.command(help=_("Refer an order to a specialist supplier after inspection (000 §2.2)."))
@order_id_argument
@click.option("--job", "job_code", required=True, metavar="CODE", shell_complete=completion.catalogue_codes,
              help=_("The supplier job (S01–S32)."))
@event_options
@pass_session
def refer(session, order_id, job_code, at, by):
    from repairctl.orders import steps
    from repairctl.reports import views

    perform(session, order_id, steps.refer(session.office, job_code=job_code), at, by,
            lambda outcome: views.referral_text(session.office, outcome.order))


@click.command("import", help=_("Create orders from an intake sheet (CSV): every row is checked first; all are "
                                "created, in one commit, or none."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help=_("Check every row and list what would be created; write nothing."))
@click.option("--force", is_flag=True,
              help=_("As for `new`: allow a second open order for a unit and item, or a caller not on record."))
@format_option("text", "json")
@event_options
@pass_session
def import_(session, file, dry_run, force, fmt, at, by):
    from repairctl.exchange import intake
    from repairctl.reports import jsonview

    with session.office.lock():  # the duplicate checks and the writes as one step, as for `new`
        plan = intake.plan(session.office, file, force=force, at=at, by=by)
        created = [] if dry_run or plan.errors else intake.create(session.office, plan, by=by)
    for line in [*plan.notes, *map(str, plan.errors)]:
        click.echo(line, err=True)
    shown = (jsonview.dumps(intake.summary(plan, created, dry_run)) if fmt == "json"
             else intake.text(plan, created, dry_run))
    if shown:
        click.echo(shown)
    if plan.errors:
        raise click.ClickException(_("{n} problem(s) in {file}; nothing was imported").format(n=len(plan.errors),
                                                                                            file=file))


@click.command(help=_("Correct what was recorded wrongly: each corrected field is its own event and commit."))
@order_id_argument
@click.option("--unit", help=_("The right unit, e.g. 3栋1202."))
@click.option("--name", help=_("The right caller's name."))
@click.option("--phone", help=_("The right phone number."))
@click.option("--desc", "description", help=_("The right description."))
@click.option("--item", metavar="CODE", shell_complete=completion.catalogue_codes, help=_("The right catalogue code."))
@click.option("--reason", required=True, help=_("Why the record was wrong, e.g. 登记时听错."))
@event_options
@pass_session
def edit(session, order_id, **options):
    from repairctl.orders import corrections

    for outcome in corrections.correct(session.office, order_id, **options):
        tell(outcome, f"{order_id} {outcome.summary}")


@click.command(help=_("Approve a later finish for an open order that cannot be done in time (延期)."))
@order_id_argument
@click.option("--until", type=TIME, required=True, help=_("The approved expected completion, e.g. 2026-11-28T18:00."))
@click.option("--reason", required=True, help=_("Why it cannot be finished in time, e.g. 配件待到货."))
@click.option("--approved-by", required=True, metavar="NAME", help=_("Who approved the delay, e.g. 王主管."))
@event_options
@pass_session
def delay(session, order_id, until, reason, approved_by, at, by):
    from repairctl.orders import delays

    step = delays.delay(session.office, until=until, reason=reason, approved_by=approved_by)
    perform(session, order_id, step, at, by)


COMMANDS = [new, assign, visit, close, fee, callback, followup, cancel, refer, import_,
            quote,
            pay,
            edit,
            delay]
