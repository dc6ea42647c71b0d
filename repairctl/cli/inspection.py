"""The supervisor's commands on finished work: inspect it (pass, or fail and 返工) and reopen an order closed
by mistake."""

from __future__ import annotations

import click

from repairctl.cli.options import event_options, order_id_argument
from repairctl.cli.session import pass_session, perform
from repairctl.text.i18n import _


@click.command(help=_("Record the supervisor's inspection of finished work: --pass, or --fail --reason (返工)."))
@order_id_argument
@click.option("--pass", "passed", flag_value=True, default=None, help=_("The work passed inspection."))
@click.option("--fail", "passed", flag_value=False, help=_("The work failed: back to the technician (返工)."))
@click.option("--reason", help=_("What is wrong, e.g. 接口仍渗水 (needed with --fail)."))
@event_options
@pass_session
def inspect(session, order_id, passed, reason, at, by):
    from repairctl.orders import inspection

    if passed is None:
        raise click.UsageError(_("give the verdict: --pass or --fail --reason TEXT"))
    perform(session, order_id, inspection.inspect(passed=passed, reason=reason), at, by)


@click.command(help=_("Reopen an order closed by mistake: back to its technician, with approval (audited)."))
@order_id_argument
@click.option("--reason", required=True, help=_("Why the close was a mistake, e.g. 误关闭."))
@click.option("--approved-by", metavar="NAME", required=True, help=_("Who approved the reopening."))
@event_options
@pass_session
def reopen(session, order_id, reason, approved_by, at, by):
    from repairctl.orders import inspection

    perform(session, order_id, inspection.reopen(reason=reason, approved_by=approved_by), at, by)


COMMANDS = [inspect, reopen]
