"""The commands that share an office through a git server: a clerk's own clone (clone), an existing
clone made a desk (join), and fetch-merge-push in one step (sync). docs/sharing.md tells the story."""

from __future__ import annotations

from pathlib import Path

import click

from repairctl.cli.options import DESK
from repairctl.cli.session import Quiet, pass_session
from repairctl.text.i18n import _

desk_option = click.option("--desk", type=DESK,
                           help=_("The desk letter to claim (default: the first free one); IDs here end in it."))


def _joined(joined) -> None:
    for note in joined.notes:
        click.echo(_("warning: {message}").format(message=note), err=True)
    said = (_("{root}: is desk {desk}; its new orders get IDs like {id}") if joined.already
            else _("{root}: claimed desk {desk}; its new orders get IDs like {id}"))
    click.echo(said.format(root=joined.root, desk=joined.desk, id=joined.next_id))


@click.command(help=_("Make a clerk's own copy of a shared office from REMOTE (a bare repository, Gitea, any git "
                      "URL) in DIRECTORY, with a desk letter of its own claimed through REMOTE, so its IDs never "
                      "collide."))
@click.argument("remote")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@desk_option
def clone(remote, directory, desk):
    from repairctl.orders import sharing

    _joined(sharing.clone(remote, directory, desk))


@click.command(help=_("Make this clone (a plain `git clone`, or the office itself) a desk of the shared office: the "
                      "merge driver, the check hook, and a desk letter claimed through the remote. REMOTE (a bare "
                      "repository, any git URL) becomes the office's `origin` first, when it has no remote yet: one "
                      "command moves an office."))
@click.argument("remote", required=False)
@desk_option
@pass_session
def join(session, remote, desk):
    from repairctl.orders import sharing

    _joined(sharing.join(session.office_root, desk, remote=remote))


@click.command(help=_("Fetch, merge (never rebase) and push in one step, again if someone pushed meanwhile; one line "
                      "per outcome, and a line for each order whose two versions contradict each other (then exit 1)."))
@pass_session
def sync(session):
    from repairctl.orders import sharing

    synced = sharing.share(session.office)
    for line in synced.lines():
        click.echo(line)
    if synced.contradictions:
        raise Quiet()  # the sync is done, but a person must choose: exit 1, as overdue when something is late


COMMANDS = [clone, join, sync]
