"""`repairctl calendar`: the office's working days, holidays (节假日、调休) and duty roster (值班), from
calendar.yaml."""

from __future__ import annotations

import click

from repairctl.cli.options import DATE, MONTH, format_option
from repairctl.cli.session import pass_session
from repairctl.text.i18n import _


@click.group(help=_("The office's calendar (calendar.yaml): working hours, holidays and make-up workdays (调休), and "
                    "who is on duty at night and on holidays."))
def calendar():
    pass


@calendar.command(help=_("List the days of MONTH: working or not, the holiday's name, who is on duty."))
@click.argument("month", type=MONTH)
@format_option("table", "json")
@pass_session
def show(session, month, fmt):
    from repairctl.reports import calendarview, jsonview

    cal = calendarview.require(session.office)
    rows = calendarview.month_rows(cal, month)
    click.echo(jsonview.dumps(rows) if fmt == "json" else calendarview.month_text(cal, month, rows))


@calendar.command(help=_("Who is on duty tonight (or on --date): the one to phone after closing time."))
@click.option("--date", "day", type=DATE, help=_("The day, e.g. 2026-10-01 (default: today)."))
@format_option("text", "json")
@pass_session
def duty(session, day, fmt):
    from repairctl.reports import calendarview, jsonview

    cal = calendarview.require(session.office)
    row = calendarview.day_row(cal, day or calendarview.duty_day(cal, session.office.now()))
    click.echo(jsonview.dumps(row) if fmt == "json" else calendarview.duty_text(row))


@calendar.command(help=_("Add YEAR's public holidays and make-up workdays to calendar.yaml from the chinese-calendar "
                         "library (a year it lacks is typed in by hand)."))
@click.argument("year", type=click.IntRange(2004, 2099))
@pass_session
def seed(session, year):
    from repairctl.reports import calendarview

    click.echo(calendarview.seed(session.office, year))


COMMANDS = [calendar]
