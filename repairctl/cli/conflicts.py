"""The commands for one order changed on two machines: git's merge driver, and choosing a version."""

from __future__ import annotations

from pathlib import Path

import click

from repairctl.cli.options import order_id_argument
from repairctl.cli.session import Quiet, pass_session, tell
from repairctl.errors import RepairError
from repairctl.text.i18n import _


@click.command("merge-driver", hidden=True, help=_("git's merge driver for order files (.gitattributes): merge one "
                                                   "order's two versions into OURS."))
@click.argument("base", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("ours", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("theirs", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("name", metavar="PATH", type=click.Path(path_type=Path))
def merge_driver(base, ours, theirs, name):
    from repairctl.orders import merging

    try:
        merged = merging.drive(base, ours, theirs, name)
    except Exception as exc:  # git shows our stderr mid-merge: one line, never a traceback
        why = str(exc) if isinstance(exc, (RepairError, OSError)) else f"{type(exc).__name__}: {exc}"
        click.echo(_("repairctl: cannot merge {path} ({why}); left as this side's version for git to report "
                     "as conflicted: fix it, then `git add` it").format(path=name, why=why), err=True)
        raise Quiet() from None
    if merged.conflict:
        click.echo(_("repairctl: {path}: the two versions contradict each other, both kept: {conflict}; "
                     "choose with `repairctl resolve {id} --take ours|theirs`").format(
            path=name, conflict=merged.conflict, id=name.stem), err=True)


@click.command(help=_("Settle an order two machines changed in contradiction: keep one version, and commit it."))
@order_id_argument
@click.option("--take", type=click.Choice(["ours", "theirs"]), required=True,
              help=_("ours: the version the file shows; theirs: the other one the merge kept in `conflict:`."))
@pass_session
def resolve(session, order_id, take):
    from repairctl.orders import resolving

    outcome = resolving.resolve(session.office, order_id, take)
    tell(outcome, f"{order_id}: {outcome.summary}")


COMMANDS = [merge_driver, resolve]
