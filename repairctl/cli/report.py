"""`report --week W | --month M`: the figures of a week or a month (003 §4.1.4.3: 每周、每月进行统计).

One code path with `monthly` (cli/read.py), of which `monthly M` is the short name of
`report --month M`: the same keys, sheets and options; a week is an ISO week (reports/period.py).
"""

from __future__ import annotations

import click

from repairctl.cli import read
from repairctl.cli.options import MONTH, WEEK, report_options
from repairctl.cli.session import pass_session
from repairctl.text.i18n import _


@click.command(help=_("Statistics of the orders received in a WEEK (周报, Monday to Sunday, ISO weeks) or a MONTH "
                      "(月报), each measure beside its target: the keys and sheets of `monthly`, whose `monthly "
                      "MONTH` is the short name of `report --month MONTH`.\n\nA week ignores report.cutoff_day "
                      "(a month's). Exit status with --verify: as `monthly --verify`."))
@click.option("--week", type=WEEK, help=_("The ISO week: 2026-W45, 2026年第45周, or W45 / 第45周 (this year)."))
@click.option("--month", type=MONTH, help=_("The month: 2026-10 (as `monthly 2026-10`)."))
@report_options
@pass_session
def report(session, week, month, out, full_contacts, allow_broken, as_of, verify, fmt):
    if verify:  # the workbook names its week or month
        return read._verify(session.office, verify, fmt, week or month or out or as_of or full_contacts or allow_broken)
    if bool(week) == bool(month):
        raise click.UsageError(_("give one of --week or --month, e.g. `repairctl report --week 2026-W45` or "
                                 "`repairctl report --month 2026-10`"))
    read._report(session, week or month, out, full_contacts, allow_broken, as_of, fmt)


COMMANDS = [report]
