"""The `complaint` group (投诉, issue 15 §3): file a complaint, record its first answer, close it, list and show."""

from __future__ import annotations

import click

from repairctl.cli.options import (
    COMPLAINT_ID,
    MONTH,
    ORDER_ID,
    WordChoice,
    answer_options,
    event_options,
    format_option,
)
from repairctl.cli.session import Quiet, pass_session, tell
from repairctl.text import terms
from repairctl.text.i18n import _

complaint_id_argument = click.argument("complaint_id", type=COMPLAINT_ID, metavar="ID")


@click.group(help=_("Complaints (投诉): each its own file under records/complaints/, its first answer due within "
                    "24 hours."))
def complaint():
    pass


@complaint.command("new", help=_("File a new complaint and print its ID."))
@click.option("--unit", required=True, help=_("The complainant's unit, e.g. 3栋1201."))
@click.option("--name", required=True, help=_("The complainant's name."))
@click.option("--phone", required=True, help=_("The complainant's phone."))
@click.option("--desc", "description", required=True, help=_("What the complainant said."))
@click.option("--order", "orders", type=ORDER_ID, multiple=True, metavar="ID",
              help=_("An order the complaint is about (repeat for more)."))
@click.option("--channel", type=WordChoice(terms.CHANNEL), default="phone", show_default=True,
              help=_("How the complaint came in."))
@click.option("--category", help=_("The category (default: the linked order's item category, else 其他)."))
@format_option("text", "json")
@event_options
@pass_session
def new(session, fmt, **options):
    from repairctl.orders import complaintdesk
    from repairctl.reports import jsonview

    found = complaintdesk.new(session.office, **options)
    tell(found, jsonview.dumps({"id": found.id}) if fmt == "json" else
         _("{id} filed: the first answer is due within {hours} hours").format(id=found.id, hours=_hours(session)))


def _hours(session) -> int:
    from repairctl.orders import sla

    return sla.levels(session.office.config).complaint_answer_hours


@complaint.command("answer", help=_("Record the first answer to the complainant (首次答复)."))
@complaint_id_argument
@click.option("--note", required=True, help=_("What the complainant was told."))
@event_options
@pass_session
def answer(session, complaint_id, note, at, by):
    from repairctl.orders import complaintdesk

    tell(complaintdesk.answer(session.office, complaint_id, note, at=at, by=by), _("{id} answered").format(
        id=complaint_id))


@complaint.command("close", help=_("Close a complaint: its result, and whether the complainant is satisfied."))
@complaint_id_argument
@click.option("--result", required=True, help=_("How the complaint was resolved."))
@answer_options
@event_options
@pass_session
def close(session, complaint_id, result, satisfied, at, by):
    from repairctl.orders import complaintdesk

    tell(complaintdesk.close(session.office, complaint_id, result, satisfied, at=at, by=by),
         _("{id} closed").format(id=complaint_id))


@complaint.command("list", help=_("List complaints, oldest first; files that cannot be read are named on stderr."))
@click.option("--open", "only_open", is_flag=True, help=_("Only complaints not yet closed."))
@click.option("--month", type=MONTH, help=_("Only complaints received in this month."))
@format_option("text", "json")
@pass_session
def list_(session, only_open, month, fmt):
    from repairctl.orders import complaintindex, sla
    from repairctl.reports import complaintviews, jsonview

    office = session.office
    found, problems = complaintindex.read_all(office)
    schedule, chosen = sla.schedule(office.config, office.tz), complaintviews.selected(found, only_open=only_open,
                                                                                         month=month)
    click.echo(jsonview.dumps([complaintviews.as_json(c, schedule) for c in chosen]) if fmt == "json"
               else complaintviews.list_text(chosen, schedule))
    if name_unread(problems):
        raise Quiet()


@complaint.command("show", help=_("Show one complaint."))
@complaint_id_argument
@format_option("text", "json")
@pass_session
def show(session, complaint_id, fmt):
    from repairctl.errors import RepairError
    from repairctl.orders import complaints, sla
    from repairctl.reports import complaintviews, jsonview

    office = session.office
    found, problems = complaints.read(complaints.locate(office.root, complaint_id), office.tz)
    if found is None:
        name_unread(problems)
        raise RepairError(_("{id} cannot be read (see above); fix the file, then run `repairctl check`")
                          .format(id=complaint_id))
    schedule = sla.schedule(office.config, office.tz)
    click.echo(jsonview.dumps(complaintviews.as_json(found, schedule)) if fmt == "json"
               else complaintviews.show_text(found, schedule, office.now()))


def name_unread(problems) -> int:
    """Name each complaint file a command had to leave out (FILE:LINE:COL: why) on stderr; how many files."""
    for problem in problems:
        click.echo(str(problem), err=True)
    count = len({problem.path for problem in problems})
    if count:
        click.echo(_("warning: {n} complaint file(s) cannot be read and are left out of this answer; fix them as "
                     "the lines above say, then run `repairctl check`").format(n=count), err=True)
    return count


COMMANDS = [complaint]
