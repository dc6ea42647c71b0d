"""`repairctl plan`: planned maintenance (计划性维修) — add a plan, list the plans, what falls due, make the
jobs, and close a job with its checklist (office/plans.py, orders/planned.py, orders/plannedclose.py)."""

from __future__ import annotations

import click

from repairctl.cli.options import DATE, event_options, format_option, office_today, order_id_argument
from repairctl.cli.session import pass_session, tell
from repairctl.text.i18n import _


@click.group(help=_("Planned maintenance (计划性维修): plans in plans.yaml, the jobs they make, their checklists."))
def plan():
    pass


@plan.command("add", help=_("Add a maintenance plan to plans.yaml and commit it; prints its ID (P01 …)."))
@click.option("--name", required=True, help=_("What is done, e.g. 水泵房月度保养."))
@click.option("--where", help=_("Where, e.g. B1水泵房 (default: the equipment's location)."))
@click.option("--every", metavar="7d|2w|1m", help=_("How often: N days, weeks or months (7d, 2w, 1m, 3m)."))
@click.option("--date", "dates", multiple=True, metavar="DATE",
              help=_("A fixed day instead of (or besides) --every: 2026-06-01 once, 06-01 every year; repeatable."))
@click.option("--start", type=DATE, help=_("The first day it falls due (needed with --every)."))
@click.option("--trade", help=_("The trade that does it (工种), e.g. 水电."))
@click.option("--checklist", multiple=True, metavar="ITEM", help=_("A checklist item; repeatable, in order."))
@click.option("--equipment", metavar="CODE", help=_("The equipment's code in equipment.yaml."))
@event_options
@pass_session
def add(session, at, by, **options):
    from repairctl.office import planfile
    from repairctl.orders import desk

    office = session.office
    made = planfile.add_plan(office, by=desk.actor(office, by), at=desk.event_time(office, at), **options)
    click.echo(made.id)


@plan.command("list", help=_("List the office's maintenance plans."))
@format_option("table", "json")
@pass_session
def list_(session, fmt):
    from repairctl.office import plans
    from repairctl.reports import jsonview, planviews

    rows = planviews.plan_rows(plans.load(session.office.root).usable())
    click.echo(jsonview.dumps(rows) if fmt == "json" else planviews.plans_table(rows))


@plan.command("due", help=_("List the planned jobs due up to a day (default today) that are not made yet."))
@click.option("--until", type=DATE, help=_("Up to this day (default: today)."))
@format_option("table", "json")
@pass_session
def due(session, until, fmt):
    from repairctl.orders import planned
    from repairctl.reports import jsonview, planviews

    until = until or office_today(click.get_current_context())
    rows = [d.as_dict() for d in planned.due(session.office, until)]
    click.echo(jsonview.dumps(rows) if fmt == "json" else planviews.due_table(rows, until))


@plan.command("run", help=_("Make the planned jobs due up to a day (default today); a job made once is never "
                            "made again."))
@click.option("--until", type=DATE, help=_("Up to this day (default: today; not later)."))
@click.option("--by", metavar="NAME", help=_("Who runs it (default: your git user.name); the jobs name their plan."))
@click.option("--backfill", is_flag=True, help=_("Also make jobs due more than 31 days ago (refused without it)."))
@pass_session
def run(session, until, by, backfill):
    from repairctl.orders import desk, planned
    from repairctl.reports import planviews

    office = session.office
    until = until or office.now().date()
    made = planned.run(office, until, by=desk.actor(office, by), at=office.now(), backfill=backfill)
    click.echo(planviews.run_text(made, until))


@plan.command("close", help=_("Close a planned job with its checklist: --ok all, or --ok N and --fault N:NOTE for "
                              "each item."))
@order_id_argument
@click.option("--ok", "ok", multiple=True, metavar="N|all", help=_("An item found in order (its number or words), "
                                                                    "or all the items not named by --fault."))
@click.option("--fault", "faults", multiple=True, metavar="N:NOTE", help=_("An item at fault and what is wrong, "
                                                                           "e.g. 2:漏油; repeatable."))
@click.option("--work", help=_("The work done, if any."))
@click.option("--open-repair", is_flag=True, help=_("Open a repair order for each fault, linked to the job."))
@event_options
@pass_session
def close(session, order_id, ok, faults, work, open_repair, at, by):
    from repairctl.orders import plannedclose
    from repairctl.reports import planviews

    outcome, repairs = plannedclose.close(session.office, order_id, ok=ok, faults=faults, work=work,
                                          open_repair=open_repair, by=by, at=at)
    for extra in repairs:
        outcome.warnings += [w for w in extra.warnings if w not in outcome.warnings]
    tell(outcome, planviews.close_text(outcome, repairs))


COMMANDS = [plan]
