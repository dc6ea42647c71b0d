"""The commands that look after the office folder: make one, check every file, finish an interrupted change."""

from __future__ import annotations

from pathlib import Path

import click

from repairctl.cli.options import format_option
from repairctl.cli.session import Quiet, pass_session
from repairctl.errors import RepairError
from repairctl.text.i18n import _


@click.command(help=_("Create a new office folder with the default catalogue, suppliers, templates and config; in "
                      "git, with `check` as the pre-commit hook, so a broken hand edit cannot be committed."))
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--site", default="HQ", show_default=True, help=_("Site code, the prefix of every order ID."))
@click.option("--name", help=_("The office's name, printed on slips."))
@click.option("--phone", help=_("The desk's phone, printed on the message note for the owner to call back."))
@click.option("--no-hook", is_flag=True, help=_("Do not install `check` as the git pre-commit hook."))
def init(directory, site, name, phone, no_hook):
    from repairctl.office.folder import init_office
    from repairctl.office.placeholder import PHONE
    from repairctl.orders import check as checking

    root = init_office(directory, site, name, phone)
    if not no_hook and checking.hook_path(root) is not None:
        try:
            click.echo(_("installed {path}").format(path=checking.install_hook(root)), err=True)
        except RepairError as exc:  # the office is made and committed: say what is missing, do not undo it
            click.echo(_("warning: {message}").format(message=exc), err=True)
    if phone is None:  # the note would print the placeholder for the owner to call: say so now, not at the door
        click.echo(_("note: the message note prints the phone of office.yaml, still {phone}; write the desk's "
                     "number there (next time: `repairctl init DIR --phone 0755-12345678`)").format(phone=PHONE),
                   err=True)
    click.echo(_("created office {site} in {root}").format(site=site.upper(), root=root))


@click.command(help=_("Validate every order and office file: one line per problem (FILE:LINE:COL: message); exit 1 "
                      "if any (an unresolved merge conflict, or an uncommitted office.yaml edit that re-judges "
                      "reported orders, warns)."))
@click.option("--install-hook", is_flag=True, help=_("Also install check as the git pre-commit hook."))
@format_option("text", "json")
@pass_session
def check(session, install_hook, fmt):
    from repairctl.orders import check as checking
    from repairctl.reports import checkup, jsonview

    if install_hook:
        click.echo(_("installed {path}").format(path=checking.install_hook(session.office_root)), err=True)
    elif checking.has_hook(session.office_root) is False:
        click.echo(_("note: a hand edit can be committed without this check; `repairctl check --install-hook` "
                     "makes git run it before every commit"), err=True)
    problems = checkup.problems(session.office_root)
    click.echo((jsonview.dumps([p.as_dict() for p in problems]) if fmt == "json" else checkup.text(problems))
               or _("ok"))
    if checkup.failing(problems):  # a warning alone: exit 0
        raise Quiet()


@click.command(help=_("Finish what a killed command left: remove git's index lock if no git or repairctl process of "
                      "this repository could hold it, and commit the order files it left uncommitted (an import cut "
                      "short is undone)."))
@pass_session
def recover(session):
    from repairctl.store import journal

    with session.office.lock():
        done = journal.recover(session.office.root)
    click.echo(done or _("nothing to recover"))


COMMANDS = [init, check, recover]
